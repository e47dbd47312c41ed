"""Area 4: hostile activity files made by mutating the shipped library.

Every mutant either loads or yields errors located at file:line:col; none crashes the loader,
and each takes under a second and bounded memory. (tests/activities/test_loader_fuzz.py fuzzes
bytes; this one breaks the real files the ways people and tools do, and counts.)
"""

from __future__ import annotations

import random
import re
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bot.core.activities import Activity
from tests.activity_files import load_file

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = sorted((ROOT / "activities").glob("*.yaml"))
# Memory is the bound that holds on any machine (an expanded alias bomb or a recursion blows it);
# wall time is only reported: on a loaded machine it says more about the load than the loader.
MAX_BYTES = 50 * 1024 * 1024
KEY = re.compile(r"^(\s*(?:- )?)([a-z_]+):(.*)$")
NUMBER = re.compile(r"(?<=: )-?\d+(\.\d+)?\b")
ENUMS = {
    "type": "reflekt",
    "advance": "automatic",
    "turns": "roundrobin",
    "scale": "1-50",
    "visibility_default": "public",
    "phase": "during",
    "anonymous": "maybe",
}

Mutator = Callable[[str, random.Random], str]


def _key_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if KEY.match(line)]


def delete_key(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    del lines[rng.choice(_key_lines(lines))]
    return "\n".join(lines) + "\n"


def rename_key(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    i = rng.choice(_key_lines(lines))
    match = KEY.match(lines[i])
    assert match
    lines[i] = f"{match[1]}{match[2][:-1] or 'x'}{rng.choice('xqz')}:{match[3]}"
    return "\n".join(lines) + "\n"


def change_type(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    i = rng.choice(_key_lines(lines))
    match = KEY.match(lines[i])
    assert match
    value = rng.choice(["[1, 2, 3]", "{a: 1}", "true", "null", "'seven'", "3.5", "-1", '""'])
    lines[i] = f"{match[1]}{match[2]}: {value}"
    return "\n".join(lines) + "\n"


def misspell_enum(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    candidates = [
        i for i in _key_lines(lines) if (m := KEY.match(lines[i])) and m[2] in ENUMS
    ] or _key_lines(lines)
    i = rng.choice(candidates)
    match = KEY.match(lines[i])
    assert match
    lines[i] = f"{match[1]}{match[2]}: {ENUMS.get(match[2], 'unknown-value')}"
    return "\n".join(lines) + "\n"


def truncate(text: str, rng: random.Random) -> str:
    return text[: rng.randrange(1, max(2, len(text) - 1))]


def tabs(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    indented = [i for i, line in enumerate(lines) if line.startswith("  ")] or [0]
    for i in rng.sample(indented, min(3, len(indented))):
        lines[i] = "\t" + lines[i].lstrip(" ")
    return "\n".join(lines) + "\n"


def duplicate_key(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    i = rng.choice(_key_lines(lines))
    match = KEY.match(lines[i])
    assert match
    indent = " " * len(match[1])
    lines.insert(i + 1, f"{indent}{match[2]}: duplicate value")
    return "\n".join(lines) + "\n"


def huge_number(text: str, rng: random.Random) -> str:
    huge = rng.choice(["9" * 400, "1e999", "-" + "9" * 50, ".inf", "0x7fffffffffffffffffff"])
    if NUMBER.search(text):
        return NUMBER.sub(huge, text, count=rng.randint(1, 3))
    return text.replace("version: 1", f"version: {huge}")


def deep_nesting(text: str, rng: random.Random) -> str:
    depth = rng.choice([200, 2_000, 20_000])
    value = "[" * depth + "]" * depth if rng.random() < 0.5 else "{a: " * depth + "}" * depth
    lines = text.splitlines()
    i = rng.choice(_key_lines(lines))
    match = KEY.match(lines[i])
    assert match
    lines[i] = f"{match[1]}{match[2]}: {value}"
    return "\n".join(lines) + "\n"


def alias_bomb(text: str, rng: random.Random) -> str:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, rng.choice([6, 9, 12])):
        prev, cur = chr(ord("a") + n - 1), chr(ord("a") + n)
        levels.append(f"{cur}: &{cur} [" + ",".join(f"*{prev}" for _ in range(9)) + "]")
    bomb = "\n".join(levels)
    last = chr(ord("a") + len(levels) - 1)
    return f"{bomb}\n{text}".replace("summary:", f"summary: *{last}\nold_summary:", 1)


def not_utf8(text: str, rng: random.Random) -> str:
    cut = rng.randrange(len(text))
    return text[:cut] + "\udcff\udcfe" + text[cut:]


MUTATORS: dict[str, Mutator] = {
    "delete key": delete_key,
    "rename key": rename_key,
    "change type": change_type,
    "misspell enum": misspell_enum,
    "truncate": truncate,
    "tabs": tabs,
    "duplicate key": duplicate_key,
    "huge number": huge_number,
    "deep nesting": deep_nesting,
    "alias bomb": alias_bomb,
    "bad bytes": not_utf8,
}
ROUNDS = 2  # per shipped file and mutator: 13 files x 11 mutators x 2 = 286 mutants


def test_mutated_library_files_fail_cleanly(tmp_path: Path) -> None:
    rng = random.Random(4)
    outcome: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    slowest = 0.0
    biggest = 0
    media = tmp_path / "media"
    problems: list[str] = []
    for source in LIBRARY:
        text = source.read_text(encoding="utf-8")
        for kind, mutate in MUTATORS.items():
            for round_ in range(ROUNDS):
                mutant = mutate(text, rng)
                path = tmp_path / f"{source.stem}-{kind.replace(' ', '-')}-{round_}.yaml"
                path.write_bytes(mutant.encode("utf-8", "surrogateescape"))
                started = time.perf_counter()
                try:
                    result = load_file(path, media)
                except Exception as exc:  # the loader promises never to raise
                    problems.append(f"{path.name}: crashed with {exc!r}")
                    continue
                elapsed = time.perf_counter() - started
                # Memory in a second, traced load (tracing slows the loader several times over).
                tracemalloc.start()
                try:
                    load_file(path, media)
                finally:
                    _, peak = tracemalloc.get_traced_memory()
                    tracemalloc.stop()
                slowest, biggest = max(slowest, elapsed), max(biggest, peak)
                by_kind[kind] += 1
                if peak > MAX_BYTES:
                    problems.append(f"{path.name}: peak memory {peak / 1e6:.0f} MB")
                if isinstance(result, Activity):
                    outcome["loaded"] += 1
                    continue
                outcome["refused"] += 1
                if not result:
                    problems.append(f"{path.name}: refused without an error")
                for error in result:
                    located = (
                        error.file == str(path)
                        and error.line >= 1
                        and error.column >= 1
                        and error.message
                        and str(error).startswith(f"{path}:{error.line}:{error.column}: ")
                    )
                    if not located:
                        problems.append(f"{path.name}: unlocated error {error!r}")
    total = sum(by_kind.values())
    print(
        f"hostile activities: {total} files mutated from {len(LIBRARY)} shipped "
        f"({', '.join(f'{k} {v}' for k, v in by_kind.items())}); {outcome['refused']} refused "
        f"with located errors, {outcome['loaded']} still valid, 0 crashes; slowest "
        f"{slowest * 1000:.0f} ms, peak memory {biggest / 1e6:.1f} MB"
    )
    assert not problems, "\n".join(problems[:20])
    assert total >= 200
    assert outcome["refused"] > outcome["loaded"]
