"""Populate a real store through the real services: open sessions, joined members, running steps."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.common import ROOT
from bot.core.activities import Activity, Catalog
from bot.core.runner import Runner
from bot.core.session import SessionService
from bot.core.steps import step_handlers
from bot.records.sessions import RunRecord, SessionRecord
from bot.store import cached_reads
from bot.store.engine import Conn
from bot.store.store import Store


def clock() -> datetime:
    return datetime.now(UTC)


def shipped_catalog() -> Catalog:
    return Catalog.load([ROOT / "activities"], ROOT / "data" / "media")


def guild_of(session_index: int) -> int:
    return 900_000 + session_index // 10


def member_of(session_index: int, member_index: int, members: int) -> int:
    return 10_000_000 + session_index * members + member_index


@dataclass
class Opened:
    session: SessionRecord
    run: RunRecord | None
    members: list[int]


async def populate(
    store: Store,
    runner: Runner,
    activity: Activity | None,
    sessions: int,
    members: int,
    *,
    consent: bool = True,
    first: int = 0,
    joins_at_once: bool = True,
) -> list[Opened]:
    """`sessions` open sessions, each with `members` joined and (optionally) `activity` running;
    numbered from `first` (their guild, channel and member ids follow the number).

    `joins_at_once`: every member of every session joins in one burst (sessions x members
    joins in flight together); False: each circle's members join together, one circle after
    another (how a live bot's sessions fill). The activities start in one burst either way."""
    service = SessionService(store, clock)
    opened: list[Opened] = []
    for s in range(first, first + sessions):
        session = await service.open(
            guild_id=guild_of(s),
            channel_id=5_000_000 + s,
            title=f"Circle {s}",
            facilitator_id=1_000 + s,
        )
        opened.append(Opened(session, None, [member_of(s, m, members) for m in range(members)]))
    if joins_at_once:
        await asyncio.gather(*(service.join(o.session, uid) for o in opened for uid in o.members))
    else:
        for o in opened:
            await asyncio.gather(*(service.join(o.session, uid) for uid in o.members))
    if consent:
        rows = [
            (o.session.guild_id, uid, f"member {uid}", "agreed", 0.0)
            for o in opened
            for uid in o.members
        ]

        async def agree(conn: Conn) -> None:
            await conn.execute_many(
                "INSERT INTO members (guild_id, user_id, display_name, consent, consent_at)"
                " VALUES (?, ?, ?, ?, ?)",
                rows,
            )

        # Consent is a cached read: whatever was looked up before is forgotten.
        agreed = (cached_reads.consent(guild_id, user_id) for guild_id, user_id, *_ in rows)
        await store.db.write(agree, invalidate=agreed)
        del rows  # the bench's own rows: not counted in what the sessions hold (bench/memory.py)
    if activity is not None:
        updates = await asyncio.gather(*(runner.start(o.session.id, activity) for o in opened))
        for o, update in zip(opened, updates, strict=True):
            o.run = update.run
    return opened


async def open_store(path: Path | str) -> tuple[Store, Runner]:
    store = Store(path)
    await store.open()
    return store, Runner(store, clock, step_handlers())
