"""The vault's data, as small frozen records. No I/O here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
ConsentValue = Literal["yes", "ask", "no"]

CHANNELS = ("in person", "call", "video", "email", "message", "event")
# Channels that count as a real conversation and so move `last_met` forward.
CONVERSATION_CHANNELS = frozenset({"in person", "call", "video"})

TIE_LABELS = {
    1: "acquaintance",
    2: "contact",
    3: "knows-my-work",
    4: "trusted",
    5: "oak",
}
# Every spelling of a tie label netvault reads (`tie: trusted`, `tie: knows my work`).
TIE_BY_LABEL = {label: tie for tie, label in TIE_LABELS.items()}
TIE_BY_LABEL.update({"knows my work": 3, "known": 3, "oak tree": 5, "oak-tree": 5})

# A consent answer as written (YAML 1.1 reads a bare yes/no as a boolean) -> its meaning.
CONSENT_WORDS: dict[object, ConsentValue] = {
    True: "yes",
    False: "no",
    "yes": "yes",
    "y": "yes",
    "true": "yes",
    "ask": "ask",
    "no": "no",
    "n": "no",
    "false": "no",
}


@dataclass(frozen=True, slots=True)
class ContactRule:
    """What makes a note a contact: living in the contacts folder (unless it sets another
    `type`), or anywhere with `type: <person_type>` or the tag `person_tag` (or `tag/...`)."""

    folder: str = "people"
    person_type: str = "person"
    person_tag: str | None = "person"


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one place in the vault."""

    path: str
    line: int
    severity: Severity
    code: str
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.severity} {self.code}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Consent:
    share_contact: ConsentValue = "ask"
    introductions: ConsentValue = "ask"


@dataclass(frozen=True, slots=True)
class Birthday:
    """A birthday; the year is unknown when vCard wrote it as `--MM-DD`."""

    month: int
    day: int
    year: int | None = None

    def iso(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True, slots=True)
class Link:
    """A wikilink as written: `target` without heading, block or display text."""

    target: str
    line: int


@dataclass(frozen=True, slots=True)
class Interaction:
    """One dated contact: a log line in a contact's note or a mention in a daily note."""

    date: date
    channel: str | None
    text: str
    path: str
    line: int
    favor: Literal["gave", "got"] | None = None
    links: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Move:
    """A dated line under a contact's `## Career` heading: `- 2026-11-20 moved from Acme to
    Globex`. A job change, never an interaction."""

    date: date
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Task:
    """An open follow-up `- [ ] ...`, with an optional Obsidian Tasks due date."""

    text: str
    due: date | None
    path: str
    line: int
    links: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    path: str
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    tie: int | None = None
    first_met: date | None = None
    last_met: date | None = None
    met_in_person: bool = False
    relationship: tuple[str, ...] = ()
    company: str | None = None
    role: str | None = None
    location: str | None = None
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    cadence_days: int | None = None
    consent: Consent = field(default_factory=Consent)
    introduced_by: str | None = None
    offers: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    oak: bool = False
    birthday: Birthday | None = None
    connected_on: date | None = None  # when you connected on LinkedIn (not when you met)
    linkedin_urn: str | None = None
    source: str | None = None  # where an import first found this person: `vcard:phone.vcf`
    moves: tuple[Move, ...] = ()  # the `## Career` lines, oldest first

    @property
    def is_oak(self) -> bool:
        return self.oak or self.tie == 5


@dataclass(frozen=True, slots=True)
class Note:
    """One markdown file of the vault, contact or not."""

    path: str
    title: str
    contact: Contact | None = None
    date: date | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    links: tuple[Link, ...] = ()
    # Links that make a dated note an interaction (outside open tasks and quotes).
    mention_links: tuple[Link, ...] = ()
    # Channel named on a mention's line, e.g. "- (call) with [[Ada]]" in a daily note.
    mention_channels: Mapping[int, str] = field(default_factory=dict)
    interactions: tuple[Interaction, ...] = ()
    tasks: tuple[Task, ...] = ()
    body: str = ""
    # Line of each front-matter key, for problems found after parsing.
    key_lines: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ParsedNote:
    note: Note
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)
