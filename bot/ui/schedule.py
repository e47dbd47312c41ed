"""What scheduled sessions look like: the confirmation, the upcoming list, reminders, Start."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import discord

from bot.core.schedule import Repeat, describe_repeat, zone
from bot.core.schedule_service import OccurrenceRecord, SeriesRecord
from bot.core.schedule_wake import utc
from bot.core.text import shorten
from bot.i18n import _
from bot.ui import limits
from bot.ui.components import TypedButton, persistent_view
from bot.ui.format import COLOUR_DONE, COLOUR_SESSION, field, plural, sentence


class StartButton(TypedButton, spec="chorus:schedule:start:{occurrence_id:int}"):
    """Start, under the board of a session the schedule opened: its facilitator begins it."""

    occurrence_id: int


def stamp(ts: float, style: str = "F") -> str:
    """A Discord timestamp: every member sees it in their own time zone."""
    return f"<t:{int(ts)}:{style}>"


def channel_name(client: discord.Client, guild_id: int, channel_id: int | None) -> str | None:
    """A channel's name from the cache (None when unknown): names read the same everywhere."""
    guild = client.get_guild(guild_id)
    channel = guild.get_channel(channel_id) if guild and channel_id else None
    return channel.name if channel is not None else None


def server_time(local: datetime) -> str:
    """The same moment on the server's clock, named, for facilitators to double-check."""
    return f"{local:%a %-d %b %Y, %H:%M} ({local.tzinfo})"


@dataclass(frozen=True, slots=True)
class ScheduleView:
    """One occurrence as shown to people."""

    occurrence_id: int
    title: str
    starts_at: float
    ends_at: float
    local_start: datetime
    repeat: Repeat
    channel_id: int
    voice_channel_id: int | None
    plan_title: str | None
    interested: int | None = None
    status: str = "scheduled"
    channel_name: str | None = None
    voice_name: str | None = None
    places: str | None = None
    """A closed session's cap, role and line as a line of text (`places_line`); None: open."""


def places_line(
    capacity: int | None,
    role_id: int | None,
    invite_only: bool,
    taken: int | None = None,
    waiting: int = 0,
    asking: int = 0,
) -> str:
    """ "🗝 6 places (4 taken), 2 waiting · for @role · by invitation": a closed session's terms."""
    parts = []
    if capacity is not None:
        cap = plural(capacity, "place")
        if taken is not None:
            cap += f" ({taken} taken)"
        if waiting:
            cap += f", {waiting} waiting"
        parts.append(cap)
    if role_id is not None:
        parts.append(f"for <@&{role_id}>")
    if invite_only:
        parts.append("by invitation" + (f", {asking} asking" if asking else ""))
    return "🗝 " + " · ".join(parts)


def schedule_view(
    client: discord.Client,
    series: SeriesRecord,
    occurrence: OccurrenceRecord,
    plan_title: str | None,
    interested: int | None = None,
) -> ScheduleView:
    """One stored occurrence as shown, with channel names from the client's cache."""
    return ScheduleView(
        occurrence_id=occurrence.id,
        title=series.title,
        starts_at=occurrence.starts_at,
        ends_at=occurrence.ends_at,
        local_start=utc(occurrence.starts_at).astimezone(zone(series.timezone)),
        repeat=series.repeat,  # type: ignore[arg-type]
        channel_id=series.channel_id,
        voice_channel_id=series.voice_channel_id,
        plan_title=plan_title,
        interested=interested,
        status=occurrence.status,
        channel_name=channel_name(client, series.guild_id, series.channel_id),
        voice_name=channel_name(client, series.guild_id, series.voice_channel_id),
    )


def _where(view: ScheduleView) -> str:
    """Channel names as text (they read the same everywhere), mentions when names are unknown."""
    text = f"#{view.channel_name}" if view.channel_name else f"<#{view.channel_id}>"
    if view.voice_channel_id:
        voice = view.voice_name or f"<#{view.voice_channel_id}>"
        return f"🔊 {voice}, board in {text}"
    return text


def confirm_embed(view: ScheduleView, *, confirmed: bool = False) -> discord.Embed:
    minutes = round((view.ends_at - view.starts_at) / 60)
    embed = discord.Embed(
        title=shorten(f"📅 {view.title}", 256),
        colour=COLOUR_DONE if confirmed else COLOUR_SESSION,
        description=(
            _(
                "**{stamp}** ({stamp2})\nShown in *your* time zone; each member sees their own.",
                locale,
                stamp=stamp(view.starts_at),
                stamp2=stamp(view.starts_at, "R"),
            )
        ),
    )
    embed.add_field(
        name=_("Server time", locale), value=field(server_time(view.local_start)), inline=False
    )
    embed.add_field(
        name=_("Repeats", locale), value=describe_repeat(view.repeat, view.local_start), inline=True
    )
    embed.add_field(
        name=_("Length", locale), value=_("{minutes} min", locale, minutes=minutes), inline=True
    )
    embed.add_field(name=_("Where", locale), value=field(_where(view)), inline=False)
    if view.places:
        embed.add_field(name=_("Who can come", locale), value=field(view.places), inline=False)
    embed.add_field(
        name=_("Plan", locale),
        value=field(
            f"{view.plan_title}: starts when a facilitator presses **Start**"
            if view.plan_title
            else "None: start activities by hand with /activity start"
        ),
        inline=False,
    )
    if confirmed:
        embed.set_footer(
            text=_(
                "Scheduled as #{occurrence_id}. It's in the server's Events list: members press "
                "Interested there, and /remind me on sends them a reminder.",
                locale,
                occurrence_id=view.occurrence_id,
            )
        )
    else:
        embed.set_footer(
            text=_("Check the time, then Confirm. Nothing is created until you do.", locale)
        )
    return embed


class ConfirmView(discord.ui.View):
    """Confirm / Cancel on the private preview; only the person who asked can press them."""

    def __init__(
        self,
        owner_id: int,
        on_confirm: Callable[[discord.Interaction], Awaitable[None]],
        on_error: Callable[[discord.Interaction, Exception], Awaitable[None]],
        timeout: float = 600,
    ) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self._on_confirm = on_confirm
        self._on_error = on_error

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.owner_id

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        await self._on_error(interaction, error)

    @discord.ui.button(label=_("Confirm", locale), style=discord.ButtonStyle.success, emoji="✅")
    async def confirm(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        self.stop()
        await self._on_confirm(interaction)

    @discord.ui.button(label=_("Cancel", locale), style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        self.stop()
        await interaction.response.edit_message(
            content=_("Cancelled: nothing was scheduled.", locale), embed=None, view=None
        )


def upcoming_embed(views: Sequence[ScheduleView], timezone: str) -> discord.Embed:
    embed = discord.Embed(title=_("📅 Upcoming sessions", locale), colour=COLOUR_SESSION)
    if not views:
        embed.description = _(
            "Nothing is scheduled yet. A facilitator can plan one with /session schedule create.",
            locale,
        )
        return embed
    for view in views[:10]:
        lines = [f"{stamp(view.starts_at)} ({stamp(view.starts_at, 'R')})"]
        repeat = describe_repeat(view.repeat, view.local_start)
        server = f"{view.local_start:%H:%M} {view.local_start.tzinfo}"
        details = [f"{repeat} at {server}" if view.repeat != "none" else server, _where(view)]
        if view.status in ("open", "started"):
            details.insert(0, "🟢 happening now")
        lines.append(" · ".join(details))
        if view.plan_title:
            lines.append(f"Plan: {view.plan_title}")
        if view.places:
            lines.append(view.places)
        if view.interested is not None:
            lines.append(f"⭐ {plural(view.interested, 'member')} interested")
        embed.add_field(
            name=shorten(f"#{view.occurrence_id} {view.title}", 256),
            value=field("\n".join(lines)),
            inline=False,
        )
    embed.set_footer(
        text=_(
            "Times show in your own time zone (server: {timezone}). Press Interested on the "
            "event in the Events list, and /remind me on for a reminder.",
            locale,
            timezone=timezone,
        )
    )
    return embed


def reminder_dm(title: str, starts_at: float, where: str, minutes: int) -> str:
    return _(
        "⏰ **{title}** starts {stamp} ({stamp2}) in {where}.\nYou asked for a reminder "
        "{minutes} min before sessions you're interested in; /remind me off stops them.",
        locale,
        title=title,
        stamp=stamp(starts_at, "R"),
        stamp2=stamp(starts_at, "t"),
        where=where,
        minutes=minutes,
    )


def reminder_fallback(title: str, starts_at: float, user_ids: Sequence[int]) -> str:
    mentions = " ".join(f"<@{uid}>" for uid in user_ids)
    return shorten(
        _(
            "⏰ {mentions}: **{title}** starts {stamp} ({stamp2}). (I couldn't reach you by "
            "DM, so here's your reminder.)",
            locale,
            mentions=mentions,
            title=title,
            stamp=stamp(starts_at, "R"),
            stamp2=stamp(starts_at, "t"),
        ),
        2000,
    )


def start_label(plan_title: str | None) -> str:
    return shorten(f"Start {plan_title}" if plan_title else "Start session", 80)


def opening_message(
    facilitator_id: int, title: str, plan_title: str | None, occurrence_id: int
) -> tuple[str, discord.ui.View]:
    """Posted under the board when a scheduled session opens; mentions the facilitator once
    (nobody, when `facilitator_id` is 0: they were forgotten)."""
    text = (
        (f"🔔 <@{facilitator_id}>, " if facilitator_id else "🔔 ")
        + f"**{title}** is starting now. "
        + (
            f"Press **{start_label(plan_title)}** when you're ready to begin."
            if plan_title
            else "Press **Start session** when you're here to begin."
        )
        + " If nobody starts it within 30 minutes it will be marked missed."
    )
    view = persistent_view(
        StartButton.button(
            start_label(plan_title),
            occurrence_id=occurrence_id,
            style=discord.ButtonStyle.success,
        )
    )
    return shorten(text, 2000), view


def opening_closed(title: str, outcome: str) -> str:
    if outcome == "started":
        return _("▶ **{title}** has begun.", locale, title=title)
    return _(
        "⌛ **{title}** wasn't started within 30 minutes, so it was marked missed.",
        locale,
        title=title,
    )


def event_description(channel_name: str, plan_title: str | None) -> str:
    text = f"A Chorus session in #{channel_name}."
    if plan_title:
        text += sentence(f" Plan: {plan_title}")
    text += (
        " Press Interested to see it in your calendar; use /remind me on in the server "
        "for a reminder."
    )
    return limits.event_description(text)
