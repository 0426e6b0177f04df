"""The digest one member shares with the team: a versioned JSON file, `<member-id>.json`.

Per person it holds only a tie bucket, a relationship kind, company, role, city, the year last
in touch, keyed hashes of their e-mail addresses and profile URLs (so that teammates' entries for
one person join up without showing the address) and their name when, and only when, their
`introductions` consent is yes. Never e-mails, phones, notes, logs, tasks, favours or intros.
People with `introductions: no`, a tie below `[team] min_tie` or the tag `private` are left out.

A digest read from the shared repository is a stranger's input: `read_digest` validates it
whole against the schema (msgspec: types, lengths, patterns, no unknown field) or refuses it.
docs/team.md documents the format; docs/team-digest.schema.json is its JSON Schema.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from datetime import date
from typing import Annotated, Literal
from urllib.parse import unquote, urlsplit

import msgspec

from ..errors import NetvaultError
from ..index import Index
from ..model import Contact
from ..parse import fold
from ..paths import RELATIONSHIP_KINDS, TIE_BUCKETS, article, relationship_kind

FORMAT: Literal["netvault-team-digest"] = "netvault-team-digest"
VERSION: Literal[1] = 1
MAX_DIGEST_BYTES = 32 * 1024 * 1024
MAX_PEOPLE = 100_000
MAX_KEYS_PER_PERSON = 8
KEY_CHARS = 32  # 128 bits of HMAC-SHA256: collisions are out of reach, digests stay small
MEMBER_ID_PATTERN = "^[0-9a-f]{16}$"
PRIVATE_TAG = "private"

# Characters that could rewrite a terminal or reorder what it shows: controls (ESC included),
# zero-width and bidirectional marks, line and paragraph separators, the byte-order mark.
_UNSAFE = r"\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff"
# `(?!\n)`: Python's `$` also matches before a final newline.
_SAFE_TEXT = rf"^[^{_UNSAFE}]+$(?!\n)"
_UNSAFE_RUN = re.compile(rf"[{_UNSAFE}\s]+")
_SPACE = re.compile(r"\s")
TEXT_CHARS = 200
CITY_CHARS = 80

Text = Annotated[str, msgspec.Meta(min_length=1, max_length=TEXT_CHARS, pattern=_SAFE_TEXT)]
MemberId = Annotated[str, msgspec.Meta(pattern=MEMBER_ID_PATTERN)]
PersonKey = Annotated[str, msgspec.Meta(pattern=f"^[0-9a-f]{{{KEY_CHARS}}}$")]
TieBucket = Annotated[str, msgspec.Meta(pattern=f"^({'|'.join(TIE_BUCKETS)})$")]
RelationshipKind = Annotated[str, msgspec.Meta(pattern=f"^({'|'.join(RELATIONSHIP_KINDS)})$")]
Year = Annotated[int, msgspec.Meta(ge=1900, le=9999)]


class Person(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """One person a member could introduce a teammate to."""

    tie: TieBucket
    relationship: RelationshipKind | None = None
    company: Text | None = None
    role: Text | None = None
    city: Text | None = None
    last_in_touch: Year | None = None
    keys: Annotated[list[PersonKey], msgspec.Meta(max_length=MAX_KEYS_PER_PERSON)] = []
    name: Text | None = None


class Digest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What one member shares: who they are in the team, and the people they know."""

    format: Literal["netvault-team-digest"]
    version: Literal[1]
    member: MemberId
    name: Text
    published: date
    people: Annotated[list[Person], msgspec.Meta(max_length=MAX_PEOPLE)]


class _Header(msgspec.Struct):
    """Read first, so a digest of another version gets its own message."""

    format: object = None
    version: object = None


class BadDigest(NetvaultError):
    """A member file that is not a valid digest; it is reported and skipped."""


# ---- building a digest from the vault ---------------------------------------------------------


def shareable(contact: Contact, min_tie: int) -> bool:
    """Whether the contact may appear in a digest at all."""
    return (
        contact.consent.introductions != "no"
        and contact.tie is not None
        and contact.tie >= min_tie
        and not is_private(contact)
    )


def is_private(contact: Contact) -> bool:
    return any(
        (folded := fold(tag)) == PRIVATE_TAG or folded.startswith(PRIVATE_TAG + "/")
        for tag in contact.tags
    )


def build_digest(
    index: Index, *, member: str, name: str, team_key: bytes, today: date
) -> Digest:
    """The digest of the vault: everyone `shareable`, in an order that shows no hidden name."""
    owner = index.find(index.config.owner_name)
    people = [
        person_entry(index, contact, team_key, today)
        for contact in index.contacts
        if shareable(contact, index.config.team_min_tie)
        and (owner is None or contact.path != owner.path)
    ]
    people.sort(key=_published_order)
    return Digest(
        format=FORMAT,
        version=VERSION,
        member=member,
        name=clean_text(name) or "?",
        published=today,
        people=people,
    )


def person_entry(index: Index, contact: Contact, team_key: bytes, today: date) -> Person:
    assert contact.tie is not None  # only shareable contacts get here
    last = index.last_contact(contact, today)
    return Person(
        tie=tie_bucket(contact.tie),
        relationship=relationship_kind(contact.relationship),
        company=clean_text(contact.company),
        role=clean_text(contact.role),
        city=city_of(contact.location),
        last_in_touch=min(last.year, today.year) if last else None,
        keys=person_keys(contact, team_key),
        name=clean_text(contact.name) if contact.consent.introductions == "yes" else None,
    )


def tie_bucket(tie: int) -> str:
    return next(bucket for bucket, lowest in TIE_BUCKETS.items() if tie >= lowest)


def _published_order(person: Person) -> tuple[str, ...]:
    # Sorting by name would place a hidden person between two named ones: it would hint at
    # the hidden name. Only published fields decide the order.
    return (
        fold(person.company or ""),
        fold(person.role or ""),
        fold(person.city or ""),
        person.tie,
        person.relationship or "",
        str(person.last_in_touch or ""),
        *person.keys,
        person.name or "",
    )


def clean_text(value: str | None, limit: int = TEXT_CHARS) -> str | None:
    """One line of visible text: unsafe characters and runs of space become one space."""
    if value is None:
        return None
    text = _UNSAFE_RUN.sub(" ", value).strip()[:limit].rstrip()
    return text or None


def city_of(location: str | None) -> str | None:
    """The first part of a location that has no digit: a street address or postcode never
    leaves ("12 Rue X, 75011 Paris, France" gives "France"; "Berlin, Germany" gives "Berlin")."""
    for part in (location or "").split(","):
        city = clean_text(part, CITY_CHARS)
        if city and not any(ch.isdigit() for ch in city):
            return city
    return None


def describe(person: Person) -> str:
    """How a person without a published name is shown: "a Partner at Fabrikam Capital"."""
    if person.role and person.company:
        return f"{article(person.role)} {person.role} at {person.company}"
    if person.company:
        return f"someone at {person.company}"
    if person.role:
        return f"{article(person.role)} {person.role}"
    return "someone"


# ---- keyed hashes -------------------------------------------------------------------------


def person_keys(contact: Contact, team_key: bytes) -> list[str]:
    """HMAC-SHA256 of each normalised e-mail address and profile URL, with the team's key."""
    found = {
        keyed_hash(team_key, "email", email)
        for email in filter(None, map(normalise_email, contact.emails))
    }
    found |= {
        keyed_hash(team_key, "url", url)
        for url in filter(None, map(normalise_profile_url, contact.links))
    }
    return sorted(found)[:MAX_KEYS_PER_PERSON]


def keyed_hash(team_key: bytes, kind: Literal["email", "url"], value: str) -> str:
    message = f"{kind}:{value}".encode()
    return hmac.new(team_key, message, hashlib.sha256).hexdigest()[:KEY_CHARS]


def normalise_email(value: str) -> str | None:
    text = unicodedata.normalize("NFC", value).strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    local, at, domain = text.partition("@")
    if not (local and at and domain) or "@" in domain or _SPACE.search(text):
        return None
    return text.lower()


def normalise_profile_url(value: str) -> str | None:
    """host/path of a web address that names a page (a profile), lower case; a bare domain
    (a company's site) is nobody's profile."""
    text = unicodedata.normalize("NFC", value).strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    host = host.removeprefix("www.")
    path = unquote(parts.path).rstrip("/").lower()
    if not path or _SPACE.search(path):
        return None
    return host + path


# ---- the file -----------------------------------------------------------------------------


def encode_digest(digest: Digest) -> bytes:
    return msgspec.json.encode(digest) + b"\n"


def read_digest(data: bytes, member: str) -> Digest:
    """The digest in `data`, found on member `member`'s ref; BadDigest says what is wrong."""
    if len(data) > MAX_DIGEST_BYTES:
        raise BadDigest(f"{len(data):,} bytes, more than a digest may have ({MAX_DIGEST_BYTES:,})")
    try:
        header = msgspec.json.decode(data, type=_Header)
    except msgspec.DecodeError as exc:
        raise BadDigest(f"not a netvault digest: {exc}") from None
    if header.format != FORMAT:
        raise BadDigest(f"not a netvault digest (format {header.format!r})")
    if header.version != VERSION:
        raise BadDigest(
            f"digest version {header.version!r}; this netvault reads version {VERSION} "
            "(a newer netvault wrote it: update netvault)"
        )
    try:
        digest = msgspec.json.decode(data, type=Digest)
    except msgspec.DecodeError as exc:
        raise BadDigest(str(exc)) from None
    if digest.member != member:
        raise BadDigest(
            f"the file carries member id {digest.member!r}, not {member!r}: refused "
            "(a member may only publish their own digest)"
        )
    return digest


def digest_schema() -> dict[str, object]:
    """The JSON Schema of a digest (docs/team-digest.schema.json is this, written out)."""
    schema: dict[str, object] = msgspec.json.schema(Digest)
    return schema
