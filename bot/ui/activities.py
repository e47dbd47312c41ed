"""Embeds for the activity catalog: the list, one activity's steps, and reload reports."""

from __future__ import annotations

import discord

from bot.core.activities import Activity, Catalog, CatalogDiff, format_duration, localize
from bot.core.text import shorten
from bot.ui.format import COLOUR_INFO, DESCRIPTION_MAX, field

STEP_ICONS = {
    "prompt": "💬",
    "checkin": "🌡",
    "listen": "🎧",
    "write": "✍",
    "reflect": "💭",
    "breathe": "🌬",
    "vote": "🗳",
    "goal": "🎯",
}
PAGE_SIZE = 8
SUMMARY_MAX = 200


def catalog_embed(catalog: Catalog, tag: str | None, page: int = 1) -> discord.Embed:
    """One page of the catalog (a long library never overflows an embed)."""
    wanted = tag.casefold().strip() if tag else None
    shown = [
        a
        for a in catalog.activities.values()
        if wanted is None or wanted in (t.casefold() for t in a.tags)
    ]
    title = "Activities" + (f" tagged “{shorten(tag or '', 40)}”" if wanted else "")
    embed = discord.Embed(title=title, colour=COLOUR_INFO)
    if not shown:
        tags = sorted({t for a in catalog.activities.values() for t in a.tags})
        embed.description = "Nothing matches. Tags in use: " + shorten(
            ", ".join(tags) or "none", 3000
        )
        return embed
    pages = (len(shown) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 1), pages)
    lines = [
        f"**{localize(a.title)}** · `{a.id}` · {a.duration_minutes} min\n"
        f"{shorten(localize(a.summary), SUMMARY_MAX)}"
        for a in shown[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    ]
    embed.description = shorten("\n\n".join(lines), DESCRIPTION_MAX)
    hint = "/activity info shows the steps; /activity start runs one."
    if pages > 1:
        hint = f"Page {page} of {pages} · /activity list page:{page % pages + 1} for more. " + hint
    embed.set_footer(text=hint)
    return embed


def activity_embed(activity: Activity, facilitator: bool) -> discord.Embed:
    embed = discord.Embed(
        title=shorten(localize(activity.title), 256),
        description=shorten(localize(activity.summary), DESCRIPTION_MAX),
        colour=COLOUR_INFO,
    )
    steps = []
    for number, step in enumerate(activity.steps, start=1):
        limit = f" · {format_duration(step.time_limit)}" if step.time_limit else ""
        steps.append(f"{number}. {STEP_ICONS.get(step.type, '•')} {localize(step.title)}{limit}")
    embed.add_field(name="Steps", value=field("\n".join(steps)), inline=False)
    embed.add_field(name="Length", value=f"about {activity.duration_minutes} min", inline=True)
    if activity.tags:
        embed.add_field(name="Tags", value=field(", ".join(activity.tags)), inline=True)
    if facilitator:
        if activity.facilitator_notes:
            embed.add_field(
                name="Facilitator notes",
                value=field(localize(activity.facilitator_notes)),
                inline=False,
            )
        if activity.audience_notes:
            embed.add_field(
                name="Who it suits", value=field(localize(activity.audience_notes)), inline=False
            )
    embed.set_footer(text=f"id: {activity.id} · version {activity.version}")
    return embed


def reload_text(catalog: Catalog, diff: CatalogDiff) -> str:
    lines = [f"🔄 Reloaded: {len(catalog.activities)} activities ({diff.summary()})."]
    if catalog.errors:
        lines.append(f"⚠ {len(catalog.errors)} problem(s); those files were skipped:")
        lines.extend(f"`{shorten(str(e), 300)}`" for e in catalog.errors[:8])
        if len(catalog.errors) > 8:
            lines.append(f"…and {len(catalog.errors) - 8} more. Run `chorus validate` to see all.")
    lines.append("Running activities keep the version they started with.")
    return shorten("\n".join(lines), 1900)
