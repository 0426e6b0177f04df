"""The one writer of YAML values: what netvault writes reads back the same in YAML 1.1
(PyYAML) and YAML 1.2 (ruamel.yaml in 1.2 mode), through the editor and the contact template."""

from __future__ import annotations

import io
import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from netvault.contacts import NewContact, render_contact
from netvault.edit import set_key
from netvault.yamltext import yaml_inline, yaml_key

_RUAMEL = YAML(typ="safe", pure=True)
_RUAMEL.version = (1, 2)


def yaml12(text: str) -> Any:
    return _RUAMEL.load(io.StringIO(text))


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def front_matter(text: str) -> str:
    assert text.startswith("---\n")
    return text[4 : text.index("\n---\n", 4) + 1]


# Text that YAML readers disagree about, and text near it.
TRICKY = [
    "0612345678", "+31612345678", "+49 30 1234567", "007", "0o17", "0x1F", "0b101", "1e3",
    "1E-3", "1_000", "12:30", "1:20:30.5", ".5", "5.", "-.inf", ".NaN", "2026-11-03",
    "2026-11-03 10:00", "2026-1-3", "--03-14", "yes", "No", "ON", "off", "y", "N", "~",
    "null", "Null", "true", "FALSE", "=", "<<", "", " ", "a: b", "a #b", "#tag", "- x",
    "? x", ": x", "@at", "`tick", "%pct", "!bang", "&anchor", "*alias", "|", ">", "[x]",
    "{x}", "a,b", "'quoted'", '"double"', "O'Neil", 'James "JT" Ortiz', "C# Developer",
    "Joel Park (he/him)", "urn:li:member:664293716", "https://example.com/a?b=c#d",
    "line\nbreak", "tab\there", "\u2028", "\x85", "\ufeff", "trailing ", " leading",
    "Zoë Ødegård", "王小明", "2nd floor", "3M", "10 Downing St",
]  # fmt: skip

texts = st.one_of(
    st.sampled_from(TRICKY),
    st.from_regex(r"[-+.0-9_:eExXoObB ]{1,9}", fullmatch=True),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
)
scalars = st.one_of(
    texts,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(min_value=date(1000, 1, 1)),
)
values = st.one_of(
    scalars,
    st.lists(texts, max_size=4),
    st.dictionaries(st.sampled_from(["share-contact", "introductions", "yes", "1"]), texts),
)


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_text_reads_back_as_the_same_text_in_both_versions(text: str) -> None:
    doc = f"k: {yaml_inline(text)}\n"
    assert yaml.safe_load(doc) == {"k": text}
    assert yaml12(doc) == {"k": text}


def test_phone_numbers_are_quoted_only_where_a_yaml_reader_would_read_a_number() -> None:
    assert yaml_inline("0612345678") == "'0612345678'"
    assert yaml_inline("+31612345678") == "'+31612345678'"
    assert yaml_inline("+49 30 1234567") == "+49 30 1234567"
    assert yaml_inline(["0612345678", "+49 30 1234567"]) == "['0612345678', +49 30 1234567]"
    assert yaml_inline("yes") == "'yes'"
    assert yaml_inline("Ada Okafor") == "Ada Okafor"
    assert yaml_key("on") == "'on'"


@settings(max_examples=300, deadline=None)
@given(values)
def test_every_value_reads_back_the_same_in_yaml_1_1_and_1_2(value: Any) -> None:
    doc = f"k: {yaml_inline(value)}\n"
    assert "\n" not in doc[:-1]
    assert same(yaml.safe_load(doc)["k"], value)
    assert same(yaml12(doc)["k"], value)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["phone", "on", "0x1", "links"]), values)
def test_set_key_writes_values_both_versions_read_back(key: str, value: Any) -> None:
    note = "---\nname: Ada Okafor\ntie: 2\n---\n# Ada\n"
    text = set_key(note, key, value)
    fm = front_matter(text)
    for loaded in (yaml.safe_load(fm), yaml12(fm)):
        assert same(loaded[key], value)
        assert loaded["name"] == "Ada Okafor" and loaded["tie"] == 2


@settings(max_examples=60, deadline=None)
@given(texts.filter(lambda t: t.strip() and "\n" not in t), st.lists(texts, max_size=3), texts)
def test_the_contact_template_writes_values_both_versions_read_back(
    name: str, phones: list[str], company: str
) -> None:
    new = NewContact(
        name=name,
        phones=tuple(phones),
        company=company or None,
        extra={"source": "vcard:x.vcf", "connected_on": date(2018, 1, 8)},
    )
    fm = front_matter(render_contact(new, None))
    for loaded in (yaml.safe_load(fm), yaml12(fm)):
        assert loaded["name"] == name
        assert loaded.get("phone") == (phones or None)
        assert loaded.get("company") == (company or None)
        assert loaded["connected_on"] == date(2018, 1, 8)


def test_list_keys_are_lists_in_a_new_contact_even_with_one_value(tmp_path: Path) -> None:
    new = NewContact(
        name="Hana Sato",
        emails=("hana@example.jp",),
        phones=("0612345678",),
        links=("https://hana.example.jp",),
        aliases=("Hana",),
        tags=("pydata",),
    )
    fm = front_matter(render_contact(new, None))
    for loaded in (yaml.safe_load(fm), yaml12(fm)):
        assert loaded["email"] == ["hana@example.jp"]
        assert loaded["phone"] == ["0612345678"]
        assert loaded["links"] == ["https://hana.example.jp"]
        assert loaded["aliases"] == ["Hana"]
        assert loaded["tags"] == ["pydata"]
