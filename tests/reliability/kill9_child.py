"""Child process for test_kill9: the real store and services under 20 concurrent writers.

Each writer loops: a member joins a session (attendance), answers an anonymous check-in
(CheckinService.answer_step, the call the check-in cog makes), agrees to their check-ins being
stored and answers a named one (same call), and writes a lyric line
(LyricsService.contribute, the call the lyrics cog makes: the contribution and its song_lines
row in one commit). A line is
printed only after the call returned, i.e. after its write committed:

    A <session_id> <user_id>      attendance
    C <checkin_id>                anonymous check-in (runs by itself in its batch)
    N <checkin_id>                named check-in after consent (batched with the other
                                  writers' answers: one INSERT per table per batch)
    L <contribution_id> <song_id> lyric line (contribution and song_lines row)

The parent kills this process with SIGKILL at a random moment.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.core.catalog import Catalog
from bot.core.checkin_service import CheckinService
from bot.core.errors import Conflict
from bot.core.lyrics_service import LyricsService
from bot.core.runner import Runner
from bot.core.session import SessionService
from bot.core.steps.checkin import CheckinHandler
from bot.core.steps.write import WriteHandler, WriteStep
from bot.core.syllables import warm_up
from bot.settings import CheckinSettings
from bot.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 20


def clock() -> datetime:
    return datetime.now(UTC)


def ack(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def writer(
    number: int,
    trial: int,
    store: Store,
    sessions: SessionService,
    runner: Runner,
    checkins: CheckinService,
    lyrics: LyricsService,
    catalog: Catalog,
) -> None:
    guild = 1
    base = (trial + 1) * 1_000_000 + number * 10_000
    checkin_activity = catalog.get("test-checkin-anon")
    song_activity = catalog.get("test-rel-long-song")
    assert checkin_activity is not None and song_activity is not None
    circle = await sessions.open(
        guild_id=guild, channel_id=base + 1, title=f"k{trial}-{number}", facilitator_id=base
    )
    studio = await sessions.open(
        guild_id=guild, channel_id=base + 2, title=f"s{trial}-{number}", facilitator_id=base
    )
    checkin_run = (await runner.start(circle.id, checkin_activity)).run
    # The activity's second step is a named (SAM) check-in; a third session waits there.
    named = await sessions.open(
        guild_id=guild, channel_id=base + 3, title=f"n{trial}-{number}", facilitator_id=base
    )
    named_run = (await runner.start(named.id, checkin_activity)).run
    await runner.advance(named_run.id, 0)
    song_run = (await runner.start(studio.id, song_activity)).run
    step = song_activity.steps[0]
    assert isinstance(step, WriteStep), step
    assert step.type == "write"
    member = base + 100
    while True:
        member += 1
        # Attendance: the same call /session join makes.
        if await sessions.join(circle, member):
            ack(f"A {circle.id} {member}")
        # Check-in: the same call the check-in step button makes.
        saved = await checkins.answer_step(checkin_run.id, 0, member, 1 + member % 5)
        assert saved.record is not None
        ack(f"C {saved.record.id}")
        await checkins.set_consent(guild, member, True, f"m{member}")
        saved = await checkins.answer_step(named_run.id, 1, member, 1 + member % 9, 5)
        assert saved.record is not None
        ack(f"N {saved.record.id}")
        # Lyric line: the call the lyrics cog makes (contribution + song_lines, one commit).
        try:
            outcome = await lyrics.contribute(
                studio, song_run, step, member, f"m{member}", "line", {"text": f"line {member} la"}
            )
        except Conflict:  # the song is full: start the next one
            await runner.stop(song_run.id)
            song_run = (await runner.start(studio.id, song_activity)).run
            continue
        record = outcome.record
        song = await lyrics.song(studio, song_run, step)
        ack(f"L {record.id} {song.id}")


async def main(target: str, trial: int) -> None:
    catalog = Catalog.load([ROOT / "tests" / "cogs"], ROOT / "media")
    store = Store(target)
    await store.open()
    sessions = SessionService(store, clock)
    runner = Runner(store, clock, {"checkin": CheckinHandler(), "write": WriteHandler()})
    checkins = CheckinService(store, clock, runner, CheckinSettings())
    lyrics = LyricsService(store, clock, runner, lambda _guild: "en")
    # As the bot's start-up does (ChorusBot.setup_hook): the CMU dictionary is loaded before
    # the first lyric line, off the event loop.
    await asyncio.to_thread(warm_up)
    ack("READY")
    await asyncio.gather(
        *(
            writer(n, trial, store, sessions, runner, checkins, lyrics, catalog)
            for n in range(WRITERS)
        )
    )


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))  # a SQLite path or a database URL
