"""Copying an activity rewrites only its id, however the id was written; looking an activity up
by id or by what a facilitator types, and the checks before an upload is downloaded."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.activities import Catalog
from bot.core.errors import InvalidInput, NotFound
from bot.core.guild_library import GuildLibrary, with_id
from bot.settings import ServerLimits
from bot.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
GUILD = 77


def clock() -> datetime:
    return datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def library(store: Store, tmp_path: Path) -> GuildLibrary:
    shipped = Catalog.load([ROOT / "activities"], tmp_path / "media")
    found = GuildLibrary(store, clock, shipped, ServerLimits(upload_max_kb=2))
    await found.load()
    return found


async def test_find_gives_the_activity_or_names_the_list_command(library: GuildLibrary) -> None:
    assert library.find(GUILD, "go-around").id == "go-around"
    with pytest.raises(NotFound) as missing:
        library.find(GUILD, "no-such-" + "x" * 100)
    assert "/activity list" in missing.value.message
    assert "x" * 53 not in missing.value.message  # the typed id is cut to 60 characters


async def test_search_puts_ids_and_titles_that_start_with_the_text_first(
    library: GuildLibrary,
) -> None:
    found = [a.id for a in library.search(GUILD, "  Song ", "en")]
    # ids starting with "song" first (by title: "A song for this week", "Choose the mood"),
    # then a title that only contains it
    assert found == ["song-for-this-week", "song-choice", "gratitude-song"]
    assert len(library.search(GUILD, "", "en")) <= 25
    assert library.search(GUILD, "nothing-like-this", "en") == []


async def test_an_upload_must_be_yaml_and_under_the_cap(library: GuildLibrary) -> None:
    library.check_file("mine.yaml", 100)
    library.check_file("MINE.YML", 2048)
    with pytest.raises(InvalidInput) as not_yaml:
        library.check_file("notes.txt", 100)
    assert "“notes.txt” isn't a .yaml file" in not_yaml.value.message
    with pytest.raises(InvalidInput) as too_big:
        library.check_file("mine.yaml", 4096)
    assert "at most 2 KiB" in too_big.value.message


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("id: old-one\ntitle: T\n", "id: new-one\ntitle: T\n"),
        ('id: "old-one"   # the id\ntitle: T\n', "id: new-one   # the id\ntitle: T\n"),
        ("title: T\nid:   'old-one'\n", "title: T\nid:   new-one\n"),
        ("title: id: x\nid: old-one\n", None),  # broken YAML: nothing to copy
    ],
)
def test_with_id(written: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(InvalidInput):
            with_id(written, "new-one")
    else:
        assert with_id(written, "new-one") == expected


def test_nested_ids_are_left_alone() -> None:
    text = "steps:\n  - id: inner\nid: outer\n"
    assert with_id(text, "new-one") == "steps:\n  - id: inner\nid: new-one\n"
