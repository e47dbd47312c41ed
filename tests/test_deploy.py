"""deploy/compose.yaml: a hosted Chorus that Compose accepts and whose processes fit together.

The structure is checked here in Python (every run); `docker-compose config` (Debian's
`docker-compose` package, no container engine needed) validates the file as Compose reads it.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "deploy" / "compose.yaml"
SECRETS = {"DISCORD_TOKEN": "token.for.tests", "POSTGRES_PASSWORD": "pw-for-tests"}


def interpolate(value: str, environ: dict[str, str]) -> str:
    """Compose's `${NAME}`, `${NAME:-default}` and `${NAME:?error}` (enough for this file)."""

    def one(match: re.Match[str]) -> str:
        name, op, rest = match.group(1), match.group(2), match.group(3)
        if name in environ:
            return environ[name]
        if op == ":-":
            return rest
        raise KeyError(f"{name} must be set ({rest})")

    return re.sub(r"\$\{([A-Z_]+)(?:(:-|:\?)([^}]*))?\}", one, value)


def services() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text())
    found: dict[str, Any] = data["services"]
    return found


def chorus_services() -> dict[str, Any]:
    return {name: s for name, s in services().items() if name.startswith("chorus-")}


def test_postgres_is_healthy_before_chorus_starts_and_everything_restarts() -> None:
    found = services()
    assert {"postgres", "proxy"} <= set(found)
    assert "pg_isready" in " ".join(found["postgres"]["healthcheck"]["test"])
    assert len(chorus_services()) == 3
    for name, service in found.items():
        assert service["restart"] in ("unless-stopped", "always"), name
    for service in chorus_services().values():
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_secrets_come_from_the_environment_only() -> None:
    text = COMPOSE.read_text()
    for secret in ("DISCORD_TOKEN", "POSTGRES_PASSWORD"):
        assert f"${{{secret}:?" in text
    for service in services().values():
        for key, value in (service.get("environment") or {}).items():
            if "TOKEN" in key or "PASSWORD" in key:
                assert str(value).startswith("${"), key
    with pytest.raises(KeyError, match="DISCORD_TOKEN"):
        interpolate(chorus_services()["chorus-0"]["environment"]["DISCORD_TOKEN"], {})


def test_the_three_processes_run_each_of_the_six_shards_once_through_the_proxy(
    tmp_path: Path,
) -> None:
    shards: list[int] = []
    for name, service in chorus_services().items():
        environ = {k: interpolate(str(v), SECRETS) for k, v in service["environment"].items()}
        settings = load_settings(tmp_path / "none.yaml", environ)
        assert settings.discord.shard_count == 6, name
        assert settings.discord.api_base == "http://proxy:8080/api/v10"
        assert settings.database.startswith("postgresql://chorus:pw-for-tests@postgres:5432/")
        assert settings.token is not None
        shards.extend(settings.discord.my_shards)
    assert sorted(shards) == list(range(6))


@pytest.mark.requires_program("docker-compose")
def test_compose_accepts_the_file() -> None:
    done = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), "config", "-q"],
        env={**os.environ, **SECRETS},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    missing = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), "config", "-q"],
        env={k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
        | {"POSTGRES_PASSWORD": "pw"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert missing.returncode != 0 and "DISCORD_TOKEN" in missing.stderr


def test_the_rate_limit_proxy_image_is_pinned_to_a_release() -> None:
    """`latest` follows nirn-proxy's main branch: a restart could bring another proxy."""
    image = interpolate(services()["proxy"]["image"], {})
    name, _, tag = image.partition("@") if "@" in image else image.rpartition(":")
    assert name == "ghcr.io/germanoeich/nirn-proxy"
    assert re.fullmatch(r"v\d+\.\d+\.\d+|sha256:[0-9a-f]{64}", tag), image
