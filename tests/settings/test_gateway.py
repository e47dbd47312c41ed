"""Shard settings: one process by default; a block of shards per process when sharded."""

from __future__ import annotations

from pathlib import Path

import pytest
from discord.ext import commands

from bot.app import ShardedChorusBot, create_bot
from bot.chorus_bot import ChorusBot
from bot.settings.gateway import DiscordSettings
from bot.settings.loading import load_settings
from bot.settings.model import Settings
from bot.settings.problems import SettingsError


def settings_from(tmp_path: Path, **environ: str) -> Settings:
    return load_settings(
        tmp_path / "none.yaml", {f"CHORUS_{k.upper()}": v for k, v in environ.items()}
    )


def test_one_process_without_sharding_is_the_default(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, database_path=str(tmp_path / "c.db"))
    assert not settings.discord.sharded
    assert settings.discord.my_shards == (0,)
    bot = create_bot(settings)
    assert type(bot) is ChorusBot
    assert not isinstance(bot, commands.AutoShardedBot)
    assert bot.shard_count is None


def test_a_process_runs_its_block_of_the_shards(tmp_path: Path) -> None:
    settings = settings_from(
        tmp_path,
        database_path=str(tmp_path / "c.db"),
        discord_shard_count="6",
        discord_process_index="1",
        discord_process_count="3",
    )
    assert settings.discord.my_shards == (1, 4)
    bot = create_bot(settings)
    assert isinstance(bot, ShardedChorusBot) and isinstance(bot, commands.AutoShardedBot)
    assert bot.shard_ids == [1, 4]
    assert bot.shard_count == 6
    # No PostgreSQL: no cross-process IDENTIFY gate (one process takes Discord's 5 s itself).
    assert bot.identify_gate is None


def test_explicit_shard_ids_win_over_the_block(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, discord_shard_count="8", discord_shard_ids="7,0,3")
    assert settings.discord.my_shards == (0, 3, 7)


def test_a_proxy_url_loses_its_trailing_slash_and_blank_is_none() -> None:
    proxied = DiscordSettings(api_base=" http://proxy:8080/api/v10/ ")
    assert proxied.api_base == "http://proxy:8080/api/v10"
    assert DiscordSettings(api_base="  ").api_base is None
    assert DiscordSettings().my_shards == (0,) and not DiscordSettings().sharded


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        (
            {
                "discord_shard_count": "6",
                "discord_process_index": "3",
                "discord_process_count": "3",
            },
            "process_index 3 must be below process_count 3",
        ),
        ({"discord_shard_count": "4", "discord_shard_ids": "1,4"}, "shard_ids must be between 0"),
        ({"discord_process_count": "2"}, "set shard_count too"),
        ({"discord_shard_count": "2", "discord_process_count": "3"}, "must not exceed"),
        ({"discord_api_base": "proxy:8080"}, "expected an http:// or https:// URL"),
    ],
)
def test_shard_settings_that_cannot_work_say_why(
    tmp_path: Path, environ: dict[str, str], expected: str
) -> None:
    with pytest.raises(SettingsError) as info:
        settings_from(tmp_path, **environ)
    assert expected in str(info.value)
    assert "discord" in str(info.value)
