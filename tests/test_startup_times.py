"""The parts of a start: each mark ends a part that runs from the previous mark, the total
counts the process's age at creation, and the log line names every part."""

from __future__ import annotations

import re

from bot.startup_times import Part, StartupTimes, process_age


def test_each_mark_ends_a_part_from_the_previous_mark() -> None:
    times = StartupTimes(before=0.5)
    sum(range(200_000))  # some CPU work in the first part
    times.mark("store")
    times.mark("cogs")
    assert [p.name for p in times.parts] == ["store", "cogs"]
    assert all(p.wall >= 0.0 and p.cpu >= 0.0 for p in times.parts)
    assert times.wall == 0.5 + sum(p.wall for p in times.parts)


def test_the_summary_names_every_part_in_order_with_the_process_start_first() -> None:
    times = StartupTimes(parts=[Part("store", 0.25, 0.1), Part("cogs", 0.5, 0.4)], before=0.75)
    line = times.summary()
    assert line.startswith(
        "1.50 s (process start and imports 0.75 s, store 0.25 s, cogs 0.50 s); CPU "
    )
    assert re.fullmatch(r".*; CPU \d+\.\d\d s", line)
    # Where the process's age is unknown (not Linux), the line leaves that part out.
    unknown = StartupTimes(parts=[Part("store", 0.25, 0.1)], before=None)
    assert unknown.summary().startswith("0.25 s (store 0.25 s); CPU ")


def test_the_process_age_is_read_from_proc_on_linux() -> None:
    age = process_age()
    assert age is not None and age >= 0.0
    # A new object takes it at creation.
    assert StartupTimes().before is not None
