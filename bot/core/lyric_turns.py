"""Whose turn it is to write: the rotation over the members present, the next writer after the
current one, and the refusal for a member out of turn. Member ids are ints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from bot.core.errors import Conflict
from bot.i18n import N_

if TYPE_CHECKING:
    # Annotations only: the write step's module imports these rules for its handler.
    from bot.core.steps.write import WriteStep


# ------------------------------------------------------------------ turns


def rotation(state: Mapping[str, Any], present: Sequence[int]) -> list[int]:
    """Everyone in the turn order: join order, newcomers appended at the end."""
    return rotation_of([int(u) for u in state.get("order", [])], present)


def rotation_of(order: Sequence[int], present: Sequence[int]) -> list[int]:
    """`rotation` from the stored order itself."""
    return [*order, *(u for u in present if u not in order)]


def next_after(order: Sequence[int], present: Sequence[int], current: int | None) -> int | None:
    """The next present member after `current` in the order, wrapping round; skips leavers."""
    here = set(present)
    if not order or not here:
        return None
    start = order.index(current) + 1 if current in order else 0
    for offset in range(len(order)):
        candidate = order[(start + offset) % len(order)]
        if candidate in here:
            return candidate
    return None


def current_writer(state: Mapping[str, Any], present: Sequence[int]) -> int | None:
    """Whose turn it is now: the stored writer, or the next one if they have left."""
    turn = state.get("turn")
    return writer_of(
        [int(u) for u in state.get("order", [])], turn if isinstance(turn, int) else None, present
    )


def writer_of(order: Sequence[int], turn: int | None, present: Sequence[int]) -> int | None:
    """`current_writer` from the stored order and turn (None: nobody's, or /forget took it)."""
    if turn is not None and turn in present:
        return turn
    everyone = rotation_of(order, present)
    if turn is not None and turn in everyone:
        return next_after(everyone, present, turn)
    return next_after(everyone, present, None)


def takes_turns(step: WriteStep) -> bool:
    """Whether members write in turn (round robin or hidden) rather than whenever they like (open)."""
    return step.turns in ("round_robin", "hidden")


def turn_refusal(step: WriteStep, writer: int, in_circle: bool) -> Conflict:
    """Why someone may not write now; an anonymous song never says whose turn it is."""
    if step.anonymous:
        if in_circle:
            return Conflict(
                N_(
                    "Someone else is writing at the moment. Your turn will come; I'll tell you "
                    "privately when it does."
                )
            )
        return Conflict(
            N_("Someone else is writing at the moment. Join the session to take a turn.")
        )
    if in_circle:
        return Conflict(
            N_(
                "It's {member}'s turn to write at the moment. You're in the circle and your turn "
                "will come; I'll mention you when it does."
            ),
            member=f"<@{writer}>",
        )
    return Conflict(
        N_("It's {member}'s turn to write at the moment. Join the session to take a turn."),
        member=f"<@{writer}>",
    )
