"""Shared listening on screen: the playlist and library embeds, the reflection form, the
/listen now reply and the session summary's listening line."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import discord

from bot.core.activities import localize
from bot.core.listening import (
    COUNTDOWN,
    PLAYING,
    ResolvedTrack,
    human_seconds,
    phase,
    piece_at,
    set_tracks,
    time_left,
)
from bot.core.steps.listen import ListenStep
from bot.core.text import clean_member_text, shorten
from bot.records.media import NominationRecord, PlayRecord, TrackRecord
from bot.records.sessions import RunRecord
from bot.ui import limits
from bot.ui.format import COLOUR_INFO, COLOUR_SESSION, DESCRIPTION_MAX, duration, plain_name, plural
from bot.ui.forms import ChorusForm

REFLECT_FORM = "form_listen"


def run_state(run: RunRecord) -> dict[str, Any]:
    """The run's step state as a dict ({} when it can't be read)."""
    try:
        loaded = json.loads(run.step_state or "{}")
    except json.JSONDecodeError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


class ListenReflectForm(ChorusForm):
    """A short reflection after the music; the share box follows the step's default (private).

    The step's questions are shown whole above the box. Answered through its custom_id by
    `ListeningCog.on_reflect_form`, with no timeout."""

    def __init__(self, run_id: int, index: int, step: ListenStep) -> None:
        super().__init__("After the music", REFLECT_FORM, run_id, index)
        questions = [" ".join(localize(q).split()) for q in step.reflection.questions]
        answer: discord.ui.TextInput[ListenReflectForm] = discord.ui.TextInput(
            custom_id="answer",
            style=discord.TextStyle.paragraph,
            max_length=500,
            required=True,
            placeholder=limits.placeholder("A few words are plenty."),
        )
        if len(questions) > 1:
            # Several questions: all of them, whole, above the box (two blocks if need be).
            listed = "\n".join(f"• {q}" for q in questions)
            for block in limits.pieces(listed, limits.TEXT_DISPLAY)[:2]:
                self.add_item(discord.ui.TextDisplay(block))
            self.add_item(discord.ui.Label(text="Your reflection", component=answer))
        else:
            self.add_question(
                questions[0] if questions else "What did you notice?",
                answer,
                short_label="Your reflection",
            )
        share: discord.ui.Checkbox[ListenReflectForm] = discord.ui.Checkbox(
            custom_id="share", default=False
        )
        self.add_item(
            discord.ui.Label(
                text="Share with the group",
                description="Shown with your name when the step ends. Unticked: only you see it.",
                component=share,
            )
        )


def now_playing(
    run: RunRecord, step: ListenStep, track: ResolvedTrack | None, where: str, now: float
) -> str:
    """The /listen now reply: the piece, where it is heard (`where`, for a file), the time
    left (`now` is a UTC timestamp)."""
    piece = (
        f"**{track.title}**" + (f" by {track.artist}" if track.artist else "")
        if track is not None
        else f"**{localize(step.title)}** (the piece is chosen by the vote)"
    )
    state = run_state(run)
    current = phase(state)
    left = time_left(state, now)
    pieces = [track, *set_tracks(step)] if track is not None and step.then else []
    length = state.get("duration")
    if pieces and current == PLAYING and left is not None and length:
        lengths = [float(t.duration or 0) for t in pieces]
        number, _ = piece_at(lengths, float(length) - left)
        now_on = pieces[number]
        piece = f"Piece {number + 1} of {len(pieces)} of the set: **{now_on.title}**" + (
            f" by {now_on.artist}" if now_on.artist else ""
        )
    elif pieces:
        piece = f"A set of {len(pieces)} pieces, starting with {piece}"
    if track is None or not track.file:
        where = "Members play it from the link." if track and track.url else "Text card only."
    if run.state == "paused":
        timing = "Paused" + (f", {human_seconds(left)} left." if left else ".")
    elif current == COUNTDOWN:
        starts = state.get("wake_at")
        timing = (
            f"Starts <t:{int(starts)}:R>" if isinstance(starts, int | float) else "Starting"
        ) + (f"; {human_seconds(left)} until it ends." if left else ".")
    elif current == PLAYING:
        timing = f"{human_seconds(left)} left." if left is not None else "Playing."
    else:
        timing = "The piece has ended; the group is reflecting."
    volume = f" Volume {round(step.volume * 100)} %." if step.volume != 1.0 else ""
    return f"🎧 {piece}\n{timing}\n{where}{volume}"


def summary_lines(plays: Sequence[PlayRecord], suggested: int) -> list[tuple[str, str]]:
    """The session summary's listening line (none when nothing was heard or suggested)."""
    if not plays and not suggested:
        return []
    parts = []
    if plays:
        parts.append(
            plural(len(plays), "piece") + " heard: " + ", ".join(p.title for p in plays[:5])
        )
    if suggested:
        parts.append(plural(suggested, "song") + " suggested")
    return [("Listening", clean_member_text(" · ".join(parts), 1000))]


def nomination_line(
    n: NominationRecord, hidden_credit: frozenset[int], names: Mapping[int, str] | None = None
) -> str:
    line = f"`#{n.id}` **{n.title}**" + (f" — {n.artist}" if n.artist else "")
    if n.url:
        line += f" · [link]({n.url})"
    if n.user_id is None or n.user_id in hidden_credit:
        who = "someone"
    else:
        # A name, never a raw mention: inside an embed it shows as <@id> to many viewers.
        who = plain_name((names or {}).get(n.user_id)) or "a member"
    line += f"\n  suggested by {who}"
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
) -> discord.Embed:
    if nominations:
        body = "\n".join(nomination_line(n, hidden_credit, names) for n in nominations)
    else:
        body = "Nothing here yet. Add a song with `/listen suggest`."
    embed = discord.Embed(
        title=shorten(f"🎵 Playlist · {title}", 256),
        description=shorten(body, DESCRIPTION_MAX),
        colour=COLOUR_SESSION,
    )
    hint = "Add a song with /listen suggest."
    if facilitator:
        hint += " Facilitators remove an entry with /listen remove and its #number."
    embed.set_footer(text=hint)
    return embed


def library_embed(tracks: Sequence[TrackRecord], other_files: Sequence[str]) -> discord.Embed:
    lines = []
    for t in tracks:
        length = f" · {duration(t.duration_seconds)}" if t.duration_seconds else ""
        lines.append(
            f"**{t.title}**" + (f" — {t.artist}" if t.artist else "") + f"{length}\n"
            f"  `file: {t.file_name}`"
        )
    if other_files:
        lines.append("\n**Other files in the media folder**")
        lines.extend(f"`{name}`" for name in other_files)
    embed = discord.Embed(
        title="🎼 Media library",
        description=shorten(
            "\n".join(lines) or "The library is empty. Add a file with `/listen upload`.",
            DESCRIPTION_MAX,
        ),
        colour=COLOUR_INFO,
    )
    embed.set_footer(text="Use a file in an activity with track: {title, artist, file: <path>}.")
    return embed
