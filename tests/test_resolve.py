"""Names as people say them: the resolution order of `netvault.resolve`, on real vaults."""

from __future__ import annotations

import pytest
from conftest import Vault
from hypothesis import given
from hypothesis import strategies as st

from netvault.resolve import AmbiguousName, NameEntry, matches, resolve_name

PEOPLE = [
    NameEntry("people/Bruno Costa.md", "Bruno Costa", ("Bru",)),
    NameEntry("people/Sam Lee.md", "Sam Lee"),
    NameEntry("people/Sam Lee (Globex).md", "Sam Lee"),
    NameEntry("people/Zoë Ñúñez.md", "Zoë Ñúñez"),
    NameEntry("people/Ben Carter.md", "Ben Carter"),
    NameEntry("people/Benjamin Lee.md", "Benjamin Lee", ("Ben L",)),
    NameEntry("people/Ada Okafor.md", "Ada Okafor", ("Sam",)),
]


def names(query: str) -> list[str]:
    return [e.path for e in matches(query, PEOPLE)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("people/Sam Lee (Globex).md", ["people/Sam Lee (Globex).md"]),
        ("people/Sam Lee", ["people/Sam Lee.md"]),
        ("Sam Lee (Globex)", ["people/Sam Lee (Globex).md"]),
        # Same display name: both, sorted, never a guess.
        ("Sam Lee", ["people/Sam Lee (Globex).md", "people/Sam Lee.md"]),
        ("Bru", ["people/Bruno Costa.md"]),  # alias before prefix
        ("Bruno", ["people/Bruno Costa.md"]),  # unique first name
        ("Ben", ["people/Ben Carter.md"]),  # first name beats the prefix of Benjamin
        ("Benj", ["people/Benjamin Lee.md"]),  # unique prefix
        ("Bruno C", ["people/Bruno Costa.md"]),
        ("bruno", ["people/Bruno Costa.md"]),  # case-free, last
        ("zoe nunez", ["people/Zoë Ñúñez.md"]),  # accent-free
        ("zoe", ["people/Zoë Ñúñez.md"]),
        # "Sam" is Ada's alias; aliases come before first names, so Ada, not a Sam Lee.
        ("Sam", ["people/Ada Okafor.md"]),
        ("Nobody", []),
        ("   ", []),
    ],
)
def test_resolution_order(query: str, expected: list[str]) -> None:
    assert names(query) == expected


def test_exact_name_beats_another_notes_alias() -> None:
    people = [NameEntry("p/Ann.md", "Ann Field", ("Bob Stone",)), NameEntry("p/B.md", "Bob Stone")]
    assert resolve_name("Bob Stone", people) == people[1]


def test_ambiguity_lists_every_candidate_with_its_file() -> None:
    with pytest.raises(AmbiguousName) as caught:
        resolve_name("Sam Lee", PEOPLE)
    assert str(caught.value) == (
        "'Sam Lee' matches 2 contacts; say which (a file name or path works):\n"
        "  Sam Lee (people/Sam Lee (Globex).md)\n"
        "  Sam Lee (people/Sam Lee.md)"
    )


@given(st.text(min_size=1, max_size=12))
def test_any_query_gives_none_one_or_a_listed_ambiguity(query: str) -> None:
    found = matches(query, PEOPLE)
    try:
        single = resolve_name(query, PEOPLE)
    except AmbiguousName as exc:
        assert len(found) > 1 and exc.candidates == found
    else:
        assert found == ([single] if single else [])


def _people_vault(vault: Vault) -> Vault:
    vault.write("people/Bruno Costa.md", "---\nname: Bruno Costa\ntie: 3\n---\n")
    vault.write("people/Sam Lee.md", "---\nname: Sam Lee\ntie: 2\ncompany: Acme\n---\n")
    vault.write("people/Sam Lee (Globex).md", "---\nname: Sam Lee\ntie: 2\ncompany: Globex\n---\n")
    return vault


def test_show_resolves_a_unique_first_name(vault: Vault) -> None:
    result = _people_vault(vault).run("show", "bruno", "--json")
    assert result.exit_code == 0, result.output
    assert '"name": "Bruno Costa"' in result.stdout


def test_ambiguous_name_exits_2_listing_file_names(vault: Vault) -> None:
    result = _people_vault(vault).run("show", "Sam Lee")
    assert result.exit_code == 2
    assert "'Sam Lee' matches 2 contacts" in result.output
    assert "Sam Lee (people/Sam Lee (Globex).md)" in result.output
    assert "Sam Lee (people/Sam Lee.md)" in result.output


def test_file_name_picks_one_of_two_same_name_people(vault: Vault) -> None:
    result = _people_vault(vault).run("show", "Sam Lee (Globex)", "--json")
    assert result.exit_code == 0, result.output
    assert '"company": "Globex"' in result.stdout
