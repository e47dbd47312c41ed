"""The private pattern notice and the replies to /checkin notice."""

from __future__ import annotations

import discord

from bot.core.guild_settings import support_words
from bot.core.text import shorten
from bot.i18n import N_, _, ngettext
from bot.records.checkin_notices import NoticeOptin
from bot.ui.checkin_care import COLOUR_CARE
from bot.ui.format import DESCRIPTION_MAX


def _days(count: int, locale: str) -> str:
    return ngettext("{count} day", "{count} days", count, locale)


def notice_embed(optin: NoticeOptin, support_text: str, locale: str) -> discord.Embed:
    """The private pattern notice, in ``locale`` (a support text the server wrote stays as
    written; the shipped default is worded in ``locale``)."""
    return discord.Embed(
        title=_("A gentle note, just for you", locale),
        colour=COLOUR_CARE,
        description=shorten(
            _(
                "{low_answers} of your check-ins in the last {days} were low. That's a lot to "
                "carry, and noticing it is worth something. You don't have to do anything with "
                "this. If it helps, these are the people and places your server suggests:\n\n"
                "{support}\n\n🔒 Only you see this; nobody else has been told, and nothing "
                "about this note is saved. You asked for it with /checkin notice on; "
                "/checkin notice off stops it.",
                locale,
                low_answers=optin.low_answers,
                days=_days(optin.within_days, locale),
                support=support_words(support_text, locale),
            ),
            DESCRIPTION_MAX,
        ),
    )


def notice_state(optin: NoticeOptin | None, locale: str) -> str:
    """The private reply to /checkin notice on and show, in ``locale``."""
    if optin is None:
        return _(
            "The pattern notice is off. /checkin notice on asks me to tell you (only you) "
            "when several of your check-ins in a short time were low.",
            locale,
        )
    return _(
        "💜 The pattern notice is on: if {low_answers} of your check-ins within {days} are "
        "low, I'll tell you privately, with your server's support resources. Nobody else "
        "is told. /checkin notice off stops it.",
        locale,
        low_answers=optin.low_answers,
        days=_days(optin.within_days, locale),
    )


NOTICE_OFF = N_("The pattern notice is off. Nothing else changed.")
