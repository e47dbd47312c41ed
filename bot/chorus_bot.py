"""The Chorus bot: a discord.py bot whose services hang off it, as every cog is given it.

Below the cogs (they type their bot as `ChorusBot`) and above ui and core, whose services it
builds. `bot.app.create_bot` picks this class or its sharded variant and wires in the store.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import Any

import discord
from discord.ext import commands

from bot import __version__
from bot.command_sync import sync_commands
from bot.core.activities import Catalog
from bot.core.boards import BoardService
from bot.core.calendar import SessionCalendar
from bot.core.checkin_reminders import CheckinReminders
from bot.core.checkin_service import CheckinService
from bot.core.checkin_tags import CheckinTags
from bot.core.clock import Clock
from bot.core.deadline_timer import DeadlineTimer
from bot.core.exports import MemberExports
from bot.core.goal_service import GoalService
from bot.core.guild_library import GuildLibrary
from bot.core.guild_settings import GuildSettingsService
from bot.core.listening_service import ListeningService
from bot.core.lyrics_service import LyricsService
from bot.core.pattern_notice import PatternNotices
from bot.core.privacy import PrivacyService
from bot.core.reflect_review import ReflectReview
from bot.core.runner import Runner
from bot.core.schedule_service import ScheduleService
from bot.core.series_reminders import SeriesReminders
from bot.core.session import SessionService
from bot.core.steps import StepHandler
from bot.core.steps import step_handlers as registered_step_handlers
from bot.settings import Settings
from bot.shards import LeaseKeeper, start_leases
from bot.startup_times import StartupTimes
from bot.store.store import Store
from bot.ui import chart_worker
from bot.ui.component_routes import ComponentRoutes, Family, FamilyHandler
from bot.ui.components import FAMILIES, RetiredButton, RoutedItem
from bot.ui.form_ids import FormId
from bot.ui.format import plain_name
from bot.ui.forms import Form, FormHandler, FormRoute, route_form
from bot.ui.live import LiveSessions
from bot.ui.locale import server_language
from bot.ui.replies import ChorusTree
from bot.ui.translator import ChorusTranslator
from bot.voice.discord_voice import DiscordVoice
from bot.voice.player import VoicePlayer
from bot.warm_up import warm_up

log = logging.getLogger("chorus")

# Every cog, loaded explicitly in this order (a test checks that none is forgotten).
COGS: tuple[str, ...] = (
    "bot.cogs.meta",
    "bot.cogs.sessions",
    "bot.cogs.activities",
    "bot.cogs.activity_builder",
    "bot.cogs.reflection",
    "bot.cogs.round",
    "bot.cogs.pools",
    "bot.cogs.breathe",
    "bot.cogs.lyrics",
    "bot.cogs.song",
    "bot.cogs.schedule",
    "bot.cogs.schedule_events",
    "bot.cogs.schedule_start",
    "bot.cogs.reminders",
    "bot.cogs.calendar",
    "bot.cogs.setup",
    "bot.cogs.listening",
    "bot.cogs.playlist",
    "bot.cogs.checkins",
    "bot.cogs.checkin_schedule",
    "bot.cogs.checkin_notice",
    "bot.cogs.checkin_tags",
    "bot.cogs.goals",
    "bot.cogs.privacy",
    "bot.cogs.steps",
)


def intents() -> discord.Intents:
    """Only what the features need: servers, members joining/leaving, voice states. No content."""
    chosen = discord.Intents.none()
    chosen.guilds = True
    chosen.members = True
    chosen.voice_states = True
    chosen.guild_scheduled_events = True
    return chosen


class ChorusBot(commands.Bot):
    """The Chorus bot; its services hang off it so cogs and buttons can reach them."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        catalog: Catalog | None = None,
        clock: Clock = discord.utils.utcnow,
        step_handlers: dict[str, StepHandler[Any]] | None = None,
        voice: VoicePlayer | None = None,
        **options: Any,
    ) -> None:
        self.startup = StartupTimes()
        """The parts of this start, logged when ready (and read by bench/startup.py)."""
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            tree_cls=ChorusTree,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.settings = settings
        self.store = store
        self.clock = clock
        shipped = catalog or Catalog.load(list(settings.activities_dirs), settings.media_dir)
        # Each server sees the shipped library plus its own uploads, and has its own settings.
        self.library = GuildLibrary(store, clock, shipped, settings.servers)
        self.guild_settings = GuildSettingsService(store, clock, settings)
        self.sessions = SessionService(store, clock)

        def language(guild_id: int) -> str:
            return server_language(self.guild_settings, guild_id)

        self.runner = Runner(store, clock, step_handlers or registered_step_handlers(), language)
        self.run_timer = DeadlineTimer(clock, self.runner.next_wake, self._wake_runs)
        self.privacy = PrivacyService(store, self.runner, clock, self.guild_settings)

        self.listening = ListeningService(
            store, clock, self.runner, settings.media_dir, plain_name, language
        )
        self.lyrics = LyricsService(store, clock, self.runner, language)
        self.reflect_review = ReflectReview(store, self.runner, clock)
        self.schedule = ScheduleService(
            store, clock, self.sessions, self.runner, self.library, self.guild_settings
        )
        self._build_feature_services(settings, store, clock)
        self.leases: LeaseKeeper | None = None
        self.warming: asyncio.Task[None] | None = None
        """`warm_up` in its thread, started once the bot is ready (see setup_hook)."""
        self._posting_resumed = False
        """Set once start-up posted what a crash left unposted (adoptions wait until then)."""
        self.schedule.wake.fires_timers_of = self.fires_timers_of
        self.routes = ComponentRoutes()
        """Each component and form family's handler, registered by the cogs as they load."""
        # Voice playback sits behind a small interface; tests inject a recording fake.
        self.voice: VoicePlayer = voice if voice is not None else DiscordVoice(self, clock=clock)
        self.version = __version__
        # Last: the live messages use the services above.
        self.live = LiveSessions(self)
        self.startup.mark("construct bot + catalog")

    def _build_feature_services(self, settings: Settings, store: Store, clock: Clock) -> None:
        """The services the cogs share, each built once here (one check-in service: one batch of
        answers and one cache of thresholds for every cog that saves check-ins)."""
        self.boards = BoardService(store, clock)
        """The board's and step cards' reads and message ids (for `LiveSessions`)."""
        self.checkins = CheckinService(
            store, clock, self.runner, settings.checkins, self.guild_settings.care_for
        )
        self.goals = GoalService(store, clock, self.runner)
        self.calendar = SessionCalendar(store, clock)
        """The server's scheduled series as an .ics file (/session calendar)."""
        self.exports = MemberExports(store)
        """A member's data as CSV and chart figures (/mydata format:csv|chart)."""
        self.checkin_tags = CheckinTags(store, clock)
        self.pattern_notices = PatternNotices(
            store, clock, lambda guild_id: self.guild_settings.care_for(guild_id)[0]
        )
        """The opt-in pattern notice, with each server's low threshold."""
        # Only servers this process is connected to: with several processes (shards), each
        # claims and sends the DMs of its own servers, and none claims one it can't send.
        self.checkin_reminders = CheckinReminders(
            store, clock, lambda guild_id: self.get_guild(guild_id) is not None
        )
        self.checkin_timer = DeadlineTimer(
            clock, self.checkin_reminders.next_due, self.checkin_reminders.send_due
        )
        """Wakes at the next scheduled check-in DM (the cog attaches who sends it)."""
        self.series_reminders = SeriesReminders(store, clock, self.schedule)
        """Members' own reminder times per scheduled series."""

    @property
    def catalog(self) -> Catalog:
        """The shipped library (what every server starts from); see ``library`` per server."""
        return self.library.shipped

    async def setup_hook(self) -> None:
        """discord.py's start-up hook: opens the store (migrating it), takes shard leases, loads
        settings and libraries, loads the cogs, syncs commands when their payload changed and
        resumes live runs; each part's time is marked for `startup_times`. Raises RuntimeError
        when a component or form family has no handler (a cog left one out: a bug, found at
        start-up)."""
        mark = self.startup.mark
        await self.store.open()
        mark("store open + migrations")
        self.leases = await start_leases(
            self.settings, self.store, self.clock, self.runner, self._rearm_timers
        )
        await self.guild_settings.load()
        await self.library.load()
        for stale in self.library.stale:
            log.warning(
                "server %s: activity %s version %s no longer validates and is left out",
                stale.guild_id,
                stale.activity_id,
                stale.version,
            )
        mark("leases, server settings + libraries")
        for name in COGS:
            await self.load_extension(name)
        missing = self.routes.unhandled()
        if missing:
            raise RuntimeError(f"component families without a handler: {', '.join(missing)}")
        self.add_dynamic_items(*FAMILIES, RetiredButton)
        self.add_listener(self._on_interaction, "on_interaction")
        mark("cogs")
        await self.tree.set_translator(ChorusTranslator())  # German and Spanish clients
        synced = await sync_commands(
            self.tree, self.settings, self.store.bot_state, self.application_id
        )
        mark(f"command sync ({synced})")
        await self.live.resume_all(self._recovering())
        self._posting_resumed = True
        await self.run_timer.rearm()
        mark("resume + re-arm")
        # Slow one-time loads (the pronunciation data, the chart process) now, in a thread
        # while discord.py connects to the gateway: no interaction can arrive before READY.
        self.warming = asyncio.create_task(self._warm_up())
        log.info(
            "Chorus %s ready: %d activities loaded, %d with errors; started in %s",
            self.version,
            len(self.catalog.activities),
            len({e.file for e in self.catalog.errors}),
            self.startup.summary(),
        )

    async def _warm_up(self) -> None:
        try:
            await asyncio.to_thread(warm_up)
        except Exception:
            # Not fatal: the first chart or lyric line loads what it needs itself.
            log.exception("warming up after start-up failed")

    def fires_timers_of(self, guild_id: int) -> bool:
        """Whether this process fires the server's timers now (always, in one process)."""
        return self.leases is None or self.leases.holds(guild_id)

    def _recovering(self) -> Callable[[int], bool] | None:
        """The servers whose unposted step messages are this process's (None: every one)."""
        if self.leases is None:
            return None
        return self.leases.recovers(self.leases.recovering())

    async def _rearm_timers(self) -> None:
        """After a lease heartbeat: shards may have been adopted or given back."""
        if self.leases is not None and self._posting_resumed:
            adopted = self.leases.recovering()
            if adopted:
                await self.live.resume_all(self.leases.recovers(adopted))
        await self.run_timer.rearm()
        await self.schedule.timer.rearm()
        await self.checkin_timer.rearm()

    async def _wake_runs(self) -> None:
        for update in await self.runner.wake_due():
            await self.live.apply(update)

    def register_family(self, family: type[Family], handler: FamilyHandler[Family]) -> None:
        """Clicks on any component of `family` reach `handler` with the typed item."""
        self.routes.add_family(family, handler)

    async def route_component(self, interaction: discord.Interaction, item: RoutedItem) -> None:
        """Hand one click to its handler; the one error path answers whatever it raises
        (`ComponentRoutes.route`)."""
        await self.routes.route(interaction, item)

    def register_form(self, family: type[Form], handler: FormHandler[Form], *, what: str) -> None:
        """Forms (modals) whose id parses as `family` are routed to `handler` with the typed id,
        with no timeout and across restarts; `what` (a catalogue text, marked with N_) names the
        text given back if it can't be saved."""
        self.routes.add_form(family, handler, what)

    @property
    def form_handlers(self) -> Mapping[type[FormId], FormRoute]:
        """Each form family with the handler its submissions go to (for `route_form`)."""
        return self.routes.forms

    async def _on_interaction(self, interaction: discord.Interaction) -> None:
        await route_form(self, interaction)

    async def close(self) -> None:
        """Stops the timers, the live messages and the leases, closes discord.py's connection, then
        the store and the chart process."""
        if self.warming is not None:
            await self.warming  # a thread can't be cancelled; it's done within a second or two
        self.run_timer.close()
        self.checkin_timer.close()
        self.live.close()
        if self.leases is not None:
            await self.leases.close()
        await super().close()
        await self.store.close()
        # The chart process would outlive the bot (and keep an exiting interpreter waiting).
        await asyncio.to_thread(chart_worker.stop)
