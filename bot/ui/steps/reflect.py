"""A reflect step: the question, a Reflect button that opens a modal, and shared answers after."""

from __future__ import annotations

import discord

from bot.core.text import shorten
from bot.ui.components import button, persistent_view
from bot.ui.format import COLOUR_DONE, DESCRIPTION_MAX
from bot.ui.steps.base import MessagePayload, SimplePresenter, StepScene


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
            button(
                "Reflect",
                "reflect",
                scene.run.id,
                scene.index,
                style=discord.ButtonStyle.primary,
                emoji="💭",
            )
        )

    def after_exit(self, scene: StepScene) -> list[MessagePayload]:
        shared = [c for c in scene.contributions if c.payload.get("shared")]
        if not shared:
            return []
        anonymous = bool(getattr(scene.step, "anonymous", False))
        lines = []
        for c in shared:
            who = "Someone" if anonymous else scene.name(c.author_id)
            quoted = "\n".join(
                f"> {line}" for line in shorten(str(c.payload.get("text", "")), 600).splitlines()
            )
            lines.append(f"{quoted}\n— {who}")
        embed = discord.Embed(
            title="What we shared",
            description=shorten("\n\n".join(lines), DESCRIPTION_MAX),
            colour=COLOUR_DONE,
        )
        return [MessagePayload(embed=embed)]
