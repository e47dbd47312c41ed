"""A run's step state: the one place its stored JSON (`activity_runs.step_state`) is parsed and
written, and the typed view every reader outside a kind's own module gets of it.

The state is one JSON object. A few keys are the runner's, the same for every kind, and read
here (`StepState`): ``wake_at`` (the handler's timer, a UTC timestamp in seconds, or null),
``_paused_wake_remaining`` (seconds that timer had left when the run was paused), ``pools``
(the prompt-pool draws, ``{step index: {field path: drawn index}}``, `bot/core/pools.py`) and
``another_drawn`` (Another question was pressed in this step). The other keys are the kind's
own: its module declares their type next to its handler (``KIND = StepKind(...,
state=RoundState)`` in `bot/core/steps/round.py`) and readers ask for it by that type,
``StepState.of(run).kind(RoundState)``, so a renamed key is a change in one module, seen by
mypy everywhere else.

Why frozen dataclasses with a `read` of their own rather than pydantic models: the state is
written by handlers as plain JSON and then changed under them, field by field (/forget turns a
member's id into null or drops it from a list, an older version may have left a key out), so
every field is read leniently (a value that isn't of its type reads as its "nobody" or "none
yet") instead of refusing the whole state; a validating model would need a validator per field
to do the same. They also cost nothing to build on the hot paths (the board and the step card
read the state on every refresh), and what is written back is the JSON as it was with only the
changed keys replaced, so stored states stay byte-compatible with what earlier versions wrote.

Handlers keep working on plain mappings (`StepContext.state`); `StepState` wraps one without
copying it. Nothing else in `bot/` parses or writes the JSON (the store keeps the text):
`tests/core/test_step_state.py` scans for `json.loads`/`json.dumps` of a step state.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Protocol, Self, TypeVar

from bot.core.pools import ANOTHER_STATE, draws_for
from bot.records.sessions import RunRecord

WAKE_AT = "wake_at"
"""Step-state key: the handler's own timer (UTC timestamp in seconds), or null."""
WAKE_REMAINING = "_paused_wake_remaining"
"""Step-state key: seconds the handler's timer had left when the run was paused."""


class KindState(Protocol):
    """A kind's own part of the step state, as its module declares it (`StepKind.state`)."""

    @classmethod
    def read(cls, state: Mapping[str, Any]) -> Self:
        """The kind's fields from a whole step state (the parsed JSON object); never raises:
        a missing or mistyped value reads as its default."""
        ...


KindT = TypeVar("KindT", bound=KindState)

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def as_number(value: Any) -> float | None:
    """A JSON number as a float (a timestamp or a span in seconds), None for anything else."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def as_member(value: Any) -> int | None:
    """A member id (a JSON integer), None for anything else (/forget leaves null)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def as_members(value: Any) -> tuple[int, ...]:
    """The member ids in a JSON list, in order; whatever isn't an id is left out."""
    if not isinstance(value, list):
        return ()
    return tuple(uid for item in value if (uid := as_member(item)) is not None)


def as_count(value: Any, default: int = 0) -> int:
    """A JSON integer (a count, a position), `default` for anything else."""
    return value if isinstance(value, int) and not isinstance(value, bool) else default


@dataclass(frozen=True, slots=True)
class StepState:
    """One run's step state: the runner's keys typed, the kind's through `kind`.

    `values` is the JSON object as stored (read only; `with_values` makes a changed copy)."""

    values: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    @classmethod
    def parse(cls, text: str) -> StepState:
        """The state stored as `text`. Raises ValueError (json.JSONDecodeError is one) when the
        text is not a JSON object: a corrupt row."""
        loaded = json.loads(text)
        if not isinstance(loaded, dict):
            raise ValueError("a run's step state is a JSON object")
        return cls(loaded)

    @classmethod
    def of(cls, run: RunRecord) -> StepState:
        """The run's step state. Raises ValueError for a corrupt row (see `parse`)."""
        return cls.parse(run.step_state)

    @classmethod
    def shown(cls, run: RunRecord) -> StepState:
        """The run's step state for what is only shown (a card, the board): an empty state for
        a corrupt row, so a card is never refused for it."""
        try:
            return cls.parse(run.step_state or "{}")
        except ValueError:
            return cls()

    def text(self) -> str:
        """The JSON to store: keys in the order they were, as `json.dumps` writes a dict."""
        return json.dumps(dict(self.values))

    def with_values(self, changes: Mapping[str, Any]) -> StepState:
        """A copy with `changes` set (a key already there keeps its place in the JSON)."""
        return StepState({**self.values, **changes})

    def without(self, *keys: str) -> StepState:
        """A copy with `keys` left out (a key not there is no error)."""
        return StepState({k: v for k, v in self.values.items() if k not in keys})

    def kind(self, state_type: type[KindT]) -> KindT:
        """The kind's own part of the state as its module types it, e.g. `RoundState`."""
        return state_type.read(self.values)

    # ------------------------------------------------------------ the runner's keys

    @property
    def wake_at(self) -> float | None:
        """The handler's timer (UTC timestamp in seconds), None when it has none."""
        return as_number(self.values.get(WAKE_AT))

    @property
    def has_wake_at(self) -> bool:
        """The state says what the handler's timer is (null included): the runner saved it.
        A state a handler made and the runner hasn't saved yet lacks the key."""
        return WAKE_AT in self.values

    @property
    def wake_remaining(self) -> float | None:
        """Seconds the handler's timer had left when the run was paused; None while running."""
        return as_number(self.values.get(WAKE_REMAINING))

    @property
    def another_drawn(self) -> bool:
        """The facilitator pressed Another question in this step (it works once per step)."""
        return bool(self.values.get(ANOTHER_STATE))

    def draws(self, step_index: int) -> dict[str, int]:
        """The prompt-pool draws of step `step_index`: field path -> drawn alternative."""
        return draws_for(self.values, step_index)

    def note(self, key: str) -> Mapping[str, Any] | None:
        """A note a handler left under `key` (a JSON object, e.g. a round's `floor_left`), None
        when there is none."""
        found = self.values.get(key)
        return found if isinstance(found, Mapping) else None

    def with_note_told(self, key: str) -> StepState:
        """A copy whose note under `key` is marked ``"told": true`` (see `Runner.claim_note`).
        Raises KeyError when there is no note under `key`."""
        found = self.note(key)
        if found is None:
            raise KeyError(key)
        return self.with_values({key: {**found, "told": True}})
