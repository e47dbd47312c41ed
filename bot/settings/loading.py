"""Loading the settings: `config/chorus.yaml` (or CHORUS_CONFIG), then the `CHORUS_*`
variables over it, validated once; the token from DISCORD_TOKEN only, so it never sits in a file
that might be committed."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import SecretStr, ValidationError

from bot.settings.environment import ENV_PREFIX, env_overrides
from bot.settings.model import Settings
from bot.settings.problems import SettingsError, describe

DEFAULT_CONFIG = Path("config/chorus.yaml")
PACKAGE_ROOT = Path(__file__).resolve().parents[2]
"""The folder holding `bot/`: in a source checkout (`pip install -e .`), the project itself."""


def project_root(environ: Mapping[str, str], cwd: Path | None = None) -> Path:
    """Where relative paths in the settings are resolved: the working folder when it holds
    `config/chorus.yaml` (or CHORUS_CONFIG is set), else the source checkout Chorus runs from
    when that holds it, else the working folder."""
    here = (cwd or Path.cwd()).resolve()
    if "CHORUS_CONFIG" in environ or (here / DEFAULT_CONFIG).is_file():
        return here
    if (PACKAGE_ROOT / DEFAULT_CONFIG).is_file():
        return PACKAGE_ROOT
    return here


def _from_root(settings: Settings, root: Path, cwd: Path) -> Settings:
    """Relative file settings resolved against `root` when it isn't the working folder."""
    if root == cwd:
        return settings

    def at(path: Path) -> Path:
        return path if path.is_absolute() else root / path

    update: dict[str, Any] = {
        "database_path": at(settings.database_path),
        "media_dir": at(settings.media_dir),
        "health_file": at(settings.health_file),
        "activities_dirs": tuple(at(p) for p in settings.activities_dirs),
    }
    url = settings.database_url
    if url and url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        update["database_url"] = f"sqlite:///{at(Path(url[len('sqlite:///') :]))}"
    return settings.model_copy(update=update)


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read the YAML file (if any), apply environment overrides, validate once.

    Run from another folder, the default config and relative paths (database, media,
    activities) are those of the project Chorus runs from (`project_root`), so `chorus db
    backup` from `~` never makes a new empty database there. Raises SettingsError.
    """
    environ = os.environ if environ is None else environ
    cwd = Path.cwd().resolve()
    root = cwd if path is not None else project_root(environ, cwd)
    default = DEFAULT_CONFIG if root == cwd else root / DEFAULT_CONFIG
    path = Path(environ.get("CHORUS_CONFIG", str(path or default)))
    data: dict[str, Any] = {}
    if path.exists():
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f":{mark.line + 1}" if mark is not None else ""
            raise SettingsError(
                f"{path}{where}: not valid YAML ({exc.__class__.__name__})"
            ) from None
        if loaded is not None and not isinstance(loaded, dict):
            raise SettingsError(f"{path}: expected a mapping of settings at the top level")
        data = loaded or {}
        if "token" in data:
            raise SettingsError(
                f"{path}: token: the token is read from the DISCORD_TOKEN environment variable only"
            )
    environ_keys = env_overrides({k: v for k, v in environ.items() if k != "CHORUS_CONFIG"})
    merged = _merge(data, environ_keys)
    token = environ.get("DISCORD_TOKEN")
    try:
        settings = Settings.model_validate(merged)
    except ValidationError as exc:
        loc, message = describe(exc.errors()[0])
        top = loc.split(".")[0]
        nested = loc.split(".")
        from_env = top in environ_keys and (
            len(nested) == 1 or nested[1] in environ_keys.get(top, {})
        )
        source = (
            f"environment {ENV_PREFIX}{loc.replace('.', '_').upper()}" if from_env else str(path)
        )
        raise SettingsError(f"{source}: {loc}: {message}") from None
    if token:
        settings = settings.model_copy(update={"token": SecretStr(token.strip())})
    return _from_root(settings, root, cwd)
