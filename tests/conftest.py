"""Shared fixtures: throwaway vaults on disk and a CLI runner with today fixed."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from netvault.cli import cli

TODAY = "2026-11-25"


class Vault:
    """A real vault folder in tmp_path, with helpers to write notes and run commands."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / ".obsidian").mkdir(parents=True, exist_ok=True)

    def write(self, relpath: str, text: str | bytes) -> Path:
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_bytes(text.encode("utf-8"))
        return path

    def run(self, *args: str, today: str = TODAY, **env: str) -> Result:
        return CliRunner().invoke(
            cli, ["--vault", str(self.root), *args], env={"NETVAULT_TODAY": today, **env}
        )

    def json(self, *args: str, today: str = TODAY) -> Any:
        result = self.run(*args, "--json", today=today)
        assert result.exit_code in (0, 1), result.output
        return json.loads(result.stdout)

    def snapshot(self) -> dict[str, bytes]:
        return {
            str(p.relative_to(self.root)): p.read_bytes()
            for p in sorted(self.root.rglob("*"))
            if p.is_file()
        }


@pytest.fixture(autouse=True)
def user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own XDG config, cache and state folders: no test reads or writes
    the real user's, and none sees another test's index or settings."""
    base = tmp_path_factory.mktemp("xdg")
    for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        folder = base / variable.lower()
        folder.mkdir()
        monkeypatch.setenv(variable, str(folder))
    return base


@pytest.fixture(autouse=True)
def screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """An 80 x 24 screen, whatever terminal runs the tests: text output fitted to the screen
    (`due`, `today`, `summary` ...) is the same everywhere. A test sets its own in `env`."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "24")


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return Vault(tmp_path / "vault")


@pytest.fixture
def make_vault(tmp_path: Path) -> Callable[[str], Vault]:
    return lambda name: Vault(tmp_path / name)


# ---- calendar and mail imports ------------------------------------------------------------

ACTIVITY_OWNER = "sam.rivera@example.org"

ACTIVITY_NOTES = {
    ".netvault.toml": f'[owner]\nname = "Sam Rivera"\nemail = "{ACTIVITY_OWNER}"\n',
    "people/Ada Okafor.md": (
        "---\n"
        "name: Ada Okafor\n"
        "tie: 4\n"
        "first_met: 2020-01-15\n"
        "last_met: 2026-09-01\n"
        "email: ada.okafor@example.com\n"
        "---\n"
        "# Ada Okafor\n"
        "\n"
        "## Log\n"
        "- 2026-09-01 (call) catch-up\n"
        "\n"
        "## Follow-ups\n"
        "- [ ] send Ada the write-up\n"
    ),
    "people/Ben Carter.md": (
        "---\n"
        "name: Ben Carter\n"
        "tie: 3\n"
        "first_met: 2019-05-02\n"
        "last_met: 2026-11-20\n"
        "met_in_person: true\n"
        "email: [ben@carter.example, ben.carter@work.example]\n"
        "---\n"
        "## Log\n"
        "- 2026-11-20 (in person) drinks\n"
    ),
    "people/Marcus Bell.md": (
        "---\n"
        "name: Marcus Bell\n"
        "aliases: [Marc]\n"
        "tie: 5\n"
        "email: marcus.bell@gmail.com\n"
        "---\n"
        "Flatmate at Leeds.\n"
    ),
    "people/Karim Haddad.md": "---\nname: Karim Haddad\ntie: 2\n---\nMet at PyData.\n",
}


@pytest.fixture
def activity_vault(vault: Vault) -> Vault:
    """Four people, three with e-mail addresses (two for Ben), and your own address."""
    for relpath, text in ACTIVITY_NOTES.items():
        vault.write(relpath, text)
    return vault


@pytest.fixture
def local_zone() -> Iterator[Callable[[str], None]]:
    """Set the machine's time zone (TZ) for this test; the old one comes back after it."""
    before = os.environ.get("TZ")

    def use(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield use
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()
