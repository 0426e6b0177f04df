"""The index over real vault folders: names, links, interactions, broken notes."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from conftest import Vault

from netvault.index import UnknownName, load_index


def test_lookup_is_case_and_accent_insensitive_with_suggestions(vault: Vault) -> None:
    vault.write("people/Zoë Ñúñez.md", "---\naliases: [Zo]\ntie: 3\n---\n")
    vault.write("people/Ben Carter.md", "---\ntie: 2\n---\n")
    index = load_index(vault.root)
    assert index.lookup("zoe nunez").name == "Zoë Ñúñez"
    assert index.lookup("ZO").name == "Zoë Ñúñez"
    with pytest.raises(UnknownName) as raised:
        index.lookup("Ben Carer")
    assert raised.value.suggestions == ["Ben Carter"]
    assert "did you mean 'Ben Carter'?" in str(raised.value)


def test_one_broken_note_never_stops_the_others(vault: Vault) -> None:
    vault.write("people/Good.md", "---\ntie: 3\n---\n")
    vault.write("people/Bad.md", "---\ntie: [3\n---\n")
    vault.write("people/Latin.md", "---\nname: Ren\xe9\n---\n".encode("latin-1"))
    index = load_index(vault.root)
    assert [c.name for c in index.contacts] == ["Good"]
    assert {(p.path, p.code) for p in index.problems} == {
        ("people/Bad.md", "yaml"),
        ("people/Latin.md", "encoding"),
    }


def test_duplicate_names_and_aliases_name_both_files(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", "---\naliases: [Ada]\n---\n")
    vault.write("people/work/Ada.md", "---\nname: Ada Lovelace\n---\n")
    index = load_index(vault.root)
    messages = [p.format() for p in index.problems if p.code == "duplicate-name"]
    # [[Ada]] is the note called Ada, as in Obsidian: the alias is the one reported.
    assert messages == [
        "people/Ada Okafor.md:2: error duplicate-name: name or alias 'Ada' is also used by "
        "people/work/Ada.md"
    ]
    assert index.resolve("Ada") == "people/work/Ada.md"


def test_two_people_of_one_name_are_information_and_links_go_by_file_name(
    vault: Vault,
) -> None:
    vault.write("people/Sam Lee.md", "---\nname: Sam Lee\ncompany: Acme\n---\n")
    vault.write("people/Sam Lee (Globex).md", "---\nname: Sam Lee\ncompany: Globex\n---\n")
    vault.write("notes/Plan.md", "Ask [[Sam Lee]], then [[Sam Lee (Globex)]]\n")
    for index in (load_index(vault.root), load_index(vault.root, use_cache=True)):
        assert [p.format() for p in index.problems] == [
            "people/Sam Lee (Globex).md:2: info same-name: people/Sam Lee.md is also called "
            "'Sam Lee'; links and commands tell them apart by file name"
        ]
        assert index.resolve("Sam Lee") == "people/Sam Lee.md"
        assert index.resolve("Sam Lee (Globex)") == "people/Sam Lee (Globex).md"
        assert index.error_count == 0
    assert load_index(vault.root).links_out("notes/Plan.md") == [
        "people/Sam Lee.md",
        "people/Sam Lee (Globex).md",
    ]


def test_links_backlinks_and_broken_links(vault: Vault) -> None:
    vault.write("people/Ada.md", "Knows [[ben|B]], [[Ben#Work]] and [[Nobody Here]] ![[pic.png]]\n")
    vault.write("people/Ben.md", "---\nintroduced_by: '[[Ada]]'\n---\n")
    vault.write("projects/Plan.md", "Ask [[people/Ada]]\n")
    index = load_index(vault.root)
    assert index.links_out("people/Ada.md") == ["people/Ben.md"]
    assert sorted(index.backlinks("people/Ada.md")) == ["people/Ben.md", "projects/Plan.md"]
    assert index.linked("people/Ada.md", "people/Ben.md")
    broken = [p.format() for p in index.problems]
    assert broken == ["people/Ada.md:1: warning broken-link: [[Nobody Here]] matches no note"]


def test_daily_notes_count_once_per_day_and_never_use_mtime(vault: Vault) -> None:
    vault.write("people/Ada.md", "---\ntie: 4\nlast_met: 2026-01-01\n---\n")
    daily = vault.write(
        "journal/2026-11-20.md", "- (in person) lunch with [[Ada]]\n- later [[ada]] again\n"
    )
    vault.write("journal/2026-11-21.md", "- [ ] ask [[Ada]] about it\n> [[Ada]] said so\n")
    os.utime(daily, (0, 0))  # a git clone resets mtimes: they must not matter
    index = load_index(vault.root)
    ada = index.lookup("Ada")
    items = index.interactions(ada)
    assert [(i.date, i.channel, i.path) for i in items] == [
        (date(2026, 11, 20), "in person", "journal/2026-11-20.md")
    ]
    assert index.met_in_person(ada)
    assert index.last_contact(ada) == date(2026, 11, 20)
    tasks = index.tasks(ada)
    assert [t.text for t in tasks] == ["ask [[Ada]] about it"]


def test_dot_folders_are_never_notes(vault: Vault) -> None:
    for folder in (".obsidian", ".git", ".trash", ".netvault", ".hidden"):
        vault.write(f"{folder}/people/X.md", "---\ntype: person\n---\n")
    vault.write("people/Real.md", "")
    index = load_index(vault.root)
    assert list(index.notes) == ["people/Real.md"]


def test_symlinks_out_of_the_vault_are_not_followed(vault: Vault, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Secret.md").write_text("---\ntype: person\n---\n")
    vault.write("people/Real.md", "---\ntie: 2\n---\n")
    (vault.root / "people" / "Secret.md").symlink_to(outside / "Secret.md")
    (vault.root / "linked").symlink_to(outside, target_is_directory=True)
    (vault.root / "loop").symlink_to(vault.root / "loop")
    index = load_index(vault.root)
    assert list(index.notes) == ["people/Real.md"]
    assert sorted((p.path, p.code) for p in index.problems) == [
        ("linked", "symlink-outside"),
        ("loop", "symlink-outside"),
        ("people/Secret.md", "symlink-outside"),
    ]


def test_contacts_folder_and_config_are_honoured(vault: Vault) -> None:
    vault.write(".netvault.toml", '[vault]\ncontacts = "crm/people"\n')
    vault.write("crm/people/Ada.md", "")
    vault.write("people/Not A Contact.md", "")
    index = load_index(vault.root)
    assert [c.name for c in index.contacts] == ["Ada"]


def test_bad_config_is_a_problem_with_its_line(vault: Vault) -> None:
    vault.write(".netvault.toml", '[owner]\nname = "Sam"\n[vault\n')
    index = load_index(vault.root)
    assert [(p.path, p.line, p.code) for p in index.problems] == [
        (".netvault.toml", 3, "config-syntax")
    ]
