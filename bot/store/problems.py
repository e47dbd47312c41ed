"""Why the database can't be used, in one line an operator can act on.

`chorus run`, `chorus db ...` and `chorus health` print this instead of a traceback when the
database is missing, unreachable, refuses the role, or needs a migration the role can't run.
An error that is not one of these (a bug) is not described, so its traceback is still shown.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

from bot.records.errors import StorageUnavailable
from bot.store.migrator import MigrationError

ASYNCPG_MISSING = "asyncpg is not installed"
_REACHABLE = "is the database server running, and are the host and port in database_url right?"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _postgres_problem(exc: BaseException) -> str | None:
    try:
        import asyncpg
    except ImportError:
        return None
    if isinstance(exc, asyncpg.InvalidCatalogNameError):
        return (
            f"{exc}: create it on the server (as a superuser: CREATE DATABASE name OWNER"
            " chorus_owner, README: Least privilege) or correct the database name in"
            " database_url"
        )
    if isinstance(exc, asyncpg.InvalidPasswordError):
        return f"{exc}: check the password (in CHORUS_DATABASE_URL or ~/.pgpass)"
    if isinstance(exc, asyncpg.InvalidAuthorizationSpecificationError):
        return (
            f"{exc}: create the role (README: Least privilege), or correct the user in"
            " database_url, or allow it in the server's pg_hba.conf"
        )
    if isinstance(exc, asyncpg.InsufficientPrivilegeError):
        return (
            f"{exc}: the role lacks a privilege; grant the README's (Least privilege), or run"
            " schema changes (chorus db migrate, chorus db copy) as the owner role"
        )
    if isinstance(exc, asyncpg.PostgresConnectionError | asyncpg.InterfaceError):
        return f"cannot connect to PostgreSQL: {exc}"
    return None


def describe(exc: BaseException) -> str | None:
    """One line saying what is wrong with the database and how to fix it, or None when `exc`
    (and what caused it) is not a database problem."""
    for link in _chain(exc):
        if isinstance(link, MigrationError):
            return str(link)
        if isinstance(link, ImportError) and ASYNCPG_MISSING in str(link):
            return str(link)
        found = _postgres_problem(link)
        if found is not None:
            return found
        if isinstance(link, StorageUnavailable):
            text = str(link) or "the database is unavailable"
            if "connect" in text.lower():
                return f"{text}: {_REACHABLE}"
            return text
        if isinstance(link, ConnectionError | socket.gaierror | TimeoutError):
            text = str(link) or link.__class__.__name__
            return f"cannot connect to the database server ({text}): {_REACHABLE}"
    return None
