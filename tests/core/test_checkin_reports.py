"""Check-in figures read back from a real store (a SQLite file): which session a report is
about, a member's own history, and the K_MIN rule on the report's group figures."""

from __future__ import annotations

import pytest

from bot.core.checkin_reports import CheckinReports
from bot.core.checkin_service import CheckinService
from bot.core.checkins import K_MIN
from bot.core.errors import NotFound
from bot.core.runner import Runner
from bot.store.store import Store
from tests.core.checkin_setup import GUILD, start_run


async def test_the_report_is_about_the_session_asked_for_the_open_one_or_the_latest(
    store: Store, runner: Runner, service: CheckinService
) -> None:
    with pytest.raises(NotFound):
        await service.reports.session_to_report(GUILD, 2, None)  # no session in this server yet
    run_id = await start_run(store, runner)
    run = await store.runs.get(run_id)
    assert run is not None
    assert (
        await service.reports.session_to_report(GUILD, 2, None)
    ).id == run.session_id  # open here
    assert (await service.reports.session_to_report(GUILD, 99, None)).id == run.session_id  # latest
    assert (await service.reports.session_to_report(GUILD, 99, run.session_id)).id == run.session_id
    with pytest.raises(NotFound):
        await service.reports.session_to_report(GUILD + 1, 2, run.session_id)  # another server's


async def answered_by(service: CheckinService, run_id: int, members: int) -> None:
    for member in range(1, members + 1):
        await service.set_consent(GUILD, member, agreed=True, name=f"m{member}")
        await service.answer_step(run_id, 0, member, 3 + member)


@pytest.mark.parametrize("members", [K_MIN - 1, K_MIN])
async def test_the_reports_group_figures_need_k_min_people(
    store: Store, runner: Runner, service: CheckinService, members: int
) -> None:
    run_id = await start_run(store, runner)
    await answered_by(service, run_id, members)
    session = await service.reports.session_to_report(GUILD, 2, None)
    report = await service.reports.report(session, "en")
    assert report.attendance == 4
    assert [(s.kind, s.answered) for s in report.steps] == [("checkin", members)]
    # Fewer than K_MIN answers: no group figure at all, never a figure of one or two people.
    assert report.before == ([] if members < K_MIN else [4.0, 5.0, 6.0][:members])
    assert report.after == []


async def test_a_members_history_is_their_own_answers_in_this_server(
    store: Store, runner: Runner, service: CheckinService
) -> None:
    run_id = await start_run(store, runner)
    await answered_by(service, run_id, 2)
    reports: CheckinReports = service.reports
    answers, pairs = await reports.history(GUILD, 2, days=7)
    assert [a.value for a in answers] == [5]
    assert pairs == []  # one before answer and no after: no pair
    assert (await reports.history(GUILD + 1, 2, days=7)) == ([], [])
    assert (await reports.history(GUILD, 3, days=7)) == ([], [])
