"""Log the days you exchanged e-mail with your contacts, from a mailbox's headers.

One `email` interaction per contact per day, whichever way the mail went:

    - 2026-11-20 (email) e-mail from them
    - 2026-11-21 (email) e-mail to them
    - 2026-11-23 (email) e-mails both ways

Only addresses and dates are read (`importers.mail`); a subject or a body never reaches a
note. A message you sent (From is one of your addresses) counts for every contact in its
To, Cc and Bcc; a message a contact sent counts for that contact. E-mail keeps a tie alive
(it counts toward keep-in-touch cadences) but is not a meeting: `last_met` never moves.
A day on which the note already has an `(email)` interaction is not logged again, so a
re-run writes nothing.

Skipped, each counted under its reason: mailing lists (`List-Id`, `Precedence: bulk`,
`list` or `junk`); no-reply and automatic senders (`noreply@`, `mailer-daemon@`,
`Auto-Submitted`); messages without a readable date, dated after today or before
`since`; messages with no contact in them; messages that could not be read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Literal

from .activity import AddressBook, NoteOutcome, Planned, address_book, is_owner, write_planned
from .importers.mail import MailAddress, MessageHeaders
from .index import Index
from .interactions import LogEntry, log_line
from .model import Contact, Interaction

SkipReason = Literal[
    "mailing-list", "no-reply", "no-date", "future-date", "before-since", "no-contact",
    "unreadable",
]
SKIP_REASONS: tuple[SkipReason, ...] = (
    "mailing-list",
    "no-reply",
    "no-date",
    "future-date",
    "before-since",
    "no-contact",
    "unreadable",
)
Direction = Literal["from", "to"]
CHANNEL = "email"
PROGRESS_STEP = 500
_TEXT = {
    frozenset({"from"}): "e-mail from them",
    frozenset({"to"}): "e-mail to them",
    frozenset({"from", "to"}): "e-mails both ways",
}
# Machines, not people: no-reply senders, bounces, notification robots.
_NO_REPLY = re.compile(
    r"(?:^|[._+-])(?:no-?reply|do-?not-?reply|donotreply|noreply|mailer-daemon|postmaster|"
    r"bounces?|notifications?|notify)(?:$|[._+-])",
    re.IGNORECASE,
)


def email_day_key(interaction: Interaction) -> str | None:
    """An `(email)` interaction fills its day."""
    return f"email:{interaction.date.isoformat()}" if interaction.channel == CHANNEL else None


def is_no_reply(address: str) -> bool:
    return bool(_NO_REPLY.search(address.rpartition("@")[0]))


def _day(sent: datetime, zone: tzinfo | None) -> date:
    """The message's day where you are; a date without a zone is taken as written."""
    if sent.tzinfo is None:
        return sent.date()
    return sent.astimezone(zone).date()


class _Tally:
    def __init__(self, book: AddressBook, owner: frozenset[str], today: date,
                 since: date | None, zone: tzinfo | None) -> None:
        self.book = book
        self.owner = owner
        self.today = today
        self.since = since
        self.zone = zone
        self.read = 0
        self.matched = 0
        self.skipped: Counter[SkipReason] = Counter()
        self.days: dict[tuple[str, date], set[Direction]] = {}
        self.contacts: dict[str, Contact] = {}
        # A mailbox names the same few senders and recipient lists over and over: each
        # distinct one is matched once.
        self._matched: dict[tuple[MailAddress, ...], tuple[Contact, ...]] = {}
        self._senders: dict[tuple[MailAddress, ...], tuple[bool, bool]] = {}

    def _contacts(self, addresses: tuple[MailAddress, ...]) -> tuple[Contact, ...]:
        known = self._matched.get(addresses)
        if known is not None:
            return known
        found: list[Contact] = []
        for address in addresses:
            if is_owner(address.email, self.owner):
                continue
            found += [c for c in self.book.match(address.email, address.name) if c not in found]
        self._matched[addresses] = tuple(found)
        return self._matched[addresses]

    def _sender_kind(self, senders: tuple[MailAddress, ...]) -> tuple[bool, bool]:
        """(a no-reply sender among them, one of them is you)."""
        kind = self._senders.get(senders)
        if kind is None:
            kind = (any(is_no_reply(a.email) for a in senders),
                    any(is_owner(a.email, self.owner) for a in senders))
            self._senders[senders] = kind
        return kind

    def _reason(self, message: MessageHeaders | None) -> SkipReason | date:
        """Why the message is skipped, or its day."""
        if message is None:
            return "unreadable"
        if message.bulk:
            return "mailing-list"
        if message.automatic or self._sender_kind(message.senders)[0]:
            return "no-reply"
        if message.sent is None:
            return "no-date"
        day = _day(message.sent, self.zone)
        if day > self.today:
            return "future-date"
        if self.since is not None and day < self.since:
            return "before-since"
        return day

    def add(self, message: MessageHeaders | None) -> None:
        self.read += 1
        day = self._reason(message)
        if not isinstance(day, date):
            self.skipped[day] += 1
            return
        assert message is not None
        if self._sender_kind(message.senders)[1]:
            direction: Direction = "to"
            people = self._contacts(message.recipients)
        else:
            direction = "from"
            people = self._contacts(message.senders)
        if not people:
            self.skipped["no-contact"] += 1
            return
        self.matched += 1
        for contact in people:
            self.contacts[contact.path] = contact
            self.days.setdefault((contact.path, day), set()).add(direction)

    def planned(self) -> list[Planned]:
        result = []
        lines: dict[tuple[str, date], str] = {}
        for (path, day), directions in sorted(self.days.items()):
            text = _TEXT[frozenset(directions)]
            line = lines.get((text, day))
            if line is None:
                line = lines[(text, day)] = log_line(text, day, CHANNEL, None)
            result.append(
                Planned(self.contacts[path], f"email:{day.isoformat()}",
                        LogEntry(day, CHANNEL, line))
            )
        return result


@dataclass(frozen=True)
class MailPlan:
    """What a mailbox says: the counts and one planned line per contact and day."""

    source: str
    read: int
    matched: int
    skipped: Mapping[SkipReason, int]
    planned: tuple[Planned, ...]
    owner_known: bool
    since: date | None


def plan_mail(
    index: Index,
    messages: Iterable[MessageHeaders | None],
    source: str,
    *,
    owner: frozenset[str],
    today: date,
    since: date | None = None,
    local_zone: tzinfo | None = None,
    progress: Callable[[int], None] | None = None,
) -> MailPlan:
    """Tally `messages` (streamed, each seen once) into one line per contact and day.

    Reads no note and needs no lock: a large mailbox takes a while. `progress` is called
    with the number of messages read since its last call.
    """
    tally = _Tally(address_book(index), owner, today, since, local_zone)
    pending = 0
    for message in messages:
        tally.add(message)
        pending += 1
        if progress is not None and pending == PROGRESS_STEP:
            progress(pending)
            pending = 0
    if progress is not None and pending:
        progress(pending)
    return MailPlan(
        source=source,
        read=tally.read,
        matched=tally.matched,
        skipped={reason: tally.skipped[reason] for reason in SKIP_REASONS},
        planned=tuple(tally.planned()),
        owner_known=bool(owner),
        since=since,
    )


@dataclass(frozen=True)
class MailImport:
    plan: MailPlan
    dry_run: bool
    notes: tuple[NoteOutcome, ...]


def write_mail(index: Index, plan: MailPlan, dry_run: bool = False) -> MailImport:
    """Log the planned lines the notes do not hold yet; the caller holds the vault lock
    unless `dry_run`."""
    outcomes = write_planned(index, plan.planned, email_day_key, dry_run=dry_run)
    return MailImport(plan, dry_run, tuple(outcomes))
