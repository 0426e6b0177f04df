"""Importing contacts: matching, merging, creating, idempotence, on real client files."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from netvault.importers import ImportedContact
from netvault.importing import (
    ImportBatch,
    ImportRecord,
    ImportResult,
    SourceKind,
    import_batches,
    read_batch,
)
from netvault.index import load_index
from netvault.model import Note
from netvault.parse import parse_note

FIXTURES = Path(__file__).parent / "fixtures"


def write_note(root: Path, relpath: str, text: str) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the vault but the lock file, whose content is the holder's pid."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "lock"
    }


def fixture_batch(kind: SourceKind, relpath: str) -> ImportBatch:
    path = FIXTURES / relpath
    return read_batch(kind, path.read_bytes(), path.name)


def run_import(root: Path, *batches: ImportBatch, dry_run: bool = False) -> ImportResult:
    return import_batches(load_index(root), batches, dry_run=dry_run)


def contact(root: Path, relpath: str) -> Note:
    """The note at `relpath`, parsed; it must be a contact without errors."""
    parsed = parse_note(relpath, (root / relpath).read_bytes())
    assert parsed.ok, parsed.problems
    assert parsed.note.contact is not None
    return parsed.note


def vcf(*cards: str) -> bytes:
    return "".join(
        "BEGIN:VCARD\r\nVERSION:3.0\r\n" + card.strip().replace("\n", "\r\n") + "\r\nEND:VCARD\r\n"
        for card in cards
    ).encode("utf-8")


def vcard_batch(data: bytes, name: str = "phone.vcf") -> ImportBatch:
    return read_batch("vcard", data, name)


# ---- real client exports -----------------------------------------------------------------


def test_android_21_quoted_printable_cards_become_notes(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    result = run_import(root, fixture_batch("vcard", "vcard/John_Doe_ANDROID.vcf"))
    # People with a name first; then those without, who join someone only on evidence.
    assert [c.path for c in result.created] == [
        "people/Ñ Ñ Ñ Ñ Ñ.md",
        "people/Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ.md",
        "people/Ñ Ñ Ñ Ñ.md",
        "people/ÑÑÑÑ.md",
        "people/Unnamed contact 1.md",
        "people/Unnamed contact 2.md",
    ]
    # The two cards with only an e-mail are people without a name: kept, named, reported.
    assert [(p.file, p.line, p.message.split(";")[0]) for p in result.problems] == [
        ("John_Doe_ANDROID.vcf", 1, "no name (it has john.doe@company.com)"),
        ("John_Doe_ANDROID.vcf", 6, "no name (it has jane.doe@company.com)"),
        ("John_Doe_ANDROID.vcf", 36, "card 5: EMAIL 'ÑÑÑÑÑÑÑÑÑÑÑÑÑÑ' is not an e-mail address"),
    ]
    unnamed = contact(root, "people/Unnamed contact 1.md")
    assert unnamed.contact.emails == ("john.doe@company.com",)
    note = contact(root, "people/ÑÑÑÑ.md")
    assert note.contact.emails == ("henry@company.com",)
    assert note.contact.phones == ("55556666",)
    assert note.contact.tie == 1
    assert note.contact.met_in_person is False
    assert note.meta["source"] == "vcard:John_Doe_ANDROID.vcf"


def test_apple_cards_fill_in_an_existing_contact_found_by_email(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    write_note(
        root,
        "people/John Doe.md",
        "---\nname: John Doe\ntie: 3\nemail: John.Doe@IBM.com\nrole: Accountant\n---\n# John\n",
    )
    result = run_import(
        root,
        fixture_batch("vcard", "vcard/John_Doe_IPHONE.vcf"),
        fixture_batch("vcard", "vcard/John_Doe_MAC_ADDRESS_BOOK.vcf"),
    )
    assert result.created == ()
    assert [(m.path, m.keys) for m in result.merged] == [
        (
            "people/John Doe.md",
            ("aliases", "phone", "company", "location", "links", "birthday", "source"),
        )
    ]
    # Another role on a sure match is a job change, listed once, written only on request.
    assert [(c.key, c.old, c.new) for c in result.changes] == [
        ("role", "Accountant", "Money Counter")
    ]
    assert result.conflicts == ()
    note = contact(root, "people/John Doe.md")
    # The card's own names, matched by e-mail, become aliases.
    assert note.contact.aliases == ("Mr. John Richter James Doe Sr.", "Johny")
    assert note.contact.role == "Accountant"  # never overwritten
    assert note.contact.tie == 3
    assert note.contact.company == "IBM"
    assert note.contact.location == "New York, New York, United States of America"
    assert note.contact.phones[:2] == ("905-555-1234", "905-666-1234")
    assert len(note.contact.phones) == 7
    assert note.contact.birthday is not None and note.contact.birthday.iso() == "2012-06-06"
    assert note.meta["source"] == "vcard:John_Doe_IPHONE.vcf"


def test_gmail_and_outlook_exports_create_notes_with_their_fields(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    result = run_import(
        root,
        fixture_batch("vcard", "vcard/gmail-list.vcf"),
        fixture_batch("vcard", "vcard/outlook-2003.vcf"),
    )
    assert result.problems == ()
    assert [c.name for c in result.created] == [
        "Arnold Smith",
        "Chris Beatle",
        "Doug White",
        "John Doe III",
    ]
    outlook = contact(root, "people/John Doe III.md")
    assert outlook.contact.company == "Company, The"  # an escaped comma, kept
    assert outlook.contact.role == "The Job Title"
    assert outlook.contact.location == "Austin, TX, United States of America"
    assert outlook.contact.birthday is not None and outlook.contact.birthday.iso() == "1980-03-21"
    # The card's multi-line NOTE is kept as a quote: it cannot become tasks or log lines.
    assert "> This is the note field!!\n> Second line\n>\n> Third line is empty\n" in outlook.body
    assert outlook.interactions == () and outlook.tasks == ()


def test_linkedin_export_with_its_preamble_keeps_connected_on_not_first_met(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    result = run_import(root, fixture_batch("linkedin", "csv/Connections.csv"))
    assert len(result.created) == 9
    assert [(p.line, p.message.split(";")[0]) for p in result.problems] == [
        (12, "Connected On '31 Feb 2023' is not a date"),
        (13, "no name (it has https://www.linkedin.com/in/hidden-member)"),
    ]
    hidden = contact(root, "people/Unnamed contact 1.md")  # a hidden member is still a person
    assert hidden.contact.links == ("https://www.linkedin.com/in/hidden-member",)
    ada = contact(root, "people/Ada Lovelace.md")
    assert ada.meta["connected_on"] == date(2026, 11, 3)
    assert ada.contact.first_met is None
    assert ada.contact.company == "Analytical Engines Ltd"
    assert ada.contact.links == ("https://www.linkedin.com/in/ada-lovelace",)
    assert ada.meta["source"] == "linkedin:Connections.csv"
    zoe = contact(root, "people/Zoë Ødegård.md")
    assert zoe.contact.role == "Director, Partnerships"
    assert zoe.contact.emails == ()


def test_google_csv_then_linkedin_match_across_files_by_email(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    run_import(root, fixture_batch("linkedin", "csv/Connections.csv"))
    result = run_import(root, fixture_batch("google", "csv/google-contacts.csv"))
    # "Grace Brewster Hopper" in Google is LinkedIn's "Grace Hopper": same e-mail.
    assert [(m.path, m.keys) for m in result.merged] == [
        ("people/Grace Hopper.md", ("aliases", "email", "phone", "location", "links", "birthday"))
    ]
    assert [c.name for c in result.created] == [
        "Søren Kierkegaard",
        "Chidi Anagonye",
        "Tahani",
        "Unnamed contact 2",  # a number only; Unnamed contact 1 is LinkedIn's hidden member
    ]
    grace = contact(root, "people/Grace Hopper.md")
    assert grace.contact.aliases == ("Grace Brewster Hopper",)
    assert grace.contact.emails == ("grace@navy.example", "grace.hopper@example.com")
    assert grace.contact.location == "Arlington, VA, USA"
    assert grace.meta["source"] == "linkedin:Connections.csv"  # the first source stays
    chidi = contact(root, "people/Chidi Anagonye.md")
    assert chidi.contact.birthday is not None and chidi.contact.birthday.iso() == "--07-23"


def test_importing_the_same_files_again_changes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    batches = [
        fixture_batch("vcard", name)
        for name in (
            "vcard/John_Doe_ANDROID.vcf",
            "vcard/John_Doe_BLACK_BERRY.vcf",
            "vcard/John_Doe_LOTUS_NOTES.vcf",
            "vcard/John_Doe_IPHONE.vcf",
            "vcard/John_Doe_MS_OUTLOOK.vcf",
            "vcard/gmail-single2.vcf",
            "vcard/rfc6350-example.vcf",
            "vcard/thunderbird-MoreFunctionsForAddressBook-extension.vcf",
        )
    ] + [
        fixture_batch("linkedin", "csv/Connections.csv"),
        fixture_batch("google", "csv/google-contacts.csv"),
        fixture_batch("google", "csv/google-contacts-legacy-utf16.csv"),
    ]
    first = run_import(root, *batches)
    assert first.created
    before = snapshot(root)
    again = run_import(root, *batches)
    assert snapshot(root) == before
    assert again.created == () and again.merged == ()
    assert len(again.unchanged) == len(first.created)


# ---- matching rules ----------------------------------------------------------------------


def test_two_cards_for_one_person_make_one_note(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    data = vcf(
        "FN:Ada Okafor\nEMAIL:ada@example.org\nORG:Contoso",
        "FN:Ada  OKAFOR\nTEL:+49 30 1234567\nEMAIL:ada.o@home.example\nTITLE:Engineering Manager",
        "FN:A. Okafor\nEMAIL:ADA@example.org\nEMAIL:ada.o@home.example",
    )
    result = run_import(root, vcard_batch(data))
    # Card 3 shares an address with each of the others: all three are one person.
    assert [(c.path, c.records) for c in result.created] == [("people/Ada Okafor.md", 3)]
    assert [o.detail for o in result.outcomes] == [
        "new note",
        "merged into people/Ada Okafor.md by e-mail",
        "merged into people/Ada Okafor.md by e-mail",
    ]
    ada = contact(root, "people/Ada Okafor.md")
    assert ada.contact.emails == ("ada@example.org", "ada.o@home.example")
    assert ada.contact.phones == ("+49 30 1234567",)
    assert ada.contact.role == "Engineering Manager"
    assert ada.contact.aliases == ("A. Okafor",)
    assert sorted(p.name for p in (root / "people").iterdir()) == ["Ada Okafor.md"]


def test_the_same_name_without_shared_evidence_is_another_person(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    data = vcf(
        "FN:Ada Okafor\nEMAIL:ada@example.org\nORG:Contoso",
        "FN:Ada Okafor\nTEL:+49 30 1234567\nTITLE:Engineering Manager",
    )
    result = run_import(root, vcard_batch(data))
    assert [c.path for c in result.created] == [
        "people/Ada Okafor.md",
        "people/Ada Okafor (Engineering Manager).md",
    ]
    other = contact(root, "people/Ada Okafor (Engineering Manager).md")
    assert other.contact.name == "Ada Okafor" and other.contact.phones == ("+49 30 1234567",)


def test_an_evidence_match_adds_what_is_missing_and_lists_conflicts(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    original = (
        "---\nname: Ada Okafor\naliases: [Ada O.]\ntie: 5\ncompany: Contoso\n"
        "location: Berlin\nemail: ada@example.org\n---\n# Ada\n\n## Log\n"
        "- 2026-01-02 (call) hello\n"
    )
    write_note(root, "people/Ada Okafor.md", original)
    data = vcf("FN:Ada O.\nADR:;;;Munich;;;\nEMAIL:ADA@example.org\nTEL:+49 30 1234567")
    result = run_import(root, vcard_batch(data))
    assert [(m.path, m.keys) for m in result.merged] == [
        ("people/Ada Okafor.md", ("phone", "source"))
    ]
    assert [(c.key, c.note_value, c.file_value, c.line) for c in result.conflicts] == [
        ("location", "Berlin", "Munich", 1),
    ]
    text = (root / "people/Ada Okafor.md").read_text(encoding="utf-8")
    assert text == original.replace(
        "---\n# Ada", "phone: [+49 30 1234567]\nsource: vcard:phone.vcf\n---\n# Ada"
    )


def test_a_namesake_with_other_addresses_gets_a_note_of_their_own(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    original = "---\nname: Ada Okafor\naliases: [Ada O.]\nemail: ada@example.org\n---\n"
    write_note(root, "people/Ada Okafor.md", original)
    data = vcf("FN:Ada Okafor\nORG:Globex\nEMAIL:other-ada@example.net")
    result = run_import(root, vcard_batch(data))
    assert [c.path for c in result.created] == ["people/Ada Okafor (Globex).md"]
    assert (root / "people/Ada Okafor.md").read_text(encoding="utf-8") == original


def test_an_email_match_with_another_persons_name_is_no_match(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    write_note(root, "people/Ada Okafor.md", "---\nname: Ada Okafor\nemail: ada@example.org\n---\n")
    write_note(root, "people/Ben Carter.md", "---\nname: Ben Carter\ncompany: Contoso\n---\n")
    data = vcf(
        "FN:A. Okafor\nEMAIL:Ada@Example.org\nTEL:555 0100\nEMAIL:ada@work.example",
        "FN:Ben Carter\nEMAIL:ada@example.org\nORG:Contoso",  # Ada's address, Ben's name
    )
    result = run_import(root, vcard_batch(data))
    assert [(m.path, m.keys) for m in result.merged] == [
        ("people/Ada Okafor.md", ("aliases", "email", "phone", "source")),
        ("people/Ben Carter.md", ("email", "source")),  # same name and company: Ben
    ]
    assert contact(root, "people/Ada Okafor.md").contact.emails == (
        "ada@example.org",
        "ada@work.example",
    )


def test_a_name_that_cannot_be_a_file_name_keeps_the_person_under_a_safe_file_name(
    tmp_path: Path,
) -> None:
    root = tmp_path / "vault"
    data = vcf("FN:Dana Lee\nEMAIL:dana@example.org", "FN:AC/DC Fan Club\nEMAIL:x@example.org")
    result = run_import(root, vcard_batch(data))
    assert [(c.name, c.path) for c in result.created] == [
        ("Dana Lee", "people/Dana Lee.md"),
        ("AC/DC Fan Club", "people/AC-DC Fan Club.md"),
    ]
    assert result.problems == ()
    assert contact(root, "people/AC-DC Fan Club.md").contact.name == "AC/DC Fan Club"


def test_a_name_taken_by_a_note_that_is_no_contact_gets_another_file_name(
    tmp_path: Path,
) -> None:
    root = tmp_path / "vault"
    write_note(root, "projects/Phoenix.md", "# Project Phoenix\n")
    result = run_import(root, vcard_batch(vcf("FN:Phoenix\nORG:Acme")))
    assert [c.path for c in result.created] == ["people/Phoenix (Acme).md"]
    assert load_index(root).resolve("Phoenix") == "projects/Phoenix.md"  # links unchanged


def test_dry_run_reports_the_plan_and_writes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    write_note(
        root,
        "people/Ada Okafor.md",
        "---\nname: Ada Okafor\ncompany: Contoso\nphone: 5550100\n---\n",
    )
    before = snapshot(root)
    data = vcf("FN:Ada Okafor\nORG:Globex\nTEL:555 0100\nEMAIL:ada@x.org", "FN:Ben Carter")
    result = run_import(root, vcard_batch(data), dry_run=True)
    assert snapshot(root) == before
    assert [c.path for c in result.created] == ["people/Ben Carter.md"]
    assert [(m.path, m.keys) for m in result.merged] == [
        ("people/Ada Okafor.md", ("email", "source"))
    ]
    assert [(c.key, c.old, c.new) for c in result.changes] == [("company", "Contoso", "Globex")]


def test_progress_adds_up_to_the_number_of_records(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    data = vcf(*(f"FN:Person {i}\nEMAIL:p{i % 7}@example.org" for i in range(30)), "FN:A/B")
    steps: list[int] = []
    result = import_batches(load_index(root), [vcard_batch(data)], progress=steps.append)
    assert sum(steps) == result.records == 31
    # Cards sharing an e-mail but not a name are not one person: 31 people.
    assert len(result.created) == 31


# ---- idempotence, for any mix of records ---------------------------------------------------

_names = st.sampled_from(
    ["Ada Okafor", "ada okafor", "A. Okafor", "Okafor Ada", "Ben Carter", "Zoë Núñez",
     "Dana Lee", "A/B", "", "ada@x.org", "+49 30 1234567"]
)  # fmt: skip
_emails = st.lists(st.sampled_from(["ada@x.org", "ADA@x.org", "ben@y.org", "z@z.org"]), max_size=2)
_phones = st.lists(
    st.sampled_from(["+49 30 1234567", "030 1234567", "555 0100", "5550100"]), max_size=2
)
# A record carries one LinkedIn profile at most, as every export writes it.
_links = st.lists(
    st.sampled_from(["https://www.linkedin.com/in/ada", "https://linkedin.com/in/ada-2"]),
    max_size=1,
).flatmap(lambda profile: st.sampled_from([profile, [*profile, "https://example.org"]]))
_texts = st.sampled_from([None, "Contoso", "Globex", "contoso"])
_records = st.builds(
    lambda name, aliases, emails, phones, links, company, birthday, connected, skip: (
        ImportedContact(
            name=name,
            source="vcard:x.vcf",
            aliases=tuple(aliases),
            emails=tuple(dict.fromkeys(emails)),
            phones=tuple(dict.fromkeys(phones)),
            links=tuple(links),
            company=company,
            birthday=birthday,
            connected_on=connected,
            skip=skip,
        )
    ),
    _names,
    st.lists(st.sampled_from(["Ada O.", "Benji", "Ada Okafor"]), max_size=1),
    _emails,
    _phones,
    _links,
    _texts,
    st.sampled_from([None, "1980-03-14", "--03-14", "1981-03-14"]),
    st.sampled_from([None, "2024-02-01", "2025-01-01"]),
    st.sampled_from([None, None, None, "KIND:org is an organisation, not a person"]),
)




def person(name: str = "", **fields: object) -> ImportedContact:
    return ImportedContact(name=name, source="vcard:x.vcf", **fields)  # type: ignore[arg-type]


# Shapes long runs of this test found (each was a repeated import that changed a note):
# 1. A note made for a person without a name is named after the company, and its file name
#    says `(2nd)`: still the note of a person without a name, found again.
# 2. Two notes, one holding a record's profile and birthday, a namesake holding the
#    profile only (a later record brought it): the repeat goes where the record went.
# 3. A nameless record went to the one note with its address; a later file brought a
#    second note with that address: the record is not taken for a new person.
@example(
    earlier=[
        person("Ada Okafor", emails=("ada@x.org",), phones=("+49 30 1234567",)),
        person("+49 30 1234567", company="Contoso"),
    ],
    records=[
        person("Ben Carter", emails=("ada@x.org",), phones=("+49 30 1234567",)),
        person(emails=("ada@x.org",), company="Contoso"),
    ],
)
@example(
    earlier=[
        person("Okafor Ada"),
        person("Ben Carter", links=("https://www.linkedin.com/in/ada",), birthday="--03-14"),
        person("Ben Carter", aliases=("Ada Okafor",), links=("https://example.org",)),
    ],
    records=[
        person("Ada Okafor", links=("https://www.linkedin.com/in/ada", "https://example.org")),
    ],
)
@example(
    earlier=[
        person("Ada Okafor"),
        person("ada@x.org"),
        person("Ben Carter", phones=("+49 30 1234567",)),
        person("+49 30 1234567", emails=("ada@x.org",)),
    ],
    records=[person("Ada Okafor", emails=("ada@x.org",))],
)
# The shapes long runs found are pinned above as examples; 30 fresh ones per run keep the
# whole suite inside its two minutes (`make fuzz`-style long runs: raise max_examples locally).
@settings(
    max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.lists(_records, max_size=6), st.lists(_records, max_size=4))
def test_importing_the_same_records_again_changes_nothing(
    earlier: list[ImportedContact], records: list[ImportedContact]
) -> None:
    first = ImportBatch(
        "vcard", "a.vcf", tuple(ImportRecord(r, i + 1) for i, r in enumerate(earlier)), ()
    )
    second = ImportBatch(
        "linkedin", "b.csv", tuple(ImportRecord(r, i + 2) for i, r in enumerate(records)), ()
    )
    # One file after another, and both files in one import: importing any of them again
    # finds nothing to do.
    for steps in ([(first,), (second,)], [(first, second)]):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            for batches in steps:
                run_import(root, *batches)
            before = snapshot(root)
            for batches in reversed(steps):
                again = run_import(root, *batches)
                assert snapshot(root) == before
                assert again.created == () and again.merged == ()
                assert sum(again.counts().values()) == again.records
            assert [p for p in load_index(root).problems if p.severity != "info"] == []
