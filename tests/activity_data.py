"""Generated calendars and mailboxes (5,000 events, 10,000+ messages) for the tests of the
calendar and mail imports and for the benchmarks. Plain Python: no pytest here."""

from __future__ import annotations

import mailbox
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.header import Header
from email.utils import format_datetime
from pathlib import Path

OWNER = "sam.rivera@example.org"


# ---- generated calendars --------------------------------------------------------------


@dataclass(frozen=True)
class GeneratedEvent:
    uid: str
    day: date  # in UTC, which the tests use as the machine's zone
    attendees: tuple[str, ...]
    cancelled: bool


def big_calendar(
    count: int, people: Sequence[str], owner: str, last_day: date, seed: int = 7
) -> tuple[bytes, list[GeneratedEvent]]:
    """An export of `count` UTC events on the days up to `last_day`, each with the owner
    and one to three of `people`, one in twenty cancelled; and what it holds."""
    rng = random.Random(seed)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//netvault tests//generated//EN"]
    events = []
    for number in range(count):
        day = last_day - timedelta(days=rng.randrange(0, 3 * 365))
        start = datetime(day.year, day.month, day.day, rng.randrange(7, 20), 0, tzinfo=UTC)
        guests = tuple(rng.sample(list(people), rng.randrange(1, 4)))
        cancelled = number % 20 == 0
        uid = f"gen-{number:05d}@netvault.test"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            "DTSTAMP:20260101T000000Z",
            f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
            f"DTEND:{start + timedelta(minutes=30):%Y%m%dT%H%M%SZ}",
            f"SUMMARY:Meeting {number}",
            "LOCATION:" + rng.choice(["https://zoom.us/j/1", "Office", "tel:+15550100"]),
            f"ORGANIZER:mailto:{owner}",
            *(f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{guest}" for guest in guests),
        ]
        if cancelled:
            lines.append("STATUS:CANCELLED")
        lines.append("END:VEVENT")
        events.append(GeneratedEvent(uid, day, guests, cancelled))
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8"), events


# ---- generated mailboxes --------------------------------------------------------------

FILLER = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 70)[:3600]


@dataclass(frozen=True)
class GeneratedMessage:
    sender: str
    recipients: tuple[str, ...]
    sent: datetime
    bulk: bool

    @property
    def day(self) -> date:
        return self.sent.astimezone(UTC).date()


def message_bytes(message: GeneratedMessage, number: int, names: dict[str, str]) -> bytes:
    """A message of about 4 KB with a typical header block; names RFC 2047-encoded."""

    def who(address: str) -> str:
        name = names.get(address)
        if name is None:
            return address
        return f"{Header(name, 'utf-8').encode()} <{address}>"

    head = [
        f"Return-Path: <{message.sender}>",
        f"Received: from mx{number % 7}.example.net by mail.example.org; "
        + format_datetime(message.sent),
        f"From: {who(message.sender)}",
        "To: " + ", ".join(who(a) for a in message.recipients[:1]),
    ]
    if len(message.recipients) > 1:
        head.append("Cc: " + ", ".join(who(a) for a in message.recipients[1:]))
    head += [
        f"Subject: =?utf-8?q?Caf=C3=A9_notes_{number}?=",
        f"Date: {format_datetime(message.sent)}",
        f"Message-ID: <{number}@generated.netvault.test>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
    ]
    if message.bulk:
        head.append("List-Id: <announce.lists.example.org>")
    return ("\n".join(head) + "\n\n" + FILLER + f" {number}\n").encode("utf-8")


def generated_messages(
    count: int, people: Sequence[str], owner: str, last_day: date, seed: int = 11
) -> list[GeneratedMessage]:
    """`count` messages over two years: half from people to you, half from you to one or
    two of them, one in ten from a mailing list."""
    rng = random.Random(seed)
    messages = []
    end = datetime(last_day.year, last_day.month, last_day.day, 12, tzinfo=UTC)
    for number in range(count):
        sent = end - timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
        other = rng.choice(list(people))
        if number % 2:
            messages.append(GeneratedMessage(other, (owner,), sent, number % 10 == 1))
        else:
            guests = tuple(rng.sample(list(people), rng.randrange(1, 3)))
            messages.append(GeneratedMessage(owner, guests, sent, False))
    return messages


def write_mbox(path: Path, messages: Sequence[GeneratedMessage], names: dict[str, str]) -> None:
    with open(path, "wb") as out:
        for number, message in enumerate(messages):
            stamp = message.sent.strftime("%a %b %d %H:%M:%S %Y")
            out.write(f"From {message.sender} {stamp}\n".encode())
            out.write(message_bytes(message, number, names))
            out.write(b"\n")


def write_maildir(
    path: Path, messages: Sequence[GeneratedMessage], names: dict[str, str]
) -> None:
    box = mailbox.Maildir(path, create=True)
    try:
        for number, message in enumerate(messages):
            box.add(message_bytes(message, number, names))
    finally:
        box.close()
