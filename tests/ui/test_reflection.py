"""The private thanks for a reflection: one whole sentence per case in every language."""

from __future__ import annotations

from itertools import product

from bot.ui.reflection import saved_text

CASES = [(a, s, r) for a, s, r in product((False, True), repeat=3)]
"""(anonymous, shared, replaced): every case a member can meet."""


def test_each_case_is_its_own_german_sentence_whose_verbs_agree_with_gedanken() -> None:
    said = {case: saved_text(*case, "de") for case in CASES}
    assert len(set(said.values())) == len(CASES)  # no two cases share a text
    for (anonymous, shared, replaced), text in said.items():
        # "deine Gedanken" is plural: the verb after it is too (no glued singular "Sie wird").
        assert text.startswith("💭 Danke, deine Gedanken sind "), text
        assert "Sie wird" not in text and "Sie bleibt" not in text and "Sie wurde" not in text
        assert ("Sie werden" in text) == shared and ("Sie bleiben privat." in text) != shared
        assert ("anonym" in text) == anonymous and ("aktualisiert" in text) == replaced
        assert ("ohne deinen Namen" in text) == (anonymous and shared), text


def test_each_case_is_its_own_spanish_sentence() -> None:
    said = {case: saved_text(*case, "es") for case in CASES}
    assert len(set(said.values())) == len(CASES)
    for (anonymous, shared, replaced), text in said.items():
        assert text.startswith("💭 Gracias, tu reflexión está "), text
        assert ("Se compartirá con el grupo" in text) == shared
        assert ("de forma anónima" in text) == anonymous and ("actualizada" in text) == replaced
        assert ("sin tu nombre" in text) == (anonymous and shared), text
