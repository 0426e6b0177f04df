"""Export: consent decides what leaves the vault; vCard and CSV come back through import."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import vobject

from netvault.export import CSV_COLUMNS, export
from netvault.importing import import_batches, read_batch
from netvault.index import load_index

NOTES = {
    "people/Ada Okafor.md": """---
name: Ada Okafor
aliases: [Ada O.]
tags: [globex, oak]
tie: 5
company: Contoso Cloud
role: Engineering Manager, Data Platform
location: Albany, New York, USA
email: [ada@example.org, ada.okafor@home.example]
phone: "+49 30 5550 1742"
links: ["https://example.org/ada?x=1;y=2", https://www.linkedin.com/in/ada]
birthday: "--03-14"
first_met: 2017-03-06
consent:
  share-contact: yes
  introductions: yes
---
# Ada
""",
    "people/Ben Carter.md": """---
name: Ben Carter
tie: 4
company: Ledgerline
role: Head of Data
location: Berlin
email: ben@example.org
phone: [+49 151 5550 2231]
birthday: 1985-07-01
consent:
  share-contact: ask
---
# Ben
""",
    "people/Zoë Núñez.md": """---
name: Zoë Núñez
tie: 2
role: "Founder; CEO"
email: zoe@example.org
consent: no
---
""",
    "daily/2026-11-20.md": "Coffee with [[Ada Okafor]].\n",
}


def make_vault(root: Path) -> Path:
    for relpath, text in NOTES.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def people(root: Path) -> set[tuple[object, ...]]:
    """The fields an export carries back in, per person."""
    return {
        (
            c.name,
            c.emails,
            c.phones,
            c.company,
            c.role,
            c.location,
            c.links,
            c.birthday.iso() if c.birthday else None,
        )
        for c in load_index(root).contacts
    }


def test_consent_decides_whose_details_leave(tmp_path: Path) -> None:
    index = load_index(make_vault(tmp_path / "v"))
    data = json.loads(export(index, "json").text)
    by_name = {c["name"]: c for c in data["contacts"]}
    assert list(by_name) == ["Ada Okafor", "Ben Carter", "Zoë Núñez"]
    ada, ben, zoe = by_name["Ada Okafor"], by_name["Ben Carter"], by_name["Zoë Núñez"]
    assert ada["email"] == ["ada@example.org", "ada.okafor@home.example"]
    assert ada["phone"] == ["+49 30 5550 1742"]
    assert ada["location"] == "Albany, New York, USA"
    assert ada["withheld"] == []
    assert (ben["email"], ben["phone"], ben["location"]) == ([], [], None)
    assert ben["withheld"] == ["email", "phone", "location"]
    assert ben["company"] == "Ledgerline"  # not a contact detail: exported
    assert (zoe["email"], zoe["withheld"]) == ([], ["email"])
    assert ada["met_in_person"] is False and ada["tie"] == 5

    private = json.loads(export(index, "json", include_private=True).text)
    ben_all = private["contacts"][1]
    assert (ben_all["email"], ben_all["phone"], ben_all["location"]) == (
        ["ben@example.org"],
        ["+49 151 5550 2231"],
        "Berlin",
    )
    assert ben_all["withheld"] == []


def test_vcard_is_version_3_and_leaves_out_what_consent_forbids(tmp_path: Path) -> None:
    index = load_index(make_vault(tmp_path / "v"))
    result = export(index, "vcard")
    assert result.withheld_count == 2
    cards = list(vobject.readComponents(result.text))
    assert [c.fn.value for c in cards] == ["Ada Okafor", "Ben Carter", "Zoë Núñez"]
    assert all(c.version.value == "3.0" for c in cards)
    ada, ben, zoe = cards
    assert [e.value for e in ada.contents["email"]] == [
        "ada@example.org",
        "ada.okafor@home.example",
    ]
    assert ada.tel.value == "+49 30 5550 1742"
    assert ada.adr.value.city == "Albany, New York, USA"
    assert ada.title.value == "Engineering Manager, Data Platform"
    assert ada.n.value.family == "Okafor" and ada.n.value.given == "Ada"
    assert ada.categories.value == ["globex", "oak"]
    assert ada.contents["x-netvault-tie"][0].value == "5"
    assert ada.nickname.value == "Ada O."
    assert ada.bday.value == "--03-14"
    for card in (ben, zoe):
        assert not {"email", "tel", "adr"} & set(card.contents)
    assert ben.org.value == ["Ledgerline"]
    assert zoe.title.value == "Founder; CEO"
    # A UID per note that stays the same, so other programs update instead of duplicating.
    uids = [c.uid.value for c in cards]
    assert len(set(uids)) == 3
    again = vobject.readComponents(export(load_index(tmp_path / "v"), "vcard").text)
    assert [c.uid.value for c in again] == uids


def test_csv_uses_google_columns_and_withholds_cells(tmp_path: Path) -> None:
    index = load_index(make_vault(tmp_path / "v"))
    rows = list(csv.DictReader(io.StringIO(export(index, "csv").text, newline="")))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [r["Name"] for r in rows] == ["Ada Okafor", "Ben Carter", "Zoë Núñez"]
    ada, ben, _zoe = rows
    assert ada["E-mail 1 - Value"] == "ada@example.org ::: ada.okafor@home.example"
    assert ada["Organization 1 - Title"] == "Engineering Manager, Data Platform"
    assert ada["Tags"] == "globex ::: oak"
    assert ada["First Met"] == "2017-03-06"
    assert (ben["E-mail 1 - Value"], ben["Phone 1 - Value"], ben["Address 1 - City"]) == (
        "",
        "",
        "",
    )
    assert ben["Share Contact"] == "ask"
    assert ben["Birthday"] == "1985-07-01"


def test_vcard_export_then_import_gives_the_same_people_and_fields(tmp_path: Path) -> None:
    source = make_vault(tmp_path / "source")
    text = export(load_index(source), "vcard", include_private=True).text
    target = tmp_path / "target"
    batch = read_batch("vcard", text.encode("utf-8"), "netvault.vcf")
    result = import_batches(load_index(target), [batch])
    assert result.problems == ()
    assert people(target) == people(source)


def test_csv_export_then_google_import_gives_the_same_people_and_fields(tmp_path: Path) -> None:
    source = make_vault(tmp_path / "source")
    text = export(load_index(source), "csv", include_private=True).text
    target = tmp_path / "target"
    batch = read_batch("google", text.encode("utf-8"), "netvault.csv")
    result = import_batches(load_index(target), [batch])
    assert result.problems == ()
    assert people(target) == people(source)


def test_a_consent_safe_export_round_trips_without_the_withheld_details(tmp_path: Path) -> None:
    source = make_vault(tmp_path / "source")
    text = export(load_index(source), "vcard").text
    target = tmp_path / "target"
    import_batches(load_index(target), [read_batch("vcard", text.encode(), "shared.vcf")])
    by_name = {c.name: c for c in load_index(target).contacts}
    assert by_name["Ada Okafor"].emails == ("ada@example.org", "ada.okafor@home.example")
    assert (by_name["Ben Carter"].emails, by_name["Ben Carter"].location) == ((), None)
    assert by_name["Ben Carter"].company == "Ledgerline"
