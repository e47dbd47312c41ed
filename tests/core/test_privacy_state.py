"""Step state after /forget took a member's id out of it (bot.store.privacy.scrub_id): the
write step carries on sensibly without them, whatever they were doing."""

from __future__ import annotations

from typing import Any

from bot.core.lyric_turns import current_writer, rotation
from bot.core.steps import StepContext
from bot.core.steps.write import WriteHandler, WriteStep
from bot.store.json_scrub import scrub_id
from tests.core.test_lyrics import run_record, write_step

ANA, BEN, CAI = 1456074443980800021, 1456074443980800022, 1456074443980800023


def context(state: dict[str, Any], present: list[int], now: float) -> StepContext[WriteStep]:
    return StepContext(
        run=run_record(state),
        step=write_step(),
        present=present,
        now=now,
        state=state,
        language="en",
    )


def test_a_forgotten_writer_on_their_turn_times_nobody_out() -> None:
    handler = WriteHandler()
    entered = handler.enter(context({}, [ANA, BEN, CAI], 0.0))
    state = dict(entered.state)
    assert state["turn"] == ANA and state["order"] == [ANA, BEN, CAI]

    scrubbed, hit = scrub_id(state, ANA)
    assert hit and scrubbed["turn"] is None and scrubbed["order"] == [BEN, CAI]
    present = [BEN, CAI]
    assert current_writer(scrubbed, present) == BEN  # ben may write at once

    # ana's turn timer fires: no timeout is recorded for anyone, ben gets a whole turn.
    woke = handler.on_wake(context(scrubbed, present, 60.0))
    assert woke.state["timeouts"] == []
    assert woke.state["turn"] == BEN and woke.at == 120.0
    assert rotation(woke.state, present) == [BEN, CAI]
    assert str(ANA) not in str(woke.state)


def test_a_turn_that_really_ran_out_is_still_recorded() -> None:
    handler = WriteHandler()
    state = dict(handler.enter(context({}, [ANA, BEN, CAI], 0.0)).state)
    woke = handler.on_wake(context(state, [ANA, BEN, CAI], 60.0))
    assert [t["user"] for t in woke.state["timeouts"]] == [ANA]
    assert woke.state["turn"] == BEN
