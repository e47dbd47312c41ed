"""The check-in button families build exactly the ids Chorus has always posted, and parse them."""

from __future__ import annotations

from typing import Any

import discord

from bot.core.checkins import scale_of
from bot.ui import checkin_care, checkin_consent
from bot.ui import checkins as ui
from bot.ui.components import FAMILIES, TypedComponent
from bot.ui.steps.checkin import AnswerButton, AnswerPairButton, PassButton


def ids(view: discord.ui.View | None) -> list[str]:
    assert view is not None
    return [str(getattr(item, "custom_id", "")) for item in view.children]


def parsed(custom_id: str) -> TypedComponent:
    """The one family whose template matches, built from the id as discord.py would."""
    owners = [f for f in FAMILIES if f.__discord_ui_compiled_template__.fullmatch(custom_id)]
    assert len(owners) == 1, (custom_id, owners)
    match = owners[0].__discord_ui_compiled_template__.fullmatch(custom_id)
    assert match is not None
    values: dict[str, Any] = {name: convert(match[name]) for name, convert in owners[0].fields}
    return owners[0](discord.ui.Button(custom_id=custom_id), **values)


def test_step_answers_keep_their_ids() -> None:
    scale = scale_of("1-5")
    buttons = ui.scale_buttons(scale, AnswerButton, {"run_id": 3, "step_index": 1}, locale="en")
    assert [b.custom_id for b in buttons] == [f"chorus:checkin:3:1:{v}" for v in range(1, 6)]
    assert PassButton.custom_id_for(run_id=3, step_index=1) == "chorus:checkin:3:1:pass"
    second = ui.sam_second_view(AnswerPairButton, {"run_id": 3, "step_index": 1, "value": 6}, "en")
    assert ids(second) == [f"chorus:checkin:3:1:6:{v}" for v in range(1, 10)]
    item = parsed("chorus:checkin:3:1:6:2")
    assert isinstance(item, AnswerPairButton) and (item.value, item.value2) == (6, 2)
    passed = parsed("chorus:checkin:3:1:pass")
    assert isinstance(passed, PassButton) and passed.value is None and passed.value2 is None


def test_checkin_now_keeps_its_ids() -> None:
    _, fresh = ui.now_prompt("0-10", None, "en")
    assert ids(fresh)[:2] == ["chorus:checkin_now:0-10:new:0", "chorus:checkin_now:0-10:new:1"]
    _, changed = ui.now_prompt("sam", 12, "en")
    assert ids(changed)[0] == "chorus:checkin_now:sam:r12:1"
    assert ids(ui.now_second_view("sam", None, 4, "en"))[0] == "chorus:checkin_now:sam:new:4:1"
    assert ids(ui.now_second_view("sam", 12, 4, "en"))[-1] == "chorus:checkin_now:sam:r12:4:9"
    item = parsed("chorus:checkin_now:sam:r12:4:9")
    assert isinstance(item, ui.NowAnswer)
    assert (item.scale, item.replace_id, item.value, item.value2) == ("sam", 12, 4, 9)
    assert ids(ui.answer_view(5, note=True, share=True, change="1-5", locale="en")) == [
        "chorus:checkin_note:5",
        "chorus:checkin_share:5",
        "chorus:checkin_now:1-5:change:5",
    ]
    change = parsed("chorus:checkin_now:1-5:change:5")
    assert isinstance(change, ui.NowChangeButton) and change.checkin_id == 5


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
    assert ids(checkin_care.care_view(9, locale="en")) == ["chorus:checkin_tell:9"]
