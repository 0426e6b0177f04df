"""Interactions that arrive by themselves (calendar, mail): who an address is, and logging.

Two things the calendar and mail imports share:
- `address_book`: the one place an e-mail address is matched to contacts (every address
  of every contact; case-insensitive; `ada+news@x` is `ada@x`; dots in a Gmail address
  do not count), and `owner_addresses`: which addresses are you.
- `write_planned`: log planned lines, one save per note under the vault lock the caller
  holds, skipping what the note already holds, so a re-run writes nothing. The index only
  says which notes may need a line (it was read from the notes when the command started);
  such a note is read again through the editor, and only the lines it really lacks are
  written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .edit import EditRefused, NoteEditor, save_notes
from .index import Index
from .interactions import DatesMoved, LogEntry, add_log_lines
from .model import Contact, Interaction, Note
from .parse import fold, parse_note

_GMAIL = frozenset({"gmail.com", "googlemail.com"})


def normal_address(address: str) -> str:
    """An address as compared: trimmed, without `mailto:`, lower-case."""
    clean = address.strip().strip("<>").strip()
    if clean.lower().startswith("mailto:"):
        clean = clean[7:]
    return clean.lower()


def _canonical(address: str) -> str:
    """The mailbox an address delivers to: without a `+tag`; Gmail ignores dots too."""
    local, at, domain = address.rpartition("@")
    if not at or not local:
        return address
    local = local.split("+", 1)[0] or local
    if domain in _GMAIL:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


class AddressBook:
    """Contacts by every e-mail address they have."""

    def __init__(self, contacts: Iterable[Contact]) -> None:
        self._exact: dict[str, list[Contact]] = {}
        self._canonical: dict[str, list[Contact]] = {}
        for contact in contacts:
            for raw in contact.emails:
                address = normal_address(raw)
                if "@" not in address:
                    continue
                for table, key in ((self._exact, address), (self._canonical, _canonical(address))):
                    people = table.setdefault(key, [])
                    if contact not in people:
                        people.append(contact)

    def match(self, address: str, display_name: str = "") -> tuple[Contact, ...]:
        """The contacts `address` belongs to. Several people may share one address (a
        family or team address); the display name then picks one if it names exactly one
        of them."""
        key = normal_address(address)
        found = self._exact.get(key) or self._canonical.get(_canonical(key)) or []
        if len(found) > 1 and display_name.strip():
            wanted = fold(display_name.strip().strip('"'))
            named = [c for c in found if wanted in {fold(n) for n in (c.name, *c.aliases)}]
            if len(named) == 1:
                return (named[0],)
        return tuple(found)


def address_book(index: Index) -> AddressBook:
    return AddressBook(index.contacts)


def owner_addresses(index: Index, user_config: Mapping[str, Any]) -> frozenset[str]:
    """Your addresses: `[owner] email` of the vault, plus `[owner] emails` of your own
    config (outside the vault)."""
    found: set[str] = set()
    if index.config.owner_email:
        found.add(normal_address(index.config.owner_email))
    owner = user_config.get("owner")
    extra = owner.get("emails", ()) if isinstance(owner, Mapping) else ()
    if isinstance(extra, str):
        extra = [extra]
    if isinstance(extra, list):
        found.update(normal_address(a) for a in extra if isinstance(a, str) and "@" in a)
    # With the mailbox each address delivers to, so `is_owner` needs one look-up each.
    return frozenset(found | {_canonical(a) for a in found})


def is_owner(address: str, owner: frozenset[str]) -> bool:
    """Whether `address` is yours (`owner` as `owner_addresses` makes it)."""
    key = normal_address(address)
    return key in owner or _canonical(key) in owner


# --------------------------------------------------------------------------- writing


@dataclass(frozen=True, slots=True)
class Planned:
    """A line to log for one contact; `key` says when the note already holds it."""

    contact: Contact
    key: str
    entry: LogEntry


@dataclass(frozen=True, slots=True)
class NoteOutcome:
    """What happened to one contact's note."""

    name: str
    path: str
    logged: tuple[LogEntry, ...]  # written (or, in a dry run, to be written)
    already: int  # planned lines the note already held
    moved: DatesMoved | None = None
    error: str | None = None  # the note could not be changed; nothing written to it
    refused: int = 0  # planned lines not written because of `error`
    created: bool = False  # a new contact note (calendar --add-unknown)


# Reads the key of an interaction already in a note, or None when it has none.
KeyOf = Callable[[Interaction], str | None]


def present_keys(note: Note, key_of: KeyOf) -> set[str]:
    """The keys of the interactions a note already holds."""
    return {key for key in map(key_of, note.interactions) if key is not None}


def group_by_contact(planned: Iterable[Planned]) -> dict[str, list[Planned]]:
    """Planned lines per note path, each key once, in planning order."""
    grouped: dict[str, list[Planned]] = {}
    seen: set[tuple[str, str]] = set()
    for item in planned:
        mark = (item.contact.path, item.key)
        if mark in seen:
            continue
        seen.add(mark)
        grouped.setdefault(item.contact.path, []).append(item)
    return grouped


def write_planned(
    index: Index,
    planned: Iterable[Planned],
    key_of: KeyOf,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> list[NoteOutcome]:
    """Log every planned line whose key the note does not hold yet, one save per note.

    New lines go under `## Log` oldest first. The caller holds the vault lock (none for a
    dry run, which reads the notes and writes nothing). The notes are saved together (one
    file-system sync, not two per note). A note that cannot be changed is reported in its
    outcome; the others are still written. `progress` gets the number of planned lines
    dealt with, note by note.
    """
    outcomes: list[NoteOutcome] = []
    editors: list[tuple[int, NoteEditor, Contact, int]] = []  # (outcome, editor, whose, lines)
    for path, items in sorted(group_by_contact(planned).items()):
        contact = items[0].contact
        try:
            if not _has_news(index, contact, key_of, items):
                # The common case on a re-run, without the editor's slower YAML reading.
                outcomes.append(NoteOutcome(contact.name, path, (), len(items)))
            else:
                editor, outcome = _log_news(index, contact, items, key_of)
                if outcome.logged and not dry_run:
                    editors.append((len(outcomes), editor, contact, len(items)))
                outcomes.append(outcome)
        except EditRefused as exc:
            outcomes.append(_refused(contact, exc, len(items)))
        if progress is not None:
            progress(len(items))
    saved = save_notes([editor for _, editor, _, _ in editors])
    for (number, _, contact, lines), refused in zip(editors, saved, strict=True):
        if refused is not None:
            outcomes[number] = _refused(contact, refused, lines)
    return outcomes


def _refused(contact: Contact, exc: EditRefused, planned_lines: int) -> NoteOutcome:
    return NoteOutcome(contact.name, contact.path, (), 0, error=exc.message,
                       refused=planned_lines)


def _has_news(index: Index, contact: Contact, key_of: KeyOf, items: Sequence[Planned]) -> bool:
    """Whether the note may lack a planned line, as the index (read from the notes at the
    start of this command) sees it; `_log_news` reads the note itself before writing."""
    held = {
        key
        for item in index.interactions(contact)
        if item.path == contact.path and (key := key_of(item)) is not None
    }
    return any(item.key not in held for item in items)


def _log_news(
    index: Index, contact: Contact, items: Sequence[Planned], key_of: KeyOf
) -> tuple[NoteEditor, NoteOutcome]:
    """Log the planned lines the note does not hold, read again through the editor; the
    caller saves the editor."""
    path = contact.path
    editor = NoteEditor.open(index.root, path)
    note = parse_note(path, editor.text.encode("utf-8"), index.config.contacts_folder).note
    held = present_keys(note, key_of)
    new = sorted((p for p in items if p.key not in held), key=lambda p: p.entry.day)
    entries = tuple(p.entry for p in new)
    moved = None
    if entries:
        # A dry run edits the text in memory too, to say which dates would move. The
        # front matter as just parsed saves the editor's slower reading of it.
        moved = add_log_lines(editor, index, contact, entries, meta=note.meta)
    return editor, NoteOutcome(contact.name, path, entries, len(items) - len(entries), moved)


def count_logged(outcomes: Sequence[NoteOutcome]) -> tuple[int, int, int]:
    """(lines logged, lines already there, lines refused) over all notes."""
    logged = sum(len(o.logged) for o in outcomes)
    already = sum(o.already for o in outcomes)
    refused = sum(o.refused for o in outcomes)
    return logged, already, refused
