"""The listen step's track card: framing, a live countdown, the link, the text card, reactions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import discord

from bot.core.checkins import K_MIN
from bot.core.listening import (
    AFTER,
    COUNTDOWN,
    PLAYING,
    ResolvedTrack,
    reaction_counts,
    set_tracks,
    step_track,
)
from bot.core.steps.listen import ListenState, ListenStep
from bot.core.text import shorten
from bot.i18n import _, ngettext
from bot.ui.components import TypedButton, link_button, persistent_view
from bot.ui.format import (
    COLOUR_DONE,
    COLOUR_STEP,
    DESCRIPTION_MAX,
    duration,
    field,
    plain_name,
    relative,
)
from bot.ui.steps.base import BasePresenter, MessagePayload, StepScene, step_author

REFLECTION_MAX = 500

Note = str | tuple[str, dict[str, Any]]
"""Where a listen step's piece is heard, as its card says: a catalogue text (marked with
`N_`), or one with the fields that fill it; worded in the scene's language when shown."""


@dataclass(frozen=True, slots=True)
class ListenPrepared:
    """What a listen step's card shows beyond its step (`StepScene.prepared`), gathered by the
    listening cog: `track`, the piece a `from_vote` step resolved to (None: the step's own
    piece, or none decided); `note`, where it is heard now (voice, or why not; None: the
    card's own words for the piece)."""

    track: ResolvedTrack | None = None
    note: Note | None = None


class ReactButton(TypedButton, spec="chorus:react:{run_id:int}:{step_index:int}:{choice:int}"):
    """One of a listen step's reactions; `choice` indexes the step's reactions."""

    run_id: int
    step_index: int
    choice: int


class ListenReflectButton(TypedButton, spec="chorus:listenreflect:{run_id:int}:{step_index:int}"):
    """Opens the reflection form of a listen step."""

    run_id: int
    step_index: int


"""Each shared reflection is shown up to this length (visibly shortened beyond it)."""


def _state(scene: StepScene[ListenStep]) -> ListenState | None:
    """The step's live state, only while this step is the run's current one (None otherwise,
    or while nothing is saved for it yet)."""
    saved = scene.step_state()
    return saved.kind(ListenState) if scene.run.live and saved.values else None


def track_line(track: ResolvedTrack, locale: str) -> str:
    """ "**Title** — Artist (3:20)": a track as one line, in ``locale``."""
    line = f"**{track.title}**"
    if track.artist:
        line += f"\n{track.artist}"
    if track.duration:
        line += f" · {duration(track.duration, locale)}"
    return line


class ListenPresenter(BasePresenter[ListenStep]):
    kind = "listen"

    def track_for(self, scene: StepScene[ListenStep]) -> ResolvedTrack | None:
        """The track the step plays: the one the scene's `ListenPrepared` carries, else the
        step's own."""
        prepared = scene.prepared_as(ListenPrepared)
        resolved = prepared.track if prepared is not None else None
        return resolved or step_track(scene.step, scene.locale)

    def _where(self, scene: StepScene[ListenStep], track: ResolvedTrack | None) -> str:
        prepared = scene.prepared_as(ListenPrepared)
        note = prepared.note if prepared is not None else None
        if isinstance(note, tuple):
            message, fields = note
            return _(message, scene.locale, **fields)
        if note:
            # A catalogue text (bot/cogs/listen_voice.py), worded for the group.
            return _(note, scene.locale)
        locale = scene.locale
        if track is None:
            return _("The piece is chosen by the vote.", locale)
        if track.url:
            return _(
                "Press **Open the track** and press play when the countdown reaches zero.", locale
            )
        voice = scene.session.voice_channel_id
        if track.file and voice:
            return _(
                "It plays in {channel} when the countdown reaches zero.",
                locale,
                channel=f"<#{voice}>",
            )
        return _("Follow the card below while the group listens.", locale)

    def _embed(self, scene: StepScene[ListenStep], closed: bool) -> discord.Embed:
        step = scene.step
        state = None if closed else _state(scene)
        current = state.phase if state is not None else AFTER
        track = self.track_for(scene)
        locale = scene.locale
        parts = []
        if step.framing:
            parts.append(scene.text(step.framing))
        if not closed and current != AFTER:
            parts.append(f"🎧 {self._where(scene, track)}")
        if step.text_card:
            about = _("About the piece", locale)
            parts.append(f"**{about}**\n{scene.text(step.text_card)}")
        embed = discord.Embed(
            title=shorten(f"🎧 {scene.text(step.title)}", 256),
            description=shorten("\n\n".join(parts), DESCRIPTION_MAX),
            colour=COLOUR_DONE if closed else COLOUR_STEP,
        )
        embed.set_author(name=shorten(step_author(scene), 256))
        if track is not None and step.then:
            # A listening set: one line per piece, played back to back.
            pieces = [track, *set_tracks(step, scene.locale)]
            lines = [
                f"{n}. " + track_line(piece, locale).replace("\n", " — ")
                for n, piece in enumerate(pieces, 1)
            ]
            embed.add_field(name=_("Set", locale), value=field("\n".join(lines)), inline=False)
        elif track is not None:
            embed.add_field(
                name=_("Track", locale), value=field(track_line(track, locale)), inline=True
            )
        if not closed:
            starts = state.starts_at if state is not None else None
            ends = state.ends_at if state is not None else None
            if scene.run.state == "paused" and current != AFTER:
                # A countdown would keep running on the card while the music waits.
                embed.add_field(
                    name=_("Paused", locale),
                    value=_(
                        "⏸ Paused: the piece carries on from here when the facilitator resumes.",
                        locale,
                    ),
                    inline=True,
                )
            elif current == COUNTDOWN and starts is not None:
                embed.add_field(
                    name=_("Starts", locale),
                    value=_("⏳ starts {when}", locale, when=relative(starts)),
                    inline=True,
                )
            elif current == PLAYING and ends is not None:
                embed.add_field(
                    name=_("Playing", locale),
                    value=_("▶ ends {when}", locale, when=relative(ends)),
                    inline=True,
                )
            else:
                embed.add_field(
                    name=_("Now", locale), value=self._after_text(step, locale), inline=True
                )
                questions = [scene.text(q) for q in step.reflection.questions]
                if questions:
                    embed.add_field(
                        name=_("To reflect on", locale),
                        value=field("\n".join(f"• {q}" for q in questions)),
                        inline=False,
                    )
            if step.no_skip and current != AFTER:
                embed.add_field(
                    name="\u200b",
                    value=_("This piece plays to the end without skipping.", locale),
                    inline=False,
                )
        if track is not None and track.credit:
            # A field, not the footer: a credit may name a member, and footers don't render them.
            embed.add_field(name=_("Credit", locale), value=field(track.credit), inline=False)
        if closed:
            embed.set_footer(text=_("This step has ended.", locale))
        return embed

    def _after_text(self, step: ListenStep, locale: str) -> str:
        if step.reflection.reactions and step.reflection.questions:
            return _("How was it? Tap a reaction, or **Reflect** to say a few words.", locale)
        if step.reflection.reactions:
            return _("How was it? Tap a reaction.", locale)
        if step.reflection.questions:
            return _("Press **Reflect** to say a few words, if you like.", locale)
        return _("Take a moment before we move on.", locale)

    def _view(self, scene: StepScene[ListenStep]) -> discord.ui.View | None:
        step = scene.step
        state = _state(scene)
        track = self.track_for(scene)
        items: list[discord.ui.Item[Any]] = []
        if track is not None and track.url:
            items.append(link_button(_("Open the track", scene.locale), track.url, row=0))
        if state is not None and state.phase == AFTER:
            for i, reaction in enumerate(step.reflection.reactions):
                items.append(
                    ReactButton.button(
                        scene.text(reaction.label),
                        emoji=reaction.emoji,
                        row=1 + i // 5,
                        run_id=scene.run.id,
                        step_index=scene.step_index,
                        choice=i,
                    )
                )
            if step.reflection.questions:
                items.append(
                    ListenReflectButton.button(
                        _("Reflect", scene.locale),
                        style=discord.ButtonStyle.primary,
                        emoji="💭",
                        row=0,
                        run_id=scene.run.id,
                        step_index=scene.step_index,
                    )
                )
        return persistent_view(*items) if items else None

    def render(self, scene: StepScene[ListenStep]) -> MessagePayload:
        """See `StepPresenter.render`: the listening card (framing, where to listen, the text card,
        the track or the set, and the phase now: paused, countdown, playing) with its buttons."""
        return MessagePayload(embed=self._embed(scene, closed=False), view=self._view(scene))

    def render_closed(self, scene: StepScene[ListenStep]) -> MessagePayload:
        """See `StepPresenter.render_closed`: the track card, ended, without buttons."""
        return MessagePayload(embed=self._embed(scene, closed=True), view=None)

    def after_exit(self, scene: StepScene[ListenStep]) -> list[MessagePayload]:
        """What the group shared: reaction counts (only when 3 or more reacted) and every
        shared reflection, over as many messages as it takes; nobody's words are cut for room."""
        step = scene.step
        reacted = sum(1 for c in scene.contributions if c.kind == "reaction")
        counts = [c for c in reaction_counts(step, scene.contributions, scene.locale) if c[2]]
        shared = [
            c for c in scene.contributions if c.kind == "reflection" and c.payload.get("shared")
        ]
        if not counts and not shared:
            return []
        track = self.track_for(scene)
        locale = scene.locale
        title = (
            _("How the group heard {title}", locale, title=track.title)
            if track
            else _("How the group heard the piece", locale)
        )
        quotes = []
        for c in shared:
            text = shorten(str(c.payload.get("text", "")), REFLECTION_MAX)
            quoted = "\n".join(f"> {line}" for line in text.splitlines())
            quotes.append(f"{quoted}\n— {_name(scene, c.author_id)}")
        pages = _pages(quotes, DESCRIPTION_MAX) or [""]
        payloads = []
        for number, page in enumerate(pages, 1):
            more = (
                " " + _("({number} of {total})", locale, number=number, total=len(pages))
                if len(pages) > 1
                else ""
            )
            embed = discord.Embed(title=shorten(title + more, 256), colour=COLOUR_DONE)
            if page:
                embed.description = page
            if number == 1 and counts:
                if reacted >= K_MIN:
                    shown = " · ".join(
                        f"{emoji or ''} {label} **{n}**".strip() for label, emoji, n in counts
                    )
                else:
                    shown = ngettext(
                        "{count} reaction: fewer than {k}, so counts aren't shown.",
                        "{count} reactions: fewer than {k}, so counts aren't shown.",
                        reacted,
                        locale,
                        k=K_MIN,
                    )
                embed.add_field(name=_("Reactions", locale), value=field(shown), inline=False)
            payloads.append(MessagePayload(embed=embed))
        return payloads


def _name(scene: StepScene[ListenStep], user_id: int | None) -> str:
    """A sharer's name made inert, or "a member" (never a raw mention inside an embed)."""
    if user_id is None:
        return _("Someone", scene.locale)
    return plain_name(scene.names.get(user_id)) or _("a member", scene.locale)


def _pages(entries: list[str], limit: int) -> list[str]:
    """Whole entries packed in order into texts of at most `limit` characters."""
    pages: list[str] = []
    current = ""
    for entry in entries:
        entry = shorten(entry, limit)
        joined = f"{current}\n\n{entry}" if current else entry
        if len(joined) <= limit:
            current = joined
            continue
        pages.append(current)
        current = entry
    if current:
        pages.append(current)
    return pages


PRESENTER = ListenPresenter
"""Registers the presenter of the `listen` kind (found by `bot.ui.steps.presenters`)."""
