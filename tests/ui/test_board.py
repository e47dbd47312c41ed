"""The session board (bot/ui/board.py): true counts, no names where counts are private."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import discord
import pytest

from bot.core import steps as core_steps
from bot.core.checkins import K_MIN
from bot.ui.board import BoardButton, BoardState, ClosedState, board_embed, board_view
from tests.ui.test_templates import FACILITATOR, MEMBERS, NAMES, STARTED, run, session

PRIVATE_KINDS = "tests.steps_example.private"
"""The package of the `mood` kind, which declares its counts private."""


def state(**changes: Any) -> BoardState:
    base = BoardState(
        session=session(),
        present=[FACILITATOR, *MEMBERS],
        run=run(1),
        activity_title="Every kind!",
        step_title="How are you arriving?",
        step_count=9,
        answered=2,
        expected=4,
        step_kind="prompt",
        now=STARTED,
        names=NAMES,
        locale="en",
    )
    return replace(base, **changes)


def fields(embed: discord.Embed) -> dict[str, str]:
    return {str(f.name): str(f.value) for f in embed.fields}


@pytest.mark.parametrize("kind", ["checkin", "goal"])
def test_how_many_answered_a_check_in_is_hidden_below_three(kind: str) -> None:
    hidden = fields(board_embed(state(step_kind=kind, answered=K_MIN - 1)))
    assert hidden["Answers"] == f"fewer than {K_MIN} answered so far"
    shown = fields(board_embed(state(step_kind=kind, answered=K_MIN)))
    assert shown["Answers"] == f"{K_MIN} of 4 answered"
    assert fields(board_embed(state(answered=1)))["Answers"] == "1 of 4 answered"  # a prompt


def test_a_kind_that_declares_its_counts_private_hides_them_too() -> None:
    """The board reads `StepKind.private_counts` from the registry: a kind added outside bot/
    (tests/steps_example/private/mood.py) gets the same care as the check-in."""
    core_steps.add_package(PRIVATE_KINDS)
    try:
        hidden = fields(board_embed(state(step_kind="mood", answered=K_MIN - 1)))
        shown = fields(board_embed(state(step_kind="mood", answered=K_MIN)))
    finally:
        core_steps.remove_package(PRIVATE_KINDS)
    assert hidden["Answers"] == f"fewer than {K_MIN} answered so far"
    assert shown["Answers"] == f"{K_MIN} of 4 answered"
    # Unregistered again: a kind the registry doesn't know is taken as private.
    unknown = fields(board_embed(state(step_kind="mood", answered=1)))
    assert unknown["Answers"] == f"fewer than {K_MIN} answered so far"


def test_the_shipped_kinds_with_private_counts_are_the_check_in_and_the_goal_step() -> None:
    private = {kind.name for kind in core_steps.step_kinds() if kind.private_counts}
    assert private == {"checkin", "goal"}
    for kind in core_steps.step_kinds():
        shown = fields(board_embed(state(step_kind=kind.name, answered=1)))["Answers"]
        assert (shown == f"fewer than {K_MIN} answered so far") is kind.private_counts, kind.name


def test_who_is_here_and_what_runs() -> None:
    shown = fields(board_embed(state()))
    assert shown["Here now (5)"] == "Robin, Maya, Jonah, Priya, Leo"
    assert shown["Activity"] == "**Every kind!**\nStep 2 of 9: **How are you arriving?**"
    idle = fields(board_embed(state(run=None)))
    assert idle["Activity"].startswith("No activity running.")


def test_a_closed_session_shows_its_places_and_its_line_as_counts() -> None:
    closed = ClosedState(capacity=4, waiting=2, asking=1)
    embed = board_embed(state(closed=closed))
    shown = fields(embed)
    assert "All places are taken: press **Join** to go on the waitlist." in (
        embed.description or ""
    )
    assert shown["Here now (5): 4 of 4 places taken"] == "Robin, Maya, Jonah, Priya, Leo"
    assert shown["Waitlist"] == "2 waiting for a place, 1 asking to join"
    open_place = board_embed(state(closed=ClosedState(capacity=6), present=[FACILITATOR, 11]))
    assert "Press **Join** to take part." in (open_place.description or "")
    role = board_embed(state(closed=ClosedState(role_id=77, invite_only=True)))
    assert "<@&77>" in (role.description or "") and "ask the facilitator" in (
        role.description or ""
    )


def test_an_ended_session_thanks_everyone_and_has_no_buttons() -> None:
    ended = state(session=replace(session(), status="ended", ended_at=STARTED))
    embed = board_embed(ended)
    assert embed.description == "This session has ended. Thank you for being here."
    assert not embed.fields
    assert board_view(ended) is None


def test_the_boards_buttons_carry_their_action_and_session() -> None:
    view = board_view(state())
    assert view is not None and view.timeout is None
    ids = [item.custom_id for item in view.children if isinstance(item, BoardButton)]
    assert "chorus:board:join:1" in ids and "chorus:board:leave:1" in ids
    parsed = BoardButton.__discord_ui_compiled_template__.fullmatch("chorus:board:next:1")
    assert parsed is not None and parsed["action"] == "next" and parsed["session_id"] == "1"
