"""Posting and editing a session's messages within Discord's limits: what doesn't fit is attached
whole, a refused payload is retried shortened, and a step card carries a nonce so it shows once."""

from __future__ import annotations

import logging

import discord

from bot.records.sessions import RunRecord
from bot.ui import limits
from bot.ui.steps.base import MessagePayload

log = logging.getLogger("chorus.live")

NONE = discord.AllowedMentions.none()


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    found = ""
    while True:
        number, rest = divmod(number, 36)
        found = digits[rest] + found
        if number == 0:
            return found


def step_nonce(run: RunRecord) -> str:
    """The nonce of a step card: the same in every process that would post this step of this
    run (run id, step, the step's start in ms), so a second post of it (a process adopting a
    shard while the first was posting, a retry) returns Discord's first message instead of
    showing the step twice. Discord keeps nonces for a few minutes, up to 25 characters."""
    started = round((run.step_started_at or 0.0) * 1000)
    return f"s{_base36(run.id)}.{run.step_index}.{_base36(started)}"[:25]


def fitted(payload: MessagePayload) -> tuple[str | None, list[discord.Embed], list[discord.File]]:
    """A payload within Discord's limits (bot/ui/limits.py); what had to be cut is attached
    whole as a text file, so nothing is dropped."""
    fit = limits.fit_message(payload.content, payload.all_embeds)
    files = list(payload.files)
    if fit.overflow and len(files) < limits.ATTACHMENTS:
        log.info("a message was longer than Discord allows; its full text is attached")
        files.append(limits.overflow_file(fit.overflow))
    return fit.content, fit.embeds, files


def shortened(payload: MessagePayload) -> MessagePayload:
    """A much shorter form of a refused payload (the retry after a 400): every embed text cut
    hard, its full text attached."""
    small: list[discord.Embed] = []
    overflow: list[str] = []
    for embed in payload.all_embeds[:3]:
        overflow.append(limits.embed_text(embed))
        copy = discord.Embed(
            title=limits.cut(embed.title or "", 200) or None,
            description=limits.cut(embed.description or "", 1500) or None,
            colour=embed.colour,
        )
        for item in embed.fields[:10]:
            copy.add_field(
                name=limits.cut(item.name or "\u200b", 100),
                value=limits.cut(item.value or "\u200b", 300),
                inline=bool(item.inline),
            )
        if embed.footer.text:
            copy.set_footer(text=limits.cut(embed.footer.text, 200))
        if embed.author.name:
            copy.set_author(name=limits.cut(embed.author.name, 200))
        small.append(copy)
    content = limits.cut(payload.content, 1500) if payload.content else None
    files = (limits.overflow_file(overflow),) if overflow else ()
    return MessagePayload(content=content, embeds=tuple(small), view=payload.view, files=files)


async def _edit(message: discord.PartialMessage, payload: MessagePayload) -> None:
    content, embeds, files = fitted(payload)
    if files:
        await message.edit(
            content=content,
            embeds=embeds,
            view=payload.view,
            attachments=files,
            allowed_mentions=NONE,
        )
    else:
        await message.edit(content=content, embeds=embeds, view=payload.view, allowed_mentions=NONE)


def _named(what: str, kind: str) -> str:
    """`what` (a catalogue text) in English for the log, with the step kind filled in."""
    return what.format(kind=kind) if kind else what
