"""Forgetting a member: the store's deletion, with the runner's state held still meanwhile.

/forget (and the purge of members who left the server) go through `PrivacyService.forget`, so
the database, the step state of running activities and the runner's memory change together.
Features that keep members in their own memory (names, pending forms, cached choices)
register a callback with `on_forget`; it runs right after the deletion commits.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Any

from bot.core.clock import Clock, timestamp
from bot.core.errors import Conflict, UserFacingError
from bot.core.guild_settings import GuildConfig, GuildSettingsService
from bot.core.runner import Runner
from bot.i18n import N_
from bot.store.privacy import ForgetReport, LeadsActiveSchedule, NotDeparted
from bot.store.store import Store

log = logging.getLogger("chorus.privacy")
DAY = 86_400.0

Forgetter = Callable[[int, int], Awaitable[None]]
"""Called with (guild_id, user_id) once a member's data is gone: drop them from memory."""

ACTIVE_SCHEDULE = N_(
    "You lead a schedule that is still active: its sessions open in your name. Cancel "
    "it (/session schedule cancel) first, then use /forget again."
)


@dataclass(frozen=True, slots=True)
class Reconciled:
    """What one server's reconciliation changed: members marked as gone, and members back whose
    leave mark went."""

    marked: int
    returned: int


def check_asker(asker_id: int, presser_id: int) -> None:
    """/forget's buttons answer only the member who asked (`asker_id`, named in the button):
    raises UserFacingError, pointing to /forget, for anyone else (`presser_id`)."""
    if presser_id != asker_id:
        raise UserFacingError(N_("This button is for someone else. Use /forget yourself."))


class PrivacyService:
    """Deletes a member's data in one server; no Discord here."""

    def __init__(
        self, store: Store, runner: Runner, clock: Clock, servers: GuildSettingsService
    ) -> None:
        self._store = store
        self._runner = runner
        self._clock = clock
        self._servers = servers
        self._forgetters: list[Forgetter] = []

    def _cutoffs(
        self, days_of: Callable[[GuildConfig], int], key: str
    ) -> tuple[float, dict[int, float]]:
        """The default cutoff (UTC seconds) and those of servers that chose their own days."""
        now = timestamp(self._clock)
        own = {
            guild: now - days_of(config) * DAY
            for guild, config in self._servers.guilds_with(key).items()
        }
        return now - days_of(self._servers.for_guild(None)) * DAY, own

    async def purge_old_checkins(self) -> int:
        """Delete check-ins past each server's retention (its own, or the default), prompt pool
        draws past the longest of them and the author links of reviewed anonymous answers whose
        step has ended; how many check-ins went."""
        default, own = self._cutoffs(lambda c: c.retention_days, "retention_days")
        # Prompt pools' draw history goes after the longest retention of any server: it holds
        # no member data; forgetting a draw only lets that question come round sooner.
        await self._store.pool_draws.purge_before(min([default, *own.values()]))
        # Who wrote an anonymous reviewed answer is kept only while its step runs.
        await self._store.review_authors.purge_ended()
        return await self._store.privacy.purge_checkins_before(default, own)

    async def purge_departed(self, waiting: Collection[int] = ()) -> list[tuple[int, int]]:
        """Forget the members who left longer ago than their server's leave grace (schedules they
        lead don't stop it): the (guild, member) pairs forgotten, earliest leave first. One who
        came back while the purge ran (the join listener cleared their mark, or they left again
        since) keeps their data: each deletion checks the mark in its own write job. Servers in
        `waiting` (ids whose member list couldn't be checked for returns yet) wait for the next
        purge. Raises StorageUnavailable when the database can't be read or written."""
        default, own = self._cutoffs(lambda c: c.leave_grace_days, "leave_grace_days")
        forgotten: list[tuple[int, int]] = []
        for guild_id, user_id in await self._store.privacy.departed_before(default, own):
            if guild_id in waiting:
                continue
            try:
                await self.forget(
                    guild_id, user_id, asked=False, left_by=own.get(guild_id, default)
                )
            except NotDeparted:
                continue
            forgotten.append((guild_id, user_id))
        return forgotten

    async def export(self, guild_id: int, user_id: int) -> dict[str, Any]:
        """Everything held about the member in this server, as JSON-able lists by name."""
        return await self._store.privacy.export(guild_id, user_id)

    async def member_left(self, guild_id: int, user_id: int) -> bool:
        """Mark the member as gone from the server now (their data goes after the leave grace);
        False when they were already marked. Raises StorageUnavailable when the database can't
        be written (`reconcile_members` marks them later)."""
        marked = await self._store.privacy.mark_left(guild_id, [user_id], timestamp(self._clock))
        return marked == 1

    async def member_returned(self, guild_id: int, user_id: int) -> bool:
        """The member joined the server again: their leave mark goes, so their data stays;
        False when they had none. Raises StorageUnavailable when the database can't be written
        (`reconcile_members` clears it later, before the purge deletes anything)."""
        return await self._store.privacy.mark_returned(guild_id, [user_id]) == 1

    async def reconcile_members(self, guild_id: int, members_now: Collection[int]) -> Reconciled:
        """Bring the leave marks in line with `members_now` (the server's whole member list,
        Discord ids), for what happened while the database was unavailable or no process was
        running: members the store holds as still here who aren't in it are marked as gone now,
        and marked members who are in it are back (their mark goes). Raises StorageUnavailable
        when the database can't be read or written."""
        present = set(members_now)
        privacy = self._store.privacy
        gone = [user for user in await privacy.not_left(guild_id) if user not in present]
        back = [user for user in await privacy.left(guild_id) if user in present]
        return Reconciled(
            marked=await privacy.mark_left(guild_id, gone, timestamp(self._clock)),
            returned=await privacy.mark_returned(guild_id, back),
        )

    def on_forget(self, forgetter: Forgetter) -> None:
        """Await `forgetter(guild_id, user_id)` after every forget (once the data is gone)."""
        self._forgetters.append(forgetter)

    async def forget(
        self, guild_id: int, user_id: int, *, asked: bool = True, left_by: float | None = None
    ) -> ForgetReport:
        """Delete or anonymise everything about the member in this server (see PRIVACY.md).

        `asked`: the member asked (/forget); they are refused with Conflict while they lead an
        active schedule. The purge of departed members passes False and forgets regardless,
        with `left_by` its cutoff (UTC seconds): NotDeparted is raised, and nothing changes,
        when the member's leave mark went or is later. Raises StorageUnavailable when the
        database can't be written (nothing changed).
        """
        live = [run.id for run in await self._store.runs.all_live()]
        async with self._runner.holding(live):
            try:
                # The schedule check and the deletion are one write job: a schedule created
                # meanwhile can't slip between them.
                report = await self._store.privacy.forget(
                    guild_id,
                    user_id,
                    timestamp(self._clock),
                    unless_leading_schedule=asked,
                    left_by=left_by,
                )
            except LeadsActiveSchedule:
                raise Conflict(ACTIVE_SCHEDULE) from None
            self._runner.forget_member(user_id)
        # Outside the runs' locks: a feature may redraw a message (a Discord call) here.
        for forgetter in self._forgetters:
            try:
                await forgetter(guild_id, user_id)
            except Exception:
                # The data is already gone; one feature's memory must not undo the reply.
                log.exception("a feature failed to drop a forgotten member from memory")
        return report
