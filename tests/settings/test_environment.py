"""CHORUS_* variables: each names a setting (or a section's), lists split at commas."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings.environment import env_overrides
from bot.settings.loading import load_settings
from bot.settings.problems import SettingsError


def test_bad_environment_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="environment CHORUS_DEV_GUILD_ID: dev_guild_id"):
        load_settings(tmp_path / "none.yaml", {"CHORUS_DEV_GUILD_ID": "soon"})
    with pytest.raises(SettingsError, match="CHORUS_NOPE: unknown setting"):
        load_settings(tmp_path / "none.yaml", {"CHORUS_NOPE": "1"})


def test_comma_separated_lists_are_stripped(tmp_path: Path) -> None:
    """`"Lead, Therapist"` is the roles Lead and Therapist (not `' Therapist'`, which never
    matches a role); the same for lists inside a section."""
    settings = load_settings(
        tmp_path / "absent.yaml",
        {
            "CHORUS_FACILITATOR_ROLES": "Lead, Therapist , ,Peer leader",
            "CHORUS_SERVERS_PROTECTED_ACTIVITIES": "sixty-minute-session, lyric-circle",
        },
    )
    assert settings.facilitator_roles == ("Lead", "Therapist", "Peer leader")
    assert settings.servers.protected_activities == ("sixty-minute-session", "lyric-circle")


def test_variables_map_onto_the_settings_tree_and_tooling_variables_are_passed_over() -> None:
    overrides = env_overrides(
        {
            "CHORUS_LOG_LEVEL": "debug",
            "CHORUS_DISCORD_SHARD_COUNT": "6",
            "CHORUS_CHECKINS_RETENTION_DAYS": "30",
            "CHORUS_ACTIVITIES_DIRS": "activities, more",
            "CHORUS_REQUIRE_POSTGRES": "1",
            "HOME": "/root",
        }
    )
    assert overrides == {
        "log_level": "debug",
        "discord": {"shard_count": "6"},
        "checkins": {"retention_days": "30"},
        "activities_dirs": ["activities", "more"],
    }
    with pytest.raises(SettingsError, match="environment: CHORUS_TOKEN: unknown setting"):
        env_overrides({"CHORUS_TOKEN": "abc"})
