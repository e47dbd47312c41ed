"""The settings model: everything the bot needs to start, with each value's type, default and
bounds (`config/chorus.yaml` documents every key)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator

from bot.settings.base import Section
from bot.settings.checkins import CheckinSettings
from bot.settings.gateway import DiscordSettings
from bot.settings.servers import ServerLimits


class Settings(Section):
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
