"""A reflect step: the question, a Reflect button that opens a modal, and shared answers after."""

from __future__ import annotations

import discord

from bot.core.text import shorten
from bot.ui.components import TypedButton, persistent_view
from bot.ui.format import COLOUR_DONE
from bot.ui.steps.base import MessagePayload, SimplePresenter, StepScene


class ReflectButton(TypedButton, spec="chorus:reflect:{run_id:int}:{step_index:int}"):
    """Reflect: opens the reflection form for this step."""

    run_id: int
    step_index: int


class ReflectPresenter(SimplePresenter):
    kind = "reflect"

    def body(self, scene: StepScene) -> str:
        question = scene.text(getattr(scene.step, "question", None))
        privacy = (
            "Answers are **anonymous**: nobody, not even the facilitator, sees who wrote what."
            if getattr(scene.step, "anonymous", False)
            else "Your answer is private unless you tick *share with the group*."
        )
        return f"**{question}**\n\nPress **Reflect** to answer in a few words. {privacy}"

    def closed_body(self, scene: StepScene) -> str:
        return f"**{scene.text(getattr(scene.step, 'question', None))}**"

    def view(self, scene: StepScene) -> discord.ui.View | None:
        return persistent_view(
            ReflectButton.button(
                "Reflect",
                run_id=scene.run.id,
                step_index=scene.index,
                style=discord.ButtonStyle.primary,
                emoji="💭",
            )
        )

    def after_exit(self, scene: StepScene) -> list[MessagePayload]:
        shared = [c for c in scene.contributions if c.payload.get("shared")]
        anonymous = bool(getattr(scene.step, "anonymous", False))
        quotes = [
            quote_block(
                str(c.payload.get("text", "")), "Someone" if anonymous else scene.name(c.author_id)
            )
            for c in shared
        ]
        return shared_words_messages("What we shared", quotes)


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
