"""Logging an interaction in a contact's note: one `## Log` line and the dates it moves.

The change is made in one `NoteEditor` session and saved once, under the vault lock, so a
note is never left half-updated and a concurrent edit is refused rather than lost.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from .edit import NoteEditor
from .index import Index
from .merge import LogEntry as LogBlock
from .merge import interleave_log
from .model import CHANNELS, CONVERSATION_CHANNELS, Contact
from .write import vault_lock

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


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One line to log: its day and channel decide which of the contact's dates move."""

    day: date
    channel: str | None
    line: str  # as `log_line` makes it


@dataclass(frozen=True, slots=True)
class DatesMoved:
    last_met: date | None  # the new `last_met`, None when it was left as it was
    first_met: date | None  # the new `first_met`, None when it was left as it was
    met_in_person_set: bool
    notes: tuple[str, ...] = ()  # things left alone, and why

    def text(self) -> str:
        """What moved, e.g. `last_met: 2026-11-20; met_in_person: true` ("" if nothing)."""
        changes = []
        if self.last_met:
            changes.append(f"last_met: {self.last_met.isoformat()}")
        if self.first_met:
            changes.append(f"first_met: {self.first_met.isoformat()}")
        if self.met_in_person_set:
            changes.append("met_in_person: true")
        return "; ".join(changes)


def add_log_lines(
    editor: NoteEditor,
    index: Index,
    contact: Contact,
    entries: Sequence[LogEntry],
    meta: Mapping[str, Any] | None = None,
) -> DatesMoved:
    """Append `entries`, in order, under `## Log` in the open note and move its dates.

    `last_met` moves only forward and only for a conversation (in person, call, video);
    `met_in_person` becomes true after an in-person meeting; a missing `first_met` becomes
    the earliest day known to have been in touch (these days or an earlier logged one).
    The caller saves the editor, so several lines cost one write; `meta` is the note's
    front matter when the caller has just parsed the editor's text.
    """
    if not entries:
        return DatesMoved(None, None, False)
    notes: list[str] = []
    new_last: date | None = None
    new_first: date | None = None
    set_in_person = False
    if meta is None:
        meta = {str(k): v for k, v in editor.front_matter().items()}
    # In date order, the way the log runs (newest first or oldest first), above tasks.
    placed = [LogBlock(entry.day.isoformat(), (entry.line,)) for entry in entries]
    editor.replace_text(interleave_log(editor.text, placed)[0])
    talks = [e.day for e in entries if e.channel in CONVERSATION_CHANNELS]
    if talks:
        latest = max(talks)
        current = meta.get("last_met")
        current_day = _as_date(current)
        if _absent(current) or (current_day is not None and latest > current_day):
            new_last = latest
            editor.set_key("last_met", latest)
        elif current_day is None:
            notes.append(f"last_met {current!r} is not a date; left as it was")
    if any(e.channel == "in person" for e in entries) and not _says_yes(
        meta.get("met_in_person")
    ):
        set_in_person = True
        editor.set_key("met_in_person", True)
    if _absent(meta.get("first_met")):
        known = [i.date for i in index.interactions(contact)]
        known += [d for d in (contact.last_met,) if d is not None]
        new_first = min([e.day for e in entries] + known)
        editor.set_key("first_met", new_first)
    return DatesMoved(new_last, new_first, set_in_person, tuple(notes))


def log_interaction(
    index: Index,
    contact: Contact,
    text: str,
    day: date,
    channel: str | None = None,
    favor: Favor | None = None,
) -> LogResult:
    """Append the interaction under `## Log` and move the contact's dates (see
    `add_log_lines`).

    Raises BadLogText for text that cannot be logged and EditRefused for a note that
    cannot be changed safely.
    """
    line = log_line(text, day, channel, favor)
    with vault_lock(index.root):
        editor = NoteEditor.open(index.root, contact.path)
        if any(existing.strip() == line for existing in editor.text.splitlines()):
            return LogResult(contact.path, line, None, None, False, already_logged=True)
        moved = add_log_lines(editor, index, contact, [LogEntry(day, channel, line)])
        editor.save()
    return LogResult(
        contact.path, line, moved.last_met, moved.first_met, moved.met_in_person_set,
        moved.notes,
    )
