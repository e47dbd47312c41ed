"""What the demo's facilitator does and reads in the channel: opening the session, finding the
board and the step cards, pressing Next, and reviewing a reflection's shared answers."""

from __future__ import annotations

import discord

from bot.demo.controls import controls_of
from bot.demo.world import DemoWorld


def find_embed(world: DemoWorld, text: str, *, after: int = 0) -> discord.Message | None:
    """The newest public message whose embed title or author contains `text` (only messages
    with an id above `after`), or None."""
    for message in reversed(world.channel.history()):
        if message.id <= after:
            break
        for embed in message.embeds:
            if text in (embed.title or "") or text in (embed.author.name or ""):
                return message
    return None


def board(world: DemoWorld, title: str) -> discord.Message | None:
    """The session board titled `title` in the demo channel, or None."""
    return find_embed(world, title)


async def current_step(world: DemoWorld) -> int | None:
    """The running step's number (1-based), or None when nothing runs: what the board shows,
    read from the bot's own record so it doesn't depend on the board's language."""
    session = await world.bot.sessions.find_in_channel(world.channel.id)
    if session is None:
        return None
    run = await world.bot.runner.live_run(session.id)
    return None if run is None else run.step_index + 1


async def open_session(world: DemoWorld, title: str) -> None:
    """The facilitator's /session start; a session left open by an earlier run is ended first.

    Raises RuntimeError when no session is open afterwards (with the bot's reply)."""
    if await world.bot.sessions.find_in_channel(world.channel.id) is not None:
        await world.facilitator.slash(world.channel, "session end")
    result = await world.facilitator.slash(
        world.channel, "session start", title=title, voice_channel=world.voice
    )
    if await world.bot.sessions.find_in_channel(world.channel.id) is None:
        content = result.response.content if result.response is not None else ""
        raise RuntimeError(f"the demo session did not open: {content!r}")


async def press_next(world: DemoWorld, title: str) -> None:
    """The facilitator presses the board's Next button (nothing when there is no board)."""
    message = board(world, title)
    if message is None:
        return
    for control in controls_of(message):
        if control.custom_id.startswith("chorus:board:next:"):
            await world.facilitator.click(message, custom_id=control.custom_id)
            return


async def review_and_release(world: DemoWorld, step_title: str) -> str | None:
    """The facilitator's Review answers on a reviewed reflect step, then Release: the shared
    answers are posted without names. Gives the private review's text (one line per embed), or
    None when there was no card, no Review answers button or no private review."""
    card = find_embed(world, step_title)
    if card is None:
        return None
    review = next((c for c in controls_of(card) if c.area == "reflect_review"), None)
    if review is None:
        return None
    shown = await world.facilitator.click(card, custom_id=review.custom_id)
    private = shown.response.message if shown.response is not None else None
    if private is None:
        return None
    text = "\n".join(e.description or "" for e in private.embeds)
    release = next((c for c in controls_of(private) if c.area == "reflect_release"), None)
    if release is not None:
        await world.facilitator.click(private, custom_id=release.custom_id)
    return text
