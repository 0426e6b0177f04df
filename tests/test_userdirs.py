"""The user's own folders: XDG variables honoured, per-vault folders stable, config atomic."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest

from netvault import userdirs


def test_folders_follow_xdg_variables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "c"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "k"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "s"))
    assert userdirs.config_path() == tmp_path / "c" / "netvault" / "config.toml"
    assert userdirs.cache_dir() == tmp_path / "k" / "netvault"
    assert userdirs.state_dir() == tmp_path / "s" / "netvault"


def test_relative_xdg_value_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert userdirs.cache_dir() == tmp_path / ".cache" / "netvault"


def test_vault_folder_is_by_real_path(tmp_path: Path) -> None:
    real = tmp_path / "vault"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    assert userdirs.vault_cache_dir(link) == userdirs.vault_cache_dir(real)
    other = tmp_path / "other"
    other.mkdir()
    assert userdirs.vault_cache_dir(other) != userdirs.vault_cache_dir(real)
    assert userdirs.vault_state_dir(real).name == userdirs.vault_cache_dir(real).name


def test_update_user_config_round_trips_and_is_private() -> None:
    assert userdirs.load_user_config() == {}
    userdirs.update_user_config(lambda c: c.setdefault("team", {}).update(remote="/srv/team.git"))
    userdirs.update_user_config(lambda c: c["team"].update(member_id="ab12"))
    path = userdirs.config_path()
    assert tomllib.loads(path.read_text()) == {
        "team": {"remote": "/srv/team.git", "member_id": "ab12"}
    }
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]


def test_broken_user_config_is_a_clear_error() -> None:
    path = userdirs.config_path()
    path.parent.mkdir(parents=True)
    path.write_text("team = [unclosed\n")
    with pytest.raises(userdirs.UserConfigError, match="not valid TOML"):
        userdirs.load_user_config()
