"""Issue 11, items 1 and 4: where netvault may write.

A vault from someone else may hold symlinks anywhere (`.netvault/lock`, `.netvault/`,
`Reports/`, `.gitignore`) and a config naming any path. Every write goes through the one
write function (`netvault.write`): inside the vault never through a symlink and never onto a
note unless the command edits that note; outside the vault only where the user typed, never
over a file that is not netvault's own output without --force.
"""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest
from conftest import Vault

PACKAGE = Path(__file__).resolve().parents[2] / "netvault"
SAMPLE = Path(__file__).resolve().parents[2] / "sample-vault"

PERSON = (
    "---\ntie: 4\nmet_in_person: true\nemail: {email}\nconsent:\n  share-contact: yes\n"
    "  introductions: yes\n---\n# Notes\n\n## Log\n- 2026-01-05 (in person) coffee\n"
)
BASHRC = "export PATH=$HOME/bin:$PATH\n"


def people(vault: Vault) -> Vault:
    vault.write(".netvault.toml", '[owner]\nname = "Sam Rivera"\nemail = "sam@example.org"\n')
    vault.write("people/Ada Okafor.md", PERSON.format(email="ada@example.com"))
    vault.write("people/Ben Carter.md", PERSON.format(email="ben@example.com"))
    vault.write("people/Ada O.md", "---\nname: Ada O.\nemail: ada@example.com\n---\n")
    return vault


def bashrc(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    target = home / ".bashrc"
    target.write_text(BASHRC, encoding="utf-8")
    return target


def outside_unchanged(tmp_path: Path, vault: Vault, before: dict[str, bytes]) -> None:
    after = {
        str(p): p.read_bytes() for p in tmp_path.rglob("*")
        if p.is_file() and not p.is_relative_to(vault.root)
    }
    assert after == before


def outside_files(tmp_path: Path, vault: Vault) -> dict[str, bytes]:
    return {
        str(p): p.read_bytes() for p in tmp_path.rglob("*")
        if p.is_file() and not p.is_relative_to(vault.root)
    }


# ---- item 1: the lock and the state folder -------------------------------------------------

WRITING_COMMANDS = {
    "log": ("log", "Ada Okafor", "coffee"),
    "report": ("report",),
    "import": ("import", "vcard", "{card}"),
    "merge": ("merge", "Ada Okafor", "Ada O."),
    "intro": ("intro", "Ada Okafor", "Ben Carter", "--why", "both build data teams"),
    "add": ("add", "Cy Dee"),
}


@pytest.mark.parametrize("command", list(WRITING_COMMANDS.values()), ids=list(WRITING_COMMANDS))
def test_a_symlinked_lock_never_truncates_a_file_outside(
    vault: Vault, tmp_path: Path, command: tuple[str, ...]
) -> None:
    people(vault)
    target = bashrc(tmp_path)
    (vault.root / ".netvault").mkdir()
    (vault.root / ".netvault/lock").symlink_to(target)
    card = tmp_path / "card.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cy Dee\r\nEND:VCARD\r\n", encoding="utf-8")
    before = outside_files(tmp_path, vault)
    notes = {p: b for p, b in vault.snapshot().items() if p.endswith(".md")}
    result = vault.run(*(arg.format(card=card) for arg in command))
    assert result.exit_code == 1, result.output
    assert "could not take the vault lock (it is a symlink)" in result.output
    assert target.read_text(encoding="utf-8") == BASHRC
    outside_unchanged(tmp_path, vault, before)
    assert {p: b for p, b in vault.snapshot().items() if p.endswith(".md")} == notes


def test_intro_update_never_follows_a_symlinked_lock(vault: Vault, tmp_path: Path) -> None:
    people(vault)
    assert vault.run("intro", "Ada Okafor", "Ben Carter", "--why", "both build").exit_code == 0
    target = bashrc(tmp_path)
    (vault.root / ".netvault/lock").unlink()
    (vault.root / ".netvault/lock").symlink_to(target)
    result = vault.run("intro-update", "2026-11-25 Ada Okafor -- Ben Carter", "--a", "yes")
    assert result.exit_code == 1, result.output
    assert "symlink" in result.output
    assert target.read_text(encoding="utf-8") == BASHRC


@pytest.mark.parametrize("command", [("log", "Ada Okafor", "coffee"), ("report",)])
def test_a_symlinked_state_folder_gets_nothing_written_into_it(
    vault: Vault, tmp_path: Path, command: tuple[str, ...]
) -> None:
    people(vault)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (vault.root / ".netvault").symlink_to(outside, target_is_directory=True)
    result = vault.run(*command)
    assert result.exit_code == 1, result.output
    assert ".netvault is a symlink or not a folder" in result.output
    assert list(outside.iterdir()) == []


def test_a_lock_that_is_a_fifo_is_refused_without_hanging(vault: Vault) -> None:
    import os

    people(vault)
    (vault.root / ".netvault").mkdir()
    os.mkfifo(vault.root / ".netvault/lock")
    result = vault.run("log", "Ada Okafor", "coffee")
    assert result.exit_code == 1
    assert "not a regular file" in result.output


# ---- item 4: writes land on notes or outside the vault -------------------------------------


def test_the_report_path_can_never_name_a_note(vault: Vault) -> None:
    people(vault)
    ben = (vault.root / "people/Ben Carter.md").read_bytes()
    vault.write(".netvault.toml", '[report]\npath = "people/Ben Carter.md"\n')
    result = vault.run("report")
    assert result.exit_code == 2, result.output
    assert "lies in the people/ folder, where notes live" in result.output
    assert (vault.root / "people/Ben Carter.md").read_bytes() == ben


def test_watch_never_replaces_a_note_with_the_report(vault: Vault) -> None:
    from datetime import date

    from netvault.errors import NetvaultError
    from netvault.index import load_index
    from netvault.report import write_markdown_report

    people(vault)
    vault.write("Projects/Plan.md", "# My plan\n\nwords I wrote\n")
    vault.write(".netvault.toml", '[report]\npath = "Projects/Plan.md"\n')
    with pytest.raises(NetvaultError, match="is a note netvault did not write"):
        write_markdown_report(load_index(vault.root), date(2026, 11, 25))
    assert (vault.root / "Projects/Plan.md").read_text() == "# My plan\n\nwords I wrote\n"
    vault.write(".netvault.toml", '[report]\npath = "people/Ben Carter.md"\n')
    with pytest.raises(NetvaultError, match="where notes live"):
        write_markdown_report(load_index(vault.root), date(2026, 11, 25))


@pytest.mark.parametrize(
    "command",
    [
        ("report", "--out", "{note}"),
        ("report", "--out", "{note}", "--force"),
        ("export", "csv", "--out", "{note}"),
        ("export", "json", "--out", "{note}", "--force"),
        ("remind", "--ics", "{note}"),
        ("remind", "--ics", "{note}", "--force"),
    ],
)
def test_an_output_never_replaces_a_note(vault: Vault, command: tuple[str, ...]) -> None:
    people(vault)
    note = vault.root / "people/Ben Carter.md"
    before = note.read_bytes()
    result = vault.run(*(arg.format(note=note) for arg in command))
    assert result.exit_code == 1, result.output
    assert "is a note netvault did not write; it will not replace it" in result.output
    assert note.read_bytes() == before


@pytest.mark.parametrize(
    ("command", "again"),
    [
        (("export", "vcard", "--out", "{out}"), True),
        (("export", "csv", "--out", "{out}"), True),
        (("export", "json", "--out", "{out}"), True),
        (("remind", "--ics", "{out}"), True),
        (("report", "--format", "html", "--out", "{out}"), True),
    ],
)
def test_outside_the_vault_only_netvaults_own_output_is_replaced(
    vault: Vault, tmp_path: Path, command: tuple[str, ...], again: bool
) -> None:
    people(vault)
    out = tmp_path / "mine.txt"
    out.write_text("my own words\n", encoding="utf-8")
    args = [arg.format(out=out) for arg in command]
    refused = vault.run(*args)
    assert refused.exit_code == 1, refused.output
    assert "is not netvault's own output; nothing written (--force replaces it)" in refused.output
    assert out.read_text(encoding="utf-8") == "my own words\n"
    assert vault.run(*args, "--force").exit_code == 0
    written = out.read_bytes()
    assert written != b"my own words\n"
    out.write_bytes(written[:-1])  # still recognisably its own, though changed
    assert vault.run(*args).exit_code == 0  # its own output: replaced without --force
    assert out.read_bytes() != written[:-1]


def test_a_report_folder_symlinked_out_of_the_vault_is_not_followed(
    vault: Vault, tmp_path: Path
) -> None:
    people(vault)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (vault.root / "Reports").symlink_to(outside, target_is_directory=True)
    for args in (("report",), ("report", "--format", "html")):
        result = vault.run(*args)
        assert result.exit_code == 1, result.output
        assert "Reports is a symlink or not a folder; netvault does not follow it" in (
            result.output
        )
    typed = vault.run("export", "csv", "--out", str(vault.root / "Reports/contacts.csv"))
    assert typed.exit_code == 1
    assert list(outside.iterdir()) == []


def test_a_symlinked_gitignore_is_not_copied_into_the_vault(vault: Vault, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("the user's private file\n", encoding="utf-8")
    (vault.root / ".gitignore").symlink_to(secret)
    result = vault.run("init", str(vault.root))
    assert result.exit_code == 1, result.output
    assert ".gitignore: is a symlink" in result.output
    assert (vault.root / ".gitignore").is_symlink()
    assert secret.read_text(encoding="utf-8") == "the user's private file\n"


def test_the_sample_vault_report_replaces_only_itself(vault: Vault, tmp_path: Path) -> None:
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root)
    sample = Vault(root)
    assert sample.run("report").exit_code == 0
    first = (root / "Reports/Network.md").read_text(encoding="utf-8")
    assert first.startswith("---\ntype: report\n")
    assert sample.run("report", today="2026-11-26").exit_code == 0
    state = json.loads((root / ".netvault/report-state.json").read_text(encoding="utf-8"))
    assert state["generated"] == "2026-11-26"


# ---- every write goes through the one write function ---------------------------------------

# Files allowed to write directly, and why.
ALLOWED = {
    "write.py": "the one write function",
    "store.py": "the SQLite index in the user's cache folder, outside every vault: its folder "
    "made, a damaged database removed (issue 12)",
}
WRITING_CALLS = {
    "write_text", "write_bytes", "mkdir", "makedirs", "unlink", "rmdir", "removedirs",
    "remove", "rename", "renames", "link", "symlink", "symlink_to", "hardlink_to", "touch",
    "chmod", "truncate", "mkstemp", "mkdtemp", "NamedTemporaryFile", "copy", "copy2",
    "copyfile", "copytree", "move", "rmtree",
}
WRITE_FLAGS = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"}


def _writes(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = func.value if isinstance(func, ast.Attribute) else None
        owner_name = owner.id if isinstance(owner, ast.Name) else ""
        if name in WRITING_CALLS and not (name == "remove" and owner_name not in ("os", "")):
            found.append((node.lineno, name))
        elif name == "replace" and len(node.args) == 1 and not node.keywords:
            found.append((node.lineno, "replace"))  # Path.replace / os.replace, not str's
        elif name == "replace" and owner_name == "os":
            found.append((node.lineno, "os.replace"))
        elif name == "open" and owner_name == "os":
            flags = {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
            if flags & WRITE_FLAGS:
                found.append((node.lineno, "os.open for writing"))
        elif name in ("open", "fdopen"):
            modes = [a.value for a in node.args[1:2] if isinstance(a, ast.Constant)]
            modes += [k.value.value for k in node.keywords
                      if k.arg == "mode" and isinstance(k.value, ast.Constant)]
            if any(isinstance(m, str) and set(m) & set("wax+") for m in modes):
                found.append((node.lineno, f"{name}(mode={modes[0]!r})"))
    return found


def test_every_write_in_the_package_goes_through_the_one_write_function() -> None:
    offenders: dict[str, list[tuple[int, str]]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in ALLOWED:
            continue
        found = _writes(ast.parse(path.read_text(encoding="utf-8")))
        if found:
            offenders[rel] = found
    assert offenders == {}
    # The scanner does see writes: the write module itself is full of them.
    seen = {name for _, name in _writes(ast.parse((PACKAGE / "write.py").read_text()))}
    assert {"os.open for writing", "mkdir", "unlink", "rename", "link"} <= seen


def test_read_commands_do_not_import_the_write_function() -> None:
    """A read command walks files -> parse -> index -> output and never reaches `write`."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from netvault.cli import cli\n"
        "for args in (['list'], ['show', 'Ada Okafor'], ['check'], ['due'], ['today']):\n"
        "    CliRunner().invoke(cli, ['--vault', sys.argv[1], *args])\n"
        "print(sorted(m for m in sys.modules if m in ('netvault.write', 'netvault.edit')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(SAMPLE)], capture_output=True, text=True,
        check=True, timeout=60, env={"NETVAULT_TODAY": "2026-11-25", "NETVAULT_NO_CACHE": "1",
                                     "PATH": "", "HOME": "/nonexistent"},
    )
    assert done.stdout.strip() == "[]"


# ---- what the vault carries is read safely ------------------------------------------------


def test_config_and_report_state_are_never_read_through_a_symlink(
    vault: Vault, tmp_path: Path
) -> None:
    people(vault)
    (vault.root / ".netvault.toml").unlink()
    secret = tmp_path / "secret.toml"
    secret.write_text('[report]\npath = "Elsewhere/Report.md"\n', encoding="utf-8")
    (vault.root / ".netvault.toml").symlink_to(secret)
    check = json.loads(vault.run("check", "--json").stdout)
    assert (".netvault.toml", "config-unsafe") in [
        (p["path"], p["code"]) for p in check["problems"]
    ]
    state = tmp_path / "state.json"
    state.write_text('{"version": 1, "generated": "2026-01-01", "contacts": {}}', "utf-8")
    (vault.root / ".netvault").mkdir()
    (vault.root / ".netvault/report-state.json").symlink_to(state)
    result = vault.run("report")
    assert result.exit_code == 1, result.output  # the state is not replaced through the link
    assert "report-state.json: is a symlink" in result.output
    assert not (vault.root / "Elsewhere").exists()
    assert state.read_text("utf-8").startswith('{"version": 1, "generated": "2026-01-01"')
