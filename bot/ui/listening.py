"""Shared listening on screen: the playlist and library embeds, the reflection form, the
/listen now reply and the session summary's listening line."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import discord

from bot.core.activities import localize
from bot.core.listening import (
    COUNTDOWN,
    PLAYING,
    ResolvedTrack,
    piece_at,
    set_tracks,
)
from bot.core.step_state import StepState
from bot.core.steps.listen import ListenState, ListenStep, Reaction
from bot.core.text import clean_member_text, shorten
from bot.i18n import _, ngettext
from bot.records.media import NominationRecord, PlayRecord, TrackRecord
from bot.records.sessions import RunRecord
from bot.ui import limits
from bot.ui.form_ids import FormId
from bot.ui.format import COLOUR_INFO, COLOUR_SESSION, DESCRIPTION_MAX, duration, plain_name
from bot.ui.forms import ChorusForm, answer_box


def listen_state(run: RunRecord) -> ListenState:
    """The listen step's state of the run (its clock; after the music when it can't be read)."""
    return StepState.shown(run).kind(ListenState)


@dataclass(frozen=True)
class ListenReflectFormId(FormId, spec="chorus:form_listen:{run_id:int}:{step_index:int}"):
    """The id of the reflection form after the music: the run and its listen step."""

    run_id: int
    step_index: int


class ListenReflectForm(ChorusForm):
    """A short reflection after the music; the share box follows the step's default (private).

    The step's questions are shown whole above the box. Answered through its custom_id by
    `ListeningCog.on_reflect_form`, with no timeout."""

    def __init__(self, run_id: int, step_index: int, step: ListenStep, locale: str) -> None:
        super().__init__(
            _("After the music", locale), ListenReflectFormId(run_id=run_id, step_index=step_index)
        )
        questions = [" ".join(localize(q, locale).split()) for q in step.reflection.questions]
        answer = answer_box(500, locale)
        if len(questions) > 1:
            # Several questions: all of them, whole, above the box (two blocks if need be).
            listed = "\n".join(f"• {q}" for q in questions)
            for block in limits.pieces(listed, limits.TEXT_DISPLAY)[:2]:
                self.add_item(discord.ui.TextDisplay(block))
            self.add_item(discord.ui.Label(text=_("Your reflection", locale), component=answer))
        else:
            self.add_question(
                questions[0] if questions else _("What did you notice?", locale),
                answer,
                short_label=_("Your reflection", locale),
            )
        share: discord.ui.Checkbox[ListenReflectForm] = discord.ui.Checkbox(
            custom_id="share", default=False
        )
        self.add_item(
            discord.ui.Label(
                text=_("Share with the group", locale),
                description=_(
                    "Shown with your name when the step ends. Unticked: only you see it.", locale
                ),
                component=share,
            )
        )


def reaction_saved(reaction: Reaction, replaced: bool, locale: str) -> str:
    """The private thanks for a reaction pressed under a listen step (`replaced`: it replaced the
    member's earlier one), in ``locale``."""
    shown = f"{reaction.emoji or ''} **{localize(reaction.label, locale)}**".strip()
    if replaced:
        return _(
            "Thank you, you changed your reaction to {reaction}. You can change it until the "
            "step ends.",
            locale,
            reaction=shown,
        )
    return _(
        "Thank you, you reacted {reaction}. You can change it until the step ends.",
        locale,
        reaction=shown,
    )


def now_playing(
    run: RunRecord,
    step: ListenStep,
    track: ResolvedTrack | None,
    where: str,
    now: float,
    locale: str,
) -> str:
    """The /listen now reply: the piece, where it is heard (`where`, for a file), the time
    left (`now` is a UTC timestamp), in ``locale``."""
    if track is not None:
        piece = (
            _("**{title}** by {artist}", locale, title=track.title, artist=track.artist)
            if track.artist
            else f"**{track.title}**"
        )
    else:
        piece = _(
            "**{title}** (the piece is chosen by the vote)",
            locale,
            title=localize(step.title, locale),
        )
    state = listen_state(run)
    current = state.phase
    left = state.time_left(now)
    pieces = [track, *set_tracks(step, locale)] if track is not None and step.then else []
    length = state.duration
    if pieces and current == PLAYING and left is not None and length:
        lengths = [float(t.duration or 0) for t in pieces]
        number, _offset = piece_at(lengths, float(length) - left)
        now_on = pieces[number]
        fields = {"number": number + 1, "total": len(pieces), "title": now_on.title}
        piece = (
            _(
                "Piece {number} of {total} of the set: **{title}** by {artist}",
                locale,
                artist=now_on.artist,
                **fields,
            )
            if now_on.artist
            else _("Piece {number} of {total} of the set: **{title}**", locale, **fields)
        )
    elif pieces:
        piece = _(
            "A set of {count} pieces, starting with {piece}", locale, count=len(pieces), piece=piece
        )
    if track is None or not track.file:
        where = (
            _("Members play it from the link.", locale)
            if track and track.url
            else _("Text card only.", locale)
        )
    left_text = duration(left, locale) if left else ""
    if run.state == "paused":
        timing = _("Paused, {time} left.", locale, time=left_text) if left else _("Paused.", locale)
    elif current == COUNTDOWN:
        starts = state.wake_at
        if starts is not None:
            when = f"<t:{int(starts)}:R>"
            timing = (
                _("Starts {when}; {time} until it ends.", locale, when=when, time=left_text)
                if left
                else _("Starts {when}.", locale, when=when)
            )
        else:
            timing = (
                _("Starting; {time} until it ends.", locale, time=left_text)
                if left
                else _("Starting.", locale)
            )
    elif current == PLAYING:
        timing = (
            _("{time} left.", locale, time=duration(left, locale))
            if left is not None
            else _("Playing.", locale)
        )
    else:
        timing = _("The piece has ended; the group is reflecting.", locale)
    volume = (
        " " + _("Volume {percent} %.", locale, percent=round(step.volume * 100))
        if step.volume != 1.0
        else ""
    )
    return f"🎧 {piece}\n{timing}\n{where}{volume}"


def summary_lines(
    plays: Sequence[PlayRecord], suggested: int, locale: str
) -> list[tuple[str, str]]:
    """The session summary's listening line (none when nothing was heard or suggested)."""
    if not plays and not suggested:
        return []
    parts = []
    if plays:
        parts.append(
            ngettext(
                "{count} piece heard: {titles}",
                "{count} pieces heard: {titles}",
                len(plays),
                locale,
                titles=", ".join(p.title for p in plays[:5]),
            )
        )
    if suggested:
        parts.append(
            ngettext("{count} song suggested", "{count} songs suggested", suggested, locale)
        )
    return [(_("Listening", locale), clean_member_text(" · ".join(parts), 1000))]


def nomination_line(
    n: NominationRecord,
    hidden_credit: frozenset[int],
    names: Mapping[int, str] | None = None,
    *,
    locale: str,
) -> str:
    """One playlist line: id, title, artist and who nominated it (by `names`, unless the nominator
    is in `hidden_credit`), in ``locale``."""
    line = f"`#{n.id}` **{n.title}**" + (f" — {n.artist}" if n.artist else "")
    if n.url:
        line += f" · [{_('link', locale)}]({n.url})"
    if n.user_id is None or n.user_id in hidden_credit:
        who = _("someone", locale)
    else:
        # A name, never a raw mention: inside an embed it shows as <@id> to many viewers.
        who = plain_name((names or {}).get(n.user_id)) or _("a member", locale)
    line += "\n  " + _("suggested by {name}", locale, name=who)
    if n.note:
        line += f": *{shorten(n.note, 200)}*"
    return line


def playlist_embed(
    title: str,
    nominations: Sequence[NominationRecord],
    *,
    facilitator: bool,
    hidden_credit: frozenset[int] = frozenset(),
    names: Mapping[int, str] | None = None,
    locale: str,
) -> discord.Embed:
    """/listen playlist: the nominations under `title`, the facilitator's hints when `facilitator`,
    in ``locale``."""
    if nominations:
        body = "\n".join(
            nomination_line(n, hidden_credit, names, locale=locale) for n in nominations
        )
    else:
        body = _("Nothing here yet. Add a song with `/listen suggest`.", locale)
    embed = discord.Embed(
        title=shorten(_("🎵 Playlist · {title}", locale, title=title), 256),
        description=shorten(body, DESCRIPTION_MAX),
        colour=COLOUR_SESSION,
    )
    hint = _("Add a song with /listen suggest.", locale)
    if facilitator:
        hint += " " + _("Facilitators remove an entry with /listen remove and its #number.", locale)
    embed.set_footer(text=hint)
    return embed


def library_embed(
    tracks: Sequence[TrackRecord], other_files: Sequence[str], locale: str
) -> discord.Embed:
    """/listen library: the server's uploaded tracks and any other audio files, in ``locale``."""
    lines = []
    for t in tracks:
        length = f" · {duration(t.duration_seconds, locale)}" if t.duration_seconds else ""
        lines.append(
            f"**{t.title}**"
            + (f" — {t.artist}" if t.artist else "")
            + f"{length}\n  "
            # The activity file's own key: translators keep `file:` as it is.
            + _("`file: {path}`", locale, path=t.file_name)
        )
    if other_files:
        lines.append("\n**" + _("Other files in the media folder", locale) + "**")
        lines.extend(f"`{name}`" for name in other_files)
    embed = discord.Embed(
        title=_("🎼 Media library", locale),
        description=shorten(
            "\n".join(lines)
            or _("The library is empty. Add a file with `/listen upload`.", locale),
            DESCRIPTION_MAX,
        ),
        colour=COLOUR_INFO,
    )
    embed.set_footer(
        text=_(
            "Use a file in an activity with {example}.",
            locale,
            example="track: {title, artist, file: <path>}",
        )
    )
    return embed
