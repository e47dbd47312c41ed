"""The scripted session's closed group: a session of 3 places the demo's members fill, one
waiting in line who moves up when a place frees."""

from __future__ import annotations

import discord

from bot.demo.controls import controls_of
from bot.demo.crowd import Crowd
from bot.demo.facilitator import board
from bot.demo.shots import Shoot
from bot.demo.world import DemoWorld

CLOSED_TITLE = "Friday group"
CLOSED_TITLES = {"de": "Freitagsgruppe", "es": "Grupo del viernes"}
"""The closed group's title in another demo language (what a facilitator types)."""
CLOSED_PLACES = 3


def board_text(message: discord.Message | None) -> str:
    """What everyone reads on a board: its first embed's title, description and fields, one
    per line ("" without a message or an embed)."""
    if message is None or not message.embeds:
        return ""
    embed = message.embeds[0]
    fields = [f"{f.name}: {f.value}" for f in embed.fields]
    return "\n".join([embed.title or "", embed.description or "", *fields])


async def show_closed_session(world: DemoWorld, crowd: Crowd, shoot: Shoot) -> list[str]:
    """A closed group of 3 places: the members press Join, three get in and the fourth waits in
    line; the first leaves and the next moves up (told privately); then the facilitator's
    Manage list. Gives the board's words after the Join presses, then after the leave."""
    title = CLOSED_TITLES.get(world.language, CLOSED_TITLE)
    await world.facilitator.slash(
        world.channel, "session start", title=title, capacity=CLOSED_PLACES
    )
    await crowd.settle()
    seen = [board_text(board(world, title))]
    await shoot("12-closed-session", None)
    await world.members[0].slash(world.channel, "session leave")
    seen.append(board_text(board(world, title)))
    shown = board(world, title)
    manage = (
        next(
            (c for c in controls_of(shown) if c.custom_id.startswith("chorus:board:manage:")), None
        )
        if shown is not None
        else None
    )
    if shown is not None and manage is not None:
        await world.facilitator.click(shown, custom_id=manage.custom_id)
        await shoot("13-closed-manage", world.facilitator)
    await world.facilitator.slash(world.channel, "session end")
    return seen
