"""The shared answer box of Chorus's forms: required, bounded, with its hint in the member's
language, under a question shown whole however long it is."""

from __future__ import annotations

import discord

from bot.ui.forms import ChorusForm, answer_box
from bot.ui.steps.round import RoundFormId

TURN = RoundFormId(run_id=1, step_index=2, turn_no=1)


def test_the_answer_box_is_required_bounded_and_hinted_in_the_member_s_language() -> None:
    box = answer_box(500, "de")
    assert (box.custom_id, box.required, box.max_length) == ("answer", True, 500)
    assert box.style is discord.TextStyle.paragraph
    assert box.placeholder and box.placeholder != "A few words are plenty."


def test_a_short_question_labels_the_box_and_a_long_one_is_shown_above_it() -> None:
    short = ChorusForm("Your turn", TURN)
    short.add_answer("How was today?", "Your answer", 300, "en")
    assert short.custom_id == "chorus:form_round:1:2:1"
    [label] = short.children
    assert isinstance(label, discord.ui.Label) and label.text == "How was today?"
    long = ChorusForm("Your turn", TURN)
    question = "What did you notice in the music, in your body and in the room? " * 3
    long.add_answer(question, "Your answer", 300, "en")
    shown, boxed = long.children
    assert isinstance(shown, discord.ui.TextDisplay) and isinstance(boxed, discord.ui.Label)
    assert boxed.text == "Your answer" and " ".join(question.split()) in shown.content
