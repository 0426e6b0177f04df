"""Every contact file in tests/fixtures/, imported into one vault: each person exactly once.

The people below were listed by hand, reading the files: two records are one person when
they share an e-mail address, a phone number or a profile, and their names could be one
person's; records that nothing links are different people, even under one name."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from netvault.importing import SourceKind, import_batches, read_batch
from netvault.index import load_index

FIXTURES = Path(__file__).parent / "fixtures"

PEOPLE_BY_HAND = [
    # csv/Connections.csv (9 rows)
    "Ada Lovelace",  # also google-contacts-legacy-utf16.csv (same e-mail)
    "José Álvarez Núñez", "Zoë Ødegård", "Łukasz Wiśniewski", "王 小明", "Marcus Aurelius",
    "Grace Hopper",  # also google-contacts.csv as Grace Brewster Hopper (same e-mail)
    "the hidden member (a profile URL, no name)", "Mary O'Neil",
    # csv/google-contacts.csv
    "Søren Kierkegaard", "Chidi Anagonye", "Tahani", "the row with only +1 555 0199",
    # csv/google-contacts-legacy-utf16.csv
    "Renée Müller", "Tomás O'Brien", "the Acme, Inc. row (no person's name)",
    "the row with only nobody@example.net", "Kwame Nkrumah",
    # vcard/ (ez-vcard's client samples)
    "Android card 1 (john.doe@company.com only)", "Android card 2 (jane.doe@company.com only)",
    "Android Ñ Ñ Ñ Ñ Ñ", "Android Ñ x11", "Android Ñ Ñ Ñ Ñ (bob@company.com)",
    "Android ÑÑÑÑ (henry@company.com)",
    "John Doe of Acme Solutions (BlackBerry)",
    "John Doe of IBM (Evolution, Gmail, iPhone, Lotus Notes, Mac, Outlook: john.doe@ibm.com "
    "and 905-555-1234)",
    "Arnold Smith", "Chris Beatle", "Doug White", "Greg Dartmouth", "VCard Test",
    "John Doe III (Outlook 2003)", "Michael Angstadt", "Frank Dawson", "Tim Howes",
    "Simon Perreault", "John Doe of TheOrganization (Thunderbird)",
    # vcard/obsidian-vcf-contacts/ (its KIND org and location cards are no people)
    "李伟", "Zhihao Tang (also sync-fake.vcf)", "Zahra Ali (also noFirstName.vcf)",
    "Tony Stark", "Thiago Santos", "Rajiv Patel", "Mira Goldstein", "Liam O’Reilly",
    "Hana Yamada", "Ethan Hunt", "Elísabet Jónsdóttir", "Elin Lindström", "Bruce Wayne",
    "Bao Nguyen", "Anya Volkova",
    "Иванов Иван Иванович (encoding-utf8.vcf and encoding-win1251.vcf)",
    "Jan Huntelaar with a birthday (hasDifferentDates; the name-only cards too)",
    "Jan Huntelaar with numbers (hasDuplicateParameters: nothing links it to the other)",
    "the card with an address and a number three people share (hasMultipleCards)",
    "Zinkie Namiton", "Mindie Lansdorf", "My Name (hasNonSpecParameters)",
    # import/ (the reproductions)
    "Sam Lee of Acme (repro1 and repro5)", "Sam Lee of Globex (repro1 and repro5)",
    "Manu (+34 600 111 222)", "Manu (+34 600 333 444)",
    "Joel Park (he/him)", 'James "JT" Ortiz', "C# Developer", "C/O Office", "Ana <Ops>",
    "Bo | Design", "Cy Wu?", "Di* Moss", "Ed \\ Admin", "Fay^2 Kim", "[Gus] Hale", "Hal: CTO",
    "John Smith", "Jane Smith", "Kit Ito", "Jane Private", "the card named +44 7700 900987",
    "Initech's ops address", "Ravi Menon", "Tess Noor", "Ola Berg", "Rosa Diaz", "Omar Said",
    "Noor Haddad", "No", "Ivo True",
]  # fmt: skip


def kind_of(path: Path) -> SourceKind:
    if path.suffix.lower() == ".vcf":
        return "vcard"
    return "linkedin" if "linkedin" in path.name or path.name == "Connections.csv" else "google"


def test_every_fixture_imports_into_one_vault_with_each_person_once(tmp_path: Path) -> None:
    files = sorted(p for p in FIXTURES.rglob("*") if p.suffix.lower() in (".vcf", ".csv"))
    assert len(files) == 41

    def batches() -> list:  # type: ignore[type-arg]
        return [read_batch(kind_of(p), p.read_bytes(), str(p.relative_to(FIXTURES))) for p in files]

    result = import_batches(load_index(tmp_path), batches())
    index = load_index(tmp_path)
    assert len(PEOPLE_BY_HAND) == len(set(PEOPLE_BY_HAND))
    assert len(index.contacts) == len(result.created) == len(PEOPLE_BY_HAND)
    # Nine cards are no person (KIND org, group, location, Apple's company card): skipped.
    assert result.count("skipped") == 9
    assert sum(result.counts().values()) == result.records
    # Nobody under an address or a number; each named person under their name.
    names = Counter(c.name for c in index.contacts)
    assert names["Sam Lee"] == names["Manu"] == names["Huntelaar Jan"] == 2
    assert names["John Doe"] == 2 and names["Mr. John Richter, James Doe Sr."] == 1
    assert not any("@" in c.name or c.name.startswith("+") for c in index.contacts)
    assert [p for p in index.problems if p.severity == "error"] == []

    again = import_batches(load_index(tmp_path), batches())
    assert again.created == () and again.merged == ()
    assert again.count("unchanged") == result.records - again.count("skipped") - again.count(
        "conflicted"
    )
