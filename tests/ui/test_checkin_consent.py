"""The consent button families keep the three id formats Chorus has always posted, and the
replies to a member who declined say nothing was saved."""

from __future__ import annotations

import bot.app  # noqa: F401  (loads every family)
from bot.ui import checkin_consent
from bot.ui.components import FAMILIES
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


def test_a_replace_id_or_answer_chorus_never_posts_matches_no_consent_family() -> None:
    # Typed fields: "rx" is no check-in id and "maybe" no answer, so discord.py never builds a
    # consent button from them (the retired-id fallback answers such a click politely).
    for never_posted in (
        "chorus:consent:yes:now:mood:rx:3",
        "chorus:consent:yes:now:sam:r:3",
        "chorus:consent:maybe:now:sam:new:3",
        "chorus:consent:maybe:cmd",
        "chorus:consent:maybe:2:0:7",
        "chorus:goal_consent:maybe:cmd",
    ):
        owners = [f for f in FAMILIES if f.__discord_ui_compiled_template__.fullmatch(never_posted)]
        assert owners == [], (never_posted, owners)
    changed = parsed("chorus:consent:no:now:sam:r41:3")
    assert isinstance(changed, checkin_consent.ConsentNowReplaceButton)
    assert (changed.agreed, changed.scale, changed.replace_id, changed.value) == (
        False,
        "sam",
        41,
        3,
    )
    pair = parsed("chorus:consent:yes:now:0-10:r7:3:8")
    assert isinstance(pair, checkin_consent.ConsentNowReplacePairButton) and pair.agreed
    assert (pair.replace_id, pair.value, pair.value2) == (7, 3, 8)
    new = parsed("chorus:consent:yes:now:sam:new:5:5")
    assert isinstance(new, checkin_consent.ConsentNowNewPairButton) and new.replace_id is None


def test_the_now_consent_view_builds_each_posted_format() -> None:
    assert ids(checkin_consent.consent_now_view("0-10", None, 5, None, "en")) == [
        "chorus:consent:yes:now:0-10:new:5",
        "chorus:consent:no:now:0-10:new:5",
    ]
    assert ids(checkin_consent.consent_now_view("sam", None, 5, 6, "en")) == [
        "chorus:consent:yes:now:sam:new:5:6",
        "chorus:consent:no:now:sam:new:5",
    ]
    assert ids(checkin_consent.consent_now_view("0-10", 12, 4, None, "en")) == [
        "chorus:consent:yes:now:0-10:r12:4",
        "chorus:consent:no:now:0-10:r12:4",
    ]


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
