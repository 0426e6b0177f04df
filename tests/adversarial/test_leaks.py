"""Issue 11, item 7: contact details of people who did not agree to share them never leave
the vault, in any spelling; and what is not a contact detail is never masked.

Masking is by knowledge (the actual e-mails, phones and contact links of people whose
`consent.share-contact` is no or ask), with patterns as a second net that never touches web
addresses or dates.
"""

from __future__ import annotations

import json
import time

import pytest
from conftest import Vault
from icalendar import Calendar

BEN = (
    "---\ntie: 4\nmet_in_person: true\nemail: ben@example.com\nphone: \"+49 151 5550 2231\"\n"
    "links:\n  - mailto:ben.private@example.net\n  - tel:+4915155502231\n"
    "  - https://wa.me/4915155502231\n  - https://t.me/bencarter\n"
    "  - https://www.linkedin.com/in/ben-carter-114089257\n"
    "consent:\n  share-contact: {share}\n  introductions: yes\n---\n## Log\n"
    "- 2026-01-05 (in person) coffee\n"
)
ADA = (
    "---\ntie: 4\nmet_in_person: true\nemail: ada@example.org\nconsent:\n  share-contact: yes\n"
    "  introductions: yes\n---\n## Log\n- 2026-01-05 (in person) coffee\n"
)
SPELLINGS = (
    "0151–5550–2231",  # en-dashes
    "(0151) 5550-2231",
    "+49 (0)151 5550 2231",
    "0049 151 5550 2231",
    "ben＠example.com",  # full-width at sign
    "BEN%40EXAMPLE.COM",
    "https://wa.me/4915155502231",
)
NOT_DETAILS = ("https://www.linkedin.com/in/ada-okafor-114089257", "17.11.2026", "2026-11-25")


def setup(vault: Vault, share: str = "no") -> Vault:
    vault.write(".netvault.toml", '[owner]\nname = "Sam Rivera"\nemail = "sam@example.org"\n')
    vault.write("people/Ben Carter.md", BEN.format(share=share))
    vault.write("people/Ada Okafor.md", ADA)
    tasks = "".join(
        f"- [ ] ask [[Ada Okafor]] about {text} 📅 2026-11-20\n" for text in SPELLINGS + NOT_DETAILS
    )
    vault.write("daily/2026-11-20.md", tasks)
    return vault


FORBIDDEN = (
    "ben@example.com", "ben.private@example.net", "5550 2231", "5550-2231", "5550–2231",
    "55502231", "wa.me/49", "t.me/bencarter", "tel:", "mailto:", "＠", "%40",
)


def assert_clean(text: str) -> None:
    lowered = text.lower()
    for detail in FORBIDDEN:
        assert detail.lower() not in lowered, detail


@pytest.mark.parametrize("fmt", ["vcard", "csv", "json"])
def test_contact_links_are_not_exported_without_consent(vault: Vault, fmt: str) -> None:
    setup(vault)
    result = vault.run("export", fmt)
    assert result.exit_code == 0, result.output
    assert_clean(result.stdout)
    assert "linkedin.com/in/ben-carter-114089257" in result.stdout  # a profile, not a contact
    if fmt == "json":
        ben = next(c for c in json.loads(result.stdout)["contacts"] if c["name"] == "Ben Carter")
        assert ben["withheld"] == ["email", "phone", "links"]
        assert ben["links"] == ["https://www.linkedin.com/in/ben-carter-114089257"]


def test_with_consent_the_contact_links_are_exported(vault: Vault) -> None:
    setup(vault, share="yes")
    contacts = json.loads(vault.run("export", "json").stdout)["contacts"]
    ben = next(c for c in contacts if c["name"] == "Ben Carter")
    assert "https://wa.me/4915155502231" in ben["links"]
    assert ben["phone"] == ["+49 151 5550 2231"]


@pytest.mark.parametrize("share", ["no", "ask"])
@pytest.mark.parametrize("why", [f"Ben ({spelling}) is hiring" for spelling in SPELLINGS])
def test_a_why_holding_a_forbidden_detail_in_any_spelling_is_refused(
    vault: Vault, share: str, why: str
) -> None:
    setup(vault, share=share)
    before = vault.snapshot()
    result = vault.run("intro", "Ada Okafor", "Ben Carter", "--why", why)
    assert result.exit_code == 1, result.output
    assert "the ask draft to Ada Okafor would carry Ben Carter's" in result.output
    assert f"consent.share-contact is {share}" in result.output
    assert vault.snapshot() == before


def test_the_report_masks_every_spelling_and_nothing_else(vault: Vault) -> None:
    setup(vault)
    for args in (("report",), ("report", "--format", "html")):
        assert vault.run(*args).exit_code == 0
    for name in ("Network.md", "Network.html"):
        text = (vault.root / "Reports" / name).read_text(encoding="utf-8")
        assert_clean(text)
        for kept in NOT_DETAILS:
            assert kept in text, (name, kept)
        assert "[phone hidden]" in text and "[e-mail hidden]" in text


def test_the_calendar_masks_every_spelling_and_nothing_else(vault: Vault) -> None:
    setup(vault)
    out = vault.root.parent / "reminders.ics"
    assert vault.run("remind", "--ics", str(out)).exit_code == 0
    calendar = Calendar.from_ical(out.read_bytes())
    texts = " ".join(
        str(component.get(key, "")) for component in calendar.walk()
        for key in ("summary", "description")
    )
    assert_clean(texts)
    for kept in NOT_DETAILS:
        assert kept in texts, kept


def test_masking_a_100_kb_line_is_linear() -> None:
    """The e-mail pattern was quadratic: one 100 KB task line made `report` take 19 s."""
    from netvault.privacy import Masker

    masker = Masker()
    hostile = {
        "word characters": "a.b-c_d" * 15_000,
        "digits and spaces": "1 " * 50_000,
        "at signs": "@a" * 50_000,
        "non-ASCII": "ü" * 100_000,
    }
    for name, line in hostile.items():
        started = time.perf_counter()
        masker.mask(line)
        assert time.perf_counter() - started < 3.0, name
