"""The calendar reader: keys that read back from the note, days and channels."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from netvault.importers.ics import event_channel, read_events

CALENDAR = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//t//EN\r
BEGIN:VEVENT\r
UID:odd uid%with [[link]] #tag\r
DTSTART;TZID=Pacific/Auckland:20261120T070000\r
SUMMARY:x\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART:20261121T090000Z\r
SUMMARY:no uid\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_keys_never_hold_a_space_a_percent_a_link_or_a_tag() -> None:
    found = read_events(CALENDAR, date(2026, 11, 1), date(2026, 11, 30), ZoneInfo("UTC"))
    keys = [event.key for event in found.events]
    assert keys[0] == "odd%20uid%25with%20%5B%5Blink%5D%5D%20%23tag"
    assert keys[1].startswith("nouid-") and len(keys[1]) == len("nouid-") + 16
    # 07:00 in Auckland is the evening before in UTC: the event's own day counts.
    assert [(e.day, e.time) for e in found.events] == [
        (date(2026, 11, 20), "07:00"),
        (date(2026, 11, 21), "09:00"),
    ]


def test_channel_of_an_event() -> None:
    assert event_channel({"LOCATION": "Room 4, https://zoom.us/j/1"}) == "video"
    assert event_channel({"LOCATION": "Microsoft Teams Meeting"}) == "video"
    assert event_channel({"DESCRIPTION": "https://meet.jit.si/x", "LOCATION": "Office"}) == (
        "video"
    )
    assert event_channel({"LOCATION": "Office", "DESCRIPTION": "dial tel:+1555"}) == "call"
    assert event_channel({"LOCATION": "+44 20 7946 0958"}) == "call"
    assert event_channel({"LOCATION": "The Barn, Berlin"}) == "in person"
    assert event_channel({"LOCATION": "https://example.com/room"}) is None
    assert event_channel({}) is None


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
    max_size=40,
).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None)
@given(uid=_TEXT, title=_TEXT)
def test_the_key_a_line_carries_reads_back_from_the_note(uid: str, title: str) -> None:
    """Whatever the UID and title hold, the key is found again in the note: what keeps a
    re-import from logging the meeting twice."""
    import icalendar

    from netvault.calendar_import import event_text, ical_key
    from netvault.interactions import log_line
    from netvault.parse import parse_note

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//t//EN")
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("summary", title)
    event.add("dtstart", icalendar.vDatetime.from_ical("20261120T090000Z"))
    calendar.add_component(event)
    found = read_events(calendar.to_ical(), date(2026, 11, 1), date(2026, 11, 30),
                        ZoneInfo("UTC")).events
    assert len(found) == 1
    line = log_line(event_text(found[0]), found[0].day, "video", None)
    note = parse_note("people/A.md", f"---\nname: A\n---\n## Log\n{line}\n".encode())
    interactions = note.note.interactions
    assert len(interactions) == 1
    assert ical_key(interactions[0]) == f"ical:{found[0].key}"
