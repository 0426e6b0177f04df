"""The vCard reader against files written by real clients (tests/fixtures/vcard/)."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netvault.identity import is_real_name
from netvault.importers import ImportedContact, ImportProblem, vcard
from netvault.importers._common import normalize_birthday
from netvault.importers.vcard import read_vcards, read_vcards_report

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "vcard"
CORPUS = sorted(p.name for p in FIXTURES.glob("*.vcf"))

N = "Ñ"
DISCLAIMER = 'THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"'


def read(name: str) -> tuple[list[ImportedContact], list[ImportProblem]]:
    return read_vcards((FIXTURES / name).read_bytes(), f"some/folder/{name}")


def by_name(contacts: list[ImportedContact]) -> dict[str, ImportedContact]:
    return {c.name: c for c in contacts}


def strings(contact: ImportedContact) -> list[str]:
    out: list[str] = []
    for f in fields(contact):
        value = getattr(contact, f.name)
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, tuple):
            out.extend(value)
    return out


def card(*lines: str, version: str = "3.0") -> str:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""])


# --------------------------------------------------------------- the corpus, file by file


def test_corpus_is_complete() -> None:
    assert len(CORPUS) == 16


def test_android_21_quoted_printable() -> None:
    contacts, problems = read("John_Doe_ANDROID.vcf")
    assert [c.name for c in contacts] == [
        "",  # cards 1 and 2 have only an e-mail: people without a name, not lost
        "",
        " ".join([N] * 5),
        " ".join([N] * 11),  # FN split by a soft line break in the middle of "Ñ Ñ"
        " ".join([N] * 4),
        N * 4,
    ]
    assert [c.source for c in contacts] == [f"vcard:John_Doe_ANDROID.vcf#{i}" for i in range(1, 7)]
    assert [c.emails for c in contacts[:2]] == [
        ("john.doe@company.com",),
        ("jane.doe@company.com",),
    ]
    # Card 5's EMAIL holds no address: reported with the card's position and line.
    assert [(p.source, p.line) for p in problems] == [("vcard:John_Doe_ANDROID.vcf#5", 36)]
    assert "card 5: EMAIL" in problems[0].message and "not an e-mail address" in problems[0].message

    _c1, _c2, c3, c4, c5, c6 = contacts
    assert c3.phones == ("123456789",)
    assert c4.phones == ("123456", "234567", "3456789", "45678901")
    assert c4.note is not None and c4.note.startswith(f"{N} {N} {N}")
    assert c5.emails == ("bob@company.com",)  # the second EMAIL (QP, two lines) is no address
    assert c5.phones == ("123456",)  # CELL, WORK and WORK;FAX all say 123456
    assert c5.company == N * 12
    assert c5.links == ("www.company.com", "http://www.company.com")
    assert c6.emails == ("henry@company.com",)
    assert c6.phones == ("55556666",)
    # ORG ends in a soft line break followed by a blank line, then the next ORG starts.
    assert c6.company == N * 44


def test_blackberry_photo_on_one_huge_line() -> None:
    contacts, problems = read("John_Doe_BLACK_BERRY.vcf")
    assert problems == []
    (c,) = contacts
    assert (c.name, c.company, c.phones, c.note) == (
        "John Doe",
        "Acme Solutions",
        ("+96123456789",),
        None,
    )


def test_evolution_folded_and_escaped() -> None:
    (c,), problems = read("John_Doe_EVOLUTION.vcf")
    assert problems == []
    assert c.name == "Mr. John Richter, James Doe Sr."
    assert c.emails == ("john.doe@ibm.com",)  # folded in the middle of the address
    assert c.phones == ("905-666-1234", "905-555-1234")
    assert (c.company, c.role, c.birthday) == ("IBM", "Money Counter", "1980-03-22")
    assert c.location == "Albaney, New York, United States of America"
    assert c.links == ("http://www.ibm.com",)
    assert c.note is not None and c.note.startswith(DISCLAIMER)
    assert "WARRANTIES, INCLUDING, BUT" in c.note and "SERVICES; LOSS OF USE" in c.note


def test_gmail_unescaped_comma_in_fn_is_kept() -> None:
    (c,), _ = read("John_Doe_GMAIL.vcf")
    assert c.name == "Mr. John Richter, James Doe Sr."  # vobject's FN decoding would cut it
    assert c.emails == ("john.doe@ibm.com",)
    assert c.phones == ("905-555-1234", "905-666-1234")
    assert c.links == ("http://www.ibm.com",)  # written as http\://
    assert c.location is None  # the whole address is in the extended-address field
    assert c.note is not None and c.note.endswith("DAMAGE.\nFavotire Color: Blue")
    assert c.note.startswith(DISCLAIMER)  # written with \" escapes


def test_iphone_cr_cr_lf_and_photo() -> None:
    (c,), problems = read("John_Doe_IPHONE.vcf")
    assert problems == []
    assert c.name == "Mr. John Richter James Doe Sr."
    assert c.emails == ("john.doe@ibm.com",)
    assert c.phones == tuple(
        f"905-{n}-1234" for n in ("555", "666", "777", "888", "999", "111", "222")
    )
    assert c.location == "New York, New York, United States of America"
    assert (c.company, c.role, c.birthday) == ("IBM", "Money Counter", "2012-06-06")


def test_lotus_notes_profile_line() -> None:
    (c,), problems = read("John_Doe_LOTUS_NOTES.vcf")
    assert problems == []
    assert c.name == "Mr. Doe John I Johny"
    assert c.emails == ("john.doe@ibm.com", "billy_bob@gmail.com")
    assert c.phones == ("+1 (212) 204-34456", "00-1-212-555-7777")
    assert (c.company, c.role, c.birthday) == ("IBM", "Generic Accountant", "1980-05-21")
    assert c.location == "New York, New York, U.S.A."
    assert c.links == ("http://www.sun.com",)


def test_mac_address_book() -> None:
    (c,), _ = read("John_Doe_MAC_ADDRESS_BOOK.vcf")
    assert c.name == "Mr. John Richter,James Doe Sr."
    assert c.emails == ("john.doe@ibm.com",)
    assert len(c.phones) == 7
    assert c.location == "New York, New York, United States of America"


def test_ms_outlook_21() -> None:
    (c,), problems = read("John_Doe_MS_OUTLOOK.vcf")
    assert problems == []
    assert c.name == "Mr. John Richter James Doe Sr."
    assert c.emails == ("john.doe@ibm.cm",)
    assert c.phones == ("(905) 555-1234", "(905) 666-1234")
    assert c.location == "Albaney, New York, United States of America"  # the PREF address
    assert (c.company, c.role, c.birthday) == ("IBM", "Money Counter", "1980-03-22")


def test_gmail_list_and_singles() -> None:
    contacts, problems = read("gmail-list.vcf")
    assert problems == []
    assert [(c.name, c.emails) for c in contacts] == [
        ("Arnold Smith", ("asmithk@gmail.com",)),
        ("Chris Beatle", ("chrisy55d@yahoo.com",)),
        ("Doug White", ("dwhite@gmail.com",)),
    ]
    (greg,), _ = read("gmail-single.vcf")
    assert greg.phones == ("555 555 1111", "555 555 2222")
    assert greg.location == "Custom City, TX, USA"
    assert greg.links == ("http://TheProfile.com",)
    assert greg.birthday == "1960-09-10"
    assert greg.note is not None
    assert greg.note.startswith("This is GMail's note field.\nIt should be added as a NOTE type.")
    (test,), _ = read("gmail-single2.vcf")
    assert test.emails == (
        "email@example.com",
        "homeemail@example.com",
        "workemail@example.com",
        "otheremail@example.com",
        "customcategory@example.com",
    )
    assert test.phones == tuple(f"55555511{n}" for n in range(11, 22))
    assert test.links == tuple(f"http://www.example{n}.com" for n in range(1, 7))
    assert test.note == "note line 1\nnote line 2\nCustomField: field value"


def test_outlook_2003_and_2007() -> None:
    (c,), problems = read("outlook-2003.vcf")
    assert problems == []
    assert c.name == "John Doe III"
    assert c.emails == ("jdoe@hotmail.com",)
    assert c.phones == ("BusinessPhone", "HomePhone", "MobilePhone", "BusinessFaxPhone")
    assert (c.company, c.role) == ("Company, The", "The Job Title")
    assert c.location == "Austin, TX, United States of America"
    assert c.birthday == "1980-03-21"
    assert c.note == "This is the note field!!\nSecond line\n\nThird line is empty"

    (m,), problems = read("outlook-2007.vcf")
    assert problems == []
    assert m.name == "Mr. Michael Angstadt Jr."
    assert m.emails == ("mike.angstadt@gmail.com",)
    assert m.phones == ("(111) 555-1111", "(111) 555-2222", "(111) 555-4444", "(111) 555-3333")
    assert m.birthday == "1922-03-10"
    assert m.note == (
        "This is the NOTE field\t\nI assume it encodes this text inside a NOTE vCard type.\n"
        "But I'm not sure because there's text formatting going on here.\n"
        "It does not preserve the formatting"
    )


def test_rfc_examples() -> None:
    contacts, _ = read("rfc2426-example.vcf")
    people = by_name(contacts)
    assert set(people) == {"Frank Dawson", "Tim Howes"}
    assert people["Frank Dawson"].emails == ("Frank_Dawson@Lotus.com", "fdawson@earthlink.net")
    assert people["Frank Dawson"].location == "Raleigh, NC, U.S.A."
    assert people["Tim Howes"].phones == ("+1-415-937-3419", "+1-415-528-4164")

    (simon,), _ = read("rfc6350-example.vcf")
    assert simon.name == "Simon Perreault"
    assert simon.phones == ("+1-418-656-9254 ext. 102", "+1-418-262-6501")
    assert simon.birthday == "--02-03"
    assert simon.location == "Quebec, QC, Canada"
    assert simon.emails == ("simon.perreault@viagenie.ca",)


def test_thunderbird() -> None:
    (c,), problems = read("thunderbird-MoreFunctionsForAddressBook-extension.vcf")
    assert problems == []
    assert c.name == "John Doe"
    assert len(c.emails) == 5 and len(c.phones) == 5
    assert (c.company, c.role, c.birthday) == ("TheOrganization", "TheTitle", "1970-09-21")
    assert c.location == "New York, NY, USA"
    assert c.note is not None and "curse words." in c.note and "\n\nFourth Line" in c.note


# ------------------------------------------------------------ invariants over the corpus

_EMAIL_LINE = re.compile(r"^(?:[\w-]+\.)?EMAIL[;:][^\r\n]*?([\w.+-]+@[\w.-]+)", re.M | re.I)
_TEL_LINE = re.compile(r"^(?:[\w-]+\.)?TEL(?:;[^:\r\n]*)?:([^\r\n]*)", re.M | re.I)


@pytest.mark.parametrize("name", CORPUS)
def test_every_card_is_a_contact_or_a_problem(name: str) -> None:
    data = (FIXTURES / name).read_bytes()
    contacts, problems = read_vcards(data, name)
    cards = len(re.findall(rb"^BEGIN:VCARD", data, re.M | re.I))
    assert len(contacts) == cards  # every card is a record, to import or to skip
    lines = data.split(b"\n")
    for problem in problems:
        assert problem.line >= 1
        assert lines[problem.line - 1].strip().upper() == b"BEGIN:VCARD"
        assert problem.source.startswith(f"vcard:{name}#")
    for contact in contacts:
        assert contact.name == contact.name.strip() and is_real_name(contact.name or "x")
        assert contact.skip is None and not contact.empty
        assert re.fullmatch(rf"vcard:{re.escape(name)}#\d+", contact.source)


@pytest.mark.parametrize("name", CORPUS)
def test_every_email_and_phone_is_kept(name: str) -> None:
    data = (FIXTURES / name).read_bytes()
    text = re.sub(r"\r*\n[ \t]", "", data.decode("utf-8"))  # unfold
    contacts, problems = read_vcards(data, name)
    emails = {e.lower() for c in contacts for e in c.emails}
    phone_digits = {re.sub(r"\D", "", p) for c in contacts for p in c.phones}
    reported = " ".join(p.message for p in problems).lower()
    for address in _EMAIL_LINE.findall(text):
        assert address.lower() in emails or address.lower() in reported, address
    for raw in _TEL_LINE.findall(text):
        digits = re.sub(r"\D", "", raw.split(";")[0])
        if digits:  # a kept number may carry more digits (an extension from a tel: URI)
            kept = any(d.startswith(digits) for d in phone_digits)
            assert kept or digits in re.sub(r"\D", "", reported), raw
        else:  # Outlook 2003 writes placeholders such as "BusinessPhone"
            assert any(raw.strip() in c.phones for c in contacts)


@pytest.mark.parametrize("name", CORPUS)
def test_no_photo_data_anywhere(name: str) -> None:
    contacts, _ = read(name)
    for contact in contacts:
        for value in strings(contact):
            assert "/9j/" not in value  # every JPEG in the corpus starts so in base64
            assert not re.search(r"[A-Za-z0-9+/]{60,}", value), value[:80]


def test_which_path_read_each_card() -> None:
    reports = {name: read_vcards_report((FIXTURES / name).read_bytes(), name)[2] for name in CORPUS}
    assert all(r.path is not None for rs in reports.values() for r in rs)
    # vobject's content-line parser reads every corpus card once it is pre-processed.
    assert {r.path for rs in reports.values() for r in rs} <= {"vobject", "preprocessed+vobject"}
    assert "dropped PHOTO" in reports["John_Doe_IPHONE.vcf"][0].fixes
    assert "dropped PROFILE" in reports["John_Doe_LOTUS_NOTES.vcf"][0].fixes
    assert "joined quoted-printable soft line breaks" in reports["John_Doe_ANDROID.vcf"][3].fixes
    assert [r.path for r in reports["gmail-list.vcf"]] == ["vobject"] * 3


@pytest.mark.parametrize("name", CORPUS)
def test_fallback_parser_reads_the_corpus_like_vobject(name: str) -> None:
    blocks, _ = vcard._split_blocks(vcard._physical_lines((FIXTURES / name).read_bytes()))
    for block in blocks:
        lines = vcard._preprocess(block, set())
        via_vobject = vcard._build(vcard._props_from_vobject(lines), "s")
        via_fallback = vcard._build(vcard._props_fallback(lines), "s")
        assert via_fallback == via_vobject


# ---------------------------------------------------------------- encodings and structure


def test_utf16_and_bom_files_read_like_utf8() -> None:
    data = (FIXTURES / "gmail-list.vcf").read_bytes()
    expected, _ = read_vcards(data, "gmail-list.vcf")
    text = data.decode("utf-8")
    variants = [
        b"\xef\xbb\xbf" + data,
        text.encode("utf-16"),  # with BOM
        text.encode("utf-16-le"),  # without BOM
        text.encode("utf-16-be"),
        text.encode("utf-32"),
    ]
    for variant in variants:
        assert read_vcards(variant, "gmail-list.vcf") == (expected, [])


def test_android_file_in_utf16_keeps_non_ascii_names() -> None:
    data = (FIXTURES / "John_Doe_ANDROID.vcf").read_bytes()
    assert read_vcards(data.decode("utf-8").encode("utf-16"), "John_Doe_ANDROID.vcf") == read(
        "John_Doe_ANDROID.vcf"
    )


def test_legacy_charsets_decoded_per_card() -> None:
    utf8 = card("FN:Zoë Ødegård", "EMAIL:zoe@example.no").encode("utf-8")
    cp1252 = card("FN:Renée Müller – Ltd", version="2.1").encode("cp1252")
    declared = card("N;CHARSET=ISO-8859-2:Wiśniewski;Łukasz", version="2.1").encode("iso-8859-2")
    contacts, problems = read_vcards(utf8 + cp1252 + declared, "mixed.vcf")
    assert problems == []
    assert [c.name for c in contacts] == ["Zoë Ødegård", "Renée Müller – Ltd", "Łukasz Wiśniewski"]


def test_quoted_printable_charsets() -> None:
    data = card(
        "FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Ren=E9e M=FCller",
        "NOTE;QUOTED-PRINTABLE:caf=E9 au lait=0D=0Aline two",  # no charset: cp1252 guessed
        "ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller =26 S=C3=B6hne=3B Berlin;Sales",
        version="2.1",
    ).encode("ascii")
    (c,), problems = read_vcards(data, "qp.vcf")
    assert problems == []
    assert c.name == "Renée Müller"
    assert c.note == "café au lait\nline two"
    assert c.company == "Müller & Söhne"  # an encoded ";" still separates ORG components


def test_dangling_soft_break_before_next_property() -> None:
    data = card(
        "FN;ENCODING=QUOTED-PRINTABLE:Anna=",
        "EMAIL:anna@example.com",
        "TEL:+1 555 0100",
        version="2.1",
    ).encode()
    (c,), _ = read_vcards(data, "x.vcf")
    assert (c.name, c.emails, c.phones) == ("Anna", ("anna@example.com",), ("+1 555 0100",))


def test_utf8_character_split_by_folding() -> None:
    data = card("FN:José Ñoño", "EMAIL:j@example.com").encode()
    cut = data.index("Ñ".encode()) + 1
    folded = data[:cut] + b"\r\n " + data[cut:]
    (c,), problems = read_vcards(folded, "x.vcf")
    assert problems == [] and c.name == "José Ñoño"


def test_escapes_and_name_fallbacks() -> None:
    data = (
        card("FN:a\\, b", "NOTE:one\\, two\\; three\\nfour\\\\five\\:six")
        + card("N:Curie;Marie;Salomea;Mme;")
        + card("NICKNAME:Bobby")
        + card("ORG:Initech\\, Inc.;Software")
    ).encode()
    contacts, problems = read_vcards(data, "x.vcf")
    assert problems == []
    # An ORG alone is no person's name: the import names the person after it.
    assert [c.name for c in contacts] == ["a, b", "Marie Curie", "Bobby", ""]
    assert contacts[0].note == "one, two; three\nfour\\five:six"
    assert contacts[3].company == "Initech, Inc."


def test_photo_variants_are_skipped() -> None:
    b64 = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8U"
    data = (
        card(
            "FN:Twenty One",
            "PHOTO;ENCODING=BASE64;TYPE=JPEG:",
            b64,  # 2.1: base64 on unindented lines, ended by a blank line
            b64,
            "",
            "EMAIL:t@example.com",
            version="2.1",
        )
        + card("FN:Four", "PHOTO:data:image/jpeg;base64," + b64, "LOGO;VALUE=uri:http://x/y.png")
        + card("FN:Sound", "SOUND;ENCODING=b:" + b64, " " + b64, "TEL:123")
    ).encode()
    contacts, problems = read_vcards(data, "x.vcf")
    assert problems == []
    assert [(c.name, c.emails, c.phones) for c in contacts] == [
        ("Twenty One", ("t@example.com",), ()),
        ("Four", (), ()),
        ("Sound", (), ("123",)),
    ]
    assert not any("/9j/" in s for c in contacts for s in strings(c))


def test_fallback_parser_when_vobject_rejects_a_line() -> None:
    data = card("FN:Fall Back", "EMAIL;=odd:fb@example.com", 'TEL;TYPE="a"b:+1 555 0101').encode()
    contacts, problems, reports = read_vcards_report(data, "x.vcf")
    assert problems == []
    assert [r.path for r in reports] == ["fallback"]
    (c,) = contacts
    assert (c.name, c.emails) == ("Fall Back", ("fb@example.com",))


def test_truncated_and_unterminated_cards() -> None:
    first = card("FN:One", "EMAIL:one@example.com")
    unterminated = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Two\r\n"
    last = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Three\r\nEMAIL:three@"
    contacts, problems = read_vcards((first + unterminated + last).encode(), "cut.vcf")
    assert [c.name for c in contacts] == ["One", "Two", "Three"]
    assert [(p.line, "END:VCARD" in p.message) for p in problems] == [
        (6, True),
        (9, True),
        (9, False),  # `three@` is no e-mail address
    ]


def test_nested_agent_card_is_dropped() -> None:
    data = card(
        "FN:Boss",
        "AGENT:",
        "BEGIN:VCARD",
        "VERSION:2.1",
        "FN:Assistant",
        "EMAIL:assistant@example.com",
        "END:VCARD",
        "EMAIL:boss@example.com",
        version="2.1",
    ).encode()
    contacts, problems = read_vcards(data, "agent.vcf")
    assert problems == []
    assert [(c.name, c.emails) for c in contacts] == [("Boss", ("boss@example.com",))]


def test_unreadable_input_is_reported_not_raised() -> None:
    assert read_vcards(b"", "empty.vcf") == (
        [],
        [ImportProblem("vcard:empty.vcf", 1, "no vCard found (no BEGIN:VCARD ... END:VCARD)")],
    )
    contacts, problems = read_vcards(b"BEGIN:VCARD\nEND:VCARD\n", "empty-card.vcf")
    (empty,) = contacts  # a record, which the import skips: it holds nothing
    assert empty.empty and problems == []
    data = b"junk before\r\n" + card("this is not a property", "=C3=28").encode()
    contacts, problems = read_vcards(data, "junk.vcf")
    assert [c.empty for c in contacts] == [True]
    assert [(p.line, p.source) for p in problems] == [(1, "vcard:junk.vcf")]


def test_bad_birthday_is_a_problem_but_the_card_imports() -> None:
    data = card("FN:Ann", "BDAY:1980-02-30").encode()
    (c,), problems = read_vcards(data, "x.vcf")
    assert c.name == "Ann" and c.birthday is None
    assert [(p.line, p.source) for p in problems] == [(1, "vcard:x.vcf#1")]
    assert "1980-02-30" in problems[0].message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("--0804", "--08-04"),
        ("--08-04", "--08-04"),
        ("19800804", "1980-08-04"),
        ("1980-08-04", "1980-08-04"),
        ("1980-08-04T00:00:00Z", "1980-08-04"),
        ("19800804T120000", "1980-08-04"),
        ("1604-08-04", "--08-04"),  # Apple's "no year"
        ("--0229", "--02-29"),
        ("2001-02-29", None),
        ("--1340", None),
        ("circa 1800", None),
        ("", None),
    ],
)
def test_birthday_forms(raw: str, expected: str | None) -> None:
    assert normalize_birthday(raw) == expected


# ------------------------------------------------------------------- never raises (fuzz)

SMALL_FIXTURES = [
    (FIXTURES / name).read_bytes()
    for name in (
        "John_Doe_ANDROID.vcf",
        "outlook-2003.vcf",
        "gmail-single.vcf",
        "rfc2426-example.vcf",
        "John_Doe_EVOLUTION.vcf",
    )
]
TOKENS = [
    b"\r\n",
    b"\n",
    b"\r",
    b" ",
    b"=",
    b":",
    b";",
    b"\\",
    b",",
    b'"',
    b"\x00",
    b"\xc3",
    b"\x80",
    b"\xff\xfe",
    b"BEGIN:VCARD",
    b"END:VCARD",
    b"AGENT:",
    b"ENCODING=QUOTED-PRINTABLE",
    b"CHARSET=utf-16",
    b"ENCODING=b",
]


def check_result(result: tuple[list[ImportedContact], list[ImportProblem]]) -> None:
    contacts, problems = result
    for problem in problems:
        assert isinstance(problem, ImportProblem) and problem.line >= 1
        assert "could not be read" not in problem.message  # an internal error, caught
    for contact in contacts:
        assert contact.name == contact.name.strip() and is_real_name(contact.name or "x")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise(data: bytes) -> None:
    check_result(read_vcards(data, "fuzz.vcf"))
    check_result(read_vcards(b"BEGIN:VCARD\r\n" + data, "fuzz.vcf"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SMALL_FIXTURES),
    st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=1),
            st.sampled_from(["insert", "delete", "replace", "cut"]),
            st.sampled_from(TOKENS),
        ),
        min_size=1,
        max_size=12,
    ),
)
def test_mutated_fixtures_never_raise(data: bytes, edits: list[tuple[float, str, bytes]]) -> None:
    for where, op, token in edits:
        i = int(where * len(data))
        if op == "insert":
            data = data[:i] + token + data[i:]
        elif op == "delete":
            data = data[:i] + data[i + len(token) :]
        elif op == "replace":
            data = data[:i] + token + data[i + len(token) :]
        else:
            data = data[:i]
    result = read_vcards(data, "mutated.vcf")
    check_result(result)
    line_count = data.count(b"\n") + data.count(b"\r") + 1
    assert all(p.line <= line_count for p in result[1])
