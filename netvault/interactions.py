"""Logging an interaction in a contact's note: one `## Log` line and the dates it moves.

The change is made in one `NoteEditor` session and saved once, under the vault lock, so a
note is never left half-updated and a concurrent edit is refused rather than lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from .edit import NoteEditor, vault_lock
from .index import Index
from .merge import LogEntry, interleave_log
from .model import CHANNELS, CONVERSATION_CHANNELS, Contact

Favor = Literal["gave", "got"]

# The same tag the parser reads as a favour (netvault.parse._FAVOR).
_FAVOR_TAG = re.compile(r"(?<![\w/])#(gave|got)\b", re.IGNORECASE)


class BadLogText(ValueError):
    """The text cannot be logged as given (empty, several lines, contradicting the favour)."""


@dataclass(frozen=True, slots=True)
class LogResult:
    path: str
    line: str  # the log line added, without its line break
    last_met: date | None  # the new `last_met`, None when it was left as it was
    first_met: date | None  # the new `first_met`, None when it was left as it was
    met_in_person_set: bool
    notes: tuple[str, ...] = ()  # things left alone, and why
    # The very same line was already in the note (a command run twice): nothing was written.
    already_logged: bool = False


def log_line(text: str, day: date, channel: str | None, favor: Favor | None) -> str:
    """The markdown line for one interaction, e.g. `- 2026-11-20 (call) text #gave`."""
    clean = text.strip()
    if not clean:
        raise BadLogText("the log text is empty")
    if len(text.splitlines()) > 1:
        raise BadLogText("the log text must be one line")
    if channel is not None and channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    tagged = {m.group(1).lower() for m in _FAVOR_TAG.finditer(clean)}
    if favor is not None and tagged - {favor}:
        other = next(iter(tagged - {favor}))
        raise BadLogText(f"the text says #{other} but the favour given is {favor}")
    parts = [f"- {day.isoformat()}"]
    if channel is not None:
        parts.append(f"({channel})")
    parts.append(clean)
    if favor is not None and favor not in tagged:
        parts.append(f"#{favor}")
    return " ".join(parts)


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _absent(value: object) -> bool:
    return value is None or value == ""


def _says_yes(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in ("yes", "true"))


def log_interaction(
    index: Index,
    contact: Contact,
    text: str,
    day: date,
    channel: str | None = None,
    favor: Favor | None = None,
) -> LogResult:
    """Append the interaction under `## Log` and move the contact's dates.

    `last_met` moves only forward and only for a conversation (in person, call, video);
    `met_in_person` becomes true after an in-person meeting; a missing `first_met` becomes
    the earliest day known to have been in touch (this one or an earlier logged one).
    Raises BadLogText for text that cannot be logged and EditRefused for a note that
    cannot be changed safely.
    """
    line = log_line(text, day, channel, favor)
    notes: list[str] = []
    new_last: date | None = None
    new_first: date | None = None
    set_in_person = False
    with vault_lock(index.root):
        editor = NoteEditor.open(index.root / contact.path)
        if any(existing.strip() == line for existing in editor.text.splitlines()):
            return LogResult(contact.path, line, None, None, False, already_logged=True)
        meta = editor.front_matter()
        # In date order, the way the log runs (newest first or oldest first), above tasks.
        editor.replace_text(interleave_log(editor.text, [LogEntry(day.isoformat(), (line,))])[0])
        if channel in CONVERSATION_CHANNELS:
            current = meta.get("last_met")
            current_day = _as_date(current)
            if _absent(current) or (current_day is not None and day > current_day):
                new_last = day
                editor.set_key("last_met", day)
            elif current_day is None:
                notes.append(f"last_met {current!r} is not a date; left as it was")
        if channel == "in person" and not _says_yes(meta.get("met_in_person")):
            set_in_person = True
            editor.set_key("met_in_person", True)
        if _absent(meta.get("first_met")):
            known = [i.date for i in index.interactions(contact)]
            known += [d for d in (contact.last_met,) if d is not None]
            new_first = min([day, *known])
            editor.set_key("first_met", new_first)
        editor.save()
    return LogResult(contact.path, line, new_last, new_first, set_in_person, tuple(notes))
