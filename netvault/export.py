"""Export contacts as vCard 3.0, CSV or JSON, honouring consent.

A person's e-mail, phone, address (`location`) and contact links (`mailto:`, `tel:`,
WhatsApp, Telegram, Signal ...) leave the vault only when their `consent.share-contact` is
yes, unless the caller asks for everything (`include_private`, the owner's own backup). Every
other text (name, aliases, company, role, tags, web links) has the contact details of anyone
who did not agree to share them masked, wherever they appear (see `privacy`).

What round-trips through `netvault import` into an empty vault:
- vCard (`import vcard`): name, aliases (NICKNAME), e-mails, phones, company, role,
  location, links, birthday, `connected_on`, `source`, KIND; with `include_private` also
  the note's opening text (NOTE) and `linkedin_urn`. A note netvault imported comes back
  with the same file name and front-matter.
- CSV (`import google`): the same fields. A cell a spreadsheet would run as a formula
  (starting with `= + - @`, a tab or a CR, but for a plain phone number) gets a leading `'`,
  which the importer takes off again (`spreadsheet`). The CSV uses the column names of
  Google Contacts' own CSV (`Name`, `E-mail 1 - Value`, `Notes`, ... with several values
  joined by ` ::: `), so Google Contacts and `netvault import google` both read it;
  netvault's own columns follow (tie, tags, dates, consent for spreadsheets; `Path`,
  `Connected On`, `Kind`, `Source` and `LinkedIn URN` for the import).
- JSON: everything listed here, for scripts and backups; netvault has no JSON importer.
Tie, tags, relationship, first/last met and consent are written to every format, but no
importer reads them back: an import always starts a person at tie 1, consent ask.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .index import Index
from .model import Contact
from .privacy import Masker, is_contact_link
from .spreadsheet import escape_cell

ExportFormat = Literal["vcard", "csv", "json"]
FORMATS: tuple[ExportFormat, ...] = ("vcard", "csv", "json")

# The fields consent guards, as named in the output ("links": the contact links among them).
PRIVATE_FIELDS = ("email", "phone", "location", "links")

# Google Contacts CSV joins several values of one cell with this.
GOOGLE_MULTI = " ::: "

CSV_COLUMNS = (
    "Name",
    "Given Name",
    "Family Name",
    "Nickname",
    "Birthday",
    "E-mail 1 - Value",
    "Phone 1 - Value",
    "Address 1 - City",
    "Organization 1 - Name",
    "Organization 1 - Title",
    "Website 1 - Value",
    "Tags",
    "Tie",
    "Relationship",
    "First Met",
    "Last Met",
    "Met In Person",
    "Share Contact",
    "Introductions",
    "Path",
    "Notes",
    "Connected On",
    "Kind",
    "Source",
    "LinkedIn URN",
)
# Every note in the vault is about one person (vCard 4.0 KIND; vCard 3.0 readers ignore it).
KIND = "individual"
_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")


@dataclass(frozen=True, slots=True)
class ExportRecord:
    """One contact as it leaves the vault; withheld fields are already empty."""

    name: str
    path: str
    aliases: tuple[str, ...]
    tags: tuple[str, ...]
    tie: int | None
    company: str | None
    role: str | None
    location: str | None
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    links: tuple[str, ...]
    birthday: str | None
    first_met: str | None
    last_met: str | None
    met_in_person: bool
    relationship: tuple[str, ...]
    share_contact: str
    introductions: str
    withheld: tuple[str, ...]  # names of the PRIVATE_FIELDS left out for want of consent
    connected_on: str | None = None
    source: str | None = None
    note: str | None = None  # the note's opening text; only in a private export
    linkedin_urn: str | None = None  # only in a private export


@dataclass(frozen=True, slots=True)
class Export:
    text: str
    records: tuple[ExportRecord, ...]

    @property
    def withheld_count(self) -> int:
        """People some of whose details were left out."""
        return sum(1 for r in self.records if r.withheld)


def export_records(index: Index, include_private: bool = False) -> list[ExportRecord]:
    """Every contact, sorted by name, with private details kept only where consent allows."""
    masker = None if include_private else Masker.for_contacts(index.contacts, spare_shared=True)
    return [_record(index, c, masker) for c in index.contacts]


def _record(index: Index, contact: Contact, masker: Masker | None) -> ExportRecord:
    """`masker` None: everything, for the owner's backup."""
    shareable = masker is None or contact.consent.share_contact == "yes"
    links = contact.links
    if masker is not None and not shareable:
        links = tuple(
            link for link in links if not is_contact_link(link) and not masker.findings(link)
        )
    held = {
        "email": contact.emails,
        "phone": contact.phones,
        "location": contact.location,
        "links": contact.links if links != contact.links else (),
    }
    withheld = () if shareable else tuple(k for k in PRIVATE_FIELDS if held[k])

    def text(value: str) -> str:
        return value if masker is None else masker.mask(value)

    def optional(value: str | None) -> str | None:
        return None if value is None else text(value)

    return ExportRecord(
        name=text(contact.name),
        path=text(contact.path),
        aliases=tuple(text(alias) for alias in contact.aliases),
        tags=tuple(text(tag) for tag in contact.tags),
        tie=contact.tie,
        company=optional(contact.company),
        role=optional(contact.role),
        location=optional(contact.location) if shareable else None,
        emails=contact.emails if shareable else (),
        phones=contact.phones if shareable else (),
        links=links,
        birthday=contact.birthday.iso() if contact.birthday else None,
        first_met=contact.first_met.isoformat() if contact.first_met else None,
        last_met=contact.last_met.isoformat() if contact.last_met else None,
        met_in_person=index.met_in_person(contact),
        relationship=tuple(text(value) for value in contact.relationship),
        share_contact=contact.consent.share_contact,
        introductions=contact.consent.introductions,
        withheld=withheld,
        connected_on=contact.connected_on.isoformat() if contact.connected_on else None,
        source=optional(contact.source),
        note=opening_text(index.notes[contact.path].body) if masker is None else None,
        linkedin_urn=contact.linkedin_urn if masker is None else None,
    )


def opening_text(body: str) -> str | None:
    """The text between a note's title and its first section (what an import wrote from a
    card's NOTE), without the `> ` of a quote; None when there is none."""
    lines = body.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start < len(lines) and lines[start].startswith("# "):
        start += 1
    end = start
    while end < len(lines) and not _HEADING.match(lines[end]):
        end += 1
    kept = lines[start:end]
    if all(line.lstrip().startswith(">") for line in kept if line.strip()):
        kept = [re.sub(r"^\s*> ?", "", line) for line in kept]
    text = "\n".join(kept).strip("\n")
    return text if text.strip() else None


VCARD_PRODID = "-//netvault//export//EN"
# How each format's output begins, so an export replaces only an earlier export.
_OWN_OUTPUT: dict[ExportFormat, Callable[[bytes], bool]] = {
    "vcard": lambda head: head.startswith(b"BEGIN:VCARD")
    and f"PRODID:{VCARD_PRODID}".encode() in head[:4096],
    "csv": lambda head: head.startswith(",".join(CSV_COLUMNS).encode("utf-8")),
    "json": lambda head: head.startswith(b'{\n  "contacts": ['),
}


def is_own_export(fmt: ExportFormat, head: bytes) -> bool:
    """True if a file's first bytes are an earlier netvault export in `fmt`."""
    return _OWN_OUTPUT[fmt](head)


def export(index: Index, fmt: ExportFormat, include_private: bool = False) -> Export:
    records = export_records(index, include_private)
    writers = {"vcard": to_vcard, "csv": to_csv, "json": to_json}
    return Export(writers[fmt](records), tuple(records))


# ---- vCard -------------------------------------------------------------------------------


def split_name(name: str) -> tuple[str, str]:
    """(given, family): the last word is the family name. Only for vCard's N property."""
    words = name.split()
    if len(words) < 2:
        return name, ""
    return " ".join(words[:-1]), words[-1]


def _uid(record: ExportRecord) -> str:
    digest = hashlib.sha256(record.path.encode("utf-8")).hexdigest()[:32]
    return f"netvault-{digest}"


def to_vcard(records: Sequence[ExportRecord]) -> str:
    """vCard 3.0, one card per contact, CRLF line ends (RFC 2426)."""
    import vobject

    cards: list[str] = []
    for record in records:
        card = vobject.vCard()
        card.add("prodid").value = VCARD_PRODID
        card.add("uid").value = _uid(record)
        card.add("fn").value = record.name
        given, family = split_name(record.name)
        card.add("n").value = vobject.vcard.Name(family=family, given=given)
        for alias in record.aliases:  # one property each: vobject escapes a comma list
            card.add("nickname").value = alias
        for email in record.emails:
            prop = card.add("email")
            prop.value = email
            prop.type_param = "INTERNET"
        for phone in record.phones:
            card.add("tel").value = phone
        if record.company:
            card.add("org").value = [record.company]
        if record.role:
            card.add("title").value = record.role
        if record.location:
            card.add("adr").value = vobject.vcard.Address(city=record.location)
        for link in record.links:
            card.add("url").value = link
        if record.birthday:
            card.add("bday").value = record.birthday
        if record.tags:
            card.add("categories").value = list(record.tags)
        if record.tie is not None:
            card.add("x-netvault-tie").value = str(record.tie)
        card.add("kind").value = KIND
        if record.note:
            card.add("note").value = record.note
        if record.connected_on:
            card.add("x-netvault-connected-on").value = record.connected_on
        if record.source:
            card.add("x-netvault-source").value = record.source
        card.add("x-netvault-path").value = record.path
        if record.linkedin_urn:
            card.add("x-netvault-linkedin-urn").value = record.linkedin_urn
        cards.append(card.serialize())
    return "".join(cards)


# ---- CSV ---------------------------------------------------------------------------------


def _multi(values: Sequence[str]) -> str:
    return GOOGLE_MULTI.join(values)


def to_csv(records: Sequence[ExportRecord]) -> str:
    """Google Contacts' columns; every cell spreadsheet-safe (see `spreadsheet`)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in records:
        given, family = split_name(r.name)
        writer.writerow(
            escape_cell(cell) for cell in [
                r.name,
                given,
                family,
                _multi(r.aliases),
                r.birthday or "",
                _multi(r.emails),
                _multi(r.phones),
                r.location or "",
                r.company or "",
                r.role or "",
                _multi(r.links),
                _multi(r.tags),
                "" if r.tie is None else str(r.tie),
                _multi(r.relationship),
                r.first_met or "",
                r.last_met or "",
                "yes" if r.met_in_person else "no",
                r.share_contact,
                r.introductions,
                r.path,
                r.note or "",
                r.connected_on or "",
                KIND,
                r.source or "",
                r.linkedin_urn or "",
            ]
        )
    return out.getvalue()


# ---- JSON --------------------------------------------------------------------------------


def record_json(record: ExportRecord) -> dict[str, Any]:
    return {
        "name": record.name,
        "path": record.path,
        "aliases": list(record.aliases),
        "tags": list(record.tags),
        "tie": record.tie,
        "company": record.company,
        "role": record.role,
        "location": record.location,
        "email": list(record.emails),
        "phone": list(record.phones),
        "links": list(record.links),
        "birthday": record.birthday,
        "first_met": record.first_met,
        "last_met": record.last_met,
        "met_in_person": record.met_in_person,
        "relationship": list(record.relationship),
        "connected_on": record.connected_on,
        "source": record.source,
        "consent": {
            "share-contact": record.share_contact,
            "introductions": record.introductions,
        },
        "withheld": list(record.withheld),
    }


def to_json(records: Sequence[ExportRecord]) -> str:
    data = {"contacts": [record_json(r) for r in records]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
