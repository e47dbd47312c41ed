"""Fixtures for core services: a real store, on each engine."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.store.store import Store
from tests.engines import TestDatabase


@pytest.fixture
async def store(engine: TestDatabase) -> AsyncIterator[Store]:
    """An open store on a fresh database (a SQLite file, and a PostgreSQL schema)."""
    opened = Store(engine.url)
    await opened.open()
    yield opened
    await opened.close()
