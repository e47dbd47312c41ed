"""Texts in an activity file: plain, per locale, or a pool (bot/core/field_texts.py)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from bot.core.field_texts import (
    POOL_MIN,
    TITLE_MAX,
    Text,
    TextPool,
    Title,
    localize,
    text_json_schema,
)


@pytest.mark.parametrize(
    ("locale", "shown"),
    [("de-AT", "Hallo"), ("de", "Hallo"), ("pt-BR", "Olá"), ("pt", "Olá"), ("fr", "Hello")],
)
def test_localize_tries_the_locale_its_language_then_english(locale: str, shown: str) -> None:
    text = {"en-GB": "Hello", "de": "Hallo", "pt-BR": "Olá"}
    assert localize(text, locale) == shown


def test_localize_of_nothing_of_a_string_and_of_an_undrawn_pool() -> None:
    assert localize(None, "en") == ""
    assert localize("Plain", "de") == "Plain"
    assert localize(TextPool(pool=({"de": "Eins", "en": "One"}, "Two")), "de") == "Eins"
    assert localize({"es": "Hola"}, "ja") == "Hola"  # nothing closer: any text beats none


def test_a_title_is_bounded_and_not_empty() -> None:
    title = TypeAdapter(Title)
    assert title.validate_python("x" * TITLE_MAX) == "x" * TITLE_MAX
    with pytest.raises(ValidationError, match=f"at most {TITLE_MAX} characters; got 101"):
        title.validate_python("x" * (TITLE_MAX + 1))
    with pytest.raises(ValidationError, match="must not be empty"):
        title.validate_python("   ")
    with pytest.raises(ValidationError, match=r"the 'de' text must not be empty"):
        title.validate_python({"en": "Hi", "de": ""})


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (42, r"expected text: .*got 42 \(put it in quotes\)"),
        ({"english": "Hi"}, '"english" is not a locale code'),
        ({}, "expected at least one locale"),
        ({"en": ["Hi"]}, "expected text for locale 'en'; got a list"),
    ],
)
def test_text_that_is_not_text_is_named(written: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        TypeAdapter(Title).validate_python(written)


def test_a_step_text_may_be_a_pool_and_each_alternative_is_checked() -> None:
    text = TypeAdapter(Text)
    pool = text.validate_python({"pool": ["One", {"en": "Two", "de": "Zwei"}]})
    assert pool == TextPool(pool=("One", {"en": "Two", "de": "Zwei"}))
    assert text.dump_python(pool) == {"pool": ["One", {"en": "Two", "de": "Zwei"}]}
    with pytest.raises(ValidationError, match=f"between {POOL_MIN} and 50 alternatives; got 1"):
        text.validate_python({"pool": ["Only"]})
    with pytest.raises(ValidationError, match="pool alternative 2: must not be empty"):
        text.validate_python({"pool": ["One", ""]})
    with pytest.raises(ValidationError, match="got the keys pool, size"):
        text.validate_python({"pool": ["a", "b"], "size": 2})


def test_the_schema_offers_a_pool_only_where_a_pool_is_allowed() -> None:
    plain = text_json_schema(TITLE_MAX)
    pooled = text_json_schema(TITLE_MAX, pooled=True)
    assert len(plain["anyOf"]) == 2 and plain["anyOf"][0]["maxLength"] == TITLE_MAX
    assert pooled["anyOf"][:2] == plain["anyOf"]
    assert pooled["anyOf"][2]["properties"]["pool"]["minItems"] == POOL_MIN


def test_localize_falls_back_to_language_then_english_then_any() -> None:
    text = {"en": "Hello", "de": "Hallo", "pt-BR": "Olá"}
    assert localize(text, "en") == "Hello"
    assert localize(text, "de") == "Hallo"
    assert localize(text, "de-AT") == "Hallo"
    assert localize(text, "pt") == "Olá"
    assert localize(text, "PT-br") == "Olá"
    assert localize(text, "fr") == "Hello"
    assert localize({"en-GB": "Colour"}, "fr") == "Colour"
    assert localize({"de": "Nur Deutsch"}, "fr") == "Nur Deutsch"
    assert localize("plain", "de") == "plain"
    assert localize(None, "en") == ""
