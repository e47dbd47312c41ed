"""Slash commands are uploaded only when they changed (bot/command_sync.py); a start marks its parts.

The real bot starts and restarts in simcord on one database; every PUT of the command tree is
counted from simcord's request log.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest
import simcord
from discord import app_commands

from bot.chorus_bot import ChorusBot
from bot.command_sync import tree_digest, tree_payload
from bot.core.activities import Catalog
from bot.settings import DiscordSettings, Settings
from bot.ui.translator import ChorusTranslator
from tests.conftest import chorus_of, make_bot


def uploads(env: simcord.Env) -> list[simcord.HttpLogEntry]:
    """Every upload of the whole command tree (discord.py's bulk overwrite is a PUT)."""
    return [r for r in env.http_requests if r.method == "PUT" and r.path.endswith("/commands")]


def sync_part(bot: ChorusBot) -> str:
    (part,) = [p.name for p in bot.startup.parts if p.name.startswith("command sync")]
    return part


async def restart_with(env: simcord.Env, fresh: ChorusBot) -> ChorusBot:
    old = env.bot
    await env.restart_bot(fresh)
    assert isinstance(old, ChorusBot)
    await old.store.close()
    return fresh


def with_extra_command(bot: ChorusBot) -> ChorusBot:
    """A build with one more command (added before setup_hook loads the cogs and syncs)."""

    async def tempo(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("120")

    bot.tree.add_command(app_commands.Command(name="tempo", description="Beats", callback=tempo))
    return bot


async def test_a_restart_with_the_same_commands_uploads_nothing(
    env: simcord.Env, settings: Settings, catalog: Catalog
) -> None:
    assert len(uploads(env)) == 1  # the first start on this database
    first = env.bot
    assert isinstance(first, ChorusBot) and sync_part(first) == "command sync (uploaded)"
    again = await restart_with(env, make_bot(settings, catalog))
    assert len(uploads(env)) == 1
    assert sync_part(again) == "command sync (unchanged, not uploaded)"
    await restart_with(env, make_bot(settings, catalog))
    assert len(uploads(env)) == 1


async def test_a_changed_command_is_uploaded_and_so_is_the_change_back(
    env: simcord.Env, settings: Settings, catalog: Catalog
) -> None:
    changed = await restart_with(env, with_extra_command(make_bot(settings, catalog)))
    assert sync_part(changed) == "command sync (uploaded)"
    sent = uploads(env)
    assert len(sent) == 2 and sent[-1].json is not None
    assert "tempo" in [c["name"] for c in sent[-1].json]
    await restart_with(env, with_extra_command(make_bot(settings, catalog)))
    assert len(uploads(env)) == 2  # the same changed tree again: nothing to upload
    await restart_with(env, make_bot(settings, catalog))
    sent = uploads(env)
    assert len(sent) == 3 and sent[-1].json is not None
    assert "tempo" not in [c["name"] for c in sent[-1].json]
    # What simcord (Discord) holds is what the bot has: members see the command list as built.
    synced = await chorus_of(env).tree.fetch_commands()
    assert "tempo" not in {c.name for c in synced} and "checkin" in {c.name for c in synced}


async def test_a_process_without_shard_0_never_uploads(tmp_path: Path, catalog: Catalog) -> None:
    settings = Settings(
        database_path=tmp_path / "chorus.db",
        activities_dirs=(Path(__file__).parent.parent / "activities",),
        media_dir=tmp_path / "media",
        discord=DiscordSettings(shard_count=2, shard_ids=(1,)),
    )
    bot = make_bot(settings, catalog)
    env = simcord.Env(bot, check_errors=False)
    await env.start()
    try:
        assert uploads(env) == []
        assert sync_part(bot) == "command sync (another process's)"
    finally:
        await env.shutdown()
        await bot.store.close()


class _OtherGerman(ChorusTranslator):
    """The shipped translations with one German text changed."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        found = await super().translate(string, locale, context)
        if locale is discord.Locale.german and string.message == "Beats":
            return "Schläge pro Minute"
        return found


@pytest.fixture
async def tree() -> AsyncIterator[app_commands.CommandTree[discord.Client]]:
    client = discord.Client(intents=discord.Intents.none())
    commands = app_commands.CommandTree(client)

    async def tempo(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("120")

    commands.add_command(app_commands.Command(name="tempo", description="Beats", callback=tempo))
    yield commands
    await client.close()


async def test_the_hash_covers_translations_application_and_target(
    tree: app_commands.CommandTree[discord.Client],
) -> None:
    await tree.set_translator(ChorusTranslator())
    shipped = await tree_payload(tree, None)
    digest = tree_digest(shipped, 1, None)
    assert tree_digest(await tree_payload(tree, None), 1, None) == digest  # stable
    assert tree_digest(shipped, 2, None) != digest  # another application
    assert tree_digest(shipped, 1, 5) != digest  # a server's commands, not the global ones
    await tree.set_translator(_OtherGerman())
    changed = await tree_payload(tree, None)
    assert changed[0]["description_localizations"]["de"] == "Schläge pro Minute"
    assert tree_digest(changed, 1, None) != digest


async def test_a_start_marks_its_parts_in_order(env: simcord.Env) -> None:
    bot = env.bot
    assert isinstance(bot, ChorusBot)
    assert [p.name for p in bot.startup.parts] == [
        "construct bot + catalog",
        "store open + migrations",
        "leases, server settings + libraries",
        "cogs",
        "command sync (uploaded)",
        "resume + re-arm",
    ]
    assert all(p.wall >= 0 and p.cpu >= 0 for p in bot.startup.parts)
    assert bot.startup.before is not None and bot.startup.before > 0  # Linux: /proc
    assert bot.startup.summary().startswith(f"{bot.startup.wall:.2f} s (process start and imports")
