"""set, edit, add and the one day parser, through the real CLI on real folders."""

from __future__ import annotations

import stat
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from conftest import Vault
from hypothesis import given, settings
from hypothesis import strategies as st

from netvault.dates import BadDate, parse_day

ADA = """\
---
name: Ada Okafor
tags: [data]   # kept as written
tie: 3
last_met: 2026-10-01
email: ada@example.org
consent:
  share-contact: ask
  introductions: no   # not while Northwind restructures
links:
  - https://example.org/ada
---
Sat next to me for four years.

## Log
- 2026-10-01 (in person) coffee
"""


def ada_vault(vault: Vault) -> Vault:
    vault.write(".netvault.toml", '[owner]\nname = "Sam Rivera"\n')
    vault.write("people/Ada Okafor.md", ADA)
    vault.write("people/Helen Park.md", "---\ntie: 4\n---\n")
    return vault


def note(vault: Vault, name: str = "Ada Okafor") -> str:
    return (vault.root / f"people/{name}.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- set


def test_set_changes_only_the_lines_of_the_keys_it_sets(vault: Vault) -> None:
    ada_vault(vault)
    result = vault.run(
        "set", "Ada Okafor", "tie=trusted", "last_met=yesterday", "tags+=mentor,#ml",
        "share-contact=yes", "cadence=6w", "links+=https://example.org/ada2",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Updated people/Ada Okafor.md",
        "  tie: 3 -> 4",
        "  last_met: 2026-10-01 -> 2026-11-24",
        "  tags: [data] -> [data, mentor, ml]",
        "  share-contact: ask -> yes",
        "  cadence: (none) -> 6w",
        "  links: [https://example.org/ada] -> [https://example.org/ada, https://example.org/ada2]",
    ]
    assert note(vault) == ADA.replace("tags: [data]", "tags: [data, mentor, ml]").replace(
        "tie: 3", "tie: 4"
    ).replace("last_met: 2026-10-01", "last_met: 2026-11-24").replace(
        "  share-contact: ask", "  share-contact: 'yes'"
    ).replace(
        "  - https://example.org/ada\n",
        "  - https://example.org/ada\n  - https://example.org/ada2\ncadence: 6w\n",
    )
    shown = vault.json("show", "Ada Okafor")
    assert (shown["tie"], shown["consent"]) == (
        4, {"share-contact": "yes", "introductions": "no"}
    )
    assert vault.run("check").stdout == "No problems in 2 notes (2 contacts).\n"


def test_set_json_lists_each_change_and_a_repeat_changes_nothing(vault: Vault) -> None:
    ada_vault(vault)
    data = vault.json("set", "Ada Okafor", "introductions=yes", "tags-=data", "role=CTO")
    assert data == {
        "name": "Ada Okafor",
        "path": "people/Ada Okafor.md",
        "changed": True,
        "changes": [
            {"key": "introductions", "old": False, "new": "yes"},
            {"key": "tags", "old": ["data"], "new": []},
            {"key": "role", "old": None, "new": "CTO"},
        ],
    }
    assert "  introductions: 'yes'   # not while Northwind restructures\n" in note(vault)
    before = note(vault)
    again = vault.run("set", "Ada Okafor", "introductions=yes", "role=CTO")
    assert (again.exit_code, again.stdout) == (0, "Nothing to change in people/Ada Okafor.md\n")
    assert note(vault) == before


def test_set_writes_flat_consent_where_the_note_has_no_consent_mapping(vault: Vault) -> None:
    ada_vault(vault)
    assert vault.run("set", "Helen Park", "introductions=no", "email+=h@x.org").exit_code == 0
    text = note(vault, "Helen Park")
    assert text == "---\ntie: 4\nintroductions: 'no'\nemail: h@x.org\n---\n"
    # YAML 1.1 (PyYAML) reads the quoted answer as the same text YAML 1.2 would.
    assert yaml.safe_load(text.split("---")[1])["introductions"] == "no"
    assert vault.json("show", "Helen Park")["consent"] == {
        "share-contact": "ask", "introductions": "no"
    }


def test_set_keeps_a_tie_label_a_label_and_links_a_person(vault: Vault) -> None:
    ada_vault(vault)
    vault.write("people/Helen Park.md", "---\ntie: trusted\n---\n")
    assert vault.run("set", "Helen Park", "tie=5", "introduced_by=ada okafor").exit_code == 0
    assert note(vault, "Helen Park") == (
        "---\ntie: oak\nintroduced_by: '[[Ada Okafor]]'\n---\n"
    )


@pytest.mark.parametrize(
    ("assignment", "code", "message"),
    [
        ("tie=7", 2, "tie: '7' is not a tie (1 acquaintance, 2 contact, 3 knows-my-work, "
         "4 trusted, 5 oak)"),
        ("last_met=2026-11-26", 2, "last_met: 2026-11-26 is in the future"),
        ("first_met=next week", 2, "first_met: 'next week' is not a date; use YYYY-MM-DD, "
         "today, yesterday or 'N days ago' (or weeks, months, years)"),
        ("cadence=often", 2, "cadence: 'often' is not an interval like 30d, 6w, 3m or 1y"),
        ("share-contact=maybe", 2, "share-contact: 'maybe' is not yes, ask or no"),
        ("compnay=Acme", 2, "netvault does not set 'compnay'; did you mean company?"),
        ("email+=not-an-address", 2, "email: 'not-an-address' is not an e-mail address"),
        ("tie+=1", 2, "tie is not a list: use tie=VALUE"),
        ("role=", 2, "role= needs a value"),
        ("nonsense", 2, "'nonsense' is not KEY=VALUE"),
        ("introduced_by=Nobody", 2, "introduced_by: no contact named 'Nobody'"),
        ("tags-=zzz", 1, "tags has no 'zzz' to remove (it holds: data)"),
    ],
)
def test_set_refuses_a_bad_value_and_writes_nothing(
    vault: Vault, assignment: str, code: int, message: str
) -> None:
    ada_vault(vault)
    before = vault.snapshot()
    result = vault.run("set", "Ada Okafor", "role=CTO", assignment)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert vault.snapshot() == before


# ---------------------------------------------------------------------------- edit


def test_edit_opens_the_editor_on_the_note_then_checks_it(vault: Vault, tmp_path: Path) -> None:
    ada_vault(vault)
    editor = tmp_path / "fake-editor"
    editor.write_text('#!/bin/sh\nprintf -- "- 2026-11-25 (call) quick call\\n" >> "$1"\n')
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    result = vault.run("edit", "ada okafor", EDITOR=str(editor), VISUAL="")
    assert (result.exit_code, result.stdout) == (0, "")
    assert note(vault) == ADA + "- 2026-11-25 (call) quick call\n"

    breaker = tmp_path / "breaker"
    breaker.write_text("#!/bin/sh\nsed -i 's/^tie: 3$/tie: lots/' \"$1\"\n")
    breaker.chmod(breaker.stat().st_mode | stat.S_IEXEC)
    broken = vault.run("edit", "Ada Okafor", VISUAL=str(breaker))
    assert broken.exit_code == 1
    assert broken.stdout == (
        "people/Ada Okafor.md:4: error bad-tie: tie must be 1-5 or one of acquaintance, "
        "contact, knows-my-work, trusted, oak; got 'lots'\n"
    )


def test_edit_obsidian_prints_the_obsidian_link(vault: Vault) -> None:
    ada_vault(vault)
    result = vault.run("edit", "Ada Okafor", "--obsidian")
    assert (result.exit_code, result.stdout) == (
        0, "obsidian://open?vault=vault&file=people%2FAda%20Okafor\n"
    )
    assert vault.json("edit", "Ada Okafor", "--obsidian") == {
        "name": "Ada Okafor",
        "path": "people/Ada Okafor.md",
        "obsidian": "obsidian://open?vault=vault&file=people%2FAda%20Okafor",
    }


def test_edit_without_an_editor_is_a_usage_error(vault: Vault) -> None:
    ada_vault(vault)
    result = vault.run("edit", "Ada Okafor", EDITOR="", VISUAL="")
    assert result.exit_code == 2
    assert "set $VISUAL or $EDITOR to your editor" in result.stderr


# ---------------------------------------------------------------------------- add


def test_add_writes_every_field_the_template_has(vault: Vault) -> None:
    vault.write(".netvault.toml", '[owner]\nname = "Sam Rivera"\n')
    result = vault.run(
        "add", "Ada Okafor", "--tie", "knows my work", "--alias", "Ada O.", "--company", "Acme",
        "--role", "CTO", "--location", "Berlin", "--email", "ada@example.org",
        "--email", "ada@work.example", "--phone", "+49 30 1234", "--link",
        "https://example.org/ada", "--relationship", "former-colleague", "--tag", "#data",
        "--met", "3 years ago", "--last", "yesterday", "--in-person", "--cadence", "6W",
        "--note", "Sat next to me   at Globex.",
    )
    assert (result.exit_code, result.stdout) == (0, "Created people/Ada Okafor.md\n")
    assert note(vault) == (
        "---\n"
        "name: Ada Okafor\n"
        "aliases: [Ada O.]\n"
        "tags: [data]\n"
        "tie: 3\n"
        "first_met: 2023-11-25\n"
        "last_met: 2026-11-24\n"
        "met_in_person: true\n"
        "company: Acme\n"
        "role: CTO\n"
        "location: Berlin\n"
        "email: [ada@example.org, ada@work.example]\n"
        "phone: [+49 30 1234]\n"
        "links: ['https://example.org/ada']\n"
        "relationship: [former-colleague]\n"
        "cadence: 6w\n"
        "share-contact: ask\n"
        "introductions: ask\n"
        "---\n"
        "Sat next to me at Globex.\n"
        "\n"
        "## Log\n"
    )
    shown = vault.json("show", "Ada O.")
    assert (shown["cadence_days"], shown["phone"], shown["relationship"]) == (
        42, ["+49 30 1234"], ["former-colleague"]
    )
    assert vault.run("check").stdout == "No problems in 1 note (1 contact).\n"


def test_add_met_alone_is_not_a_last_contact(vault: Vault) -> None:
    assert vault.run("add", "Ben Carter", "--met", "2019-05-01").exit_code == 0
    shown = vault.json("show", "Ben Carter")
    assert (shown["first_met"], shown["last_met"]) == ("2019-05-01", None)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--met", "2030-01-01"], "--met: 2030-01-01 is in the future"),
        (["--last", "tomorrow"], "--last: 'tomorrow' is not a date"),
        (["--met", "yesterday", "--last", "3 days ago"],
         "--last 2026-11-22 is before --met 2026-11-24"),
        (["--tie", "besties"], "tie: 'besties' is not a tie"),
        (["--cadence", "weekly"], "cadence: 'weekly' is not an interval"),
        (["--email", "nope"], "email: 'nope' is not an e-mail address"),
    ],
)
def test_add_refuses_bad_values_with_exit_2(vault: Vault, args: list[str], message: str) -> None:
    result = vault.run("add", "Ben Carter", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not (vault.root / "people").exists()


# ---------------------------------------------------------------------------- the day parser


def test_log_takes_the_same_days_as_set_and_add(vault: Vault) -> None:
    ada_vault(vault)
    result = vault.run("log", "Ada Okafor", "read her post", "--date", "3 days ago")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == "  - 2026-11-22 read her post"
    future = vault.run("log", "Ada Okafor", "dinner", "--date", "2026-12-01")
    assert future.exit_code == 2
    assert "--date: 2026-12-01 is in the future" in future.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", "2026-03-31"),
        (" Yesterday ", "2026-03-30"),
        ("3 days ago", "2026-03-28"),
        ("1 day ago", "2026-03-30"),
        ("2w ago", "2026-03-17"),
        ("a week ago", "2026-03-24"),
        ("1 month ago", "2026-02-28"),  # 31 March -> the last day of February
        ("13 months ago", "2025-02-28"),
        ("a year ago", "2025-03-31"),
        ("2026-01-05", "2026-01-05"),
    ],
)
def test_parse_day_reads_the_forms_people_type(text: str, expected: str) -> None:
    assert parse_day(text, date(2026, 3, 31)).isoformat() == expected


@pytest.mark.parametrize(
    "text", ["next friday", "03/04/2026", "3 fortnights ago", "", "-1 days ago"]
)
def test_parse_day_refuses_what_it_would_have_to_guess(text: str) -> None:
    with pytest.raises(BadDate):
        parse_day(text, date(2026, 3, 31))


def test_parse_day_refuses_the_future_only_where_asked() -> None:
    with pytest.raises(BadDate, match="in the future"):
        parse_day("2026-04-01", date(2026, 3, 31))
    assert parse_day("2026-04-01", date(2026, 3, 31), past=False) == date(2026, 4, 1)


@settings(max_examples=60, deadline=None)
@given(days=st.integers(0, 20_000), today=st.dates(date(1990, 1, 1), date(2100, 1, 1)))
def test_n_days_ago_is_n_days_before_today(days: int, today: date) -> None:
    if days > (today - date(1, 1, 1)).days:
        return
    assert parse_day(f"{days} days ago", today) == today - timedelta(days=days)
    assert parse_day(today.isoformat(), today) == today



def test_edit_passes_the_file_name_to_the_editor_without_a_shell(
    vault: Vault, tmp_path: Path
) -> None:
    # A cloned vault may hold a note whose name a shell would run.
    vault.write("people/$(touch pwned) Ada.md", "---\ntie: 3\n---\n")
    editor = tmp_path / "fake editor"
    editor.write_text('#!/bin/sh\nprintf -- "edited\\n" >> "$1"\n')
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    result = vault.run("edit", "$(touch pwned) Ada", EDITOR=f"'{editor}'", VISUAL="")
    assert result.exit_code == 0, result.output
    assert (vault.root / "people/$(touch pwned) Ada.md").read_text().endswith("edited\n")
    assert not list(vault.root.rglob("pwned")) and not Path("pwned").exists()


def test_set_keeps_flow_and_block_styles_it_found(vault: Vault) -> None:
    vault.write(
        "people/Ada Okafor.md",
        "---\nconsent: {share-contact: ask, introductions: yes}\ntags:\n  - data\n---\n",
    )
    assert vault.run("set", "Ada Okafor", "share-contact=no", "tags+=ml").exit_code == 0
    assert (vault.root / "people/Ada Okafor.md").read_text() == (
        "---\nconsent: {share-contact: 'no', introductions: yes}\ntags:\n  - data\n  - ml\n---\n"
    )
