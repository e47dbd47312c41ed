"""Where each click and form goes (bot/ui/component_routes.py): a handler per family, the check
that none is left without one, and the polite answer to a retired button, on the real bot."""

from __future__ import annotations

from bot.ui.component_routes import RETIRED, ComponentRoutes
from bot.ui.components import FAMILIES
from bot.ui.form_ids import FORM_FAMILIES
from tests.cogs.test_posted_ids import Click, answer_text, post
from tests.conftest import World
from tests.responses import reply_to


async def _nothing(*args: object) -> None:
    return None


def test_every_family_without_a_handler_is_named_in_definition_order(world: World) -> None:
    assert FAMILIES and FORM_FAMILIES  # the bot's ui modules are loaded
    routes = ComponentRoutes()
    everything = [f.__name__ for f in FAMILIES] + [f.__name__ for f in FORM_FAMILIES]
    assert routes.unhandled() == everything
    routes.add_family(FAMILIES[0], _nothing)
    routes.add_form(FORM_FAMILIES[0], _nothing, what="your note")
    assert routes.unhandled() == everything[1 : len(FAMILIES)] + everything[len(FAMILIES) + 1 :]
    assert routes.forms[FORM_FAMILIES[0]].what == "your note"
    assert routes.families[FAMILIES[0]] is _nothing


async def test_the_bot_has_a_handler_for_every_family(world: World) -> None:
    bot = world.bot()
    assert bot.routes.unhandled() == []
    assert set(bot.routes.families) == set(FAMILIES)
    assert bot.form_handlers is bot.routes.forms and set(bot.form_handlers) == set(FORM_FAMILIES)


async def test_a_retired_button_is_answered_privately(world: World) -> None:
    member = world.members[0]
    message = await post(world, Click("chorus:gone:1:2", member, RETIRED))
    result = await member.click(message, custom_id="chorus:gone:1:2")
    assert result.acknowledged
    assert result.response is not None and reply_to(result).ephemeral
    assert RETIRED in answer_text(result)
