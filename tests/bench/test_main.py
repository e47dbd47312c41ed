"""`python -m bench` when a benchmark fails to run: the command exits non-zero, names the
benchmark and shows what it wrote to stderr (again after the table, and in latest.json); the
benchmarks that ran still print their figures. Each benchmark is a real child process, as in
`make bench`; the two here are tests/bench/examples/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.__main__ import run_benchmarks

EXAMPLES = "tests.bench.examples"


def test_a_failed_benchmark_fails_the_run_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run_benchmarks(["broken", "fine"], package=EXAMPLES, results=tmp_path)
    out, err = capsys.readouterr()
    assert status == 1
    assert "answers/s" in out  # the benchmark that ran is in the table
    summary = err.rsplit("\nall benchmarks:", 1)[1]  # what comes after the table
    assert "broken failed (exit 1); the end of its stderr:" in summary
    assert "broken: store opened, writing 1,000 answers" in summary
    assert "OSError: [Errno 28] No space left on device" in summary
    assert summary.rstrip().endswith("benchmarks that failed: broken")
    report = json.loads((tmp_path / "latest.json").read_text())["benchmarks"]
    assert report["broken"]["error"] == "exit 1"
    assert "OSError: [Errno 28] No space left on device" in report["broken"]["stderr"]
    assert report["fine"]["rows"][0]["metric"] == "answers/s"


def test_a_run_where_every_benchmark_ran_exits_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_benchmarks(["fine"], package=EXAMPLES, results=tmp_path) == 0
    out, err = capsys.readouterr()
    assert "answers/s" in out and "failed" not in err
