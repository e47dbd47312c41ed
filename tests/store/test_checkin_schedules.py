"""Check-in schedules: claimed once, by one claimer, before anything is sent (both engines)."""

from __future__ import annotations

import asyncio

from bot.records.checkin_schedules import CheckinScheduleRecord, NewCheckinSchedule
from bot.store.store import Store

DAY = 86_400.0


def every_day(
    next_send_at: float, *, minute: int = 0, language: str | None = None
) -> NewCheckinSchedule:
    """A schedule every day at `minute` (UTC) on the 0-10 scale, not paused."""
    return NewCheckinSchedule(
        days=127,
        minute=minute,
        timezone="UTC",
        scale="0-10",
        language=language,
        paused_until=None,
        next_send_at=next_send_at,
    )


async def put(store: Store, user_id: int, next_send_at: float) -> CheckinScheduleRecord:
    return await store.checkin_schedules.put(
        1, user_id, every_day(next_send_at, minute=19 * 60), 0.0
    )


def a_day_later(record: CheckinScheduleRecord, sent_on: str | None) -> float:
    return record.next_send_at + DAY


def day_of(record: CheckinScheduleRecord, ts: float) -> str:
    return f"day-{int(ts // DAY)}"


async def test_a_due_schedule_is_claimed_once_and_moves_on(store: Store) -> None:
    repo = store.checkin_schedules
    await put(store, 7, 1000.0)
    await put(store, 8, 5000.0)
    assert await repo.next_due() == 1000.0
    [claim] = await repo.claim_due(1000.0, 60.0, a_day_later, day_of)
    assert (claim.schedule.user_id, claim.due_at, claim.send) == (7, 1000.0, True)
    assert await repo.claim_due(1000.0, 60.0, a_day_later, day_of) == []
    moved = await repo.get(1, 7)
    assert moved is not None
    assert (moved.next_send_at, moved.last_sent_on) == (1000.0 + DAY, "day-0")
    assert await repo.next_due() == 5000.0


async def test_too_late_is_skipped_and_a_snooze_is_one_more(store: Store) -> None:
    repo = store.checkin_schedules
    await put(store, 7, 1000.0)
    [late] = await repo.claim_due(1000.0 + 61, 60.0, a_day_later, day_of)
    assert not late.send
    skipped = await repo.get(1, 7)
    assert skipped is not None and skipped.last_sent_on is None  # nothing was sent that day
    assert await repo.snooze(1, 7, 2000.0, 1900.0)
    assert not await repo.snooze(1, 99, 2000.0, 1900.0)
    assert await repo.next_due() == 2000.0
    [snoozed] = await repo.claim_due(2000.0, 60.0, a_day_later, day_of)
    assert snoozed.send and snoozed.due_at == 2000.0
    after = await repo.get(1, 7)
    assert after is not None
    assert after.snoozed_until is None and after.next_send_at == 1000.0 + DAY  # unchanged


async def test_two_claimers_at_once_claim_each_dm_once(store: Store) -> None:
    """Two claims racing (two processes, or a wake and a restart): every DM goes to one."""
    repo = store.checkin_schedules
    for user_id in range(1, 21):
        await put(store, user_id, 1000.0 + user_id)
    first, second = await asyncio.gather(
        repo.claim_due(1100.0, 600.0, a_day_later, day_of),
        repo.claim_due(1100.0, 600.0, a_day_later, day_of),
    )
    claimed = [c.schedule.user_id for c in first + second]
    assert sorted(claimed) == list(range(1, 21))


async def test_a_new_schedule_replaces_the_old_and_keeps_the_day_sent(store: Store) -> None:
    repo = store.checkin_schedules
    await put(store, 7, 1000.0)
    await repo.claim_due(1000.0, 60.0, a_day_later, day_of)
    await repo.snooze(1, 7, 3000.0, 2000.0)
    replaced = await put(store, 7, 9000.0)
    assert replaced.next_send_at == 9000.0 and replaced.snoozed_until is None
    assert replaced.last_sent_on == "day-0"
    assert await repo.delete(1, 7)
    assert not await repo.delete(1, 7)
    assert await repo.get(1, 7) is None and await repo.next_due() is None


async def test_each_process_claims_only_its_own_servers(store: Store) -> None:
    """Two processes (shards) each see the earliest time and claim the DMs of their servers."""
    repo = store.checkin_schedules
    await put(store, 7, 1000.0)  # server 1
    await store.checkin_schedules.put(2, 8, every_day(500.0), 0.0)

    def first(guild: int) -> bool:
        return guild == 1

    def second(guild: int) -> bool:
        return guild == 2

    assert await repo.next_due(first) == 1000.0 and await repo.next_due(second) == 500.0
    assert await repo.claim_due(2000.0, 5000.0, a_day_later, day_of, first) != []
    [other] = await repo.claim_due(2000.0, 5000.0, a_day_later, day_of, second)
    assert other.schedule.guild_id == 2 and await repo.next_due() == 500.0 + DAY


async def test_the_member_s_language_is_kept_and_replaced_with_the_schedule(store: Store) -> None:
    """The client locale given when the schedule is set comes back with it (for its DMs); a new
    /checkin schedule set replaces it; a schedule without one reads None (the server's)."""
    repo = store.checkin_schedules
    first = await repo.put(1, 7, every_day(1000.0, language="es-ES"), 0.0)
    assert first.language == "es-ES"
    got = await repo.get(1, 7)
    assert got is not None and got.language == "es-ES"
    again = await repo.put(1, 7, every_day(1000.0, language="de"), 1.0)
    assert again.language == "de"
    assert (await put(store, 8, 1000.0)).language is None
    [claim, _other] = await repo.claim_due(1000.0, 60.0, a_day_later, day_of)
    assert {claim.schedule.language, _other.schedule.language} == {"de", None}
