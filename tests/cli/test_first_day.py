"""A first day: init, the owner, Obsidian's conventions, help, colour and wording."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY, Vault

from netvault.cli import COMMANDS, GROUPS, cli


def on_a_terminal(
    args: list[str], env: dict[str, str], typed: str = "", stdout_too: bool = True
) -> tuple[int, str, str]:
    """Run netvault with stdin and stderr (and stdout, unless not `stdout_too`) on a real
    pseudo-terminal: (exit code, what the terminal showed, stdout when it was a pipe)."""
    master, slave = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "netvault", *args],
        stdin=slave,
        stdout=slave if stdout_too else subprocess.PIPE,
        stderr=slave,
        env={**os.environ, **env},
    )
    os.close(slave)
    if typed:
        os.write(master, typed.encode())
    shown = b""
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the other end is closed
            break
        if not data:
            break
        shown += data
    piped = process.stdout.read().decode() if process.stdout else ""
    code = process.wait(timeout=60)
    os.close(master)
    return code, shown.decode().replace("\r\n", "\n"), piped


# ---------------------------------------------------------------------------- init


def test_init_honours_vault_and_writes_the_owner_never_me(tmp_path: Path) -> None:
    target = tmp_path / "network"
    result = CliRunner().invoke(
        cli, ["--vault", str(target), "init", "--name", 'Sam "Sammy" Rivera',
              "--email", "sam@example.org"],
    )
    assert result.exit_code == 0, result.output
    config = (target / ".netvault.toml").read_text()
    assert '[owner]\nname = "Sam \\"Sammy\\" Rivera"\nemail = "sam@example.org"\n' in config
    assert '"me"' not in config
    assert result.stdout.splitlines()[-1] == (
        f"Vault ready in {target}. Next: netvault --vault {str(target)!r} add 'Ada Okafor'"
    )
    vault = Vault(target)
    assert "owner-unset" not in vault.run("check").stdout
    assert vault.run("check").stdout == "No problems in 0 notes (0 contacts).\n"


def test_init_without_a_name_leaves_it_commented_and_check_warns(tmp_path: Path) -> None:
    target = tmp_path / "network"
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    config = (target / ".netvault.toml").read_text()
    assert '# name = "Your Name"' in config and "\nname =" not in config
    assert "No owner name yet: set [owner] name in .netvault.toml (it signs drafts)." in (
        result.stdout
    )
    check = Vault(target).run("check")
    assert (check.exit_code, check.stdout) == (
        0,
        ".netvault.toml:1: warning owner-unset: owner name not set: intro drafts are signed "
        "'me'; set [owner] name (or run netvault init --name)\n"
        "No problems in 0 notes; the vault's set-up: 0 errors, 1 warning (0 contacts)\n",
    )
    # The placeholder an older init wrote counts as unset too.
    (target / ".netvault.toml").write_text('[owner]\nname = "me"\n')
    assert "owner-unset" in Vault(target).run("check").stdout


def test_init_refuses_two_different_folders(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--vault", str(tmp_path / "a"), "init", str(tmp_path / "b")]
    )
    assert result.exit_code == 2
    assert "init got two folders" in result.stderr
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_init_uses_an_existing_people_folder_and_reads_obsidian_daily_notes(
    tmp_path: Path,
) -> None:
    vault = Vault(tmp_path / "obsidian")
    vault.write("People/Ada Okafor.md", "---\ntie: 4\n---\n")
    vault.write(".obsidian/daily-notes.json", json.dumps({"folder": "Journal/", "format": ""}))
    data = json.loads(
        CliRunner().invoke(cli, ["init", str(vault.root), "--name", "Sam", "--json"]).stdout
    )
    assert data == {
        "vault": str(vault.root),
        "created": ["intros/", ".netvault/templates/", ".netvault.toml",
                    ".netvault/templates/README.md", ".gitignore (netvault lines)"],
        "kept": ["People/"],
        "contacts_folder": "People",
        "owner": {"name": "Sam", "email": None},
        "daily_notes": {"folder": "Journal", "format": "YYYY-MM-DD", "dated": True},
    }
    assert not (vault.root / "people").exists() or (vault.root / "people").samefile(
        vault.root / "People"
    )
    assert 'contacts = "People"' in (vault.root / ".netvault.toml").read_text()
    assert vault.json("list")["contacts"][0]["name"] == "Ada Okafor"

    other = Vault(tmp_path / "dotted")
    other.write(".obsidian/daily-notes.json", '{"folder": "", "format": "DD.MM.YYYY"}')
    text = CliRunner().invoke(cli, ["init", str(other.root), "--name", "Sam"]).stdout
    assert (
        "daily notes: the vault's top folder (DD.MM.YYYY); netvault dates a daily note by a "
        "YYYY-MM-DD file name or a date: property, so give them one of those"
    ) in text


def test_check_points_at_a_contacts_folder_spelt_differently(vault: Vault) -> None:
    vault.write(".netvault.toml", '[owner]\nname = "Sam"\n')
    vault.write("People/Ada Okafor.md", "---\ntie: 4\n---\n")
    assert vault.run("check").stdout == (
        ".netvault.toml:1: warning no-contacts-folder: the contacts folder people/ does not "
        'exist; People/ is there: set [vault] contacts = "People"\n'
        "No problems in 1 note; the vault's set-up: 0 errors, 1 warning (0 contacts)\n"
    )


def test_init_asks_for_the_name_and_e_mail_on_a_terminal(tmp_path: Path) -> None:
    target = tmp_path / "asked"
    code, shown, _ = on_a_terminal(
        ["init", str(target)], {"NETVAULT_TODAY": TODAY}, typed="Sam Rivera\nsam@example.org\n"
    )
    assert code == 0, shown
    assert "Your name (it signs intro drafts): " in shown
    assert "Your e-mail (the From of drafts; Enter to skip): " in shown
    assert 'name = "Sam Rivera"\nemail = "sam@example.org"' in (
        (target / ".netvault.toml").read_text()
    )


# ---------------------------------------------------------------------------- pinned today


def test_a_write_says_so_on_a_terminal_while_today_is_pinned(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", "---\ntie: 4\n---\n## Log\n")
    code, stderr, stdout = on_a_terminal(
        ["--vault", str(vault.root), "log", "Ada Okafor", "coffee"],
        {"NETVAULT_TODAY": TODAY},
        stdout_too=False,
    )
    assert code == 0, stderr
    assert stderr == (
        f"netvault: NETVAULT_TODAY pins today to {TODAY}; what this command writes is dated "
        "that day (unset it for your own vault)\n"
    )
    assert stdout.splitlines()[:2] == ["Logged in people/Ada Okafor.md:", f"  - {TODAY} coffee"]
    # Not a terminal (a script, a pipe): nothing extra; a read command never says it.
    assert vault.run("log", "Ada Okafor", "tea").stderr == ""
    _, read_stderr, _ = on_a_terminal(
        ["--vault", str(vault.root), "summary"], {"NETVAULT_TODAY": TODAY}, stdout_too=False
    )
    assert read_stderr == ""


# ---------------------------------------------------------------------------- Obsidian


def test_a_person_tag_or_type_marks_a_contact_anywhere(vault: Vault) -> None:
    vault.write("Notes/Ada Okafor.md", "---\ntags: [person, data]\ntie: 4\n---\n")
    vault.write("Notes/Ben Carter.md", "---\ntags: '#person/colleague'\n---\n")
    vault.write("Notes/Cy Dee.md", "---\ntype: person\n---\n")
    vault.write("Notes/Meeting.md", "---\ntags: [meeting]\n---\n[[Ada Okafor]]\n")
    vault.write("Notes/Typed.md", "---\ntype: intro\ntags: [person]\n---\n")
    names = [c["name"] for c in vault.json("list")["contacts"]]
    assert names == ["Ada Okafor", "Ben Carter", "Cy Dee"]
    vault.write(".netvault.toml", '[vault]\nperson_type = "contact"\nperson_tag = "people"\n')
    vault.write("Notes/Dee.md", "---\ntype: contact\n---\n")
    vault.write("Notes/Eve.md", "---\ntags: [people]\n---\n")
    names = [c["name"] for c in vault.json("list")["contacts"]]
    assert names == ["Dee", "Eve"]


@pytest.mark.parametrize(
    "front",
    [
        "share-contact: ask\nintroductions: \"no\"",
        "share-contact: ask\nintroductions: no",
        "consent:\n  share-contact: ask\n  introductions: no",
        "consent: {share-contact: ask, introductions: false}",
        "share_contact: ask\nintroductions: 'no'",
    ],
)
def test_consent_reads_the_same_flat_or_nested_quoted_or_bare(vault: Vault, front: str) -> None:
    vault.write(".netvault.toml", '[owner]\nname = "Sam"\n')
    vault.write("people/Raj Patel.md", f"---\ntie: 3\n{front}\n---\n")
    assert vault.json("show", "Raj Patel")["consent"] == {
        "share-contact": "ask",
        "introductions": "no",
    }
    assert vault.run("check").stdout == "No problems in 1 note (1 contact).\n"


def test_consent_given_both_ways_is_a_warning_and_the_property_wins(vault: Vault) -> None:
    vault.write(".netvault.toml", '[owner]\nname = "Sam"\n')
    vault.write(
        "people/Raj Patel.md",
        "---\nconsent:\n  introductions: yes\nintroductions: 'no'\nshare-contact: maybe\n---\n",
    )
    assert vault.json("show", "Raj Patel")["consent"] == {
        "share-contact": "ask",
        "introductions": "no",
    }
    assert vault.run("check").stdout.splitlines() == [
        "people/Raj Patel.md:4: warning consent-twice: introductions is also given under "
        "consent:; the introductions property is used",
        "people/Raj Patel.md:5: error bad-consent: share-contact must be yes, ask or no, "
        "not 'maybe'",
        "1 of 1 note had problems: 1 error, 1 warning (1 contact)",
    ]


# ---------------------------------------------------------------------------- log order


def test_log_writes_at_the_top_of_a_newest_first_log_and_never_below_a_task(
    vault: Vault,
) -> None:
    vault.write(
        "people/Ada Okafor.md",
        "---\ntie: 4\n---\n## Log\n- 2026-11-01 (call) newer\n- 2026-09-01 (call) older\n"
        "- [ ] send the deck\n",
    )
    vault.write(
        "people/Ben Carter.md",
        "---\ntie: 4\n---\n## Log\n- 2026-09-01 older\n- 2026-11-01 newer\n- [ ] call back\n",
    )
    assert vault.run("log", "Ada Okafor", "lunch").exit_code == 0
    assert vault.run("log", "Ben Carter", "lunch").exit_code == 0
    assert vault.run("log", "Ada Okafor", "a talk", "--date", "2026-10-01").exit_code == 0
    assert (vault.root / "people/Ada Okafor.md").read_text().split("## Log\n")[1] == (
        f"- {TODAY} lunch\n- 2026-11-01 (call) newer\n- 2026-10-01 a talk\n"
        "- 2026-09-01 (call) older\n- [ ] send the deck\n"
    )
    assert (vault.root / "people/Ben Carter.md").read_text().split("## Log\n")[1] == (
        f"- 2026-09-01 older\n- 2026-11-01 newer\n- {TODAY} lunch\n- [ ] call back\n"
    )


# ---------------------------------------------------------------------------- help, colour, words


def test_help_groups_every_command_once_with_an_example() -> None:
    grouped = [name for _, names in GROUPS for name in names]
    assert sorted(grouped) == sorted(COMMANDS) and len(grouped) == len(set(grouped))
    result = CliRunner().invoke(cli, ["--help"], terminal_width=100)
    text = result.stdout
    headings = [line for line in text.splitlines() if line and not line.startswith(" ")]
    assert headings[-5:] == [
        "Tend your ties:",
        "Introduce and be introduced:",
        "See the network:",
        "Bring people in and out:",
        "The vault:",
    ]
    for name, (_, _, example) in COMMANDS.items():
        assert example.startswith(f"netvault {name} ") or example == f"netvault {name}"
        assert f"$ {example}" in text
        own = CliRunner().invoke(cli, [name, "--help"]).stdout
        assert own.rstrip().endswith(example), name
    assert text.index("  today ") < text.index("  intro ") < text.index("  show ")


def test_no_color_turns_colour_off(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", "---\ntie: 4\n---\n")
    runner = CliRunner()
    coloured = runner.invoke(
        cli, ["--vault", str(vault.root), "show", "Ada Okafor"], color=True,
        env={"NETVAULT_TODAY": TODAY, "NO_COLOR": ""},
    )
    assert "\x1b[1m" in coloured.stdout
    plain = runner.invoke(
        cli, ["--vault", str(vault.root), "show", "Ada Okafor"], color=True,
        env={"NETVAULT_TODAY": TODAY, "NO_COLOR": "1"},
    )
    assert plain.exit_code == 0 and "\x1b" not in plain.stdout
    assert plain.stdout.startswith("Ada Okafor  (people/Ada Okafor.md)\n")


def test_counts_read_as_english(vault: Vault) -> None:
    vault.write(".netvault.toml", '[owner]\nname = "Sam"\n')
    vault.write("people/Ada Okafor.md", "---\ntie: 4\nmet_in_person: true\n---\n")
    vault.write(
        "intros/2026-11-01 Ada -- Ada.md",
        '---\ntype: intro\na: "[[Ada Okafor]]"\nb: "[[Ada Okafor]]"\ncreated: 2026-11-01\n---\n',
    )
    assert vault.run("intros").stdout.splitlines()[-1] == "1 intro"
    assert vault.run("summary").stdout.splitlines()[0] == (
        f"1 contact in 2 notes ({vault.root.resolve()})"
    )
    assert vault.run("check").stdout == "No problems in 2 notes (1 contact).\n"


def test_the_owner_from_init_signs_drafts_and_heads_the_report_and_graph(tmp_path: Path) -> None:
    target = tmp_path / "network"
    runner = CliRunner()
    assert runner.invoke(
        cli, ["init", str(target), "--name", "Sam Rivera", "--email", "sam@example.org"]
    ).exit_code == 0
    vault = Vault(target)
    for name in ("Ada Okafor", "Ben Carter"):
        vault.write(f"people/{name}.md", "---\ntie: 4\nmet_in_person: true\n---\n")
    assert vault.json("report")["owner"] == "Sam Rivera"
    assert vault.json("graph", "--format", "json")["nodes"][0] == {
        "id": "me", "label": "Sam Rivera", "kind": "me", "tie": None, "oak": False, "path": None,
    }
    result = vault.run("intro", "Ada Okafor", "Ben Carter", "--why", "both build data teams")
    assert (result.exit_code, result.stderr) == (0, "")
    draft = next((target / ".netvault" / "outbox").glob("* - ask Ada Okafor.eml")).read_text()
    assert draft.rstrip().endswith("Best,\nSam Rivera")
    assert "From: Sam Rivera <sam@example.org>\n" in draft.replace("\r\n", "\n")
