"""The store's /forget on both engines (a real SQLite file, a real PostgreSQL schema): ids inside JSON (any step kind's state, any
payload) are taken out generically; lyric events stay without their author; facilitators are
anonymised, open sessions and active schedules included."""

from __future__ import annotations

import json

import pytest

from bot.records.schedule import NewSeries
from bot.records.sessions import NO_FACILITATOR, NewContribution, NewRun, NewSession
from bot.store.privacy import LeadsActiveSchedule
from bot.store.store import Store

GUILD = 10
ANA = 1456074443980800021
BEN = 1456074443980800022
LONGER = int(f"{ANA}7")  # a different number that merely contains ana's digits


async def test_forget_scrubs_step_state_and_keeps_lyric_lines_anonymously(store: Store) -> None:
    # A step kind that doesn't exist yet keeps ids its own way: the scrub needs no rule for it.
    future_state = {"pairs": [[ANA, BEN]], "votes": {str(ANA): "o1", str(BEN): "o0"}}
    session = await store.sessions.create(NewSession(guild_id=GUILD, channel_id=5, voice_channel_id=None, title="Circle", facilitator_id=ANA), 0.0)  # fmt: skip
    run = await store.runs.create(NewRun(session_id=session.id, activity_id="a", version_hash="h", definition="{}", step_deadline=None, step_state=json.dumps(future_state)), 0.0)  # fmt: skip
    for author, kind, payload in (
        (ANA, "line", {"pos": 0, "text": "the kettle sings"}),
        (ANA, "reflection", {"text": "mine", "shared": True}),
        (BEN, "line", {"pos": 1, "text": "the door", "mentions": [ANA]}),
        (BEN, "vote", {"choice": "o1", "longer": LONGER}),
    ):
        await store.contributions.add_with(NewContribution(run_id=run.id, step_index=0, author_id=author, kind=kind, payload=payload, replace=False), 0.0)  # fmt: skip

    report = await store.privacy.forget(GUILD, ANA, 1.0)

    assert report.anonymised["activity_runs.step_state"] == 1
    updated = await store.runs.get(run.id)
    assert updated is not None
    assert json.loads(updated.step_state) == {"pairs": [[BEN]], "votes": {str(BEN): "o0"}}
    rows = await store.db.fetch_all(
        "SELECT author_id, kind, payload FROM contributions ORDER BY id"
    )
    assert [(r[0], r[1], json.loads(r[2])) for r in rows] == [
        (None, "line", {"pos": 0, "text": "the kettle sings"}),
        (BEN, "line", {"pos": 1, "text": "the door", "mentions": []}),
        (BEN, "vote", {"choice": "o1", "longer": LONGER}),
    ]
    # The open session she facilitated carries on with nobody named.
    kept = await store.sessions.get(session.id)
    assert kept is not None and kept.status == "open"
    assert kept.facilitator_id == NO_FACILITATOR and not kept.has_facilitator


async def test_a_departed_facilitator_leaves_an_active_schedule_with_nobody_named(
    store: Store,
) -> None:
    """/forget refuses a facilitator with an active schedule (PrivacyService); the purge of
    someone who left the server can't ask, so the series carries on with nobody named."""
    series, _ = await store.schedule.create_series(NewSeries(guild_id=GUILD, channel_id=5, voice_channel_id=None, facilitator_id=ANA, title="Friday circle", plan=None, duration_minutes=60, repeat="weekly", timezone="UTC", anchor_local="2026-12-04T18:00", starts_at=100.0, ends_at=3700.0), 0.0)  # fmt: skip
    with pytest.raises(LeadsActiveSchedule):  # what /forget asks: refused inside the job
        await store.privacy.forget(GUILD, ANA, 1.0, unless_leading_schedule=True)
    await store.privacy.forget(GUILD, ANA, 1.0)
    kept = await store.schedule.series(series.id)
    assert kept is not None and kept.active and kept.facilitator_id == NO_FACILITATOR
    await store.privacy.forget(GUILD, ANA, 2.0, unless_leading_schedule=True)  # leads none now


async def test_the_scrub_stays_in_the_server(store: Store) -> None:
    """/forget is per server: ana's id in another server's step state is that server's."""
    runs = []
    for guild, channel in ((GUILD, 5), (GUILD + 1, 6)):
        session = await store.sessions.create(NewSession(guild_id=guild, channel_id=channel, voice_channel_id=None, title="Circle", facilitator_id=BEN), 0.0)  # fmt: skip
        await store.sessions.join(session.id, ANA, 0.0)
        run = await store.runs.create(NewRun(session_id=session.id, activity_id="a", version_hash="h", definition="{}", step_deadline=None, step_state=json.dumps({"order": [ANA, BEN]})), 0.0)  # fmt: skip
        runs.append(run)
    await store.privacy.forget(GUILD, ANA, 1.0)
    here, there = [await store.runs.get(run.id) for run in runs]
    assert here is not None and json.loads(here.step_state) == {"order": [BEN]}
    assert there is not None and json.loads(there.step_state) == {"order": [ANA, BEN]}
