"""Lists inside a translated sentence are joined the reader's way (Babel's CLDR list patterns),
not with an English word or a translated "and"/"or" glued between the parts."""

from __future__ import annotations

import dataclasses

from bot.cogs.access import facilitator_roles_text
from bot.core.checkin_figures import Answer
from bot.core.checkin_summary import member_summary
from bot.core.guild_settings import defaults
from bot.settings import Settings
from tests.core.test_checkin_figures import answer


def answers() -> list[Answer]:
    return [
        answer(1, "any", 1, 1, scale="sam"),
        answer(1, "any", 2, 2, scale="1-5"),
        answer(1, "any", 3, 3, scale="Calm"),
    ]


def test_the_other_scales_are_one_list_in_each_language() -> None:
    german = member_summary(answers(), "de").split("Außerdem ")[1]
    assert german.count(", ") == 1 and german.count(" und ") == 1, german
    spanish = member_summary(answers(), "es").split("Además, ")[1]
    assert spanish.count(", ") == 1 and spanish.endswith(" y 1 respuesta con palabras."), spanish
    english = member_summary(answers(), "en").split("Also ")[1]
    assert english.count(", ") == 2 and english.count(" and ") == 1, english


def test_facilitator_roles_are_joined_with_or_in_each_language() -> None:
    config = defaults(Settings())
    names = dataclasses.replace(config, facilitator_roles=("Lead", "Therapist", "Peer"))
    assert facilitator_roles_text(names, "de") == "**Lead**, **Therapist** oder **Peer**"
    assert facilitator_roles_text(names, "es") == "**Lead**, **Therapist** o **Peer**"
    assert facilitator_roles_text(names, "en") == "**Lead**, **Therapist**, or **Peer**"
    ids = dataclasses.replace(config, facilitator_role_ids=(1, 2))
    assert facilitator_roles_text(ids, "de") == "<@&1> oder <@&2>"
