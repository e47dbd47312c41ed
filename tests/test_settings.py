"""Settings: documented defaults, environment overrides, one-line errors, a secret token."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.settings import Settings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_config_documents_every_key_with_its_default() -> None:
    data = yaml.safe_load((ROOT / "config" / "chorus.yaml").read_text())
    assert Settings.model_validate(data) == Settings()
    documented = set(data) | {
        f"{k}.{sub}" for k, v in data.items() if isinstance(v, dict) for sub in v
    }
    for name, field in Settings.model_fields.items():
        if name == "token":
            continue
        assert name in documented, f"config/chorus.yaml does not document {name}"
        sub = getattr(field.annotation, "model_fields", None)
        for child in sub or {}:
            assert f"{name}.{child}" in documented


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


def test_bad_environment_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="environment CHORUS_DEV_GUILD_ID: dev_guild_id"):
        load_settings(tmp_path / "none.yaml", {"CHORUS_DEV_GUILD_ID": "soon"})
    with pytest.raises(SettingsError, match="CHORUS_NOPE: unknown setting"):
        load_settings(tmp_path / "none.yaml", {"CHORUS_NOPE": "1"})


def test_existing_media_folder_is_fine_but_a_file_is_not(tmp_path: Path) -> None:
    (tmp_path / "media").mkdir()
    assert load_settings(tmp_path / "none.yaml", {"CHORUS_MEDIA_DIR": str(tmp_path / "media")})
    (tmp_path / "file").write_text("x")
    with pytest.raises(SettingsError, match=r"media_dir: .* is not a folder"):
        load_settings(tmp_path / "none.yaml", {"CHORUS_MEDIA_DIR": str(tmp_path / "file")})
    with pytest.raises(SettingsError, match="is a folder, not a database file path"):
        load_settings(tmp_path / "none.yaml", {"CHORUS_DATABASE_PATH": str(tmp_path / "media")})


def test_bad_values_are_described_in_our_words_not_pydantics() -> None:
    cases = {
        "CHORUS_BOARD_EDIT_INTERVAL": ("abc", "board_edit_interval: expected a number; got 'abc'"),
        "CHORUS_LOG_LEVEL": ("LOUD", "log_level: expected one of DEBUG, INFO, WARNING, ERROR"),
        "CHORUS_CHECKINS_LOW_SCORE_MAX": ("20", "checkins.low_score_max: must be at most 10"),
    }
    for key, (value, expected) in cases.items():
        with pytest.raises(SettingsError) as caught:
            load_settings(environ={key: value})
        assert f"environment {key}: {expected}" in str(caught.value)
        assert "Input should be" not in str(caught.value)


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
