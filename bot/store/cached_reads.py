"""The store's cached reads, each named once: the key `Database.cached` holds it under, and
what a write names in its `invalidate` when it changes that read (issue 17 item 5).

Every other read goes to the database each time, so a write that changes none of these says
`invalidate=()`. `tests/store/test_cached_reads.py` writes through the repositories and reads
again, for every read here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R", contravariant=True)

CachedRead = tuple[str, int] | tuple[str, int, int]
"""A cached read's key: its name and the ids it is of."""

Invalidates = Iterable[CachedRead] | Callable[[T], Iterable[CachedRead]] | None
"""What a write (`Database.write(..., invalidate=...)`) changes of the cached reads: their
keys (`()` for none); None for all of them; or, when the keys are known only once the job has
run (a new row's id, the runs a session's end stopped), a function of the job's result giving
them (nothing is forgotten then when the job fails: it wrote nothing)."""


@dataclass(frozen=True, slots=True)
class WriteThrough(Generic[R]):
    """A write that sets cached reads to what it committed instead of forgetting them, so the
    next read needs no query (the hot path: a run moving on, a run or session just created).

    `values(result)` gives the (key, value) pairs to keep once the job committed. `guarded`
    is the key known before the job runs (the run an update changes): were it invalidated or
    kept by anything else while the write waited (another process's change heard meanwhile),
    it is only forgotten, not set; and a write that fails forgets it."""

    values: Callable[[R], Iterable[tuple[CachedRead, Any]]]
    guarded: CachedRead | None = None


class StaleRead(Exception):
    """A job's refusal that shows this process's cached copy of `stale` was behind another
    process's commit (e.g. a song line's position taken there): the writer forgets those keys
    when it reports the refusal, so the next read is of what is committed."""

    def __init__(self, message: str, stale: Iterable[CachedRead]) -> None:
        super().__init__(message)
        self.stale = tuple(stale)


def session(session_id: int) -> CachedRead:
    """`SessionRepository.get`: the session's row."""
    return ("session", session_id)


def present(session_id: int) -> CachedRead:
    """`SessionRepository.present`: who is in the session now (its open attendance rows)."""
    return ("present", session_id)


def session_limits(session_id: int) -> CachedRead:
    """`SessionAccessRepository.limits`: the closed session's limits (written once, with the
    session)."""
    return ("session_limits", session_id)


def of_session(session_id: int) -> list[CachedRead]:
    """Every cached read of the session (its row, present list and limits): what ending it
    forgets, here and in the processes that hear of it."""
    return [session(session_id), present(session_id), session_limits(session_id)]


def run(run_id: int) -> CachedRead:
    """`RunRepository.get`: the run's row (its step, deadlines and step state)."""
    return ("run", run_id)


def consent(guild_id: int, user_id: int) -> CachedRead:
    """`PrivacyRepository.consent`: the member's consent in the server."""
    return ("consent", guild_id, user_id)


def heard(topic: str, ids: tuple[int, ...]) -> list[CachedRead] | None:
    """The cached reads another process's change notice (`ChangeFeed`, its `topic` and ids)
    makes stale here; None for all of them (a member forgotten, or a topic not named here:
    forgetting everything is always safe)."""
    if topic == "run":
        return [run(run_id) for run_id in ids]
    if topic == "session":
        return [key for session_id in ids for key in of_session(session_id)]
    if topic == "consent":
        # (guild, member), as `PrivacyRepository.set_consent` sends it
        return [consent(ids[0], ids[1])] if len(ids) == 2 else []
    return None
