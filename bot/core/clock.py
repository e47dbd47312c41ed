"""Time as an injected dependency: the app passes discord.utils.utcnow, tests their own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Clock = Callable[[], datetime]


def timestamp(clock: Clock) -> float:
    """Unix seconds from a clock, the form deadlines are stored in."""
    return clock().timestamp()
