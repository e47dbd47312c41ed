"""Test material for voice: audio made by FFmpeg, and a voice channel as the permission checks
see it (an id, a guild with `me`, a mention and `permissions_for`), without a Discord
connection."""

from __future__ import annotations

import subprocess
from pathlib import Path
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


def make_audio(path: Path, expression: str, seconds: float) -> Path:
    """A mono test signal, quiet on purpose (-30 dB) so normalisation has work to do."""
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"aevalsrc='{expression}':s=48000:d={seconds}",
            "-af",
            "volume=-30dB",
            str(path),
        ],
        check=True,
    )
    return path
