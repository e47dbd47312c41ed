"""End to end without Discord: 3 real `python -m bot run` processes x 6 shards on one PostgreSQL.

The processes run shards {0, 3}, {1, 4} and {2, 5} against a fake gateway and REST
(tests/fakes/gateway.py). 1,000 sessions, one per guild, spread over the 6 shards, run an
activity whose first step is a check-in that ends on its own (a stored deadline, 40 s after
the start) and whose second step is posted when it does.

1. With every process up, a member checks in in every fifth guild (200 interactions).
2. A burst of check-ins goes to the guilds of the third process, which is killed with SIGKILL
   in the middle of it: some are answered, some never are.
3. While it is down, members check in in every fifth guild. Discord sends an interaction only to the
   session running its guild's shard; while no process runs it, the member sees "This
   interaction failed" and nothing reaches Chorus. So the fake gateway refuses the clicks on
   the dead process's shards (nobody is told, nothing is written), and the test proves that
   every click Discord could deliver (the other four shards' guilds) is answered once.
4. The survivors adopt the dead process's shard leases and fire its guilds' deadlines.
5. The process is restarted: its leases go home; a button pressed in every fifth guild is
   answered.

Then: every deadline's transition committed exactly once (every run at the second step, that
step posted once per channel), each interaction answered at most once, and every check-in that
was acknowledged (an answer to its interaction) is in the database: a write is acknowledged
only after its commit, so not even the killed process's acknowledged answers are lost.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.core.activities import Activity
from bot.core.runner import Runner
from bot.core.steps import step_handlers
from bot.records.sessions import NewSession
from bot.store.store import Store
from tests.engines import TestDatabase
from tests.fakes.gateway import FakeGateway, channel_of

ROOT = Path(__file__).resolve().parent.parent.parent
SHARDS = 6
PROCESSES = 3
SESSIONS = 1_000
VICTIM = 2
"""The process killed: it runs shards 2 and 5."""
FIRST, KILLED, DOWN, UNDELIVERABLE, AFTER = 810_001, 810_002, 810_003, 810_004, 810_005
"""The members (user ids) clicking in each phase, one click per guild each."""
QUIET = 810_000
"""A member present in every session who never answers."""
CHECKIN_SECONDS = 40
CLICKS = 200
"""Clicks per phase (about: every EVERY-th guild), spread over every shard."""
EVERY = SESSIONS // CLICKS
SECOND = "Second, after the deadline"
ACTIVITY = {
    "id": "shards-e2e",
    "title": "Shards end to end",
    "summary": "s",
    "version": 1,
    "duration_minutes": 5,
    "steps": [
        {
            "type": "checkin",
            "title": "First",
            "question": "How are you?",
            "scale": "1-5",
            "time_limit": CHECKIN_SECONDS,
            "advance": "auto",
        },
        {"type": "reflect", "title": SECOND, "question": "q?"},
    ],
}


def guilds() -> list[int]:
    """SESSIONS guild ids, spread evenly over the shards ((id >> 22) % SHARDS)."""
    return [(n << 22) | 4321 for n in range(SESSIONS)]


def shards_of(process: int) -> set[int]:
    return {shard for shard in range(SHARDS) if shard % PROCESSES == process}


def start_process(index: int, gateway: FakeGateway, url: str, tmp: Path) -> subprocess.Popen[bytes]:
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CHORUS_") and key != "DISCORD_TOKEN"
    }
    environ.update(
        {
            "DISCORD_TOKEN": "fake.token.e2e",
            "CHORUS_DATABASE_URL": url,
            "CHORUS_DISCORD_API_BASE": gateway.api_base,
            "CHORUS_DISCORD_GATEWAY_URL": gateway.gateway_url,
            "CHORUS_DISCORD_SHARD_COUNT": str(SHARDS),
            "CHORUS_DISCORD_PROCESS_COUNT": str(PROCESSES),
            "CHORUS_DISCORD_PROCESS_INDEX": str(index),
            "CHORUS_DISCORD_MAX_CONCURRENCY": str(SHARDS),
            "CHORUS_MEDIA_DIR": str(tmp / "media"),
            "CHORUS_LOG_LEVEL": "INFO",
        }
    )
    log = (tmp / f"process-{index}-{time.time():.0f}.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=environ,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


async def until(what: str, check: Callable[[], Awaitable[bool]], within: float = 60.0) -> None:
    """Poll `check` until it holds; fail after `within` seconds of wall time (a hang, not a
    measure: no figure here is asserted against time)."""
    give_up = time.monotonic() + within
    while not await check():
        if time.monotonic() > give_up:
            raise AssertionError(f"still not true after {within:.0f} s: {what}")
        await asyncio.sleep(1.0)


async def steps_of(store: Store) -> dict[int, int]:
    rows = await store.db.fetch_all("SELECT id, step_index FROM activity_runs")
    return {int(r[0]): int(r[1]) for r in rows}


async def leases_home(store: Store) -> bool:
    leases = await store.leases.all()
    return len(leases) == SHARDS and all(lease.owner == lease.home for lease in leases)


def posted_second_step(gateway: FakeGateway) -> Counter[int]:
    """Step messages of the second step posted, per channel."""
    return Counter(
        channel
        for channel, body in gateway.posts
        if any(embed.get("title") == SECOND for embed in body.get("embeds") or [])
    )


def failed_processes(folder: Path) -> list[str]:
    """Logs with an error or a traceback (printed, for the test's output)."""
    failed = []
    for log in sorted(folder.glob("process-*.log")):
        text = log.read_text(errors="replace")
        if "Traceback" in text or "ERROR" in text:
            print(f"--- {log.name}\n{text[-4000:]}")
            failed.append(log.name)
    return failed


def sample_refusal(gateway: FakeGateway) -> str:
    """One reply to a check-in click that saved nothing (for the report)."""
    for replies in gateway.callbacks.values():
        data = replies[0].get("data") or {}
        if saved_checkin(replies[0]) is None and "board" not in str(data):
            return str(data.get("content") or data.get("embeds"))[:160]
    return ""


def saved_checkin(callback: dict[str, Any]) -> int | None:
    """The check-in id a reply acknowledges as saved (its Share button), or None."""
    rows = (callback.get("data") or {}).get("components") or []
    for row in rows:
        for component in row.get("components") or []:
            custom_id = str(component.get("custom_id", ""))
            if custom_id.startswith("chorus:checkin_share:"):
                return int(custom_id.rsplit(":", 1)[1])
    return None


async def agree_to_checkins(store: Store, guild_ids: list[int]) -> None:
    """The clicking members agreed to their check-ins being kept (one write for them all)."""
    rows = [
        (guild, user, "agreed", 0.0)
        for guild in guild_ids
        for user in (FIRST, KILLED, DOWN, UNDELIVERABLE)
    ]
    async with store.db.transaction() as conn:
        await conn.execute_many(
            "INSERT INTO members (guild_id, user_id, consent, consent_at) VALUES (?, ?, ?, ?)",
            rows,
        )


async def start_sessions(store: Store, guild_ids: list[int]) -> dict[int, tuple[int, int]]:
    """A session and its run per guild: guild -> (session id, run id)."""
    runner = Runner(store, lambda: datetime.now(UTC), step_handlers())
    activity = Activity.model_validate({**ACTIVITY, "version_hash": "e2e"})

    async def one(guild: int) -> tuple[int, tuple[int, int]]:
        session = await store.sessions.create(
            NewSession(
                guild_id=guild,
                channel_id=channel_of(guild),
                voice_channel_id=None,
                title="Circle",
                facilitator_id=5,
            ),
            time.time(),
        )
        # Someone present who never answers: the check-in waits for its deadline.
        await store.sessions.join(session.id, QUIET, time.time())
        return guild, (session.id, (await runner.start(session.id, activity)).run.id)

    found: dict[int, tuple[int, int]] = {}
    for start in range(0, len(guild_ids), 100):  # a hundred at a time: group commits
        found.update(await asyncio.gather(*(one(g) for g in guild_ids[start : start + 100])))
    # The first step's messages as if posted by whoever started them (no process has read
    # these runs yet): a process taking a dead holder's shards posts only what is missing.
    async with store.db.transaction() as conn:
        await conn.execute("UPDATE activity_runs SET step_message_id = id + 7")
    return found


async def test_three_processes_six_shards_a_kill_and_a_restart(
    postgres: TestDatabase, tmp_path: Path
) -> None:
    every_guild = guilds()
    gateway = FakeGateway(every_guild, SHARDS)
    await gateway.start()
    store = Store(postgres.url)
    await store.open()  # migrated once, before the processes start
    processes: list[subprocess.Popen[bytes]] = []
    clicks: dict[str, dict[int, int | None]] = {}
    try:
        await agree_to_checkins(store, every_guild)
        processes = [start_process(i, gateway, postgres.url, tmp_path) for i in range(PROCESSES)]
        await gateway.wait_for_shards(set(range(SHARDS)), within=120)
        await until("every process holds its home shards", lambda: leases_home(store))
        sessions = await start_sessions(store, every_guild)
        sample = every_guild[::EVERY]  # guilds on every shard

        def checkin(run: int, value: int = 5) -> str:
            return f"chorus:checkin:{run}:0:{value}"

        async def click_all(
            phase: str, user: int, guild_ids: list[int], id_of: Callable[[tuple[int, int]], str]
        ) -> None:
            clicks.setdefault(phase, {}).update(
                {g: await gateway.click(g, id_of(sessions[g]), user) for g in guild_ids}
            )

        def answered(phase: str) -> Callable[[], Awaitable[bool]]:
            async def check() -> bool:
                waiting = Counter(
                    gateway.shard_of(g)
                    for g, i in clicks[phase].items()
                    if i and not gateway.callbacks.get(i)
                )
                print(f"{time.strftime('%X')} {phase}: unanswered per shard {dict(waiting)}")
                return not waiting

            return check

        # 1. Everyone up: a check-in in every guild, each answered.
        await click_all("first", FIRST, sample, lambda s: checkin(s[1]))
        await until("the first check-ins are answered", answered("first"))

        # 2. The third process dies in the middle of a burst of check-ins in its guilds.
        victims = [g for g in every_guild if gateway.shard_of(g) in shards_of(VICTIM)]
        survivors = [g for g in every_guild if g not in set(victims)]
        half = CLICKS // 4
        await click_all("killed", KILLED, victims[:half], lambda s: checkin(s[1]))

        async def some_answered() -> bool:
            return sum(1 for i in clicks["killed"].values() if i and gateway.callbacks.get(i)) > 5

        await until("the burst is being answered", some_answered)
        await click_all("killed", KILLED, victims[half : 2 * half], lambda s: checkin(s[1]))
        processes[VICTIM].send_signal(signal.SIGKILL)
        processes[VICTIM].wait()
        killed_at = time.time()

        async def victim_gone() -> bool:
            return not shards_of(VICTIM) & set(gateway.shards)

        await until("the gateway sees the dead process's shards go", victim_gone)

        # 3. While it is down: the other shards' clicks are answered; its shards' fail.
        await click_all("down", DOWN, survivors[::EVERY], lambda s: checkin(s[1]))
        await click_all("undeliverable", UNDELIVERABLE, victims[::EVERY], lambda s: checkin(s[1]))
        await until("the check-ins made while a process is down are answered", answered("down"))
        assert all(i is not None for i in clicks["down"].values())
        assert all(i is None for i in clicks["undeliverable"].values())

        # 4. The survivors adopt its leases and fire its guilds' deadlines.
        async def adopted() -> bool:
            leases = await store.leases.all()
            return all(
                lease.owner != lease.home for lease in leases if lease.shard_id in shards_of(VICTIM)
            )

        await until("survivors adopt the dead process's shards", adopted)
        adopted_after = time.time() - killed_at

        async def all_moved() -> bool:
            return set((await steps_of(store)).values()) == {1}

        await until("every deadline fired", all_moved, within=CHECKIN_SECONDS + 60)

        # 5. Restarted: its shards and their leases go home; nothing fires a second time.
        processes[VICTIM] = start_process(VICTIM, gateway, postgres.url, tmp_path)
        await gateway.wait_for_shards(set(range(SHARDS)), within=120)
        await until("the leases go home", lambda: leases_home(store))
        await click_all("after", AFTER, sample, lambda s: f"chorus:board:join:{s[0]}")
        await until("every button pressed after the restart is answered", answered("after"))

        # Every deadline's transition committed once; each step message posted once.
        assert set((await steps_of(store)).values()) == {1}

        async def all_posted() -> bool:
            return len(posted_second_step(gateway)) == SESSIONS

        await until("every second step is posted", all_posted)
        posted = posted_second_step(gateway)
        assert posted == Counter({channel_of(g): 1 for g in every_guild}), posted
        # Each interaction answered at most once (Discord would refuse a second answer).
        assert all(len(answers) == 1 for answers in gateway.callbacks.values())
        # Every acknowledged check-in is stored; nothing undeliverable is. A saved answer's
        # reply carries its check-in's Share button (chorus:checkin_share:<id>), sent only
        # after the commit; a click that came too late for the step gets a refusal instead.
        rows = await store.db.fetch_all(
            "SELECT id, guild_id, user_id, run_id FROM checkins WHERE run_id IS NOT NULL"
        )
        stored = {int(r[0]): (int(r[1]), int(r[2]), int(r[3])) for r in rows}
        users = {"first": FIRST, "killed": KILLED, "down": DOWN}
        replies = [
            (saved_checkin(gateway.callbacks[interaction][0]), (g, users[phase], sessions[g][1]))
            for phase in users
            for g, interaction in clicks[phase].items()
            if interaction is not None and gateway.callbacks.get(interaction)
        ]
        acknowledged = {i: who for i, who in replies if i is not None}
        refused = Counter(
            phase
            for phase in users
            for interaction in clicks[phase].values()
            if interaction is not None
            and gateway.callbacks.get(interaction)
            and saved_checkin(gateway.callbacks[interaction][0]) is None
        )
        assert refused["first"] == 0 and len(acknowledged) >= len(sample)
        lost = {i: who for i, who in acknowledged.items() if stored.get(i) != who}
        assert not lost, lost
        assert not any(user == UNDELIVERABLE for _, user, _ in stored.values())
        killed_answered = sum(
            1 for i in clicks["killed"].values() if i is not None and gateway.callbacks.get(i)
        )
        print(
            f"\n{SESSIONS} sessions on {SHARDS} shards in {PROCESSES} processes: leases adopted"
            f" {adopted_after:.1f} s after the kill; {len(acknowledged)} check-ins saved and"
            f" acknowledged; refused: {dict(refused) or 'none'}"
            f"{f' ({sample_refusal(gateway)!r})' if refused else ''};"
            f" {killed_answered} of {2 * half} check-ins in"
            f" the killed process's burst answered (each one stored);"
            f" {len(clicks['undeliverable'])} clicks on its shards failed while it was down"
        )
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        await store.close()
        await gateway.close()
        failed = failed_processes(tmp_path)
    assert failed == []
