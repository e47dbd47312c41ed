"""A row as its record (bot/store/rows.py): casts by the record's field types, NULL kept."""

from __future__ import annotations

import pytest

from bot.records.checkins import CheckinRecord
from bot.store.rows import record_of

ROW = (1, 2, None, None, None, None, "0-10", "any", None, 7, None, 0, None, 1, 100)


def test_values_are_cast_to_their_fields_and_null_stays_none() -> None:
    record = record_of(CheckinRecord, ROW)
    assert record.passed is False and record.shared is True  # SQLite's 0 and 1
    assert record.created_at == 100.0 and isinstance(record.created_at, float)
    assert record.user_id is None and record.value == 7 and record.note is None


def test_a_row_of_another_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="CheckinRecord has 15 fields; the row has 14"):
        record_of(CheckinRecord, ROW[:-1])
