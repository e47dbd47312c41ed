"""One typed settings object, loaded from config/chorus.yaml and overridden by CHORUS_* variables.

The token is read from DISCORD_TOKEN only, so it never sits in a file that might be committed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

DEFAULT_CONFIG = Path("config/chorus.yaml")
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
"""The folder holding `bot/`: in a source checkout (`pip install -e .`), the project itself."""
ENV_PREFIX = "CHORUS_"
# CHORUS_* variables of the test and CI tooling, not settings (tests/engines.py, .ci/run).
NOT_SETTINGS = frozenset(
    {
        "CHORUS_REQUIRE_PROGRAMS",
        "CHORUS_REQUIRE_POSTGRES",
        "CHORUS_TEST_POSTGRES_URL",
        "CHORUS_BENCH_POSTGRES_URL",
        "CHORUS_PG_THROWAWAY_DIR",
        "CHORUS_PG_PORT",
    }
)

DEFAULT_SUPPORT_TEXT = (
    "You don't have to carry this alone. If you are in danger or might hurt yourself, "
    "call your local emergency number now. You can find a free, confidential helpline "
    "in your country at https://findahelpline.com. Talking to someone you trust helps too."
)


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


class SettingsError(Exception):
    """A configuration problem, described in one line that names the key and its source."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DiscordSettings(_Section):
    """Where to reach Discord, and which gateway shards this process runs.

    `api_base` points every HTTP request (interaction callbacks included) at a shared rate-limit
    proxy such as nirn-proxy. Sharding: unset `shard_count` is one process, no sharding.
    With `shard_count`, this process runs `shard_ids` if given, else its block of
    `process_count` equal blocks (`process_index` from 0): shards i with i % process_count ==
    process_index.
    """

    api_base: str | None = None
    gateway_url: str | None = None
    shard_count: int | None = Field(default=None, ge=1, le=4096)
    shard_ids: tuple[int, ...] | None = None
    process_index: int = Field(default=0, ge=0)
    process_count: int = Field(default=1, ge=1)
    max_concurrency: int = Field(default=1, ge=1, le=1024)
    """IDENTIFYs Discord allows at once (`session_start_limit.max_concurrency` of GET
    /gateway/bot; 1 unless Discord raised it for a large bot)."""

    @field_validator("api_base")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError("expected an http:// or https:// URL, e.g. http://proxy:8080/api/v10")
        return value

    @model_validator(mode="after")
    def _shards_fit(self) -> DiscordSettings:
        if self.process_index >= self.process_count:
            raise ValueError(
                f"process_index {self.process_index} must be below process_count"
                f" {self.process_count} (processes are numbered from 0)"
            )
        if self.shard_count is None:
            if self.shard_ids or self.process_count > 1:
                raise ValueError("set shard_count too when a process runs only some shards")
            return self
        if self.shard_ids is not None:
            outside = [i for i in self.shard_ids if not 0 <= i < self.shard_count]
            if outside or not self.shard_ids:
                raise ValueError(
                    f"shard_ids must be between 0 and {self.shard_count - 1} (shard_count - 1)"
                )
        elif self.process_count > self.shard_count:
            raise ValueError("process_count must not exceed shard_count")
        return self

    @property
    def sharded(self) -> bool:
        """Whether this process runs a set of shards (`shard_count` set)."""
        return self.shard_count is not None

    @property
    def my_shards(self) -> tuple[int, ...]:
        """This process's shard ids (`(0,)` without sharding)."""
        if self.shard_count is None:
            return (0,)
        if self.shard_ids is not None:
            return tuple(sorted(set(self.shard_ids)))
        return tuple(range(self.process_index, self.shard_count, self.process_count))


class CheckinSettings(_Section):
    """Care and retention rules for mood check-ins."""

    low_score_max: int = Field(default=2, ge=0, le=10)
    support_text: str = Field(default=DEFAULT_SUPPORT_TEXT, min_length=1, max_length=1500)
    retention_days: int = Field(default=365, ge=1)
    leave_grace_days: int = Field(default=30, ge=0)


class ServerLimits(_Section):
    """What each server may change about its own Chorus (with /setup and /activity upload).

    The other settings in this file are every server's defaults; a server's own choice wins
    within these bounds.
    """

    retention_days_max: int = Field(default=365, ge=1)
    leave_grace_days_max: int = Field(default=90, ge=0)
    board_edit_interval_min: float = Field(default=1.0, ge=0, le=60)
    uploads_enabled: bool = True
    upload_max_kb: int = Field(default=64, ge=1, le=256)
    max_activities: int = Field(default=50, ge=0, le=1000)
    max_uploads_per_day: int = Field(default=30, ge=1, le=1000)
    protected_activities: tuple[str, ...] = ()
    """Shipped activity ids a server can't replace with its own file of the same id."""


class Settings(_Section):
    """Everything the bot needs to start; passed explicitly, never a global."""

    database_path: Path = Path("data/chorus.db")
    database_url: str | None = None
    """`sqlite:///path/to/file.db` or `postgresql://user@host:5432/dbname`; unset: the SQLite
    file at `database_path` (so the default is sqlite:///data/chorus.db)."""
    activities_dirs: tuple[Path, ...] = (Path("activities"),)
    media_dir: Path = Path("data/media")
    health_file: Path = Path("data/health.json")
    """Kept fresh by the running bot while its gateway is connected; read by `chorus health`."""
    facilitator_roles: tuple[str, ...] = ("Facilitator",)
    dev_guild_id: int | None = None
    timezone: str = "UTC"
    language: str = Field(default="en", pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["human", "json"] = "human"
    board_edit_interval: float = Field(default=2.0, ge=0, le=60)
    upload_max_mb: int = Field(default=25, ge=1, le=500)
    discord: DiscordSettings = DiscordSettings()
    checkins: CheckinSettings = CheckinSettings()
    servers: ServerLimits = ServerLimits()
    token: SecretStr | None = Field(default=None, exclude=True)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown timezone {value!r} (use an IANA name such as Europe/Berlin)"
            ) from exc
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_path")
    @classmethod
    def _usable_file(cls, value: Path) -> Path:
        if str(value).strip() in ("", ".") or value.is_dir():
            raise ValueError(f"{value!s} is a folder, not a database file path")
        return value

    @field_validator("database_url")
    @classmethod
    def _known_engine(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if value.startswith(("postgresql://", "postgres://")):
            return value
        if value.startswith("sqlite:///") and value.rstrip("/") != "sqlite:":
            return value
        raise ValueError("expected sqlite:///path/to/file.db or postgresql://user@host:5432/dbname")

    @property
    def database(self) -> str:
        """Where the data lives, as a URL: `database_url`, else the SQLite `database_path`."""
        return self.database_url or f"sqlite:///{self.database_path}"

    @field_validator("media_dir")
    @classmethod
    def _usable_folder(cls, value: Path) -> Path:
        if str(value).strip() in ("", ".") or (value.exists() and not value.is_dir()):
            raise ValueError(f"{value!s} is not a folder")
        return value


def _env_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    """Map CHORUS_<KEY> and CHORUS_<SECTION>_<KEY> onto the settings tree."""
    overrides: dict[str, Any] = {}
    sections = {
        name: field.annotation
        for name, field in Settings.model_fields.items()
        if isinstance(field.annotation, type) and issubclass(field.annotation, _Section)
    }
    for raw_key, value in environ.items():
        if not raw_key.startswith(ENV_PREFIX) or raw_key in NOT_SETTINGS:
            continue
        key = raw_key[len(ENV_PREFIX) :].lower()
        for section, model in sections.items():
            field = key[len(section) + 1 :]
            if key.startswith(section + "_") and field in model.model_fields:
                listed = "tuple" in str(model.model_fields[field].annotation)
                overrides.setdefault(section, {})[field] = _listed(value) if listed else value
                break
        else:
            if key in Settings.model_fields and key not in sections and key != "token":
                annotation = str(Settings.model_fields[key].annotation)
                overrides[key] = _listed(value) if "tuple" in annotation else value
            else:
                raise SettingsError(f"environment: {raw_key}: unknown setting")
    return overrides


def _listed(value: str) -> list[str]:
    """A comma-separated list: `"Lead, Therapist"` -> `["Lead", "Therapist"]` (no stray spaces,
    no empty items), so a role written after ", " still matches."""
    return [item.strip() for item in value.split(",") if item.strip()]


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


_MESSAGES = {
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "bool_parsing": "expected true or false",
    "bool_type": "expected true or false",
    "string_type": "expected text",
    "literal_error": "expected one of {expected}",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "string_too_short": "must not be empty",
    "string_too_long": "must be at most {max_length} characters",
    "string_pattern_mismatch": "is not in the expected form",
    "tuple_type": "expected a list",
    "list_type": "expected a list",
    "model_type": "expected a mapping of settings",
    "dict_type": "expected a mapping of settings",
}
"""Our words for pydantic's error types (its own sentences change between releases)."""


def _describe(error: Any) -> tuple[str, str]:
    loc = ".".join(str(part) for part in error["loc"])
    kind = str(error["type"])
    if kind == "extra_forbidden":
        message = "unknown key"
        if loc == "token":
            message = "the token is read from the DISCORD_TOKEN environment variable only"
        return loc, message
    if kind in ("value_error", "assertion_error"):
        return loc, str((error.get("ctx") or {}).get("error", "is not valid"))
    template = _MESSAGES.get(kind, f"is not valid ({kind.replace('_', ' ')})")
    ctx = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    if "expected" in ctx:  # pydantic's "'a', 'b' or 'c'" -> "a, b, c"
        ctx["expected"] = ", ".join(re.findall(r"'([^']*)'", ctx["expected"])) or ctx["expected"]
    try:
        message = template.format(**ctx)
    except (KeyError, IndexError):
        message = template.split(" {", 1)[0]
    got = error.get("input")
    if isinstance(got, str | int | float) and not isinstance(got, bool):
        message += f"; got {str(got)[:60]!r}"
    return loc, message


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
    environ_keys = _env_overrides({k: v for k, v in environ.items() if k != "CHORUS_CONFIG"})
    merged = _merge(data, environ_keys)
    token = environ.get("DISCORD_TOKEN")
    try:
        settings = Settings.model_validate(merged)
    except ValidationError as exc:
        loc, message = _describe(exc.errors()[0])
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
