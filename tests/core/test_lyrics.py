"""The write step's rules without Discord: turns, checks, templates, hidden view, folding."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from bot.core.errors import Conflict, InvalidInput
from bot.core.lyric_lines import LineRefused, hidden_clue
from bot.core.lyric_turns import current_writer
from bot.core.lyrics import credits, fold, song_lines
from bot.core.rhymes import last_word, rhyme_kind, suggest
from bot.core.steps import StepContext
from bot.core.steps.write import WriteHandler, WriteStep
from bot.records.sessions import ContributionRecord, RunRecord

ANA, BEN, CAI, DEE = 1, 2, 3, 4


def write_step(**overrides: Any) -> WriteStep:
    data: dict[str, Any] = {
        "type": "write",
        "title": "Song",
        "theme": "home",
        "structure": [{"name": "verse", "lines": 2}, {"name": "chorus", "lines": 2}],
        "turn_seconds": 60,
    }
    data.update(overrides)
    return WriteStep.model_validate(data)


def run_record(state: Mapping[str, Any]) -> RunRecord:
    return RunRecord(
        id=1,
        session_id=1,
        activity_id="a",
        version_hash="h",
        definition="{}",
        step_index=0,
        step_started_at=0.0,
        step_deadline=None,
        paused_remaining=None,
        step_message_id=None,
        step_state=json.dumps(state),
        wake_at=None,
        state="running",
        started_at=0.0,
        ended_at=None,
    )


class Harness:
    """What the runner does with a handler, minus the database."""

    def __init__(self, step: WriteStep, present: list[int], language: str = "en") -> None:
        self.step = step
        self.language = language
        self.present = list(present)
        self.handler = WriteHandler()
        self.now = 1000.0
        self.contributions: list[ContributionRecord] = []
        wake = self.handler.enter(self.ctx({}))
        self.state: dict[str, Any] = dict(wake.state)
        self.wake_at = wake.at

    def ctx(self, state: Mapping[str, Any] | None = None) -> StepContext[WriteStep]:
        current = self.state if state is None else state
        return StepContext(
            run=run_record(current),
            step=self.step,
            present=self.present,
            now=self.now,
            state=current,
            language=self.language,
        )

    def contribute(self, author: int, kind: str, **payload: Any) -> ContributionRecord:
        clean = self.handler.accept(self.ctx(), kind, {"writer": author, **payload})
        record = ContributionRecord(
            id=len(self.contributions) + 1,
            run_id=1,
            step_index=0,
            author_id=None if self.step.anonymous and kind != "remove" else author,
            kind=kind,
            payload=json.loads(json.dumps(clean)),
            created_at=self.now,
            updated_at=self.now,
        )
        self.contributions.append(record)
        wake = self.handler.after_contribution(self.ctx(), record)
        self.state = json.loads(json.dumps(dict(wake.state)))
        self.wake_at = wake.at
        return record

    def time_out(self) -> None:
        assert self.wake_at is not None
        self.now = self.wake_at
        wake = self.handler.on_wake(self.ctx())
        self.state = json.loads(json.dumps(dict(wake.state)))
        self.wake_at = wake.at

    @property
    def writer(self) -> int | None:
        return current_writer(self.state, self.present)

    @property
    def texts(self) -> list[str]:
        return [line["text"] for _, line in sorted(song_lines(self.state).items())]

    def complete(self) -> bool:
        return self.handler.is_complete(self.ctx(), self.contributions)


# ------------------------------------------------------------------ turns


def test_round_robin_in_join_order_and_wraps() -> None:
    h = Harness(write_step(), [ANA, BEN, CAI])
    assert (h.writer, h.wake_at) == (ANA, 1060.0)
    h.contribute(ANA, "line", text="a house with a red door")
    assert h.writer == BEN
    h.contribute(BEN, "line", text="the kettle on the stove")
    h.contribute(CAI, "line", text="my sister on the stairs")
    assert h.writer == ANA
    h.contribute(ANA, "line", text="and someone calling my name")
    assert h.complete() and h.wake_at is None and h.writer is not None
    assert h.texts[0] == "a house with a red door"


def test_out_of_turn_is_refused_with_whose_turn() -> None:
    h = Harness(write_step(), [ANA, BEN])
    with pytest.raises(Conflict, match=f"<@{ANA}>'s turn"):
        h.contribute(BEN, "line", text="me first")


def test_anonymous_refusal_names_nobody() -> None:
    h = Harness(write_step(anonymous=True, turns="hidden"), [ANA, BEN])
    with pytest.raises(Conflict) as refused:
        h.contribute(BEN, "line", text="me first")
    assert "Someone else is writing" in refused.value.message
    assert str(ANA) not in refused.value.message.replace("Someone", "")
    assert "<@" not in refused.value.message


def test_joining_member_is_appended_and_leaver_skipped() -> None:
    h = Harness(write_step(structure=[{"name": "verse", "lines": 8}]), [ANA, BEN, CAI])
    h.contribute(ANA, "line", text="one")
    h.present.append(DEE)  # joins mid-song
    h.present.remove(CAI)  # leaves
    h.contribute(BEN, "line", text="two")
    assert h.writer == DEE  # cai skipped, dee appended
    h.contribute(DEE, "line", text="three")
    assert h.writer == ANA


def test_writer_who_leaves_during_their_turn_is_skipped_at_once() -> None:
    h = Harness(write_step(), [ANA, BEN, CAI])
    h.present.remove(ANA)
    assert h.writer == BEN
    h.contribute(BEN, "line", text="first line by ben")
    assert h.writer == CAI


def test_timeout_passes_the_turn_and_is_recorded() -> None:
    h = Harness(write_step(), [ANA, BEN])
    h.time_out()
    assert h.writer == BEN
    assert h.state["timeouts"] == [{"pos": 0, "turn_no": 1, "user": ANA, "at": 1060.0}]
    assert h.wake_at == 1120.0
    h.contribute(BEN, "line", text="ben writes line one")
    assert h.texts == ["ben writes line one"]


def test_pass_moves_on_without_using_a_line() -> None:
    h = Harness(write_step(), [ANA, BEN])
    h.contribute(ANA, "pass")
    assert h.writer == BEN and h.texts == []
    with pytest.raises(Conflict):
        h.contribute(ANA, "pass")


def test_pass_not_allowed() -> None:
    h = Harness(write_step(pass_allowed=False), [ANA])
    with pytest.raises(Conflict, match="Passing isn't part"):
        h.contribute(ANA, "pass")


def test_open_mode_anyone_writes_in_commit_order() -> None:
    h = Harness(write_step(turns="open"), [ANA, BEN])
    assert h.wake_at is None
    h.contribute(BEN, "line", text="ben first", expected_position=0)
    h.contribute(ANA, "line", text="ana too", expected_position=0)  # same instant: both kept
    assert h.texts == ["ben first", "ana too"]
    # A line meant for the finished verse is refused with the reason.
    with pytest.raises(Conflict, match="verse you wrote for is finished"):
        h.contribute(ANA, "line", text="late", expected_position=1)


def test_stale_form_in_round_robin_is_refused() -> None:
    h = Harness(write_step(), [ANA])
    h.contribute(ANA, "line", text="one")
    with pytest.raises(Conflict, match="changed since you opened"):
        h.contribute(ANA, "line", text="two", expected_position=0)


def test_full_song_refuses_more() -> None:
    h = Harness(write_step(structure=[{"name": "verse", "lines": 1}]), [ANA])
    h.contribute(ANA, "line", text="only line")
    with pytest.raises(Conflict, match="complete"):
        h.contribute(ANA, "line", text="more")


# ------------------------------------------------------------------ edit, withdraw, remove


def test_edit_and_withdraw_until_next_line() -> None:
    h = Harness(write_step(), [ANA, BEN])
    h.contribute(ANA, "line", text="frist line")
    h.contribute(ANA, "edit", text="first line")
    assert h.texts == ["first line"]
    h.contribute(ANA, "withdraw")
    assert h.texts == []
    h.contribute(BEN, "line", text="ben's line")
    with pytest.raises(Conflict, match="only your own line"):
        h.contribute(ANA, "edit", text="hijack")
    assert fold(h.contributions) == song_lines(h.state)


def test_a_contribution_still_applies_while_its_line_is_there_to_change() -> None:
    """Asked when the state was read again after another process changed the run (see
    `Contributing._follow`): a line needs its place still free; a pass, its turn still
    current; a change, its line still the last; a removal, its line still there."""
    h = Harness(write_step(), [ANA, BEN])
    pass_ = h.handler.accept(h.ctx(), "pass", {"writer": ANA})
    line = h.handler.accept(h.ctx(), "line", {"writer": ANA, "text": "one"})
    assert pass_ == {"pos": 0, "turn_no": 1} and line["turn_no"] == 1

    def record(kind: str, payload: dict[str, Any]) -> ContributionRecord:
        return ContributionRecord(99, 1, 0, ANA, kind, payload, h.now, h.now)

    h.time_out()  # elsewhere: Ana's turn ran out, Ben's (turn 2) began
    assert not h.handler.still_applies(h.ctx(), record("pass", pass_))
    assert h.handler.still_applies(h.ctx(), record("line", line))  # its place is still free
    written = h.contribute(BEN, "line", text="two")
    assert not h.handler.still_applies(h.ctx(), record("line", line))  # its place is taken
    edit = {"pos": 0, "line_id": written.id, "text": "too"}
    assert h.handler.still_applies(h.ctx(), record("edit", edit))
    assert h.handler.still_applies(h.ctx(), record("remove", {"pos": 0, "line_id": written.id}))
    assert not h.handler.still_applies(h.ctx(), record("remove", {"pos": 0, "line_id": 7}))
    assert not h.handler.still_applies(h.ctx(), record("withdraw", {"pos": 0, "line_id": 7}))


def test_facilitator_removal_reopens_the_slot() -> None:
    h = Harness(write_step(), [ANA, BEN])
    h.contribute(ANA, "line", text="one")
    h.contribute(BEN, "line", text="two")
    h.contribute(99, "remove", number=1)
    assert h.texts == ["two"]
    h.contribute(ANA, "line", text="new one")
    assert h.texts == ["new one", "two"]
    with pytest.raises(InvalidInput):
        h.contribute(99, "remove", number=4)
    assert fold(h.contributions) == song_lines(h.state)


def test_anonymous_lines_have_no_author_but_writer_can_still_edit() -> None:
    h = Harness(write_step(anonymous=True), [ANA, BEN])
    h.contribute(ANA, "line", text="hidden hand")
    assert all(line["author"] is None for line in song_lines(h.state).values())
    h.contribute(ANA, "edit", text="a hidden hand")
    assert h.texts == ["a hidden hand"]
    assert credits(song_lines(h.state), True, []).group


# ------------------------------------------------------------------ checks


def test_syllable_constraint_strict_refuses_with_count_and_hint() -> None:
    h = Harness(write_step(constraints={"syllables": {"min": 4, "max": 6}}), [ANA])
    with pytest.raises(InvalidInput, match="has 9 syllables; this song asks for 4–6"):
        h.contribute(ANA, "line", text="for some reason I'm feeling tired")
    h.contribute(ANA, "line", text="I'm feeling tired")


def test_one_syllable_reads_in_the_singular_in_each_language() -> None:
    h = Harness(write_step(constraints={"syllables": {"min": 4, "max": 6}}), [ANA])
    with pytest.raises(LineRefused) as refused:
        h.contribute(ANA, "line", text="home")
    assert str(refused.value).startswith("That line has 1 syllable; this song asks for 4–6.")
    assert refused.value.text("de").startswith("Diese Zeile hat 1 Silbe; dieser Song")
    assert refused.value.text("es").startswith("Ese verso tiene 1 sílaba; esta canción")


def test_syllable_constraint_lenient_flags() -> None:
    h = Harness(write_step(strict=False, constraints={"syllables": {"min": 4, "max": 6}}), [ANA])
    h.contribute(ANA, "line", text="for some reason I'm feeling tired")
    line = song_lines(h.state)[0]
    assert line["flags"] == ["syllables"] and line["syl"] == 9


def test_a_song_in_another_language_is_not_held_to_english_syllables_or_rhymes() -> None:
    # Counted by English rules "Ich singe heute Nacht von zu Hause" is 11 syllables and "Haus"
    # and "Nacht" don't rhyme: neither may refuse a German line (issue #24, item 4).
    constraints = {"syllables": {"min": 4, "max": 6}, "rhyme_with_previous": True}
    german = Harness(write_step(constraints=constraints), [ANA, BEN], language="de")
    german.contribute(ANA, "line", text="Wir gehen nach Haus")
    german.contribute(BEN, "line", text="Ich singe heute Nacht von zu Hause")
    assert german.texts == ["Wir gehen nach Haus", "Ich singe heute Nacht von zu Hause"]
    assert [line["syl"] for line in song_lines(german.state).values()] == [0, 0]
    english = Harness(write_step(constraints=constraints), [ANA])
    with pytest.raises(InvalidInput, match="syllables; this song asks for 4–6"):
        english.contribute(ANA, "line", text="Ich singe heute Nacht von zu Hause")


def test_rhyme_with_previous() -> None:
    h = Harness(write_step(constraints={"rhyme_with_previous": True}), [ANA, BEN])
    h.contribute(ANA, "line", text="I walked the long way home")
    with pytest.raises(InvalidInput, match=r"doesn.t rhyme with “home”(.|\n)*/rhyme home"):
        h.contribute(BEN, "line", text="under a sky of blue")
    h.contribute(BEN, "line", text="no longer need to roam")


def test_max_chars_strict_and_hard_bound() -> None:
    h = Harness(write_step(constraints={"max_chars": 20}), [ANA])
    with pytest.raises(InvalidInput, match="limit here is 20"):
        h.contribute(ANA, "line", text="x" * 30)
    lenient = Harness(write_step(strict=False, constraints={"max_chars": 20}), [ANA])
    lenient.contribute(ANA, "line", text="word " * 200)
    assert len(lenient.texts[0]) <= 500 and song_lines(lenient.state)[0]["flags"] == ["long"]


def test_rhyme_kinds() -> None:
    assert rhyme_kind("home", "roam") == "perfect"
    assert rhyme_kind("home", "home") == "identical"
    assert rhyme_kind("home", "hope") == "near"
    assert rhyme_kind("home", "tree") is None
    assert rhyme_kind("blorpington", "zorpington") == "perfect"  # by spelling
    assert last_word("I'm going home!") == "home"


def test_rhyme_suggestions() -> None:
    found = suggest("home", 24, "en")
    assert found.known and "roam" in found.perfect and "dome" in found.perfect
    assert "bone" in found.near and "roam" not in found.near
    assert not suggest("qwxzzy", 24, "en").known


# ------------------------------------------------------------------ templates and cleaning


def test_template_asks_only_for_the_blank() -> None:
    step = write_step(
        structure=None, template=["For some reason I'm feeling ___", "and for ___, even though ___"]
    )
    h = Harness(step, [ANA, BEN])
    h.contribute(ANA, "line", text="light as air")
    assert h.texts == ["For some reason I'm feeling light as air"]
    assert song_lines(h.state)[0]["fill"] == "light as air"
    with pytest.raises(InvalidInput, match="2 blanks"):
        h.contribute(BEN, "line", text="just one part")
    h.contribute(BEN, "line", fills=["my coffee", "it went cold"])
    assert h.texts[1] == "and for my coffee, even though it went cold"
    assert h.complete()


# ------------------------------------------------------------------ hidden mode


def test_hidden_mode_shows_only_last_word() -> None:
    h = Harness(write_step(turns="hidden", anonymous=True), [ANA, BEN])
    lines = song_lines(h.state)
    assert hidden_clue(lines, 0) is None
    h.contribute(ANA, "line", text="the river took my shoes, the river")
    assert hidden_clue(song_lines(h.state), 1) == "river"
    assert h.writer == BEN
    with pytest.raises(Conflict):
        h.contribute(ANA, "line", text="again")


def test_credits_respect_opt_out() -> None:
    h = Harness(write_step(), [ANA, BEN, CAI])
    for who, text in ((ANA, "a"), (BEN, "b"), (CAI, "c"), (ANA, "d")):
        h.contribute(who, "line", text=text)
    found = credits(song_lines(h.state), False, [BEN])
    assert found.named == (ANA, CAI) and found.group
    assert credits(song_lines(h.state), False, []).named == (ANA, BEN, CAI)
