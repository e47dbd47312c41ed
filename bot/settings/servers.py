"""The servers section: the bounds within which each server chooses its own settings."""

from __future__ import annotations

from pydantic import Field

from bot.settings.base import Section


class ServerLimits(Section):
    """What each server may change about its own Chorus (with /setup and /activity upload).

    The other settings are every server's defaults; a server's own choice wins within these
    bounds (`core/guild_settings.py` applies them).
    """

    retention_days_max: int = Field(default=365, ge=1)
    leave_grace_days_max: int = Field(default=90, ge=0)
    board_edit_interval_min: float = Field(default=1.0, ge=0, le=60)
    uploads_enabled: bool = True
    upload_max_kb: int = Field(default=64, ge=1, le=256)
    max_activities: int = Field(default=50, ge=0, le=1000)
    max_uploads_per_day: int = Field(default=30, ge=1, le=1000)
    protected_activities: tuple[str, ...] = ()
    """Shipped activity ids a server can't replace with its own file of the same id."""
