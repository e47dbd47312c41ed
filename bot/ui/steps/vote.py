"""The vote step: the question, the numbered choices, a persistent select, and the result."""

from __future__ import annotations

from typing import Any

import discord

from bot.core.steps.vote import VoteStep
from bot.core.text import shorten
from bot.core.vote import (
    GROUP_MIN,
    VoteChoice,
    fixed_choices,
    is_tie,
    shown_detail,
    tally,
    voters,
)
from bot.ui.components import TypedSelect, persistent_view
from bot.ui.format import COLOUR_DONE, COLOUR_STEP, DESCRIPTION_MAX, plural
from bot.ui.steps.base import MessagePayload, StepScene, time_note

Key = tuple[int, int]


class VoteSelect(TypedSelect, spec="chorus:vote:{run_id:int}:{index:int}"):
    """The vote step's menu: one choice per member, changeable until the vote ends."""

    run_id: int
    index: int


def vote_select(run_id: int, index: int, choices: list[VoteChoice]) -> discord.ui.Item[Any]:
    """A select whose clicks reach the `VoteSelect` handler, restart or not."""
    return VoteSelect.select(
        [
            discord.SelectOption(
                label=shorten(f"{n}. {c.label}", 100),
                value=c.key,
                description=shorten(detail, 100) if (detail := shown_detail(c)) else None,
            )
            for n, c in enumerate(choices, 1)
        ],
        placeholder="Choose one…",
        run_id=run_id,
        index=index,
    )


class VotePresenter:
    kind = "vote"

    def __init__(self) -> None:
        # Filled by the listening cog before the card is shown (playlist, previous answers).
        self.choices: dict[Key, list[VoteChoice]] = {}

    def choices_for(self, scene: StepScene) -> list[VoteChoice]:
        cached = self.choices.get((scene.run.id, scene.index))
        if cached is not None:
            return cached
        step: VoteStep = scene.step
        return fixed_choices(step, scene.locale) if step.options else []

    def _frame(self, scene: StepScene, body: str, closed: bool) -> discord.Embed:
        total = len(scene.activity.steps)
        embed = discord.Embed(
            title=shorten(f"🗳️ {scene.text(scene.step.title)}", 256),
            description=shorten(body, DESCRIPTION_MAX),
            colour=COLOUR_DONE if closed else COLOUR_STEP,
        )
        embed.set_author(
            name=shorten(
                f"{scene.text(scene.activity.title)} · step {scene.index + 1} of {total}", 256
            )
        )
        if closed:
            embed.set_footer(text="This vote has ended.")
        elif scene.run.step_index == scene.index and scene.step.time_limit:
            embed.add_field(name="Time", value=time_note(scene.step), inline=True)
        return embed

    def _empty_text(self, scene: StepScene) -> str:
        step: VoteStep = scene.step
        if step.choose_from == "playlist":
            return "The playlist is empty. Add a song with `/listen suggest`; it appears here."
        return "There's nothing to choose from: the previous step has no shared answers."

    def render(self, scene: StepScene) -> MessagePayload:
        step: VoteStep = scene.step
        choices = self.choices_for(scene)
        lines = [f"**{scene.text(step.question)}**", ""]
        if choices:
            for n, c in enumerate(choices, 1):
                detail = shown_detail(c)
                lines.append(f"**{n}.** {c.label}" + (f" — *{detail}*" if detail else ""))
            lines += [
                "",
                "Pick one in the menu. You can change your vote until the vote ends. Nobody "
                f"sees who voted for what; totals are shown only if {GROUP_MIN} or more vote.",
            ]
        else:
            lines.append(self._empty_text(scene))
        view = persistent_view(vote_select(scene.run.id, scene.index, choices)) if choices else None
        return MessagePayload(embed=self._frame(scene, "\n".join(lines), False), view=view)

    def render_closed(self, scene: StepScene) -> MessagePayload:
        step: VoteStep = scene.step
        choices = self.choices_for(scene)
        ranked = tally(choices, scene.contributions)
        votes = {t.choice.key: t.votes for t in ranked}
        people = voters(scene.contributions, choices)
        counted = people >= GROUP_MIN
        lines = [f"**{scene.text(step.question)}**", ""]
        for n, c in enumerate(choices, 1):
            count = f" — {plural(votes.get(c.key, 0), 'vote')}" if counted else ""
            lines.append(f"**{n}.** {c.label}{count}")
        if not choices:
            lines.append("There was nothing to vote on.")
        elif not counted:
            lines += ["", _few(people)]
        return MessagePayload(embed=self._frame(scene, "\n".join(lines), True), view=None)

    def after_exit(self, scene: StepScene) -> list[MessagePayload]:
        choices = self.choices_for(scene)
        ranked = tally(choices, scene.contributions)
        if not ranked:
            return []
        top = ranked[0]
        people = voters(scene.contributions, choices)
        if top.votes == 0:
            note = "Nobody voted, so the first choice goes ahead."
        elif people < GROUP_MIN:
            note = _few(people)
        elif is_tie(ranked):
            note = f"A tie at {plural(top.votes, 'vote')}: the earliest choice goes ahead."
        else:
            note = f"With {plural(top.votes, 'vote')}."
        embed = discord.Embed(
            title=shorten(f"🏆 The group chose: {top.choice.label}", 256),
            description=note,
            colour=COLOUR_DONE,
        )
        return [MessagePayload(embed=embed)]


def _few(count: int) -> str:
    """Under the k rule: the outcome only, never how the votes fell."""
    if count == 0:
        return "Nobody voted."
    people = "one person" if count == 1 else f"{count} people"
    return f"Only {people} voted (fewer than {GROUP_MIN}), so the counts aren't shown."


PRESENTER = VotePresenter
"""Registers the presenter of the `vote` kind (found by `bot.ui.steps.presenters`)."""
