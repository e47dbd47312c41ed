"""The reply-time report of the Discord-limits plugin: its percentile and the opt-in failure."""

from __future__ import annotations

import pytest

from tests.discord_limits import FAIL_SLOW_REPLIES, Ledger, percentile


def test_nearest_rank_percentile() -> None:
    walls = [float(n) for n in range(1, 101)]  # 1..100
    assert percentile(walls, 0.5) == 50.0
    assert percentile(walls, 0.99) == 99.0
    assert percentile(walls, 1.0) == 100.0
    assert percentile([0.2], 0.99) == 0.2
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0


def _ledger() -> Ledger:
    ledger = Ledger()
    ledger.first_responses += [
        (0.05, 0.01, 0.0, "tests/a.py::fast", "/checkin"),
        (1.4, 0.9, 0.3, "tests/a.py::slow", "/song"),
    ]
    return ledger


def test_a_reply_over_1_s_fails_its_test_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(FAIL_SLOW_REPLIES, raising=False)
    assert _ledger().reported("tests/a.py::slow") == []
    monkeypatch.setenv(FAIL_SLOW_REPLIES, "1")
    ledger = _ledger()
    assert ledger.reported("tests/a.py::fast") == []
    (problem,) = ledger.reported("tests/a.py::slow")
    assert problem == (
        "/song: first response after 1400 ms wall (900 ms CPU, 300 ms GC), over the 1000 ms budget"
    )
