"""A reflect step: the question, a Reflect button that opens a modal, and shared answers after."""

from __future__ import annotations

from typing import Any

import discord

from bot.core.reflect_review import Review
from bot.core.steps.reflect import ReflectState, ReflectStep
from bot.core.text import shorten
from bot.i18n import N_, _
from bot.ui.components import TypedButton, persistent_view
from bot.ui.format import COLOUR_DONE, COLOUR_STEP
from bot.ui.steps.base import MessagePayload, SimplePresenter, StepAtButton, StepScene


class ReflectButton(StepAtButton, spec="chorus:reflect:{run_id:int}:{step_index:int}"):
    """Reflect: opens the reflection form for this step."""


class ReviewButton(StepAtButton, spec="chorus:reflect_review:{run_id:int}:{step_index:int}"):
    """Review answers (facilitators): the shared answers so far, privately and without names."""


class HoldBackButton(
    TypedButton,
    spec="chorus:reflect_hold:{run_id:int}:{step_index:int}:{contribution_id:int}",
):
    """Hold back one shared answer (facilitators, from the private review)."""

    run_id: int
    step_index: int
    contribution_id: int


class ReleaseButton(TypedButton, spec="chorus:reflect_release:{run_id:int}:{step_index:int}"):
    """Release the shared answers not held back (facilitators, from the private review)."""

    run_id: int
    step_index: int


REVIEW_NOTE = N_(
    "The facilitator reads shared answers first, without names, before the group sees them."
)
# Discord: 25 components a message; the Release button takes one.
HOLD_BUTTONS_MAX = 24


def review_payload(review: Review, run_id: int, step_index: int, locale: str) -> MessagePayload:
    """The facilitator's private review: numbered answers (no authors), Hold back and Release."""
    if not review.answers:
        lines = [
            _("Nobody has shared an answer yet. Press **Review answers** again later.", locale)
        ]
    else:
        held = _("~~held back~~", locale)
        lines = [
            f"**{n}.** {held + ' ' if a.held_back else ''}"
            + shorten(a.text, QUOTE_MAX).replace("\n", " ")
            for n, a in enumerate(review.answers, start=1)
        ]
    status = (
        _(
            "Released to the group. Remove takes an answer out of what was posted (its author is "
            "told privately, never named).",
            locale,
        )
        if review.released
        else _(
            "Only you see this. Hold back any answer that shouldn't be shown (its author is "
            "told privately, never named), then press **Release** to share the rest.",
            locale,
        )
    )
    embed = discord.Embed(
        title=_("Shared answers, before the group sees them", locale),
        description="\n\n".join(lines),
        colour=COLOUR_STEP,
    )
    embed.set_footer(text=status)
    buttons: list[discord.ui.Item[Any]] = []
    for n, answer in enumerate(review.answers[:HOLD_BUTTONS_MAX], start=1):
        label = (
            _("Remove {number}", locale, number=n)
            if review.released
            else _("Hold back {number}", locale, number=n)
        )
        buttons.append(
            HoldBackButton.button(
                label,
                run_id=run_id,
                step_index=step_index,
                contribution_id=answer.contribution_id,
                disabled=answer.held_back,
            )
        )
    if not review.released:
        buttons.append(
            ReleaseButton.button(
                _("Release", locale),
                run_id=run_id,
                step_index=step_index,
                style=discord.ButtonStyle.success,
            )
        )
    return MessagePayload(embed=embed, view=persistent_view(*buttons) if buttons else None)


class ReflectPresenter(SimplePresenter[ReflectStep]):
    kind = "reflect"

    def body(self, scene: StepScene[ReflectStep]) -> str:
        """The question and who sees answers (anonymous, shared, or reviewed by the facilitator
        first)."""
        locale = scene.locale
        question = scene.text(scene.step.question)
        privacy = (
            _(
                "Answers are **anonymous**: nobody, not even the facilitator, sees who wrote what.",
                locale,
            )
            if scene.step.anonymous
            else _("Your answer is private unless you tick *share with the group*.", locale)
        )
        review = ""
        if scene.step.review:
            review = " " + _(REVIEW_NOTE, locale)
            if scene.step_state().kind(ReflectState).released:
                review = " " + _(
                    "The facilitator has released the shared answers (posted below).", locale
                )
        return _(
            "**{question}**\n\nPress **Reflect** to answer in a few words. {privacy}{review}",
            locale,
            question=question,
            privacy=privacy,
            review=review,
        )

    def closed_body(self, scene: StepScene[ReflectStep]) -> str:
        """The question, and with review that only released answers were shared."""
        question = f"**{scene.text(scene.step.question)}**"
        if scene.step.review:
            only = _("Only answers the facilitator released were shared.", scene.locale)
            return f"{question}\n\n{only}"
        return question

    def view(self, scene: StepScene[ReflectStep]) -> discord.ui.View | None:
        """The Reflect button, and Review answers when the facilitator reviews them first."""
        reflect = _("Reflect", scene.locale)
        items: list[discord.ui.Item[Any]] = [
            ReflectButton.at(scene, reflect, style=discord.ButtonStyle.primary, emoji="💭")
        ]
        if scene.step.review:
            items.append(ReviewButton.at(scene, _("Review answers", scene.locale), emoji="👁"))
        return persistent_view(*items)

    def after_exit(self, scene: StepScene[ReflectStep]) -> list[MessagePayload]:
        """The shared answers as quotes when the step ends (none with review: Release shows
        them)."""
        if scene.step.review:
            # Reviewed answers are shown only by the facilitator's Release, never by the end.
            return []
        shared = [c for c in scene.contributions if c.payload.get("shared")]
        anonymous = scene.step.anonymous
        quotes = [
            quote_block(
                str(c.payload.get("text", "")),
                _("Someone", scene.locale) if anonymous else scene.name(c.author_id),
            )
            for c in shared
        ]
        return shared_words_messages(_("What we shared", scene.locale), quotes)


QUOTE_MAX = 600
# Discord allows 10 embeds and 6,000 characters in one message; stay clear of both.
EMBEDS_PER_MESSAGE = 10
CHARS_PER_MESSAGE = 5500
CHARS_PER_EMBED = 3900


def quote_block(text: str, who: str) -> str:
    """One member's shared words as a quote with their name (or "Someone") under it."""
    quoted = "\n".join(f"> {line}" for line in shorten(text, QUOTE_MAX).splitlines())
    return f"{quoted}\n— {who}"


def shared_words_messages(title: str, quotes: list[str]) -> list[MessagePayload]:
    """Everyone's shared words, over as many embeds and messages as it takes; none is cut off."""
    if not quotes:
        return []
    embeds: list[discord.Embed] = []
    current: list[str] = []
    for quote in quotes:
        if current and len("\n\n".join([*current, quote])) > CHARS_PER_EMBED:
            embeds.append(discord.Embed(description="\n\n".join(current), colour=COLOUR_DONE))
            current = []
        current.append(quote)
    embeds.append(discord.Embed(description="\n\n".join(current), colour=COLOUR_DONE))
    embeds[0].title = title
    messages: list[MessagePayload] = []
    batch: list[discord.Embed] = []
    size = 0
    for embed in embeds:
        length = len(embed.description or "") + len(embed.title or "")
        if batch and (len(batch) == EMBEDS_PER_MESSAGE or size + length > CHARS_PER_MESSAGE):
            messages.append(MessagePayload(embeds=tuple(batch)))
            batch, size = [], 0
        batch.append(embed)
        size += length
    messages.append(MessagePayload(embeds=tuple(batch)))
    return messages


PRESENTER = ReflectPresenter
"""Registers the presenter of the `reflect` kind (found by `bot.ui.steps.presenters`)."""
