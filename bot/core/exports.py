"""A member's own data to take elsewhere: /mydata as CSV, and the figures of their summary chart.

Built from the same export as /mydata's JSON (`PrivacyRepository.export`), so the three formats
can't disagree. Times are shown on the member's own clock: the time zone of their check-in
schedule if they have one, else the server's.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.checkins import to_ten
from bot.store.store import Store

CSV_COLUMNS = (
    "record",
    "local_time",
    "timezone",
    "utc_time",
    "session_id",
    "session_title",
    "scale",
    "phase",
    "value",
    "value2",
    "passed",
    "note",
    "tags",
    "shared",
    "goal",
    "activity",
    "step",
    "contribution_kind",
    "payload",
)
"""`record` is checkin, goal_rating or contribution; columns that don't apply stay empty. `tags`
holds a check-in's own tags in one cell, joined with "; " (alphabetical, as /mydata's JSON)."""

# A spreadsheet runs a cell starting with one of these as a formula: such text is written with a
# leading apostrophe (OWASP "CSV injection"), which spreadsheets show as the text itself.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(text: str) -> str:
    """Member text made safe to open in a spreadsheet (see _FORMULA_START)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _times(ts: float, tz: ZoneInfo) -> tuple[str, str]:
    at = datetime.fromtimestamp(ts, UTC)
    return at.astimezone(tz).isoformat(timespec="seconds"), at.isoformat(timespec="seconds")


def _text(value: Any) -> str:
    return "" if value is None else cell_text(str(value))


def _cells(item: dict[str, Any], *keys: str) -> dict[str, str]:
    # The cells whose CSV column is named as the export's key, as text.
    return {key: _text(item[key]) for key in keys}


def _flag(value: Any) -> str:
    return "" if value is None else ("yes" if value else "no")


def csv_rows(data: dict[str, Any], timezone: str) -> list[dict[str, str]]:
    """One row per check-in, goal rating and contribution, oldest first, as CSV_COLUMNS."""
    tz = ZoneInfo(timezone)
    rows: list[tuple[float, dict[str, str]]] = []

    def add(record: str, created_at: float, **cells: str) -> None:
        local, utc = _times(created_at, tz)
        row = dict.fromkeys(CSV_COLUMNS, "")
        row.update(record=record, local_time=local, timezone=timezone, utc_time=utc, **cells)
        rows.append((created_at, row))

    tags: dict[int, list[str]] = {}
    for t in data.get("checkin_tags", []):
        tags.setdefault(int(t["checkin_id"]), []).append(str(t["tag"]))
    for c in data.get("checkins", []):
        add(
            "checkin",
            float(c["created_at"]),
            **_cells(c, "session_id", "session_title", "scale", "phase", "value", "value2", "note"),
            passed=_flag(c["passed"]),
            tags=cell_text("; ".join(tags.get(int(c["id"]), []))),
            shared=_flag(c["shared"]),
        )
    for r in data.get("goal_ratings", []):
        add(
            "goal_rating",
            float(r["created_at"]),
            **_cells(r, "session_id", "session_title", "value"),
            scale="1-5",
            passed=_flag(r["value"] is None),
            goal=_text(r["goal_text"]),
        )
    for k in data.get("contributions", []):
        add(
            "contribution",
            float(k["created_at"]),
            **_cells(k, "session_id"),
            activity=_text(k["activity_id"]),
            step=_text(k["step_index"]),
            contribution_kind=_text(k["kind"]),
            payload=cell_text(json.dumps(k["payload"], ensure_ascii=False, sort_keys=True)),
        )
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]


def to_csv(rows: list[dict[str, str]]) -> bytes:
    """RFC 4180 CSV (header first) in UTF-8 with a byte-order mark, so spreadsheet apps read
    accents and emoji right."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


@dataclass(frozen=True, slots=True)
class SummaryFigures:
    """What a member's summary chart draws: check-ins on 0-10, each goal's ratings on 1-5."""

    checkins: list[tuple[float, float]]
    """(UTC seconds, value on the common 0-10 axis), passes left out."""
    goals: dict[str, list[tuple[float, int]]]
    """Goal text -> (UTC seconds, rating 1-5)."""
    passes: int


def summary_figures(data: dict[str, Any]) -> SummaryFigures:
    """What a member's summary chart draws from their own export (the dict /mydata saves):
    check-ins on the common 0-10 axis, each goal's ratings, and how many check-ins were passed."""
    checkins: list[tuple[float, float]] = []
    passes = 0
    for c in data.get("checkins", []):
        scaled = to_ten(str(c["scale"]), c["value"]) if c["value"] is not None else None
        if c["passed"] or scaled is None:
            passes += 1 if c["passed"] else 0
            continue
        checkins.append((float(c["created_at"]), scaled))
    goals: dict[str, list[tuple[float, int]]] = {}
    for r in data.get("goal_ratings", []):
        if r["value"] is not None:
            goals.setdefault(str(r["goal_text"]), []).append(
                (float(r["created_at"]), int(r["value"]))
            )
    return SummaryFigures(sorted(checkins), goals, passes)


class MemberExports:
    """A member's data as CSV and as chart figures, read with /mydata's own export."""

    def __init__(self, store: Store) -> None:
        self._store = store

    async def member_timezone(self, guild_id: int, user_id: int, server_timezone: str) -> str:
        """The zone of their own check-in schedule, else the server's."""
        schedule = await self._store.checkin_schedules.get(guild_id, user_id)
        return schedule.timezone if schedule is not None else server_timezone

    async def csv(self, guild_id: int, user_id: int, timezone: str) -> tuple[bytes, int]:
        """The CSV's bytes and its number of rows (header aside)."""
        rows = csv_rows(await self._store.privacy.export(guild_id, user_id), timezone)
        return to_csv(rows), len(rows)

    async def summary(self, guild_id: int, user_id: int) -> SummaryFigures:
        """The member's summary chart figures, from the same data /mydata exports."""
        return summary_figures(await self._store.privacy.export(guild_id, user_id))
