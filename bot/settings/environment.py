"""`CHORUS_*` environment variables as overrides of the settings file's values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.settings.base import Section
from bot.settings.model import Settings
from bot.settings.problems import SettingsError

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


def env_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    """CHORUS_<KEY> and CHORUS_<SECTION>_<KEY> mapped onto the settings tree, as the nested
    plain data `Settings.model_validate` takes (lists split at commas). Variables without the
    prefix and those in `NOT_SETTINGS` are passed over; `DISCORD_TOKEN` is read by the loader.
    Raises SettingsError naming a `CHORUS_*` variable that is no setting."""
    overrides: dict[str, Any] = {}
    sections = {
        name: field.annotation
        for name, field in Settings.model_fields.items()
        if isinstance(field.annotation, type) and issubclass(field.annotation, Section)
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
