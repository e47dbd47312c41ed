"""Shared pieces: result rows, timing helpers, a table printer, and a throwaway settings object."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Row:
    """One figure, its baseline in the same run, the ratio, and the target it is held to."""

    bench: str
    metric: str
    value: float
    unit: str
    baseline: str = ""
    baseline_value: float | None = None
    higher_is_better: bool = True
    target: str = ""
    met: bool | None = None
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline_value is None or self.baseline_value == 0 or self.value == 0:
            return None
        if self.higher_is_better:
            return self.value / self.baseline_value
        return self.baseline_value / self.value

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = self.ratio
        return data


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


class Timer:
    """`with Timer() as t: ...` then t.seconds."""

    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


class Pauses:
    """`with Pauses() as p: ...`: what stopped the event loop meanwhile, in CPU time (so another
    process taking the CPU isn't counted): the garbage collector's passes (count, longest, sum,
    in seconds), and the share of one CPU the process got (CPU time / wall time)."""

    def __enter__(self) -> Pauses:
        self.gc: list[float] = []
        self.generations: list[int] = []
        self._started = 0.0
        self._wall = time.perf_counter()
        self._cpu = time.process_time()
        self.cpu_share = 0.0
        gc.callbacks.append(self._callback)
        return self

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.thread_time()
        else:
            self.gc.append(time.thread_time() - self._started)
            self.generations.append(int(info.get("generation", -1)))

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)
        wall = time.perf_counter() - self._wall
        self.cpu_share = (time.process_time() - self._cpu) / wall if wall else 0.0

    def summary(self) -> dict[str, float]:
        return {
            "gc_passes": len(self.gc),
            "gc_longest_ms": max(self.gc, default=0.0) * 1000,
            "gc_total_ms": sum(self.gc) * 1000,
            "gc_longest_generation": self._longest_generation(),
            "cpu_share": self.cpu_share,
        }

    def _longest_generation(self) -> int:
        """The generation (0 young, 1 middle, 2 full) of the longest pass; -1 without one."""
        if not self.gc:
            return -1
        return self.generations[self.gc.index(max(self.gc))]

    def note(self) -> str:
        return (
            f"GC: {len(self.gc)} passes, longest {max(self.gc, default=0.0) * 1000:.1f} ms CPU"
            f" (generation {self._longest_generation()});"
            f" the process had {self.cpu_share:.0%} of a CPU"
        )


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    if abs(value) >= 1000:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.3g}"
    return f"{text} {unit}".strip()


def table(rows: Sequence[Row]) -> str:
    """A plain-text table of every figure with its baseline, ratio and target."""
    header = ("benchmark", "metric", "value", "baseline", "ratio", "target", "met")
    lines = [header]
    for row in rows:
        baseline = (
            f"{row.baseline}: {fmt(row.baseline_value, row.unit)}"
            if row.baseline_value is not None
            else row.baseline
        )
        ratio = f"{row.ratio:.1f}x" if row.ratio is not None else "-"
        met = {True: "yes", False: "NO", None: "-"}[row.met]
        lines.append(
            (row.bench, row.metric, fmt(row.value, row.unit), baseline, ratio, row.target, met)
        )
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)
