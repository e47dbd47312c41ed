"""Rules of the `write` step (its model and handler are in `bot/core/steps/write.py`): a song
written together, one line per turn, with scaffolds and gentle help.

Sources of truth:
- contributions (kinds line, pass, edit, withdraw, remove) are the event log; folding them in
  order gives the song's text (`fold`), so the song sheet at the end needs nothing else;
- the handler state (persisted by the runner) holds the turn bookkeeping and a folded copy of
  the song that `accept` checks against (rhymes, turns, who may edit);
- the songs/song_lines tables are the saved song, written by the cog after each committed event.

Nothing here knows Discord: ids are ints and time is `ctx.now`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.records.sessions import ContributionRecord

if TYPE_CHECKING:
    # Annotations only: the write step's module imports these rules for its handler.
    from bot.core.steps.write import WriteStep

EVENT_KINDS = ("line", "pass", "edit", "withdraw", "remove")


# ------------------------------------------------------------------ state and folding

State = dict[str, Any]


def song_lines(state: Mapping[str, Any]) -> dict[int, dict[str, Any]]:
    """Filled positions -> line (id, text, fill, author, syl, flags); an entry that isn't a
    position and its line is left out."""
    found = state.get("lines")
    if not isinstance(found, Mapping):
        return {}
    return {
        int(k): dict(v) for k, v in found.items() if str(k).isdigit() and isinstance(v, Mapping)
    }


def apply_event(
    lines: Mapping[int, Mapping[str, Any]],
    kind: str,
    payload: Mapping[str, Any],
    contribution_id: int,
    author_id: int | None,
) -> dict[int, dict[str, Any]]:
    """The song after one event; the same fold for the live state and for the closed step."""
    result = {k: dict(v) for k, v in lines.items()}
    position = int(payload.get("pos", -1))
    if kind == "line":
        result[position] = {
            "id": contribution_id,
            "text": str(payload.get("text", "")),
            "fill": str(payload.get("fill", "")),
            "author": author_id,
            "syl": int(payload.get("syl", 0)),
            "flags": list(payload.get("flags", [])),
        }
    elif kind == "edit":
        current = result.get(position)
        if current is not None and current.get("id") == payload.get("line_id"):
            current.update(
                text=str(payload.get("text", "")),
                fill=str(payload.get("fill", "")),
                syl=int(payload.get("syl", 0)),
                flags=list(payload.get("flags", [])),
                edited=True,
            )
    elif kind in ("withdraw", "remove"):
        current = result.get(position)
        if current is not None and current.get("id") == payload.get("line_id"):
            del result[position]
    return result


def fold(contributions: Iterable[ContributionRecord]) -> dict[int, dict[str, Any]]:
    """The song's lines from the step's event log, in commit order."""
    lines: dict[int, dict[str, Any]] = {}
    for c in sorted(contributions, key=lambda c: c.id):
        if c.kind in EVENT_KINDS:
            lines = apply_event(lines, c.kind, c.payload, c.id, c.author_id)
    return lines


def next_position(step: WriteStep, lines: Mapping[int, Any]) -> int | None:
    """The lowest empty line (a removed line is written again), or None when the song is full."""
    for position in range(step.total_lines):
        if position not in lines:
            return position
    return None


def is_full(step: WriteStep, lines: Mapping[int, Any]) -> bool:
    """Whether every line of the song is written."""
    return next_position(step, lines) is None


# ------------------------------------------------------------------ credits


@dataclass(frozen=True, slots=True)
class Credits:
    named: tuple[int, ...]
    """Authors credited by name, in order of their first line."""
    group: bool
    """Some lines are credited to "the group" (anonymous step or opted-out members)."""


def credits(
    lines: Mapping[int, Mapping[str, Any]], anonymous: bool, opted_out: Iterable[int]
) -> Credits:
    """Who a song credits: authors by name in the order of their first line, and whether some lines
    go to "the group" (an anonymous step, a line without an author, or an author in
    `opted_out`)."""
    out = set(opted_out)
    named: list[int] = []
    group = False
    for _, line in sorted(lines.items()):
        author = line.get("author")
        if anonymous or not isinstance(author, int) or author in out:
            group = True
        elif author not in named:
            named.append(author)
    return Credits(named=tuple(named), group=group)
