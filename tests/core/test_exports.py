"""A member's data as CSV and chart figures (bot/core/exports.py), read from a real store."""

from __future__ import annotations

import csv
import io

from bot.core.exports import CSV_COLUMNS, MemberExports, cell_text, csv_rows
from bot.records.checkin_schedules import NewCheckinSchedule
from bot.store.store import Store
from tests.factories import save_checkin

GUILD, ANA, BEN = 1, 7, 8
MAY_28 = 1_780_000_000.0  # 2026-05-28 20:26:40 UTC


async def checkin(store: Store, user_id: int, value: int | None, at: float) -> int:
    return await save_checkin(store, user_id, value, at, guild_id=GUILD, scale="1-5")


def test_text_a_spreadsheet_would_run_is_kept_as_text() -> None:
    for formula in ("=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "\tx"):
        assert cell_text(formula) == "'" + formula
    assert cell_text("fine = fine") == "fine = fine"


async def test_the_csv_has_only_the_members_rows_on_their_clock(store: Store) -> None:
    exports = MemberExports(store)
    later = await checkin(store, ANA, 5, MAY_28 + 60)
    await checkin(store, ANA, 2, MAY_28)
    await checkin(store, BEN, 4, MAY_28)
    await store.checkins.set_note(later, "=cmd|' /C calc'!A0")

    data, count = await exports.csv(GUILD, ANA, "Europe/Berlin")
    assert data.startswith(b"\xef\xbb\xbf") and count == 2  # a BOM; ben's row isn't there
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [row["value"] for row in rows] == ["2", "5"]  # oldest first
    assert rows[0]["local_time"] == "2026-05-28T22:26:40+02:00"
    assert rows[0]["utc_time"] == "2026-05-28T20:26:40+00:00"
    assert rows[1]["note"] == "'=cmd|' /C calc'!A0"


async def test_the_timezone_is_the_members_own_schedule_else_the_servers(store: Store) -> None:
    exports = MemberExports(store)
    assert await exports.member_timezone(GUILD, ANA, "UTC") == "UTC"
    await store.checkin_schedules.put(
        GUILD,
        ANA,
        NewCheckinSchedule(
            days=1,
            minute=540,
            timezone="America/Lima",
            scale="1-5",
            language=None,
            paused_until=None,
            next_send_at=MAY_28,
        ),
        MAY_28,
    )
    assert await exports.member_timezone(GUILD, ANA, "UTC") == "America/Lima"


async def test_summary_figures_put_checkins_on_ten_and_count_passes(store: Store) -> None:
    await checkin(store, ANA, 5, MAY_28 + 60)
    await checkin(store, ANA, 1, MAY_28)
    await checkin(store, ANA, None, MAY_28 + 120)
    figures = await MemberExports(store).summary(GUILD, ANA)
    assert figures.checkins == [(MAY_28, 0.0), (MAY_28 + 60, 10.0)]
    assert figures.passes == 1 and figures.goals == {}


def test_each_kind_of_row_fills_its_own_cells() -> None:
    checkin = {"id": 1, "created_at": MAY_28, "session_id": 3, "session_title": "Circle"}
    checkin |= {"scale": "sam", "phase": "before", "value": 4, "value2": 2, "note": None}
    checkin |= {"passed": 0, "shared": 1}
    rating: dict[str, object] = {
        "created_at": MAY_28 + 1,
        "session_id": None,
        "session_title": None,
    }
    rating |= {"value": None, "goal_text": "Sleep"}
    contribution = {"created_at": MAY_28 + 2, "session_id": 3, "activity_id": "warmup"}
    contribution |= {"step_index": 0, "kind": "line", "payload": {"text": "hi"}}
    data = {"checkins": [checkin], "goal_ratings": [rating], "contributions": [contribution]}
    data["checkin_tags"] = [{"checkin_id": 1, "tag": "slept badly"}]

    rows = csv_rows(data, "UTC")

    filled = [{k: v for k, v in row.items() if v and k not in _CLOCK} for row in rows]
    assert filled == [
        {"record": "checkin", "session_id": "3", "session_title": "Circle", "scale": "sam"}
        | {"phase": "before", "value": "4", "value2": "2", "passed": "no"}
        | {"tags": "slept badly", "shared": "yes"},
        {"record": "goal_rating", "scale": "1-5", "passed": "yes", "goal": "Sleep"},
        {"record": "contribution", "session_id": "3", "activity": "warmup", "step": "0"}
        | {"contribution_kind": "line", "payload": '{"text": "hi"}'},
    ]


_CLOCK = ("local_time", "timezone", "utc_time")
