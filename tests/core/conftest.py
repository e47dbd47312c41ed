"""Fixtures shared by the modules of tests/core (a module may define its own of the same
name, e.g. a `runner` on a moving clock: pytest's override)."""

from __future__ import annotations

import pytest

from bot.core.checkin_service import CheckinService
from bot.core.runner import Runner
from bot.core.steps import step_handlers
from bot.settings import CheckinSettings
from bot.store.store import Store
from tests.core.checkin_setup import clock


@pytest.fixture
def runner(store: Store) -> Runner:
    """A runner of every step kind on the shared store, its clock stopped (checkin_setup)."""
    return Runner(store, clock, step_handlers())


@pytest.fixture
def service(store: Store, runner: Runner) -> CheckinService:
    """The check-in service on `runner`, with the default check-in settings."""
    return CheckinService(store, clock, runner, CheckinSettings())
