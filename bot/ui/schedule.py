"""What scheduled sessions look like: the confirmation, the upcoming list, reminders, Start."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import discord
from babel import dates

from bot.core.recurrence import Repeat, describe_repeat
from bot.core.schedule_service import OccurrenceRecord, SeriesRecord
from bot.core.schedule_values import Draft, ScheduleAccess
from bot.core.schedule_wake import utc
from bot.core.text import shorten
from bot.core.time_zones import zone
from bot.i18n import _, language_of, ngettext
from bot.ui.components import TypedButton, persistent_view
from bot.ui.format import COLOUR_DONE, COLOUR_SESSION, field


def stamp(ts: float, style: str = "F") -> str:
    """A Discord timestamp: every member sees it in their own time zone."""
    return f"<t:{int(ts)}:{style}>"


def channel_name(client: discord.Client, guild_id: int, channel_id: int | None) -> str | None:
    """A channel's name from the cache (None when unknown): names read the same everywhere."""
    guild = client.get_guild(guild_id)
    channel = guild.get_channel(channel_id) if guild and channel_id else None
    return channel.name if channel is not None else None


def server_time(local: datetime, locale: str) -> str:
    """The same moment on the server's clock, named, for facilitators to double-check:
    "Fri, Mar 27, 2026, 18:00 (Europe/Berlin)", the day as the language writes it (Babel)."""
    day = dates.format_skeleton("yMMMEd", local, locale=language_of(locale) or "en")
    return f"{day}, {local:%H:%M} ({local.tzinfo})"


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


def places_line(access: ScheduleAccess, *, locale: str) -> str | None:
    """ "🗝 6 places (4 taken), 2 waiting · for @role · by invitation": a closed session's terms,
    in ``locale``; None for a session open to anyone."""
    closed = access.limits
    if closed is None or not closed.closed:
        return None
    parts = []
    if closed.capacity is not None:
        cap = (
            ngettext(
                "{count} place ({taken} taken)",
                "{count} places ({taken} taken)",
                closed.capacity,
                locale,
                taken=access.taken,
            )
            if access.taken is not None
            else ngettext("{count} place", "{count} places", closed.capacity, locale)
        )
        if access.waiting:
            cap = ngettext(
                "{places}, {count} waiting",
                "{places}, {count} waiting",
                access.waiting,
                locale,
                places=cap,
            )
        parts.append(cap)
    if closed.role_id is not None:
        parts.append(_("for {role}", locale, role=f"<@&{closed.role_id}>"))
    if closed.invite_only:
        parts.append(
            ngettext(
                "by invitation, {count} asking",
                "by invitation, {count} asking",
                access.asking,
                locale,
            )
            if access.asking
            else _("by invitation", locale)
        )
    return "🗝 " + " · ".join(parts)


def draft_view(
    client: discord.Client,
    draft: Draft,
    channel_id: int,
    voice_channel: discord.abc.GuildChannel | None,
    plan_title: str | None,
    places: str | None,
) -> ScheduleView:
    """A session not yet stored (the facilitator's preview before Confirm), as shown."""
    return ScheduleView(
        occurrence_id=0,
        title=draft.title,
        starts_at=draft.start.timestamp(),
        ends_at=draft.end.timestamp(),
        local_start=draft.start,
        repeat=draft.repeat,
        channel_id=channel_id,
        voice_channel_id=voice_channel.id if voice_channel else None,
        plan_title=plan_title,
        channel_name=channel_name(client, draft.guild_id, channel_id),
        voice_name=voice_channel.name if voice_channel else None,
        places=places,
    )


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


def _where(view: ScheduleView, locale: str) -> str:
    """Channel names as text (they read the same everywhere), mentions when names are unknown."""
    text = f"#{view.channel_name}" if view.channel_name else f"<#{view.channel_id}>"
    if view.voice_channel_id:
        voice = view.voice_name or f"<#{view.voice_channel_id}>"
        return _("🔊 {voice}, board in {channel}", locale, voice=voice, channel=text)
    return text


def confirm_embed(view: ScheduleView, locale: str, *, confirmed: bool = False) -> discord.Embed:
    """The private preview of a scheduled session (and its confirmation), in ``locale``."""
    minutes = round((view.ends_at - view.starts_at) / 60)
    embed = discord.Embed(
        title=shorten(f"📅 {view.title}", 256),
        colour=COLOUR_DONE if confirmed else COLOUR_SESSION,
        description=_(
            "**{when}** ({relative})\nShown in *your* time zone; each member sees their own.",
            locale,
            when=stamp(view.starts_at),
            relative=stamp(view.starts_at, "R"),
        ),
    )
    embed.add_field(
        name=_("Server time", locale),
        value=field(server_time(view.local_start, locale)),
        inline=False,
    )
    embed.add_field(
        name=_("Repeats", locale),
        value=describe_repeat(view.repeat, view.local_start, locale),
        inline=True,
    )
    embed.add_field(
        name=_("Length", locale), value=_("{minutes} min", locale, minutes=minutes), inline=True
    )
    embed.add_field(name=_("Where", locale), value=field(_where(view, locale)), inline=False)
    if view.places:
        embed.add_field(name=_("Who can come", locale), value=field(view.places), inline=False)
    embed.add_field(
        name=_("Plan", locale),
        value=field(
            _(
                "{plan}: starts when a facilitator presses **Start**",
                locale,
                plan=view.plan_title,
            )
            if view.plan_title
            else _("None: start activities by hand with /activity start", locale)
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


class ConfirmScheduleButton(TypedButton, spec="chorus:schedule:confirm:{draft_id:int}:{key:int}"):
    """Confirm on the private preview: schedules the held draft (`bot/core/schedule_drafts.py`);
    only the facilitator who asked, once, whenever they press it (a restart included)."""

    draft_id: int
    key: int


class CancelScheduleButton(TypedButton, spec="chorus:schedule:cancel:{draft_id:int}:{key:int}"):
    """Cancel on the private preview: the held draft goes, nothing is scheduled."""

    draft_id: int
    key: int


def confirm_view(draft_id: int, key: int, locale: str) -> discord.ui.View:
    """Confirm / Cancel under the preview of the draft `draft_id` held under `key`, in
    ``locale``; nothing is kept in memory and nothing times out."""
    return persistent_view(
        ConfirmScheduleButton.button(
            _("Confirm", locale),
            style=discord.ButtonStyle.success,
            emoji="✅",
            draft_id=draft_id,
            key=key,
        ),
        CancelScheduleButton.button(_("Cancel", locale), draft_id=draft_id, key=key),
    )


def upcoming_embed(views: Sequence[ScheduleView], timezone: str, locale: str) -> discord.Embed:
    """/session upcoming in ``locale``: the next sessions with their terms."""
    embed = discord.Embed(title=_("📅 Upcoming sessions", locale), colour=COLOUR_SESSION)
    if not views:
        embed.description = _(
            "Nothing is scheduled yet. A facilitator can plan one with /session schedule create.",
            locale,
        )
        return embed
    for view in views[:10]:
        lines = [f"{stamp(view.starts_at)} ({stamp(view.starts_at, 'R')})"]
        server = f"{view.local_start:%H:%M} {view.local_start.tzinfo}"
        details = [
            _(
                "{repeat} at {time}",
                locale,
                repeat=describe_repeat(view.repeat, view.local_start, locale),
                time=server,
            )
            if view.repeat != "none"
            else server,
            _where(view, locale),
        ]
        if view.status in ("open", "started"):
            details.insert(0, _("🟢 happening now", locale))
        lines.append(" · ".join(details))
        if view.plan_title:
            lines.append(_("Plan: {plan}", locale, plan=view.plan_title))
        if view.places:
            lines.append(view.places)
        if view.interested is not None:
            lines.append(
                ngettext(
                    "⭐ {count} member interested",
                    "⭐ {count} members interested",
                    view.interested,
                    locale,
                )
            )
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
