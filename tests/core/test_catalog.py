"""The catalog: many files, duplicates, broken files skipped, reload diffs."""

from pathlib import Path

from bot.core.activities import Catalog, CatalogDiff, validate_paths


def activity(activity_id: str, title: str = "Demo") -> str:
    return (
        f"id: {activity_id}\ntitle: {title}\nsummary: S\nversion: 1\nduration_minutes: 5\n"
        "steps:\n  - {type: prompt, title: Hi, text: Hi}\n"
    )


def test_valid_files_load_and_broken_ones_are_reported(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text(activity("beta"))
    (tmp_path / "a.yml").write_text(activity("alpha"))
    (tmp_path / "broken.yaml").write_text("id: broken\ntitle: [\n")
    (tmp_path / "notes.txt").write_text("ignored")
    catalog = Catalog.load([tmp_path], tmp_path)
    assert list(catalog.activities) == ["alpha", "beta"]
    assert catalog.get("alpha") is not None
    assert catalog.get("broken") is None
    assert len(catalog.errors) == 1
    assert catalog.errors[0].file == str(tmp_path / "broken.yaml")


def test_subfolders_are_loaded_and_hidden_ones_skipped(tmp_path: Path) -> None:
    (tmp_path / "songs").mkdir()
    (tmp_path / "songs" / "x.yaml").write_text(activity("x"))
    (tmp_path / ".drafts").mkdir()
    (tmp_path / ".drafts" / "y.yaml").write_text(activity("y"))
    assert list(Catalog.load([tmp_path], tmp_path).activities) == ["x"]


def test_duplicate_ids_name_both_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(activity("same", "First"))
    (tmp_path / "b.yaml").write_text("# second\n" + activity("same", "Second"))
    catalog = Catalog.load([tmp_path], tmp_path)
    assert [str(e) for e in catalog.errors] == [
        f"{tmp_path}/b.yaml:2:5: id: duplicate id 'same': already defined in {tmp_path}/a.yaml; "
        "this file was skipped. Give it an id of its own, e.g. id: b"
    ]
    assert catalog.activities["same"].title == "First"


def test_duplicates_across_folders(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    (one / "a.yaml").write_text(activity("same"))
    (two / "a.yaml").write_text(activity("same"))
    catalog = Catalog.load([one, two], tmp_path)
    assert len(catalog.activities) == 1
    assert str(one / "a.yaml") in catalog.errors[0].message


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    catalog = Catalog.load([tmp_path / "nope"], tmp_path)
    assert catalog.activities == {}
    assert [str(e) for e in catalog.errors] == [f"{tmp_path}/nope:1:1: folder not found"]


def test_diff_and_reload(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(activity("a"))
    (tmp_path / "b.yaml").write_text(activity("b"))
    (tmp_path / "c.yaml").write_text(activity("c"))
    old = Catalog.load([tmp_path], tmp_path)
    (tmp_path / "a.yaml").write_text("# only a comment changed\n" + activity("a"))
    (tmp_path / "b.yaml").write_text(activity("b", "New title"))
    (tmp_path / "c.yaml").unlink()
    (tmp_path / "d.yaml").write_text(activity("d"))
    new, diff = old.reload()
    assert diff == CatalogDiff(added=("d",), removed=("c",), changed=("b",))
    assert diff.summary("en") == "added: d; removed: c; changed: b"
    assert old.diff(new) == diff
    assert not new.diff(new)
    assert new.diff(new).summary("en") == "no changes"
    assert new.activities["a"].version_hash != old.activities["a"].version_hash


def test_validate_paths_takes_files_and_folders(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "a.yaml").write_text(activity("a"))
    single = tmp_path / "draft.txt"
    single.write_text(activity("draft"))
    bad = tmp_path / "bad.yaml"
    bad.write_text(activity("a"))
    activities, errors = validate_paths([folder, single, bad, tmp_path / "gone.yaml"], tmp_path)
    assert [a.id for a in activities] == ["a", "draft"]
    assert [str(e) for e in errors] == [
        f"{bad}:1:5: id: duplicate id 'a': already defined in {folder}/a.yaml; this file was "
        "skipped. Give it an id of its own, e.g. id: bad",
        f"{tmp_path}/gone.yaml:1:1: file or folder not found",
    ]


def test_a_copy_that_keeps_the_id_never_displaces_the_original(tmp_path: Path) -> None:
    """A copy of a shipped activity (`<id>.yaml`) sorted before it is the one skipped; the
    message names both files and suggests a new id."""
    (tmp_path / "lyric-circle.yaml").write_text(activity("lyric-circle", "Shipped"))
    (tmp_path / "a-my-circle.yaml").write_text(activity("lyric-circle", "My copy"))
    (tmp_path / "lyric-circle-copy.yaml").write_text(activity("lyric-circle", "Another"))
    catalog = Catalog.load([tmp_path], tmp_path)
    assert catalog.activities["lyric-circle"].title == "Shipped"
    assert [str(e) for e in catalog.errors] == [
        f"{tmp_path}/a-my-circle.yaml:1:5: id: duplicate id 'lyric-circle': already defined in "
        f"{tmp_path}/lyric-circle.yaml; this file was skipped. Give it an id of its own, e.g. "
        "id: a-my-circle",
        f"{tmp_path}/lyric-circle-copy.yaml:1:5: id: duplicate id 'lyric-circle': already "
        f"defined in {tmp_path}/lyric-circle.yaml; this file was skipped. Give it an id of its "
        "own, e.g. id: lyric-circle-copy",
    ]


def test_a_copy_named_like_its_id_suggests_a_copy_id(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    (one / "same.yaml").write_text(activity("same", "First"))
    (two / "same.yaml").write_text(activity("same", "Second"))
    catalog = Catalog.load([one, two], tmp_path)
    assert catalog.activities["same"].title == "First"
    assert catalog.errors[0].message.endswith(
        f"already defined in {one}/same.yaml; this file was skipped. Give it an id of its own, "
        "e.g. id: same-copy"
    )
