"""`python -m bench [name ...]`: run the benchmarks (each in a fresh process), print the table,
and write bench/results/latest.json. Benchmarks report; they never fail on time."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
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


def _one(name: str, out: Path) -> None:
    """Child process: run one benchmark and write its rows as JSON."""
    module = importlib.import_module(f"bench.{name}")
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", choices=[[], *BENCHMARKS], default=[])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        _one(args.one, Path(args.out))
        return 0
    names = args.names or list(BENCHMARKS)
    rows: list[Row] = []
    report: dict[str, object] = {}
    started = time.perf_counter()
    for name in names:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        with tempfile.TemporaryDirectory(prefix="chorus-bench-") as tmp:
            out = Path(tmp) / "rows.json"
            done = subprocess.run(
                [sys.executable, "-m", "bench", "--one", name, "--out", str(out)], cwd=ROOT
            )
            if done.returncode != 0 or not out.exists():
                report[name] = {"error": f"exit {done.returncode}"}
                print(f"{name} failed (exit {done.returncode})", file=sys.stderr)
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
    RESULTS.mkdir(parents=True, exist_ok=True)
    latest = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": _machine(),
        "total_seconds": total,
        "benchmarks": report,
        "table": table(rows),
    }
    (RESULTS / "latest.json").write_text(json.dumps(latest, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
