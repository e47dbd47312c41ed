"""A run's step state: one module parses and writes it (bot/core/step_state.py), states stored by
earlier versions read back as they were, and no other module of the bot reads it as raw JSON.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from bot.core.lyric_state import LastLine, TimedOut, WriteState
from bot.core.pools import ANOTHER_STATE
from bot.core.round_state import FLOOR_LEFT, FloorLeft, RoundState, RoundTurn
from bot.core.step_state import StepState
from bot.core.steps.listen import ListenState
from bot.core.steps.reflect import ReflectState
from bot.records.sessions import NewRun, NewSession, RunRecord
from bot.store.store import Store

ANA, BEN, CAI = 11, 12, 13
T = 1772366400.0

# Literal step states of today's shape, one per kind that keeps state, as runs already in
# databases hold them (written by `json.dumps` of the handler's dict plus the runner's keys).
ROUND = (
    '{"order": [11, 12, 13], "turns": [{"user": 11, "outcome": "pass"}], "speaker": 12, '
    '"turn_no": 2, "turn_deadline": 1772366460.0, "volunteer": false, "finished": false, '
    '"floor_left": {"user": 13, "turn_no": 1, "at": 1772366400.0, "where": "voice"}, '
    '"wake_at": 1772366460.0, "pools": {"0": {"question": 1}}}'
)
WRITE = (
    '{"lines": {"0": {"id": 7, "text": "the kettle sings", "fill": "", "author": 11, "syl": 5, '
    '"flags": []}}, "order": [11, 12], "turn": 12, "turn_no": 2, "turn_deadline": 1772366550.0, '
    '"last": {"id": 7, "pos": 0, "writer": 11}, "timeouts": [{"pos": 0, "turn_no": 1, '
    '"user": null, "at": 1772366450.0}], "wake_at": 1772366550.0}'
)
LISTEN = (
    '{"phase": "playing", "starts_at": 1772366405.0, "duration": 200, "started_at": 1772366405.0, '
    '"ends_at": 1772366605.0, "wake_at": 1772366605.0}'
)
LISTEN_PAUSED = (
    '{"phase": "countdown", "starts_at": 1772366405.0, "duration": 200, "wake_at": 1772366405.0, '
    '"_paused_wake_remaining": 4.0}'
)
REFLECT = '{"wake_at": null, "review": {"held": [3], "released": true, "posts": [555, 556]}}'
FORGOTTEN_ROUND = (
    '{"order": [12], "turns": [{"user": null, "outcome": "spoke"}], "speaker": null, '
    '"turn_no": 1, "turn_deadline": null, "volunteer": false, "finished": false, "wake_at": null}'
)
"""A round after /forget scrubbed the member who spoke first and has the floor now."""


def record(text: str) -> RunRecord:
    return RunRecord(1, 1, "a", "h", "{}", 0, T, None, None, None, text, None, "running", T, None)


@pytest.mark.parametrize("text", [ROUND, WRITE, LISTEN, LISTEN_PAUSED, REFLECT, FORGOTTEN_ROUND])
def test_a_stored_state_is_written_back_byte_for_byte(text: str) -> None:
    assert StepState.of(record(text)).text() == text


def test_a_round_state_of_today_s_shape_reads_typed() -> None:
    saved = StepState.of(record(ROUND))
    assert saved.wake_at == 1772366460.0 and saved.has_wake_at and saved.wake_remaining is None
    assert saved.draws(0) == {"question": 1} and saved.draws(1) == {}
    assert not saved.another_drawn
    state = saved.kind(RoundState)
    assert state == RoundState(
        order=(ANA, BEN, CAI),
        turns=(RoundTurn(ANA, "pass"),),
        speaker=BEN,
        turn_no=2,
        turn_deadline=1772366460.0,
        floor_left=FloorLeft(user=CAI, turn_no=1, at=1772366400.0, where="voice", told=False),
    )
    assert state.upcoming == [CAI] and state.had_turn == {ANA}
    assert state.answer_refusal(BEN) is None and state.answer_refusal(ANA) is not None


def test_a_forgotten_member_reads_as_nobody() -> None:
    state = StepState.of(record(FORGOTTEN_ROUND)).kind(RoundState)
    assert state.speaker is None and state.turns == () and state.upcoming == [BEN]


def test_a_mangled_state_reads_as_nobody_and_nothing_rather_than_failing() -> None:
    mangled = (
        '{"lines": {"0": "not a line", "x": {}, "1": {"id": 8, "text": "hums"}}, "order": null, '
        '"turn": "12", "last": {"id": 8}, "timeouts": [5], "turns": {"user": 1}, "away": 3, '
        '"floor_left": "gone", "phase": "loud", "review": []}'
    )
    saved = StepState.parse(mangled)
    assert saved.kind(WriteState) == WriteState(lines={1: {"id": 8, "text": "hums"}})
    assert saved.kind(RoundState) == RoundState()
    assert saved.kind(ListenState).phase == "after"
    assert saved.kind(ReflectState) == ReflectState()


def test_a_write_state_of_today_s_shape_reads_typed() -> None:
    state = StepState.of(record(WRITE)).kind(WriteState)
    assert state.lines == {
        0: {"id": 7, "text": "the kettle sings", "fill": "", "author": ANA, "syl": 5, "flags": []}
    }
    assert (state.order, state.turn, state.turn_no) == ((ANA, BEN), BEN, 2)
    assert state.turn_deadline == 1772366550.0
    assert state.last == LastLine(id=7, pos=0, writer=ANA)
    assert state.timeouts == (TimedOut(pos=0, turn_no=1, user=None, at=1772366450.0),)
    assert state.writer([ANA, BEN]) == BEN and state.writer([ANA, CAI]) == CAI  # BEN left
    assert state.rotation([CAI, ANA]) == [ANA, BEN, CAI]


def test_a_listen_state_of_today_s_shape_reads_typed_with_its_clock() -> None:
    playing = StepState.of(record(LISTEN)).kind(ListenState)
    assert (playing.phase, playing.duration, playing.ends_at) == ("playing", 200.0, 1772366605.0)
    assert playing.time_left(1772366505.0) == 100.0
    assert playing.piece_start() == 1772366405.0
    paused = StepState.of(record(LISTEN_PAUSED)).kind(ListenState)
    assert paused.phase == "countdown" and paused.wake_remaining == 4.0
    assert paused.time_left(T + 9999) == 204.0  # the frozen remainder, then the piece
    assert StepState().kind(ListenState).phase == "after"


def test_a_reflect_review_of_today_s_shape_reads_typed_and_is_stored_the_same() -> None:
    saved = StepState.of(record(REFLECT))
    review = saved.kind(ReflectState)
    assert review == ReflectState(held=(3,), released=True, posts=(555, 556))
    assert saved.with_values(review.stored()).text() == REFLECT
    assert StepState().kind(ReflectState) == ReflectState(held=(), released=False, posts=None)
    fresh = StepState.parse('{"wake_at": null}').with_values(ReflectState(held=(4,)).stored())
    assert fresh.text() == '{"wake_at": null, "review": {"held": [4], "released": false}}'


def test_changes_are_written_as_the_runner_wrote_them_before() -> None:
    """Another question and a told note: the same JSON as the dict the runner changed."""
    before = json.loads(ROUND)
    again = StepState.parse(ROUND).with_values({ANOTHER_STATE: True})
    assert again.text() == json.dumps({**before, ANOTHER_STATE: True})
    assert again.another_drawn
    told = StepState.parse(ROUND).with_note_told(FLOOR_LEFT)
    before[FLOOR_LEFT] = {**before[FLOOR_LEFT], "told": True}
    assert told.text() == json.dumps(before)
    assert told.kind(RoundState).floor_left == FloorLeft(CAI, 1, 1772366400.0, "voice", True)
    with pytest.raises(KeyError):
        StepState.parse(WRITE).with_note_told(FLOOR_LEFT)


@pytest.mark.parametrize("text", ["", "not json", "[1, 2]", "null"])
def test_a_corrupt_state_is_refused_where_it_is_acted_on_and_empty_where_shown(text: str) -> None:
    with pytest.raises(ValueError):
        StepState.of(record(text))
    assert StepState.shown(record(text)) == StepState()
    assert StepState.shown(record(text)).kind(RoundState) == RoundState()


async def test_states_in_a_database_read_back_and_a_change_keeps_the_rest(store: Store) -> None:
    """Rows written by earlier versions, on each engine: read back as stored, typed, and a
    change (a released review) written back leaves every other key as it was."""
    session = await store.sessions.create(
        NewSession(guild_id=1, channel_id=2, voice_channel_id=None, title="t", facilitator_id=9),
        T,
    )
    read: dict[str, StepState] = {}
    for text in (ROUND, WRITE, LISTEN, LISTEN_PAUSED, REFLECT):
        new = NewRun(session.id, "a", "h", "{}", None, step_state=text)
        run = await store.runs.create(new, T)
        fresh = await store.runs.get(run.id)
        assert fresh is not None
        read[text] = StepState.of(fresh)
        await store.runs.update(run.id, 0, state="finished", ended_at=T)
    assert [saved.text() for saved in read.values()] == list(read)
    assert read[REFLECT].kind(ReflectState).released
    assert read[WRITE].kind(WriteState).last == LastLine(id=7, pos=0, writer=ANA)
    reviewed = await store.runs.create(
        NewRun(session.id, "a", "h", "{}", None, step_state=ROUND), T
    )
    saved = StepState.of(reviewed).with_values(ReflectState(held=(5,)).stored())
    changed = await store.runs.update(reviewed.id, 0, step_state=saved.text())
    assert changed is not None
    again = await store.runs.get(reviewed.id)
    assert again is not None and json.loads(again.step_state) == {
        **json.loads(ROUND),
        "review": {"held": [5], "released": False},
    }
    assert StepState.of(again).kind(RoundState) == StepState.parse(ROUND).kind(RoundState)


# ---------------------------------------------------------------- no raw JSON elsewhere

BOT = Path(__file__).resolve().parents[2] / "bot"
OWNER = "bot/core/step_state.py"

_JSON_CALLS = frozenset({"loads", "dumps", "load", "dump"})


def _is_json_call(node: ast.AST, json_names: set[str]) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Attribute):
        return (
            func.attr in _JSON_CALLS
            and isinstance(func.value, ast.Name)
            and func.value.id == "json"
        )
    return isinstance(func, ast.Name) and func.id in json_names


def _names_step_state(node: ast.AST) -> bool:
    return (
        (isinstance(node, ast.Attribute) and node.attr == "step_state")
        or (isinstance(node, ast.keyword) and node.arg == "step_state")
        or (isinstance(node, ast.Name) and node.id == "step_state")
    )


def raw_step_state(source: str) -> list[str]:
    """The functions of `source` (qualified names; "<module>" for top-level code) that name a
    run's `step_state` and call `json.loads`/`json.dumps` (or one imported from json)."""
    tree = ast.parse(source)
    json_names = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "json"
        for alias in node.names
        if alias.name in _JSON_CALLS
    }
    found: list[str] = []

    def visit(scope: ast.AST, name: str) -> None:
        # The scope's own nodes; each function or class nested in it is a scope of its own.
        nodes: list[ast.AST] = []
        stack = list(ast.iter_child_nodes(scope))
        while stack:
            node = stack.pop()
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                visit(node, node.name if name == "<module>" else f"{name}.{node.name}")
                continue
            nodes.append(node)
            stack.extend(ast.iter_child_nodes(node))
        if any(_names_step_state(n) for n in nodes) and any(
            _is_json_call(n, json_names) for n in nodes
        ):
            found.append(name)

    visit(tree, "<module>")
    return sorted(found)


def raw_readers() -> set[tuple[str, str]]:
    """Every (module, function) of the bot outside the step-state module and the store that
    reads or writes a step state as raw JSON."""
    root = BOT.parent
    found: set[tuple[str, str]] = set()
    for path in sorted(BOT.rglob("*.py")):
        module = path.relative_to(root).as_posix()
        if module == OWNER or module.startswith("bot/store/"):
            continue
        for function in raw_step_state(path.read_text(encoding="utf-8")):
            found.add((module, function))
    return found


def test_the_scan_finds_raw_json_of_a_step_state() -> None:
    source = """
import json
from json import loads as parse

def fine(run):
    return StepState.of(run).kind(RoundState)

class Cog:
    async def reads(self, run):
        return json.loads(run.step_state).get("speaker")

    async def writes(self, store, state):
        await store.runs.update(1, 0, step_state=json.dumps(state))

    def aliased(self, run):
        def inner():
            return parse(run.step_state)
        return inner

    def other_json(self, run):
        return json.dumps({"id": run.id})
"""
    assert raw_step_state(source) == ["Cog.aliased.inner", "Cog.reads", "Cog.writes"]


def test_no_module_reads_a_step_state_as_raw_json() -> None:
    """Only bot/core/step_state.py (and the store, which keeps the text) parses or writes a
    run's step state; everyone else reads the typed `StepState` and their kind's state type."""
    assert sorted(raw_readers()) == []
