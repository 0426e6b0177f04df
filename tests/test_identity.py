"""The evidence for "same person", and safe file names for real names."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netvault.identity import (
    is_email,
    is_real_name,
    looks_like_phone,
    names_compatible,
    phone_key,
    profile,
)
from netvault.names import check_note_name, safe_file_stem


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        ("Sam Lee", "Sam Lee", True),
        ("Lee Sam", "Sam Lee", True),
        ("Grace Hopper", "Grace Brewster Hopper", True),
        ("A. Okafor", "Ada Okafor", True),
        ("Kit", "Kit Ito", True),
        ("王 小明", "王小明", True),
        ("John Smith", "Jane Smith", False),
        ("Person 1", "Person 15", False),
        ("Mr. Doe John I Johny", "Mr. John Richter James Doe Sr.", True),
        ("Sam Lee", "Sam Leeson", False),
        ("Ada Okafor", "Ben Carter", False),
        ("kit@example.com", "Kit Ito", True),  # one side has no real name
        ("+44 7700 900123", "Jane Roe", True),
        ("Unnamed contact 3", "Jane Roe", True),
    ],
)
def test_names_are_compatible_only_when_they_can_be_one_persons(
    a: str, b: str, compatible: bool
) -> None:
    assert names_compatible(a, b) is compatible
    assert names_compatible(b, a) is compatible


def test_addresses_numbers_and_urns_are_no_names() -> None:
    assert is_email("kit@example.com") and not is_email("urn:li:member:664293716")
    assert not is_email("n/a") and not is_email("a@b") and not is_email("a b@example.com")
    assert looks_like_phone("+44 7700 900123") and looks_like_phone("(030) 1234-567 ext. 12")
    assert not looks_like_phone("3M") and not looks_like_phone("Agent 007")
    for text in ("jane.private@example.net", "+44 7700 900123", "urn:li:member:66",
                 "https://example.com/x", "Unnamed contact 12", "  "):
        assert not is_real_name(text), text
    for text in ("Jane Roe", "C# Developer", "3M", "王小明", 'James "JT" Ortiz'):
        assert is_real_name(text), text


def test_phone_numbers_match_by_their_last_nine_digits() -> None:
    assert phone_key("0612345678") == phone_key("+31 6 12345678") == "612345678"
    assert phone_key("112") is None


def test_profile_urls_are_normalised_and_only_profiles_count() -> None:
    key = ("linkedin", "linkedin.com/in/sam-lee-111")
    assert profile("https://www.linkedin.com/in/sam-lee-111") == key
    assert profile("http://uk.linkedin.com/in/Sam-Lee-111/?trk=x") == key
    assert profile("linkedin.com/in/sam-lee-111/") == key
    assert profile("https://github.com/samlee") == ("github", "github.com/samlee")
    assert profile("https://www.linkedin.com/company/acme") is None
    assert profile("https://acme.example/team/sam") is None
    assert profile("https://github.com/") is None


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_every_name_gets_a_file_name_the_vault_accepts(name: str) -> None:
    stem = safe_file_stem(name)
    assert check_note_name(stem) == stem
    assert safe_file_stem(stem) == stem


def test_file_names_replace_only_what_a_file_name_cannot_hold() -> None:
    assert safe_file_stem("Joel Park (he/him)") == "Joel Park (he-him)"
    assert safe_file_stem('James "JT" Ortiz') == "James 'JT' Ortiz"
    assert safe_file_stem("C# Developer") == "C- Developer"
    assert safe_file_stem("Zoë Ødegård") == "Zoë Ødegård"
    assert len(safe_file_stem("x" * 500).encode()) <= 120
