"""Member text made safe to show: one bounded string, no mass pings, no invisible tricks."""

from __future__ import annotations

import re
import unicodedata

# Bidirectional overrides and zero-width characters can disguise what a message says. The zero
# width joiner and non-joiner (U+200D, U+200C) stay: emoji sequences (🏳️‍🌈, 🧘‍♀️) and scripts
# such as Persian and the Indic ones need them; only where they join nothing (at either end,
# or repeated) are they dropped.
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_JOINER_RUN = re.compile("([\u200c\u200d])[\u200c\u200d]+")
_JOINER_EDGE = re.compile(
    r"^[\u200c\u200d]+|[\u200c\u200d]+$|(?<=\s)[\u200c\u200d]+|[\u200c\u200d]+(?=\s)"
)
_MULTI_BLANK = re.compile(r"\n{3,}")


def clean_member_text(text: str, limit: int, *, single_line: bool = False) -> str:
    """Strip invisible controls, fold whitespace, and shorten visibly with an ellipsis."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _JOINER_EDGE.sub("", _JOINER_RUN.sub(r"\1", text))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    if single_line:
        text = " ".join(text.split())
    else:
        text = "\n".join(line.rstrip() for line in text.strip().splitlines())
        text = _MULTI_BLANK.sub("\n\n", text)
    return shorten(text, limit)


def shorten(text: str, limit: int) -> str:
    """Bound any text for a Discord field, visibly: cut at the last word boundary that keeps
    at least half the room (else inside the one long word), always ending in "…"."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return "…"[:limit]
    room = limit - 1
    head = text[: room + 1]
    boundary = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t"))
    head = head[:boundary] if boundary >= max(1, room // 2) else head[:room]
    return head.rstrip() + "…"
