"""What /setup shows: a server's settings beside their defaults and bounds, changes, history."""

from __future__ import annotations

import json
from collections.abc import Sequence

import discord
from babel import Locale, UnknownLocaleError

from bot.core.guild_settings import SPECS, GuildConfig, SupportLink
from bot.core.text import shorten
from bot.i18n import N_, _, format_number, language_of, ngettext
from bot.records.guild_settings import SettingChangeRecord
from bot.settings import ServerLimits
from bot.ui.format import COLOUR_INFO, FIELD_MAX

DEFAULT_MARK = N_("(default)")
DEFAULT = N_("default")


def _none(locale: str) -> str:
    return _("none", locale)


def _roles(config: GuildConfig, locale: str) -> str:
    if config.facilitator_role_ids:
        return ", ".join(f"<@&{role_id}>" for role_id in config.facilitator_role_ids)
    if not config.facilitator_roles:
        return _none(locale)
    names = ", ".join(f"**{name}**" for name in config.facilitator_roles)
    return _("roles named {names}", locale, names=names)


def _links(links: Sequence[SupportLink], locale: str) -> str:
    return "\n".join(f"[{link.label}]({link.url})" for link in links) or _none(locale)


def _days(count: int, locale: str) -> str:
    return ngettext("{count} day", "{count} days", count, locale)


def language_name(code: str, locale: str) -> str:
    """A language's name as the reader's language writes it: ``"de"`` -> ``"German"``,
    ``"Deutsch"``, ``"alemán"`` (Babel's CLDR data; the code itself when Babel has none)."""
    try:
        name = Locale.parse(code).get_display_name(language_of(locale) or "en")
    except (ValueError, UnknownLocaleError):
        return code
    return f"{name} ({code})" if name else code


def setting_values(config: GuildConfig, locale: str) -> dict[str, str]:
    """Each setting's current value as a facilitator reads it in ``locale``, by key."""
    return {
        "facilitator_roles": _roles(config, locale),
        "timezone": config.timezone,
        "language": language_name(config.language, locale),
        "low_score_max": _(
            "{score} (on a 0-10 scale)", locale, score=format_number(config.low_score_max, locale)
        ),
        "support_text": shorten(config.support_text, 300),
        "support_links": _links(config.support_links, locale),
        "retention_days": _days(config.retention_days, locale),
        "leave_grace_days": _days(config.leave_grace_days, locale),
        "board_edit_interval": _(
            "{seconds} s", locale, seconds=format_number(config.board_edit_interval, locale)
        ),
    }


def settings_embed(
    config: GuildConfig, changed: frozenset[str], limits: ServerLimits, locale: str
) -> discord.Embed:
    """/setup show in ``locale``: every setting, whether it is this server's own choice, and the
    commands."""
    embed = discord.Embed(
        title=_("Chorus settings for this server", locale),
        colour=COLOUR_INFO,
        description=_(
            "Members with **Manage Server** can change these with the /setup commands; each "
            "change is recorded in /setup history. Settings marked {default_mark} follow this "
            "Chorus's defaults.",
            locale,
            default_mark=_(DEFAULT_MARK, locale),
        ),
    )
    for key, value in setting_values(config, locale).items():
        label = _(SPECS[key].label, locale)
        embed.add_field(
            name=label if key in changed else f"{label} {_(DEFAULT_MARK, locale)}",
            value=shorten(value, FIELD_MAX),
            inline=False,
        )
    uploads = (
        _(
            "on: up to {max_activities} activities, {upload_max_kb} KiB a file",
            locale,
            max_activities=limits.max_activities,
            upload_max_kb=limits.upload_max_kb,
        )
        if limits.uploads_enabled
        else _("turned off by this Chorus's operator", locale)
    )
    embed.set_footer(
        text=_(
            "Limits on this Chorus: retention at most {retention_days_max} days, leave grace "
            "at most {leave_grace_days_max} days, board edits at most every "
            "{board_edit_interval_min} s; activity uploads {uploads}.",
            locale,
            retention_days_max=limits.retention_days_max,
            leave_grace_days_max=limits.leave_grace_days_max,
            board_edit_interval_min=format_number(limits.board_edit_interval_min, locale),
            uploads=uploads,
        )
    )
    return embed


def _shown(key: str, value: str | None, locale: str) -> str:
    if value is None:
        return _(DEFAULT, locale)
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    if key == "facilitator_roles" and isinstance(decoded, list):
        return ", ".join(f"<@&{role_id}>" for role_id in decoded) or _none(locale)
    if key == "support_links" and isinstance(decoded, list):
        return ", ".join(str(link.get("label", "")) for link in decoded) or _none(locale)
    return shorten(str(decoded), 120)


def change_text(change: SettingChangeRecord | None, key: str, locale: str) -> str:
    """The private reply to a change, in ``locale``."""
    label = _(SPECS[key].label, locale)
    if change is None:
        return _("✅ {label} was already set that way; nothing changed.", locale, label=label)
    return _(
        "✅ {label}: {old} → {new}. It applies from now on; /setup history lists every change.",
        locale,
        label=label,
        old=_shown(key, change.old_value, locale),
        new=_shown(key, change.new_value, locale),
    )


def _change_line(change: SettingChangeRecord, locale: str) -> str:
    """One line of /setup history: when, who (a former member's id is gone), what changed."""
    who = _("a former member", locale) if change.changed_by is None else f"<@{change.changed_by}>"
    when = f"<t:{int(change.changed_at)}:f>"
    if change.key not in SPECS:
        return f"{when} {who}: {change.key}"
    old = _shown(change.key, change.old_value, locale)
    new = _shown(change.key, change.new_value, locale)
    label = _(SPECS[change.key].label, locale)
    return f"{when} {who}: **{label}** {old} → {new}"


def history_embed(changes: Sequence[SettingChangeRecord], locale: str) -> discord.Embed:
    """/setup history in ``locale``: who changed what, when (newest first)."""
    embed = discord.Embed(title=_("Settings changes in this server", locale), colour=COLOUR_INFO)
    if not changes:
        embed.description = _(
            "No setting has been changed here yet; every one is a default.", locale
        )
        return embed
    lines = [_change_line(change, locale) for change in changes]
    embed.description = shorten("\n".join(lines), 4000)
    return embed
