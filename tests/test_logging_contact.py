"""Logging an interaction: the line it adds, the dates it moves, and nothing else."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from netvault.cli import cli
from netvault.edit import EditRefused
from netvault.index import load_index
from netvault.interactions import BadLogText, Favor, LogResult, log_interaction, log_line


def write_note(root: Path, relpath: str, text: str | bytes) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def log_to(
    root: Path, name: str, text: str, day: date, channel: str | None, favor: Favor | None = None
) -> LogResult:
    index = load_index(root)
    return log_interaction(index, index.lookup(name), text, day, channel, favor)


ADA = """---
name: Ada
tie: 4
first_met: 2019-01-01
last_met: 2026-10-01
---
# Ada

## Log
- 2026-10-01 (video) catch-up

## Follow-ups
- [ ] send the deck
"""


def test_a_call_appends_under_log_and_moves_last_met_forward(tmp_path: Path) -> None:
    path = write_note(tmp_path, "people/Ada.md", ADA)
    result = log_to(tmp_path, "Ada", "talked about the role", date(2026, 11, 20), "call")
    assert result.line == "- 2026-11-20 (call) talked about the role"
    assert (result.last_met, result.first_met, result.met_in_person_set) == (
        date(2026, 11, 20),
        None,
        False,
    )
    assert path.read_text() == ADA.replace("last_met: 2026-10-01", "last_met: 2026-11-20").replace(
        "- 2026-10-01 (video) catch-up\n",
        "- 2026-10-01 (video) catch-up\n- 2026-11-20 (call) talked about the role\n",
    )
    index = load_index(tmp_path)
    ada = index.lookup("Ada")
    assert index.last_contact(ada) == date(2026, 11, 20)
    assert index.interactions(ada)[-1].channel == "call"


@pytest.mark.parametrize(
    ("day", "channel"),
    [
        (date(2026, 9, 1), "call"),
        (date(2026, 10, 1), "video"),
        (date(2026, 11, 20), "email"),
        (date(2026, 11, 20), None),
    ],
)
def test_last_met_stays_for_older_days_and_non_conversations(
    tmp_path: Path, day: date, channel: str | None
) -> None:
    path = write_note(tmp_path, "people/Ada.md", ADA)
    result = log_to(tmp_path, "Ada", "note", day, channel)
    assert result.last_met is None
    text = path.read_text()
    assert "last_met: 2026-10-01\n" in text
    # The log keeps its date order: an older day goes above the newer entry.
    log = text.split("## Log\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert log == sorted(log) and result.line in log


def test_in_person_sets_met_in_person_and_first_met_from_the_earliest_known_day(
    tmp_path: Path,
) -> None:
    path = write_note(
        tmp_path,
        "people/Bo.md",
        "---\nname: Bo\ntie: 3  # knows my work\n---\n# Bo\n\n## Log\n- 2025-03-01 (email) hello\n",
    )
    result = log_to(tmp_path, "Bo", "lunch", date(2026, 11, 20), "in person", "gave")
    assert result.line == "- 2026-11-20 (in person) lunch #gave"
    assert (result.last_met, result.first_met, result.met_in_person_set) == (
        date(2026, 11, 20),
        date(2025, 3, 1),
        True,
    )
    assert path.read_text() == (
        "---\nname: Bo\ntie: 3  # knows my work\nlast_met: 2026-11-20\nmet_in_person: true\n"
        "first_met: 2025-03-01\n---\n# Bo\n\n## Log\n- 2025-03-01 (email) hello\n"
        "- 2026-11-20 (in person) lunch #gave\n"
    )
    bo = load_index(tmp_path).lookup("Bo")
    assert bo.met_in_person and bo.first_met == date(2025, 3, 1)


def test_met_in_person_already_yes_is_left_alone_and_log_heading_is_created(tmp_path: Path) -> None:
    path = write_note(
        tmp_path,
        "people/Cy.md",
        "---\nname: Cy\nmet_in_person: yes\nfirst_met: 2020-01-01\nlast_met: 2026-01-01\n"
        "---\n# Cy\n",
    )
    result = log_to(tmp_path, "Cy", "coffee", date(2026, 11, 2), "in person")
    assert not result.met_in_person_set
    assert path.read_text() == (
        "---\nname: Cy\nmet_in_person: yes\nfirst_met: 2020-01-01\nlast_met: 2026-11-02\n"
        "---\n# Cy\n\n## Log\n- 2026-11-02 (in person) coffee\n"
    )


def test_a_last_met_that_is_no_date_is_left_and_reported(tmp_path: Path) -> None:
    path = write_note(
        tmp_path, "people/Di.md", "---\nname: Di\nfirst_met: 2020-01-01\nlast_met: sometime\n---\n"
    )
    result = log_to(tmp_path, "Di", "call", date(2026, 11, 2), "call")
    assert result.last_met is None
    assert result.notes == ("last_met 'sometime' is not a date; left as it was",)
    assert "last_met: sometime\n" in path.read_text()


@pytest.mark.parametrize(
    ("text", "favor", "message"),
    [
        ("two\nlines", None, "must be one line"),
        ("two\u2028lines", None, "must be one line"),
        ("   ", None, "empty"),
        ("helped me #got", "gave", "says #got"),
    ],
)
def test_text_that_cannot_be_logged_is_refused_and_nothing_written(
    tmp_path: Path, text: str, favor: Favor | None, message: str
) -> None:
    path = write_note(tmp_path, "people/Ada.md", ADA)
    with pytest.raises(BadLogText, match=message):
        log_to(tmp_path, "Ada", text, date(2026, 11, 20), "call", favor)
    assert path.read_text() == ADA


def test_favor_tag_already_in_the_text_is_not_doubled() -> None:
    assert (
        log_line("helped me #got", date(2026, 1, 2), None, "got") == "- 2026-01-02 helped me #got"
    )
    assert log_line("  x  ", date(2026, 1, 2), "event", "gave") == "- 2026-01-02 (event) x #gave"


def test_a_note_that_cannot_be_edited_is_refused(tmp_path: Path) -> None:
    path = write_note(tmp_path, "people/Ed.md", b"---\nname: Ed\n---\n# Ed\n")
    index = load_index(tmp_path)
    path.write_bytes(b"---\nname: Ed\nbad: [unclosed\n---\n")
    with pytest.raises(EditRefused):
        log_interaction(index, index.lookup("Ed"), "hi", date(2026, 1, 1), "call")
    assert path.read_bytes() == b"---\nname: Ed\nbad: [unclosed\n---\n"


CRLF_NOTE = (
    "---\r\n"
    "# kept in touch since Globex\r\n"
    "name: Ada Okafor  # full name\r\n"
    "tie: 4  # would vouch for me\r\n"
    "first_met: 2017-03-06\r\n"
    "last_met: 2026-10-01  # coffee at The Barn\r\n"
    "met_in_person: true\r\n"
    "aliases: [Ada O.]\r\n"
    "---\r\n"
    "# Ada Okafor\r\n"
    "\r\n"
    "## Log\r\n"
    "- 2026-10-01 (in person) coffee\r\n"
    "\r\n"
    "## Follow-ups\r\n"
    "- [ ] send the benchmark\r\n"
)


def _git(repo: Path, *args: str) -> str:
    """git's output, line endings untouched (no universal-newline translation)."""
    done = subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    return done.stdout.decode("utf-8")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_diff_after_log_on_a_crlf_note_shows_only_last_met_and_the_new_line(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "vault"
    note = write_note(repo, "people/Ada Okafor.md", CRLF_NOTE)
    _git(repo, "init", "-q")
    _git(repo, "config", "core.autocrlf", "false")
    _git(repo, "config", "user.email", "t@example.org")
    _git(repo, "config", "user.name", "t")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "start")
    result = CliRunner().invoke(
        cli,
        [
            "--vault",
            str(repo),
            "log",
            "Ada O.",
            "mock interview",
            "--channel",
            "call",
            "--date",
            "2026-11-20",
        ],
        env={"NETVAULT_TODAY": "2026-11-25"},
    )
    assert result.exit_code == 0, result.output
    diff = _git(repo, "diff", "--no-color", "-U0", "--", "people/Ada Okafor.md")
    changed = [
        line
        for line in diff.split("\n")
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert changed == [
        "-last_met: 2026-10-01  # coffee at The Barn\r",
        "+last_met: 2026-11-20  # coffee at The Barn\r",
        "+- 2026-11-20 (call) mock interview\r",
    ]
    data = note.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n")  # still CRLF throughout
    assert _git(repo, "status", "--porcelain", "--", "people") == ' M "people/Ada Okafor.md"\n'
