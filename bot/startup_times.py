"""How long a start took, by part: marked by the bot as it starts, logged once it is ready and
read by `bench/startup.py` (issue 28: from process start to ready in under 2 s)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path


def process_age() -> float | None:
    """Seconds since this process started (Linux: /proc, 10 ms resolution), None elsewhere."""
    try:
        stat = Path("/proc/self/stat").read_text()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        # Field 22, counted after the command name (which may hold spaces, inside parentheses).
        started_ticks = int(stat.rsplit(")", 1)[1].split()[19])
        return max(0.0, uptime - started_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return None


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a start: its wall time and this process's CPU time, in seconds."""

    name: str
    wall: float
    cpu: float


@dataclass
class StartupTimes:
    """Marks taken in order; each part runs from the previous mark (or creation) to its own."""

    parts: list[Part] = field(default_factory=list)
    before: float | None = field(default_factory=process_age)
    """Seconds from process start to this object's creation (interpreter and imports)."""
    before_cpu: float = field(default_factory=time.process_time)
    """This process's CPU seconds before this object's creation."""
    _wall: float = field(default_factory=time.perf_counter)
    _cpu: float = field(default_factory=time.process_time)

    def mark(self, name: str) -> None:
        """End the part called `name` now."""
        wall, cpu = time.perf_counter(), time.process_time()
        self.parts.append(Part(name, wall - self._wall, cpu - self._cpu))
        self._wall, self._cpu = wall, cpu

    @property
    def wall(self) -> float:
        """Seconds of wall time from process start (when known) to the last mark."""
        return (self.before or 0.0) + sum(p.wall for p in self.parts)

    def summary(self) -> str:
        """One line for the log, e.g.
        ``1.21 s (process start and imports 0.62 s, cogs 0.20 s, ...); CPU 1.02 s``."""
        parts = [f"{p.name} {p.wall:.2f} s" for p in self.parts]
        if self.before is not None:
            parts.insert(0, f"process start and imports {self.before:.2f} s")
        return f"{self.wall:.2f} s ({', '.join(parts)}); CPU {time.process_time():.2f} s"
