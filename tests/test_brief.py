"""`netvault brief NAME`: goldens on sample-vault, follow-ups both ways, people you both know,
and what changed since you last met (from git).

Refresh the goldens after an intended change with `make goldens`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY, Vault

from netvault.cli import cli

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("NETVAULT_UPDATE_GOLDENS"):
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden {path}; create it with `make goldens`"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs from its golden; if intended, run `make goldens`"
    )


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    copy = tmp_path / "sample-vault"
    shutil.copytree(ROOT / "sample-vault", copy)
    return copy


def run(vault: Path, *args: str) -> str:
    result = CliRunner().invoke(
        cli, ["--vault", str(vault), *args], env={"NETVAULT_TODAY": TODAY}
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_brief_golden_on_sample_vault(sample: Path) -> None:
    before = {p: p.read_bytes() for p in sample.rglob("*") if p.is_file()}
    check_golden("brief-ada.txt", run(sample, "brief", "Ada Okafor"))
    check_golden("brief-ada.json", run(sample, "brief", "Ada Okafor", "--json"))
    check_golden("brief-dana.txt", run(sample, "brief", "Dana Lee"))
    after = {p: p.read_bytes() for p in sample.rglob("*") if p.is_file()}
    assert {p: b for p, b in after.items() if ".netvault" not in p.parts} == before


def test_follow_ups_both_ways_and_people_you_both_know(vault: Vault) -> None:
    vault.write(
        "people/Ada Okafor.md",
        "---\nname: Ada Okafor\ntie: 4\ncompany: Contoso\nlast_met: 2026-10-01\n"
        'introduced_by: "[[Helen Park]]"\n---\n'
        "## Log\n"
        "- 2026-10-01 (in person) lunch with [[Ben Carter]] %% ical:abc %%\n"
        "- 2026-11-02 (email) e-mail from them\n"
        "- [ ] send Ada the deck 📅 2026-11-20\n"
        "- [ ] waiting for Ada's feedback on the draft\n"
        "- [ ] her intro to Globex #waiting\n",
    )
    vault.write("people/Ben Carter.md", "---\nname: Ben Carter\ntie: 3\n---\n")
    vault.write("people/Helen Park.md", "---\nname: Helen Park\ntie: 5\n---\n")
    vault.write("people/Omar Reyes.md", "---\nname: Omar Reyes\ncompany: contoso\n---\n")
    vault.write("daily/2026-11-10.md", "Dinner with [[Ada Okafor]] and [[Omar Reyes]].\n")
    data = json.loads(run(vault.root, "brief", "Ada Okafor", "--json"))
    assert [t["text"] for t in data["you_owe"]] == ["send Ada the deck"]
    assert [t["text"] for t in data["they_owe"]] == [
        "waiting for Ada's feedback on the draft",
        "her intro to Globex #waiting",
    ]
    assert [(p["name"], p["reasons"]) for p in data["people_you_both_know"]] == [
        ("Helen Park", ["introduced you", "in their note"]),
        ("Ben Carter", ["in your log (2026-10-01)", "in their note"]),
        ("Omar Reyes", ["mentioned with them in [[2026-11-10]]", "also at contoso"]),
    ]
    # The calendar key is an Obsidian comment: hidden in the brief as in Obsidian.
    assert data["last_interactions"][-1]["text"] == "lunch with [[Ben Carter]]"
    since = data["since_last_met"]
    assert since["last_met"] == "2026-10-01"
    assert [(i["date"], i["text"]) for i in since["interactions"]] == [
        ("2026-11-10", "mentioned in [[2026-11-10]]"),
        ("2026-11-02", "e-mail from them"),
    ]
    text = run(vault.root, "brief", "Ada Okafor")
    assert "  [ ] send Ada the deck (due 2026-11-20, 5 days overdue)\n" in text
    assert "They owe you:\n  [ ] waiting for Ada's feedback on the draft\n" in text


def _git(vault: Path, *args: str, day: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if day:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day}T12:00:00+00:00"
    subprocess.run(["git", *args], cwd=vault, env=env, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_what_changed_since_you_last_met_comes_from_git(vault: Vault) -> None:
    note = "---\nname: Ada Okafor\ncompany: Acme\nrole: Engineer\nlocation: Berlin\n---\n"
    vault.write("people/Ada Okafor.md", note + "## Log\n- 2026-09-01 (video) catch-up\n")
    _git(vault.root, "init", "-q")
    _git(vault.root, "add", "-A")
    _git(vault.root, "commit", "-qm", "Ada", day="2026-09-01")
    moved = note.replace("Acme", "Globex").replace("location: Berlin\n", "")
    vault.write("people/Ada Okafor.md", moved + "## Log\n- 2026-09-01 (video) catch-up\n")
    _git(vault.root, "commit", "-qam", "Ada moved", day="2026-10-20")
    data = json.loads(run(vault.root, "brief", "Ada Okafor", "--json"))
    assert data["since_last_met"]["changes"] == [
        {"key": "company", "before": "Acme", "after": "Globex"},
        {"key": "location", "before": "Berlin", "after": None},
    ]
    text = run(vault.root, "brief", "Ada Okafor")
    assert text.endswith(
        "Since you last met (2026-09-01, 3 months ago):\n"
        "  company: Acme -> Globex\n"
        "  location: Berlin -> -\n"
    )


def test_brief_of_nobody_is_a_clear_error(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", "---\nname: Ada Okafor\n---\n")
    result = vault.run("brief", "Zed")
    assert result.exit_code == 1
    assert "no contact named 'Zed'" in result.output
