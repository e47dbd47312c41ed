"""ChorusBot builds every core service once and the cogs use the bot's own: one check-in service,
so one batch of step answers (there were two, the check-in cog's and the DM schedule's), and
no cog holds a service of its own making."""

from __future__ import annotations

from typing import Any

import pytest

from bot.chorus_bot import ChorusBot
from bot.core.activities import Catalog
from bot.core.checkin_batch import AnswerBatches
from bot.core.checkin_service import CheckinService
from bot.core.deadline_timer import DeadlineTimer
from bot.core.debounce import Debouncer
from bot.settings import Settings
from bot.store.store import Store
from tests.conftest import World, restart


def _counting(monkeypatch: pytest.MonkeyPatch, cls: type[Any]) -> list[object]:
    """Every instance of `cls` made from now on (its own __init__ still runs)."""
    made: list[object] = []
    original = cls.__init__

    def init(self: object, *args: Any, **kwargs: Any) -> None:
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(cls, "__init__", init)
    return made


async def test_one_checkin_service_and_one_answer_batch_for_every_cog(
    world: World, settings: Settings, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = _counting(monkeypatch, CheckinService)
    batches = _counting(monkeypatch, AnswerBatches)
    bot = await restart(world, settings, catalog)  # a new bot: built and its cogs loaded
    assert services == [bot.checkins]
    assert len(batches) == 1
    checkins: Any = bot.get_cog("CheckinsCog")
    schedule: Any = bot.get_cog("CheckinScheduleCog")
    assert checkins.service is bot.checkins and schedule.checkins is bot.checkins


def _is_service(value: object) -> bool:
    """A core object that reads or writes the store, or wakes at stored times (a timer); not a
    helper a cog may keep for itself (e.g. its own `Debouncer`)."""
    if not type(value).__module__.startswith("bot.core."):
        return False
    if isinstance(value, DeadlineTimer):
        return True
    return any(isinstance(v, Store) for v in vars(value).values())


def _core_objects(holder: object, path: str, depth: int) -> list[tuple[str, object]]:
    """The core services (`_is_service`) reachable from `holder`'s attributes (through objects
    of `bot.cogs` modules, such as a cog's button handlers, up to `depth` steps)."""
    found: list[tuple[str, object]] = []
    for name, value in vars(holder).items():
        module = type(value).__module__
        if _is_service(value):
            found.append((f"{path}.{name}", value))
        elif module.startswith("bot.cogs.") and depth > 0:
            found.extend(_core_objects(value, f"{path}.{name}", depth - 1))
    return found


def _built_by_the_bot(bot: ChorusBot) -> set[int]:
    """The ids of the bot's core services and of the services they hold (e.g. a timer)."""
    own = {id(v) for _path, v in _core_objects(bot, "bot", 0)}
    for _path, service in _core_objects(bot, "bot", 0):
        own.update(
            id(v) for v in vars(service).values() if hasattr(v, "__dict__") and _is_service(v)
        )
    return own


async def test_every_core_service_a_cog_holds_is_the_bots_own(world: World) -> None:
    bot = world.bot()
    own = _built_by_the_bot(bot)
    held = [
        (f"{name}{path}", value)
        for name, cog in bot.cogs.items()
        for path, value in _core_objects(cog, "", 2)
    ]
    assert len(held) >= 10  # the check-in, goal, calendar, tag, notice and reminder services
    assert [path for path, value in held if id(value) not in own] == []


async def test_the_live_messages_and_the_bot_share_a_name_only_for_one_thing(world: World) -> None:
    """One name per idea: an attribute the live messages (`bot.live`) and the bot both have is
    the same object or a method (`close`). `bot.boards` is the BoardService (the boards' facts
    and message ids); the live side's pending board edits are `board_refreshes`."""
    bot = world.bot()
    live = bot.live
    shared = {
        name
        for name in {*vars(live), *dir(type(live))} & {*vars(bot), *dir(type(bot))}
        if not name.startswith("__") and not callable(getattr(type(live), name, None))
    }
    assert {name for name in shared if getattr(live, name) is not getattr(bot, name)} == set()
    assert isinstance(live.board_refreshes, Debouncer) and not hasattr(live, "boards")
