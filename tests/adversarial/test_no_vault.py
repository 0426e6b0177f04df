"""Issue 11, item 12: outside a vault netvault does not take the current folder for one.

With no `.netvault.toml` and no `.obsidian/` in the folder or above it, and no --vault or
NETVAULT_VAULT, every command but `init` exits 2 saying so and writes nothing; the file
system's root and the home folder itself are vaults only when named explicitly.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from netvault.cli import COMMANDS, cli
from netvault.errors import UsageProblem
from netvault.vaultfs import find_vault

# One invocation per command that would otherwise act on the current folder.
INVOCATIONS = {
    "add": ["add", "Ada Okafor"],
    "show": ["show", "Ada"],
    "list": ["list"],
    "search": ["search", "ada"],
    "check": ["check"],
    "summary": ["summary"],
    "log": ["log", "Ada", "coffee"],
    "due": ["due"],
    "oaks": ["oaks"],
    "unmet": ["unmet"],
    "todo": ["todo"],
    "favors": ["favors"],
    "today": ["today"],
    "graph": ["graph"],
    "watch": ["watch"],
    "report": ["report"],
    "path": ["path", "Acme"],
    "import": ["import", "vcard", "{card}"],
    "export": ["export", "json"],
    "remind": ["remind", "--ics", "{out}"],
    "history": ["history"],
    "merge": ["merge", "Ada", "Ben"],
    "intro": ["intro", "Ada", "Ben", "--why", "x"],
    "intros": ["intros"],
    "intro-update": ["intro-update", "x", "--a", "yes"],
    "suggest": ["suggest"],
    "hub": ["hub"],
    "brief": ["brief", "Ada"],
    "capture": ["capture"],
    "edit": ["edit", "Ada"],
    "set": ["set", "Ada", "tie=3"],
    "team": ["team", "pull"],
}
# `init` makes a vault; `completion` prints a shell script and reads no vault.
NEEDS_NO_VAULT = {"init", "completion"}


def test_every_command_but_init_is_listed_here() -> None:
    assert set(INVOCATIONS) == set(COMMANDS) - NEEDS_NO_VAULT


@pytest.mark.parametrize("command", list(INVOCATIONS.values()), ids=list(INVOCATIONS))
def test_outside_a_vault_every_command_exits_2_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    card = tmp_path / "card.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nEND:VCARD\r\n", encoding="utf-8")
    monkeypatch.chdir(empty)
    monkeypatch.delenv("NETVAULT_VAULT", raising=False)
    args = [arg.format(card=card, out=empty / "r.ics") for arg in command]
    result = CliRunner().invoke(cli, args, env={"NETVAULT_TODAY": "2026-11-25"})
    assert result.exit_code == 2, result.output
    assert "no vault found in" in result.output
    assert "netvault init" in result.output
    assert list(empty.iterdir()) == []


def test_init_still_makes_a_vault_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / ".netvault.toml").is_file()
    listed = CliRunner().invoke(cli, ["list"], env={"NETVAULT_TODAY": "2026-11-25"})
    assert listed.exit_code == 0, listed.output


def test_the_home_folder_is_never_found_as_a_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / ".obsidian").mkdir(parents=True)  # Obsidian's own settings, not a vault
    (home / "Downloads").mkdir()
    monkeypatch.setenv("HOME", str(home))
    with pytest.raises(UsageProblem, match="no vault found"):
        find_vault(home / "Downloads")
    with pytest.raises(UsageProblem, match="no vault found"):
        find_vault(home)
    (home / "Notes" / ".obsidian").mkdir(parents=True)
    assert find_vault(home / "Notes") == (home / "Notes").resolve()
    named = CliRunner().invoke(cli, ["--vault", str(home), "list"])
    assert named.exit_code == 0, named.output


def test_the_file_system_root_is_never_found_as_a_vault() -> None:
    if (Path("/") / ".obsidian").is_dir() or (Path("/") / ".netvault.toml").is_file():
        pytest.skip("this machine's / looks like a vault")
    with pytest.raises(UsageProblem, match="no vault found"):
        find_vault(Path("/"))
