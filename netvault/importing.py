"""Bring contacts read from other programs' files into the vault: match, merge or create.

Records of one import that share an e-mail address or a name are one person (two cards for
one person make one note). For each such person, in file order:
1. Match: an existing contact with one of their e-mail addresses (case-insensitive), else a
   contact whose name or alias is one of their names.
2. A match only gains what its note lacks (e-mail, phone, company, role, location, links,
   birthday, connected_on, source), through the safe editor. A value that differs from the
   note's is listed as a conflict and never written. Links are always added. More e-mail
   addresses or phone numbers are added when the record matched by e-mail (it is surely
   the same person); after a match by name only they are conflicts (it may be a namesake).
   `source` keeps the first source; a later one is neither written nor a conflict.
3. No match: a new note from the contact template, as `netvault add` writes it: tie 1,
   `met_in_person` only if the source says so, `source: vcard:FILE` and `connected_on`,
   `birthday` and `first_met` when the file has them; the card's note as a quote.
Importing the same file again changes nothing. A record whose name cannot be a file name
is reported and skipped; the others are still imported.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from .contacts import (
    ContactExists,
    ContactTemplateError,
    NewContact,
    contact_path,
    create_contact,
    one_or_list,
)
from .edit import EditRefused, NoteEditor
from .importers import ImportedContact, ImportProblem
from .index import Index
from .model import Contact
from .names import BadName, check_note_name
from .parse import fold

SourceKind = Literal["vcard", "linkedin", "google"]

# The keys an import may add to an existing note, in the order they are written.
MERGE_KEYS = (
    "email",
    "phone",
    "company",
    "role",
    "location",
    "links",
    "birthday",
    "connected_on",
    "source",
)
_LIST_KEYS = frozenset({"email", "phone", "links"})
_ROW = re.compile(r":row (\d+)$")

MatchedBy = Literal["email", "name"]


@dataclass(frozen=True, slots=True)
class ImportRecord:
    contact: ImportedContact
    line: int  # where the card or row starts in its file


@dataclass(frozen=True, slots=True)
class ImportBatch:
    """One input file, read: its records and the problems the reader found."""

    kind: SourceKind
    filename: str  # as the user named it, for messages
    records: tuple[ImportRecord, ...]
    problems: tuple[ImportProblem, ...]

    @property
    def source_key(self) -> str:
        """What `source:` says in a note created from this file: `vcard:contacts.vcf`."""
        return f"{self.kind}:{Path(self.filename).name}"


@dataclass(frozen=True, slots=True)
class Created:
    name: str
    path: str
    source: str
    records: int


@dataclass(frozen=True, slots=True)
class Merged:
    name: str
    path: str
    keys: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class Conflict:
    name: str
    path: str
    key: str
    note_value: str
    file_value: str
    file: str
    line: int


@dataclass(frozen=True, slots=True)
class Unchanged:
    name: str
    path: str


@dataclass(frozen=True, slots=True)
class RecordProblem:
    file: str
    line: int
    message: str

    def format(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: tuple[Created, ...]
    merged: tuple[Merged, ...]
    conflicts: tuple[Conflict, ...]
    unchanged: tuple[Unchanged, ...]
    problems: tuple[RecordProblem, ...]
    records: int
    dry_run: bool


# ---- reading ----------------------------------------------------------------------------


def read_batch(kind: SourceKind, data: bytes, filename: str) -> ImportBatch:
    """Run the reader for `kind` over one file's bytes."""
    if kind == "vcard":
        from .importers.vcard import read_vcards_report

        contacts, problems, reports = read_vcards_report(data, filename)
        lines = [report.line for report in reports if report.imported]
        records = tuple(ImportRecord(c, line) for c, line in zip(contacts, lines, strict=True))
        return ImportBatch(kind, filename, records, tuple(problems))
    from .importers.csvfiles import read_google, read_linkedin

    reader = read_linkedin if kind == "linkedin" else read_google
    contacts, problems = reader(data, filename)
    # The CSV readers end each record's source with the line its row starts on.
    records = tuple(
        ImportRecord(c, int(m.group(1)) if (m := _ROW.search(c.source)) else 1) for c in contacts
    )
    return ImportBatch(kind, filename, records, tuple(problems))


# ---- planning ---------------------------------------------------------------------------


@dataclass
class _Target:
    """A note the import writes to: an existing contact, or one it will create."""

    name: str
    path: str
    existing: Contact | None
    values: dict[str, Any]  # the note's values for MERGE_KEYS, as the import leaves them
    source: str
    origin: tuple[str, int]  # the file and line of the first record for this note
    added: list[str] = field(default_factory=list)  # keys to write (existing notes)
    records: int = 0
    first_met: date | None = None
    met_in_person: bool = False
    note: str | None = None


def _existing_values(index: Index, contact: Contact) -> dict[str, Any]:
    meta = index.notes[contact.path].meta
    connected = meta.get("connected_on")
    if isinstance(connected, str):
        with contextlib.suppress(ValueError):  # not a date: compared as the text it is
            connected = date.fromisoformat(connected.strip())
    source = meta.get("source")
    return {
        "email": list(contact.emails),
        "phone": list(contact.phones),
        "company": contact.company,
        "role": contact.role,
        "location": contact.location,
        "links": list(contact.links),
        "birthday": contact.birthday.iso() if contact.birthday else None,
        "connected_on": connected if connected not in (None, "") else None,
        "source": source if source not in (None, "") else None,
    }


def _incoming(record: ImportedContact, source: str) -> dict[str, Any]:
    return {
        "email": list(record.emails),
        "phone": list(record.phones),
        "company": record.company,
        "role": record.role,
        "location": record.location,
        "links": list(record.links),
        "birthday": record.birthday,
        "connected_on": date.fromisoformat(record.connected_on) if record.connected_on else None,
        "source": source,
    }


def _item_key(key: str, value: str) -> str:
    if key == "email":
        return value.strip().casefold()
    if key == "phone":
        digits = "".join(ch for ch in value if ch.isdigit())
        return digits or fold(value)
    return value.strip()


def _same(key: str, current: Any, incoming: Any) -> bool:
    if key == "birthday":
        # A note's year-less birthday is not contradicted by one with a year.
        a, b = str(current), str(incoming)
        return a == b or (a[-5:] == b[-5:] and (a.startswith("--") or b.startswith("--")))
    if isinstance(current, str) and isinstance(incoming, str):
        return fold(current) == fold(incoming)
    return bool(current == incoming)


def _shares_email(entry: _Entry, target: _Target) -> bool:
    have = {_item_key("email", e) for e in target.values.get("email") or ()}
    return any(_item_key("email", e) in have for e in entry.item.contact.emails)


def _shown(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True, slots=True)
class _Entry:
    batch: ImportBatch
    item: ImportRecord


def _groups(entries: Sequence[_Entry]) -> list[list[_Entry]]:
    """Records of this import that share an e-mail address or a name, in file order: each
    group is one person and becomes (or updates) one note."""
    parent = list(range(len(entries)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, entry in enumerate(entries):
        record = entry.item.contact
        keys = [f"n:{fold(record.name)}"] + [f"e:{_item_key('email', e)}" for e in record.emails]
        for key in keys:
            if key in first:
                a, b = root(first[key]), root(i)
                parent[max(a, b)] = min(a, b)
            else:
                first[key] = i
    groups: dict[int, list[_Entry]] = {}
    for i, entry in enumerate(entries):
        groups.setdefault(root(i), []).append(entry)
    return [groups[key] for key in sorted(groups)]


def _conflict(entry: _Entry, target: _Target, key: str, current: Any, value: Any) -> Conflict:
    return Conflict(
        target.name,
        target.path,
        key,
        _shown(current),
        _shown(value),
        entry.batch.filename,
        entry.item.line,
    )


class _Planner:
    def __init__(self, index: Index) -> None:
        self.index = index
        self.targets: dict[str, _Target] = {}  # by path
        self.by_email: dict[str, str] = {}  # folded e-mail -> path of an existing contact
        self.conflicts: list[Conflict] = []
        self.problems: list[RecordProblem] = []
        for contact in index.contacts:
            for email in contact.emails:
                self.by_email.setdefault(_item_key("email", email), contact.path)

    def _existing_target(self, contact: Contact, entry: _Entry) -> _Target:
        target = self.targets.get(contact.path)
        if target is None:
            target = _Target(
                contact.name,
                contact.path,
                contact,
                _existing_values(self.index, contact),
                entry.batch.source_key,
                (entry.batch.filename, entry.item.line),
            )
            self.targets[contact.path] = target
        return target

    def _match(self, group: Sequence[_Entry]) -> _Target | None:
        """The existing contact the group is: by e-mail first, then by name or alias."""
        for entry in group:
            for email in entry.item.contact.emails:
                path = self.by_email.get(_item_key("email", email))
                contact = self.index.contact_at(path) if path else None
                if contact is not None:
                    return self._existing_target(contact, entry)
        for entry in group:
            contact = self.index.find(entry.item.contact.name)
            if contact is not None:
                return self._existing_target(contact, entry)
        return None

    def plan(self, entries: Sequence[_Entry], progress: Callable[[int], None] | None) -> None:
        assigned: dict[str, list[_Entry]] = {}  # target path -> the records merged into it
        for group in _groups(entries):
            target = self._match(group)
            rest = list(group)
            if target is None:
                target, rest, problems = self._create(group)
                if target is None:
                    self.problems.extend(problems)
                    if progress is not None:
                        progress(len(group))
                    continue
            assigned.setdefault(target.path, []).extend(rest)
        for path, members in assigned.items():
            target = self.targets[path]
            target.records += len(members)
            self._settle(target, members)

    def _settle(self, target: _Target, members: Sequence[_Entry]) -> None:
        """Merge the records into the target until nothing changes. A record's e-mail may
        become the note's only through another record, making it a sure match; going on
        until nothing changes is what lets a second import of the same file find nothing
        left to do. Each pass only adds values, so this ends."""
        while True:
            conflicts: list[Conflict] = []
            changed = False
            for entry in members:
                how: MatchedBy = "email" if _shares_email(entry, target) else "name"
                changed = self._merge(entry, target, how, conflicts) or changed
            if not changed:
                self.conflicts.extend(conflicts)
                return

    def _create(
        self, group: Sequence[_Entry]
    ) -> tuple[_Target | None, list[_Entry], list[RecordProblem]]:
        """A new note from the group's first record whose name can be a note's name, and
        the group's other records (to merge into it); else why none could."""
        problems: list[RecordProblem] = []
        for pos, entry in enumerate(group):
            record, batch, line = entry.item.contact, entry.batch, entry.item.line
            try:
                name = check_note_name(record.name)
                path = contact_path(self.index, name)
            except BadName as exc:
                problems.append(RecordProblem(batch.filename, line, f"{exc}; not imported"))
                continue
            taken = self.index.resolve(name) or (path if path in self.index.notes else None)
            if taken is not None or path in self.targets:
                problems.append(
                    RecordProblem(
                        batch.filename,
                        line,
                        f"{name!r}: a note called that already exists ({taken or path}) and "
                        "is not a contact; not imported",
                    )
                )
                continue
            values = _incoming(record, batch.source_key)
            target = _Target(
                name,
                path,
                None,
                {k: (v if v not in (None, []) else None) for k, v in values.items()},
                batch.source_key,
                (batch.filename, line),
                records=1,
                first_met=date.fromisoformat(record.first_met) if record.first_met else None,
                met_in_person=record.met_in_person,
                note=record.note,
            )
            self.targets[path] = target
            return target, [e for i, e in enumerate(group) if i != pos], []
        return None, [], problems

    def _merge(
        self, entry: _Entry, target: _Target, how: MatchedBy, conflicts: list[Conflict]
    ) -> bool:
        """Merge one record into the target; True when a value was added."""
        changed = False
        incoming = _incoming(entry.item.contact, entry.batch.source_key)
        for key in MERGE_KEYS:
            value = incoming[key]
            if value in (None, []):
                continue
            current = target.values.get(key)
            if key in _LIST_KEYS:
                have = {_item_key(key, v) for v in current or []}
                new = [v for v in value if _item_key(key, v) not in have]
                if not new:
                    continue
                if current and key != "links" and how != "email":
                    conflicts.append(_conflict(entry, target, key, current, new))
                    continue
                self._set(target, key, [*(current or []), *new])
                changed = True
                continue
            if current in (None, ""):
                self._set(target, key, value)
                changed = True
            elif key != "source" and not _same(key, current, value):
                conflicts.append(_conflict(entry, target, key, current, value))
        return changed

    def _set(self, target: _Target, key: str, value: Any) -> None:
        target.values[key] = value
        if target.existing is not None and key not in target.added:
            target.added.append(key)


# ---- writing ----------------------------------------------------------------------------


def _yaml_value(key: str, value: Any) -> Any:
    """The value as the note should hold it: one e-mail as text, several as a list, a
    full birthday as a date."""
    if key in _LIST_KEYS:
        return one_or_list(tuple(value))
    if key == "birthday" and not str(value).startswith("--"):
        return date.fromisoformat(str(value))
    return value


def _new_contact(target: _Target) -> NewContact:
    values = target.values
    extra: dict[str, Any] = {"source": values["source"]}
    for key in ("connected_on", "birthday"):
        if values.get(key) is not None:
            extra[key] = _yaml_value(key, values[key])
    note = None
    if target.note:
        note = "\n".join(f"> {line}".rstrip() for line in target.note.splitlines())
    return NewContact(
        name=target.name,
        tie=1,
        company=values.get("company"),
        role=values.get("role"),
        location=values.get("location"),
        emails=tuple(values.get("email") or ()),
        phones=tuple(values.get("phone") or ()),
        links=tuple(values.get("links") or ()),
        first_met=target.first_met,
        last_met=target.first_met,
        met_in_person=target.met_in_person,
        note=note,
        extra=extra,
    )


def _write(index: Index, target: _Target) -> str | None:
    """Write one target; an error message, or None when it was written."""
    try:
        if target.existing is None:
            create_contact(index, _new_contact(target))
            return None
        editor = NoteEditor.open(index.root, target.path)
        for key in target.added:
            editor.set_key(key, _yaml_value(key, target.values[key]))
        editor.save()
    except (EditRefused, ContactExists, ContactTemplateError, BadName) as exc:
        return str(exc)
    return None


def import_batches(
    index: Index,
    batches: Sequence[ImportBatch],
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Plan the import of every record of `batches`, then (unless `dry_run`) write it.

    `progress` is called once per record or group of records for one note, with their
    number: the calls add up to the number of records.
    """
    planner = _Planner(index)
    problems = [
        RecordProblem(batch.filename, p.line, p.message)
        for batch in batches
        for p in batch.problems
    ]
    entries = [_Entry(batch, item) for batch in batches for item in batch.records]
    planner.plan(entries, progress)
    problems.extend(planner.problems)
    order = {batch.filename: i for i, batch in enumerate(batches)}
    problems.sort(key=lambda p: (order.get(p.file, len(order)), p.line))

    created: list[Created] = []
    merged: list[Merged] = []
    unchanged: list[Unchanged] = []
    for target in planner.targets.values():
        if target.existing is not None and not target.added:
            unchanged.append(Unchanged(target.name, target.path))
            if progress is not None:
                progress(target.records)
            continue
        error = None if dry_run else _write(index, target)
        if progress is not None:
            progress(target.records)
        if error is not None:
            file, line = target.origin
            problems.append(RecordProblem(file, line, f"{error}; not imported"))
        elif target.existing is None:
            created.append(Created(target.name, target.path, target.source, target.records))
        else:
            merged.append(Merged(target.name, target.path, tuple(target.added), target.source))
    return ImportResult(
        created=tuple(created),
        merged=tuple(merged),
        conflicts=tuple(planner.conflicts),
        unchanged=tuple(unchanged),
        problems=tuple(problems),
        records=len(entries),
        dry_run=dry_run,
    )
