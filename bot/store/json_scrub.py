"""A member's id taken out of a JSON value wherever it sits (step state, contribution payloads)."""

from __future__ import annotations

from typing import Any


def scrub_id(value: Any, user_id: int) -> tuple[Any, bool]:
    """`value` (parsed JSON) without `user_id` anywhere in it, and whether it was there.

    A list loses the id (a turn order simply skips them); a map keyed by the id loses the key;
    any other place where the id stood (a writer, an author, a turn) becomes null, which
    every reader treats as "nobody" or "a member". The id counts as a number or as its
    digits in a string (JSON keys are strings).
    """

    def matches(item: Any) -> bool:
        if isinstance(item, bool):
            return False
        if isinstance(item, int):
            return item == user_id
        if isinstance(item, float):
            return item == float(user_id)
        return isinstance(item, str) and item.strip() == str(user_id)

    def walk(item: Any) -> tuple[Any, bool]:
        if isinstance(item, dict):
            out: dict[str, Any] = {}
            hit = False
            for key, inner in item.items():
                if matches(key):
                    hit = True
                    continue
                if matches(inner):
                    out[key] = None
                    hit = True
                    continue
                out[key], inner_hit = walk(inner)
                hit = hit or inner_hit
            return out, hit
        if isinstance(item, list):
            kept: list[Any] = []
            hit = False
            for inner in item:
                if matches(inner):
                    hit = True
                    continue
                cleaned, inner_hit = walk(inner)
                kept.append(cleaned)
                hit = hit or inner_hit
            return kept, hit
        return item, False

    return walk(value)
