"""The store's cached reads, each named once: the key `Database.cached` holds it under, and
what a write names in its `invalidate` when it changes that read (issue 17 item 5).

Every other read goes to the database each time, so a write that changes none of these says
`invalidate=()`. `tests/store/test_cached_reads.py` writes through the repositories and reads
again, for every read here.
"""

from __future__ import annotations

CachedRead = tuple[str, int] | tuple[str, int, int]
"""A cached read's key: its name and the ids it is of."""


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
