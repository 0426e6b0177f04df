"""Issue 11, item 11 (the low items), each with its reproduction: a run killed half-way, a FIFO,
far-future dates, non-UTF-8 file names, huge notes in history and imports, GraphML, `add`
beside an import, Obsidian's template folders, likely duplicates, and one problem count."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import TODAY, Vault

from netvault import edit
from netvault.vaultfs import MAX_NOTE_BYTES

PERSON = (
    "---\ntie: 4\nmet_in_person: true\nemail: {email}\nconsent:\n  share-contact: yes\n"
    "  introductions: yes\n---\n## Log\n- 2026-01-05 (in person) coffee\n"
)
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_NAME": "Sam",
    "GIT_AUTHOR_EMAIL": "sam@example.org", "GIT_COMMITTER_NAME": "Sam",
    "GIT_COMMITTER_EMAIL": "sam@example.org",
}


def note_problems(check: dict[str, list[dict[str, object]]]) -> list[tuple[object, object]]:
    """(path, code) of each problem `check --json` found in the notes, the vault's set-up
    (an owner not set yet) left out."""
    return [(p["path"], p["code"]) for p in check["problems"] if p["path"] != ".netvault.toml"]


def netvault(vault: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real CLI in a child process, so that a hang is a failure, not a stuck suite."""
    return subprocess.run(
        [sys.executable, "-m", "netvault", "--vault", str(vault), *args],
        capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "NETVAULT_TODAY": TODAY},
    )


def git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, **GIT_ENV}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


# ---- intro-update killed between the drafts and the note ---------------------------------------


def test_intro_update_finishes_when_run_again_after_a_kill(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault.write(".netvault.toml", '[owner]\nname = "Sam Rivera"\nemail = "sam@example.org"\n')
    vault.write("people/Ada Okafor.md", PERSON.format(email="ada@example.com"))
    vault.write("people/Ben Carter.md", PERSON.format(email="ben@example.com"))
    assert vault.run("intro", "Ada Okafor", "Ben Carter", "--why", "both build").exit_code == 0
    intro = "2026-11-25 Ada Okafor -- Ben Carter"
    real_save = edit.NoteEditor.save

    class Killed(BaseException):
        """SIGKILL: nothing runs after it, no clean-up."""

    def killed(self: edit.NoteEditor) -> bool:
        if self.relpath.startswith("intros/"):
            raise Killed  # the process dies after the drafts, before the note
        return real_save(self)

    monkeypatch.setattr(edit.NoteEditor, "save", killed)
    with pytest.raises(Killed):
        from click.testing import CliRunner

        from netvault.cli import cli

        CliRunner().invoke(
            cli, ["--vault", str(vault.root), "intro-update", intro, "--a", "yes", "--b", "yes"],
            env={"NETVAULT_TODAY": TODAY}, catch_exceptions=False,
        )
    monkeypatch.undo()
    outbox = vault.root / ".netvault/outbox"
    drafts = sorted(p.name for p in outbox.iterdir() if "connect" in p.name)
    assert len(drafts) == 2  # written before the kill
    again = vault.run("intro-update", intro, "--a", "yes", "--b", "yes")
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in outbox.iterdir() if "connect" in p.name) == drafts
    note = (vault.root / f"intros/{intro}.md").read_text(encoding="utf-8")
    assert "a_said: 'yes'" in note and "b_said: 'yes'" in note


# ---- a FIFO called Pipe.md ---------------------------------------------------------------------


def test_a_fifo_named_like_a_note_is_never_read(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", PERSON.format(email="ada@example.com"))
    os.mkfifo(vault.root / "people" / "Pipe.md")
    done = netvault(vault.root, "check", "--json", timeout=30)
    assert note_problems(json.loads(done.stdout)) == [("people/Pipe.md", "not-a-file")]
    listed = netvault(vault.root, "list", "--json", timeout=30)
    assert [c["name"] for c in json.loads(listed.stdout)["contacts"]] == ["Ada Okafor"]


# ---- far-future dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("today",), ("due",), ("oaks",), ("report",), ("remind", "--ics", "{ics}"), ("summary",)],
)
def test_far_future_dates_never_stop_the_vault(vault: Vault, args: tuple[str, ...]) -> None:
    vault.write("people/Far.md", "---\ntie: 5\nlast_met: 9999-12-31\n---\n- [ ] x 📅 9999-12-31\n")
    vault.write("people/Long.md", "---\ntie: 4\ncadence: 9999999y\nlast_met: 2026-01-01\n---\n")
    vault.write("people/Due.md", "---\ntie: 4\nlast_met: 2026-01-01\n---\n")
    ics = vault.root.parent / "r.ics"
    result = vault.run(*(arg.format(ics=ics) for arg in args))
    assert result.exit_code == 0, result.output
    if args[0] in ("today", "due"):
        assert "Due" in result.output


def test_history_survives_a_huge_since_and_a_bogus_commit_date(vault: Vault) -> None:
    if subprocess.run(["git", "--version"], capture_output=True).returncode != 0:
        pytest.skip("git is not installed")
    git(vault.root, "init", "-q")
    vault.write("people/Ada Okafor.md", "---\ntie: 3\n---\n")
    git(vault.root, "add", "-A")
    git(vault.root, "commit", "-q", "-m", "year 10000", date="@253402300800 +0000")
    vault.write("people/Ben Carter.md", "---\ntie: 3\n---\n")
    git(vault.root, "add", "-A")
    git(vault.root, "commit", "-q", "-m", "now", date="2026-11-20T12:00:00+00:00")
    for args in (("history",), ("history", "--since", "99999y")):
        result = vault.run(*args, "--json")
        assert result.exit_code == 0, result.output
        months = json.loads(result.stdout)["months"]
        added = [e["name"] for month in months for e in month["added"]]
        assert sorted(added) == ["Ada Okafor", "Ben Carter"]


# ---- file names that are not UTF-8 -------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [("report",), ("export", "vcard"), ("remind", "--ics", "{ics}"), ("export", "json")]
)
def test_a_file_name_that_is_not_utf8_breaks_nothing(vault: Vault, args: tuple[str, ...]) -> None:
    vault.write("people/Ada Okafor.md", "---\ntie: 4\nlast_met: 2026-01-01\n---\n")
    (vault.root / "people").joinpath(os.fsdecode(b"Caf\xe9.md")).write_bytes(
        "---\ntie: 4\nlast_met: 2026-01-01\n---\n- [ ] call 📅 2026-11-01\n".encode()
    )
    ics = vault.root.parent / "r.ics"
    result = vault.run(*(arg.format(ics=ics) for arg in args))
    assert result.exit_code == 0, result.output
    check = json.loads(vault.run("check", "--json").stdout)
    assert note_problems(check) == [("people/Caf\\xe9.md", "bad-file-name")]


# ---- huge notes in history and imports ---------------------------------------------------------


def test_history_never_reads_a_version_over_the_note_limit(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    if subprocess.run(["git", "--version"], capture_output=True).returncode != 0:
        pytest.skip("git is not installed")
    from netvault import history as history_module

    git(vault.root, "init", "-q")
    huge = "---\ntie: 3\n---\n" + "x" * (MAX_NOTE_BYTES + 10)
    vault.write("people/Huge.md", huge)
    vault.write("people/Small.md", "---\ntie: 3\n---\n")
    git(vault.root, "add", "-A")
    git(vault.root, "commit", "-q", "-m", "one", date="2026-11-01T12:00:00+00:00")
    vault.write("people/Huge.md", huge.replace("tie: 3", "tie: 4"))
    git(vault.root, "add", "-A")
    git(vault.root, "commit", "-q", "-m", "two", date="2026-11-02T12:00:00+00:00")
    largest: list[int] = []
    real_parse = history_module.parse_note

    def measured(path: str, data: bytes, folder: str = "people") -> object:
        largest.append(len(data))
        return real_parse(path, data, folder)

    monkeypatch.setattr(history_module, "parse_note", measured)
    result = vault.run("history", "--json")
    assert result.exit_code == 0, result.output
    months = json.loads(result.stdout)["months"]
    assert [(m["month"], [e["name"] for e in m["added"]]) for m in months] == [
        ("2026-11", ["Small"])
    ]
    assert all(not m["ties_up"] for m in months)
    assert max(largest) < 100


def test_import_never_writes_a_note_it_could_not_read(vault: Vault) -> None:
    card = vault.root.parent / "cards.vcf"
    big = "x" * (MAX_NOTE_BYTES + 100)
    card.write_text(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big Note\r\nNOTE:{big}\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Small Note\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    result = vault.run("import", "vcard", str(card))
    assert result.exit_code == 1, result.output
    assert "notes over 8,388,608 bytes are not read, so netvault does not write one" in (
        result.output
    )
    assert sorted(p.name for p in (vault.root / "people").iterdir()) == ["Small Note.md"]


# ---- GraphML -----------------------------------------------------------------------------------


def test_graphml_is_well_formed_for_names_with_noncharacters(vault: Vault) -> None:
    vault.write("people/A\ufffeB\uffff.md", "---\ntie: 4\n---\n")
    vault.write("people/Ada Okafor.md", "---\ntie: 4\n---\n[[A\ufffeB\uffff]]\n")
    result = vault.run("graph", "--format", "graphml")
    assert result.exit_code == 0, result.output
    tree = ET.fromstring(result.stdout.encode("utf-8"))
    labels = [d.text for d in tree.iter("{http://graphml.graphdrawing.org/xmlns}data")
              if d.get("key") == "d_label"]
    assert "A B" in labels


# ---- add beside an import ----------------------------------------------------------------------

HOLDER = """
import fcntl, os, sys, time
root = sys.argv[1]
os.makedirs(os.path.join(root, ".netvault"), exist_ok=True)
fd = os.open(os.path.join(root, ".netvault", "lock"), os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(0.5)
with open(os.path.join(root, "people", "DUP PERSON5.md"), "w") as note:
    note.write("---\\ntie: 1\\n---\\n")
"""


def test_add_waits_for_the_vault_lock_and_sees_what_was_written_meanwhile(vault: Vault) -> None:
    (vault.root / "people").mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(vault.root)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = vault.run("add", "Dup Person5")
    finally:
        holder.wait(timeout=10)
    assert result.exit_code == 1, result.output
    assert "already" in result.output
    assert sorted(p.name for p in (vault.root / "people").iterdir()) == ["DUP PERSON5.md"]


# ---- Obsidian's template folders ---------------------------------------------------------------


def test_obsidian_and_templater_template_folders_are_not_notes(vault: Vault) -> None:
    vault.write(".obsidian/templates.json", json.dumps({"folder": "Templates/"}))
    vault.write(
        ".obsidian/plugins/templater-obsidian/data.json",
        json.dumps({"templates_folder": "Meta/Templater", "trigger_on_file_creation": False}),
    )
    template = "---\ntype: person\ncreated: {{date}}\ntie: <% tp.system.prompt('tie') %>\n---\n"
    vault.write("Templates/Person.md", template)
    vault.write("Meta/Templater/Person.md", template)
    vault.write("Meta/Real.md", "---\ntype: person\ntie: 3\n---\n")
    check = json.loads(vault.run("check", "--json").stdout)
    assert note_problems(check) == []
    assert [c["name"] for c in vault.json("list")["contacts"]] == ["Real"]


# ---- likely duplicates need more than shared words ---------------------------------------------


def test_people_differing_in_a_first_name_are_not_near_identical(vault: Vault) -> None:
    tail = "S 6 MECHATRONICS COCHIN COLLEGE OF ENGINEERING AND TECHNOLOGY"
    vault.write(f"people/ADIL {tail}.md", "---\ntie: 1\n---\n")
    vault.write(f"people/ARAVIND {tail}.md", "---\ntie: 1\n---\n")
    vault.write("people/Maria Fernandez.md", "---\ntie: 2\n---\n")
    vault.write("people/Maria Fernandes.md", "---\ntie: 1\n---\n")
    check = json.loads(vault.run("check", "--json").stdout)
    assert note_problems(check) == [("people/Maria Fernandes.md", "likely-duplicate")]


# ---- one problem count -------------------------------------------------------------------------


def test_check_summary_and_report_count_problems_the_same_way(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", "---\ntie: 3\nemail: ada@example.com\n---\n[[Nobody]]\n")
    vault.write("people/A. Okafor.md", "---\ntie: 1\nemail: ada@example.com\n---\n")
    vault.write("people/Broken.md", "---\ntie: [\n---\n")
    vault.write("intros/Odd.md", "---\ntype: intro\na: nobody\n---\n")
    check = json.loads(vault.run("check", "--json").stdout)["problems"]
    errors = sum(1 for p in check if p["severity"] == "error")
    warnings = len(check) - errors
    assert errors >= 1 and warnings >= 2  # the duplicate and the broken link at least
    summary = vault.json("summary")
    assert (summary["errors"], summary["warnings"]) == (errors, warnings)
    report = vault.json("report")["counts"]
    assert (report["errors"], report["warnings"]) == (errors, warnings)
    assert vault.run("report").exit_code == 0
    written = (vault.root / "Reports/Network.md").read_text(encoding="utf-8")
    assert f"{errors} error" in written and f"{warnings} warning" in written
