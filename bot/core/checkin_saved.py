"""What answering a check-in step hands back: `Saved` (one is made per answer)."""

from __future__ import annotations

from bot.core.run_updates import RunUpdate
from bot.records.checkins import CheckinRecord
from bot.store.checkin_answers import AnswerRow


class ConsentNeeded(Exception):
    """The member has not agreed to their check-ins being stored (yet)."""


class Saved:
    """What happened when a member answered: `record` (None when nothing about their mood was
    stored: a pass without consent), whether it `replaced` an earlier answer, the run's
    `update` when it completed the step, whether the value is `low` in the server, and whether
    the step was `anonymous`, the answer a pass (`passed`) or `declined` (they chose No thanks
    earlier: the answer was not saved, and they weren't asked again)."""

    # Slotted, and the record of a burst's answer built only when read: one Saved is made per
    # answer on the hottest path, and a 15-field frozen record costs more than the rest.
    __slots__ = ("_record", "_row", "anonymous", "declined", "low", "passed", "replaced", "update")

    def __init__(
        self,
        record: CheckinRecord | None,
        replaced: bool,
        update: RunUpdate | None,
        low: bool,
        anonymous: bool,
        passed: bool,
        declined: bool = False,
    ) -> None:
        self._record = record
        self._row: tuple[AnswerRow, int] | None = None
        self.replaced = replaced
        self.update = update
        self.low = low
        self.anonymous = anonymous
        self.passed = passed
        self.declined = declined

    @classmethod
    def written(cls, row: AnswerRow, checkin_id: int, low: bool) -> Saved:
        """A first answer of a named member written as `row` (the checkins INSERT's values)
        under `checkin_id`; its record is made when first read."""
        saved = cls.__new__(cls)
        saved._record = None
        saved._row = (row, checkin_id)
        saved.replaced = False
        saved.update = None
        saved.low = low
        saved.anonymous = False
        saved.passed = bool(row[10])
        saved.declined = False
        return saved

    @property
    def record(self) -> CheckinRecord | None:
        """The check-in row as stored, or None when nothing about their mood was stored."""
        if self._row is not None:
            row, checkin_id = self._row
            self._record = CheckinRecord(checkin_id, *row[:10], bool(row[10]), None, False, row[11])
            self._row = None
        return self._record

    def __repr__(self) -> str:
        return (
            f"Saved(record={self.record!r}, replaced={self.replaced}, update={self.update!r},"
            f" low={self.low}, anonymous={self.anonymous}, passed={self.passed},"
            f" declined={self.declined})"
        )
