"""Credentials never printed: every way a database URL can carry a password is masked by one
function (`bot.settings.masked_url`), and `chorus db status` / `chorus health` / `chorus db copy`
print URLs through it."""

from __future__ import annotations

import pytest

from bot.settings import masked_url
from bot.store.engine import DatabaseUrl


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://app:s3cret@db:5432/chorus", "postgresql://app:***@db:5432/chorus"),
        ("postgresql://app:p@ss/w?rd@db/chorus", "postgresql://app:***@db/chorus"),
        ("postgres://app@db/chorus?password=s3cret", "postgres://app@db/chorus?password=***"),
        (
            "postgresql://db/chorus?sslmode=require&PASSWORD=s3cret&passfile=/home/a/.pgpass",
            "postgresql://db/chorus?sslmode=require&PASSWORD=***&passfile=***",
        ),
        ("postgresql://app:x@db?password=y", "postgresql://app:***@db?password=***"),
        (
            "postgresql://db/chorus?sslpassword=k&sslkey=/k.pem&application_name=c",
            "postgresql://db/chorus?sslpassword=***&sslkey=***&application_name=c",
        ),
        ("postgresql://app@db:5432/chorus", "postgresql://app@db:5432/chorus"),
        ("sqlite:///data/chorus.db", "sqlite:///data/chorus.db"),
    ],
)
def test_every_credential_is_masked(url: str, shown: str) -> None:
    assert masked_url(url) == shown
    for secret in ("s3cret", "p@ss", "w?rd", ".pgpass", "=y", "=k&", "k.pem"):
        if secret not in shown:
            assert secret not in masked_url(url)


def test_database_url_prints_masked() -> None:
    url = DatabaseUrl.parse("postgresql://app:one@db/chorus?password=two&passfile=three")
    assert str(url) == "postgresql://app:***@db/chorus?password=***&passfile=***"
    assert url.dsn.endswith("passfile=three")  # the driver still gets the real one
