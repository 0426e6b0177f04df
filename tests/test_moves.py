"""Recent job changes (issue 15): `## Career` lines as a reason to get in touch, in `today`,
the report and `brief`'s "since you last met" (with or without git)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import Vault

from netvault.index import load_index
from netvault.ties import RECENT_MOVE_DAYS, recent_moves

REPRO = Path(__file__).parent / "fixtures" / "import"


def person(name: str, front: str = "", body: str = "") -> str:
    return f"---\nname: {name}\n{front}---\n{body}"


def movers(vault: Vault) -> None:
    """Four people with `## Career` lines: two moved lately, one long ago, one not yet."""
    vault.write(
        "people/Ada Okafor.md",
        person(
            "Ada Okafor",
            "tie: 4\nlast_met: 2026-11-20\n",
            "## Career\n"
            "- 2024-01-10 moved from Initech to Acme\n"
            "- 2026-09-01 moved from Acme to Globex (now Director, was Manager)\n",
        ),
    )
    vault.write(
        "people/Ben Carter.md",
        person(
            "Ben Carter",
            "tie: 3\nlast_met: 2026-11-24\n",
            "## Log\n- 2026-11-24 (in person) lunch\n\n"
            "## Career\n- 2026-11-18 role changed from Engineer to Staff Engineer\n",
        ),
    )
    vault.write(
        "people/Dana Lee.md",
        person("Dana Lee", "tie: 1\n", "## Career\n- 2025-05-01 moved from Acme to Northwind\n"),
    )
    vault.write(
        "people/Emma Johansson.md",
        person(
            "Emma Johansson", "tie: 1\n", "## Career\n- 2026-12-01 moved from Acme to Umbrella\n"
        ),
    )


# ---- the core -------------------------------------------------------------------------------


def test_recent_moves_newest_first_latest_line_each_window_inclusive(vault: Vault) -> None:
    movers(vault)
    index = load_index(vault.root)
    found = recent_moves(index, date(2026, 11, 25))
    assert [(m.contact.name, m.move.date, m.move.text, m.days_ago) for m in found] == [
        ("Ben Carter", date(2026, 11, 18), "role changed from Engineer to Staff Engineer", 7),
        ("Ada Okafor", date(2026, 9, 1), "moved from Acme to Globex (now Director, was Manager)",
         85),
    ]
    assert RECENT_MOVE_DAYS == 90
    # The window's edge: 90 days after Ada's move she is listed, 91 days after she is not;
    # Emma's line, dated after today, is news on its day.
    assert [m.contact.name for m in recent_moves(index, date(2026, 11, 30))] == [
        "Ben Carter", "Ada Okafor"
    ]
    assert [m.contact.name for m in recent_moves(index, date(2026, 12, 1))] == [
        "Emma Johansson", "Ben Carter"
    ]
    assert [m.contact.name for m in recent_moves(index, date(2026, 11, 25), days=7)] == [
        "Ben Carter"
    ]


# ---- today ----------------------------------------------------------------------------------


def test_today_lists_who_changed_jobs_in_text_and_json(vault: Vault) -> None:
    movers(vault)
    result = vault.run("today")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "netvault · Wednesday 25 November 2026\n"
        "Changed jobs, a reason to get in touch (2):\n"
        "  Ben Carter: role changed from Engineer to Staff Engineer (2026-11-18, 7 days ago)\n"
        "  Ada Okafor: moved from Acme to Globex (now Director, was Manager) "
        "(2026-09-01, 3 months ago)\n"
    )
    data = vault.json("today")
    assert data["empty"] is False
    assert data["moves"] == [
        {"name": "Ben Carter", "path": "people/Ben Carter.md", "date": "2026-11-18",
         "text": "role changed from Engineer to Staff Engineer", "line": 10, "days_ago": 7},
        {"name": "Ada Okafor", "path": "people/Ada Okafor.md", "date": "2026-09-01",
         "text": "moved from Acme to Globex (now Director, was Manager)", "line": 8,
         "days_ago": 85},
    ]  # fmt: skip
    assert (data["due"], data["tasks"], data["birthdays"]) == ([], [], [])


def test_today_stays_silent_when_the_moves_are_old(vault: Vault) -> None:
    vault.write(
        "people/Dana Lee.md",
        person("Dana Lee", "tie: 1\n", "## Career\n- 2025-05-01 moved from Acme to Northwind\n"),
    )
    result = vault.run("today")
    assert (result.exit_code, result.output) == (0, "")
    assert vault.json("today")["moves"] == []
    moved_today = vault.run("today", today="2025-05-01")
    assert moved_today.stdout.splitlines()[1:] == [
        "Changed jobs, a reason to get in touch (1):",
        "  Dana Lee: moved from Acme to Northwind (2025-05-01, today)",
    ]


# ---- the report -----------------------------------------------------------------------------


def test_report_has_recent_moves_masked_in_markdown_html_and_json(vault: Vault) -> None:
    movers(vault)
    # A move line is free text: a contact detail of someone without consent is masked.
    vault.write(
        "people/Ben Carter.md",
        person(
            "Ben Carter",
            "tie: 3\nemail: ben@carter.example\n",
            "## Career\n- 2026-11-18 moved to Globex, write to ben@carter.example\n",
        ),
    )
    data = vault.json("report")
    assert data["moves"] == {
        "total": 2,
        "days": 90,
        "shown": [
            {"name": "Ben Carter", "path": "people/Ben Carter.md", "tie": 3, "oak": False,
             "date": "2026-11-18", "text": "moved to Globex, write to [e-mail hidden]",
             "days_ago": 7},
            {"name": "Ada Okafor", "path": "people/Ada Okafor.md", "tie": 4, "oak": False,
             "date": "2026-09-01", "text": "moved from Acme to Globex (now Director, was Manager)",
             "days_ago": 85},
        ],
    }  # fmt: skip
    assert vault.run("report").exit_code == 0
    note = (vault.root / "Reports/Network.md").read_text(encoding="utf-8")
    assert (
        "## Recent moves (2)\n\n"
        "Changed jobs in the last 90 days: congratulate them, catch up.\n\n"
        "- [[Ben Carter]] · 2026-11-18 · moved to Globex, write to [e-mail hidden]\n"
        "- [[Ada Okafor]] · 2026-09-01 · moved from Acme to Globex (now Director, was Manager)\n"
    ) in note
    assert vault.run("report", "--format", "html").exit_code == 0
    page = (vault.root / "Reports/Network.html").read_text(encoding="utf-8")
    assert "<h2>Recent moves (2)</h2>" in page
    assert (
        "<tr><td>Ben Carter</td><td class=\"tie\">3 · knows-my-work</td>"
        "<td>moved to Globex, write to [e-mail hidden]</td><td class=\"date\">2026-11-18</td></tr>"
    ) in page
    assert "ben@carter.example" not in note + page
    # The report note itself is no contact's move, interaction or follow-up.
    index = load_index(vault.root)
    assert [m.contact.name for m in recent_moves(index, date(2026, 11, 25))] == [
        "Ben Carter", "Ada Okafor"
    ]


def test_report_says_when_nobody_moved(vault: Vault) -> None:
    vault.write("people/Dana Lee.md", person("Dana Lee", "tie: 2\n"))
    assert vault.json("report")["moves"] == {"total": 0, "days": 90, "shown": []}
    assert vault.run("report").exit_code == 0
    note = (vault.root / "Reports/Network.md").read_text(encoding="utf-8")
    assert (
        "## Recent moves (0)\n\n"
        "Nobody changed jobs in the last 90 days (dated lines under a `## Career` heading).\n"
    ) in note


# ---- brief: since you last met ----------------------------------------------------------------


def test_brief_shows_career_lines_since_you_last_met_without_git(vault: Vault) -> None:
    vault.write(
        "people/Ada Okafor.md",
        person(
            "Ada Okafor",
            "tie: 4\ncompany: Globex\n",
            "## Log\n- 2026-08-01 (video) catch-up\n\n"
            "## Career\n"
            "- 2026-07-01 moved from Initech to Acme\n"
            "- 2026-09-01 moved from Acme to Globex %% import %%\n"
            "- 2026-10-15 role changed from Manager to Director\n"
            "- 2026-12-01 moved from Globex to Umbrella\n",
        ),
    )
    assert not (vault.root / ".git").exists()
    text = vault.run("brief", "Ada Okafor").stdout
    assert text.endswith(
        "Since you last met (2026-08-01, 4 months ago):\n"
        "  career: 2026-10-15 role changed from Manager to Director\n"
        "  career: 2026-09-01 moved from Acme to Globex\n"
    )
    since = vault.json("brief", "Ada Okafor")["since_last_met"]
    assert since == {
        "last_met": "2026-08-01",
        "interactions": [],
        "changes": [],
        "history_read": False,
        "moves": [
            {"date": "2026-10-15", "text": "role changed from Manager to Director", "line": 12},
            {"date": "2026-09-01", "text": "moved from Acme to Globex", "line": 11},
        ],
    }


def test_brief_shows_a_move_recorded_by_import(vault: Vault, tmp_path: Path) -> None:
    first = vault.run("import", "linkedin", str(REPRO / "repro1-linkedin-same-name.csv"))
    assert first.exit_code == 0, first.output
    logged = vault.run(
        "log", "people/Sam Lee.md", "coffee", "--channel", "in-person", "--date", "2026-10-01"
    )
    assert logged.exit_code == 0, logged.output
    later = tmp_path / "Connections.csv"
    later.write_bytes(
        (REPRO / "repro1-linkedin-same-name.csv").read_bytes().replace(
            b"Acme,Designer", b"Initech,Lead Designer"
        )
    )
    accepted = vault.run("import", "linkedin", str(later), "--accept-changes", today="2026-11-20")
    assert accepted.exit_code == 0, accepted.output
    text = vault.run("brief", "people/Sam Lee.md").stdout
    assert text.endswith(
        "Since you last met (2026-10-01, 8 weeks ago):\n"
        "  career: 2026-11-20 moved from Acme to Initech (now Lead Designer, was Designer)\n"
    )
    today = vault.json("today")
    assert [(m["name"], m["date"]) for m in today["moves"]] == [("Sam Lee", "2026-11-20")]


def _git(root: Path, *args: str, day: str) -> None:
    stamp = f"{day}T12:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_brief_in_a_git_vault_shows_the_career_line_and_the_fields_then_and_now(
    vault: Vault,
) -> None:
    head = "---\nname: Ada Okafor\ncompany: {}\n---\n## Log\n- 2026-09-01 (video) catch-up\n"
    vault.write("people/Ada Okafor.md", head.format("Acme"))
    _git(vault.root, "init", "-q", day="2026-09-01")
    _git(vault.root, "add", "-A", day="2026-09-01")
    _git(vault.root, "commit", "-qm", "Ada", day="2026-09-01")
    vault.write(
        "people/Ada Okafor.md",
        head.format("Globex") + "\n## Career\n- 2026-10-20 moved from Acme to Globex\n",
    )
    _git(vault.root, "commit", "-qam", "Ada moved", day="2026-10-20")
    since = json.loads(vault.run("brief", "Ada Okafor", "--json").stdout)["since_last_met"]
    assert since["history_read"] is True
    assert since["changes"] == [{"key": "company", "before": "Acme", "after": "Globex"}]
    assert since["moves"] == [
        {"date": "2026-10-20", "text": "moved from Acme to Globex", "line": 9}
    ]
    assert vault.run("brief", "Ada Okafor").stdout.endswith(
        "Since you last met (2026-09-01, 3 months ago):\n"
        "  career: 2026-10-20 moved from Acme to Globex\n"
        "  company: Acme -> Globex\n"
    )
