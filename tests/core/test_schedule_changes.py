"""What an edit of a scheduled session writes: the series' columns and the new start, read in the
right zone; refusals for what can't be changed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.errors import InvalidInput, NotFound
from bot.core.schedule_changes import Changes, changed_fields, changed_meanwhile
from bot.records.schedule import OccurrenceRecord, SeriesRecord
from bot.records.session_access import LimitChanges

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
START = datetime(2026, 3, 6, 17, 0, tzinfo=UTC).timestamp()  # Friday 18:00 in Berlin
SERIES = SeriesRecord(
    id=1,
    guild_id=5,
    channel_id=6,
    voice_channel_id=None,
    facilitator_id=7,
    title="Circle",
    plan=None,
    duration_minutes=60,
    repeat="weekly",
    timezone="Europe/Berlin",
    anchor_local="2026-02-27T18:00:00",
    anchor_seq=0,
    active=True,
    created_at=0.0,
)
OCCURRENCE = OccurrenceRecord(
    id=11,
    series_id=1,
    guild_id=5,
    seq=1,
    starts_at=START,
    ends_at=START + 3600,
    event_id=None,
    status="scheduled",
    session_id=None,
    start_message_id=None,
    opened_at=None,
    reminders_until=0.0,
    ended_at=None,
    created_at=0.0,
)


def known_plan(plan: str) -> str | None:
    if plan == "unknown":
        raise NotFound("no such activity")
    return plan or None


def fields_for(
    changes: Changes, server_timezone: str = "Europe/Berlin"
) -> tuple[dict[str, object], float]:
    return changed_fields(
        changes,
        SERIES,
        OCCURRENCE,
        check_plan=known_plan,
        now=NOW,
        server_timezone=server_timezone,
    )


def test_changes_know_when_they_are_empty() -> None:
    assert Changes().empty and not Changes().times_or_fields
    limits_only = Changes(limits=LimitChanges(capacity=4))
    assert not limits_only.empty and not limits_only.times_or_fields
    assert Changes(title="New").times_or_fields


def test_fields_without_a_new_time_keep_the_start() -> None:
    fields, starts_at = fields_for(Changes(title="  New   circle ", plan="", duration_minutes=90))
    assert fields == {"title": "New circle", "plan": None, "duration_minutes": 90}
    assert starts_at == START


def test_a_new_time_is_read_in_the_servers_zone_and_reanchors_the_series() -> None:
    fields, starts_at = fields_for(Changes(when="thursday 19:30"), server_timezone="UTC")
    assert datetime.fromtimestamp(starts_at, UTC) == datetime(2026, 3, 5, 19, 30, tzinfo=UTC)
    assert fields == {
        "timezone": "UTC",
        "anchor_local": "2026-03-05T19:30:00",
        "anchor_seq": OCCURRENCE.seq,
    }


def test_a_new_rule_alone_keeps_the_series_zone_and_start() -> None:
    fields, starts_at = fields_for(Changes(repeat="monthly"), server_timezone="UTC")
    assert starts_at == START
    assert fields["repeat"] == "monthly" and fields["timezone"] == "Europe/Berlin"
    assert fields["anchor_local"] == "2026-03-06T18:00:00"


def test_refusals_come_from_the_time_and_the_plan() -> None:
    with pytest.raises(InvalidInput, match="already passed"):
        fields_for(Changes(when="2026-03-01 10:00"))
    with pytest.raises(NotFound):
        fields_for(Changes(plan="unknown"))
    refusal = changed_meanwhile(11)
    assert "#11" in refusal.text("en") and "try again" in refusal.text("en")
