"""Prompt pools: find a step's pooled texts, draw one alternative each, and show the drawn ones.

A pool is drawn per channel without repeats: each alternative once, in random order, then the
pool starts over (never with the alternative shown last, when there are two or more). The draws
are kept in the run's step state under `POOL_STATE` (``{step index: {field path: index}}``), so a
restarted bot shows the same text, and in the store (`pool_draws`), so the next session in the
channel draws on.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from bot.core.field_texts import TextPool

POOL_STATE = "pools"
"""The step-state key holding every step's draws so far: ``{"3": {"question": 1}}``."""
ANOTHER_STATE = "another_drawn"
"""The step-state key set once the facilitator pressed Another question in this step."""


def pooled_fields(step: BaseModel) -> dict[str, TextPool]:
    """Every pooled text of a step, by path (``question``, ``questions.1``, ``tracks.0.credit``)."""
    found: dict[str, TextPool] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, TextPool):
            found[path] = value
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name), f"{path}.{name}" if path else name)
        elif isinstance(value, list | tuple):
            for position, item in enumerate(value):
                walk(item, f"{path}.{position}")

    walk(step, "")
    return found


def pool_key(pool: TextPool) -> str:
    """The pool's identity in a channel's history: a digest of its alternatives.

    The same pool in two activities shares one history; editing the alternatives starts afresh."""
    written = json.dumps(list(pool.pool), sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(written.encode("utf-8")).hexdigest()


def next_alternative(history: Sequence[int], size: int, rng: random.Random | None = None) -> int:
    """The index to draw next, given the channel's earlier draws (oldest first).

    Alternatives not yet drawn in the current round come first; a finished round starts over,
    avoiding the one just shown. Indexes out of range (the pool was shortened) are ignored."""
    chooser = rng or random.SystemRandom()
    seen: set[int] = set()
    last: int | None = None
    for index in history:
        if not 0 <= index < size:
            continue
        seen.add(index)
        last = index
        if len(seen) == size:
            seen = set()
    remaining = [i for i in range(size) if i not in seen]
    if not seen and size > 1 and last is not None:
        remaining.remove(last)
    return chooser.choice(remaining)


def draws_for(state: Mapping[str, Any], step_index: int) -> dict[str, int]:
    """The draws of step `step_index` kept in a run's step state (empty when it has none)."""
    pools = state.get(POOL_STATE)
    if not isinstance(pools, Mapping):
        return {}
    found = pools.get(str(step_index))
    if not isinstance(found, Mapping):
        return {}
    return {str(k): int(v) for k, v in found.items() if isinstance(v, int)}


def resolve(step: BaseModel, draws: Mapping[str, int]) -> Any:
    """The step as shown: each pooled text replaced by its drawn alternative (the first if none)."""

    def walk(value: Any, path: str) -> Any:
        if isinstance(value, TextPool):
            chosen = draws.get(path, 0)
            return value.pool[chosen if 0 <= chosen < len(value.pool) else 0]
        if isinstance(value, BaseModel):
            changes = {}
            for name in type(value).model_fields:
                before = getattr(value, name)
                after = walk(before, f"{path}.{name}" if path else name)
                if after is not before:
                    changes[name] = after
            return value.model_copy(update=changes) if changes else value
        if isinstance(value, list | tuple):
            items = [walk(item, f"{path}.{n}") for n, item in enumerate(value)]
            if any(a is not b for a, b in zip(items, value, strict=True)):
                return type(value)(items)
            return value
        return value

    return walk(step, "")
