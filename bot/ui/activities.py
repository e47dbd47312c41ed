"""Embeds for the activity catalog: the list, one activity's steps, and reload reports."""

from __future__ import annotations

import discord

from bot.core.activities import Activity, Catalog, CatalogDiff, format_duration, localize
from bot.core.steps import kind_named
from bot.core.text import shorten
from bot.i18n import _, ngettext
from bot.ui.format import COLOUR_INFO, DESCRIPTION_MAX, field

PAGE_SIZE = 8
SUMMARY_MAX = 200


def catalog_embed(
    catalog: Catalog, tag: str | None, page: int = 1, *, locale: str
) -> discord.Embed:
    """One page of the catalog in ``locale`` (a long library never overflows an embed)."""
    wanted = tag.casefold().strip() if tag else None
    shown = [
        a
        for a in catalog.activities.values()
        if wanted is None or wanted in (t.casefold() for t in a.tags)
    ]
    title = (
        _("Activities tagged “{tag}”", locale, tag=shorten(tag or "", 40))
        if wanted
        else _("Activities", locale)
    )
    embed = discord.Embed(title=title, colour=COLOUR_INFO)
    if not shown:
        tags = sorted({t for a in catalog.activities.values() for t in a.tags})
        embed.description = _(
            "Nothing matches. Tags in use: {tags}",
            locale,
            tags=shorten(", ".join(tags) or _("none", locale), 3000),
        )
        return embed
    pages = (len(shown) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 1), pages)
    lines = [
        _(
            "**{title}** · `{id}` · {minutes} min\n{summary}",
            locale,
            title=localize(a.title, locale),
            id=a.id,
            minutes=a.duration_minutes,
            summary=shorten(localize(a.summary, locale), SUMMARY_MAX),
        )
        for a in shown[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    ]
    embed.description = shorten("\n\n".join(lines), DESCRIPTION_MAX)
    if pages > 1:
        hint = _(
            "Page {page} of {pages} · /activity list page:{next} for more. "
            "/activity info shows the steps; /activity start runs one.",
            locale,
            page=page,
            pages=pages,
            next=page % pages + 1,
        )
    else:
        hint = _("/activity info shows the steps; /activity start runs one.", locale)
    embed.set_footer(text=hint)
    return embed


def activity_embed(activity: Activity, facilitator: bool, locale: str) -> discord.Embed:
    """/activity info in ``locale``: the activity's steps (its own texts in that language when
    the file has them)."""
    embed = discord.Embed(
        title=shorten(localize(activity.title, locale), 256),
        description=shorten(localize(activity.summary, locale), DESCRIPTION_MAX),
        colour=COLOUR_INFO,
    )
    steps = []
    for number, step in enumerate(activity.steps, start=1):
        limit = f" · {format_duration(step.time_limit)}" if step.time_limit else ""
        icon = kind_named(step.type).icon
        steps.append(f"{number}. {icon} {localize(step.title, locale)}{limit}")
    embed.add_field(name=_("Steps", locale), value=field("\n".join(steps)), inline=False)
    embed.add_field(
        name=_("Length", locale),
        value=_("about {minutes} min", locale, minutes=activity.duration_minutes),
        inline=True,
    )
    if activity.tags:
        embed.add_field(name=_("Tags", locale), value=field(", ".join(activity.tags)), inline=True)
    if facilitator:
        if activity.facilitator_notes:
            embed.add_field(
                name=_("Facilitator notes", locale),
                value=field(localize(activity.facilitator_notes, locale)),
                inline=False,
            )
        if activity.audience_notes:
            embed.add_field(
                name=_("Who it suits", locale),
                value=field(localize(activity.audience_notes, locale)),
                inline=False,
            )
    embed.set_footer(
        text=_("id: {id} · version {version}", locale, id=activity.id, version=activity.version)
    )
    return embed


def reload_text(catalog: Catalog, diff: CatalogDiff, locale: str) -> str:
    """The private reply to /activity reload, in ``locale``."""
    lines = [
        ngettext(
            "🔄 Reloaded: {count} activity ({changes}).",
            "🔄 Reloaded: {count} activities ({changes}).",
            len(catalog.activities),
            locale,
            changes=diff.summary(locale),
        )
    ]
    if catalog.errors:
        lines.append(
            ngettext(
                "⚠ {count} problem; that file was skipped:",
                "⚠ {count} problems; those files were skipped:",
                len(catalog.errors),
                locale,
            )
        )
        lines.extend(f"`{shorten(e.text(locale), 300)}`" for e in catalog.errors[:8])
        if len(catalog.errors) > 8:
            lines.append(
                _(
                    "…and {count} more. Run `chorus validate` to see all.",
                    locale,
                    count=len(catalog.errors) - 8,
                )
            )
    lines.append(_("Running activities keep the version they started with.", locale))
    return shorten("\n".join(lines), 1900)
