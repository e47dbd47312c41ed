"""The demo shows a closed session: its simulated members press Join on a group of 3 places,
three get in and the fourth waits in line; when one leaves, the next moves up, told privately."""

from __future__ import annotations

from pathlib import Path

from tests.demo.test_script import scripted


async def test_the_demo_members_fill_a_closed_group_and_one_moves_up(tmp_path: Path) -> None:
    report, _, errors = await scripted(tmp_path, activities=("anonymous-reflection",))
    assert not errors, errors
    assert len(report.closed) == 2, report.closed
    full, after = report.closed
    assert "Friday group" in full
    assert "3 of 3 places taken" in full and "1 waiting for a place" in full, full
    assert "3 of 3 places taken" in after and "Waitlist" not in after, after
