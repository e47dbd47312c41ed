"""The facilitator's "Another question" button on a step card whose text comes from a pool."""

from __future__ import annotations

import dataclasses

import discord

from bot.i18n import _
from bot.ui.components import TypedButton, persistent_view
from bot.ui.steps.base import MessagePayload

# Discord allows 25 components on a message (5 rows of 5).
_COMPONENTS_MAX = 25


class AnotherQuestionButton(TypedButton, spec="chorus:another:{run_id:int}:{step_index:int}"):
    """Another question: draw the step's pooled texts again (facilitators, once per step)."""

    run_id: int
    step_index: int


def with_another_button(
    payload: MessagePayload, run_id: int, step_index: int, locale: str
) -> MessagePayload:
    """The step card with the Another question button added (unchanged if the card is full);
    ``locale``: the card's language (the server's)."""
    button = AnotherQuestionButton.button(
        _("Another question", locale),
        run_id=run_id,
        step_index=step_index,
        style=discord.ButtonStyle.secondary,
        emoji="🔀",
    )
    view = payload.view
    if view is None:
        return dataclasses.replace(payload, view=persistent_view(button))
    if len(view.children) >= _COMPONENTS_MAX:
        return payload
    try:
        view.add_item(button)
    except ValueError:
        # No row has room left: the card keeps its own buttons.
        return payload
    return payload
