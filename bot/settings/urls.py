"""Database URLs safe to print: the one place credentials are taken out of one."""

from __future__ import annotations

import re

# Query options of a PostgreSQL URL (libpq's and asyncpg's names) whose values are secrets or
# point at them.
_SECRET_OPTIONS = ("password", "passfile", "sslpassword", "sslkey")


def masked_url(url: str) -> str:
    """`url` safe to print or log: the password of `user:password@` and the values of
    `password=`, `passfile=`, `sslpassword=` and `sslkey=` query options become `***`.

    The one place credentials are taken out of a database URL (`chorus db`, `chorus health`,
    logs). A URL without credentials comes back unchanged.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    # The authority ends at the first / ? or # after the last @ (a password may hold / or ?).
    at = rest.rfind("@")
    end = next((i for i, c in enumerate(rest) if c in "/?#" and i > at), len(rest))
    authority, tail = rest[:end], rest[end:]
    if "@" in authority:
        userinfo, _, host = authority.rpartition("@")
        if ":" in userinfo:
            userinfo = userinfo.split(":", 1)[0] + ":***"
        authority = f"{userinfo}@{host}"
    names = "|".join(_SECRET_OPTIONS)
    tail = re.sub(rf"(?i)([?&](?:{names})=)[^&#]*", r"\1***", tail)
    return f"{scheme}://{authority}{tail}"
