"""A benchmark that runs: one figure."""

from __future__ import annotations

from bench.common import Row


def run() -> list[Row]:
    """One row, as every benchmark returns."""
    return [Row(bench="fine", metric="answers/s", value=100.0, unit="/s")]
