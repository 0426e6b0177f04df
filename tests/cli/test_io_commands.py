"""The import, export, remind, history and merge commands, end to end through the CLI."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from icalendar import Calendar

from netvault.cli import import_cmd

if TYPE_CHECKING:
    from conftest import Vault

FIXTURES = Path(__file__).parent.parent / "fixtures"

ADA = """---
name: Ada Okafor
tie: 5
last_met: 2026-09-01
company: Contoso Cloud
email: ada@example.org
phone: "+49 30 5550 1742"
consent:
  share-contact: yes
---
# Ada

## Follow-ups
- [ ] send Ada the benchmark 📅 2026-11-22
"""

BEN = """---
name: Ben Carter
aliases: [Benji]
tie: 4
email: ben@example.org
---
# Ben
"""


def copy_fixture(tmp_path: Path, relpath: str) -> Path:
    target = tmp_path / Path(relpath).name
    shutil.copyfile(FIXTURES / relpath, target)
    return target


# ---- import ------------------------------------------------------------------------------


def test_import_vcard_creates_notes_and_says_which(vault: Vault, tmp_path: Path) -> None:
    card = copy_fixture(tmp_path, "vcard/gmail-list.vcf")
    result = vault.run("import", "vcard", str(card))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Created:\n"
        "  people/Arnold Smith.md  (vcard:gmail-list.vcf)\n"
        "  people/Chris Beatle.md  (vcard:gmail-list.vcf)\n"
        "  people/Doug White.md  (vcard:gmail-list.vcf)\n"
        "3 records: 3 created (3 new notes), 0 updated, 0 unchanged, 0 changed, 0 conflicted, "
        "0 skipped; 0 problems\n"
    )
    again = vault.run("import", "vcard", str(card))
    assert again.exit_code == 0
    assert again.stdout == (
        "3 records: 0 created (0 new notes), 0 updated, 3 unchanged, 0 changed, 0 conflicted, "
        "0 skipped; 0 problems\n"
    )


def test_import_problems_are_file_line_message_and_exit_1(vault: Vault, tmp_path: Path) -> None:
    card = copy_fixture(tmp_path, "vcard/John_Doe_ANDROID.vcf")
    result = vault.run("import", "vcard", str(card))
    assert result.exit_code == 1
    problems = [line.strip() for line in result.stdout.splitlines() if "no name" in line]
    assert problems == [
        f"{card}:1: no name (it has john.doe@company.com); imported as "
        "people/Unnamed contact 1.md: give it a name there",
        f"{card}:6: no name (it has jane.doe@company.com); imported as "
        "people/Unnamed contact 2.md: give it a name there",
    ]
    assert len(list((vault.root / "people").iterdir())) == 6


def test_import_dry_run_json_matches_existing_people_and_writes_nothing(
    vault: Vault, tmp_path: Path
) -> None:
    vault.write(
        "people/Grace Hopper.md",
        "---\nname: Grace Hopper\ncompany: US Navy\nlocation: Arlington\n---\n",
    )
    before = vault.snapshot()
    csv_file = copy_fixture(tmp_path, "csv/Connections.csv")
    result = vault.run("import", "linkedin", str(csv_file), "--dry-run", "--json")
    assert result.exit_code == 1  # a bad date, and a hidden member without a name
    assert vault.snapshot() == before
    data = json.loads(result.stdout)
    assert data["dry_run"] is True and data["records"] == 9
    assert data["summary"] == {
        "created": 8, "updated": 1, "unchanged": 0, "changed": 0, "conflicted": 0,
        "skipped": 0, "notes_created": 8, "problems": 2,
    }  # fmt: skip
    assert [c["name"] for c in data["created"]][:2] == ["Ada Lovelace", "José Álvarez Núñez"]
    # No identifier on the note: the same name and the same company are the evidence.
    assert data["merged"] == [
        {
            "name": "Grace Hopper",
            "path": "people/Grace Hopper.md",
            "keys": ["email", "role", "links", "source"],
            "source": "linkedin:Connections.csv",
        }
    ]
    assert data["changes"] == [] and data["conflicts"] == []
    grace = next(o for o in data["outcomes"] if o["name"] == "Grace Hopper")
    assert grace["detail"] == "merged into people/Grace Hopper.md by name and company"
    assert [(p["line"], p["file"]) for p in data["problems"]] == [
        (12, str(csv_file)),
        (13, str(csv_file)),
    ]
    assert data["unchanged"] == []


def test_import_usage_errors_exit_2(vault: Vault, tmp_path: Path) -> None:
    card = copy_fixture(tmp_path, "vcard/gmail-list.vcf")
    assert vault.run("import", "outlook", str(card)).exit_code == 2
    assert vault.run("import", "vcard", str(tmp_path / "missing.vcf")).exit_code == 2
    assert vault.run("import", "vcard").exit_code == 2


def test_progress_bar_only_for_large_imports_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(import_cmd.sys, "stderr", screen)
    with import_cmd.progress_bar(200) as advance:
        assert advance is None
    with import_cmd.progress_bar(201) as advance:
        assert advance is not None
        advance(201)
    assert "Importing" in screen.getvalue() and "100%" in screen.getvalue()
    monkeypatch.setattr(import_cmd.sys, "stderr", io.StringIO())
    with import_cmd.progress_bar(5000) as advance:
        assert advance is None


# ---- export ------------------------------------------------------------------------------


def test_export_json_to_stdout_withholds_and_says_so(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", ADA)
    vault.write("people/Ben Carter.md", BEN)
    result = vault.run("export", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [(c["name"], c["email"]) for c in data["contacts"]] == [
        ("Ada Okafor", ["ada@example.org"]),
        ("Ben Carter", []),
    ]
    assert result.stderr == (
        "netvault: e-mail, phone, address and contact links left out for 1 person whose "
        "share-contact consent is not yes (--include-private for a backup).\n"
    )


def test_export_include_private_to_a_file(vault: Vault, tmp_path: Path) -> None:
    vault.write("people/Ada Okafor.md", ADA)
    vault.write("people/Ben Carter.md", BEN)
    out = tmp_path / "backup.vcf"
    result = vault.run("export", "vcard", "--out", str(out), "--include-private")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Exported 2 contacts to {out}",
        "netvault: --include-private: e-mail, phone and address of everyone are in this "
        "export, whatever their consent; keep it private.",
    ]
    text = out.read_bytes().decode("utf-8")
    assert "EMAIL;TYPE=INTERNET:ben@example.org\r\n" in text


def test_export_then_import_into_an_empty_vault(
    make_vault: Callable[[str], Vault], tmp_path: Path
) -> None:
    source, target = make_vault("source"), make_vault("target")
    source.write("people/Ada Okafor.md", ADA)
    source.write("people/Ben Carter.md", BEN)
    out = tmp_path / "all.csv"
    assert source.run("export", "csv", "--out", str(out), "--include-private").exit_code == 0
    assert target.run("import", "google", str(out)).exit_code == 0
    fields = ["name", "email", "phone", "company"]
    exported = json.loads(source.run("export", "json", "--include-private").stdout)["contacts"]
    imported = json.loads(target.run("export", "json", "--include-private").stdout)["contacts"]
    assert [{k: c[k] for k in fields} for c in imported] == [
        {k: c[k] for k in fields} for c in exported
    ]


# ---- remind ------------------------------------------------------------------------------


def test_remind_writes_an_ics_and_reports_it(vault: Vault, tmp_path: Path) -> None:
    vault.write("people/Ada Okafor.md", ADA)
    ics = tmp_path / "network.ics"
    result = vault.run("remind", "--ics", str(ics))
    assert result.exit_code == 0
    assert result.stdout == f"Wrote {ics}: 1 follow-up, 1 keep-in-touch reminder.\n"
    cal = Calendar.from_ical(ics.read_bytes())
    assert [str(c["SUMMARY"]) for c in cal.walk() if c.name in ("VTODO", "VEVENT")] == [
        "send Ada the benchmark",
        "Get in touch with Ada Okafor",
    ]
    data = json.loads(vault.run("remind", "--ics", str(ics), "--json").stdout)
    assert data["path"] == str(ics)
    assert [(t["date"], t["people"]) for t in data["todos"]] == [("2026-11-22", ["Ada Okafor"])]
    assert [(e["date"], e["summary"]) for e in data["events"]] == [
        ("2026-11-25", "Get in touch with Ada Okafor")
    ]
    assert vault.run("remind", "--ics", str(ics), "--within", "soon").exit_code == 2
    assert vault.run("remind").exit_code == 2


# ---- history -----------------------------------------------------------------------------


def test_history_outside_git_is_a_clear_error(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", ADA)
    result = vault.run("history")
    assert result.exit_code == 1
    assert "is not a git repository" in result.stderr
    assert "Traceback" not in result.output


def test_history_json_and_text(vault: Vault) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "Sam",
        "GIT_AUTHOR_EMAIL": "sam@example.org",
        "GIT_COMMITTER_NAME": "Sam",
        "GIT_COMMITTER_EMAIL": "sam@example.org",
    }

    def git(*args: str, when: str = "") -> None:
        dated = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else {}
        subprocess.run(
            ["git", *args], cwd=vault.root, env={**env, **dated}, check=True, capture_output=True
        )

    git("init", "-q")
    vault.write("people/Ada Okafor.md", ADA.replace("tie: 5", "tie: 4"))
    git("add", "-A")
    git("commit", "-qm", "one", when="2026-06-01T10:00:00+02:00")
    vault.write("people/Ada Okafor.md", ADA)
    vault.write("people/Ben Carter.md", BEN)
    git("add", "-A")
    git("commit", "-qm", "two", when="2026-10-02T10:00:00+02:00")
    data = vault.json("history", "--since", "90d")
    assert data["since"] == "2026-08-27" and data["commits"] == 1
    assert data["months"] == [
        {
            "month": "2026-10",
            "added": [
                {
                    "date": "2026-10-02",
                    "commit": data["months"][0]["added"][0]["commit"],
                    "name": "Ben Carter",
                    "path": "people/Ben Carter.md",
                }
            ],
            "removed": [],
            "ties_up": [
                {
                    "date": "2026-10-02",
                    "commit": data["months"][0]["ties_up"][0]["commit"],
                    "name": "Ada Okafor",
                    "path": "people/Ada Okafor.md",
                    "from": 4,
                    "to": 5,
                }
            ],
            "ties_down": [],
            "met": [],
            "intros_made": [],
        }
    ]
    assert data["totals"] == {
        "added": 1, "removed": 0, "ties_up": 1, "ties_down": 0, "met": 0, "intros_made": 0,
        "net": 1,
    }  # fmt: skip
    text = vault.run("history").stdout
    assert text == (
        "Network history, all history (2 commits)\n"
        "\n2026-06\n  added (1): Ada Okafor\n"
        "\n2026-10\n  added (1): Ben Carter\n  ties up (1): Ada Okafor 4→5\n"
        "\nIn all: 2 added, 0 removed (net +2), ties 1 up and 0 down, 0 met, 0 intros made\n"
    )
    assert vault.run("history", "--since", "lately").exit_code == 2


# ---- merge -------------------------------------------------------------------------------


def test_merge_dry_run_json_then_merge(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", ADA)
    vault.write(
        "people/Ada O.md",
        "---\nname: Ada O.\ntie: 2\nemail: ada.o@home.example\nconsent:\n"
        "  share-contact: yes\n---\n"
        "## Log\n- 2026-10-01 (call) catch-up\n",
    )
    vault.write("daily/2026-10-01.md", "Called [[Ada O.]].\n")
    before = vault.snapshot()
    data = vault.json("merge", "Ada Okafor", "Ada O.", "--dry-run")
    assert vault.snapshot() == before
    assert data == {
        "keep": {"name": "Ada Okafor", "path": "people/Ada Okafor.md"},
        "other": {"name": "Ada O.", "path": "people/Ada O.md"},
        "dry_run": True,
        "set": [
            {"key": "aliases", "value": ["Ada O."]},
            {"key": "email", "value": ["ada@example.org", "ada.o@home.example"]},
        ],
        "conflicts": [
            {"key": "tie", "kept": 5, "dropped": 2, "dropped_from": "other",
             "rule": "KEEP's value wins"},
        ],
        "comments": 0,
        "log_lines": 1,
        "merged_text": False,
        "relinked": [{"path": "daily/2026-10-01.md", "links": 1}],
        "removed": None,
    }  # fmt: skip
    result = vault.run("merge", "Ada Okafor", "Ada O.")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Merged people/Ada O.md into people/Ada Okafor.md",
        "  set aliases: Ada O.",
        "  set email: ada@example.org, ada.o@home.example",
        "  conflict tie: kept 5 (KEEP's value wins); Ada O. had 2",
        "  log: 1 line interleaved under ## Log",
        "  links: 1 link rewritten in 1 note: daily/2026-10-01.md (1)",
        "  removed people/Ada O.md",
    ]
    assert (vault.root / "daily/2026-10-01.md").read_text() == "Called [[Ada Okafor|Ada O.]].\n"


def test_merge_refuses_unknown_names_and_one_note_twice(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", ADA)
    vault.write("people/Ben Carter.md", BEN)
    unknown = vault.run("merge", "Ada Okafor", "Ben Karter")
    assert unknown.exit_code == 1
    assert "no contact named 'Ben Karter'; did you mean 'Ben Carter'?" in unknown.stderr
    same = vault.run("merge", "Ben Carter", "Benji")
    assert same.exit_code == 1
    assert "are the same note (people/Ben Carter.md)" in same.stderr
