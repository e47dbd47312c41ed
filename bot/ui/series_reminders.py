"""A member's own reminder time for a scheduled series: the DM offered when they press
Interested (the choices as buttons), the reply to a choice, and the reminder itself."""

from __future__ import annotations

from typing import Any

import discord

from bot.core.reminders import SERIES_CHOICES, OwnTime
from bot.core.series_reminders import NO_CHOICE, Offer
from bot.i18n import N_, _, ngettext
from bot.ui.components import TypedButton, persistent_view
from bot.ui.format import COLOUR_INFO

NO_REMINDER = "none"
"""The `choice` of the "No reminder" button; the others are minutes before, as digits."""


class SeriesReminderButton(TypedButton, spec="chorus:series_remind:{series_id:int}:{choice:str}"):
    """One reminder time for a series, on the DM offered after pressing Interested. The series
    rides along (a DM has no server); `choice` is minutes before as digits, or `none`."""

    series_id: int
    choice: str


def choice_minutes(choice: str) -> int | None:
    """A button's `choice` as minutes before (None for no reminder); -1 for anything else (an
    id not built here), which the service refuses as not one of the choices."""
    if choice == NO_REMINDER:
        return None
    return int(choice) if choice.isdigit() else -1


def lead_text(minutes: int | None, locale: str | None) -> str:
    """'2 hours before', 'at the start', 'no reminder' (minutes as chosen)."""
    if minutes is None:
        return _("no reminder", locale)
    if minutes == 0:
        return _("at the start", locale)
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return ngettext("{count} day before", "{count} days before", days, locale, count=days)
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("{count} hour before", "{count} hours before", hours, locale, count=hours)
    return ngettext(
        "{count} minute before", "{count} minutes before", minutes, locale, count=minutes
    )


def _button_label(minutes: int | None, locale: str | None) -> str:
    if minutes is None:
        return _("No reminder", locale)
    if minutes == 0:
        return _("At the start", locale)
    text = lead_text(minutes, locale)
    return text[:1].upper() + text[1:]


def offer_embed(offer: Offer, guild_name: str, locale: str | None) -> discord.Embed:
    """The DM after pressing Interested: when the session is, and the time they'll be
    reminded until they pick another."""
    start = int(offer.starts_at)
    title = discord.utils.escape_markdown(offer.series.title)
    if offer.chosen != NO_CHOICE:
        now = _(
            "Your choice for this series: **{lead}**.", locale, lead=lead_text(offer.chosen, locale)
        )
    elif offer.usual is not None:
        now = _(
            "Until you pick, your usual time from /remind me applies: **{lead}**.",
            locale,
            lead=lead_text(offer.usual, locale),
        )
    else:
        now = _("Until you pick, you get no reminder.", locale)
    description = "\n\n".join(
        (
            _(
                "You're interested in **{title}** on **{server}**, <t:{start}:F> (<t:{start}:R>).",
                locale,
                title=title,
                server=discord.utils.escape_markdown(guild_name),
                start=start,
            ),
            now,
            _(
                "Your choice counts for every session of this series. Removing Interested "
                "deletes it.",
                locale,
            ),
        )
    )
    return discord.Embed(
        title=_("When should I remind you?", locale),
        colour=COLOUR_INFO,
        description=description,
    )


def offer_view(offer: Offer, locale: str | None) -> discord.ui.View:
    """The choices as buttons, the current one highlighted."""
    items: list[discord.ui.Item[Any]] = []
    for minutes in (*SERIES_CHOICES, None):
        current = offer.chosen != NO_CHOICE and offer.chosen == minutes
        items.append(
            SeriesReminderButton.button(
                _button_label(minutes, locale),
                series_id=offer.series.id,
                choice=NO_REMINDER if minutes is None else str(minutes),
                style=discord.ButtonStyle.primary if current else discord.ButtonStyle.secondary,
                emoji="🔕" if minutes is None else "⏰",
            )
        )
    return persistent_view(*items)


def chosen_text(offer: Offer, locale: str | None) -> str:
    """The reply to a press: what they'll get now."""
    title = discord.utils.escape_markdown(offer.series.title)
    if offer.chosen is None:
        return _(
            "🔕 No reminders for **{title}**. Press another button to change it.",
            locale,
            title=title,
        )
    # The texts below share their fields; `instead` is used only by the one that needs it.
    said: dict[str, Any] = {
        "lead": lead_text(offer.chosen, locale),
        "title": title,
        "start": int(offer.starts_at),
    }
    if offer.this_time is None:
        return _(
            "🔔 The session of <t:{start}:F> is too close for that reminder. From the following "
            "session of **{title}** on, I'll remind you **{lead}**.",
            locale,
            **said,
        )
    if offer.this_time != offer.chosen:
        # Too late for the chosen time before the coming session: say what happens instead.
        return _(
            "🔔 It's too late for a reminder {lead} the session of <t:{start}:F>, so for that "
            "one I'll remind you **{instead}**. From the following session of **{title}** on, "
            "I'll remind you **{lead}**.",
            locale,
            instead=lead_text(offer.this_time, locale),
            **said,
        )
    return _(
        "🔔 I'll remind you **{lead}** each session of **{title}** you're interested in, "
        "starting with <t:{start}:F>.",
        locale,
        **said,
    )


_WHY_NOW: dict[str, str] = {
    "own": N_(
        "You asked for this reminder ({lead}) for this series. Remove Interested from the "
        "server's event to stop them."
    ),
    "usual": N_(
        "You chose {chosen} for this series, but that time had already passed for this "
        "session when you chose it, so this reminder comes at your usual /remind me time "
        "({lead}). Your own time holds from the next session on. Remove Interested from "
        "the server's event to stop them."
    ),
    "sooner": N_(
        "You chose {chosen} for this series, but that time had already passed for this "
        "session when you chose it, so this reminder comes at the longest time still ahead "
        "then ({lead}). Your own time holds from the next session on. Remove Interested "
        "from the server's event to stop them."
    ),
}
"""Why a member's own reminder comes now, by `OwnTime.why`: whole sentences for translators
(`{chosen}`: their own time, `{lead}`: this reminder's)."""


def own_reminder_dm(
    title: str, starts_at: float, where: str, minutes: int, own: OwnTime, locale: str | None
) -> str:
    """The reminder of a member who chose their own time for the series, `minutes` before the
    start (`starts_at`, a UTC timestamp in seconds); it says truthfully why it comes now
    (`own.why`: their time, or, when that had passed for this session as they chose it, their
    /remind me time or a sooner one)."""
    start = int(starts_at)
    if minutes == 0:
        first = _(
            "⏰ **{title}** starts now (<t:{start}:t>) in {where}.",
            locale,
            title=title,
            start=start,
            where=where,
        )
    else:
        first = _(
            "⏰ **{title}** starts <t:{start}:R> (<t:{start}:t>) in {where}.",
            locale,
            title=title,
            start=start,
            where=where,
        )
    second = _(
        _WHY_NOW[own.why],
        locale,
        chosen=lead_text(own.chosen, locale),
        lead=lead_text(minutes, locale),
    )
    return f"{first}\n{second}"
