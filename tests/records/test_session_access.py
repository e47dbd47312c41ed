"""Closed sessions' records: what counts as a limit, and an edit that changes nothing."""

from __future__ import annotations

from bot.records.session_access import LimitChanges, SessionLimits


def test_a_session_is_closed_by_any_one_limit() -> None:
    assert not SessionLimits().closed
    assert SessionLimits(capacity=8).closed
    assert SessionLimits(role_id=5).closed
    assert SessionLimits(invite_only=True).closed


def test_an_edit_of_the_limits_is_empty_only_when_it_changes_nothing() -> None:
    assert LimitChanges().empty
    assert not LimitChanges(capacity=0).empty  # 0 removes the cap: a change
    assert not LimitChanges(invite_only=False).empty
