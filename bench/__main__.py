"""`python -m bench [name ...]`: run the benchmarks (each in a fresh process), print the table,
and write bench/results/latest.json. Benchmarks report; they never fail on time, but a benchmark
that fails to run (its process exits non-zero or writes no rows) fails the command: it exits 1,
naming each failed benchmark with the end of what it wrote to stderr (also kept in the JSON)."""

from __future__ import annotations

import argparse
import collections
import importlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bench.common import RESULTS, ROOT, Row, table

BENCHMARKS = (
    "checkins",
    "api_calls",
    "catalog",
    "memory",
    "queries",
    "resume",
    "engines",
    "startup",
    "scaleout",
)
STDERR_KEPT = 40
"""Lines of a failed benchmark's stderr shown again at the end and kept in the JSON (its
traceback's end; everything it wrote was passed through as it ran)."""


def _one(module_name: str, out: Path) -> None:
    """Child process: run one benchmark (`bench.<name>`) and write its rows as JSON."""
    module = importlib.import_module(module_name)
    started = time.perf_counter()
    rows: list[Row] = module.run()
    payload = {"seconds": time.perf_counter() - started, "rows": [r.as_json() for r in rows]}
    out.write_text(json.dumps(payload))


def _machine() -> dict[str, object]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
    }


def _child(module_name: str, out: Path) -> tuple[int, list[str]]:
    """Run one benchmark's process; what it writes to stderr passes through as it comes (its
    progress) and its last STDERR_KEPT lines are returned with its exit status."""
    tail: collections.deque[str] = collections.deque(maxlen=STDERR_KEPT)
    with subprocess.Popen(
        [sys.executable, "-m", "bench", "--one", module_name, "--out", str(out)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    ) as child:
        assert child.stderr is not None
        for line in child.stderr:
            sys.stderr.write(line)
            sys.stderr.flush()
            tail.append(line.rstrip("\n"))
    return child.returncode, list(tail)


def run_benchmarks(names: Sequence[str], *, package: str = "bench", results: Path = RESULTS) -> int:
    """Run each benchmark `<package>.<name>` in a fresh process, print the table of every one
    that ran, write `results`/latest.json; 0 when every one ran, else 1 after naming the
    failed ones on stderr with the end of their stderr."""
    rows: list[Row] = []
    report: dict[str, object] = {}
    failed: dict[str, tuple[int, list[str]]] = {}
    started = time.perf_counter()
    for name in names:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        with tempfile.TemporaryDirectory(prefix="chorus-bench-") as tmp:
            out = Path(tmp) / "rows.json"
            status, stderr = _child(f"{package}.{name}", out)
            if status != 0 or not out.exists():
                failed[name] = (status, stderr)
                report[name] = {"error": f"exit {status}", "stderr": stderr}
                print(f"{name} failed (exit {status})", file=sys.stderr, flush=True)
                continue
            data = json.loads(out.read_text())
        report[name] = data
        for raw in data["rows"]:
            raw.pop("ratio", None)
            rows.append(Row(**raw))
        print(f"  {name}: {data['seconds']:.1f} s", file=sys.stderr, flush=True)
    total = time.perf_counter() - started
    print(table(rows))
    print(f"\nall benchmarks: {total:.0f} s", file=sys.stderr)
    results.mkdir(parents=True, exist_ok=True)
    latest = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": _machine(),
        "total_seconds": total,
        "benchmarks": report,
        "table": table(rows),
    }
    (results / "latest.json").write_text(json.dumps(latest, indent=2) + "\n")
    for name, (status, stderr) in failed.items():
        # Again at the end: the table and the other benchmarks' output came after it.
        print(f"\n{name} failed (exit {status}); the end of its stderr:", file=sys.stderr)
        print("\n".join(f"  {line}" for line in stderr) or "  (nothing)", file=sys.stderr)
    if failed:
        print(f"\nbenchmarks that failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", choices=[[], *BENCHMARKS], default=[])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        _one(args.one, Path(args.out))
        return 0
    return run_benchmarks(args.names or list(BENCHMARKS))


if __name__ == "__main__":
    raise SystemExit(main())
