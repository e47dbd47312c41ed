"""Who wrote an anonymous reviewed answer, in the store (both engines): linked in the answer's
own commit, taken once, and purged once its step no longer runs."""

from __future__ import annotations

from bot.records.sessions import NewContribution, NewRun, NewSession
from bot.store.store import Store


async def test_linked_with_the_answer_taken_once_and_purged_after_the_step(store: Store) -> None:
    session = await store.sessions.create(
        NewSession(
            guild_id=1, channel_id=10, voice_channel_id=None, title="circle", facilitator_id=5
        ),
        1.0,
    )
    run = await store.runs.create(
        NewRun(
            session_id=session.id,
            activity_id="a",
            version_hash="h",
            definition="{}",
            step_deadline=None,
            step_state="{}",
        ),
        1.0,
    )
    answers = []
    for user in (7, 8):
        added = await store.contributions.add_with(
            NewContribution(
                run_id=run.id,
                step_index=0,
                author_id=None,
                kind="reflection",
                payload={"text": f"words {user}", "shared": True},
                replace=False,
            ),
            2.0,
            mirror=store.review_authors.link(1, user, 2.0),
        )
        answers.append(added.record.id)
    named = await store.contributions.add_with(
        NewContribution(
            run_id=run.id,
            step_index=0,
            author_id=9,
            kind="reflection",
            payload={"text": "mine", "shared": True},
            replace=False,
        ),
        2.0,
        mirror=store.review_authors.link(1, 9, 2.0),
    )
    assert await store.review_authors.take(named.record.id) is None  # named: no link kept
    assert await store.review_authors.take(answers[0]) == 7
    assert await store.review_authors.take(answers[0]) is None  # told once
    assert await store.review_authors.purge_ended() == 0  # the step still runs
    await store.runs.update(run.id, 0, step_index=1)
    assert await store.review_authors.purge_ended() == 1
    assert await store.review_authors.take(answers[1]) is None
