"""Slash commands are uploaded to Discord only when they changed since the last upload.

Every upload (``CommandTree.sync``) replaces the application's commands, counts against
Discord's daily limit of command creates, and makes clients fetch the commands again, yet
most restarts change none of them. The payload discord.py would upload (every command's
translated payload, so a changed German or Spanish text counts as a change) is hashed together
with the application and the target (global, or the development server); the hash of the last
upload Discord accepted is kept in the store (`bot_state`: one row, shared by every process
on PostgreSQL) and a start with the same hash uploads nothing. The process that runs shard 0
is still the only one that syncs (`sync_commands`).
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import discord
from discord import app_commands

from bot.settings import Settings
from bot.store.bot_state import BotStateRepository

log = logging.getLogger("chorus")

Tree = app_commands.CommandTree[Any]


def state_key(guild_id: int | None) -> str:
    """Where the hash of the last upload to one target is kept (global or one server's)."""
    return f"command_tree:{guild_id or 'global'}"


async def tree_payload(tree: Tree, guild: discord.abc.Snowflake | None) -> list[dict[str, Any]]:
    """What ``tree.sync(guild=guild)`` would upload: each command's payload, translated by the
    tree's translator (discord.py 2.7's ``CommandTree.sync`` builds it the same way)."""
    commands = tree.get_commands(guild=guild)
    translator = tree.translator
    if translator is None:
        return [command.to_dict(tree) for command in commands]
    return [await command.get_translated_payload(tree, translator) for command in commands]


def tree_digest(payload: list[dict[str, Any]], application_id: int, guild_id: int | None) -> str:
    """A stable hash (SHA-256, hex) of an upload: the same commands give the same text."""
    text = json.dumps(
        {"application": application_id, "guild": guild_id, "commands": payload},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode()).hexdigest()


async def sync_if_changed(
    tree: Tree,
    state: BotStateRepository,
    application_id: int,
    guild: discord.abc.Snowflake | None = None,
) -> bool:
    """Upload the commands to `guild` (None: global) unless the same upload was the last one.

    Returns whether it uploaded. The hash is stored only after Discord accepted the upload, so
    a failed one is tried again on the next start. Raises what ``CommandTree.sync`` raises."""
    guild_id = guild.id if guild is not None else None
    digest = tree_digest(await tree_payload(tree, guild), application_id, guild_id)
    key = state_key(guild_id)
    if await state.get(key) == digest:
        log.info("slash commands unchanged since the last upload: not uploaded again")
        return False
    await tree.sync(guild=guild)
    await state.put(key, digest)
    log.info(
        "slash commands uploaded to Discord (%s)", f"server {guild_id}" if guild_id else "global"
    )
    return True


async def sync_commands(
    tree: Tree, settings: Settings, bot_state: BotStateRepository, application_id: int | None
) -> str:
    """Upload the slash commands if they changed, to the development server when
    `settings.dev_guild_id` names one (the global commands copied there), else globally; only
    from the process running shard 0 (the one Discord sends the DMs). Says what it did, for the
    start-up log: "uploaded", "unchanged, not uploaded" or "another process's". Raises what
    ``CommandTree.sync`` raises; `application_id` is known once the bot has logged in."""
    if 0 not in settings.discord.my_shards:
        return "another process's"
    assert application_id is not None  # setup_hook runs after login
    guild_id = settings.dev_guild_id
    guild = discord.Object(id=guild_id) if guild_id else None
    if guild is not None:
        tree.copy_global_to(guild=guild)
    uploaded = await sync_if_changed(tree, bot_state, application_id, guild)
    return "uploaded" if uploaded else "unchanged, not uploaded"
