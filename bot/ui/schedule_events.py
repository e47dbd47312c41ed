"""What a scheduled session posts as it comes: the reminders (DM, or in the channel when DMs are
closed), the opening under the board with its Start button, and the Discord event's description."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord

from bot.core.schedule_wake import utc
from bot.core.text import shorten
from bot.i18n import _
from bot.records.schedule import OccurrenceRecord, SeriesRecord
from bot.ui import limits
from bot.ui.components import TypedButton, persistent_view
from bot.ui.format import sentence
from bot.ui.schedule import stamp


class StartButton(TypedButton, spec="chorus:schedule:start:{occurrence_id:int}"):
    """Start, under the board of a session the schedule opened: its facilitator begins it."""

    occurrence_id: int


def event_fields(
    guild: discord.Guild,
    series: SeriesRecord,
    occurrence: OccurrenceRecord,
    plan_title: str | None,
    locale: str,
) -> dict[str, Any]:
    """The keyword arguments of the occurrence's server event (discord.py's
    `Guild.create_scheduled_event` and `ScheduledEvent.edit`): its name, UTC start and end, the
    description in ``locale`` (the server's: the Events list is public), and where it is (the
    series' voice or stage channel, else the session channel's name as an external place)."""
    channel = guild.get_channel(series.channel_id)
    board_channel = channel.name if channel is not None else _("the session channel", locale)
    fields: dict[str, Any] = {
        "name": limits.event_name(series.title),
        "start_time": utc(occurrence.starts_at),
        "end_time": utc(occurrence.ends_at),
        "description": event_description(board_channel, plan_title, locale),
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
        fields["location"] = limits.event_location(f"#{board_channel}")
    return fields


def reminder_where(
    channel_name: str | None, channel_id: int, server_name: str | None, locale: str
) -> str:
    """Where a reminded session meets, for a DM: the channel (by name when known, else as a
    mention) on the server (when its name is known), in ``locale``."""
    channel = f"**#{channel_name}**" if channel_name else f"<#{channel_id}>"
    if server_name is None:
        return channel
    return _("{channel} on **{server}**", locale, channel=channel, server=server_name)


def reminder_dm(title: str, starts_at: float, where: str, minutes: int, locale: str) -> str:
    """The reminder DM before a session starting at `starts_at` (a UTC timestamp in seconds), in
    ``locale`` (the member's kept with /remind me, else the server's)."""
    return _(
        "⏰ **{title}** starts {relative} ({time}) in {where}.\nYou asked for a reminder "
        "{minutes} min before sessions you're interested in; /remind me off stops them.",
        locale,
        title=title,
        relative=stamp(starts_at, "R"),
        time=stamp(starts_at, "t"),
        where=where,
        minutes=minutes,
    )


def reminder_fallback(title: str, starts_at: float, user_ids: Sequence[int], locale: str) -> str:
    """The reminder posted in the channel for members whose DMs are closed (server's language);
    `starts_at` is a UTC timestamp in seconds."""
    mentions = " ".join(f"<@{uid}>" for uid in user_ids)
    return shorten(
        _(
            "⏰ {mentions}: **{title}** starts {relative} ({time}). (I couldn't reach you by "
            "DM, so here's your reminder.)",
            locale,
            mentions=mentions,
            title=title,
            relative=stamp(starts_at, "R"),
            time=stamp(starts_at, "t"),
        ),
        2000,
    )


def start_label(plan_title: str | None, locale: str) -> str:
    """The Start button's label in ``locale``: "Start <plan>" or "Start session" (80 at most)."""
    return shorten(
        _("Start {plan}", locale, plan=plan_title) if plan_title else _("Start session", locale),
        80,
    )


def opening_message(
    facilitator_id: int, title: str, plan_title: str | None, occurrence_id: int, locale: str
) -> tuple[str, discord.ui.View]:
    """Posted under the board when a scheduled session opens, in the server's ``locale``;
    mentions the facilitator once (nobody, when `facilitator_id` is 0: they were forgotten)."""
    button = start_label(plan_title, locale)
    if facilitator_id:
        text = _(
            "🔔 {facilitator}, **{title}** is starting now. Press **{button}** when you're ready "
            "to begin. If nobody starts it within 30 minutes it will be marked missed.",
            locale,
            facilitator=f"<@{facilitator_id}>",
            title=title,
            button=button,
        )
    else:
        text = _(
            "🔔 **{title}** is starting now. Press **{button}** when you're ready to begin. "
            "If nobody starts it within 30 minutes it will be marked missed.",
            locale,
            title=title,
            button=button,
        )
    view = persistent_view(
        StartButton.button(button, occurrence_id=occurrence_id, style=discord.ButtonStyle.success)
    )
    return shorten(text, 2000), view


def opening_closed(title: str, outcome: str, locale: str) -> str:
    """The opening message once it is over, in ``locale``: begun (`outcome` "started") or marked
    missed (anything else)."""
    if outcome == "started":
        return _("▶ **{title}** has begun.", locale, title=title)
    return _(
        "⌛ **{title}** wasn't started within 30 minutes, so it was marked missed.",
        locale,
        title=title,
    )


def event_description(channel_name: str, plan_title: str | None, locale: str) -> str:
    """The Discord scheduled event's description, in the server's ``locale``."""
    if plan_title:
        text = _(
            "A Chorus session in #{channel}. Plan: {plan} Press Interested to see it in your "
            "calendar; use /remind me on in the server for a reminder.",
            locale,
            channel=channel_name,
            plan=sentence(plan_title),
        )
    else:
        text = _(
            "A Chorus session in #{channel}. Press Interested to see it in your calendar; use "
            "/remind me on in the server for a reminder.",
            locale,
            channel=channel_name,
        )
    return limits.event_description(text)
