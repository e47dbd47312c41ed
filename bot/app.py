"""Build the bot: everything it needs is passed in, nothing is global; nothing imports this back."""

from __future__ import annotations

from typing import Any

import discord
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.core.activities import Catalog
from bot.core.clock import Clock
from bot.settings import Settings
from bot.shards import identify_gate
from bot.store.store import Store


class ShardedChorusBot(ChorusBot, commands.AutoShardedBot):
    """Chorus running this process's shards (`discord.shard_count` set); processes sharing
    a PostgreSQL database take turns to IDENTIFY (see bot/shards.py)."""

    def __init__(self, settings: Settings, store: Store, **extra: Any) -> None:
        shards = settings.discord
        super().__init__(
            settings,
            store,
            shard_ids=list(shards.my_shards),
            shard_count=shards.shard_count,
            **extra,
        )
        self.identify_gate = identify_gate(settings)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py's hook before a shard's IDENTIFY: waits for this shard's turn at the identify
        gate shared by the processes (`bot/store/identify.py`: one IDENTIFY per bucket every
        `spacing` seconds) when there is one, else discord.py's own pacing."""
        if self.identify_gate is None:
            await super().before_identify_hook(shard_id, initial=initial)
        else:
            await self.identify_gate.before_identify(shard_id or 0)

    async def close(self) -> None:
        """discord.py's close, then the identify gate's (its PostgreSQL connection)."""
        await super().close()
        if self.identify_gate is not None:
            await self.identify_gate.close()


def create_bot(
    settings: Settings,
    *,
    store: Store | None = None,
    catalog: Catalog | None = None,
    clock: Clock = discord.utils.utcnow,
    **extra: Any,
) -> ChorusBot:
    """The bot with its store and catalog; tests pass their own, production the defaults."""
    kind = ShardedChorusBot if settings.discord.sharded else ChorusBot
    return kind(
        settings,
        store or Store(settings.database),
        catalog=catalog,
        clock=clock,
        **extra,
    )
