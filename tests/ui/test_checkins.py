"""The check-in button families build exactly the ids Chorus has always posted, and parse them."""

from __future__ import annotations

from bot.core.checkins import scale_of
from bot.ui import checkins as ui
from bot.ui.steps.checkin import AnswerButton, AnswerPairButton, PassButton
from tests.ui.custom_ids import ids, parsed


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
