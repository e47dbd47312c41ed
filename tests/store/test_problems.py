"""Why the database can't be used, in one line: each kind of problem (found anywhere in the
chain of causes) says what to do, and anything else (a bug) is not described, so its traceback
is still shown."""

from __future__ import annotations

import socket

import asyncpg

from bot.records.errors import StorageUnavailable
from bot.store.migrator import MigrationError
from bot.store.problems import ASYNCPG_MISSING, describe


def caused(outer: BaseException, cause: BaseException) -> BaseException:
    outer.__cause__ = cause
    return outer


def test_postgresql_refusals_say_what_to_fix() -> None:
    missing = describe(asyncpg.InvalidCatalogNameError('database "chorus" does not exist'))
    assert missing is not None and "CREATE DATABASE" in missing and "database_url" in missing
    password = describe(asyncpg.InvalidPasswordError("password authentication failed"))
    assert password is not None and "check the password" in password
    role = describe(asyncpg.InvalidAuthorizationSpecificationError('role "x" does not exist'))
    assert role is not None and "create the role" in role
    privilege = describe(asyncpg.InsufficientPrivilegeError("permission denied for schema"))
    assert privilege is not None and "as the owner role" in privilege


def test_unreachable_servers_and_a_missing_driver_are_described() -> None:
    refused = describe(ConnectionRefusedError(111, "Connection refused"))
    assert refused is not None and refused.startswith("cannot connect to the database server")
    assert "host and port" in refused
    assert describe(socket.gaierror("Name or service not known")) is not None
    storage = describe(StorageUnavailable("could not connect to the database"))
    assert storage is not None and storage.endswith("host and port in database_url right?")
    assert describe(StorageUnavailable("the disk is full")) == "the disk is full"
    assert describe(ImportError(f"{ASYNCPG_MISSING}: pip install asyncpg")) is not None
    assert describe(MigrationError("version 12 needs the owner role")) == (
        "version 12 needs the owner role"
    )


def test_the_cause_is_found_down_the_chain_and_a_bug_is_not_described() -> None:
    wrapped = caused(RuntimeError("opening the store failed"), TimeoutError())
    found = describe(wrapped)
    assert found is not None and "TimeoutError" in found
    assert describe(ValueError("a bug")) is None
    assert describe(ImportError("No module named 'yaml'")) is None
    # A chain that loops back on itself ends.
    first, second = KeyError("a"), KeyError("b")
    first.__context__, second.__context__ = second, first
    assert describe(first) is None
