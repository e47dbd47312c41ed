"""The consent button families keep the three id formats Chorus has always posted, and the
replies to a member who declined say nothing was saved."""

from __future__ import annotations

import pytest

from bot.ui import checkin_consent
from tests.ui.custom_ids import ids, parsed


def test_the_three_consent_formats_keep_their_ids() -> None:
    assert ids(checkin_consent.consent_command_view("en")) == [
        "chorus:consent:yes:cmd",
        "chorus:consent:no:cmd",
    ]
    assert ids(checkin_consent.consent_now_view("sam", 8, 3, 7, "en")) == [
        "chorus:consent:yes:now:sam:r8:3:7",
        "chorus:consent:no:now:sam:r8:3",
    ]
    assert ids(checkin_consent.consent_step_view(2, 0, 7, None, "en")) == [
        "chorus:consent:yes:2:0:7",
        "chorus:consent:no:2:0:7",
    ]
    now = parsed("chorus:consent:yes:now:0-10:new:5")
    assert (
        isinstance(now, checkin_consent.ConsentNowButton) and now.agreed and now.replace_id is None
    )
    step = parsed("chorus:consent:no:2:0:7:4")
    assert isinstance(step, checkin_consent.ConsentStepPairButton) and not step.agreed
    assert (step.run_id, step.step_index, step.value, step.value2) == (2, 0, 7, 4)


def test_a_replace_id_chorus_never_posts_is_refused() -> None:
    button = parsed("chorus:consent:yes:now:sam:rx:3")
    assert isinstance(button, checkin_consent.ConsentNowButton)
    with pytest.raises(ValueError):
        _ = button.replace_id
    changed = parsed("chorus:consent:no:now:sam:r41:3")
    assert isinstance(changed, checkin_consent.ConsentNowButton) and changed.replace_id == 41


def test_a_declined_answer_says_nothing_was_saved_and_how_to_change_it() -> None:
    at_step = checkin_consent.declined_answer_text(True, "en")
    assert "Nothing was saved" in at_step and "counted as taking part" in at_step
    assert "/checkin consent" in at_step
    assert "counted" not in checkin_consent.declined_answer_text(False, "en")


def test_the_consent_text_names_the_current_choice_and_the_group_threshold() -> None:
    embed = checkin_consent.consent_embed("goal", current="declined", locale="en")
    assert embed.title == "Before your first goal"
    assert embed.description is not None and embed.description.startswith("Right now saving is")
    assert "3 or more people" in embed.description


def test_a_second_press_before_choosing_gets_the_brief_question_with_the_same_buttons() -> None:
    first, first_view = checkin_consent.consent_step_prompt(False, 4, 1, 7, None, "en")
    again, again_view = checkin_consent.consent_step_prompt(True, 4, 1, 7, None, "en")
    assert first.to_dict() == checkin_consent.consent_embed(locale="en").to_dict()
    assert again.to_dict() == checkin_consent.consent_again_embed(locale="en").to_dict()
    assert ids(first_view) == ids(again_view) and ids(first_view)
