"""`netvault capture`: the sources come from the user's own config, never from the vault."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from conftest import Vault

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def user_config(user_dirs: Path, text: str) -> Path:
    path = user_dirs / "xdg_config_home" / "netvault" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_capture_runs_every_source_of_the_users_config(
    activity_vault: Vault, user_dirs: Path, tmp_path: Path, local_zone: Callable[[str], None]
) -> None:
    local_zone("UTC")
    calendar = tmp_path / "work.ics"
    shutil.copy(FIXTURES / "calendar" / "mixed.ics", calendar)
    user_config(
        user_dirs,
        f'[capture]\ncalendars = ["{calendar}"]\n'
        f'mailboxes = ["{FIXTURES / "mail" / "sample.mbox"}"]\nsince = "2026-11-01"\n',
    )
    data = activity_vault.json("capture")
    assert [(s["kind"], s["since"]) for s in data["sources"]] == [
        ("calendar", "2026-11-01"),
        ("mail", "2026-11-01"),
    ]
    assert data["sources"][0]["interactions"]["logged"] == 7
    assert data["sources"][1]["interactions"]["logged"] == 5
    assert data["problems"] == []
    before = activity_vault.snapshot()
    again = activity_vault.run("capture")
    assert again.exit_code == 0, again.output
    assert activity_vault.snapshot() == before
    assert again.stdout.split("\n\n")[0].splitlines()[0] == f"== calendar {calendar}"
    assert "7 interactions: 0 logged in 0 notes, 7 already logged" in again.stdout
    assert "5 e-mail days: 0 logged in 0 notes, 5 already logged" in again.stdout


def test_a_vault_cannot_choose_what_capture_reads(activity_vault: Vault, user_dirs: Path) -> None:
    mailbox = FIXTURES / "mail" / "sample.mbox"
    activity_vault.write(
        ".netvault.toml",
        '[owner]\nemail = "sam.rivera@example.org"\n'
        f'[capture]\nmailboxes = ["{mailbox}"]\n',
    )
    before = activity_vault.snapshot()
    result = activity_vault.run("capture")
    assert result.exit_code == 1
    assert "nothing to capture: list calendars and mailboxes under [capture] in" in result.output
    assert activity_vault.snapshot() == before


def test_a_missing_source_is_reported_and_the_others_still_run(
    activity_vault: Vault, user_dirs: Path, tmp_path: Path
) -> None:
    user_config(
        user_dirs,
        f'[capture]\ncalendars = ["{tmp_path / "gone.ics"}"]\n'
        f'mailboxes = ["{FIXTURES / "mail" / "sample.mbox"}"]\n',
    )
    result = activity_vault.run("capture")
    assert result.exit_code == 1
    assert "Problems:\n  " in result.stdout and "gone.ics: cannot read it" in result.stdout
    assert "6 e-mail days: 6 logged in 3 notes" in result.stdout


def test_a_bad_capture_table_is_a_usage_error(activity_vault: Vault, user_dirs: Path) -> None:
    user_config(user_dirs, "[capture]\nmailboxes = 3\n")
    result = activity_vault.run("capture")
    assert result.exit_code == 2
    assert "[capture] mailboxes must be a list of paths" in result.output
