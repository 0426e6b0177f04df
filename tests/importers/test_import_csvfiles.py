"""LinkedIn Connections.csv and Google Contacts CSV readers (tests/fixtures/csv/)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netvault.identity import is_real_name
from netvault.importers import ImportedContact, ImportProblem
from netvault.importers._common import dedupe, parse_text_date
from netvault.importers.csvfiles import read_google, read_linkedin

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "csv"
LINKEDIN = (FIXTURES / "Connections.csv").read_bytes()
GOOGLE_NEW = (FIXTURES / "google-contacts.csv").read_bytes()
GOOGLE_LEGACY = (FIXTURES / "google-contacts-legacy-utf16.csv").read_bytes()

LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


# ---------------------------------------------------------------------------- LinkedIn


def test_linkedin_export_with_preamble() -> None:
    contacts, problems = read_linkedin(LINKEDIN, "/home/me/Downloads/Connections.csv")
    assert [(c.name, c.source) for c in contacts] == [
        ("Ada Lovelace", "linkedin:Connections.csv:row 5"),
        ("José Álvarez Núñez", "linkedin:Connections.csv:row 6"),
        ("Zoë Ødegård", "linkedin:Connections.csv:row 7"),
        ("Łukasz Wiśniewski", "linkedin:Connections.csv:row 8"),
        ("王 小明", "linkedin:Connections.csv:row 9"),
        ("Marcus Aurelius", "linkedin:Connections.csv:row 10"),
        ("Grace Hopper", "linkedin:Connections.csv:row 12"),  # row 10's Position spans 2 lines
        ("", "linkedin:Connections.csv:row 13"),  # a hidden member: no name, still a person
        ("Mary O'Neil", "linkedin:Connections.csv:row 14"),
    ]
    people = {c.name: c for c in contacts}
    ada = people["Ada Lovelace"]
    assert ada == ImportedContact(
        name="Ada Lovelace",
        source="linkedin:Connections.csv:row 5",
        emails=("ada@analytical.example",),
        company="Analytical Engines Ltd",
        role="Founder",
        links=("https://www.linkedin.com/in/ada-lovelace",),
        connected_on="2026-11-03",
    )
    assert ada.first_met is None and not ada.met_in_person  # connecting is not meeting
    jose = people["José Álvarez Núñez"]
    assert (jose.emails, jose.company, jose.connected_on) == ((), "Acme, Inc.", "2026-10-28")
    assert people["Zoë Ødegård"].role == "Director, Partnerships"
    assert people["Łukasz Wiśniewski"].company == 'Fabryka "Orzeł" Sp. z o.o.'
    assert people["王 小明"].company == "深圳科技有限公司"
    assert people["Marcus Aurelius"].role == "Chief Executive Officer and Co-Founder"
    assert people["Grace Hopper"].connected_on is None  # 31 Feb: reported, row still imported
    mary = people["Mary O'Neil"]
    assert (mary.company, mary.role, mary.emails) == (None, None, ())
    assert people[""].links == ("https://www.linkedin.com/in/hidden-member",)

    assert [(p.source, p.line) for p in problems] == [("linkedin:Connections.csv:row 12", 12)]
    assert "31 Feb 2023" in problems[0].message


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda d: b"\xef\xbb\xbf" + d, id="utf-8 BOM"),
        pytest.param(lambda d: d.replace(b"\n", b"\r\n"), id="CRLF"),
        pytest.param(lambda d: d.decode().encode("utf-16"), id="UTF-16 with BOM"),
    ],
)
def test_linkedin_encodings_and_line_ends(variant: Callable[[bytes], bytes]) -> None:
    assert read_linkedin(variant(LINKEDIN), "Connections.csv") == read_linkedin(
        LINKEDIN, "Connections.csv"
    )


def test_linkedin_without_preamble_old_columns_and_semicolons() -> None:
    old = (
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        "Ann,Lee,,Foo,CTO,1 Mar 2019\n"
    )
    (ann,), problems = read_linkedin(old.encode(), "old.csv")
    assert problems == []
    assert (ann.name, ann.source, ann.company, ann.role, ann.links, ann.connected_on) == (
        "Ann Lee",
        "linkedin:old.csv:row 2",
        "Foo",
        "CTO",
        (),
        "2019-03-01",
    )

    excel = f'{LINKEDIN_HEADER.replace(",", ";")}\nBo;Ek;;bo@example.se;"A;B";Dev;2024-05-06\n'
    (bo,), problems = read_linkedin(excel.encode("cp1252"), "excel.csv")
    assert problems == []
    assert (bo.name, bo.emails, bo.company, bo.connected_on) == (
        "Bo Ek",
        ("bo@example.se",),
        "A;B",
        "2024-05-06",
    )


def test_linkedin_preamble_with_a_stray_quote_and_cr_line_ends() -> None:
    data = (
        'Notes:\r"When exporting your connection data, you may notice\r\r'
        f"{LINKEDIN_HEADER}\rAnn,Lee,,,,,01 Jan 2020\r"
    ).encode()
    (ann,), problems = read_linkedin(data, "c.csv")
    assert problems == []
    assert (ann.name, ann.source, ann.connected_on) == (
        "Ann Lee",
        "linkedin:c.csv:row 5",
        "2020-01-01",
    )


def test_linkedin_without_header_is_one_problem() -> None:
    for data in (b"", b"Notes:\nnothing here\n", GOOGLE_NEW, b"\x00\xff" * 50):
        contacts, problems = read_linkedin(data, "x.csv")
        assert contacts == []
        assert [(p.source, p.line) for p in problems] == [("linkedin:x.csv", 1)]
        assert "header" in problems[0].message


# ------------------------------------------------------------------------------ Google


def test_google_new_format() -> None:
    contacts, problems = read_google(GOOGLE_NEW, "google-contacts.csv")
    grace, soren, chidi, tahani, nameless = contacts
    assert grace == ImportedContact(
        name="Grace Brewster Hopper",
        source="google:google-contacts.csv:row 2",
        emails=("grace@navy.example", "grace.hopper@example.com"),
        phones=("+1 202-555-0143",),
        company="US Navy",
        role="Rear Admiral",
        location="Arlington, VA, USA",
        links=("https://grace.example",),
        birthday="1906-12-09",
        note="Asked about COBOL history, wants an intro to the compiler team.",
    )
    # Grace's formatted address spans three lines, so Søren starts on line 5.
    assert (soren.name, soren.source) == ("Søren Kierkegaard", "google:google-contacts.csv:row 5")
    assert (soren.company, soren.location, soren.links) == (
        "Københavns Universitet",
        "København, Danmark",
        (),  # the Photo column is not a link
    )
    assert chidi.emails == ("chidi@example.org", "chidi.a@university.example")  # ::: split
    assert chidi.birthday == "--07-23"
    assert (tahani.name, tahani.phones) == ("Tahani", ("+44 7700 900456",))
    # No name, but a number: a person all the same (the import names them).
    assert (nameless.name, nameless.phones) == ("", ("+1 555 0199",))
    assert problems == []


def test_google_legacy_format_in_utf16() -> None:
    assert GOOGLE_LEGACY.startswith(b"\xff\xfe")
    contacts, problems = read_google(GOOGLE_LEGACY, "google.csv")
    assert [c.name for c in contacts] == [
        "Ada Lovelace",
        "Renée Müller",
        "Tomás O'Brien",  # Name empty: Given + Family
        "",  # no person name: the import names it after the organisation
        "",  # an address only: the import calls it "Unnamed contact N"
        "Kwame Nkrumah",
    ]
    ada, renee, tomas, acme, nobody, kwame = contacts
    assert ada.emails == ("ada@analytical.example", "ada.lovelace@example.org")
    assert ada.phones == ("+44 7700 900123", "+44 20 7946 0958")
    assert (ada.company, ada.role, ada.location) == (
        "Analytical Engines Ltd",
        "Founder",
        "London, United Kingdom",
    )
    assert ada.note == "Met at the Difference Engine demo.\nLikes poetry."
    assert (ada.birthday, ada.links) == ("1815-12-10", ("https://ada.example",))
    assert renee.emails == ("renee.mueller@soehne.example",)  # same address, other case
    assert renee.phones == ("+49 89 1234567",)  # same digits, other punctuation
    assert (renee.birthday, renee.location) == ("--04-15", "München, Bayern, Deutschland")
    assert renee.role == "Geschäftsführerin"
    assert tomas.company == "O'Brien, Kelly & Partners"
    assert acme.links == ("https://acme.example", "https://acme.example/jobs")
    assert acme.company == "Acme, Inc."
    assert kwame.birthday is None
    assert nobody.emails == ("nobody@example.net",)
    assert [(p.source, p.line) for p in problems] == [("google:google.csv:row 10", 10)]
    assert "next Tuesday" in problems[0].message


def test_google_utf8_bom_and_utf16_are_the_same_file() -> None:
    expected = read_google(GOOGLE_NEW, "g.csv")
    assert read_google(b"\xef\xbb\xbf" + GOOGLE_NEW, "g.csv") == expected
    assert read_google(GOOGLE_NEW.decode().encode("utf-16"), "g.csv") == expected
    assert read_google(GOOGLE_NEW.decode().encode("utf-16-be"), "g.csv") == expected


def test_google_outlook_csv_columns() -> None:
    data = (
        "First Name,Middle Name,Last Name,Company,Job Title,E-mail Address,E-mail 2 Address,"
        "Mobile Phone,Business Phone,Business City,Business State,Business Country/Region\n"
        "Ines,,Ruiz,Acme,CFO,ines@acme.example,ines@home.example,+34 600 000 000,"
        "+34 910 000 000,Madrid,,España\n"
    ).encode()
    (ines,), problems = read_google(data, "outlook.csv")
    assert problems == []
    assert (ines.name, ines.company, ines.role, ines.location) == (
        "Ines Ruiz",
        "Acme",
        "CFO",
        "Madrid, España",
    )
    assert ines.emails == ("ines@acme.example", "ines@home.example")
    assert ines.phones == ("+34 600 000 000", "+34 910 000 000")


def test_google_without_header_is_one_problem() -> None:
    contacts, problems = read_google(LINKEDIN, "Connections.csv")
    assert contacts == []
    assert [(p.source, p.line) for p in problems] == [("google:Connections.csv", 1)]


# ----------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03 Nov 2026", "2026-11-03"),
        ("3 Nov 2026", "2026-11-03"),
        ("03-Nov-26", "2026-11-03"),
        ("November 3, 2026", "2026-11-03"),
        ("03 Sept 2026", "2026-09-03"),
        ("31 Feb 2023", None),
        ("03 Foo 2026", None),
        ("yesterday", None),
    ],
)
def test_text_dates(text: str, expected: str | None) -> None:
    assert parse_text_date(text) == expected


def test_dedupe_keys() -> None:
    assert dedupe(["A@x.org", "a@X.org", "", "b@x.org"], key="casefold") == ("A@x.org", "b@x.org")
    assert dedupe(["+1 (555) 010-0000", "+15550100000", "n/a", "N/A"], key="digits") == (
        "+1 (555) 010-0000",
        "n/a",
    )


# ------------------------------------------------------------------- never raises (fuzz)


def check(result: tuple[list[ImportedContact], list[ImportProblem]]) -> None:
    contacts, problems = result
    assert all(p.line >= 1 for p in problems)
    assert not any(p.message.startswith("could not read the file: ") for p in problems)
    assert all(c.name == c.name.strip() and is_real_name(c.name or "x") for c in contacts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data: bytes) -> None:
    check(read_linkedin(data, "x.csv"))
    check(read_google(data, "x.csv"))
    check(read_linkedin(LINKEDIN[:400] + data, "x.csv"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([LINKEDIN, GOOGLE_NEW, GOOGLE_LEGACY]),
    st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=1),
            st.sampled_from([b'"', b",", b"\n", b"\r", b";", b"\t", b"\x00", b"\xff", b" ::: "]),
            st.booleans(),
        ),
        min_size=1,
        max_size=10,
    ),
)
def test_mutated_csv_never_raise(data: bytes, edits: list[tuple[float, bytes, bool]]) -> None:
    for where, token, insert in edits:
        i = int(where * len(data))
        data = data[:i] + token + data[i + (0 if insert else len(token)) :]
    check(read_linkedin(data, "x.csv"))
    check(read_google(data, "x.csv"))
