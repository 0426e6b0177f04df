"""`netvault report` from the command line: where it writes, --json, --out, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from netvault.cli import cli

TODAY = "2026-11-25"


def write_note(vault: Path, relpath: str, text: str) -> Path:
    path = vault / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def report(vault: Path, *args: str) -> Result:
    return CliRunner().invoke(
        cli, ["--vault", str(vault), "report", *args], env={"NETVAULT_TODAY": TODAY}
    )


def files(vault: Path) -> list[str]:
    return sorted(str(p.relative_to(vault)) for p in vault.rglob("*") if p.is_file())


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    (root / ".obsidian").mkdir(parents=True)
    write_note(root, "people/Ada Okafor.md",
               "---\ntie: 5\nlast_met: 2026-09-01\nemail: ada@example.com\n---\n"
               "- [ ] send the write-up 📅 2026-11-20\n")
    write_note(root, "people/Ben Carter.md", "---\ntie: 3\nlast_met: 2026-11-01\n---\n")
    return root


def test_default_writes_the_markdown_note_and_the_state(vault: Path) -> None:
    result = report(vault)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Wrote Reports/Network.md: 2 contacts, 1 due, 1 follow-ups overdue, first report.\n"
    )
    assert files(vault) == [
        ".netvault/.gitignore", ".netvault/lock", ".netvault/report-state.json",
        "Reports/Network.md",
        "people/Ada Okafor.md", "people/Ben Carter.md",
    ]
    text = (vault / "Reports/Network.md").read_text(encoding="utf-8")
    assert "- [[Ada Okafor]] · tie 5 oak · **8 weeks overdue**" in text
    assert "ada@example.com" not in text
    again = report(vault)
    assert again.stdout.endswith("0 changes since the last report.\n")


def test_configured_report_path(vault: Path) -> None:
    write_note(vault, ".netvault.toml", '[report]\npath = "Meta/Health.md"\n')
    assert report(vault).exit_code == 0
    assert (vault / "Meta/Health.md").is_file()
    assert report(vault, "--format", "html").stdout.startswith("Wrote Meta/Health.html: ")
    assert (vault / "Meta/Health.html").read_text(encoding="utf-8").startswith("<!doctype html>")


def test_out_writes_where_the_user_says(vault: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "health.html"
    result = report(vault, "--format", "html", "--out", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Wrote {target}: 2 contacts")
    assert "<svg class=\"rings\"" in target.read_text(encoding="utf-8")
    assert not (vault / "Reports").exists()


def test_json_prints_the_data_and_writes_nothing(vault: Path) -> None:
    before = files(vault)
    result = report(vault, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert files(vault) == before
    assert set(data) == {
        "today", "owner", "counts", "due", "moves", "oaks", "unmet", "follow_ups",
        "favours_owed", "intros", "changes", "graph_min_tie",
    }
    assert data["today"] == TODAY
    assert data["counts"]["by_tie"] == {"5": 1, "4": 0, "3": 1, "2": 0, "1": 0}
    assert [(d["name"], d["days_overdue"], d["last_contact"]) for d in data["due"]["shown"]] == [
        ("Ada Okafor", 55, "2026-09-01")
    ]
    assert data["follow_ups"]["shown"][0] == {
        "text": "send the write-up", "due": "2026-11-20", "days_overdue": 5,
        "people": ["Ada Okafor"], "path": "people/Ada Okafor.md", "line": 6,
    }
    assert "ada@example.com" not in result.stdout


def test_usage_errors(vault: Path) -> None:
    assert report(vault, "--format", "pdf").exit_code == 2
    mixed = report(vault, "--json", "--out", "x.md")
    assert mixed.exit_code == 2 and "--json" in mixed.output


def test_a_broken_vault_template_is_a_clear_error(vault: Path) -> None:
    write_note(vault, ".netvault/templates/report.md.j2", "{{ report.nonsense }}\n")
    result = report(vault)
    assert result.exit_code == 1
    assert "the report template failed" in result.output and "nonsense" in result.output
    assert "Traceback" not in result.output
    assert not (vault / "Reports").exists()
    assert not (vault / ".netvault/report-state.json").exists()


def test_unwritable_targets_are_clear_errors(vault: Path, tmp_path: Path) -> None:
    (tmp_path / "a-folder.md").mkdir()
    folder = report(vault, "--out", str(tmp_path / "a-folder.md"))
    assert folder.exit_code == 2 and "is a directory" in folder.output
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    blocked = report(vault, "--out", str(tmp_path / "a-file" / "r.md"))
    assert blocked.exit_code == 1, blocked.output
    assert blocked.output == (
        f"Error: {tmp_path / 'a-file' / 'r.md'}: {tmp_path / 'a-file'} is not a folder; "
        "nothing written\n"
    )
    assert not (vault / ".netvault/report-state.json").exists()
