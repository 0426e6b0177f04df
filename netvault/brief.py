"""A one-screen brief before meeting someone: what to remember, ask and follow up on.

Read from the note and the index only (and, in a git vault, the note as it was when you
last met, to say what changed since; the `## Career` lines dated since say it in any vault).
Contact details are not part of a brief.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .index import Index
from .model import CONVERSATION_CHANNELS, Contact, Interaction, Move, Task
from .parse import fold, parse_note

if TYPE_CHECKING:
    from .intros import Intro

RECENT = 5
MAX_MUTUAL = 8
MAX_SINCE = 5
CHANGE_KEYS = ("company", "role", "location")
# An Obsidian comment (`%% ical:... %%`): hidden in Obsidian, so hidden here too.
_COMMENT = re.compile(r"\s*%%.*?%%")
# A daily note or a meeting note: its file name starts with its date.
_DATED_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}(?!\d)")
# Follow-ups that wait on them: `#waiting`, or text that starts "waiting for/on".
_WAITING = re.compile(r"(?:^|\s)#waiting\b|^\s*waiting\s+(?:for|on)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Mutual:
    """Someone you both know, and why netvault thinks so."""

    name: str
    path: str
    tie: int | None
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FieldChange:
    key: str  # company, role or location
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class SinceLastMet:
    day: date | None  # the last real conversation (in person, call, video); None if none
    interactions: tuple[Interaction, ...]  # logged after that day, newest first
    changes: tuple[FieldChange, ...]  # from git: the note then and now
    history_read: bool  # False when the vault has no git history to compare with
    moves: tuple[Move, ...]  # `## Career` lines dated after that day, newest first


@dataclass(frozen=True, slots=True)
class IntroLine:
    intro: Intro
    other: str  # the other person's name
    waiting_on_them: bool  # they have not answered yet


@dataclass(frozen=True)
class Brief:
    contact: Contact
    today: date
    first_interaction: Interaction | None
    met_in_person: bool
    recent: tuple[Interaction, ...]  # newest first
    you_owe: tuple[Task, ...]
    they_owe: tuple[Task, ...]
    favours_given: int
    favours_received: int
    favour_lines: tuple[Interaction, ...]  # newest first
    intros: tuple[IntroLine, ...]
    mutual: tuple[Mutual, ...]
    mutual_more: int
    since: SinceLastMet


def shown_text(text: str) -> str:
    """An interaction's or task's text as the brief shows it: without Obsidian comments."""
    return _COMMENT.sub("", text).strip()


def _last_met(index: Index, contact: Contact, today: date) -> date | None:
    talks = [
        i.date
        for i in index.interactions(contact)
        if i.channel in CONVERSATION_CHANNELS and i.date <= today
    ]
    days = [d for d in (contact.last_met, *talks) if d is not None]
    return max(days) if days else None


def _changes(index: Index, contact: Contact, day: date) -> tuple[tuple[FieldChange, ...], bool]:
    from .history import note_as_of

    old = note_as_of(index.root, contact.path, day)
    if old is None:
        return (), False
    then = parse_note(contact.path, old, index.config.contacts_folder).note.contact
    if then is None:
        return (), True
    changes = []
    for key in CHANGE_KEYS:
        before, after = getattr(then, key), getattr(contact, key)
        if (before or None) != (after or None):
            changes.append(FieldChange(key, before, after))
    return tuple(changes), True


def _since(index: Index, contact: Contact, today: date) -> SinceLastMet:
    day = _last_met(index, contact, today)
    if day is None:
        return SinceLastMet(None, (), (), False, ())
    later = [i for i in index.interactions(contact) if day < i.date <= today]
    changes, read = _changes(index, contact, day)
    moves = sorted(
        (m for m in contact.moves if day < m.date <= today),
        key=lambda m: (m.date, m.line),
        reverse=True,
    )
    return SinceLastMet(day, tuple(reversed(later)), changes, read, tuple(moves))


def _title(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".md")


def _mutual(index: Index, contact: Contact, intros: Sequence[IntroLine]) -> list[Mutual]:
    by_path = {c.path: c for c in index.contacts}
    reasons: dict[str, list[str]] = {}

    def add(path: str | None, reason: str) -> None:
        if path and path != contact.path and path in by_path:
            found = reasons.setdefault(path, [])
            if reason not in found:
                found.append(reason)

    if contact.introduced_by:  # the link's target, as the parser read it
        introducer = index.find(contact.introduced_by)
        add(introducer.path if introducer else None, "introduced you")
    for line in intros:
        partner = line.intro.b_path if line.intro.a_path == contact.path else line.intro.a_path
        add(partner, "an introduction with them")
    dated = set()
    for item in index.interactions(contact):
        if item.path == contact.path:
            for target in item.links:
                named = index.find(target)
                add(named.path if named else None, f"in your log ({item.date.isoformat()})")
        else:
            dated.add(item.path)
    for path in index.links_out(contact.path):
        add(path, "in their note")
    for path in index.backlinks(contact.path):
        add(path, "links to them")
        if _DATED_NAME.match(_title(path)):
            dated.add(path)
    # Dated notes (a daily note, a meeting write-up) that mention them: who else was there.
    for path in sorted(dated):
        for other in index.links_out(path):
            add(other, f"mentioned with them in [[{_title(path)}]]")
    if contact.company:
        company = fold(contact.company)
        for colleague in index.contacts:
            if colleague.company and fold(colleague.company) == company:
                add(colleague.path, f"also at {colleague.company}")
    people = [
        Mutual(by_path[p].name, p, by_path[p].tie, tuple(found)) for p, found in reasons.items()
    ]
    people.sort(key=lambda m: (-(m.tie or 0), fold(m.name), m.path))
    return people


def _intros(index: Index, contact: Contact) -> list[IntroLine]:
    from .intros import read_intros

    found, _problems = read_intros(index)
    lines = []
    for intro in found:
        if not intro.involves(contact.path):
            continue
        mine = "a" if intro.a_path == contact.path else "b"
        other = intro.b if mine == "a" else intro.a
        said = intro.a_said if mine == "a" else intro.b_said
        lines.append(IntroLine(intro, other, said == "pending" and intro.status == "asked"))
    lines.reverse()  # newest first
    return lines


def brief(index: Index, contact: Contact, today: date) -> Brief:
    interactions = [i for i in index.interactions(contact) if i.date <= today]
    tasks = index.tasks(contact)
    given, received = index.favors(contact)
    intros = _intros(index, contact)
    mutual = _mutual(index, contact, intros)
    return Brief(
        contact=contact,
        today=today,
        first_interaction=interactions[0] if interactions else None,
        met_in_person=index.met_in_person(contact),
        recent=tuple(reversed(interactions[-RECENT:])),
        you_owe=tuple(t for t in tasks if not _WAITING.search(t.text)),
        they_owe=tuple(t for t in tasks if _WAITING.search(t.text)),
        favours_given=given,
        favours_received=received,
        favour_lines=tuple(reversed([i for i in interactions if i.favor][-3:])),
        intros=tuple(intros),
        mutual=tuple(mutual[:MAX_MUTUAL]),
        mutual_more=max(0, len(mutual) - MAX_MUTUAL),
        since=_since(index, contact, today),
    )
