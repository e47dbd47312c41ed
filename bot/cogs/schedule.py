"""Scheduled sessions: /session schedule create|edit|cancel, /session upcoming,
/remind me, Discord scheduled events, reminders, and sessions that open themselves.

One timer (a DeadlineScheduler of its own) wakes at the next stored due time: a reminder slot,
a start, a missed-check or an end. State moves on in the store before anything is sent, so a
crash never repeats a reminder and a restart never sends one late.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import ChorusBot
from bot.cogs import controls
from bot.cogs.access import require_guild
from bot.cogs.errors import http_error, reply_ephemeral, respond_to_error
from bot.core.activities import localize
from bot.core.errors import Conflict, InvalidInput, NotFound, UserFacingError
from bot.core.reminders import DEFAULT_MINUTES, MAX_MINUTES, recipients
from bot.core.schedule import (
    Recurrence,
    Repeat,
    WakePlan,
    next_deadline,
    parse_when,
    plan_wake,
    require_future,
    timezone_choices,
    zone,
)
from bot.core.scheduler import DeadlineScheduler
from bot.core.session import clean_title
from bot.store.records import NO_FACILITATOR
from bot.store.schedule import OccurrenceRecord, SeriesRecord
from bot.ui import limits
from bot.ui.schedule import (
    AREA,
    ConfirmView,
    ScheduleView,
    confirm_embed,
    event_description,
    opening_closed,
    opening_message,
    reminder_dm,
    reminder_fallback,
    upcoming_embed,
)

log = logging.getLogger("chorus.schedule")
NONE = discord.AllowedMentions.none()
ANCHOR_FORMAT = "%Y-%m-%dT%H:%M:%S"


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def rule_of(series: SeriesRecord) -> Recurrence:
    return Recurrence(
        repeat=series.repeat,  # type: ignore[arg-type]
        timezone=series.timezone,
        anchor_local=datetime.strptime(series.anchor_local, ANCHOR_FORMAT),
        anchor_seq=series.anchor_seq,
    )


class ScheduleGroup(app_commands.Group):
    """/session schedule …: attached to the sessions cog's /session group in cog_load."""

    def __init__(self, cog: ScheduleCog) -> None:
        super().__init__(name="schedule", description="Plan sessions ahead: create, edit, cancel")
        self.cog = cog

    async def plan_ids(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self.cog.plan_choices(interaction, current)

    async def occurrence_ids(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        return await self.cog.occurrence_choices(interaction, current)

    @app_commands.command(name="create", description="Schedule a session (facilitators)")
    @app_commands.describe(
        title="What members will see, e.g. 'Tuesday circle'",
        when="e.g. 'friday 18:00', 'tomorrow 7pm', 'in 2 hours', '2026-03-27 18:00'",
        repeat="Repeat weekly, every other week, or monthly on the same weekday",
        plan="An activity to start when the facilitator presses Start",
        voice_channel="Meet in this voice channel (else the event points at this channel)",
        duration="Length in minutes (default 60)",
    )
    @app_commands.autocomplete(plan=plan_ids)
    async def create(
        self,
        interaction: discord.Interaction,
        title: app_commands.Range[str, 1, 100],
        when: app_commands.Range[str, 1, 80],
        repeat: Repeat = "none",
        plan: str | None = None,
        voice_channel: discord.VoiceChannel | discord.StageChannel | None = None,
        duration: app_commands.Range[int, 5, 1440] = 60,
    ) -> None:
        await self.cog.create(interaction, title, when, repeat, plan, voice_channel, duration)

    @app_commands.command(name="edit", description="Change a scheduled session (facilitators)")
    @app_commands.describe(
        id="Which session (see /session upcoming)",
        title="A new title",
        when="A new time; a repeating session moves to it from now on",
        repeat="A new repeat rule",
        plan="A new activity to start",
        voice_channel="A new voice channel",
        duration="A new length in minutes",
    )
    @app_commands.autocomplete(id=occurrence_ids)
    @app_commands.autocomplete(plan=plan_ids)
    async def edit(
        self,
        interaction: discord.Interaction,
        id: int,
        title: app_commands.Range[str, 1, 100] | None = None,
        when: app_commands.Range[str, 1, 80] | None = None,
        repeat: Repeat | None = None,
        plan: str | None = None,
        voice_channel: discord.VoiceChannel | discord.StageChannel | None = None,
        duration: app_commands.Range[int, 5, 1440] | None = None,
    ) -> None:
        await self.cog.edit(interaction, id, title, when, repeat, plan, voice_channel, duration)

    @app_commands.command(name="cancel", description="Cancel a scheduled session (facilitators)")
    @app_commands.describe(
        id="Which session (see /session upcoming)",
        whole_series="Also stop every later session of a repeating series",
    )
    @app_commands.autocomplete(id=occurrence_ids)
    async def cancel(
        self, interaction: discord.Interaction, id: int, whole_series: bool = False
    ) -> None:
        await self.cog.cancel(interaction, id, whole_series)


class ScheduleCog(commands.Cog):
    """Schedules, Discord events, reminders and self-opening sessions."""

    remind = app_commands.Group(
        name="remind", description="Reminders before scheduled sessions", guild_only=True
    )

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        self.timer = DeadlineScheduler(bot.clock, self.next_due, self.on_due)
        self.schedule_group = ScheduleGroup(self)
        self.upcoming_command: app_commands.Command[Any, Any, Any] = app_commands.Command(
            name="upcoming",
            description="The next scheduled sessions, in your own time zone",
            callback=_upcoming_callback,
        )
        bot.register_component(AREA, self.on_button)

    # ---------------------------------------------------------------- wiring

    async def cog_load(self) -> None:
        session = self.bot.tree.get_command("session")
        if not isinstance(session, app_commands.Group):
            raise RuntimeError("bot.cogs.schedule must load after bot.cogs.sessions")
        session.add_command(self.schedule_group)
        session.add_command(self.upcoming_command)
        # The store is open by now (setup_hook opens it first): arm the timer from it, so a
        # restarted bot picks up every stored due time.
        await self.timer.rearm()

    async def cog_unload(self) -> None:
        self.timer.close()
        session = self.bot.tree.get_command("session")
        if isinstance(session, app_commands.Group):
            session.remove_command("schedule")
            session.remove_command("upcoming")

    def now(self) -> datetime:
        return self.bot.clock()

    async def timezone_name(self, guild_id: int) -> str:
        return self.bot.guild_settings.for_guild(guild_id).timezone

    def plan_title(self, guild_id: int, plan: str | None) -> str | None:
        if not plan:
            return None
        activity = self.bot.library.get(guild_id, plan)
        return localize(activity.title) if activity is not None else plan

    def check_plan(self, guild_id: int, plan: str | None) -> str | None:
        if plan is None or not plan.strip():
            return None
        if self.bot.library.get(guild_id, plan) is None:
            raise NotFound(
                f"There's no activity called `{plan[:60]}`. Pick one of the suggestions "
                "(/activity list shows them all)."
            )
        return plan

    def view_of(
        self, series: SeriesRecord, occurrence: OccurrenceRecord, interested: int | None = None
    ) -> ScheduleView:
        tz = zone(series.timezone)
        return ScheduleView(
            occurrence_id=occurrence.id,
            title=series.title,
            starts_at=occurrence.starts_at,
            ends_at=occurrence.ends_at,
            local_start=_utc(occurrence.starts_at).astimezone(tz),
            repeat=series.repeat,  # type: ignore[arg-type]
            channel_id=series.channel_id,
            voice_channel_id=series.voice_channel_id,
            plan_title=self.plan_title(series.guild_id, series.plan),
            interested=interested,
            status=occurrence.status,
            channel_name=self.channel_name(series.guild_id, series.channel_id),
            voice_name=self.channel_name(series.guild_id, series.voice_channel_id),
        )

    def channel_name(self, guild_id: int, channel_id: int | None) -> str | None:
        guild = self.bot.get_guild(guild_id)
        channel = guild.get_channel(channel_id) if guild and channel_id else None
        return channel.name if channel is not None else None

    # ------------------------------------------------------------ autocomplete

    async def plan_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        needle = current.casefold().strip()
        found = []
        for activity in self.bot.library.catalog_for(interaction.guild_id).activities.values():
            title = localize(activity.title)
            if needle in f"{activity.id} {title}".casefold():
                label = f"{title} ({activity.duration_minutes} min)"
                found.append(app_commands.Choice(name=limits.choice_name(label), value=activity.id))
        found.sort(key=lambda c: c.name)
        return found[:25]

    async def occurrence_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        choices = []
        for occurrence in await self.bot.store.schedule.upcoming(interaction.guild_id, 25):
            series = await self.bot.store.schedule.series(occurrence.series_id)
            if series is None:
                continue
            local = _utc(occurrence.starts_at).astimezone(zone(series.timezone))
            name = f"#{occurrence.id} {series.title} · {local:%a %-d %b %H:%M} ({series.timezone})"
            if current.strip().casefold() in name.casefold():
                choices.append(
                    app_commands.Choice(name=limits.choice_name(name), value=occurrence.id)
                )
        return choices

    async def timezone_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=n, value=n) for n in timezone_choices(current)]

    # ---------------------------------------------------------------- create

    async def create(
        self,
        interaction: discord.Interaction,
        title: str,
        when: str,
        repeat: Repeat,
        plan: str | None,
        voice_channel: discord.VoiceChannel | discord.StageChannel | None,
        duration: int,
    ) -> None:
        guild_id, channel_id = require_guild(interaction)
        controls.facilitator_only(interaction)
        title = clean_title(title)
        plan = self.check_plan(guild_id, plan)
        tz_name = await self.timezone_name(guild_id)
        tz = zone(tz_name)
        start = parse_when(when, self.now(), tz)
        require_future(start, self.now())
        end = start + timedelta(minutes=duration)
        preview = ScheduleView(
            occurrence_id=0,
            title=title,
            starts_at=start.timestamp(),
            ends_at=end.timestamp(),
            local_start=start,
            repeat=repeat,
            channel_id=channel_id,
            voice_channel_id=voice_channel.id if voice_channel else None,
            plan_title=self.plan_title(guild_id, plan),
            channel_name=self.channel_name(guild_id, channel_id),
            voice_name=voice_channel.name if voice_channel else None,
        )

        async def confirmed(click: discord.Interaction) -> None:
            require_future(start, self.now())
            series, occurrence = await self.bot.store.schedule.create_series(
                guild_id=guild_id,
                channel_id=channel_id,
                voice_channel_id=preview.voice_channel_id,
                facilitator_id=interaction.user.id,
                title=title,
                plan=plan,
                duration_minutes=duration,
                repeat=repeat,
                timezone=tz_name,
                anchor_local=start.replace(tzinfo=None).strftime(ANCHOR_FORMAT),
                starts_at=start.timestamp(),
                ends_at=end.timestamp(),
                now=self.now().timestamp(),
            )
            try:
                await self.create_event(series, occurrence)
            except discord.Forbidden:
                await self.bot.store.schedule.transition(occurrence.id, ["scheduled"], "cancelled")
                await self.bot.store.schedule.stop_series(series.id)
                raise UserFacingError(
                    "I couldn't create the server event, so nothing was scheduled. Please give "
                    "me the **Manage Events** permission and try again."
                ) from None
            await click.response.edit_message(
                content=None,
                embed=confirm_embed(self.view_of(series, occurrence), confirmed=True),
                view=None,
            )
            await self.timer.rearm()

        view = ConfirmView(interaction.user.id, confirmed, respond_to_error)
        await interaction.response.send_message(
            content="Here's the session. Does the time look right?",
            embed=confirm_embed(preview),
            view=view,
            ephemeral=True,
            allowed_mentions=NONE,
        )

    # ------------------------------------------------------------------ edit

    async def _editable(
        self, interaction: discord.Interaction, occurrence_id: int
    ) -> tuple[SeriesRecord, OccurrenceRecord]:
        guild_id, _ = require_guild(interaction)
        controls.facilitator_only(interaction)
        occurrence = await self.bot.store.schedule.occurrence(occurrence_id)
        series = await self.bot.store.schedule.series(occurrence.series_id) if occurrence else None
        if occurrence is None or series is None or occurrence.guild_id != guild_id:
            raise NotFound(f"There's no scheduled session #{occurrence_id} here.")
        if occurrence.status != "scheduled":
            raise Conflict(
                f"Session #{occurrence_id} has already {_status_words(occurrence.status)}, "
                "so it can't be changed. Use /session upcoming to see what's ahead."
            )
        return series, occurrence

    async def edit(
        self,
        interaction: discord.Interaction,
        occurrence_id: int,
        title: str | None,
        when: str | None,
        repeat: Repeat | None,
        plan: str | None,
        voice_channel: discord.VoiceChannel | discord.StageChannel | None,
        duration: int | None,
    ) -> None:
        series, occurrence = await self._editable(interaction, occurrence_id)
        if all(v is None for v in (title, when, repeat, plan, voice_channel, duration)):
            raise InvalidInput("Tell me what to change: a title, a time, a plan, a channel…")
        store = self.bot.store.schedule
        changes: dict[str, object] = {}
        starts_at = occurrence.starts_at
        if title is not None:
            changes["title"] = clean_title(title)
        if plan is not None:
            changes["plan"] = self.check_plan(series.guild_id, plan)
        if voice_channel is not None:
            changes["voice_channel_id"] = voice_channel.id
        if duration is not None:
            changes["duration_minutes"] = duration
        if repeat is not None:
            changes["repeat"] = repeat
        if when is not None or repeat is not None:
            tz_name = await self.timezone_name(occurrence.guild_id) if when else series.timezone
            tz = zone(tz_name)
            if when is not None:
                start = parse_when(when, self.now(), tz)
                require_future(start, self.now())
            else:
                start = _utc(occurrence.starts_at).astimezone(tz)
            starts_at = start.timestamp()
            changes.update(
                timezone=tz_name,
                anchor_local=start.replace(tzinfo=None).strftime(ANCHOR_FORMAT),
                anchor_seq=occurrence.seq,
            )
        minutes = int(changes.get("duration_minutes", series.duration_minutes))  # type: ignore[call-overload]
        await store.update_series(series.id, **changes)
        await store.set_times(occurrence.id, starts_at, starts_at + 60 * minutes)
        series = await store.series(series.id) or series
        occurrence = await store.occurrence(occurrence.id) or occurrence
        await self.update_event(series, occurrence)
        await self.timer.rearm()
        await interaction.response.send_message(
            content=f"Updated session #{occurrence.id}; the server event was changed too.",
            embed=confirm_embed(self.view_of(series, occurrence), confirmed=True),
            ephemeral=True,
            allowed_mentions=NONE,
        )

    # ---------------------------------------------------------------- cancel

    async def cancel(
        self, interaction: discord.Interaction, occurrence_id: int, whole_series: bool
    ) -> None:
        series, occurrence = await self._editable(interaction, occurrence_id)
        store = self.bot.store.schedule
        if not await store.transition(occurrence.id, ["scheduled"], "cancelled"):
            raise Conflict(f"Session #{occurrence_id} has just changed; try again.")
        await store.set_ended(occurrence.id, self.now().timestamp())
        await self.delete_event(occurrence)
        text = f"Cancelled **{series.title}** #{occurrence.id}; its server event was removed."
        if series.repeat != "none":
            if whole_series:
                await store.stop_series(series.id)
                text += " The series is stopped: no more sessions will be scheduled."
            else:
                following = await self.schedule_next(series, occurrence)
                if following is not None:
                    text += (
                        f" The series carries on: next is #{following.id} on "
                        f"<t:{int(following.starts_at)}:F>."
                    )
        await self.timer.rearm()
        await reply_ephemeral(interaction, text)

    # -------------------------------------------------------------- upcoming

    async def upcoming(self, interaction: discord.Interaction) -> None:
        guild_id, _ = require_guild(interaction)
        occurrences = await self.bot.store.schedule.upcoming(guild_id, 10)
        counts = await self.interest_counts(guild_id) if occurrences else {}
        views = []
        for occurrence in occurrences:
            series = await self.bot.store.schedule.series(occurrence.series_id)
            if series is not None:
                count = counts.get(occurrence.event_id) if occurrence.event_id else None
                views.append(self.view_of(series, occurrence, count))
        await interaction.response.send_message(
            embed=upcoming_embed(views, await self.timezone_name(guild_id)),
            ephemeral=True,
            allowed_mentions=NONE,
        )

    # ----------------------------------------------------------- top-level

    @remind.command(name="me", description="Get a reminder before sessions you're interested in")
    @app_commands.describe(
        state="on or off",
        minutes_before=f"How long before the start (1-{MAX_MINUTES} minutes, default 15)",
    )
    async def remind_me(
        self,
        interaction: discord.Interaction,
        state: Literal["on", "off"],
        minutes_before: app_commands.Range[int, 1, MAX_MINUTES] = DEFAULT_MINUTES,
    ) -> None:
        guild_id, _ = require_guild(interaction)
        store = self.bot.store.schedule
        if state == "off":
            removed = await store.remove_optin(guild_id, interaction.user.id)
            await reply_ephemeral(
                interaction,
                "🔕 Reminders are off; you won't hear from me about scheduled sessions."
                if removed
                else "Reminders were already off for you here.",
            )
        else:
            await store.set_optin(
                guild_id, interaction.user.id, minutes_before, self.now().timestamp()
            )
            await reply_ephemeral(
                interaction,
                f"🔔 Reminders are on: I'll DM you {minutes_before} min before each scheduled "
                "session you've marked **Interested** in the server's Events list (once per "
                "session). /remind me off stops them.",
            )
        await self.timer.rearm()

    # -------------------------------------------------------- discord events

    async def guild(self, guild_id: int) -> discord.Guild:
        return self.bot.get_guild(guild_id) or await self.bot.fetch_guild(guild_id)

    async def fetch_event(self, occurrence: OccurrenceRecord) -> discord.ScheduledEvent | None:
        if occurrence.event_id is None:
            return None
        guild = await self.guild(occurrence.guild_id)
        try:
            return await guild.fetch_scheduled_event(occurrence.event_id, with_counts=True)
        except discord.NotFound:
            return None

    def _event_fields(
        self, guild: discord.Guild, series: SeriesRecord, occurrence: OccurrenceRecord
    ) -> dict[str, Any]:
        channel = guild.get_channel(series.channel_id)
        channel_name = channel.name if channel is not None else "the session channel"
        fields: dict[str, Any] = {
            "name": limits.event_name(series.title),
            "start_time": _utc(occurrence.starts_at),
            "end_time": _utc(occurrence.ends_at),
            "description": event_description(
                channel_name, self.plan_title(series.guild_id, series.plan)
            ),
        }
        if series.voice_channel_id:
            voice = guild.get_channel(series.voice_channel_id)
            fields["entity_type"] = (
                discord.EntityType.stage_instance
                if isinstance(voice, discord.StageChannel)
                else discord.EntityType.voice
            )
            fields["channel"] = voice or discord.Object(series.voice_channel_id)
        else:
            fields["entity_type"] = discord.EntityType.external
            fields["location"] = limits.event_location(f"#{channel_name}")
        return fields

    async def create_event(self, series: SeriesRecord, occurrence: OccurrenceRecord) -> int:
        guild = await self.guild(series.guild_id)
        event = await guild.create_scheduled_event(
            **self._event_fields(guild, series, occurrence),
            privacy_level=discord.PrivacyLevel.guild_only,
        )
        await self.bot.store.schedule.set_event(occurrence.id, event.id)
        return event.id

    async def update_event(self, series: SeriesRecord, occurrence: OccurrenceRecord) -> None:
        event = await self.fetch_event(occurrence)
        if event is None:
            await self.create_event(series, occurrence)
            return
        guild = await self.guild(series.guild_id)
        fields = self._event_fields(guild, series, occurrence)
        if fields["entity_type"] is discord.EntityType.external:
            fields["channel"] = None
        await event.edit(**fields)

    async def delete_event(self, occurrence: OccurrenceRecord) -> None:
        try:
            event = await self.fetch_event(occurrence)
            if event is not None:
                await event.delete()
        except discord.HTTPException as error:
            log.warning(
                "could not delete the event of occurrence %s (%s)", occurrence.id, http_error(error)
            )

    async def interest_counts(self, guild_id: int) -> dict[int, int]:
        try:
            guild = await self.guild(guild_id)
            events = await guild.fetch_scheduled_events(with_counts=True)
        except discord.HTTPException:
            return {}
        return {e.id: e.user_count or 0 for e in events}

    async def set_event_status(self, occurrence: OccurrenceRecord, wanted: str) -> None:
        """Move the Discord event along (start, end, or cancel) as far as Discord allows."""
        try:
            event = await self.fetch_event(occurrence)
            if event is None:
                return
            if wanted == "active" and event.status is discord.EventStatus.scheduled:
                await event.start()
            elif wanted == "done":
                if event.status is discord.EventStatus.active:
                    await event.end()
                elif event.status is discord.EventStatus.scheduled:
                    await event.cancel()
        except discord.HTTPException as error:
            log.warning(
                "could not update the event of occurrence %s (%s)", occurrence.id, http_error(error)
            )

    # ----------------------------------------------------------------- timer

    async def next_due(self) -> float | None:
        minutes = await self.bot.store.schedule.optin_minutes()
        due = [
            next_deadline(o, minutes.get(o.guild_id, set()))
            for o in await self.bot.store.schedule.pending()
            if self.bot.fires_timers_of(o.guild_id)
        ]
        return min((d for d in due if d is not None), default=None)

    async def on_due(self) -> None:
        now = self.now().timestamp()
        minutes = await self.bot.store.schedule.optin_minutes()
        for occurrence in await self.bot.store.schedule.pending():
            if not self.bot.fires_timers_of(occurrence.guild_id):
                continue  # another process holds this server's shard
            plan = plan_wake(occurrence, minutes.get(occurrence.guild_id, set()), now)
            if not plan.anything:
                continue
            try:
                await self.process(occurrence, plan, now)
            except Exception:
                log.exception("scheduled session %s: wake-up failed", occurrence.id)

    async def process(self, occurrence: OccurrenceRecord, plan: WakePlan, now: float) -> None:
        store = self.bot.store.schedule
        series = await store.series(occurrence.series_id)
        if series is None:
            return
        if plan.mark_reminders:
            # Marked first: a crash after this never sends the same reminder twice, and a
            # wake-up (in any process) that finds them marked already sends nothing.
            claimed = await store.mark_reminders(occurrence.id, now)
            if plan.remind and claimed:
                await self.send_reminders(series, occurrence, plan.remind, now)
        if plan.open:
            await self.open_session(series, occurrence, now)
        if plan.missed_unopened:
            await store.set_opened(occurrence.id, None, now, status="missed")
        if plan.check_missed:
            await self.check_missed(series, occurrence)
        if plan.end:
            await self.finish(series, occurrence, now)

    async def send_reminders(
        self, series: SeriesRecord, occurrence: OccurrenceRecord, slots: tuple[int, ...], now: float
    ) -> None:
        store = self.bot.store.schedule
        optins = await store.optins(series.guild_id)
        event = await self.fetch_event(occurrence)
        if event is None:
            return
        interested = [user.id async for user in event.users()]
        to_remind = recipients(optins, slots, interested, await store.reminded(occurrence.id))
        unreachable: list[int] = []
        guild = self.bot.get_guild(series.guild_id)
        name = self.channel_name(series.guild_id, series.channel_id)
        where = f"**#{name}**" if name else f"<#{series.channel_id}>"
        if guild is not None:
            where += f" on **{guild.name}**"
        for user_id in to_remind:
            text = reminder_dm(series.title, occurrence.starts_at, where, optins[user_id])
            try:
                user = self.bot.get_user(user_id) or await self.bot.fetch_user(user_id)
                await user.send(text, allowed_mentions=NONE)
            except discord.HTTPException:
                unreachable.append(user_id)
                continue
            await store.record_reminded(occurrence.id, [user_id], "dm", now)
        if unreachable:
            channel = self.bot.get_partial_messageable(series.channel_id, guild_id=series.guild_id)
            try:
                await channel.send(
                    reminder_fallback(series.title, occurrence.starts_at, unreachable),
                    allowed_mentions=discord.AllowedMentions(
                        everyone=False,
                        roles=False,
                        replied_user=False,
                        users=[discord.Object(uid) for uid in unreachable],
                    ),
                )
            except discord.HTTPException as error:
                log.warning(
                    "could not post reminders in channel %s (%s); %d members not reminded",
                    series.channel_id,
                    http_error(error),
                    len(unreachable),
                )
                return
            await store.record_reminded(occurrence.id, unreachable, "channel", now)

    async def open_session(
        self, series: SeriesRecord, occurrence: OccurrenceRecord, now: float
    ) -> None:
        store = self.bot.store.schedule
        if not await store.set_opened(occurrence.id, None, now):
            return
        try:
            session = await self.bot.sessions.open(
                guild_id=series.guild_id,
                channel_id=series.channel_id,
                title=series.title,
                facilitator_id=series.facilitator_id,
                voice_channel_id=series.voice_channel_id,
            )
        except UserFacingError:
            await store.transition(occurrence.id, ["open"], "missed")
            await self.tell(
                series,
                f"**{series.title}** was due to open in <#{series.channel_id}>, but another "
                "session is open there, so it was skipped.",
            )
            return
        await store.set_opened_session(occurrence.id, session.id)
        board = await self.bot.live.post_board(session)
        if board is None:
            await self.bot.sessions.end(session)
            await store.transition(occurrence.id, ["open"], "missed")
            return
        content, view = opening_message(
            series.facilitator_id,
            series.title,
            self.plan_title(series.guild_id, series.plan),
            occurrence.id,
        )
        try:
            message = await self.bot.live.channel(session).send(
                content,
                view=view,
                allowed_mentions=discord.AllowedMentions(
                    everyone=False,
                    roles=False,
                    users=[discord.Object(series.facilitator_id)]
                    if series.facilitator_id != NO_FACILITATOR
                    else False,
                ),
            )
            await store.set_start_message(occurrence.id, message.id)
        except discord.HTTPException as error:
            log.warning(
                "could not post the Start button for occurrence %s (%s)",
                occurrence.id,
                http_error(error),
            )
        await self.set_event_status(occurrence, "active")

    async def check_missed(self, series: SeriesRecord, occurrence: OccurrenceRecord) -> None:
        """Nobody pressed Start within MISSED_AFTER: missed, unless an activity began anyway."""
        store = self.bot.store.schedule
        session = (
            await self.bot.store.sessions.get(occurrence.session_id)
            if occurrence.session_id
            else None
        )
        if session is not None and await self.bot.store.runs.for_session(session.id):
            await store.transition(occurrence.id, ["open"], "started")
            await self.close_start_message(series, occurrence, "started")
            return
        if not await store.transition(occurrence.id, ["open"], "missed"):
            return
        await self.close_start_message(series, occurrence, "missed")
        if session is not None and session.status == "open":
            await self.bot.sessions.end(session)
            await self.bot.live.refresh_board(session.id)

    async def close_start_message(
        self, series: SeriesRecord, occurrence: OccurrenceRecord, outcome: str
    ) -> None:
        if occurrence.start_message_id is None:
            return
        channel = self.bot.get_partial_messageable(series.channel_id, guild_id=series.guild_id)
        try:
            await channel.get_partial_message(occurrence.start_message_id).edit(
                content=opening_closed(series.title, outcome), view=None, allowed_mentions=NONE
            )
        except discord.HTTPException as error:
            log.warning(
                "could not close the start message of occurrence %s (%s)",
                occurrence.id,
                http_error(error),
            )

    async def finish(self, series: SeriesRecord, occurrence: OccurrenceRecord, now: float) -> None:
        if not await self.bot.store.schedule.set_ended(occurrence.id, now):
            return
        await self.set_event_status(occurrence, "done")
        if series.active:
            await self.schedule_next(series, occurrence)

    async def schedule_next(
        self, series: SeriesRecord, occurrence: OccurrenceRecord
    ) -> OccurrenceRecord | None:
        """The series' next occurrence (the first one still ahead), with its Discord event."""
        rule = rule_of(series)
        seq = rule.next_seq(occurrence.seq, self.now())
        if seq is None:
            return None
        start = rule.start(seq)
        following = await self.bot.store.schedule.add_occurrence(
            series,
            seq,
            start.timestamp(),
            start.timestamp() + 60 * series.duration_minutes,
            self.now().timestamp(),
        )
        if following is None:
            return None
        try:
            await self.create_event(series, following)
        except discord.HTTPException as error:
            log.warning(
                "could not create the event for occurrence %s (%s)", following.id, http_error(error)
            )
            await self.tell(
                series,
                f"I scheduled the next **{series.title}** but couldn't add it to the server's "
                "Events list. Please check that I have the **Manage Events** permission.",
            )
        return await self.bot.store.schedule.occurrence(following.id)

    async def tell(self, series: SeriesRecord, text: str) -> None:
        if series.facilitator_id == NO_FACILITATOR:
            # Their facilitator left and was forgotten: nobody is contacted in their place.
            log.info("series %s has no facilitator to tell; nobody was contacted", series.id)
            return
        try:
            user = self.bot.get_user(series.facilitator_id) or await self.bot.fetch_user(
                series.facilitator_id
            )
            await user.send(text, allowed_mentions=NONE)
        except discord.HTTPException:
            log.warning("could not reach facilitator %s", series.facilitator_id)

    # ----------------------------------------------------------------- Start

    async def on_button(self, interaction: discord.Interaction, args: list[str]) -> None:
        if len(args) != 2 or args[0] != "start":
            raise NotFound("That button is out of date.")
        controls.facilitator_only(interaction)
        store = self.bot.store.schedule
        occurrence = await store.occurrence(int(args[1]))
        series = await store.series(occurrence.series_id) if occurrence else None
        if occurrence is None or series is None:
            raise NotFound("That scheduled session no longer exists.")
        if occurrence.status == "started":
            raise Conflict("This session has already begun.")
        if occurrence.status != "open" or occurrence.session_id is None:
            raise Conflict(f"This session has {_status_words(occurrence.status)}.")
        session = await controls.session_by_id(interaction, occurrence.session_id)
        activity = self.bot.library.get(series.guild_id, series.plan) if series.plan else None
        if series.plan and activity is None:
            raise NotFound(
                f"The planned activity `{series.plan[:60]}` is no longer in the library. "
                "Start another with /activity start."
            )
        await self.bot.store.members.remember_name(
            session.guild_id, interaction.user.id, interaction.user.display_name
        )
        await self.bot.sessions.join(session, interaction.user.id)
        update = await self.bot.runner.start(session.id, activity) if activity else None
        if not await store.transition(occurrence.id, ["open"], "started"):
            raise Conflict("This session has already begun.")
        await interaction.response.edit_message(
            content=opening_closed(series.title, "started"), view=None, allowed_mentions=NONE
        )
        if update is not None:
            await self.bot.live.apply(update)
        else:
            self.bot.live.request_board(session.id)
        await self.timer.rearm()


def _status_words(status: str) -> str:
    return {
        "open": "already opened",
        "started": "already begun",
        "missed": "been marked missed",
        "cancelled": "been cancelled",
    }.get(status, "moved on")


async def _upcoming_callback(interaction: discord.Interaction) -> None:
    cog = controls.chorus(interaction).get_cog("ScheduleCog")
    assert isinstance(cog, ScheduleCog)
    await cog.upcoming(interaction)


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, ChorusBot)
    await bot.add_cog(ScheduleCog(bot))
