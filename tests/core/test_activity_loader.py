"""Every kind of mistake in an activity file gets one exact, located, human message."""

import textwrap
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

import bot.core.steps as core_steps
from bot.core.activities import Activity, ActivityError, validate_paths
from bot.core.steps import step_type_names
from bot.i18n import Wording
from tests.activity_files import load_file

HEADER = """\
id: demo
title: Demo
summary: A demo.
version: 1
duration_minutes: 10
steps:
"""


def errors_for(tmp_path: Path, body: str, *, header: str = HEADER) -> list[str]:
    path = tmp_path / "demo.yaml"
    path.write_text(header + textwrap.dedent(body), encoding="utf-8")
    result = load_file(path, tmp_path / "media")
    assert isinstance(result, list), "expected errors, got an activity"
    prefix = f"{tmp_path}/"
    return [str(error).removeprefix(prefix) for error in result]


def test_error_string_format() -> None:
    error = ActivityError(
        "activities/a.yaml", 14, 7, "steps[2].turns", Wording("expected a list; got {got}", got=3)
    )
    assert str(error) == "activities/a.yaml:14:7: steps[2].turns: expected a list; got 3"
    assert error.text("de") == "activities/a.yaml:14:7: steps[2].turns: " + Wording(
        "expected a list; got {got}", got=3
    ).text("de")
    empty = ActivityError("a.yaml", 1, 1, "", Wording("missing required field"))
    assert str(empty) == "a.yaml:1:1: missing required field"


def test_enum_error_names_choices_and_suggests(tmp_path: Path) -> None:
    body = """\
      - type: write
        title: Song
        theme: Home
        structure: [{name: verse, lines: 4}]
        turns: roundrobin
    """
    assert errors_for(tmp_path, body) == [
        "demo.yaml:11:10: steps[0].turns: expected one of round_robin, open, hidden; "
        "got \"roundrobin\" (did you mean 'round_robin'?)"
    ]


def test_unknown_field_suggests_the_real_one(tmp_path: Path) -> None:
    body = """\
      - type: prompt
        titel: Hello
        text: Hi
    """
    assert errors_for(tmp_path, body) == [
        "demo.yaml:7:3: steps[0].title: missing required field",
        "demo.yaml:8:3: steps[0].titel: unknown field 'titel' (did you mean 'title'?)",
    ]


def test_unknown_field_without_a_close_match_lists_the_fields(tmp_path: Path) -> None:
    header = HEADER.replace("version: 1\n", "version: 1\ncolour: blue\n")
    errors = errors_for(tmp_path, "  - {type: prompt, title: Hi, text: Hi}\n", header=header)
    assert len(errors) == 1
    assert errors[0].startswith(
        "demo.yaml:5:1: colour: unknown field 'colour'; expected one of id, title,"
    )


def test_unknown_step_type(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, "  - {type: chekin, title: Hi}\n")
    kinds = ", ".join(step_type_names())  # every kind of the registry, in documentation order
    assert errors == [
        f'demo.yaml:7:10: steps[0].type: expected one of {kinds}; got "chekin" '
        "(did you mean 'checkin'?)"
    ]


def test_missing_step_type(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, "  - {title: Hi}\n")
    kinds = ", ".join(step_type_names())
    assert errors == [
        f"demo.yaml:7:3: steps[0].type: missing required field; expected one of {kinds}"
    ]


def test_missing_top_level_field(tmp_path: Path) -> None:
    header = HEADER.replace("summary: A demo.\n", "")
    errors = errors_for(tmp_path, "  - {type: prompt, title: Hi, text: Hi}\n", header=header)
    assert errors == ["demo.yaml:1:1: summary: missing required field"]


def test_wrong_types(tmp_path: Path) -> None:
    body = """\
      - type: checkin
        title: [not, text]
        question: 42
        scale: 0-10
        anonymous: maybe
      - type: breathe
        title: Breath
        bpm: fast
    """
    assert errors_for(tmp_path, body) == [
        "demo.yaml:8:10: steps[0].title: expected text: a string, or a map of locale to string "
        "like {en: ..., de: ...}; got a list",
        "demo.yaml:9:13: steps[0].question: expected text: a string, or a map of locale to string "
        "like {en: ..., de: ...}; got 42 (put it in quotes)",
        'demo.yaml:11:14: steps[0].anonymous: expected true or false; got "maybe"',
        'demo.yaml:14:8: steps[1].bpm: expected a whole number; got "fast"',
    ]


def test_out_of_range_values(tmp_path: Path) -> None:
    header = HEADER.replace("duration_minutes: 10", "duration_minutes: 0")
    body = """\
      - type: breathe
        title: Breath
        inhale: 4
        exhale: 6
        cycles: 100
        time_limit: 5s
    """
    assert errors_for(tmp_path, body, header=header) == [
        "demo.yaml:5:19: duration_minutes: must be at least 1; got 0",
        "demo.yaml:11:11: steps[0].cycles: must be at most 60; got 100",
        "demo.yaml:12:15: steps[0].time_limit: expected a duration between 10s and 3h; got 5s",
    ]


def test_bad_duration(tmp_path: Path) -> None:
    errors = errors_for(
        tmp_path, "  - {type: prompt, title: Hi, text: Hi, time_limit: 5 minutes}\n"
    )
    assert errors == [
        'demo.yaml:7:51: steps[0].time_limit: expected a duration such as 90, "90s", "5m" or '
        '"1m30s"; got "5 minutes"'
    ]


def test_empty_steps(tmp_path: Path) -> None:
    header = HEADER.replace("steps:\n", "steps: []\n")
    assert errors_for(tmp_path, "", header=header) == ["demo.yaml:6:8: steps: must not be empty"]


def test_empty_text(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, '  - {type: prompt, title: "  ", text: Hi}\n')
    assert errors == ["demo.yaml:7:25: steps[0].title: must not be empty"]


def test_bad_slug_id(tmp_path: Path) -> None:
    header = HEADER.replace("id: demo", "id: Lyric Circle")
    errors = errors_for(tmp_path, "  - {type: prompt, title: Hi, text: Hi}\n", header=header)
    assert errors == [
        "demo.yaml:1:5: id: expected an id: lowercase letters, digits and hyphens, like "
        '"lyric-circle"; got "Lyric Circle"'
    ]


def test_locale_map_with_bad_key(tmp_path: Path) -> None:
    header = HEADER.replace("title: Demo", "title: {en: Demo, German: Demo}")
    errors = errors_for(tmp_path, "  - {type: prompt, title: Hi, text: Hi}\n", header=header)
    assert errors == [
        'demo.yaml:2:8: title: "German" is not a locale code; expected codes such as en, de, pt-BR'
    ]


def test_duplicate_keys(tmp_path: Path) -> None:
    header = HEADER.replace("version: 1\n", "version: 1\ntitle: Again\n")
    errors = errors_for(tmp_path, "  - {type: prompt, title: Hi, text: Hi}\n", header=header)
    assert errors == ["demo.yaml:5:1: title: duplicate key 'title' (first written on line 2)"]


def test_yaml_syntax_error(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, "  - type: prompt\n    title: a: b\n")
    # One wording whether libyaml is installed or not (Chorus owns the message).
    assert errors == [
        "demo.yaml:8:11: YAML syntax: text that contains ': ' must be in quotes; write "
        'title: "a: b"'
    ]


def test_tabs_are_a_syntax_error(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, "  - type: prompt\n\ttitle: x\n")
    assert len(errors) == 1
    assert errors[0].startswith("demo.yaml:8:1: YAML syntax:")


def test_aliases_are_refused(tmp_path: Path) -> None:
    body = """\
      - &step {type: prompt, title: Hi, text: Hi}
      - *step
    """
    assert errors_for(tmp_path, body) == [
        "demo.yaml:8:3: YAML syntax: aliases (*step) are not allowed in activity files; "
        "write the value out in full"
    ]


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for level in range(1, 10):
        prev = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        bomb += f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]\n"
    errors = errors_for(tmp_path, "", header=bomb)
    assert len(errors) == 1
    assert "aliases (*a) are not allowed" in errors[0]


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, "", header="id: " + "[" * 5000 + "]" * 5000 + "\n")
    assert errors == ["demo.yaml:1:28: YAML syntax: nesting is deeper than 24 levels"]


def test_huge_file_is_refused(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, "", header="# " + "x" * 300_000 + "\n")
    assert errors == ["demo.yaml:1:1: file is 293 KiB; activity files may be at most 256 KiB"]


def test_empty_file(tmp_path: Path) -> None:
    assert errors_for(tmp_path, "", header="# nothing here\n") == [
        "demo.yaml:1:1: file is empty; expected an activity (id, title, steps, ...)"
    ]


def test_top_level_list(tmp_path: Path) -> None:
    assert errors_for(tmp_path, "", header="- a\n- b\n") == [
        "demo.yaml:1:1: expected a mapping (key: value lines); got a list"
    ]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_bytes(b"id: demo\ntitle: caf\xe9\n")
    result = load_file(path, tmp_path)
    assert isinstance(result, list)
    assert [str(e).removeprefix(f"{tmp_path}/") for e in result] == [
        "demo.yaml:2:11: file is not valid UTF-8 text"
    ]


def test_unsupported_tag(tmp_path: Path) -> None:
    errors = errors_for(
        tmp_path, "  - {type: prompt, title: !!python/object:os.system x, text: Hi}\n"
    )
    assert errors == [
        "demo.yaml:7:25: steps[0].title: unsupported tag tag:yaml.org,2002:python/object:os.system"
    ]


def test_loader_owned_fields_cannot_be_written(tmp_path: Path) -> None:
    header = HEADER + ""
    errors = errors_for(
        tmp_path, "  - {type: prompt, title: Hi, text: Hi}\nsource: elsewhere.yaml\n", header=header
    )
    assert errors == ["demo.yaml:8:1: source: unknown field 'source' (the loader sets it)"]


@pytest.mark.parametrize(
    ("track", "message"),
    [
        (
            "{title: T, artist: A, file: /etc/passwd}",
            'file must be a path inside the media directory, not an absolute path; got "/etc/passwd"',
        ),
        (
            "{title: T, artist: A, file: ../secret.mp3}",
            "file must stay inside the media directory ('..' is not allowed); got \"../secret.mp3\"",
        ),
        (
            "{title: T, artist: A, file: 'C:/music/a.mp3'}",
            'file must be a path inside the media directory, not an absolute path; got "C:/music/a.mp3"',
        ),
    ],
)
def test_media_path_escape_is_caught(tmp_path: Path, track: str, message: str) -> None:
    errors = errors_for(tmp_path, f"  - type: listen\n    title: L\n    track: {track}\n")
    assert len(errors) == 1
    assert errors[0].startswith("demo.yaml:9:")
    assert errors[0].endswith(f"steps[0].track.file: {message}")


def test_media_symlink_escape_is_caught_by_the_loader(tmp_path: Path) -> None:
    media = tmp_path / "media"
    media.mkdir()
    outside = tmp_path / "outside.mp3"
    outside.write_bytes(b"ID3")
    (media / "link.mp3").symlink_to(outside)
    (media / "ok.mp3").write_bytes(b"ID3")
    body = """\
      - type: listen
        title: L
        track: {title: T, artist: A, file: link.mp3}
      - type: listen
        title: Fine
        track: {title: T, artist: A, file: ok.mp3}
      - type: listen
        title: Missing
        track: {title: T, artist: A, file: missing.mp3}
    """
    assert errors_for(tmp_path, body) == [
        f"demo.yaml:9:38: steps[0].track.file: file 'link.mp3' resolves outside the media "
        f"directory '{media}'",
        f"demo.yaml:15:38: steps[2].track.file: file 'missing.mp3' not found in the media "
        f"directory '{media}'",
    ]


def media_holding(tmp_path: Path, name: str) -> Path:
    """The media folder `errors_for` loads with, holding one file `name`."""
    media = tmp_path / "media"
    media.mkdir()
    (media / name).write_bytes(b"OggS")
    return media


def test_every_file_of_a_listening_set_is_checked(tmp_path: Path) -> None:
    media = media_holding(tmp_path, "a.ogg")
    body = """\
      - type: listen
        title: Set
        track: {title: A, artist: A, file: a.ogg, duration: 5}
        then:
          - {title: B, artist: B, file: b.ogg, duration: 5}
    """
    assert errors_for(tmp_path, body) == [
        f"demo.yaml:11:35: steps[0].then[0].file: file 'b.ogg' not found in the media "
        f"directory '{media}'",
    ]


def test_a_vote_options_track_file_is_checked(tmp_path: Path) -> None:
    """A `from_vote` listen step plays the winning option's file: a missing one is named
    with its file, line and field, as a listen step's own is."""
    media = media_holding(tmp_path, "a.ogg")
    body = """\
      - type: vote
        title: Pick
        question: Which?
        options:
          - {label: A, track: {title: A, artist: A, file: a.ogg, duration: 5}}
          - {label: B, track: {title: B, artist: B, file: b.ogg, duration: 5}}
      - type: listen
        title: Chosen
        track: from_vote
    """
    assert errors_for(tmp_path, body) == [
        f"demo.yaml:12:53: steps[0].options[1].track.file: file 'b.ogg' not found in the "
        f"media directory '{media}'",
    ]


def test_a_kind_added_outside_bot_has_its_own_cross_step_rule_and_media(tmp_path: Path) -> None:
    """The activity and the loader ask each step (`StepBase.problems_among`, `media_files`):
    the example kind `hum` (tests/steps_example/core) refuses a hum right after a hum and has
    its drone's file checked, with nothing of it named in bot/core."""
    body = """\
      - {type: hum, title: One, tune: a lullaby}
      - {type: hum, title: Two, tune: a march, drone: drone.ogg}
    """
    core_steps.add_package("tests.steps_example.core")
    try:
        errors = errors_for(tmp_path, body)
        with pytest.raises(ValidationError, match=r"steps\[1\]\.tune: a hum right after a hum"):
            Activity.model_validate(yaml.safe_load(HEADER + textwrap.dedent(body)))
    finally:
        core_steps.remove_package("tests.steps_example.core")
    assert errors == [
        "demo.yaml:8:33: steps[1].tune: a hum right after a hum: make it one longer hum",
        f"demo.yaml:8:49: steps[1].drone: file 'drone.ogg' not found in the media directory "
        f"'{tmp_path / 'media'}'",
    ]


def test_track_needs_exactly_one_source(tmp_path: Path) -> None:
    errors = errors_for(
        tmp_path, "  - type: listen\n    title: L\n    track: {title: T, artist: A}\n"
    )
    assert errors == ["demo.yaml:9:10: steps[0].track: a track needs exactly one of url or file"]


def test_from_vote_without_a_vote(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, "  - {type: listen, title: L, track: from_vote}\n")
    assert errors == [
        "demo.yaml:7:35: steps[0].track: track: from_vote needs a vote step before it"
    ]


def test_from_vote_after_a_vote_without_tracks(tmp_path: Path) -> None:
    body = """\
      - {type: vote, title: V, question: Q, options: [a, b]}
      - {type: listen, title: L, track: from_vote}
    """
    assert errors_for(tmp_path, body) == [
        "demo.yaml:8:35: steps[1].track: track: from_vote needs the vote before it to be "
        "from: playlist or to have a track on every option"
    ]


def test_vote_from_previous_needs_contributions(tmp_path: Path) -> None:
    body = """\
      - {type: prompt, title: P, text: T}
      - {type: vote, title: V, question: Q, from: previous}
    """
    assert errors_for(tmp_path, body) == [
        "demo.yaml:8:45: steps[1].from: from: previous needs a write or reflect step just before the vote"
    ]


def test_paired_checkins_must_share_a_scale(tmp_path: Path) -> None:
    body = """\
      - {type: checkin, title: A, question: Q, scale: 0-10, phase: before, measure: mood}
      - {type: checkin, title: B, question: Q, scale: 1-5, phase: after, measure: mood}
    """
    assert errors_for(tmp_path, body) == [
        "demo.yaml:8:49: steps[1].scale: measure 'mood' uses a different scale in steps[0]; "
        "paired check-ins must use the same scale"
    ]


def test_model_level_rules_point_at_the_step(tmp_path: Path) -> None:
    body = """\
      - type: breathe
        title: B
        inhale: 4
        exhale: 6
        cycles: 10
        time_limit: 30s
      - type: write
        title: W
        theme: T
        structure: [{name: verse, lines: 3}]
        template: ["I ___"]
      - type: write
        title: W
        theme: T
        template: ["no blank here"]
    """
    assert errors_for(tmp_path, body) == [
        "demo.yaml:7:3: steps[0]: 10 cycles take 1m40s but time_limit is 30s",
        "demo.yaml:13:3: steps[1]: the structure has 3 lines but the template has 1; they must match",
        "demo.yaml:21:13: steps[2].template: template line 1 has no blank; mark the part to fill "
        "in with ___",
    ]


def test_many_errors_are_capped(tmp_path: Path) -> None:
    body = "".join(
        f"  - {{type: prompt, title: T, text: T, x{i}: 1, y{i}: 2}}\n" for i in range(25)
    )
    errors = errors_for(tmp_path, body)
    assert len(errors) == 31
    assert errors[-1].endswith("... and 20 more errors")


def test_valid_file_loads_with_source_and_hash(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(HEADER + "  - {type: prompt, title: Hi, text: Hi}\n", encoding="utf-8")
    activity = load_file(path, tmp_path)
    assert isinstance(activity, Activity)
    assert activity.source == str(path)
    assert len(activity.version_hash) == 12
    int(activity.version_hash, 16)


def test_missing_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    # `chorus validate` of a path that isn't there (the bot no longer loads single files).
    activities, errors = validate_paths([tmp_path / "nope.yaml"], tmp_path)
    assert activities == []
    assert [str(e) for e in errors] == [f"{tmp_path}/nope.yaml:1:1: file or folder not found"]


def test_auto_advance_on_a_prompt_needs_a_time_limit(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, "  - {type: prompt, title: P, text: T, advance: auto}\n")
    assert errors == [
        "demo.yaml:7:3: steps[0]: advance: auto needs a time_limit (this step has no answers "
        "to wait for)"
    ]


def test_pydantic_sentences_never_reach_the_facilitator() -> None:
    """A built-in pydantic error without a sentence of ours is worded by us, not by pydantic (its
    wording changes between releases); our own custom errors keep their words."""
    from bot.core.error_wording import simple_message
    from bot.core.format_base import format_error

    worded = simple_message("uuid_type", {}, 3)
    assert worded == "is not valid here; got 3"
    ours = format_error("text_type", "expected text").context
    assert ours is not None
    assert simple_message("text_type", ours, 3) == "expected text"
