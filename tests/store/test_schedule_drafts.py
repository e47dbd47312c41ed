"""Previews waiting for Confirm, in the store (both engines): held with an id and a key, taken
once and only by their facilitator with both, put back under the same id, and gone a day after
they were made."""

from __future__ import annotations

from bot.records.schedule import NewDraft
from bot.store.store import Store

DAY = 24 * 3600.0


KEY = 123456789


async def hold(store: Store, facilitator_id: int, now: float) -> int:
    return await store.schedule_drafts.hold(
        NewDraft(
            key=KEY,
            guild_id=1,
            facilitator_id=facilitator_id,
            channel_id=10,
            voice_channel_id=None,
            payload='{"title": "Friday circle"}',
        ),
        now,
        kept_for=DAY,
    )


async def test_taken_once_and_only_by_its_facilitator(store: Store) -> None:
    draft_id = await hold(store, 5, now=100.0)
    other = await store.schedule_drafts.take(draft_id, KEY, 6)
    assert other is not None and other.facilitator_id == 5  # someone else: told, left as it is
    taken = await store.schedule_drafts.take(draft_id, KEY, 5)
    assert taken is not None
    assert (taken.guild_id, taken.channel_id, taken.payload) == (1, 10, other.payload)
    assert await store.schedule_drafts.take(draft_id, KEY, 5) is None  # a second press: nothing


async def test_the_key_must_match(store: Store) -> None:
    draft_id = await hold(store, 5, now=100.0)
    assert await store.schedule_drafts.take(draft_id, KEY + 1, 5) is None
    assert await store.schedule_drafts.take(draft_id, KEY, 5) is not None


async def test_put_back_under_its_id(store: Store) -> None:
    draft_id = await hold(store, 5, now=100.0)
    taken = await store.schedule_drafts.take(draft_id, KEY, 5)
    assert taken is not None
    await store.schedule_drafts.put_back(taken)
    assert await store.schedule_drafts.take(draft_id, KEY, 5) == taken


async def test_a_new_draft_clears_those_over_a_day_old(store: Store) -> None:
    old = await hold(store, 5, now=100.0)
    recent = await hold(store, 7, now=100.0 + DAY - 10)
    await hold(store, 8, now=100.0 + DAY + 1)
    assert await store.schedule_drafts.take(old, KEY, 5) is None
    assert await store.schedule_drafts.take(recent, KEY, 7) is not None
