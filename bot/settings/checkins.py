"""The check-in section: care after a low answer and how long check-ins are kept."""

from __future__ import annotations

from pydantic import Field

from bot.i18n import N_
from bot.settings.base import Section

DEFAULT_SUPPORT_TEXT = N_(
    "You don't have to carry this alone. If you are in danger or might hurt yourself, "
    "call your local emergency number now. You can find a free, confidential helpline "
    "in your country at https://findahelpline.com. Talking to someone you trust helps too."
)
"""Shown in each reader's language while it is the text in use (`support_words`); a text the
operator or a server writes is shown as they wrote it."""


class CheckinSettings(Section):
    """Care and retention rules for mood check-ins."""

    low_score_max: int = Field(default=2, ge=0, le=10)
    support_text: str = Field(default=DEFAULT_SUPPORT_TEXT, min_length=1, max_length=1500)
    retention_days: int = Field(default=365, ge=1)
    leave_grace_days: int = Field(default=30, ge=0)
