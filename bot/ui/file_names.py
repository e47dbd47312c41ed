"""The names of the files Chorus attaches, in the reader's language.

A file's name is read too (in the message, in the download folder), so each is a catalogue word
folded to a safe ASCII name by `limits.file_name`: a German member's chart is
``check-in-verlauf.png``, a Spanish member's calendar ``chorus-sesiones.ics``; English keeps
the names Chorus has always used (``checkins.png``). An embed that
shows an attached picture names it the same way (``attachment://`` + the same name).
"""

from __future__ import annotations

import io

import discord

from bot.i18n import N_, _
from bot.ui.limits import file_name

CHECKIN_HISTORY = N_("checkins")
"""/checkin history's chart (PNG)."""
MOOD_BANDS = N_("mood")
"""The facilitator's session report chart (PNG)."""
GROUP_TRENDS = N_("trends")
"""/group trends' chart (PNG)."""
GOAL_PROGRESS = N_("goals")
"""/goal progress's chart (PNG)."""
MY_DATA = N_("chorus-mydata")
"""/mydata's table (CSV) and /privacy's export (JSON)."""
MY_SUMMARY = N_("chorus-summary")
"""/mydata's summary chart (PNG)."""
SESSIONS = N_("chorus-sessions")
"""/session calendar's iCalendar file (ICS)."""
PROBLEMS = N_("problems")
"""What is wrong with an uploaded activity file, whole (TXT)."""
YOUR_WORDS = N_("your-words")
"""A member's own words given back when they don't fit a message (TXT)."""
FULL_TEXT = N_("full-text")
"""The whole text of a message too long for Discord, attached to the part that fits (TXT)."""
SONG = N_("song")
"""A song sheet whose title leaves no letters for a name (TXT or Markdown)."""


def attachment_name(stem: str, extension: str, locale: str | None) -> str:
    """``stem`` (one of this module's words) in ``locale``, folded by `limits.file_name`, with
    ``extension``: ``attachment_name(GROUP_TRENDS, "png", "de")`` -> ``"gruppentrends.png"``."""
    return file_name(_(stem, locale), extension)


def attached(data: bytes, stem: str, extension: str, description: str, locale: str) -> discord.File:
    """`data` as a file to attach, named by `attachment_name` (``stem`` in ``locale``, with
    ``extension``); ``description`` is its alt text, already worded in ``locale``."""
    name = attachment_name(stem, extension, locale)
    return discord.File(io.BytesIO(data), filename=name, description=description)


def full_text_name(locale: str | None) -> str:
    """The name of the attachment that carries a message's whole text in ``locale``:
    ``"full-text.txt"`` (en), ``"volltext.txt"`` (de), ``"texto-completo.txt"`` (es)."""
    return attachment_name(FULL_TEXT, "txt", locale)


def titled_name(title: str, extension: str, locale: str | None) -> str:
    """A file named after what someone titled it (a song), folded by `limits.file_name`; the
    word `SONG` in ``locale`` when the title has no letters or digits to keep."""
    return file_name(title, extension, fallback=_(SONG, locale))
