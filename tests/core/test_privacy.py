"""PrivacyService without Discord: a real store on both engines; the schedule check and the
deletion are one write job."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.errors import Conflict, UserFacingError
from bot.core.guild_settings import GuildSettingsService
from bot.core.privacy import ACTIVE_SCHEDULE, PrivacyService, Reconciled, check_asker
from bot.core.runner import Runner
from bot.core.session import SessionService
from bot.core.steps import step_handlers
from bot.records.schedule import NewSeries
from bot.settings import Settings
from bot.store.privacy import MARK_SLICE
from bot.store.store import Store
from tests.core.runner_setup import stopped_at

GUILD, CHANNEL, ANA, BEN = 1, 2, 11, 12
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


clock = stopped_at(NOW)


@pytest.fixture
async def privacy(store: Store, tmp_path: Path) -> PrivacyService:
    servers = GuildSettingsService(store, clock, Settings(database_path=tmp_path / "unused.db"))
    await servers.load()
    return PrivacyService(store, Runner(store, clock, step_handlers()), clock, servers)


async def lead_a_schedule(store: Store, user_id: int) -> int:
    series, _ = await store.schedule.create_series(
        NewSeries(
            guild_id=GUILD,
            channel_id=CHANNEL,
            voice_channel_id=None,
            facilitator_id=user_id,
            title="Circle",
            plan=None,
            duration_minutes=60,
            repeat="weekly",
            timezone="UTC",
            anchor_local="2026-03-03T18:00:00",
            starts_at=NOW.timestamp() + 86400,
            ends_at=NOW.timestamp() + 90000,
        ),
        NOW.timestamp(),
    )
    return series.id


async def test_a_member_leading_an_active_schedule_is_asked_to_cancel_it_first(
    store: Store, privacy: PrivacyService
) -> None:
    sessions = SessionService(store, clock)
    session = await sessions.open(
        guild_id=GUILD, channel_id=CHANNEL, title="Circle", facilitator_id=BEN
    )
    await sessions.join(session, ANA, "Ana")
    await lead_a_schedule(store, ANA)
    with pytest.raises(Conflict) as refused:
        await privacy.forget(GUILD, ANA)
    assert refused.value.message == ACTIVE_SCHEDULE
    # Refused inside the job: nothing of theirs went.
    assert [a.user_id for a in await sessions.present(session)] == [ANA]
    assert (await privacy.export(GUILD, ANA))["member"] is not None


async def test_the_purge_of_departed_members_forgets_them_regardless(
    store: Store, privacy: PrivacyService
) -> None:
    series_id = await lead_a_schedule(store, ANA)
    await SessionService(store, clock).remember_name(GUILD, ANA, "Ana")
    assert await privacy.member_left(GUILD, ANA)
    assert not await privacy.member_left(GUILD, ANA)  # already marked
    report = await privacy.forget(GUILD, ANA, asked=False)
    assert report.total > 0
    assert (await privacy.export(GUILD, ANA))["member"] is None
    series = await store.schedule.series(series_id)
    assert series is not None and series.facilitator_id != ANA


async def test_a_reconciliation_marks_only_who_is_gone_from_the_member_list(
    store: Store, privacy: PrivacyService
) -> None:
    """Leaves whose mark was lost (the database refused it, or no process was running) are
    marked from the server's member list: only members stored as still here and missing from
    it; an earlier mark keeps its time, another server's members are untouched, and more than
    a statement's worth of them are marked in one go."""
    sessions = SessionService(store, clock)
    for user in (ANA, BEN, 13):
        await sessions.remember_name(GUILD, user, f"user{user}")
    await sessions.remember_name(GUILD + 1, BEN, "Ben elsewhere")
    await store.privacy.mark_left(GUILD, [13], 5.0)
    assert await privacy.reconcile_members(GUILD, [ANA, 99]) == Reconciled(1, 0)
    assert await store.privacy.departed_before(NOW.timestamp()) == [(GUILD, 13), (GUILD, BEN)]
    member = await store.members.get(GUILD, BEN)
    assert member is not None and member.left_guild_at == NOW.timestamp()
    assert await store.privacy.not_left(GUILD) == [ANA]
    assert await store.privacy.not_left(GUILD + 1) == [BEN]
    assert await privacy.reconcile_members(GUILD, [ANA]) == Reconciled(0, 0)  # all marked
    many = range(1000, 1000 + 2 * MARK_SLICE + 1)
    for user in many:
        await sessions.remember_name(GUILD + 2, user, "x")
    assert await privacy.reconcile_members(GUILD + 2, [1000]) == Reconciled(len(many) - 1, 0)
    assert await store.privacy.not_left(GUILD + 2) == [1000]


async def test_a_member_back_in_the_server_keeps_their_data(
    store: Store, privacy: PrivacyService
) -> None:
    """Joining the server again clears the member's leave mark there (and only there), so the
    purge after the grace finds nobody to delete; a member without a mark is told apart.
    Before: only joining a session or writing a lyric line cleared it."""
    sessions = SessionService(store, clock)
    await sessions.remember_name(GUILD, ANA, "Ana")
    await sessions.remember_name(GUILD + 1, ANA, "Ana elsewhere")
    assert await privacy.member_left(GUILD, ANA)
    assert await privacy.member_left(GUILD + 1, ANA)
    assert await privacy.member_returned(GUILD, ANA)
    assert not await privacy.member_returned(GUILD, ANA)  # no mark any more
    assert not await privacy.member_returned(GUILD, BEN)  # no record at all
    assert await store.privacy.left(GUILD) == []
    assert await store.privacy.left(GUILD + 1) == [ANA]
    later = NOW.timestamp() + 365 * 86400
    assert await store.privacy.departed_before(later) == [(GUILD + 1, ANA)]


async def test_a_reconciliation_clears_the_mark_of_who_is_in_the_member_list(
    store: Store, privacy: PrivacyService
) -> None:
    """Members who came back while the database refused it (or no process was running) are
    seen in the server's member list: their marks go, those still missing keep theirs with
    their first time, another server's marks are untouched, and more than a statement's worth
    of them are cleared in one go. Before: the marks stayed and their data was purged."""
    sessions = SessionService(store, clock)
    for user in (ANA, BEN, 13):
        await sessions.remember_name(GUILD, user, f"user{user}")
    await sessions.remember_name(GUILD + 1, ANA, "Ana elsewhere")
    await store.privacy.mark_left(GUILD, [ANA, 13], 5.0)
    await store.privacy.mark_left(GUILD + 1, [ANA], 5.0)
    assert await privacy.reconcile_members(GUILD, [ANA, BEN]) == Reconciled(0, 1)
    assert await store.privacy.left(GUILD) == [13]
    missing = await store.members.get(GUILD, 13)
    assert missing is not None and missing.left_guild_at == 5.0
    assert await store.privacy.left(GUILD + 1) == [ANA]
    assert await privacy.reconcile_members(GUILD, [ANA, BEN]) == Reconciled(0, 0)
    many = list(range(1000, 1000 + 2 * MARK_SLICE + 1))
    for user in many:
        await sessions.remember_name(GUILD + 2, user, "x")
    await store.privacy.mark_left(GUILD + 2, many, 5.0)
    assert await privacy.reconcile_members(GUILD + 2, many[1:]) == Reconciled(0, len(many) - 1)
    assert await store.privacy.left(GUILD + 2) == [1000]


async def test_a_member_back_while_the_purge_runs_keeps_their_data(
    store: Store, privacy: PrivacyService
) -> None:
    """The purge reads who is past the grace, then forgets them one by one; a member whose
    return (or return and new leave) is noted meanwhile keeps their data, and the others still
    go. Here the returns are noted while the first member is forgotten, as the join listener
    would between two deletions. A server whose member list wasn't checked for returns waits
    for the next purge. Before: the purge deleted everyone it had read."""
    sessions = SessionService(store, clock)
    for user in (BEN, ANA, 13):
        await sessions.remember_name(GUILD, user, f"user{user}")
    for at, user in enumerate((BEN, ANA, 13), start=1):
        await store.privacy.mark_left(GUILD, [user], float(at))  # long past the grace

    noted: list[bool] = []

    async def returns_while_ben_goes(guild_id: int, user_id: int) -> None:
        # Results kept, not asserted here: a forgetter's exception is only logged.
        if (guild_id, user_id) == (GUILD, BEN):
            noted.append(await privacy.member_returned(GUILD, ANA))
            noted.append(await privacy.member_returned(GUILD, 13))
            noted.append(await privacy.member_left(GUILD, 13))  # and gone again, just now

    privacy.on_forget(returns_while_ben_goes)
    await sessions.remember_name(GUILD + 1, BEN, "Ben elsewhere")
    await store.privacy.mark_left(GUILD + 1, [BEN], 1.0)
    # A server whose member list the bot hasn't checked yet waits for the next purge.
    assert await privacy.purge_departed(waiting=[GUILD + 1]) == [(GUILD, BEN)]
    assert noted == [True, True, True]
    assert await store.privacy.left(GUILD + 1) == [BEN]
    assert await store.members.get(GUILD, BEN) is None
    ana = await store.members.get(GUILD, ANA)
    assert ana is not None and ana.left_guild_at is None
    again = await store.members.get(GUILD, 13)
    assert again is not None and again.left_guild_at == NOW.timestamp()


async def test_forgetters_run_after_the_deletion(store: Store, privacy: PrivacyService) -> None:
    told: list[tuple[int, int]] = []

    async def forgetter(guild_id: int, user_id: int) -> None:
        told.append((guild_id, user_id))

    privacy.on_forget(forgetter)
    await privacy.forget(GUILD, BEN)
    assert told == [(GUILD, BEN)]


async def test_a_schedule_created_while_forget_runs_is_seen_by_the_forget(
    store: Store, privacy: PrivacyService
) -> None:
    # Both at once: the schedule's write is queued first, so the forget (one job: check and
    # delete) must see it and refuse; a check read before the job would have missed it.
    created, forgot = await asyncio.gather(
        lead_a_schedule(store, ANA), privacy.forget(GUILD, ANA), return_exceptions=True
    )
    assert isinstance(created, int)
    assert isinstance(forgot, Conflict)
    series = await store.schedule.series(created)
    assert series is not None and series.facilitator_id == ANA


def test_only_the_member_who_asked_may_press_forgets_buttons() -> None:
    check_asker(ANA, ANA)
    with pytest.raises(UserFacingError) as refused:
        check_asker(ANA, BEN)
    assert refused.value.text("en") == "This button is for someone else. Use /forget yourself."
