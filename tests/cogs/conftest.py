"""Fixtures the cog tests share: the trial step kind `pause` (tests/steps_trial) added to a bot,
and a bot that plays voice through the recording fake (the listening modules' `bot`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import simcord

from bot.app import create_bot
from bot.chorus_bot import ChorusBot
from bot.core.activities import Catalog
from bot.settings import Settings
from bot.voice.recording import RecordingVoice
from tests.conftest import make_bot
from tests.steps_trial import HERE, kind_added


@pytest.fixture
def pause_kind() -> Iterator[None]:
    with kind_added():
        yield


def pause_catalog(settings: Settings) -> Catalog:
    catalog = Catalog.load([HERE], settings.media_dir)
    assert not catalog.errors, catalog.errors
    return catalog


@pytest.fixture
def pause_bot(pause_kind: None, settings: Settings) -> ChorusBot:
    return make_bot(settings, pause_catalog(settings))


@pytest.fixture
async def pause_env(pause_bot: ChorusBot) -> AsyncIterator[simcord.Env]:
    environment = simcord.Env(pause_bot, check_errors=True)
    await environment.start()
    try:
        yield environment
    finally:
        await environment.shutdown()
        await pause_bot.store.close()


@pytest.fixture
def voice() -> RecordingVoice:
    """The voice player a `voice_bot` plays through: it records what was played where."""
    return RecordingVoice()


@pytest.fixture
def voice_bot(settings: Settings, catalog: Catalog, voice: RecordingVoice) -> ChorusBot:
    """A bot of the module's settings and catalogue that plays through `voice` (simcord's bot
    can't join voice): a listening module's `bot`."""
    return create_bot(settings, catalog=catalog, voice=voice)
