"""What the per-server library commands show: upload results and errors, versions, copies."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import discord

from bot.core.activities import Activity, ActivityError, localize
from bot.core.text import shorten
from bot.i18n import _, ngettext
from bot.records.guild_library import GuildActivityRecord
from bot.ui.file_names import PROBLEMS, attachment_name
from bot.ui.format import COLOUR_INFO, DESCRIPTION_MAX

COLOUR_PROBLEM = 0xE06666
ERRORS_IN_EMBED = 3900
"""Room for the errors in one embed description (4,096) beside its opening line."""


def saved_text(
    activity: Activity, version: int, shadows_shipped: bool, copied: bool, locale: str
) -> str:
    """The private reply once an upload or copy is saved, in ``locale``."""
    fields = {
        "title": shorten(localize(activity.title, locale), 100),
        "id": activity.id,
        "version": version,
    }
    lines = [
        ngettext(
            "✅ Copied **{title}** (`{id}`, version {version}, {count} step) for this server only.",
            "✅ Copied **{title}** (`{id}`, version {version}, {count} steps) for this server only.",
            len(activity.steps),
            locale,
            **fields,
        )
        if copied
        else ngettext(
            "✅ Saved **{title}** (`{id}`, version {version}, {count} step) for this server only.",
            "✅ Saved **{title}** (`{id}`, version {version}, {count} steps) for this server only.",
            len(activity.steps),
            locale,
            **fields,
        ),
        _(
            "Start it with `/activity start activity:{id}`; `/activity export` gives the file "
            "back to edit and upload again.",
            locale,
            id=activity.id,
        ),
    ]
    if shadows_shipped:
        lines.append(
            _(
                "It replaces the shipped activity with the same id in this server; `/activity "
                "delete activity:{id}` brings the shipped one back.",
                locale,
                id=activity.id,
            )
        )
    if version > 1:
        lines.append(_("Sessions already running it keep the version they started with.", locale))
    return "\n".join(lines)


def upload_errors(
    file_name: str, errors: Sequence[ActivityError], locale: str
) -> tuple[discord.Embed, discord.File | None]:
    """Every located error of a refused upload, worded in ``locale`` (file, line, column and
    field as the file writes them); past one embed's room, all of them as a file."""
    lines = [
        f"`{error.line}:{error.column}` {shorten(error.problem(locale), 300)}" for error in errors
    ]
    body = "\n".join(lines)
    embed = discord.Embed(
        title=ngettext(
            "{file_name} wasn't saved: {count} problem to fix",
            "{file_name} wasn't saved: {count} problems to fix",
            len(errors),
            locale,
            file_name=shorten(file_name, 200),
        ),
        colour=COLOUR_PROBLEM,
    )
    attachment = None
    if len(body) > ERRORS_IN_EMBED:
        kept: list[str] = []
        size = 0
        for line in lines:
            if size + len(line) + 1 > ERRORS_IN_EMBED - 120:
                break
            kept.append(line)
            size += len(line) + 1
        more = _("…and {count} more in the attached file.", locale, count=len(lines) - len(kept))
        body = "\n".join([*kept, more])
        text = "\n".join(error.text(locale) for error in errors) + "\n"
        # The file's name is read too: a word of the reader's language.
        name = attachment_name(PROBLEMS, "txt", locale)
        attachment = discord.File(io.BytesIO(text.encode("utf-8")), filename=name)
    embed.description = shorten(body, DESCRIPTION_MAX)
    embed.set_footer(
        text=_(
            "Line:column, then the field and what is wrong. Fix them and upload the file "
            "again; `chorus validate` gives the same list.",
            locale,
        )
    )
    return embed, attachment


def versions_embed(
    activity_id: str, versions: Sequence[GuildActivityRecord], locale: str
) -> discord.Embed:
    """/activity versions in ``locale``: every upload of one activity here, newest first."""
    lines = []
    for record in versions[:25]:
        who = (
            f"<@{record.uploaded_by}>"
            if record.uploaded_by is not None
            else _("a former member", locale)
        )
        fields = {"version": record.version, "at": int(record.uploaded_at), "who": who}
        lines.append(
            _("**v{version}** (deleted) uploaded <t:{at}:f> by {who}", locale, **fields)
            if record.deleted_at is not None
            else _("**v{version}** uploaded <t:{at}:f> by {who}", locale, **fields)
        )
    if len(versions) > 25:
        lines.append(
            ngettext(
                "…and {count} older version.",
                "…and {count} older versions.",
                len(versions) - 25,
                locale,
            )
        )
    embed = discord.Embed(
        title=_("Versions of {activity_id}", locale, activity_id=activity_id),
        colour=COLOUR_INFO,
        description="\n".join(lines),
    )
    embed.set_footer(
        text=_("The newest version that isn't deleted is the one /activity start runs.", locale)
    )
    return embed


def deleted_text(activity_id: str, versions: int, shipped_back: bool, locale: str) -> str:
    """The private reply to /activity delete, in ``locale``."""
    lines = [
        ngettext(
            "🗑 Removed `{activity_id}` from this server's library ({count} version).",
            "🗑 Removed `{activity_id}` from this server's library ({count} versions).",
            versions,
            locale,
            activity_id=activity_id,
        )
    ]
    if shipped_back:
        lines.append(_("The shipped activity with that id is available here again.", locale))
    lines.append(_("Sessions already running it carry on to the end.", locale))
    return " ".join(lines)


def export_file(file_name: str, data: bytes) -> discord.File:
    """An activity's YAML `data` (bytes) as the attachment `file_name`."""
    return discord.File(io.BytesIO(data), filename=file_name)


async def send_upload_errors(
    interaction: discord.Interaction,
    file_name: str,
    errors: Sequence[ActivityError],
    locale: str,
) -> None:
    """Every located error of a refused upload, privately in ``locale`` (a follow-up if already
    answered)."""
    embed, attachment = upload_errors(file_name, errors, locale)
    options: dict[str, Any] = {"embed": embed, "ephemeral": True}
    if attachment is not None:
        options["file"] = attachment
    none = discord.AllowedMentions.none()
    if interaction.response.is_done():
        await interaction.followup.send(allowed_mentions=none, **options)
    else:
        await interaction.response.send_message(allowed_mentions=none, **options)
