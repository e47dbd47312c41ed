"""The store: one database and its repositories, opened and migrated together."""

from __future__ import annotations

from pathlib import Path

from bot.store.checkin_notices import CheckinNoticeRepository
from bot.store.checkin_schedules import CheckinScheduleRepository
from bot.store.checkin_tags import CheckinTagRepository
from bot.store.checkins import CheckinRepository
from bot.store.database import open_database
from bot.store.goals import GoalRepository
from bot.store.guild_library import GuildLibraryRepository
from bot.store.guild_settings import GuildSettingsRepository
from bot.store.media import MediaRepository
from bot.store.members import MemberRepository
from bot.store.privacy import PrivacyRepository
from bot.store.runs import ContributionRepository, RunRepository
from bot.store.schedule import ScheduleRepository
from bot.store.sessions import SessionRepository
from bot.store.songs import SongRepository


class Store:
    """Everything the core reads and writes; the only owner of SQL."""

    def __init__(self, target: Path | str) -> None:
        """`target`: a `database_url` (sqlite:///..., postgresql://...) or a SQLite file path."""
        self.db = open_database(target)
        self.sessions = SessionRepository(self.db)
        self.songs = SongRepository(self.db)
        self.runs = RunRepository(self.db)
        self.contributions = ContributionRepository(self.db)
        self.members = MemberRepository(self.db)
        self.media = MediaRepository(self.db)
        self.schedule = ScheduleRepository(self.db)
        self.checkins = CheckinRepository(self.db)
        self.checkin_schedules = CheckinScheduleRepository(self.db)
        self.checkin_notices = CheckinNoticeRepository(self.db)
        self.checkin_tags = CheckinTagRepository(self.db)
        self.privacy = PrivacyRepository(self.db)
        self.goals = GoalRepository(self.db)
        self.guild_settings = GuildSettingsRepository(self.db)
        self.guild_library = GuildLibraryRepository(self.db)

    async def open(self) -> None:
        """Connect (or open the file) and bring the schema up to date."""
        await self.db.open()
        await self.db.migrate()
        await self.db.open_writer()

    async def close(self) -> None:
        await self.db.close()
