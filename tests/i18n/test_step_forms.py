"""The activity builder's step forms (`/activity new`): each kind's line in the list, and its
inputs' labels and placeholders, are catalogue texts with a German and a Spanish translation
(they were once left unmarked, and a German facilitator saw English)."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from bot.core.activity_builder import step_forms
from bot.i18n import catalogue_path

NOT_WORDS = {"https://...", "3m30s"}
"""Placeholders that read the same in every language."""


def form_texts() -> list[str]:
    texts = []
    for form in step_forms().values():
        texts.append(form.about)
        for spec in form.fields:
            texts += [spec.label, *([spec.placeholder] if spec.placeholder else [])]
    return [t for t in texts if t not in NOT_WORDS]


@pytest.mark.parametrize("language", ["de", "es"])
def test_every_step_form_text_is_translated(language: str) -> None:
    with catalogue_path(language).open("rb") as po:
        translated = {m.id: m.string for m in read_po(po, locale=language) if m.id and m.string}
    missing = [t for t in form_texts() if t not in translated]
    assert not missing, missing
    assert len(form_texts()) > 20
