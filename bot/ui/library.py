"""What the per-server library commands show: upload results and errors, versions, copies."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import discord

from bot.core.activities import Activity, ActivityError, localize
from bot.core.text import shorten
from bot.records.guild_library import GuildActivityRecord
from bot.ui.format import COLOUR_INFO, DESCRIPTION_MAX, plural

COLOUR_PROBLEM = 0xE06666
ERRORS_IN_EMBED = 3900
"""Room for the errors in one embed description (4,096) beside its opening line."""


def saved_text(activity: Activity, version: int, shadows_shipped: bool, copied: bool) -> str:
    """The private reply once an upload or copy is saved."""
    how = "Copied" if copied else "Saved"
    lines = [
        f"✅ {how} **{shorten(localize(activity.title), 100)}** (`{activity.id}`, version "
        f"{version}, {len(activity.steps)} steps) for this server only.",
        f"Start it with `/activity start activity:{activity.id}`; `/activity export` gives the "
        "file back to edit and upload again.",
    ]
    if shadows_shipped:
        lines.append(
            "It replaces the shipped activity with the same id in this server; "
            f"`/activity delete activity:{activity.id}` brings the shipped one back."
        )
    if version > 1:
        lines.append("Sessions already running it keep the version they started with.")
    return "\n".join(lines)


def upload_errors(
    file_name: str, errors: Sequence[ActivityError]
) -> tuple[discord.Embed, discord.File | None]:
    """Every located error of a refused upload; past one embed's room, all of them as a file."""
    lines = [
        f"`{error.line}:{error.column}` {shorten(_without_file(error), 300)}" for error in errors
    ]
    body = "\n".join(lines)
    embed = discord.Embed(
        title=f"{shorten(file_name, 200)} wasn't saved: {plural(len(errors), 'problem')} to fix",
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
        body = "\n".join(kept) + f"\n…and {len(lines) - len(kept)} more in the attached file."
        text = "\n".join(str(error) for error in errors) + "\n"
        attachment = discord.File(io.BytesIO(text.encode("utf-8")), filename="problems.txt")
    embed.description = shorten(body, DESCRIPTION_MAX)
    embed.set_footer(
        text="Line:column, then the field and what is wrong. Fix them and upload the file "
        "again; `chorus validate` gives the same list."
    )
    return embed, attachment


def _without_file(error: ActivityError) -> str:
    return f"{error.path}: {error.message}" if error.path else error.message


def versions_embed(activity_id: str, versions: Sequence[GuildActivityRecord]) -> discord.Embed:
    """/activity versions: every upload of one activity here, newest first."""
    lines = []
    for record in versions[:25]:
        who = f"<@{record.uploaded_by}>" if record.uploaded_by is not None else "a former member"
        state = " (deleted)" if record.deleted_at is not None else ""
        lines.append(
            f"**v{record.version}**{state} uploaded <t:{int(record.uploaded_at)}:f> by {who}"
        )
    if len(versions) > 25:
        lines.append(f"…and {len(versions) - 25} older versions.")
    embed = discord.Embed(
        title=f"Versions of {activity_id}", colour=COLOUR_INFO, description="\n".join(lines)
    )
    embed.set_footer(text="The newest version that isn't deleted is the one /activity start runs.")
    return embed


def deleted_text(activity_id: str, versions: int, shipped_back: bool) -> str:
    """The private reply to /activity delete."""
    text = f"🗑 Removed `{activity_id}` from this server's library ({plural(versions, 'version')})."
    if shipped_back:
        text += " The shipped activity with that id is available here again."
    return text + " Sessions already running it carry on to the end."


def export_file(file_name: str, data: bytes) -> discord.File:
    return discord.File(io.BytesIO(data), filename=file_name)


async def send_upload_errors(
    interaction: discord.Interaction, file_name: str, errors: Sequence[ActivityError]
) -> None:
    """Every located error of a refused upload, privately (a follow-up if already answered)."""
    embed, attachment = upload_errors(file_name, errors)
    options: dict[str, Any] = {"embed": embed, "ephemeral": True}
    if attachment is not None:
        options["file"] = attachment
    none = discord.AllowedMentions.none()
    if interaction.response.is_done():
        await interaction.followup.send(allowed_mentions=none, **options)
    else:
        await interaction.response.send_message(allowed_mentions=none, **options)
