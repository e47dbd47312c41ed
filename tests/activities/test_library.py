"""The shipped library: every file loads cleanly, and the checked-in schema is current."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from bot.core.activities import SCHEMA_COMMAND, Catalog, Track, render_schema
from bot.core.steps.checkin import CheckinStep
from bot.core.steps.listen import ListenStep

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "activities"
SCHEMA_FILE = LIBRARY / "activity.schema.json"
SHIPPED = sorted(LIBRARY.glob("*.yaml"))
HEADER = "# yaml-language-server: $schema=./activity.schema.json\n"
REQUIRED = {
    "opening-checkin",
    "closing-checkin",
    "song-for-this-week",
    "guided-imagery",
    "lyric-circle",
    "exquisite-corpse",
    "twelve-bar-blues",
    "gratitude-song",
    "rhythm-and-breath",
    "group-playlist",
    "name-that-feeling",
    "session-60",
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load([LIBRARY], ROOT / "data" / "media")


def test_every_shipped_file_loads_without_errors(catalog: Catalog) -> None:
    assert [str(error) for error in catalog.errors] == []
    assert len(catalog.activities) == len(SHIPPED) >= 12


def test_the_required_activities_are_there(catalog: Catalog) -> None:
    assert set(catalog.activities) >= REQUIRED


def test_ids_match_file_names(catalog: Catalog) -> None:
    assert sorted(Path(a.source).stem for a in catalog.activities.values()) == sorted(
        catalog.activities
    )


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_file_starts_with_the_schema_comment(path: Path) -> None:
    assert path.read_text(encoding="utf-8").startswith(HEADER)


def test_every_activity_has_facilitator_notes_and_time_limits(catalog: Catalog) -> None:
    for activity in catalog.activities.values():
        assert activity.facilitator_notes, activity.id
        assert all(step.time_limit for step in activity.steps), activity.id
        budget = activity.duration_minutes * 60
        total = sum(step.time_limit or 0 for step in activity.steps)
        assert total <= budget * 1.2, activity.id


def test_opening_and_closing_checkins_pair(catalog: Catalog) -> None:
    opening = catalog.activities["opening-checkin"].steps[0]
    closing = catalog.activities["closing-checkin"].steps[0]
    assert isinstance(opening, CheckinStep)
    assert isinstance(closing, CheckinStep)
    assert (opening.phase, closing.phase) == ("before", "after")
    assert opening.measure == closing.measure == "mood"
    assert opening.scale == closing.scale
    assert opening.scale.kind == "0-10"


def test_shipped_tracks_are_links_with_credits(catalog: Catalog) -> None:
    for activity in catalog.activities.values():
        for step in activity.steps:
            if isinstance(step, ListenStep) and isinstance(step.track, Track):
                assert step.track.url and step.track.url.startswith("https://"), activity.id
                assert step.track.credit, activity.id


def test_schema_file_is_up_to_date() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == render_schema(), (
        f"activities/activity.schema.json is out of date; run: {SCHEMA_COMMAND}"
    )


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_files_satisfy_the_json_schema(path: Path) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    assert errors == []


def test_snapshots_of_shipped_activities_round_trip(catalog: Catalog) -> None:
    for activity in catalog.activities.values():
        again = type(activity).model_validate(activity.model_dump(mode="json"))
        assert again == activity
