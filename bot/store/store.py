"""The store: one database and its repositories, opened and migrated together."""

from __future__ import annotations

import functools
from pathlib import Path

from bot.store import cached_reads
from bot.store.bot_state import BotStateRepository
from bot.store.checkin_notices import CheckinNoticeRepository
from bot.store.checkin_schedules import CheckinScheduleRepository
from bot.store.checkin_tags import CheckinTagRepository
from bot.store.checkins import CheckinRepository
from bot.store.consent_asks import ConsentAskRepository
from bot.store.database import Database
from bot.store.engine import DatabaseUrl
from bot.store.facilitator_tells import FacilitatorTellRepository
from bot.store.goals import GoalRepository
from bot.store.guild_library import GuildLibraryRepository
from bot.store.guild_settings import GuildSettingsRepository
from bot.store.leases import LeaseRepository
from bot.store.media import MediaRepository
from bot.store.members import MemberRepository
from bot.store.notify import EVERYTHING, ChangeFeed
from bot.store.pools import PoolDrawRepository
from bot.store.privacy import PrivacyRepository
from bot.store.reminders import ReminderRepository
from bot.store.review_authors import ReviewAuthorRepository
from bot.store.runs import ContributionRepository, RunRepository
from bot.store.schedule import ScheduleRepository
from bot.store.schedule_drafts import ScheduleDraftRepository
from bot.store.session_access import SessionAccessRepository
from bot.store.sessions import SessionRepository
from bot.store.songs import SongRepository


def open_database(target: str | Path) -> Database:
    """The Database for a `database_url` (or a plain SQLite file path); not opened yet.

    Here rather than in `database.py`: the PostgreSQL engine builds on the SQLite one's module,
    so choosing between them above both keeps the two modules out of an import cycle."""
    url = DatabaseUrl.parse(target)
    if url.engine == "postgresql":
        # Imported only when asked for: asyncpg is an optional dependency.
        from bot.store.postgres import PostgresDatabase

        return PostgresDatabase(url.dsn)
    assert url.path is not None
    return Database(url.path)


class Store:
    """Everything the core reads and writes; the only owner of SQL."""

    def __init__(self, target: Path | str) -> None:
        """`target`: a `database_url` (sqlite:///..., postgresql://...) or a SQLite file path."""
        self.db = open_database(target)
        self.changes = ChangeFeed(self.db)
        self.sessions = SessionRepository(self.db, self.changes)
        self.session_access = SessionAccessRepository(self.db)
        self.songs = SongRepository(self.db)
        self.runs = RunRepository(self.db, self.changes)
        self.contributions = ContributionRepository(self.db)
        self.members = MemberRepository(self.db)
        self.media = MediaRepository(self.db)
        self.schedule = ScheduleRepository(self.db)
        self.schedule_drafts = ScheduleDraftRepository(self.db)
        self.reminders = ReminderRepository(self.db)
        self.checkins = CheckinRepository(self.db)
        self.checkin_schedules = CheckinScheduleRepository(self.db)
        self.checkin_notices = CheckinNoticeRepository(self.db)
        self.checkin_tags = CheckinTagRepository(self.db)
        self.facilitator_tells = FacilitatorTellRepository(self.db)
        self.consent_asks = ConsentAskRepository(self.db)
        self.privacy = PrivacyRepository(self.db, self.changes)
        self.goals = GoalRepository(self.db)
        self.guild_settings = GuildSettingsRepository(self.db, self.changes)
        self.bot_state = BotStateRepository(self.db)
        self.guild_library = GuildLibraryRepository(self.db, self.changes)
        self.leases = LeaseRepository(self.db)
        # What every process's database cache holds, dropped when another process changes it.
        for topic in ("consent", "forget", "run", "session", EVERYTHING):
            self.changes.subscribe(topic, functools.partial(self._heard, topic))
        self.pool_draws = PoolDrawRepository(self.db)
        self.review_authors = ReviewAuthorRepository(self.db)

    async def open(self) -> None:
        """Connect (or open the file) and bring the schema up to date."""
        await self.db.open()
        await self.db.migrate()
        await self.db.open_writer()
        dsn = getattr(self.db, "dsn", None)
        if dsn:
            await self.changes.listen(dsn)

    async def close(self) -> None:
        """Stop listening for other processes' changes, then close the database."""
        await self.changes.close()
        await self.db.close()

    def _heard(self, topic: str, ids: tuple[int, ...]) -> None:
        """Another process changed something this process may hold cached (a run moved on, a
        session ended, a consent, a member forgotten): forget what `cached_reads.heard`
        says that notice makes stale."""
        self.db.forget(cached_reads.heard(topic, ids))
