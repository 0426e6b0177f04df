"""Names and import data that would escape the vault or break on some file system are
refused (by `add`, exit 2) or reported record by record (by `import`); symlinks out of the
vault and loops are never followed; names differing only in case are one name.

tests/test_index.py covers the walker's basic symlink cases; these add writes through
symlinks, relative links out, chained loops and folder loops inside the vault.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Vault

from netvault.index import load_index
from netvault.names import MAX_NAME_BYTES

ESCAPING = {
    "parent": "../../x",
    "parent-only": "..",
    "dot": ".",
    "through-people": "people/../../x",
    "absolute": "/etc/cron.d/x",
    "windows-absolute": "C:\\Windows\\x",
    "backslash-parent": "..\\..\\x",
    "device": "CON",
    "device-ext": "nul.txt",
    "device-lower": "lpt1",
    "obsidian": ".obsidian",
    "git": ".git",
    "leading-dot": ".hidden",
    "nul": "Ada\x00Okafor",
    "newline": "Ada\nOkafor",
    "escape": "Ada\x1b[31m",
    "bidi-override": "Eve\u202egnp.exe",
    "zero-width": "Ada\u200bOkafor",
    "too-long": "A" * (MAX_NAME_BYTES + 1),
    "too-long-utf8": "é" * (MAX_NAME_BYTES // 2 + 1),
    "wikilink": "[[Ada]]",
    "pipe": "Ada | Okafor",
    "heading": "Ada#1",
    "block": "Ada^x",
    "colon": "Ada: Okafor",
    "star": "Ada*",
    "question": "Ada?",
    "quote": 'Ada "O"',
    "angle": "<Ada>",
}


def outside_files(tmp_path: Path, vault: Vault) -> list[Path]:
    return [
        p for p in tmp_path.rglob("*")
        if p.is_file() and vault.root not in p.parents and p.name != "contacts.vcf"
    ]


@pytest.mark.parametrize("name", list(ESCAPING.values()), ids=list(ESCAPING))
def test_add_refuses_names_that_escape_or_break_the_vault(
    vault: Vault, tmp_path: Path, name: str
) -> None:
    vault.write("people/Real.md", "---\ntie: 2\n---\n")
    before = vault.snapshot()
    result = vault.run("add", name)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert vault.snapshot() == before
    assert outside_files(tmp_path, vault) == []


def test_add_trims_surrounding_spaces_and_keeps_the_name_it_would_find(vault: Vault) -> None:
    """Spaces around a name never reach the file system (Windows drops trailing ones)."""
    result = vault.run("add", "  Ada   Okafor  ", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"created": "people/Ada Okafor.md", "name": "Ada Okafor"}
    assert vault.run("add", "Ada Okafor  ").exit_code == 1


def test_add_accepts_the_longest_name_and_emoji_and_right_to_left_text(vault: Vault) -> None:
    longest = "é" * (MAX_NAME_BYTES // 2)
    for name in (longest, "👩🏽‍💻 Zoë Ñúñez", "עדה לוי", "محمد علي"):
        result = vault.run("add", name, "--json")
        assert result.exit_code == 0, (name, result.output)
        assert (vault.root / f"people/{name}.md").is_file()
    index = load_index(vault.root)
    assert index.problems == []
    assert index.lookup("👩🏽‍💻 zoe nunez").name == "👩🏽‍💻 Zoë Ñúñez"
    assert index.lookup("עדה לוי").path == "people/עדה לוי.md"


def test_import_keeps_every_hostile_name_inside_the_vault(
    vault: Vault, tmp_path: Path
) -> None:
    names = [
        "../../escape", "/etc/cron.d/evil", "CON", ".obsidian", "A" * 300, "Ok Person",
        "Nul\x00Byte", "Eve\u202egnp.exe", "Ada | Okafor", "..", "  Spaced   Out  ",
    ]
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nEMAIL:p{n}@example.com\r\nEND:VCARD\r\n"
        for n, name in enumerate(names)
    )
    source = tmp_path / "contacts.vcf"
    source.write_bytes(cards.encode("utf-8"))
    result = vault.run("import", "vcard", str(source), "--json")
    assert result.exit_code == 1, result.output  # ".." is no name: reported
    report = json.loads(result.stdout)
    # Nobody is refused for their name: the name stays in `name:` (without the NUL byte and
    # the bidi override, which no name holds); only the file name is made safe.
    assert [(c["name"], c["path"].removeprefix("people/")) for c in report["created"]] == [
        ("../../escape", "-..-escape.md"),
        ("/etc/cron.d/evil", "-etc-cron.d-evil.md"),
        ("CON", "CON (contact).md"),
        (".obsidian", "obsidian.md"),
        ("A" * 300, "A" * 117 + "….md"),
        ("Ok Person", "Ok Person.md"),
        ("NulByte", "NulByte.md"),
        ("Evegnp.exe", "Evegnp.exe.md"),
        ("Ada | Okafor", "Ada - Okafor.md"),
        ("Spaced Out", "Spaced Out.md"),
        ("Unnamed contact 1", "Unnamed contact 1.md"),
    ]
    assert [(p["line"], p["message"].split(";")[0]) for p in report["problems"]] == [
        (46, "no name (it has p9@example.com)")
    ]
    assert outside_files(tmp_path, vault) == []
    index = load_index(vault.root)
    assert len(index.contacts) == len(names)
    assert [p for p in index.problems if p.severity != "info"] == []


# ---- symlinks --------------------------------------------------------------------------


def test_add_never_writes_through_a_symlink_out_of_the_vault(
    vault: Vault, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    vault.write("people/Real.md", "---\ntie: 2\n---\n")
    (vault.root / "people" / "Eve.md").symlink_to(outside / "Eve.md")  # dangling
    result = vault.run("add", "Eve")
    assert result.exit_code == 2
    assert "outside the vault" in result.output
    assert list(outside.iterdir()) == []


def test_a_contacts_folder_linked_out_of_the_vault_is_refused(
    vault: Vault, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    vault.write("notes/Keep.md", "a note\n")
    (vault.root / "people").symlink_to(outside, target_is_directory=True)
    result = vault.run("add", "Ada Okafor")
    assert result.exit_code == 2, result.output
    assert "outside the vault" in result.output
    assert list(outside.iterdir()) == []


def test_relative_links_out_chained_loops_and_folder_loops_are_not_followed(
    vault: Vault, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Secret.md").write_text("---\ntype: person\nemail: secret@example.com\n---\n")
    vault.write("people/Real.md", "---\ntie: 2\n---\n[[Secret]]\n")
    people = vault.root / "people"
    (people / "Secret.md").symlink_to(Path("..", "..", "outside", "Secret.md"))
    (people / "a.md").symlink_to(people / "b.md")
    (people / "b.md").symlink_to(people / "a.md")
    (people / "again").symlink_to(vault.root, target_is_directory=True)  # a loop inside
    (vault.root / "up").symlink_to(tmp_path, target_is_directory=True)  # holds the vault
    index = load_index(vault.root)
    assert list(index.notes) == ["people/Real.md"]
    assert sorted((p.path, p.code) for p in index.problems) == [
        ("people/Real.md", "broken-link"),
        ("people/Secret.md", "symlink-outside"),
        ("people/a.md", "symlink-outside"),
        ("people/b.md", "symlink-outside"),
        ("up", "symlink-outside"),
    ]


# ---- case-insensitive file systems -------------------------------------------------------


def test_two_notes_differing_only_in_case_are_a_duplicate_name_naming_both(
    vault: Vault,
) -> None:
    """On macOS or Windows one would overwrite the other; synced from Linux, they clash."""
    vault.write("people/Ada.md", "---\ntie: 3\n---\n")
    vault.write("people/ada.md", "---\ntie: 2\n---\n")
    result = vault.run("check", "--json")
    assert result.exit_code == 1
    problems = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "duplicate-name"]
    assert len(problems) == 1
    problem = problems[0]
    named = {problem["path"], *[w.strip("'.,") for w in problem["message"].split()]}
    assert {"people/Ada.md", "people/ada.md"} <= named
    assert problem["severity"] == "error"


def test_add_refuses_a_name_that_differs_only_in_case_or_accents(vault: Vault) -> None:
    vault.write("people/Ada.md", "---\ntie: 3\n---\n")
    vault.write("people/Zoë.md", "---\ntie: 3\n---\n")
    before = vault.snapshot()
    for name in ("ADA", "ada", "zoe", "ZOË"):
        result = vault.run("add", name)
        assert result.exit_code == 1, (name, result.output)
        assert "already" in result.output
    # `add` decides under the vault lock, whose file stays (see docs/limits.md).
    lock_files = {".netvault/lock", ".netvault/.gitignore"}
    assert {k: v for k, v in vault.snapshot().items() if k not in lock_files} == before
