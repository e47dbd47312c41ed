"""Shared fixtures: a real bot on a real SQLite file, driven through simcord."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import discord
import pytest
import simcord
from simcord.actors import MemberActor
from simcord.builders import ChannelHandle, GuildHandle, RoleHandle

from bot.app import create_bot
from bot.chorus_bot import ChorusBot
from bot.core.activities import Catalog
from bot.settings import Settings
from bot.store.store import Store
from tests.bot_errors import LoggedRefusals, failures
from tests.core.runner_setup import Clock
from tests.engines import ENGINES, TestDatabase, test_database
from tests.responses import reply_to

ROOT = Path(__file__).resolve().parent.parent

pytest_plugins = ["tests.programs", "tests.discord_limits", "tests.child_processes"]


@pytest.fixture(autouse=True)
async def close_every_store(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    """Close every store a test opened, even when the test fails half-way.

    aiosqlite's worker threads are not daemons: one left open keeps pytest from exiting.
    """
    opened: list[Store] = []
    real_open = Store.open

    async def tracked_open(self: Store) -> None:
        opened.append(self)
        await real_open(self)

    monkeypatch.setattr(Store, "open", tracked_open)
    yield
    for store in opened:
        await store.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_on(tmp_path)


def settings_on(tmp_path: Path, database_url: str | None = None) -> Settings:
    """The suite's settings: a SQLite file under `tmp_path`, or the database at `database_url`
    (a PostgreSQL test database, tests/engines.py)."""
    return Settings(
        database_path=tmp_path / "data" / "chorus.db",
        database_url=database_url,
        activities_dirs=(ROOT / "activities", ROOT / "tests" / "cogs"),
        media_dir=tmp_path / "media",
        # Board edits are immediate here so tests don't wait on real-time fallbacks of short
        # timers; tests/core/test_debounce.py checks the interval itself and
        # bench/api_calls.py counts the edits per message per 2 s.
        board_edit_interval=0,
    )


@pytest.fixture
def catalog(settings: Settings) -> Catalog:
    return Catalog.load(list(settings.activities_dirs), settings.media_dir)


def make_bot(settings: Settings, catalog: Catalog | None = None) -> ChorusBot:
    return create_bot(settings, catalog=catalog)


@pytest.fixture
def bot(settings: Settings, catalog: Catalog) -> ChorusBot:
    return make_bot(settings, catalog)


@dataclass
class World:
    """A server with a session channel, a facilitator and members."""

    env: simcord.Env
    guild: GuildHandle
    channel: ChannelHandle
    voice: ChannelHandle
    facilitator_role: RoleHandle
    facilitator: MemberActor
    members: list[MemberActor]
    _manager: list[MemberActor] = field(default_factory=list)

    def bot(self) -> ChorusBot:
        bot = self.env.bot
        assert isinstance(bot, ChorusBot)
        return bot

    def manager(self) -> MemberActor:
        """A member with Manage Server (who may change /setup settings), made on first use."""
        if not self._manager:
            role = self.guild.create_role(
                "Admins", permissions=discord.Permissions(manage_guild=True)
            )
            self._manager.append(self.guild.add_member(self.env.create_user("max"), roles=[role]))
        return self._manager[0]


def chorus_of(env: simcord.Env) -> ChorusBot:
    """The bot simcord runs, typed as Chorus's own (simcord types it as any discord.Client)."""
    bot = env.bot
    assert isinstance(bot, ChorusBot), bot
    return bot


@pytest.fixture
async def env(bot: ChorusBot, request: pytest.FixtureRequest) -> AsyncIterator[simcord.Env]:
    """simcord with our own error check (tests/bot_errors.py): a refusal answered by an
    interaction's error path is normal; one escaping a listener, task or timer (or logged by
    Chorus as an error with its traceback) fails the test, as does any unexpected error (unless
    the test is marked `allow_bot_errors`)."""
    environment = simcord.Env(bot, check_errors=False)
    logged = LoggedRefusals()
    logging.getLogger().addHandler(logged)
    try:
        await environment.start()
        yield environment
    finally:
        try:
            await environment.shutdown()
            current = environment.bot
            if isinstance(current, ChorusBot):
                await current.store.close()
            await bot.store.close()
        finally:
            logging.getLogger().removeHandler(logged)
    if request.node.get_closest_marker("allow_bot_errors"):
        return
    failed = failures(environment.errors) + logged.failures()
    assert not failed, "bot errors:\n" + "\n".join(failed)


def build_world(env: simcord.Env, members: int = 3) -> World:
    guild = env.create_guild("Chorus test")
    channel = guild.create_text_channel("circle")
    voice = guild.create_voice_channel("Listening room")
    role = guild.create_role("Facilitator", permissions=discord.Permissions.none())
    facilitator = guild.add_member(env.create_user("fran"), roles=[role])
    people = [
        guild.add_member(env.create_user(name))
        for name in ("ana", "ben", "cai", "dee", "eli")[:members]
    ]
    return World(env, guild, channel, voice, role, facilitator, people)


@pytest.fixture
async def world(env: simcord.Env) -> World:
    return build_world(env)


async def open_session(
    world: World,
    title: str = "Tuesday circle",
    *,
    voice: ChannelHandle | None = None,
    channel: ChannelHandle | None = None,
    joining: Sequence[MemberActor] = (),
) -> None:
    """The facilitator opens a session titled `title` with /session start in `channel` (the
    world's by default), with `voice` as its voice channel if given; then each of `joining` joins
    with /session join. Asserts the private "is open" reply."""
    where = channel or world.channel
    options = {"voice_channel": voice} if voice is not None else {}
    opened = await world.facilitator.slash(where, "session start", title=title, **options)
    assert opened.ephemeral and "is open" in reply_to(opened).content, reply_to(opened).content
    for member in joining:
        await member.slash(where, "session join")


def last_embed(channel: ChannelHandle) -> discord.Embed:
    message = channel.last_message
    assert message is not None and message.embeds, "expected an embed in the channel"
    return message.embeds[0]


def find_message(channel: ChannelHandle, title_part: str) -> discord.Message:
    for message in reversed(channel.history()):
        for embed in message.embeds:
            if title_part in (embed.title or "") or title_part in (embed.author.name or ""):
                return message
    raise AssertionError(f"no message with {title_part!r}")


async def restart(world: World, settings: Settings, catalog: Catalog) -> ChorusBot:
    """A new bot process on the same database; the old one's connection is closed like a real exit."""
    old = world.bot()
    await world.env.restart_bot(make_bot(settings, catalog))
    await old.store.close()
    return world.bot()


@pytest.fixture
def clock() -> Clock:
    """A hand-moved clock (tests/core/runner_setup.py's `Clock`), at 2026-03-01 12:00 UTC."""
    return Clock()


@pytest.fixture(params=ENGINES)
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[TestDatabase]:
    """A fresh database on each engine: a SQLite file, and a PostgreSQL schema (tests/engines.py)."""
    async for database in test_database(request.param, tmp_path):
        yield database


@pytest.fixture
async def store(engine: TestDatabase) -> AsyncIterator[Store]:
    """An open store on a fresh database of each engine (a SQLite file, a PostgreSQL schema)."""
    async with open_store(engine.url) as opened:
        yield opened


@asynccontextmanager
async def open_store(url: str) -> AsyncIterator[Store]:
    """A store open on the database at `url` while the block runs, e.g. another process's on
    the database a test's bot uses."""
    opened = Store(url)
    await opened.open()
    try:
        yield opened
    finally:
        await opened.close()


async def two_processes(url: str) -> AsyncIterator[tuple[Store, Store]]:
    """Two processes' stores (each its own connections, writer and cache) on one database,
    open until the generator is closed."""
    first, second = Store(url), Store(url)
    await first.open()
    await second.open()
    yield first, second
    await second.close()
    await first.close()


@pytest.fixture
async def two(engine: TestDatabase) -> AsyncIterator[tuple[Store, Store]]:
    """Two processes' stores on one database of each engine (`two_processes`)."""
    async for stores in two_processes(engine.url):
        yield stores


@pytest.fixture
async def postgres(tmp_path: Path) -> AsyncIterator[TestDatabase]:
    """A fresh PostgreSQL schema only (skipped without a server, failed in CI)."""
    async for database in test_database("postgresql", tmp_path):
        yield database
