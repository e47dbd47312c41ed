"""The goal repository: the active limit holds under races, ratings replace per step, counts,
and /mydata and /forget cover goals and their ratings."""

from __future__ import annotations

import asyncio

from bot.records.sessions import NewRun, NewSession, RunRecord, SessionRecord
from bot.store.store import Store

GUILD = 1


async def _session_and_run(store: Store) -> tuple[SessionRecord, RunRecord]:
    session = await store.sessions.create(
        NewSession(
            guild_id=GUILD, channel_id=2, voice_channel_id=None, title="t", facilitator_id=3
        ),
        0,
    )
    run = await store.runs.create(
        NewRun(
            session_id=session.id,
            activity_id="a",
            version_hash="h",
            definition="{}",
            step_deadline=None,
        ),
        0,
    )
    return session, run


async def test_add_list_close_and_the_active_limit(store: Store) -> None:
    first = await store.goals.add(GUILD, 7, "sleep better", 1.0, 3)
    assert first is not None and first.status == "active" and first.text == "sleep better"
    # Simultaneous adds never get past the limit.
    results = await asyncio.gather(
        *(store.goals.add(GUILD, 7, f"goal {n}", 2.0, 3) for n in range(5))
    )
    assert sum(r is not None for r in results) == 2
    assert len(await store.goals.active(GUILD, 7)) == 3
    # Another member and another server are separate.
    assert await store.goals.add(GUILD, 8, "x", 2.0, 3) is not None
    assert await store.goals.add(GUILD + 1, 7, "x", 2.0, 3) is not None
    assert await store.goals.close(first.id, "done", 5.0)
    assert not await store.goals.close(first.id, "dropped", 6.0)
    closed = await store.goals.get(first.id)
    assert closed is not None and (closed.status, closed.closed_at) == ("done", 5.0)
    assert len(await store.goals.active(GUILD, 7)) == 2
    assert len(await store.goals.for_member(GUILD, 7)) == 3
    assert await store.goals.add(GUILD, 7, "room again", 7.0, 3) is not None


async def test_ratings_replace_per_step_and_count_for_the_session(store: Store) -> None:
    session, run = await _session_and_run(store)
    goals = [await store.goals.add(GUILD, uid, "g", 0.0, 3) for uid in (7, 8, 9)]
    assert all(goals)
    g7, g8, g9 = (g.id for g in goals if g is not None)
    step = {"session_id": session.id, "run_id": run.id, "step_index": 0}
    assert not await store.goals.rate(goal_id=g7, value=2, now=1.0, **step)
    assert await store.goals.rate(goal_id=g7, value=4, now=2.0, **step)
    await store.goals.rate(goal_id=g8, value=None, now=2.0, **step)  # passed
    found = await store.goals.ratings_at_step(run.id, 0, 7)
    assert [(r.goal_id, r.value) for r in found] == [(g7, 4)]
    assert await store.goals.ratings_at_step(run.id, 0, 9) == []
    for uid in (7, 8, 9, 10):
        await store.sessions.join(session.id, uid, 0.0)
    # 7, 8, 9 have goals (10 has none); only 7 gave a value (8 passed).
    assert await store.goals.session_counts(session.id, GUILD) == (3, 1)
    assert [r.value for r in await store.goals.ratings_for([g7, g8, g9])] == [4, None]


async def test_export_and_forget_cover_goals_and_ratings(store: Store) -> None:
    session, run = await _session_and_run(store)
    mine = await store.goals.add(GUILD, 7, "share more", 0.0, 3)
    theirs = await store.goals.add(GUILD, 8, "walk daily", 0.0, 3)
    assert mine is not None and theirs is not None
    for goal in (mine, theirs):
        await store.goals.rate(
            goal_id=goal.id, session_id=session.id, run_id=run.id, step_index=0, value=3, now=1.0
        )
    data = await store.privacy.export(GUILD, 7)
    assert [g["text"] for g in data["goals"]] == ["share more"]
    assert [(r["goal_text"], r["value"], r["session_title"]) for r in data["goal_ratings"]] == [
        ("share more", 3, "t")
    ]
    report = await store.privacy.forget(GUILD, 7, 2.0)
    assert report.deleted["goals"] == 1 and report.deleted["goal_ratings"] == 1
    assert await store.goals.for_member(GUILD, 7) == []
    rows = await store.db.fetch_all("SELECT goal_id FROM goal_ratings")
    assert [r[0] for r in rows] == [theirs.id]
