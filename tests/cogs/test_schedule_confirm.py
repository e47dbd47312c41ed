"""The preview of /session schedule create waits for Confirm as long as it takes: after 16
minutes and after a restart, Confirm still schedules exactly what was asked; a second press and
a press by someone else are refused privately; Cancel works the same way.

The buttons carry only the held draft's id (`bot/core/schedule_drafts.py`); a second press, or a
press by another member, is made on a message the bot posts with the same id, as a stale copy
of the preview (or a hand-made id) would reach the bot."""

from __future__ import annotations

from datetime import UTC, datetime

import discord

from bot.core.activities import Catalog
from bot.settings import Settings
from tests.cogs.test_posted_ids import Click, answer_text, post
from tests.cogs.test_schedule import events, set_zone
from tests.conftest import World, restart
from tests.responses import buttons_of, reply_to

SIXTEEN_MINUTES = 16 * 60
NOT_WAITING = "This preview isn't waiting any more"
NOT_YOURS = "Only the facilitator who asked for this session can confirm or cancel it."


async def preview(world: World, when: str = "friday 18:00", **options: object) -> discord.Message:
    """The facilitator's private preview of a Friday circle (nothing scheduled yet)."""
    await set_zone(world)
    shown = await world.facilitator.slash(
        world.channel, "session schedule create", title="Friday circle", when=when, **options
    )
    assert shown.ephemeral and reply_to(shown).embeds, reply_to(shown).content
    assert not events(world)
    message = reply_to(shown).message
    assert message is not None
    return message


def ids_of(message: discord.Message) -> dict[str, str]:
    """The message's buttons' custom ids by label."""
    return {str(c.label): str(c.custom_id) for c in buttons_of(message)}


async def stored_series(world: World) -> list[tuple[object, ...]]:
    rows = await world.bot().store.db.fetch_all(
        "SELECT title, facilitator_id, duration_minutes FROM schedule_series", ()
    )
    return [tuple(r) for r in rows]


async def drafts_held(world: World) -> int:
    return len(await world.bot().store.db.fetch_all("SELECT id FROM schedule_drafts", ()))


def confirmed_footer(result: object) -> str:
    response = getattr(result, "response", None)
    assert response is not None and response.embeds, answer_text(result)
    return response.embeds[0].footer.text or ""


async def test_confirm_after_sixteen_minutes_schedules_what_was_asked(world: World) -> None:
    shown = await preview(world, duration=45)
    assert ids_of(shown)["Confirm"].startswith("chorus:schedule:confirm:")
    await world.env.advance_time(SIXTEEN_MINUTES)
    confirmed = await world.facilitator.click(shown, label="Confirm")
    assert "Scheduled as #" in confirmed_footer(confirmed)
    [event] = events(world)
    assert event.name == "Friday circle"
    # 2026-01-02 is the first Friday; 18:00 Berlin is 17:00 UTC in winter.
    start = datetime(2026, 1, 2, 17, 0, tzinfo=UTC).timestamp()
    assert event.scheduled_start_time == datetime.fromtimestamp(start, UTC).isoformat()
    assert await stored_series(world) == [("Friday circle", world.facilitator.id, 45)]
    assert await drafts_held(world) == 0


async def test_confirm_after_a_restart_schedules_it(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    shown = await preview(world, duration=30)
    await restart(world, settings, catalog)
    confirmed = await world.facilitator.click(shown, label="Confirm")
    assert confirmed.response is not None and reply_to(confirmed).ephemeral
    assert "Scheduled as #" in confirmed_footer(confirmed)
    assert [e.name for e in events(world)] == ["Friday circle"]
    assert await stored_series(world) == [("Friday circle", world.facilitator.id, 30)]


async def test_cancel_after_a_restart_schedules_nothing(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    shown = await preview(world)
    await restart(world, settings, catalog)
    cancelled = await world.facilitator.click(shown, label="Cancel")
    assert "Cancelled: nothing was scheduled." in answer_text(cancelled)
    assert not events(world)
    assert await stored_series(world) == []
    assert await drafts_held(world) == 0


async def test_a_second_press_is_refused_politely(world: World) -> None:
    shown = await preview(world)
    confirm = ids_of(shown)["Confirm"]
    await world.facilitator.click(shown, label="Confirm")
    fran = world.facilitator
    for custom_id in (confirm, confirm.replace(":confirm:", ":cancel:")):
        again = await post(world, Click(custom_id, fran, NOT_WAITING))
        result = await fran.click(again, custom_id=custom_id)
        assert result.response is not None and reply_to(result).ephemeral
        assert NOT_WAITING in answer_text(result), answer_text(result)
    assert len(events(world)) == 1 and len(await stored_series(world)) == 1


async def test_someone_else_cannot_confirm_or_cancel_and_the_preview_still_works(
    world: World,
) -> None:
    shown = await preview(world)
    ana = world.members[0]
    for label in ("Confirm", "Cancel"):
        custom_id = ids_of(shown)[label]
        copy = await post(world, Click(custom_id, ana, NOT_YOURS))
        refused = await ana.click(copy, custom_id=custom_id)
        assert refused.response is not None and reply_to(refused).ephemeral
        assert NOT_YOURS in answer_text(refused), answer_text(refused)
    assert not events(world)
    confirmed = await world.facilitator.click(shown, label="Confirm")
    assert "Scheduled as #" in confirmed_footer(confirmed)


async def test_a_confirm_refused_for_a_time_gone_by_can_be_pressed_again(world: World) -> None:
    shown = await preview(world, when="in 2 hours")
    # The preview waited past the session's start: Confirm says so and nothing is scheduled.
    await world.env.advance_time(3 * 3600)
    late = await world.facilitator.click(shown, label="Confirm")
    assert late.response is not None and reply_to(late).ephemeral
    assert "Scheduled as #" not in answer_text(late)
    assert NOT_WAITING not in answer_text(late), answer_text(late)
    assert not events(world) and await stored_series(world) == []
    assert await drafts_held(world) == 1  # held again, not lost
    # Past a day the draft isn't waiting any more.
    for _ in range(5):
        await world.env.advance_time(5 * 3600)
    stale = await world.facilitator.click(shown, label="Confirm")
    assert NOT_WAITING in answer_text(stale), answer_text(stale)
    assert await drafts_held(world) == 0
