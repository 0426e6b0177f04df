"""Log the meetings of a calendar export (.ics) in the notes of the people you met.

Each event that has happened logs one line per contact in it, under `## Log`:

    - 2026-11-20 (video) Weekly 1:1 %% ical:5f3a@example.com 20261120T080000Z %%

The title is the text; the Obsidian comment at the end (hidden in Obsidian's reading view)
carries the event's key, so importing the same calendar again writes nothing, whatever
became of the title. The channel comes from the event (`importers.ics.event_channel`);
`last_met`, `met_in_person` and `first_met` move as `netvault log` moves them.

Who is in an event: its organizer and attendees (not rooms, resources, non-participants
or people who declined), matched to contacts by e-mail address, plus every contact the
title links to (`[[Ada Okafor]]`) or names exactly (a name of two words or more; one word
is too often something else). You are never one of them (`activity.owner_addresses`).

Skipped, each counted under its reason: cancelled events; events you declined; all-day
events without attendees; events where you are the only person (no one else and no
contact in the title); events whose people are all unknown (`no-contact`). Attendees
who are not contacts are listed once each with the number of meetings, and become
contacts only with `add_unknown`.

Events after `now` are not logged: those of the next `UPCOMING_DAYS` days with contacts
in them are returned as upcoming meetings (`netvault.meetings` keeps them for `today`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from pathlib import PurePath
from typing import Literal

from .activity import (
    AddressBook,
    NoteOutcome,
    Planned,
    address_book,
    is_owner,
    normal_address,
    write_planned,
)
from .contacts import (
    ContactExists,
    ContactTemplateError,
    NewContact,
    contact_path,
    create_contact,
)
from .edit import EditRefused
from .importers.ics import Event, Person, read_events
from .index import Index
from .interactions import LogEntry, log_line
from .meetings import Meeting, MeetingPerson
from .model import CONVERSATION_CHANNELS, Contact, Interaction
from .names import BadName, check_note_name
from .parse import fold, link_targets, link_text

SkipReason = Literal["cancelled", "declined", "all-day", "only-you", "no-contact"]
SKIP_REASONS: tuple[SkipReason, ...] = (
    "cancelled",
    "declined",
    "all-day",
    "only-you",
    "no-contact",
)
UPCOMING_DAYS = 14
# Without --since, events are read from this day on.
EARLIEST = date(1900, 1, 1)
UNTITLED = "meeting"
# A name in a title: runs of up to this many words are looked up.
_MAX_NAME_WORDS = 5

_KEY_IN_TEXT = re.compile(r"%%\s*ical:(\S+(?: [0-9TZ]+)?)\s*%%\s*$")
_WORD = re.compile(r"[^\s,;:/()\[\]|&+!?\"“”<>]+")
_POSSESSIVE = re.compile(r"['’]s$")


@dataclass(frozen=True, slots=True)
class Unknown:
    """An attendee who is not a contact: listed, not added (unless asked)."""

    email: str
    name: str  # as the calendar names them; "" when it does not
    meetings: int
    first: date
    last: date


@dataclass(frozen=True, slots=True)
class Added:
    """A contact created for an unknown attendee (`add_unknown`)."""

    name: str
    path: str
    email: str
    error: str | None = None  # why it was not created


@dataclass(frozen=True)
class CalendarImport:
    source: str
    dry_run: bool
    read: int  # occurrences that have happened, in the window
    matched: int
    skipped: Mapping[SkipReason, int]
    notes: tuple[NoteOutcome, ...]
    unknown: tuple[Unknown, ...]
    added: tuple[Added, ...]
    upcoming: tuple[Meeting, ...]
    problems: tuple[str, ...]
    owner_known: bool = True
    since: date | None = None


def ical_key(interaction: Interaction) -> str | None:
    """The calendar key a logged line carries, e.g. `ical:5f3a@x 20261120T080000Z`."""
    found = _KEY_IN_TEXT.search(interaction.text)
    return f"ical:{found.group(1)}" if found else None


def event_text(event: Event) -> str:
    """The log text: the title, then the key in an Obsidian comment."""
    title = (event.title or UNTITLED).replace("%%", "%")
    return f"{title} %% ical:{event.key} %%"


def _title_contacts(index: Index, title: str) -> list[Contact]:
    """Contacts the title links to, or names exactly (two words or more)."""
    found: list[Contact] = []
    for target in link_targets(title):
        contact = index.find(target)
        if contact is not None and contact not in found:
            found.append(contact)
    words = _WORD.findall(link_text(title))
    for size in range(min(_MAX_NAME_WORDS, len(words)), 1, -1):
        for begin in range(len(words) - size + 1):
            phrase = _POSSESSIVE.sub("", " ".join(words[begin : begin + size]))
            contact = index.find(phrase)
            if contact is not None and fold(contact.name) == fold(phrase) and (
                contact not in found
            ):
                found.append(contact)
    return found


@dataclass
class _Planner:
    index: Index
    book: AddressBook
    owner: frozenset[str]
    now: datetime
    read: int = 0
    matched: int = 0
    skipped: Counter[SkipReason] = field(default_factory=Counter)
    planned: list[Planned] = field(default_factory=list)
    unknown: dict[str, list[tuple[Person, Event]]] = field(default_factory=dict)
    upcoming: list[Meeting] = field(default_factory=list)

    def _mine(self, person: Person) -> bool:
        return bool(person.email) and is_owner(person.email, self.owner)

    def _others(self, event: Event) -> list[Person]:
        people = [event.organizer, *event.attendees] if event.organizer else [*event.attendees]
        others: dict[str, Person] = {}
        for person in people:
            if person is None or not person.attends or person.declined or self._mine(person):
                continue
            if person.email:
                others.setdefault(person.email, person)
        return list(others.values())

    def _people(self, event: Event, others: Sequence[Person]) -> tuple[list[Contact], list[Person]]:
        contacts = _title_contacts(self.index, event.title)
        strangers: list[Person] = []
        for person in others:
            found = self.book.match(person.email, person.name)
            if not found:
                strangers.append(person)
            contacts += [c for c in found if c not in contacts]
        return contacts, strangers

    def _declined(self, event: Event) -> bool:
        return any(p.declined and self._mine(p) for p in event.attendees)

    def add(self, event: Event) -> None:
        if event.moment > self.now:
            self._upcoming(event)
            return
        self.read += 1
        reason = self._skip_reason(event)
        if reason is not None:
            self.skipped[reason] += 1

    def _skip_reason(self, event: Event) -> SkipReason | None:
        if event.cancelled:
            return "cancelled"
        if self._declined(event):
            return "declined"
        others = self._others(event)
        if event.all_day and not others:
            return "all-day"
        contacts, strangers = self._people(event, others)
        for person in strangers:
            self.unknown.setdefault(normal_address(person.email), []).append((person, event))
        if not contacts:
            return "only-you" if not others else "no-contact"
        self.matched += 1
        line = log_line(event_text(event), event.day, event.channel, None)
        entry = LogEntry(event.day, event.channel, line)
        self.planned += [Planned(c, f"ical:{event.key}", entry) for c in contacts]
        return None

    def _upcoming(self, event: Event) -> None:
        if event.cancelled or self._declined(event):
            return
        contacts, _ = self._people(event, self._others(event))
        if not contacts:
            return
        self.upcoming.append(
            Meeting(
                key=event.key,
                title=event.title or UNTITLED,
                day=event.day,
                time=event.time,
                channel=event.channel,
                people=tuple(MeetingPerson(c.name, c.path) for c in contacts),
            )
        )


def _unknown(found: Mapping[str, list[tuple[Person, Event]]]) -> list[Unknown]:
    result = []
    for email, seen in found.items():
        keys = {event.key for _, event in seen}
        days = [event.day for _, event in seen]
        name = next((person.name for person, _ in seen if person.name), "")
        result.append(Unknown(email, name, len(keys), min(days), max(days)))
    result.sort(key=lambda u: (-u.meetings, u.email))
    return result


def _plan(
    index: Index, book: AddressBook, owner: frozenset[str], now: datetime, events: Sequence[Event]
) -> _Planner:
    planner = _Planner(index, book, owner, now)
    for event in events:
        planner.add(event)
    return planner


def _nameable(index: Index, unknown: Sequence[Unknown]) -> tuple[list[Added], dict[str, Contact]]:
    """Contacts to create for unknown attendees, by path, and those that cannot be made.

    A name comes only from the calendar (CN); an attendee without one, or whose name is an
    address, stays unknown. A name an existing contact already has is a namesake, never
    merged: without a shared address there is no evidence they are one person.
    """
    refused: list[Added] = []
    new: dict[str, Contact] = {}
    taken: set[str] = set()
    for person in unknown:
        name = person.name.strip()
        if not name or "@" in name:
            refused.append(Added(name, "", person.email, "the calendar gives no name"))
            continue
        try:
            path = contact_path(index, name)
        except BadName as exc:
            refused.append(Added(name, "", person.email, str(exc)))
            continue
        existing = index.find(name)
        if existing is not None or fold(name) in taken or (index.root / path).exists():
            where = existing.path if existing is not None else path
            refused.append(
                Added(name, "", person.email, f"{where} has that name and not this address")
            )
            continue
        taken.add(fold(name))
        new[path] = Contact(name=check_note_name(name), path=path, emails=(person.email,))
    return refused, new


def _create(
    index: Index, contact: Contact, planned: Sequence[Planned], source: str, dry_run: bool
) -> tuple[Added, NoteOutcome]:
    """Write the note of a new contact with its log lines and dates, in one write."""
    entries = sorted({p.key: p.entry for p in planned}.values(), key=lambda e: e.day)
    talks = [e.day for e in entries if e.channel in CONVERSATION_CHANNELS]
    new = NewContact(
        name=contact.name,
        tie=1,
        emails=contact.emails,
        first_met=min(e.day for e in entries) if entries else None,
        last_met=max(talks) if talks else None,
        met_in_person=any(e.channel == "in person" for e in entries),
        log=tuple(e.line for e in entries),
        extra={"source": f"calendar:{PurePath(source).name}"},
    )
    email = contact.emails[0]
    try:
        if not dry_run:
            create_contact(index, new)
    except (ContactExists, ContactTemplateError, BadName, EditRefused) as exc:
        error = str(exc)
        return (
            Added(contact.name, contact.path, email, error),
            NoteOutcome(contact.name, contact.path, (), 0, error=error, refused=len(entries)),
        )
    return (
        Added(contact.name, contact.path, email),
        NoteOutcome(contact.name, contact.path, tuple(entries), 0, created=True),
    )


def import_calendar(
    index: Index,
    data: bytes,
    source: str,
    *,
    owner: frozenset[str],
    now: datetime,
    since: date | None = None,
    add_unknown: bool = False,
    dry_run: bool = False,
    local_zone: tzinfo | None = None,
) -> CalendarImport:
    """Read `data` (an .ics file called `source`) and log its past meetings.

    `now` is an aware datetime: events starting after it are upcoming, not logged. With
    `add_unknown`, attendees who are not contacts but have a name in the calendar become
    tie-1 contacts (`source: calendar:FILE`) holding their meetings. The caller holds the
    vault lock unless `dry_run`.
    """
    today = now.date()
    calendar = read_events(
        data, since or EARLIEST, today + timedelta(days=UPCOMING_DAYS), local_zone
    )
    planner = _plan(index, address_book(index), owner, now, calendar.events)
    added: list[Added] = []
    created: list[NoteOutcome] = []
    new: dict[str, Contact] = {}
    if add_unknown:
        added, new = _nameable(index, _unknown(planner.unknown))
        if new:
            book = AddressBook([*index.contacts, *new.values()])
            planner = _plan(index, book, owner, now, calendar.events)
        for path, contact in sorted(new.items()):
            mine = [p for p in planner.planned if p.contact.path == path]
            made, outcome = _create(index, contact, mine, source, dry_run)
            added.append(made)
            created.append(outcome)
    existing = [p for p in planner.planned if p.contact.path not in new]
    outcomes = write_planned(index, existing, ical_key, dry_run=dry_run)
    return CalendarImport(
        source=source,
        dry_run=dry_run,
        read=planner.read,
        matched=planner.matched,
        skipped={reason: planner.skipped[reason] for reason in SKIP_REASONS},
        notes=tuple(sorted(created + outcomes, key=lambda o: o.path)),
        unknown=tuple(_unknown(planner.unknown)),
        added=tuple(sorted(added, key=lambda a: (a.error is not None, a.name, a.email))),
        upcoming=tuple(sorted(planner.upcoming, key=lambda m: (m.day, m.time or "", m.key))),
        problems=calendar.problems,
        owner_known=bool(owner),
        since=since,
    )
