"""Every form of the running bot gives a member's words back in their language: what each form
family names (`register_form(what=...)`) is a catalogue text, translated in every language.

The source scan (test_no_literal_texts.py) holds each form's title, labels, placeholders and
that `what` to marked texts; this test holds the running bot to it, so a form registered some
other way can't slip past."""

from __future__ import annotations

import simcord

from bot.i18n import SHIPPED, gettext
from bot.ui.form_ids import FORM_FAMILIES
from bot.ui.forms import give_back
from tests.conftest import chorus_of


async def test_every_form_family_is_registered_with_a_translated_what(env: simcord.Env) -> None:
    routes = chorus_of(env).form_handlers
    families = [f for f in FORM_FAMILIES if f.__module__.startswith("bot.")]
    assert set(routes) == set(families) and len(routes) >= 10
    for family, route in routes.items():
        for language in SHIPPED:
            if language == "en":
                continue
            worded = gettext(route.what, language)
            assert worded != route.what, f"{family.__name__}: {route.what!r} in {language}"
            head, _embed, _file = give_back("Nope.", route.what, ["my words"], language)
            assert worded[:1].upper() + worded[1:] in head
