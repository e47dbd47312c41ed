"""The cog and reliability tests, end to end through simcord, on PostgreSQL.

The real bot, the real discord.py against simcord, and the store on a fresh PostgreSQL schema
(`database_url: postgresql://...`). The tests are the cog suites' own, imported here: this
module's `settings` fixture points them at PostgreSQL (skipped without a server on a developer
machine, failed in CI). Their SQLite runs stay where they are.

tests/cogs/test_privacy.py is not imported: its column scan reads SQLite's catalogue. The same
scan runs on both engines in tests/store/test_forget_scan.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings
from tests.cogs.test_activity_builder import *  # noqa: F403
from tests.cogs.test_checkins import *  # noqa: F403
from tests.cogs.test_goals import *  # noqa: F403
from tests.cogs.test_library import *  # noqa: F403
from tests.cogs.test_lyrics import *  # noqa: F403
from tests.cogs.test_restart import *  # noqa: F403
from tests.cogs.test_schedule import *  # noqa: F403
from tests.cogs.test_session_flow import *  # noqa: F403
from tests.cogs.test_session_robustness import *  # noqa: F403
from tests.cogs.test_setup import *  # noqa: F403
from tests.conftest import settings_on
from tests.engines import TestDatabase
from tests.reliability.test_discord_failures import *  # noqa: F403
from tests.reliability.test_hostile_text import *  # noqa: F403
from tests.reliability.test_permission_matrix import *  # noqa: F403
from tests.reliability.test_races import *  # noqa: F403

# Its helpers `write` and `reflect` share names with other suites' helpers; harmless, as each
# suite's tests call their own module's helpers.
from tests.reliability.test_restart_every_step import *  # type: ignore[assignment]  # noqa: F403


@pytest.fixture
def settings(tmp_path: Path, postgres: TestDatabase) -> Settings:
    return settings_on(tmp_path, postgres.url)


# Its /forget check scans SQLite's catalogue (tests/cogs/test_privacy.py); on both engines the
# same scan is tests/store/test_forget_scan.py.
globals().pop("test_mydata_and_forget_cover_goals_and_ratings")
