"""Loading the settings: the file, the environment over it, one-line errors naming the key and its
source, the token from DISCORD_TOKEN only."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings.loading import load_settings
from bot.settings.problems import SettingsError


def test_environment_overrides_file(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("log_level: INFO\nfacilitator_roles: [Lead]\n")
    settings = load_settings(
        config,
        {
            "CHORUS_LOG_LEVEL": "debug",
            "CHORUS_FACILITATOR_ROLES": "Facilitator,Therapist",
            "CHORUS_DISCORD_API_BASE": "http://127.0.0.1:8080/api/v10",
            "CHORUS_DEV_GUILD_ID": "123",
            "DISCORD_TOKEN": "abc.def",
        },
    )
    assert settings.log_level == "DEBUG"
    assert settings.facilitator_roles == ("Facilitator", "Therapist")
    assert settings.discord.api_base == "http://127.0.0.1:8080/api/v10"
    assert settings.dev_guild_id == 123
    assert settings.token is not None and settings.token.get_secret_value() == "abc.def"
    assert "abc.def" not in repr(settings) and "abc.def" not in str(settings.model_dump())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("databse_path: x.db\n", "databse_path: unknown key"),
        ("dev_guild_id: lots\n", "dev_guild_id:"),
        ("timezone: Mars/Base\n", "timezone: unknown timezone 'Mars/Base'"),
        ("checkins:\n  retention_days: -1\n", "checkins.retention_days:"),
        (
            "token: abc\n",
            "token: the token is read from the DISCORD_TOKEN environment variable only",
        ),
        ("database_path: ''\n", "database_path:"),
        ("log_level: [1\n", "not valid YAML"),
    ],
)
def test_bad_settings_fail_with_one_line_naming_key_and_file(
    tmp_path: Path, text: str, expected: str
) -> None:
    config = tmp_path / "chorus.yaml"
    config.write_text(text)
    with pytest.raises(SettingsError) as info:
        load_settings(config, {})
    message = str(info.value)
    assert "\n" not in message
    assert str(config) in message
    assert expected in message
