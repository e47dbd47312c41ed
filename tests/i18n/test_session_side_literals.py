"""The session side of issue #24 keeps the guard of test_no_literal_texts.py too.

That test leaves out the session-side files (`SESSION_SIDE`, `SESSION_SIDE_DIRS`) until they are
swept; they are now, so this test runs the same scan over exactly those files: no literal a member
reads reaches Discord without `_()`/`ngettext()`.
"""

from __future__ import annotations

from pathlib import Path

from tests.i18n import test_no_literal_texts as guard


def session_side_files() -> list[Path]:
    return [
        path
        for folder in guard.SCANNED
        for path in sorted((guard.ROOT / folder).rglob("*.py"))
        if guard._excluded(path.relative_to(guard.ROOT).as_posix())
    ]


def test_every_session_side_literal_is_marked_for_the_catalogue() -> None:
    files = session_side_files()
    # Every swept file is scanned: the step kinds, the cards, the session cogs and services.
    assert len(files) > 40
    leaks = guard.Scan(files).run()
    shown = "\n".join(str(leak) for leak in sorted(leaks, key=lambda x: (x.path, x.line)))
    assert not leaks, f"{len(leaks)} session-side texts reach members unmarked:\n{shown}"
