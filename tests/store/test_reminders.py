"""The reminders store: server-wide opt-ins, reminders sent once, members' own time per series."""

from __future__ import annotations

from bot.store.store import Store
from tests.store.test_schedule import make


async def test_optins_and_reminders_once(store: Store) -> None:
    repo = store.reminders
    _, occurrence = await make(store.schedule)
    await repo.set_optin(1, 7, 15, 1.0)
    await repo.set_optin(1, 8, 60, 1.0)
    await repo.set_optin(1, 7, 30, 2.0)
    await repo.set_optin(2, 7, 15, 1.0)
    assert await repo.optins(1) == {7: 30, 8: 60}
    assert await repo.optin_minutes() == {1: {30, 60}, 2: {15}}
    assert await repo.remove_optin(1, 8) and not await repo.remove_optin(1, 8)

    await repo.record_reminded(occurrence.id, [7], "dm", 5.0)
    await repo.record_reminded(occurrence.id, [7, 8], "channel", 6.0)
    assert await repo.reminded(occurrence.id) == {7, 8}


async def test_a_members_own_time_per_series(store: Store) -> None:
    repo = store.reminders
    series, _ = await make(store.schedule)
    # A choice counts only while the member holds an offer (or an earlier choice).
    assert not await repo.choose_series_reminder(series.id, 5, 120, 10.0)
    assert await repo.series_choices(series.id) == {}
    for user in (5, 6, 7):
        await repo.record_series_offer(1, series.id, user, 10.5)
    assert await repo.choose_series_reminder(series.id, 5, 120, 11.0)
    assert await repo.choose_series_reminder(series.id, 6, None, 11.0)
    assert await repo.choose_series_reminder(series.id, 7, 0, 11.0)
    # The choice replaced the offer; a new choice replaces the old.
    assert await repo.choose_series_reminder(series.id, 5, 30, 12.0)
    offers = await store.db.fetch_all("SELECT user_id FROM series_reminder_offers")
    assert offers == []
    assert await repo.series_choices(series.id) == {5: 30, 6: None, 7: 0}
    assert await repo.series_minutes() == {series.id: {30: (12.0, 12.0), 0: (11.0, 11.0)}}
    assert await repo.series_chosen_at(series.id) == {5: 12.0, 6: 11.0, 7: 11.0}
    assert await repo.remove_series_reminder(series.id, 5)
    assert not await repo.remove_series_reminder(series.id, 5)
    assert await repo.series_choices(series.id) == {6: None, 7: 0}
    # An offer whose DM never arrived is withdrawn; a choice already made is not touched.
    await repo.record_series_offer(1, series.id, 8, 13.0)
    assert await repo.withdraw_series_offer(series.id, 8)
    assert not await repo.withdraw_series_offer(series.id, 8)
    assert not await repo.withdraw_series_offer(series.id, 7)
    assert await store.db.fetch_all("SELECT user_id FROM series_reminder_offers") == []
    assert await repo.series_choices(series.id) == {6: None, 7: 0}
    assert not await repo.choose_series_reminder(series.id, 8, 30, 14.0)


async def test_an_optin_keeps_the_member_s_language_until_replaced(store: Store) -> None:
    """/remind me on keeps the client locale for the DMs; on again replaces it; none: left out."""
    repo = store.reminders
    await repo.set_optin(1, 7, 15, 1.0, "es-ES")
    await repo.set_optin(1, 8, 15, 1.0)
    await repo.set_optin(2, 7, 15, 1.0, "de")
    assert await repo.reminder_languages(1) == {7: "es-ES"}
    await repo.set_optin(1, 7, 30, 2.0, "de")
    assert await repo.reminder_languages(1) == {7: "de"}
    assert await repo.remove_optin(1, 7)
    assert await repo.reminder_languages(1) == {}
    assert await repo.reminder_languages(2) == {7: "de"}


async def test_the_language_of_a_members_last_reminder_press_is_kept(store: Store) -> None:
    """A series choice keeps the client locale too; the latest press (opt-in or choice) wins,
    and a choice without one leaves the opt-in's."""
    repo = store.reminders
    series, _ = await make(store.schedule)  # in server 1
    await repo.set_optin(1, 7, 15, 1.0, "de")
    for user in (7, 8, 9):
        await repo.record_series_offer(1, series.id, user, 1.5)
    assert await repo.choose_series_reminder(series.id, 7, 120, 2.0, "es-ES")
    assert await repo.choose_series_reminder(series.id, 8, 30, 2.0, "de")
    assert await repo.choose_series_reminder(series.id, 9, 30, 2.0)
    assert await repo.reminder_languages(1) == {7: "es-ES", 8: "de"}
    await repo.set_optin(1, 7, 15, 3.0, "en-US")
    assert await repo.reminder_languages(1) == {7: "en-US", 8: "de"}
    assert await repo.remove_series_reminder(series.id, 8)
    assert await repo.reminder_languages(1) == {7: "en-US"}
