"""The listen step's track card: framing, a live countdown, the link, the text card, reactions."""

from __future__ import annotations

from typing import Any

import discord

from bot.core.listening import (
    AFTER,
    COUNTDOWN,
    PLAYING,
    ResolvedTrack,
    phase,
    reaction_counts,
    set_tracks,
    step_track,
)
from bot.core.steps.listen import ListenStep
from bot.core.text import shorten
from bot.core.vote import GROUP_MIN
from bot.ui.components import TypedButton, link_button, persistent_view
from bot.ui.format import (
    COLOUR_DONE,
    COLOUR_STEP,
    DESCRIPTION_MAX,
    duration,
    field,
    plain_name,
    plural,
    relative,
)
from bot.ui.steps.base import MessagePayload, StepScene

Key = tuple[int, int]
REFLECTION_MAX = 500


class ReactButton(TypedButton, spec="chorus:react:{run_id:int}:{index:int}:{choice:int}"):
    """One of a listen step's reactions; `choice` indexes the step's reactions."""

    run_id: int
    index: int
    choice: int


class ListenReflectButton(TypedButton, spec="chorus:listenreflect:{run_id:int}:{index:int}"):
    """Opens the reflection form of a listen step."""

    run_id: int
    index: int


"""Each shared reflection is shown up to this length (visibly shortened beyond it)."""


def _state(scene: StepScene) -> dict[str, Any]:
    """The step's live state, only while this step is the run's current one."""
    return scene.step_state() if scene.run.live else {}


def track_line(track: ResolvedTrack) -> str:
    line = f"**{track.title}**"
    if track.artist:
        line += f"\n{track.artist}"
    if track.duration:
        line += f" · {duration(track.duration)}"
    return line


class ListenPresenter:
    kind = "listen"

    def __init__(self) -> None:
        # Filled by the listening cog before a card is shown: the piece a `from_vote` step
        # resolved to, and where it is playing (voice, or why not).
        self.tracks: dict[Key, ResolvedTrack] = {}
        self.notes: dict[Key, str] = {}

    def track_for(self, scene: StepScene) -> ResolvedTrack | None:
        step: ListenStep = scene.step
        return self.tracks.get((scene.run.id, scene.index)) or step_track(step, scene.locale)

    def _where(self, scene: StepScene, track: ResolvedTrack | None) -> str:
        note = self.notes.get((scene.run.id, scene.index))
        if note:
            return note
        if track is None:
            return "The piece is chosen by the vote."
        if track.url:
            return "Press **Open the track** and press play when the countdown reaches zero."
        voice = scene.session.voice_channel_id
        if track.file and voice:
            return f"It plays in <#{voice}> when the countdown reaches zero."
        return "Follow the card below while the group listens."

    def _embed(self, scene: StepScene, closed: bool) -> discord.Embed:
        step: ListenStep = scene.step
        state = {} if closed else _state(scene)
        current = phase(state) if state else AFTER
        track = self.track_for(scene)
        parts = []
        if step.framing:
            parts.append(scene.text(step.framing))
        if not closed and current != AFTER:
            parts.append(f"🎧 {self._where(scene, track)}")
        if step.text_card:
            parts.append(f"**About the piece**\n{scene.text(step.text_card)}")
        total = len(scene.activity.steps)
        embed = discord.Embed(
            title=shorten(f"🎧 {scene.text(step.title)}", 256),
            description=shorten("\n\n".join(parts), DESCRIPTION_MAX),
            colour=COLOUR_DONE if closed else COLOUR_STEP,
        )
        embed.set_author(
            name=shorten(
                f"{scene.text(scene.activity.title)} · step {scene.index + 1} of {total}", 256
            )
        )
        if track is not None and step.then:
            # A listening set: one line per piece, played back to back.
            pieces = [track, *set_tracks(step, scene.locale)]
            lines = [
                f"{n}. " + track_line(piece).replace("\n", " — ")
                for n, piece in enumerate(pieces, 1)
            ]
            embed.add_field(name="Set", value=field("\n".join(lines)), inline=False)
        elif track is not None:
            embed.add_field(name="Track", value=field(track_line(track)), inline=True)
        if not closed:
            starts = state.get("starts_at")
            ends = state.get("ends_at")
            if scene.run.state == "paused" and current != AFTER:
                # A countdown would keep running on the card while the music waits.
                embed.add_field(
                    name="Paused",
                    value="⏸ Paused: the piece carries on from here when the facilitator resumes.",
                    inline=True,
                )
            elif current == COUNTDOWN and isinstance(starts, int | float):
                embed.add_field(name="Starts", value=f"⏳ starts {relative(starts)}", inline=True)
            elif current == PLAYING and isinstance(ends, int | float):
                embed.add_field(name="Playing", value=f"▶ ends {relative(ends)}", inline=True)
            else:
                embed.add_field(name="Now", value=self._after_text(step), inline=True)
                questions = [scene.text(q) for q in step.reflection.questions]
                if questions:
                    embed.add_field(
                        name="To reflect on",
                        value=field("\n".join(f"• {q}" for q in questions)),
                        inline=False,
                    )
            if step.no_skip and current != AFTER:
                embed.add_field(
                    name="\u200b",
                    value="This piece plays to the end without skipping.",
                    inline=False,
                )
        if track is not None and track.credit:
            # A field, not the footer: a credit may name a member, and footers don't render them.
            embed.add_field(name="Credit", value=field(track.credit), inline=False)
        if closed:
            embed.set_footer(text="This step has ended.")
        return embed

    def _after_text(self, step: ListenStep) -> str:
        if step.reflection.reactions and step.reflection.questions:
            return "How was it? Tap a reaction, or **Reflect** to say a few words."
        if step.reflection.reactions:
            return "How was it? Tap a reaction."
        if step.reflection.questions:
            return "Press **Reflect** to say a few words, if you like."
        return "Take a moment before we move on."

    def _view(self, scene: StepScene) -> discord.ui.View | None:
        step: ListenStep = scene.step
        state = _state(scene)
        track = self.track_for(scene)
        items: list[discord.ui.Item[Any]] = []
        if track is not None and track.url:
            items.append(link_button("Open the track", track.url, row=0))
        if phase(state) == AFTER and state:
            for i, reaction in enumerate(step.reflection.reactions):
                items.append(
                    ReactButton.button(
                        scene.text(reaction.label),
                        emoji=reaction.emoji,
                        row=1 + i // 5,
                        run_id=scene.run.id,
                        index=scene.index,
                        choice=i,
                    )
                )
            if step.reflection.questions:
                items.append(
                    ListenReflectButton.button(
                        "Reflect",
                        style=discord.ButtonStyle.primary,
                        emoji="💭",
                        row=0,
                        run_id=scene.run.id,
                        index=scene.index,
                    )
                )
        return persistent_view(*items) if items else None

    def render(self, scene: StepScene) -> MessagePayload:
        return MessagePayload(embed=self._embed(scene, closed=False), view=self._view(scene))

    def render_closed(self, scene: StepScene) -> MessagePayload:
        return MessagePayload(embed=self._embed(scene, closed=True), view=None)

    def after_exit(self, scene: StepScene) -> list[MessagePayload]:
        """What the group shared: reaction counts (only when 3 or more reacted) and every
        shared reflection, over as many messages as it takes; nobody's words are cut for room."""
        step: ListenStep = scene.step
        reacted = sum(1 for c in scene.contributions if c.kind == "reaction")
        counts = [c for c in reaction_counts(step, scene.contributions, scene.locale) if c[2]]
        shared = [
            c for c in scene.contributions if c.kind == "reflection" and c.payload.get("shared")
        ]
        if not counts and not shared:
            return []
        track = self.track_for(scene)
        title = f"How the group heard {track.title if track else 'the piece'}"
        quotes = []
        for c in shared:
            text = shorten(str(c.payload.get("text", "")), REFLECTION_MAX)
            quoted = "\n".join(f"> {line}" for line in text.splitlines())
            quotes.append(f"{quoted}\n— {_name(scene, c.author_id)}")
        pages = _pages(quotes, DESCRIPTION_MAX) or [""]
        payloads = []
        for number, page in enumerate(pages, 1):
            more = f" ({number} of {len(pages)})" if len(pages) > 1 else ""
            embed = discord.Embed(title=shorten(title + more, 256), colour=COLOUR_DONE)
            if page:
                embed.description = page
            if number == 1 and counts:
                if reacted >= GROUP_MIN:
                    shown = " · ".join(
                        f"{emoji or ''} {label} **{n}**".strip() for label, emoji, n in counts
                    )
                else:
                    shown = (
                        f"{plural(reacted, 'reaction')}: fewer than {GROUP_MIN}, so counts "
                        "aren't shown."
                    )
                embed.add_field(name="Reactions", value=field(shown), inline=False)
            payloads.append(MessagePayload(embed=embed))
        return payloads


def _name(scene: StepScene, user_id: int | None) -> str:
    """A sharer's name made inert, or "a member" (never a raw mention inside an embed)."""
    if user_id is None:
        return "Someone"
    return plain_name(scene.names.get(user_id)) or "a member"


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
