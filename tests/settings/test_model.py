"""The settings model: every key documented in the shipped config with its default; paths that
can't be a database file or a media folder refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.settings.loading import load_settings
from bot.settings.model import Settings
from bot.settings.problems import SettingsError

ROOT = Path(__file__).resolve().parents[2]


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


def test_existing_media_folder_is_fine_but_a_file_is_not(tmp_path: Path) -> None:
    (tmp_path / "media").mkdir()
    assert load_settings(tmp_path / "none.yaml", {"CHORUS_MEDIA_DIR": str(tmp_path / "media")})
    (tmp_path / "file").write_text("x")
    with pytest.raises(SettingsError, match=r"media_dir: .* is not a folder"):
        load_settings(tmp_path / "none.yaml", {"CHORUS_MEDIA_DIR": str(tmp_path / "file")})
    with pytest.raises(SettingsError, match="is a folder, not a database file path"):
        load_settings(tmp_path / "none.yaml", {"CHORUS_DATABASE_PATH": str(tmp_path / "media")})
