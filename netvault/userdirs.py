"""The user's own folders outside any vault: config, cache and state (XDG base directories).

A vault is input from a stranger (it arrives by `git clone` or a synced folder), so whatever
decides where netvault sends or reads data beyond the vault (a team remote, a mailbox, a
calendar) lives here, in `$XDG_CONFIG_HOME/netvault/config.toml`, never in `.netvault.toml`.
Machine state that belongs to one vault (its index, the last calendar import) lives in a
folder named by a digest of the vault's real path, so a vault never carries it.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import NetvaultError

APP = "netvault"
CONFIG_FILE = "config.toml"


class UserConfigError(NetvaultError):
    """The user's own config file cannot be read or written."""


def _base(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable, "")
    # The XDG spec: a relative path in these variables is invalid and must be ignored.
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / fallback


def config_dir() -> Path:
    return _base("XDG_CONFIG_HOME", ".config") / APP


def cache_dir() -> Path:
    return _base("XDG_CACHE_HOME", ".cache") / APP


def state_dir() -> Path:
    return _base("XDG_STATE_HOME", ".local/state") / APP


def vault_key(root: Path) -> str:
    """A stable folder name for one vault: a digest of its real path."""
    real = os.path.realpath(root)
    return hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:24]


def vault_cache_dir(root: Path) -> Path:
    """Disposable per-vault data (the index): may be deleted at any time."""
    return cache_dir() / vault_key(root)


def vault_state_dir(root: Path) -> Path:
    """Per-vault machine state worth keeping between runs (e.g. the last calendar import)."""
    return state_dir() / vault_key(root)


def config_path() -> Path:
    return config_dir() / CONFIG_FILE


def load_user_config() -> dict[str, Any]:
    """The user's own settings; an absent file is an empty config."""
    path = config_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise UserConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UserConfigError(f"{path}: not valid TOML ({exc})") from None


def update_user_config(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """Apply `change` to the user's config and save it atomically (mode 0600: it may name
    remotes and mailboxes). Returns the saved config."""
    import tomli_w

    from .write import Replace, Target, write_file

    config = load_user_config()
    change(config)
    write_file(
        Target.user_file(config_path()),
        tomli_w.dumps(config).encode("utf-8"),
        replace=Replace.STATE,
    )
    return config
