"""Reminders as an iCalendar file: follow-ups as VTODO, people due for contact as VEVENT.

UIDs are stable so that a calendar subscribed to the file updates its entries instead of
duplicating them on every export:
- a follow-up: its note's vault-relative path and its text (without the due date, so moving
  the date keeps the entry; a second identical task in the same note gets its own number);
- a person due for contact: their note's path. There is one reminder per person at a time,
  so when they fall due again the same entry moves to the new date.
Line numbers are not part of a UID: an edit elsewhere in the note must not change it.

Only follow-ups that concern a contact (written in a contact's note or linking one) are
exported; the file holds names and task texts, never e-mail addresses or phone numbers.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Literal

from .dates import add_days, duration
from .index import Index
from .model import TIE_LABELS
from .parse import link_text
from .privacy import Masker
from .ties import DueItem, due

UID_DOMAIN = "netvault"


@dataclass(frozen=True, slots=True)
class Reminder:
    kind: Literal["task", "due"]
    uid: str
    on: date  # a task's due date; the day a person is (or becomes) due, at the earliest today
    summary: str
    description: str
    path: str
    people: tuple[str, ...]


def _uid(*parts: str) -> str:
    digest = hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]
    return f"{digest}@{UID_DOMAIN}"


def plain_text(text: str) -> str:
    """Task text for a calendar, on one line, links as they read (`[[Ada Okafor|Ada]]`: Ada)."""
    return " ".join(link_text(text).split())


def task_reminders(index: Index, masker: Masker) -> list[Reminder]:
    found: list[Reminder] = []
    seen: Counter[tuple[str, str]] = Counter()
    tasks = sorted(index.all_tasks(), key=lambda item: (item[0].path, item[0].line))
    for task, people in tasks:
        if task.due is None or not people:
            continue
        text = " ".join(task.text.split())
        seen[(task.path, text)] += 1
        occurrence = seen[(task.path, text)]
        names = tuple(p.name for p in people)
        found.append(
            Reminder(
                kind="task",
                uid=_uid("task", task.path, text, str(occurrence)),
                on=task.due,
                summary=masker.mask(plain_text(text)) or "follow-up",
                description=masker.mask(
                    f"Follow-up with {', '.join(names)} ({task.path}, line {task.line})"
                ),
                path=task.path,
                people=names,
            )
        )
    found.sort(key=lambda r: (r.on, r.path, r.summary))
    return found


def _due_description(item: DueItem, today: date, masker: Masker) -> str:
    contact = item.contact
    tie = f"tie {contact.tie} ({TIE_LABELS[contact.tie]})" if contact.tie else "no tie"
    parts = [f"{tie}, in touch every {item.cadence_days} days"]
    if item.last_contact is None:
        parts.append("never in touch")
    else:
        ago = duration((today - item.last_contact).days)
        parts.append(f"last contact {item.last_contact.isoformat()} ({ago} ago)")
    if item.open_tasks:
        parts.append(
            "open follow-ups: "
            + "; ".join(plain_text(t.text) for t in item.open_tasks)
        )
    return masker.mask(
        f"Get in touch with {contact.name}: " + ", ".join(parts) + f" ({contact.path})"
    )


def due_reminders(index: Index, today: date, within_days: int, masker: Masker) -> list[Reminder]:
    found = [
        Reminder(
            kind="due",
            uid=_uid("due", item.contact.path),
            on=max(item.due_on or today, today),
            summary=masker.mask(f"Get in touch with {item.contact.name}"),
            description=_due_description(item, today, masker),
            path=item.contact.path,
            people=(item.contact.name,),
        )
        for item in due(index, today, within_days)
    ]
    found.sort(key=lambda r: (r.on, r.path))
    return found


def reminders(index: Index, today: date, within_days: int = 0) -> list[Reminder]:
    """Follow-ups with a due date, then people due for contact within `within_days`; the
    contact details of people who did not agree to share them masked in every text."""
    masker = Masker.for_contacts(index.contacts)
    return task_reminders(index, masker) + due_reminders(index, today, within_days, masker)


ICS_PRODID = "-//netvault//remind//EN"


def is_own_calendar(head: bytes) -> bool:
    """True if a file's first bytes are a calendar `netvault remind` wrote."""
    return head.startswith(b"BEGIN:VCALENDAR") and f"PRODID:{ICS_PRODID}".encode() in head[:1024]


def to_ics(items: Sequence[Reminder], today: date) -> bytes:
    """An iCalendar (RFC 5545) file; DTSTAMP is `today`, so the same vault and day give the
    same bytes."""
    from icalendar import Calendar, Event, Todo

    stamp = datetime.combine(today, time(0), tzinfo=UTC)
    calendar = Calendar()
    calendar.add("prodid", ICS_PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "netvault reminders")
    for item in items:
        if item.kind == "task":
            todo = Todo()
            todo.add("uid", item.uid)
            todo.add("dtstamp", stamp)
            todo.add("summary", item.summary)
            todo.add("description", item.description)
            todo.add("due", item.on)
            todo.add("status", "NEEDS-ACTION")
            calendar.add_component(todo)
        else:
            event = Event()
            event.add("uid", item.uid)
            event.add("dtstamp", stamp)
            event.add("summary", item.summary)
            event.add("description", item.description)
            event.add("dtstart", item.on)
            event.add("dtend", add_days(item.on, 1))
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
