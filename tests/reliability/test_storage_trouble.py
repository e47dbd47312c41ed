"""Area 9: a read-only database. Members are told plainly, nothing is half-written, the bot
keeps serving what it can, and everything works again once storage is writable.

As root, chmod doesn't stop writes, so both of the store's connections (the aiosqlite one and
the group-commit writer's) are switched to `PRAGMA query_only` for the outage.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any

from bot.chorus_bot import ChorusBot
from bot.core.errors import StorageBusy
from bot.store.writer import BatchWriter
from tests.cogs.test_session_flow import board, open_session
from tests.conftest import World, find_message
from tests.responses import reply_to

BUSY = StorageBusy().message


async def set_read_only(bot: ChorusBot, on: bool) -> None:
    pragma = f"PRAGMA query_only = {'ON' if on else 'OFF'}"
    db = bot.store.db
    await db.conn.execute(pragma)
    writer = db.writer
    assert isinstance(writer, BatchWriter), writer  # SQLite's writer: one sqlite3 connection
    writer.conn.execute(pragma)


async def counts(bot: ChorusBot) -> dict[str, int]:
    tables = ("attendance", "contributions", "checkins", "songs", "song_lines", "goals")
    found: dict[str, int] = {}
    for table in tables:
        try:
            row = await bot.store.db.fetch_one(f"SELECT count(*) FROM {table}")
        except sqlite3.OperationalError:
            continue  # a table this build doesn't have
        assert row is not None
        found[table] = int(row[0])
    return found


def text_of(result: Any) -> str:
    response = result.response
    return "\n".join([response.content or ""] + [(e.description or "") for e in response.embeds])


async def test_read_only_database_refuses_clearly_and_recovers(world: World) -> None:
    bot = world.bot()
    ana, ben, cai = world.members
    await open_session(world)
    await ana.click(board(world), label="Join")
    await world.facilitator.slash(world.channel, "activity start", activity="test-flow")
    await world.facilitator.click(board(world), label="Next")  # reflect, 60 s, auto
    reflect = find_message(world.channel, "One word")
    form = await ana.click(reflect, label="Reflect")  # opened before the outage

    before = await counts(bot)
    await set_read_only(bot, True)

    async def goal_with_consent() -> Any:
        asked = await ana.slash(world.channel, "goal set", text="rest more")
        return await ana.click(reply_to(asked).message, label="Agree")

    writes: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
        ("Join button", lambda: ben.click(board(world), label="Join")),
        ("/session join", lambda: cai.slash(world.channel, "session join")),
        ("reflection", lambda: ana.submit_modal(form, {"answer": "steady"})),
        ("/listen suggest", lambda: ana.slash(world.channel, "listen suggest", title="Song")),
        ("/goal set + Agree", goal_with_consent),
        ("/song credit", lambda: ana.slash(world.channel, "song credit", setting="off")),
        ("Leave button", lambda: ana.click(board(world), label="Leave")),
        ("Pause", lambda: world.facilitator.click(board(world), label="Pause")),
    ]
    told = 0
    for label, action in writes:
        result = await action()
        text = text_of(result)
        assert result.ephemeral, label
        assert "Something went wrong" not in text, f"{label}: {text}"
        assert BUSY in text, f"{label}: {text!r}"
        told += 1
    # Still serving: reading commands answer during the outage.
    status = await ben.slash(world.channel, "session status")
    assert status.ephemeral and reply_to(status).embeds
    listing = await ben.slash(world.channel, "activity list")
    assert reply_to(listing).embeds
    assert await counts(bot) == before, "nothing may be half-written while read-only"

    await set_read_only(bot, False)
    joined = await ben.click(board(world), label="Join")
    assert "You've joined" in reply_to(joined).content
    form = await ana.click(find_message(world.channel, "One word"), label="Reflect")
    saved = await ana.submit_modal(form, {"answer": "steady"})
    assert "saved" in reply_to(saved).content
    after = await counts(bot)
    assert after["attendance"] == before["attendance"] + 1
    assert after["contributions"] == before["contributions"] + 1
    await world.env.advance_time(61)  # the auto step still moves on by itself
    assert find_message(world.channel, "Breathe together") is not None
    print(
        f"storage: {len(writes)} writes tried while read-only, {told} told "
        f"'{BUSY[:24]}...', 0 rows changed, 2 reads served, recovered: join + reflection saved"
    )
