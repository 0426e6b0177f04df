"""Events from an iCalendar export (.ics): occurrences, the people in them, their channel.

Pure: bytes in, events and problems out, never raising on bad input. icalendar parses the
file; recurring-ical-events expands recurrences (RRULE, RDATE, EXDATE, and RECURRENCE-ID
overrides that move or cancel one occurrence) and applies a Google export's
X-WR-TIMEZONE, so such a calendar's times are in its own zone.

An event's day is its start's date in the start's own zone (TZID); a UTC start is read in
the local zone, and a floating start (no zone) is local time already. Each occurrence has
a stable key: the UID, and for an occurrence of a recurring series also its
RECURRENCE-ID (the slot it was planned for, which does not change when it is moved).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any
from urllib.parse import quote

__all__ = ["CalendarRead", "Event", "Person", "event_channel", "read_events"]

# Kept as written in a key (with letters, digits and "_.-~"); everything else is
# percent-encoded, so a key never holds a space or "%" (which would end the Obsidian
# comment it is written in), nor "[", "#" or "|", which a note would read as links or tags.
_KEY_SAFE = "@:/+=,;!$&'()*"
# Where a conferencing link or dial-in is found: the location first, then the rest.
_WHERE_KEYS = (
    "LOCATION",
    "URL",
    "CONFERENCE",
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-ONLINEMEETINGCONFLINK",
    "DESCRIPTION",
)
_VIDEO_LINK = re.compile(
    r"(?:zoom\.us|zoomgov\.com|meet\.google\.com|teams\.microsoft\.com|teams\.live\.com"
    r"|webex\.com|meet\.jit\.si|jitsi\.|whereby\.com)",
    re.IGNORECASE,
)
# Locations such as "Microsoft Teams Meeting" or "Zoom", as Outlook and others write them.
_VIDEO_WORDS = re.compile(
    r"\b(?:zoom|google meet|microsoft teams|teams meeting|webex|jitsi|whereby)\b", re.IGNORECASE
)
_TEL = re.compile(r"\btel:", re.IGNORECASE)
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_PHONE_ONLY = re.compile(r"^\+?[\d\s().-]{6,}$")
_UTC_KEYS = frozenset({"UTC", "Etc/UTC", "Etc/Zulu", "Z", "Zulu", "GMT", "Etc/GMT"})


@dataclass(frozen=True, slots=True)
class Person:
    """An organizer or attendee as the calendar names them."""

    email: str  # lower-case address; "" when the calendar gives none
    name: str  # the CN parameter; "" when none
    declined: bool  # PARTSTAT=DECLINED
    attends: bool  # a person taking part: not a room, resource or non-participant


@dataclass(frozen=True, slots=True)
class Event:
    """One occurrence of an event."""

    key: str  # the UID (percent-encoded), plus " RECURRENCE-ID" in a recurring series
    title: str  # SUMMARY on one line; "" when none
    start: datetime | date  # as written: aware in its zone, naive when floating, a date all day
    moment: datetime  # the start as an aware local time, for ordering and "has it happened"
    day: date  # the start's date in its own zone (UTC: in the local zone)
    time: str | None  # the start's "HH:MM" read the same way; None all day
    cancelled: bool  # STATUS:CANCELLED
    organizer: Person | None
    attendees: tuple[Person, ...]
    channel: str | None  # "in person", "video", "call", or None when the event does not say

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)


@dataclass(frozen=True, slots=True)
class CalendarRead:
    events: tuple[Event, ...]  # ordered by start
    problems: tuple[str, ...]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(_text(item) for item in value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    to_ical = getattr(value, "to_ical", None)
    if callable(to_ical) and not isinstance(value, str):
        raw = to_ical()
        return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return str(value)


def _one_line(value: object) -> str:
    return " ".join(_text(value).split())


def event_channel(component: Mapping[str, Any]) -> str | None:
    """How the event happens: a conferencing link is video (even beside a room or a
    dial-in number), a `tel:` or a bare phone number is a call, a place is in person."""
    location = _one_line(component.get("LOCATION"))
    everywhere = " ".join(_text(component.get(key)) for key in _WHERE_KEYS)
    if _VIDEO_LINK.search(everywhere) or _VIDEO_WORDS.search(location):
        return "video"
    if _TEL.search(everywhere) or (location and _PHONE_ONLY.match(location)):
        return "call"
    if location and not _URL.match(location):
        return "in person"
    return None


def _person(value: object) -> Person | None:
    text = _one_line(value)
    if not text:
        return None
    params: Mapping[str, Any] = getattr(value, "params", {}) or {}
    address = text[7:] if text.lower().startswith("mailto:") else text
    email = address.strip().lower() if "@" in address and " " not in address.strip() else ""
    cutype = _one_line(params.get("CUTYPE")).upper()
    role = _one_line(params.get("ROLE")).upper()
    return Person(
        email=email,
        name=_one_line(params.get("CN")).strip('"'),
        declined=_one_line(params.get("PARTSTAT")).upper() == "DECLINED",
        attends=cutype in ("", "INDIVIDUAL", "UNKNOWN") and role != "NON-PARTICIPANT",
    )


def _people(component: Mapping[str, Any]) -> tuple[Person | None, tuple[Person, ...]]:
    organizer = _person(component.get("ORGANIZER"))
    raw = component.get("ATTENDEE")
    values: Iterable[object] = raw if isinstance(raw, list) else ([raw] if raw else [])
    attendees = tuple(p for p in (_person(v) for v in values) if p is not None)
    return organizer, attendees


def _stamp(value: datetime | date) -> str:
    """A RECURRENCE-ID as a compact, zone-independent text: UTC when it has a zone."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        return value.strftime("%Y%m%dT%H%M%S")
    return value.strftime("%Y%m%d")


def _is_utc(value: datetime) -> bool:
    zone = value.tzinfo
    if zone is None:
        return False
    if zone is UTC:
        return True
    key = getattr(zone, "key", None) or getattr(zone, "zone", None) or str(zone)
    return key in _UTC_KEYS


def _local(value: datetime, zone: tzinfo | None) -> datetime:
    """An aware local time; a naive (floating) value is taken as local already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=zone) if zone is not None else value.astimezone()
    return value.astimezone(zone)


def _when(start: datetime | date, zone: tzinfo | None) -> tuple[datetime, datetime | None]:
    """(the start as an aware local time, the start as its day is read: in its own zone,
    or local for UTC; None all day)."""
    if not isinstance(start, datetime):
        return _local(datetime.combine(start, time()), zone), None
    moment = _local(start, zone)
    return moment, moment if _is_utc(start) else start


def _uid(component: Mapping[str, Any]) -> str:
    uid = _one_line(component.get("UID"))
    if uid:
        return quote(uid, safe=_KEY_SAFE)
    seed = f"{_text(component.get('DTSTART'))}\n{_text(component.get('SUMMARY'))}"
    return "nouid-" + hashlib.sha256(seed.encode("utf-8", "replace")).hexdigest()[:16]


def read_events(
    data: bytes, start: date, stop: date, local_zone: tzinfo | None = None
) -> CalendarRead:
    """Every occurrence of every event starting from `start` up to `stop` (both days
    included), ordered by start. `local_zone` is the machine's zone unless given."""
    import icalendar
    import recurring_ical_events

    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except (ValueError, IndexError, KeyError, TypeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return CalendarRead((), (f"not an iCalendar file ({reason})",))
    if not calendars:
        return CalendarRead((), ("not an iCalendar file (no VCALENDAR in it)",))
    events: list[Event] = []
    problems: list[str] = []
    for calendar in calendars:
        recurring: set[str] = set()
        masters: dict[str, Mapping[str, Any]] = {}
        for raw in calendar.walk("VEVENT"):
            if any(key in raw for key in ("RRULE", "RDATE", "RECURRENCE-ID")):
                uid = _uid(raw)
                recurring.add(uid)
                if "RECURRENCE-ID" not in raw:
                    masters[uid] = raw
        try:
            # A day wider on each side: the library and the day rule may see a late-night
            # event in different zones; the day rule decides below.
            found = recurring_ical_events.of(calendar, skip_bad_series=True).between(
                _shift(start, -1), _shift(stop, 2)
            )
        except Exception as exc:  # a broken calendar is a problem, not a crash
            problems.append(f"cannot expand the events ({type(exc).__name__}: {exc})")
            continue
        for component in found:
            event = _event(component, recurring, masters, local_zone)
            if event is None:
                problems.append(f"event {_one_line(component.get('SUMMARY'))!r} has no start")
            elif start <= event.day <= stop:
                events.append(event)
    events.sort(key=lambda e: (e.moment, e.key))
    return CalendarRead(tuple(events), tuple(problems))


def _shift(day: date, days: int) -> date:
    return date.fromordinal(max(1, day.toordinal() + days))


def _event(
    component: Mapping[str, Any],
    recurring: set[str],
    masters: Mapping[str, Mapping[str, Any]],
    zone: tzinfo | None,
) -> Event | None:
    dtstart = component.get("DTSTART")
    start = getattr(dtstart, "dt", None)
    if not isinstance(start, date):
        return None
    uid = _uid(component)
    key = uid
    if uid in recurring:
        recurrence = getattr(component.get("RECURRENCE-ID"), "dt", None)
        key = f"{uid} {_stamp(recurrence if isinstance(recurrence, date) else start)}"
    organizer, attendees = _people(component)
    if organizer is None and not attendees and uid in masters:
        # An override that lists nobody keeps the series' people (exports often omit them).
        organizer, attendees = _people(masters[uid])
    moment, wall = _when(start, zone)
    return Event(
        key=key,
        title=_one_line(component.get("SUMMARY")),
        start=start,
        moment=moment,
        day=wall.date() if wall is not None else start,
        time=wall.strftime("%H:%M") if wall is not None else None,
        cancelled=_one_line(component.get("STATUS")).upper() == "CANCELLED",
        organizer=organizer,
        attendees=attendees,
        channel=event_channel(component),
    )
