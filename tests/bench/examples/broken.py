"""A benchmark that fails part-way, as a full disk or a missing server would."""

from __future__ import annotations

import sys

from bench.common import Row


def run() -> list[Row]:
    """Says where it got to, then raises OSError."""
    print("broken: store opened, writing 1,000 answers", file=sys.stderr, flush=True)
    raise OSError(28, "No space left on device")
