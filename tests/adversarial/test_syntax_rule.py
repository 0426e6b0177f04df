"""Issue 11, item 3: one front-matter rule for the parser, the editor, merge and relink.

An opening `----` (or `---` and a no-break space) was front matter to the parser but body to
the editor, which then put a second block on top: the contact lost its tie and its consent.
Now `netvault.syntax` decides for all of them, and the editor keeps the delimiters it found.
"""

from __future__ import annotations

import json

import pytest
from conftest import Vault
from hypothesis import given, settings
from hypothesis import strategies as st

from netvault.edit import EditRefused, front_matter, set_key
from netvault.merge import split_other
from netvault.parse import parse_note
from netvault.relink import relink

DASH_FOUR = (
    "{open}\nname: Dash Four\ntie: 4\nconsent:\n  share-contact: no\n  introductions: no\n"
    "{close}\n# Dash Four\n\n## Log\n- 2026-01-05 (call) catch-up\n"
)
OPENINGS = {"four dashes": "----", "no-break space": "---\u00a0", "dashes and tab": "----- \t"}


@pytest.mark.parametrize("opening", list(OPENINGS.values()), ids=list(OPENINGS))
def test_an_edit_keeps_an_odd_front_matter_block_and_its_consent(
    vault: Vault, opening: str
) -> None:
    note = vault.write("people/Dash Four.md", DASH_FOUR.format(open=opening, close=opening))
    result = vault.run("log", "Dash Four", "coffee", "--channel", "in-person")
    assert result.exit_code == 0, result.output
    text = note.read_text(encoding="utf-8")
    assert text.startswith(f"{opening}\nname: Dash Four\n"), text
    assert text.count(opening + "\n") == 2  # no second block on top
    assert "- 2026-11-25 (in person) coffee" in text
    shown = vault.json("show", "Dash Four")
    assert shown["tie"] == 4
    assert shown["consent"] == {"share-contact": "no", "introductions": "no"}
    check = json.loads(vault.run("check", "--json").stdout)
    assert [p for p in check["problems"] if p["path"] == "people/Dash Four.md"] == []


def test_an_unclosed_odd_block_is_refused_with_a_reason_never_prepended(vault: Vault) -> None:
    text = "----\nname: Dash Four\ntie: 4\n# no closing line\n"
    note = vault.write("people/Dash Four.md", text)
    result = vault.run("log", "Dash Four", "coffee")
    assert result.exit_code == 1
    assert "front matter is never closed (no second '----' line)" in result.output
    assert note.read_text(encoding="utf-8") == text
    check = vault.json("check")
    assert [
        (p["code"], p["line"]) for p in check["problems"] if p["path"] == "people/Dash Four.md"
    ] == [("unclosed-front-matter", 1)]


DELIMITERS = st.sampled_from(["---", "----", "------", "--- ", "---\t", "---\u00a0", "----\u3000"])


@settings(max_examples=60, deadline=None)
@given(
    opening=DELIMITERS,
    closing=DELIMITERS,
    crlf=st.booleans(),
    bom=st.booleans(),
    tie=st.integers(1, 5),
    body=st.sampled_from(["", "# Title\n", "----\nnot front matter\n----\n", "\n- x\n"]),
)
def test_parser_and_editor_agree_on_every_delimiter(
    opening: str, closing: str, crlf: bool, bom: bool, tie: int, body: str
) -> None:
    nl = "\r\n" if crlf else "\n"
    text = ("\ufeff" if bom else "") + nl.join(
        [opening, "name: Dash", "tie: 2", closing, *body.split("\n")]
    )
    parsed = parse_note("people/Dash.md", text.encode("utf-8"))
    assert parsed.note.meta == {"name": "Dash", "tie": 2}
    assert front_matter(text.removeprefix("\ufeff")) == {"name": "Dash", "tie": 2}
    edited = set_key(text.removeprefix("\ufeff") if not bom else text, "tie", tie)
    again = parse_note("people/Dash.md", edited.encode("utf-8"))
    assert again.note.meta == {"name": "Dash", "tie": tie}
    assert again.note.body == parsed.note.body
    assert edited.split(nl)[0].removeprefix("\ufeff") == opening  # delimiters kept


def test_merge_and_relink_read_the_same_block() -> None:
    text = "----\nintroduced_by: \"[[Old]]\"\n----\n# Title\n\n## Log\n- 2026-01-01 [[Old]]\n"
    linked = relink(text, {"old"}, "New")
    assert linked.text == (
        "----\nintroduced_by: \"[[New]]\"\n----\n# Title\n\n## Log\n- 2026-01-01 [[New|Old]]\n"
    )
    log, rest = split_other(text)
    assert [entry.lines for entry in log] == [("- 2026-01-01 [[Old]]",)]
    assert rest == ""


def test_set_key_refuses_rather_than_prepend_on_cr_only_lines() -> None:
    with pytest.raises(EditRefused, match="CR-only"):
        set_key("----\rname: x\r----\r", "tie", 3)


def test_show_json_is_what_the_note_says(vault: Vault) -> None:
    vault.write("people/Dash Four.md", DASH_FOUR.format(open="----", close="---"))
    shown = json.loads(vault.run("show", "Dash Four", "--json").stdout)
    assert (shown["tie"], shown["consent"]["share-contact"]) == (4, "no")
