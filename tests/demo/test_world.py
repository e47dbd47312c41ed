"""The demo's simulated server: the real bot on its own database, a facilitator with the role,
four members, a voice channel, and a fresh start that removes the database with its WAL files."""

from __future__ import annotations

from pathlib import Path

from bot.demo.world import (
    CLIENT_LOCALES,
    FACILITATOR,
    MEMBERS,
    ROLE_NAME,
    VOICE_NAME,
    DemoWorld,
    demo_settings,
    forget_database,
)
from bot.settings import Settings


async def test_the_server_has_its_people_and_places_around_the_real_bot(world: DemoWorld) -> None:
    assert [m.name for m in world.members] == [name for name, _ in MEMBERS]
    assert world.facilitator.name == FACILITATOR[0]
    assert world.people == [world.facilitator, *world.members]
    assert world.role.name == ROLE_NAME
    assert world.voice.name == VOICE_NAME
    assert world.client_locale == CLIENT_LOCALES["en"] == "en-US"
    session = await world.bot.store.sessions.open_in_channel(world.channel.id)
    assert session is not None  # the fixture opened the live demo's session


def test_the_demo_settings_are_the_real_ones_on_its_own_database_without_a_token(
    tmp_path: Path,
) -> None:
    base = Settings(token="not-for-the-demo", board_edit_interval=5.0)
    settings = demo_settings(tmp_path / "demo.db", base=base, board_edit_interval=0)
    assert settings.database_path == tmp_path / "demo.db"
    assert settings.token is None and settings.dev_guild_id is None
    assert settings.board_edit_interval == 0
    assert demo_settings(tmp_path / "demo.db", base=base).board_edit_interval == 5.0


def test_a_fresh_start_removes_the_database_and_its_wal_files(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").write_bytes(b"x")
    forget_database(db)
    assert list(tmp_path.iterdir()) == []
    forget_database(db)  # nothing there: no error
