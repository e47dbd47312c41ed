"""What the runner keeps in memory for its live runs: their definitions (one per activity version,
shared by every run of it), the step as shown and the parsed step state of each run, and a few
facts per session. Everything here is recomputed from the store when missing, so an entry is
dropped as soon as its run ends (and all of them on /forget): ended here, or by another process
on the same database (the runner hears it, or sees it on its next read of the run).

Measured with 1,000 sessions running an activity (bench/memory.py): without the sharing, each run
held its own copy of the definition text (5.3 KB for the shipped check-in activity).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from bot.core.activities import Activity
from bot.core.pools import pooled_fields, resolve
from bot.core.step_state import StepState
from bot.gc_tuning import set_up
from bot.records.sessions import RunRecord

DEFINITIONS_KEPT = 64
"""Activity versions kept without a live run (a sweep drops the rest when a run ends)."""

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Definition:
    """One activity version as every run of it shares it."""

    activity: Activity
    text: str
    """The stored JSON of the activity (`activity_runs.definition`)."""
    pooled: tuple[bool, ...]
    """Per step index: the step has pooled texts (drawn per run when it starts)."""

    @classmethod
    def of(cls, activity: Activity, text: str) -> Definition:
        """The shared definition of `activity` stored as `text` (its JSON), with which steps have
        pooled texts."""
        return cls(activity, text, tuple(bool(pooled_fields(step)) for step in activity.steps))


@dataclass(frozen=True, slots=True)
class SessionFacts:
    """What a run's context needs about its session, looked up once per live run."""

    facilitator_id: int | None
    guild_id: int


@dataclass(slots=True)
class _Run:
    """One live run: its shared definition and what was parsed from its row last."""

    definition: Definition
    session_id: int
    state_from: str | None = None
    """The `step_state` text `state` was parsed from."""
    state: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    shown_index: int = -1
    shown_from: str | None = None
    """The `step_state` text the shown step's pools were drawn from."""
    shown: Any = None


class RunMemory:
    """Per-run and per-session caches of the runner, bounded by the live runs.

    Keys: run ids and session ids (store ids). Nothing here is a source of truth: each value is
    parsed or looked up again when it is missing.
    """

    def __init__(self) -> None:
        self._runs: dict[int, _Run] = {}
        self._by_text: dict[str, Definition] = {}
        self._by_activity: dict[int, tuple[Activity, Definition]] = {}
        """id(activity) -> (the activity, kept so its id stays unique; its definition)."""
        self._sessions: dict[int, SessionFacts] = {}

    # ------------------------------------------------------------ definitions

    def definition_of(self, activity: Activity) -> Definition:
        """The shared definition of a catalogue activity, its JSON dumped once per version."""
        known = self._by_activity.get(id(activity))
        if known is not None:
            return known[1]
        text = activity.model_dump_json()
        found = self._by_text.setdefault(text, Definition.of(activity, text))
        self._by_activity[id(activity)] = (activity, found)
        return found

    def _parsed(self, text: str) -> Definition:
        found = self._by_text.get(text)
        if found is None:
            found = Definition.of(Activity.model_validate_json(text), text)
            self._by_text[text] = found
        return found

    def adopt(self, run: RunRecord, definition: Definition) -> None:
        """A run that just started with `definition` (no need to parse its stored text)."""
        self._runs[run.id] = _Run(definition, run.session_id)
        set_up()  # its objects live as long as the run: the collector settles them (gc_tuning)

    def _entry(self, run: RunRecord) -> _Run | None:
        """The run's entry; created for live runs only (an ended run's lookups keep nothing,
        and an entry kept for a run read as ended, e.g. ended by another process, goes)."""
        entry = self._runs.get(run.id)
        if not run.live:
            if entry is not None:
                self.forget_run(run.id, run.session_id)
            return None
        if entry is None:
            entry = self._runs[run.id] = _Run(self._parsed(run.definition), run.session_id)
            set_up()  # resumed or adopted from another process: long-lived, as in `adopt`
        return entry

    def held(self) -> dict[int, int]:
        """The runs held now: run id -> its session id."""
        return {run_id: entry.session_id for run_id, entry in self._runs.items()}

    def definition(self, run: RunRecord) -> Definition:
        """The activity as it was when the run started (a reload never changes a running one).

        Raises pydantic.ValidationError when the stored text is not a valid activity."""
        entry = self._entry(run)
        return entry.definition if entry is not None else self._parsed(run.definition)

    def step_at(self, run: RunRecord, step_index: int) -> Any:
        """Step `step_index` of the run as shown: its pooled texts replaced by the ones drawn
        (kept in the run's step state). Raises IndexError for a `step_index` past the last
        step."""
        entry = self._entry(run)
        if (
            entry is not None
            and entry.shown_index == step_index
            and entry.shown_from == run.step_state
        ):
            return entry.shown
        definition = entry.definition if entry is not None else self._parsed(run.definition)
        step = definition.activity.steps[step_index]
        if definition.pooled[step_index]:
            step = resolve(step, StepState.of(run).draws(step_index))
        if entry is not None:
            entry.shown_index, entry.shown_from, entry.shown = step_index, run.step_state, step
            set_up()  # a step posted: its run's new row and shown step live as long as it
        return step

    def state(self, run: RunRecord) -> Mapping[str, Any]:
        """The run's step state (`StepState.values`), parsed once per change. Handlers only
        read it (they return a new state in their Wake). Raises ValueError for a corrupt row."""
        entry = self._entry(run)
        if entry is None:
            return StepState.of(run).values
        if entry.state_from != run.step_state:
            entry.state, entry.state_from = StepState.of(run).values, run.step_state
        return entry.state

    # --------------------------------------------------------------- sessions

    def session(self, session_id: int) -> SessionFacts | None:
        """What was looked up about the session, None when not (or no longer) kept."""
        return self._sessions.get(session_id)

    def remember_session(self, session_id: int, facts: SessionFacts) -> None:
        """Keep the session's facts until its run ends (or /forget names its facilitator)."""
        self._sessions[session_id] = facts

    # --------------------------------------------------------------- forgetting

    def forget_run(self, run_id: int, session_id: int) -> None:
        """The run ended: its entries go (and definitions no live run uses, past a few)."""
        self._runs.pop(run_id, None)
        self._sessions.pop(session_id, None)
        if max(len(self._by_text), len(self._by_activity)) > DEFINITIONS_KEPT:
            used = {id(entry.definition) for entry in self._runs.values()}
            self._by_text = {t: d for t, d in self._by_text.items() if id(d) in used}
            self._by_activity = {
                key: known for key, known in self._by_activity.items() if id(known[1]) in used
            }

    def forget_session(self, session_id: int) -> list[int]:
        """The session ended (or has no live run any more): its runs' entries and its facts go.
        Returns the ids of the runs dropped."""
        gone = [run_id for run_id, held in self.held().items() if held == session_id]
        for run_id in gone:
            self.forget_run(run_id, session_id)
        self._sessions.pop(session_id, None)
        return gone

    def forget_member(self, user_id: int) -> None:
        """/forget: session facts naming the member as facilitator go, and every parsed step
        state and shown step (they may name the member: a song's authors, a round's order) is
        parsed again from the anonymised rows on next use."""
        for session_id, facts in list(self._sessions.items()):
            if facts.facilitator_id == user_id:
                del self._sessions[session_id]
        for entry in self._runs.values():
            entry.state_from, entry.state = None, _EMPTY
            entry.shown_index, entry.shown_from, entry.shown = -1, None, None

    def __len__(self) -> int:
        """Live runs held."""
        return len(self._runs)

    @property
    def sessions_held(self) -> int:
        """How many sessions have an entry in memory now."""
        return len(self._sessions)

    @property
    def definitions_held(self) -> int:
        """How many distinct activity definitions are held now, shared by their runs."""
        return len(self._by_text)
