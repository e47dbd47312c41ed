"""The vote step: the question, the numbered choices, a persistent select, and the result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import discord

from bot.core.checkins import K_MIN
from bot.core.steps.vote import (
    VoteChoice,
    VoteStep,
    fixed_choices,
    is_tie,
    shown_detail,
    tally,
    voters,
)
from bot.core.text import shorten
from bot.i18n import _, ngettext
from bot.ui.components import TypedSelect, persistent_view
from bot.ui.format import COLOUR_DONE, sentence
from bot.ui.steps.base import BasePresenter, MessagePayload, StepScene, step_embed


@dataclass(frozen=True, slots=True)
class VotePrepared:
    """The choices a vote's card shows (`StepScene.prepared`), gathered by the listening cog
    from the store: the playlist, the earlier step's shared answers, or the step's options,
    worded in the server's language."""

    choices: tuple[VoteChoice, ...]


class VoteSelect(TypedSelect, spec="chorus:vote:{run_id:int}:{step_index:int}"):
    """The vote step's menu: one choice per member, changeable until the vote ends."""

    run_id: int
    step_index: int


def vote_select(
    run_id: int, step_index: int, choices: list[VoteChoice], locale: str
) -> discord.ui.Item[Any]:
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
        placeholder=_("Choose one…", locale),
        run_id=run_id,
        step_index=step_index,
    )


class VotePresenter(BasePresenter[VoteStep]):
    kind = "vote"

    def choices_for(self, scene: StepScene[VoteStep]) -> list[VoteChoice]:
        """The vote's choices: those the scene's `VotePrepared` carries (e.g. the playlist),
        else the step's fixed options."""
        prepared = scene.prepared_as(VotePrepared)
        if prepared is not None:
            return list(prepared.choices)
        step = scene.step
        return fixed_choices(step, scene.locale) if step.options else []

    def _empty_text(self, scene: StepScene[VoteStep]) -> str:
        step = scene.step
        if step.choose_from == "playlist":
            return _(
                "The playlist is empty. Add a song with `/listen suggest`; it appears here.",
                scene.locale,
            )
        return _(
            "There's nothing to choose from: the previous step has no shared answers.",
            scene.locale,
        )

    def render(self, scene: StepScene[VoteStep]) -> MessagePayload:
        """See `StepPresenter.render`: the question, the numbered choices and a button per
        choice."""
        step = scene.step
        choices = self.choices_for(scene)
        lines = [f"**{scene.text(step.question)}**", ""]
        if choices:
            for n, c in enumerate(choices, 1):
                detail = shown_detail(c)
                lines.append(f"**{n}.** {c.label}" + (f" — *{detail}*" if detail else ""))
            lines += [
                "",
                _(
                    "Pick one in the menu. You can change your vote until the vote ends. Nobody "
                    "sees who voted for what; totals are shown only if {k} or more vote.",
                    scene.locale,
                    k=K_MIN,
                ),
            ]
        else:
            lines.append(self._empty_text(scene))
        view = (
            persistent_view(vote_select(scene.run.id, scene.step_index, choices, scene.locale))
            if choices
            else None
        )
        return MessagePayload(embed=step_embed(scene, "\n".join(lines), icon="🗳️ "), view=view)

    def render_closed(self, scene: StepScene[VoteStep]) -> MessagePayload:
        """See `StepPresenter.render_closed`: the choices with their votes (counts only at K_MIN
        voters or more)."""
        step = scene.step
        choices = self.choices_for(scene)
        ranked = tally(choices, scene.contributions)
        votes = {t.choice.key: t.votes for t in ranked}
        people = voters(scene.contributions, choices)
        counted = people >= K_MIN
        lines = [f"**{scene.text(step.question)}**", ""]
        for n, c in enumerate(choices, 1):
            count = (
                " — " + ngettext("{count} vote", "{count} votes", votes.get(c.key, 0), scene.locale)
                if counted
                else ""
            )
            lines.append(f"**{n}.** {c.label}{count}")
        if not choices:
            lines.append(_("There was nothing to vote on.", scene.locale))
        elif not counted:
            lines += ["", _few(people, scene.locale)]
        return MessagePayload(
            embed=step_embed(
                scene,
                "\n".join(lines),
                closed=True,
                icon="🗳️ ",
                ended=_("This vote has ended.", scene.locale),
            ),
            view=None,
        )

    def after_exit(self, scene: StepScene[VoteStep]) -> list[MessagePayload]:
        """The group's choice announced when the step ends (the first choice when nobody voted;
        votes counted only at K_MIN voters or more); none without choices."""
        choices = self.choices_for(scene)
        ranked = tally(choices, scene.contributions)
        if not ranked:
            return []
        top = ranked[0]
        people = voters(scene.contributions, choices)
        locale = scene.locale
        if top.votes == 0:
            note = _("Nobody voted, so the first choice goes ahead.", locale)
        elif people < K_MIN:
            note = _few(people, locale)
        elif is_tie(ranked):
            note = ngettext(
                "A tie at {count} vote: the earliest choice goes ahead.",
                "A tie at {count} votes: the earliest choice goes ahead.",
                top.votes,
                locale,
            )
        else:
            note = ngettext("With {count} vote.", "With {count} votes.", top.votes, locale)
        embed = discord.Embed(
            title=shorten(_("🏆 The group chose: {choice}", locale, choice=top.choice.label), 256),
            description=note,
            colour=COLOUR_DONE,
        )
        return [MessagePayload(embed=embed)]


def _few(count: int, locale: str) -> str:
    """Under the k rule: the outcome only, never how the votes fell."""
    if count == 0:
        return _("Nobody voted.", locale)
    return ngettext(
        "Only one person voted (fewer than {k}), so the counts aren't shown.",
        "Only {count} people voted (fewer than {k}), so the counts aren't shown.",
        count,
        locale,
        k=K_MIN,
    )


PRESENTER = VotePresenter
"""Registers the presenter of the `vote` kind (found by `bot.ui.steps.presenters`)."""


def vote_saved(choice: str, replaced: bool, locale: str) -> str:
    """The private confirmation of a vote for `choice` (its label; `replaced`: it replaced the
    member's earlier vote), in ``locale``."""
    vote = (
        _("🗳️ Your vote is now **{choice}**", locale, choice=choice)
        if replaced
        else _("🗳️ Your vote is **{choice}**", locale, choice=choice)
    )
    return sentence(vote) + " " + _("You can change it while the vote is open.", locale)
