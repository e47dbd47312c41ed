"""What the runner keeps in memory per live run (bot/core/run_memory.py): shared definitions, the
step as shown, the parsed step state, and nothing once a run ends."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from bot.core.activities import Activity
from bot.core.run_memory import DEFINITIONS_KEPT, RunMemory, SessionFacts
from bot.core.steps.reflect import ReflectStep
from bot.records.sessions import RunRecord

QUESTIONS = ["What stayed with you?", "What surprised you?", "What will you take home?"]


def activity(version: int = 1) -> Activity:
    return Activity.model_validate(
        {
            "id": "memory-test",
            "title": "Memory test",
            "summary": "s",
            "version": version,
            "duration_minutes": 5,
            "version_hash": f"v{version}",
            "steps": [
                {"type": "prompt", "title": "Read", "text": "hello"},
                {"type": "reflect", "title": "Look back", "question": {"pool": QUESTIONS}},
            ],
        }
    )


def run(
    run_id: int, text: str, step_state: dict[str, Any] | None = None, **fields: Any
) -> RunRecord:
    record = RunRecord(
        id=run_id,
        session_id=100 + run_id,
        activity_id="memory-test",
        version_hash="v1",
        # A fresh copy, as each row read from the store is.
        definition="".join(list(text)),
        step_index=0,
        step_started_at=0.0,
        step_deadline=None,
        paused_remaining=None,
        step_message_id=None,
        step_state=json.dumps(step_state or {}),
        wake_at=None,
        state="running",
        started_at=0.0,
        ended_at=None,
    )
    return dataclasses.replace(record, **fields) if fields else record


def test_runs_of_one_version_share_the_definition_and_its_text() -> None:
    memory = RunMemory()
    text = activity().model_dump_json()
    first, second = run(1, text), run(2, text)
    assert first.definition is second.definition, "records share one copy of the text"
    assert memory.definition(first) is memory.definition(second)
    assert memory.definition(first).activity == activity()
    assert memory.definition(first).pooled == (False, True)
    assert len(memory) == 2 and memory.definitions_held == 1


def test_a_catalogue_activity_is_dumped_once_and_adopted_without_parsing() -> None:
    memory = RunMemory()
    shipped = activity()
    definition = memory.definition_of(shipped)
    assert memory.definition_of(shipped) is definition
    assert definition.text == shipped.model_dump_json() and definition.activity is shipped
    started = run(1, definition.text)
    memory.adopt(started, definition)
    assert memory.definition(started) is definition
    assert memory.definition(run(2, definition.text)) is definition  # read back: not parsed again


def test_the_step_as_shown_follows_the_draws_in_the_step_state() -> None:
    memory = RunMemory()
    text = activity().model_dump_json()
    drawn = run(1, text, {"pools": {"1": {"question": 2}}})
    shown = memory.step_at(drawn, 1)
    assert shown.question == QUESTIONS[2]
    assert memory.step_at(drawn, 1) is shown, "kept while the step state is unchanged"
    again = dataclasses.replace(drawn, step_state=json.dumps({"pools": {"1": {"question": 0}}}))
    assert memory.step_at(again, 1).question == QUESTIONS[0]
    kept = memory.definition(drawn).activity.steps[1]
    assert isinstance(kept, ReflectStep) and kept.question != QUESTIONS[0]  # left as it was


def test_the_step_state_is_parsed_once_per_change() -> None:
    memory = RunMemory()
    text = activity().model_dump_json()
    first = run(1, text, {"turn": 3})
    parsed = memory.state(first)
    assert parsed == {"turn": 3} and memory.state(first) is parsed
    changed = dataclasses.replace(first, step_state=json.dumps({"turn": 4}))
    assert memory.state(changed) == {"turn": 4}


def test_an_ended_run_is_looked_up_without_being_kept() -> None:
    memory = RunMemory()
    ended = run(1, activity().model_dump_json(), state="finished")
    assert memory.step_at(ended, 0).title == "Read"
    assert memory.state(ended) == {}
    assert memory.definition(ended).activity == activity()
    assert len(memory) == 0


def test_a_run_read_as_ended_elsewhere_is_dropped_and_a_session_takes_its_runs() -> None:
    """Another process ended the run: the first read of its ended row here drops the entry;
    an ended session drops its runs and facts."""
    memory = RunMemory()
    text = activity().model_dump_json()
    live, other = run(1, text), run(2, text)
    memory.state(live), memory.state(other)
    memory.remember_session(live.session_id, SessionFacts(facilitator_id=9, guild_id=1))
    assert memory.held() == {1: live.session_id, 2: other.session_id}
    assert memory.step_at(dataclasses.replace(live, state="stopped"), 0).title == "Read"
    assert memory.held() == {2: other.session_id} and memory.sessions_held == 0
    assert memory.forget_session(other.session_id) == [2]
    assert len(memory) == 0


def test_a_run_that_ends_is_forgotten_with_its_session_and_unused_versions() -> None:
    memory = RunMemory()
    live = run(1, activity(1).model_dump_json())
    memory.definition(live)
    memory.remember_session(live.session_id, SessionFacts(facilitator_id=9, guild_id=1))
    for version in range(2, DEFINITIONS_KEPT + 3):  # more versions than are kept without runs
        older = run(version, activity(version).model_dump_json())
        memory.definition(older)
        memory.forget_run(older.id, older.session_id)
    assert len(memory) == 1 and memory.session(live.session_id) is not None
    assert memory.definitions_held <= DEFINITIONS_KEPT
    assert memory.definition(live).activity == activity(1)  # the live run's version stays
    memory.forget_run(live.id, live.session_id)
    assert len(memory) == 0 and memory.sessions_held == 0


def test_forget_member_drops_what_may_name_them() -> None:
    memory = RunMemory()
    text = activity().model_dump_json()
    first = run(1, text, {"order": [5, 6]})
    memory.remember_session(101, SessionFacts(facilitator_id=5, guild_id=1))
    memory.remember_session(102, SessionFacts(facilitator_id=9, guild_id=1))
    kept = memory.state(first)
    memory.forget_member(5)
    assert memory.session(101) is None and memory.session(102) is not None
    # Parsed again from the row (anonymised by then), not served from memory.
    anonymised = dataclasses.replace(first, step_state=json.dumps({"order": [6]}))
    assert memory.state(anonymised) == {"order": [6]} and memory.state(first) is not kept
