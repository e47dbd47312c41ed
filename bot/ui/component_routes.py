"""Where each click and form goes: the handler every typed component family and form family was
registered with at start-up (`ChorusBot.register_family`, `ChorusBot.register_form`), the check
that none is left without one, and the one error path for what a handler raises."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import discord

from bot.core.errors import UserFacingError
from bot.i18n import N_
from bot.ui.components import FAMILIES, RetiredButton, RoutedItem, TypedComponent
from bot.ui.errors import is_expected
from bot.ui.form_ids import FORM_FAMILIES, FormId
from bot.ui.forms import Form, FormHandler, FormRoute
from bot.ui.replies import respond_to_error

Family = TypeVar("Family", bound=TypedComponent)
FamilyHandler = Callable[[discord.Interaction, Family], Awaitable[None]]
"""A family's handler: the click and the typed item (its fields parsed from the custom_id)."""

RETIRED = N_("This button belongs to a feature that is no longer here.")


class ComponentRoutes:
    """The handlers of every component family (`families`) and form family (`forms`)."""

    def __init__(self) -> None:
        self.families: dict[type[TypedComponent], FamilyHandler[Any]] = {}
        self.forms: dict[type[FormId], FormRoute] = {}

    def add_family(self, family: type[Family], handler: FamilyHandler[Family]) -> None:
        """Clicks on any component of `family` reach `handler` with the typed item."""
        self.families[family] = handler

    def add_form(self, family: type[Form], handler: FormHandler[Form], what: str) -> None:
        """Forms whose id parses as `family` reach `handler`; `what` (a catalogue text) names
        the text given back if it can't be saved."""
        self.forms[family] = FormRoute(handler, what)

    def unhandled(self) -> list[str]:
        """The class names of the component and form families (`FAMILIES`, `FORM_FAMILIES`)
        that no handler was added for, in definition order ([] when every one has one)."""
        missing = [f.__name__ for f in FAMILIES if f not in self.families]
        return missing + [f.__name__ for f in FORM_FAMILIES if f not in self.forms]

    async def route(self, interaction: discord.Interaction, item: RoutedItem) -> None:
        """Hand one click to its family's handler; the one error path (`respond_to_error`)
        answers whatever it raises, and an unexpected error is raised again (for discord.py's
        log). A retired button is answered with a polite private refusal, unless a live family
        matches its id too (discord.py dispatches every matching class: that family answers)."""
        try:
            if isinstance(item, RetiredButton):
                if any(
                    f.__discord_ui_compiled_template__.fullmatch(item.custom_id) for f in FAMILIES
                ):
                    return
                raise UserFacingError(RETIRED)
            if isinstance(item, TypedComponent):
                await self.families[type(item)](interaction, item)
        except Exception as error:
            await respond_to_error(interaction, error)
            if not is_expected(error):
                raise
