"""The simulated server the demo runs in, around the real, unchanged Chorus bot.

Everything Chorus sees is real: `create_bot(settings)` with real Settings, the shipped catalog and
a real SQLite file. Only Discord is simulated (simcord, in process).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import simcord
from simcord import interactions as simcord_interactions
from simcord.actors import MemberActor
from simcord.builders import ChannelHandle, GuildHandle, RoleHandle

from bot.app import create_bot
from bot.chorus_bot import ChorusBot
from bot.core.activities import Catalog
from bot.i18n import N_, _
from bot.settings import Settings, load_settings

DEFAULT_DB = Path("data/demo.db")
# A pinned guild id, and channels and people created in the same order before the clock moves,
# give the same ids on every run, so a second run's history and reports include the first's.
GUILD_ID = 1_111_111_111_111_111_111
# The world's names are catalogue texts, worded in the demo's language (`world_names`): a German
# demo meets in #kreis, not #circle. People's names are names and stay as they are.
GUILD_NAME = N_("Chorus demo")
CHANNEL_NAME = N_("circle")
"""A text channel's name: lower case, no spaces, in every language (Discord's naming)."""
VOICE_NAME = N_("Listening room")
ROLE_NAME = "Facilitator"
"""Not translated: the facilitator role's default name in the settings (`facilitator_roles`),
which the bot recognises facilitators by; the guides name it in English too."""
OWNER_ROLE_NAME = N_("Server owner")
CHANNEL_TOPIC = N_("Group sessions with Chorus")
BOT_NAME = "Chorus"
FACILITATOR = ("robin", "Robin")
MEMBERS = (("maya", "Maya"), ("jonah", "Jonah"), ("priya", "Priya"), ("leo", "Leo"))
CLIENT_LOCALES = {"en": "en-US", "de": "de", "es": "es-ES"}
"""The Discord client locale the demo's people use for a demo language (Discord's codes)."""


@dataclass(frozen=True)
class WorldNames:
    """The demo server's own names in one language: what its members named their server,
    channels and roles (the facilitator role keeps the settings' name, `ROLE_NAME`)."""

    guild: str
    channel: str
    voice: str
    role: str
    owner_role: str
    topic: str


def world_names(language: str) -> WorldNames:
    """The demo world's names in ``language`` ("en", "de", "es"), from the catalogue."""
    return WorldNames(
        guild=_(GUILD_NAME, language),
        channel=_(CHANNEL_NAME, language),
        voice=_(VOICE_NAME, language),
        role=ROLE_NAME,
        owner_role=_(OWNER_ROLE_NAME, language),
        topic=_(CHANNEL_TOPIC, language),
    )


@dataclass
class DemoWorld:
    """The running demo: simcord's Env, the bot, and the people and places in the server."""

    env: simcord.Env
    bot: ChorusBot
    guild: GuildHandle
    channel: ChannelHandle
    voice: ChannelHandle
    role: RoleHandle
    facilitator: MemberActor
    members: list[MemberActor]
    language: str = "en"
    """The demo's language: the server's (/setup language) and every simulated client's."""
    _restore: list[Callable[[], None]] = field(default_factory=list)

    @property
    def people(self) -> list[MemberActor]:
        """The facilitator, then the members."""
        return [self.facilitator, *self.members]

    @property
    def client_locale(self) -> str:
        """The Discord locale of the simulated clients (and of the preview page)."""
        return CLIENT_LOCALES.get(self.language, "en-US")

    async def close(self) -> None:
        """simcord shut down, the store closed, and what the world patched put back (last first)."""
        await self.env.shutdown()
        await self.bot.store.close()
        while self._restore:
            self._restore.pop()()


def speak(locale: str) -> Callable[[], None]:
    """Every interaction simcord sends from now on carries the Discord client ``locale``.

    simcord 3.2.1 writes "en-US" into every interaction (``simcord/interactions.py``,
    ``base_payload``); the demo's people use the demo's language instead, as members whose
    Discord is set to German would. Returns the function that undoes it. Only simcord is
    wrapped: discord.py reads the locale from the payload as it would from Discord.
    """
    original = simcord_interactions.base_payload

    def with_locale(*args: Any, **kwargs: Any) -> Any:
        record, payload = original(*args, **kwargs)
        payload["locale"] = locale
        return record, payload

    simcord_interactions.base_payload = with_locale

    def restore() -> None:
        simcord_interactions.base_payload = original

    return restore


def demo_settings(
    db: Path = DEFAULT_DB,
    *,
    base: Settings | None = None,
    board_edit_interval: float | None = None,
) -> Settings:
    """The real settings (config/chorus.yaml and CHORUS_* variables) on the demo's own database.

    No token: the demo never talks to Discord. Scripted runs pass `board_edit_interval=0`
    (seconds) so the board is edited at once instead of after a real-time pause.
    """
    settings = base if base is not None else load_settings()
    update: dict[str, object] = {"database_path": db, "token": None, "dev_guild_id": None}
    if board_edit_interval is not None:
        update["board_edit_interval"] = board_edit_interval
    return settings.model_copy(update=update)


def forget_database(db: Path) -> None:
    """`--fresh`: remove the demo database (and its WAL files) so the demo starts over."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


async def start_world(
    settings: Settings,
    *,
    catalog: Catalog | None = None,
    real_time: bool = True,
    language: str = "en",
) -> DemoWorld:
    """Build the server, start the real bot against it, and return the handles.

    With `real_time`, simcord's clock is moved to the real date before the bot starts, so
    sessions are stamped with today's date and message ids never repeat an earlier run's.
    ``language`` ("en", "de", "es") is the server's language, set through the real /setup
    language, and every simulated person's Discord client language.
    """
    settings.database_path.parent.mkdir(parents=True, exist_ok=True)
    bot = create_bot(settings, catalog=catalog)
    env = simcord.Env(bot, check_errors=False)
    env.backend.bot_user.name = BOT_NAME
    names = world_names(language)
    guild = env.create_guild(names.guild, id=GUILD_ID)
    channel = guild.create_text_channel(names.channel, topic=names.topic)
    voice = guild.create_voice_channel(names.voice)
    role = guild.create_role(names.role, permissions=discord.Permissions.none())
    name, display = FACILITATOR
    # Robin also owns the server (Manage Server), so the demo can show /setup as well.
    owner = guild.create_role(names.owner_role, permissions=discord.Permissions(manage_guild=True))
    facilitator = guild.add_member(env.create_user(name, global_name=display), roles=[role, owner])
    members = [
        guild.add_member(env.create_user(name, global_name=display)) for name, display in MEMBERS
    ]
    if real_time:
        behind = (datetime.now(UTC) - env.now()).total_seconds()
        if behind > 0:
            env.backend.advance_clock(behind)
    await env.start()
    world = DemoWorld(env, bot, guild, channel, voice, role, facilitator, members, language)
    if language != "en":
        world._restore.append(speak(world.client_locale))
    if (bot.guild_settings.for_guild(GUILD_ID).language or "en") != language:
        # Robin owns the server: the real /setup sets the server's language (a demo database
        # keeps it, so a later English run sets it back).
        await facilitator.slash(channel, "setup language", language=language)
    return world
