"""A voice channel as the permission checks see it (an id, a guild with `me`, a mention and
`permissions_for`), without a Discord connection."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import discord


def voice_channel(**perms: bool) -> Any:
    permissions = discord.Permissions.none()
    for name, value in perms.items():
        setattr(permissions, name, value)
    guild = SimpleNamespace(id=1, me=object())
    return SimpleNamespace(
        id=5,
        guild=guild,
        mention="<#5>",
        permissions_for=lambda member: permissions,
    )
