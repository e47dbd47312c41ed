"""What /mydata and /forget show: the export's summary line and the /forget confirmation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import discord

from bot.i18n import _, ngettext
from bot.ui.components import TypedButton, persistent_view
from bot.ui.format import info_embed

Counted = Callable[[int, str], str]
"""(how many, language) -> "3 check-ins"."""


def counted(singular: str, plural: str) -> Counted:
    """A whole plural text, marked for the catalogue where it is defined (like `N_`; extracted
    as `ngettext` is), worded once the count and the reader's language are known."""
    return lambda count, locale: ngettext(singular, plural, count, locale)


# How /mydata counts each exported list, in the member's language (whole plural texts).
EXPORT_WORDS: dict[str, Counted] = {
    "checkins": counted("{count} check-in", "{count} check-ins"),
    "attendance": counted("{count} session attended", "{count} sessions attended"),
    "contributions": counted("{count} contribution", "{count} contributions"),
    "goals": counted("{count} goal", "{count} goals"),
    "goal_ratings": counted("{count} goal rating", "{count} goal ratings"),
    "nominations": counted("{count} nomination", "{count} nominations"),
    "reminder_optins": counted("{count} reminder choice", "{count} reminder choices"),
    "series_reminders": counted(
        "{count} reminder time for a series", "{count} reminder times for a series"
    ),
    "series_reminder_offers": counted(
        "{count} reminder-time offer not answered yet",
        "{count} reminder-time offers not answered yet",
    ),
    "reminders_sent": counted("{count} reminder sent", "{count} reminders sent"),
    "schedules_facilitated": counted(
        "{count} scheduled session you lead", "{count} scheduled sessions you lead"
    ),
    "sessions_facilitated": counted("{count} session you led", "{count} sessions you led"),
    "song_lines": counted("{count} song line", "{count} song lines"),
    "tracks_uploaded": counted("{count} track uploaded", "{count} tracks uploaded"),
    "checkin_schedule": counted("{count} check-in schedule", "{count} check-in schedules"),
    "consent_asked": counted(
        "{count} step that explained saving to you", "{count} steps that explained saving to you"
    ),
    "waitlist": counted("{count} place on a waitlist", "{count} places on a waitlist"),
    "activities_uploaded": counted("{count} activity uploaded", "{count} activities uploaded"),
    "settings_changed": counted("{count} setting you changed", "{count} settings you changed"),
    "checkin_notice": counted("{count} pattern notice choice", "{count} pattern notice choices"),
    "checkin_tags": counted("{count} check-in tag", "{count} check-in tags"),
    "sessions_waiting_to_be_confirmed": counted(
        "{count} scheduled session waiting to be confirmed",
        "{count} scheduled sessions waiting to be confirmed",
    ),
    "facilitator_told": counted(
        "{count} time you let the facilitator know", "{count} times you let the facilitator know"
    ),
    "anonymous_answers_under_review": counted(
        "{count} anonymous answer under review", "{count} anonymous answers under review"
    ),
}


class ForgetButton(TypedButton, spec="chorus:forget:{answer:yesno}:{user_id:int}"):
    """/forget's confirmation: `answer` is "yes" (delete) or "no" (keep); only `user_id` may
    press it."""

    answer: str
    user_id: int


def export_message(data: Mapping[str, Any], locale: str) -> str:
    """The line above the /mydata file in ``locale``: how many of each kind of thing it holds.
    Every exported list has its words in `EXPORT_WORDS` (tests/ui/test_privacy.py checks the
    store's list of exports against it); raises KeyError for a list without."""
    counts = ", ".join(
        EXPORT_WORDS[name](len(value), locale)
        for name, value in data.items()
        if isinstance(value, list) and value
    )
    return _(
        "📦 Here is everything Chorus holds about you in this server ({counts}). "
        "Only you can see this.",
        locale,
        counts=counts or _("nothing yet", locale),
    )


def forget_confirmation(user_id: int, locale: str) -> tuple[discord.Embed, discord.ui.View]:
    """The private question /forget asks before deleting anything, with its two buttons, in
    ``locale``."""
    question = _(
        "This deletes everything Chorus holds about you in this server: check-ins, notes, "
        "goals and their ratings, consent, attendance, reminders and your contributions. "
        "Lyric lines you wrote stay in the group's songs as *anonymous* (or are removed, "
        "if the song was set up that way). A session you are facilitating carries on "
        "without your name. This can't be undone. Want a copy first? Use /mydata.",
        locale,
    )
    embed = info_embed(_("Delete your data?", locale), question)
    view = persistent_view(
        ForgetButton.button(
            _("Delete my data", locale),
            answer="yes",
            user_id=user_id,
            style=discord.ButtonStyle.danger,
        ),
        ForgetButton.button(_("Keep it", locale), answer="no", user_id=user_id),
    )
    return embed, view
