"""Loading one activity file in tests, the way `chorus validate` checks it.

The bot loads folders (`load_folders`) and uploads (`load_bytes`); tests often want one file's
activity or its problems, which `validate_paths` gives for a list of one.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.activities import Activity, ActivityError, validate_paths


def load_file(path: Path, media_dir: Path) -> Activity | list[ActivityError]:
    """The activity in the file at `path`, or every problem found in it. Never raises (as
    `validate_paths` does not)."""
    activities, errors = validate_paths([path], media_dir)
    return activities[0] if activities and not errors else errors
