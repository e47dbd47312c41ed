"""The private pattern notice and the replies to /checkin notice."""

from __future__ import annotations

import discord

from bot.core.text import shorten
from bot.records.checkin_notices import NoticeOptin
from bot.ui.checkins import COLOUR_CARE
from bot.ui.format import DESCRIPTION_MAX, plural


def notice_embed(optin: NoticeOptin, support_text: str) -> discord.Embed:
    days = plural(optin.within_days, "day", "days")
    return discord.Embed(
        title="A gentle note, just for you",
        colour=COLOUR_CARE,
        description=shorten(
            f"{optin.low_answers} of your check-ins in the last {days} were low. That's a lot "
            "to carry, and noticing it is worth something. You don't have to do anything with "
            "this. If it helps, these are the people and places your server suggests:\n\n"
            + support_text
            + "\n\n🔒 Only you see this; nobody else has been told, and nothing about this note "
            "is saved. You asked for it with /checkin notice on; /checkin notice off stops it.",
            DESCRIPTION_MAX,
        ),
    )


def notice_state(optin: NoticeOptin | None) -> str:
    if optin is None:
        return (
            "The pattern notice is off. /checkin notice on asks me to tell you (only you) when "
            "several of your check-ins in a short time were low."
        )
    days = plural(optin.within_days, "day", "days")
    return (
        f"💜 The pattern notice is on: if {optin.low_answers} of your check-ins within {days} "
        "are low, I'll tell you privately, with your server's support resources. Nobody else "
        "is told. /checkin notice off stops it."
    )


NOTICE_OFF = "The pattern notice is off. Nothing else changed."
