"""`chorus db copy ... --media SRC_DIR DST_DIR`: the media folder's files come with the rows
(all of them, or with --guild that server's uploads only), never overwriting a different file;
a refused media copy copies no rows either. Through the CLI, as from a shell."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store.copy import CopyError
from bot.store.media_copy import plan_media
from bot.store.store import Store
from tests.store.test_copy_guild import OTHER, two_servers
from tests.test_cli import run_cli

FILES = {
    "uploads/a.mp3": b"the first server's upload",
    "uploads/b.mp3": b"the other server's upload",
    "calm/rain.ogg": b"a file the host put there",
    "uploads/.incoming-0123": b"an upload still being written",
}


def media(folder: Path) -> Path:
    for name, data in FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


async def test_one_servers_rows_come_with_its_uploads_only(tmp_path: Path) -> None:
    hosted = await two_servers(tmp_path / "hosted.db")
    source, target = media(tmp_path / "media"), tmp_path / "leaving-media"
    leaving = tmp_path / "leaving.db"
    result = run_cli(
        "db", "copy", hosted, f"sqlite:///{leaving}", "--guild", str(OTHER),
        "--media", str(source), str(target), cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "copied 1 media files" in result.stdout and result.stderr == ""
    assert tree(target) == {"uploads/b.mp3": FILES["uploads/b.mp3"]}
    store = Store(leaving)
    await store.open()
    try:
        assert await store.media.file_names(OTHER) == ["uploads/b.mp3"]
    finally:
        await store.close()


async def test_every_file_comes_and_a_different_one_there_stops_it_all(tmp_path: Path) -> None:
    hosted = await two_servers(tmp_path / "hosted.db")
    source, target = media(tmp_path / "media"), tmp_path / "new-media"
    (target / "calm").mkdir(parents=True)
    (target / "calm/rain.ogg").write_bytes(b"another rain")
    refused = run_cli(
        "db", "copy", hosted, f"sqlite:///{tmp_path / 'refused.db'}",
        "--media", str(source), str(target), cwd=tmp_path,
    )  # fmt: skip
    assert refused.returncode == 1
    assert "rain.ogg already exists and differs" in refused.stderr
    assert tree(target) == {"calm/rain.ogg": b"another rain"}  # nothing overwritten or added
    assert not (tmp_path / "refused.db").exists()  # checked before any row was copied

    (target / "calm/rain.ogg").write_bytes(FILES["calm/rain.ogg"])  # the same: kept
    copied = run_cli(
        "db", "copy", hosted, f"sqlite:///{tmp_path / 'new.db'}",
        "--media", str(source), str(target), cwd=tmp_path,
    )  # fmt: skip
    assert copied.returncode == 0, copied.stderr
    assert "copied 2 media files" in copied.stdout and "1 already there" in copied.stdout
    partial = "uploads/.incoming-0123"
    assert tree(target) == {name: data for name, data in FILES.items() if name != partial}


def test_a_named_file_missing_is_reported_and_a_name_may_not_leave_the_folder(
    tmp_path: Path,
) -> None:
    source, target = media(tmp_path / "media"), tmp_path / "out"
    plan = plan_media(source, target, ["uploads/a.mp3", "uploads/gone.mp3"])
    assert plan.missing == ("uploads/gone.mp3",)
    done = plan.copy()
    assert (done.copied, done.size) == (1, len(FILES["uploads/a.mp3"]))
    with pytest.raises(CopyError, match="leaves the media folder"):
        plan_media(source, target, ["../hosted.db"])
