"""What /setup shows: a server's settings beside their defaults and bounds, changes, history."""

from __future__ import annotations

import json
from collections.abc import Sequence

import discord

from bot.core.guild_settings import SPECS, GuildConfig, SupportLink
from bot.core.text import shorten
from bot.records.guild_settings import SettingChangeRecord
from bot.settings import ServerLimits
from bot.ui.format import COLOUR_INFO, FIELD_MAX

DEFAULT_MARK = "(default)"


def _roles(config: GuildConfig) -> str:
    if config.facilitator_role_ids:
        return ", ".join(f"<@&{role_id}>" for role_id in config.facilitator_role_ids)
    names = ", ".join(f"**{name}**" for name in config.facilitator_roles) or "none"
    return f"roles named {names}"


def _links(links: Sequence[SupportLink]) -> str:
    return "\n".join(f"[{link.label}]({link.url})" for link in links) or "none"


def setting_values(config: GuildConfig) -> dict[str, str]:
    """Each setting's current value as a facilitator reads it, by key."""
    return {
        "facilitator_roles": _roles(config),
        "timezone": config.timezone,
        "language": config.language,
        "low_score_max": f"{config.low_score_max} (on a 0-10 scale)",
        "support_text": shorten(config.support_text, 300),
        "support_links": _links(config.support_links),
        "retention_days": f"{config.retention_days} days",
        "leave_grace_days": f"{config.leave_grace_days} days",
        "board_edit_interval": f"{config.board_edit_interval:g} s",
    }


def settings_embed(
    config: GuildConfig, changed: frozenset[str], limits: ServerLimits
) -> discord.Embed:
    """/setup show: every setting, whether it is this server's own choice, and the commands."""
    embed = discord.Embed(
        title="Chorus settings for this server",
        colour=COLOUR_INFO,
        description=(
            "Members with **Manage Server** can change these with the /setup commands; "
            "each change is recorded in /setup history. Settings marked "
            f"{DEFAULT_MARK} follow this Chorus's defaults."
        ),
    )
    for key, value in setting_values(config).items():
        mark = "" if key in changed else f" {DEFAULT_MARK}"
        embed.add_field(
            name=f"{SPECS[key].label}{mark}", value=shorten(value, FIELD_MAX), inline=False
        )
    uploads = (
        f"on: up to {limits.max_activities} activities, {limits.upload_max_kb} KiB a file"
        if limits.uploads_enabled
        else "turned off by this Chorus's operator"
    )
    embed.set_footer(
        text=(
            f"Limits on this Chorus: retention at most {limits.retention_days_max} days, leave "
            f"grace at most {limits.leave_grace_days_max} days, board edits at most every "
            f"{limits.board_edit_interval_min:g} s; activity uploads {uploads}."
        )
    )
    return embed


def _shown(key: str, value: str | None) -> str:
    if value is None:
        return DEFAULT_MARK.strip("()")
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    if key == "facilitator_roles" and isinstance(decoded, list):
        return ", ".join(f"<@&{role_id}>" for role_id in decoded) or "none"
    if key == "support_links" and isinstance(decoded, list):
        return ", ".join(str(link.get("label", "")) for link in decoded) or "none"
    return shorten(str(decoded), 120)


def change_text(change: SettingChangeRecord | None, key: str) -> str:
    """The private reply to a change."""
    label = SPECS[key].label
    if change is None:
        return f"✅ {label} was already set that way; nothing changed."
    return (
        f"✅ {label}: {_shown(key, change.old_value)} → {_shown(key, change.new_value)}. "
        "It applies from now on; /setup history lists every change."
    )


def history_embed(changes: Sequence[SettingChangeRecord]) -> discord.Embed:
    """/setup history: who changed what, when (newest first)."""
    embed = discord.Embed(title="Settings changes in this server", colour=COLOUR_INFO)
    if not changes:
        embed.description = "No setting has been changed here yet; every one is a default."
        return embed
    lines = []
    for change in changes:
        who = f"<@{change.changed_by}>" if change.changed_by is not None else "a former member"
        lines.append(
            f"<t:{int(change.changed_at)}:f> {who}: **{SPECS[change.key].label}** "
            f"{_shown(change.key, change.old_value)} → {_shown(change.key, change.new_value)}"
            if change.key in SPECS
            else f"<t:{int(change.changed_at)}:f> {who}: {change.key}"
        )
    embed.description = shorten("\n".join(lines), 4000)
    return embed
