"""Bring contacts read from other programs' files into the vault, keeping every person.

Identity is decided by evidence, never by a name alone (see `netvault.identity`):
1. Records of one import are one person when they share an identifier (e-mail address,
   phone number, profile URL, LinkedIn member URN), their names are compatible and no
   LinkedIn profile differs. A record without any identifier joins another of the same name
   only when the fields its source keys on agree (LinkedIn: `connected_on`; any other
   source: every field it carries).
2. Each such person matches an existing contact by the same rules: a shared identifier with
   compatible names, or the same name with agreeing fields where one side has no identifier
   (an existing note must then carry one of those fields to compare).
3. A match only gains what its note lacks, through the safe editor: more addresses, numbers,
   links and other names (as aliases); empty keys filled. A different company or role is a
   job change, listed (and written with `accept_changes`: new values plus a dated line under
   `## Career`); any other different value is a conflict, listed and never written.
4. Otherwise a new note, from the contact template: its `name:` is the name as written, its
   file name made safe and distinct (`Sam Lee (Globex).md` beside another Sam Lee). A
   person without a name takes one from another record, else the organisation, else
   `Unnamed contact N` (reported).
Every record ends in exactly one outcome (created, updated, unchanged, changed, conflicted,
skipped) and says where it went or why not. Importing the same file again changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

from .contacts import ContactExists, ContactTemplateError, NewContact, create_contact
from .edit import EditRefused, NoteEditor
from .identity import (
    EXCLUSIVE_SITES,
    email_key,
    is_real_name,
    name_words,
    names_compatible,
    phone_key,
    profile,
)
from .importers import ImportedContact, ImportProblem
from .importers._common import details_in_name
from .index import Index
from .model import Contact
from .names import BadName, safe_file_stem
from .parse import fold

SourceKind = Literal["vcard", "linkedin", "google"]
Outcome = Literal["created", "updated", "unchanged", "changed", "conflicted", "skipped"]
OUTCOMES: tuple[Outcome, ...] = (
    "created",
    "updated",
    "unchanged",
    "changed",
    "conflicted",
    "skipped",
)

# The keys an import may add to an existing note, in the order they are written.
MERGE_KEYS = (
    "name",
    "aliases",
    "email",
    "phone",
    "company",
    "role",
    "location",
    "links",
    "birthday",
    "connected_on",
    "linkedin_urn",
    "source",
)
LIST_KEYS = frozenset({"aliases", "email", "phone", "links"})
# A different value of these on a real match is a job change, not a conflict.
CAREER_KEYS = ("company", "role")
# The fields a record without identifiers is compared on, when its source keys on all.
FIELD_KEYS = ("company", "role", "location", "birthday", "connected_on", "phone", "links")
_LIST_FIELDS = frozenset({"phone", "links"})
CAREER_HEADING = "## Career"
UNNAMED = "Unnamed contact"
_UNNAMED_NUMBER = re.compile(r"unnamed contact (\d+)$", re.IGNORECASE)
_ROW = re.compile(r":row (\d+)$")
_ORDINALS = ("2nd", "3rd", *(f"{n}th" for n in range(4, 100)))
_EVIDENCE = {"e": "e-mail", "p": "phone", "u": "profile URL", "m": "LinkedIn member URN"}


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
class Change:
    """A job change: the file has another company or role than the note."""

    name: str
    path: str
    key: str  # company or role
    old: str
    new: str
    file: str
    line: int


@dataclass(frozen=True, slots=True)
class Unchanged:
    name: str
    path: str


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """What became of one record: its outcome, the note it went to, and how or why."""

    file: str
    line: int
    name: str
    outcome: Outcome
    path: str | None
    detail: str  # "new note", "merged into people/X.md by e-mail", or why it was skipped


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
    changes: tuple[Change, ...]
    unchanged: tuple[Unchanged, ...]
    outcomes: tuple[RecordOutcome, ...]  # one per record, in file order
    problems: tuple[RecordProblem, ...]
    records: int
    dry_run: bool
    changes_accepted: bool = False

    def count(self, outcome: Outcome) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    def counts(self) -> dict[Outcome, int]:
        return {outcome: self.count(outcome) for outcome in OUTCOMES}


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


# ---- identity ---------------------------------------------------------------------------


@dataclass
class _Identity:
    """What tells a person apart: identifiers, one-per-person profiles, names, fields."""

    ids: dict[str, str] = field(default_factory=dict)  # "e:ada@x.org" -> how it reads
    exclusive: dict[str, str] = field(default_factory=dict)  # site -> profile key
    names: list[str] = field(default_factory=list)  # real names (compared with all/any)
    fields: dict[str, Any] = field(default_factory=dict)  # FIELD_KEYS values carried
    kinds: frozenset[str] = frozenset()  # the sources it came from (vcard, linkedin, google)

    def add_ids(
        self, emails: Iterable[str], phones: Iterable[str], links: Iterable[str], urn: str | None
    ) -> None:
        for email in emails:
            self.ids.setdefault(f"e:{email_key(email)}", email)
        for phone in phones:
            key = phone_key(phone)
            if key is not None:
                self.ids.setdefault(f"p:{key}", phone)
        for link in links:
            found = profile(link)
            if found is not None:
                site, key = found
                self.ids.setdefault(f"u:{key}", link)
                if site in EXCLUSIVE_SITES:
                    self.exclusive.setdefault(site, key)
        if urn:
            self.ids.setdefault(f"m:{urn.casefold()}", urn)
            self.exclusive.setdefault("urn", urn.casefold())

    def exclusive_conflict(self, other: _Identity) -> bool:
        return any(
            other.exclusive.get(site, key) != key for site, key in self.exclusive.items()
        )


def _record_identity(record: ImportedContact, kind: str) -> _Identity:
    identity = _Identity(kinds=frozenset({kind}))
    identity.add_ids(record.emails, record.phones, record.links, record.linkedin_urn)
    if record.name:
        identity.names.append(record.name)
    carried = {
        "company": record.company,
        "role": record.role,
        "location": record.location,
        "birthday": record.birthday,
        "connected_on": record.connected_on,
        "phone": list(record.phones) or None,
        "links": list(record.links) or None,
    }
    identity.fields = {k: v for k, v in carried.items() if v is not None}
    return identity


def _same_text(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return fold(str(a)) == fold(str(b))


def _same_value(key: str, current: Any, incoming: Any) -> bool:
    if key == "birthday":
        # A year-less birthday is not contradicted by the same day with a year.
        a, b = str(current), str(incoming)
        return a == b or (a[-5:] == b[-5:] and (a.startswith("--") or b.startswith("--")))
    if isinstance(current, date) or isinstance(incoming, date):
        return str(current) == str(incoming)
    return _same_text(current, incoming)


def _agrees(key: str, mine: Any, theirs: Any) -> bool:
    if key in _LIST_FIELDS:  # every item of mine is one of theirs
        have = {_item_key(key, item) for item in theirs}
        return all(_item_key(key, item) in have for item in mine)
    return _same_value(key, mine, theirs)


def _key_fields(side: _Identity) -> dict[str, Any]:
    """The fields a side's source keys on: LinkedIn on `connected_on`; any other source
    (and a note whose source is unknown) on every field it carries."""
    if side.kinds == {"linkedin"}:
        return {k: v for k, v in side.fields.items() if k == "connected_on"}
    return dict(side.fields)


def _conflicting(a: _Identity, b: _Identity) -> bool:
    """A field both sides carry, with different values: two people."""
    return any(
        key in b.fields and not (_agrees(key, value, b.fields[key]) or
                                 _agrees(key, b.fields[key], value))
        for key, value in a.fields.items()
        if key not in _LIST_FIELDS
    )


def _confirmed(side: _Identity, other: _Identity) -> dict[str, Any]:
    """The fields `side`'s source keys on that `other` has alike (no evidence if empty)."""
    return {
        k: v
        for k, v in _key_fields(side).items()
        if k in other.fields and _agrees(k, v, other.fields[k])
    }


def _name_match(mine: _Identity, theirs: _Identity) -> tuple[tuple[int, int, int], str] | None:
    """Same-named sides where one has no identifier: (rank, evidence) when the fields that
    side's source keys on agree and no field contradicts; None when they are different
    people or nothing tells. A record whose source keys on nothing it has (a name alone)
    matches on the name. The lower the rank the closer: all key fields confirmed, then
    more fields alike, then fewer fields only the other side has."""
    if mine.exclusive_conflict(theirs) or _conflicting(mine, theirs):
        return None
    alike = sum(1 for k, v in mine.fields.items() if k in theirs.fields
                and _agrees(k, v, theirs.fields[k]))  # fmt: skip
    extra = sum(1 for k in theirs.fields if k not in mine.fields)
    if not mine.ids:
        wanted = _key_fields(mine)
        if not wanted:
            return (1, -alike, extra), "name"
        agreed = _confirmed(mine, theirs)
        if (len(agreed) < len(wanted) and mine.kinds == {"linkedin"}) or not agreed:
            return None
        return (0 if len(agreed) == len(wanted) else 1, -alike, extra), _name_evidence(agreed)
    if not theirs.ids:
        agreed = _confirmed(theirs, mine)
        if agreed:
            return (0, -alike, extra), _name_evidence(agreed)
    return None


def _evidence(shared: Iterable[str]) -> str:
    kinds = []
    for key in shared:
        label = _EVIDENCE[key[0]]
        if label not in kinds:
            kinds.append(label)
    return " and ".join(kinds)


# ---- grouping the records of one import --------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entry:
    batch: ImportBatch
    item: ImportRecord
    record: ImportedContact  # the item's contact, with a name that is a name or none


def _entry(batch: ImportBatch, item: ImportRecord) -> _Entry:
    """The record as the import reads it: an address or number given as its name is an
    address or number, and a record without a name but with another name (a nickname)
    goes by that."""
    record = item.contact
    if record.name and not is_real_name(record.name):
        emails, phones = details_in_name(record.name, record.emails, record.phones)
        record = replace(record, name="", emails=emails, phones=phones)
    real = [alias for alias in record.aliases if is_real_name(alias)]
    if not record.name and real:
        record = replace(record, name=real[0], aliases=tuple(real[1:]))
    return _Entry(batch, item, record)


@dataclass
class _Group:
    """Records of this import that are one person."""

    entries: list[_Entry]
    identity: _Identity
    joined: list[str]  # for each entry: how it joined the group ("" for the first)


def _compatible_names(names: Sequence[str], labels: Sequence[str]) -> bool:
    """Every name is compatible with one of the labels (or a side has no real name)."""
    real = [label for label in labels if is_real_name(label)]
    return not real or all(any(names_compatible(n, label) for label in real) for n in names)


def _name_key(name: str) -> str:
    """Names alike but for case, accents, punctuation and word order (`Lee, Sam`); "" for
    no name."""
    return " ".join(sorted(name_words(name))) or fold(name)


def _fits(mine: _Identity, theirs: _Identity, labels: Sequence[str] | None = None) -> bool:
    """A shared identifier is evidence when the names are compatible and no one-per-person
    profile differs. Against a group of records every name counts both ways; against a
    note (`labels`: its name, file name and aliases), one of its names will do."""
    if mine.exclusive_conflict(theirs):
        return False
    if labels is not None:
        return _compatible_names(mine.names, labels)
    return _compatible_names(mine.names, theirs.names) and _compatible_names(
        theirs.names, mine.names
    )


def _label_keys(labels: Sequence[str]) -> list[str]:
    """The name keys a note is found under; "" for a note without a real name."""
    keys = [_name_key(label) for label in labels if is_real_name(label)]
    return list(dict.fromkeys(keys)) or [""]


def _closeness(names: Sequence[str], labels: Sequence[str]) -> int:
    """0: one of the names is one of the labels; 1: compatible with the note's name or file
    name (the first two labels); 2: only with an alias."""
    keys = {_name_key(label) for label in labels}
    if any(_name_key(name) in keys for name in names):
        return 0
    if any(names_compatible(name, label) for name in names for label in labels[:2]):
        return 1
    return 2


def _groups(entries: Sequence[_Entry]) -> list[_Group]:
    """Records that are one person, by evidence. Named records come first, in file order;
    then those without a name, which join a person only when exactly one shares their
    identifiers (a number three people share tells nothing about a fourth card)."""
    groups: list[_Group] = []
    by_id: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    named = [entry for entry in entries if entry.record.name]
    nameless = [entry for entry in entries if not entry.record.name]
    for entry in [*named, *nameless]:
        record = entry.record
        mine = _record_identity(record, entry.batch.kind)
        candidates: list[int] = []
        for key in mine.ids:
            candidates += [n for n in by_id.get(key, ()) if n not in candidates]
        fits = [n for n in candidates if _fits(mine, groups[n].identity)]
        chosen: int | None = None
        how = ""
        if fits and (record.name or len(fits) == 1):
            chosen = fits[0]
            how = _evidence(k for k in mine.ids if k in groups[chosen].identity.ids)
        elif not fits:  # the same name (or none either), and agreeing fields
            ranked = [
                (found, number)
                for number in by_name.get(_name_key(record.name), ())
                if (found := _name_match(mine, groups[number].identity)) is not None
            ]
            if ranked:
                (_rank, how), chosen = min(ranked, key=lambda item: (item[0][0], item[1]))
        if chosen is None:
            groups.append(_Group([entry], mine, [""]))
            chosen = len(groups) - 1
        else:
            group = groups[chosen]
            group.entries.append(entry)
            group.joined.append(how)
            _absorb(group.identity, mine)
        for key in mine.ids:
            numbers = by_id.setdefault(key, [])
            if chosen not in numbers:
                numbers.append(chosen)
        numbers = by_name.setdefault(_name_key(record.name), [])
        if chosen not in numbers:
            numbers.append(chosen)
    return groups


def _absorb(into: _Identity, other: _Identity) -> None:
    for key, shown in other.ids.items():
        into.ids.setdefault(key, shown)
    for site, key in other.exclusive.items():
        into.exclusive.setdefault(site, key)
    for name in other.names:
        if all(fold(name) != fold(n) for n in into.names):
            into.names.append(name)
    for key, value in other.fields.items():
        into.fields.setdefault(key, value)
    into.kinds |= other.kinds


def _name_evidence(fields: dict[str, Any]) -> str:
    return "name and " + ", ".join(sorted(fields)) if fields else "name"


# ---- planning ---------------------------------------------------------------------------


@dataclass
class _Target:
    """A note the import writes to: an existing contact, or one it will create."""

    name: str
    path: str
    existing: Contact | None
    values: dict[str, Any]  # the note's values for MERGE_KEYS, as the import leaves them
    identity: _Identity
    labels: list[str]  # name, aliases and file name: what the note is called
    source: str
    origin: tuple[str, int]  # the file and line of the first record for this note
    added: list[str] = field(default_factory=list)  # keys to write (existing notes)
    records: int = 0
    first_met: date | None = None
    met_in_person: bool = False
    note: str | None = None
    career: list[str] = field(default_factory=list)  # `## Career` lines to add
    stem: str | None = None


def _contact_values(contact: Contact) -> dict[str, Any]:
    """The note's values for MERGE_KEYS, from its contact record (no need to read it)."""
    return {
        "name": contact.name,
        "aliases": list(contact.aliases),
        "email": list(contact.emails),
        "phone": list(contact.phones),
        "company": contact.company,
        "role": contact.role,
        "location": contact.location,
        "links": list(contact.links),
        "birthday": contact.birthday.iso() if contact.birthday else None,
        "connected_on": contact.connected_on.isoformat() if contact.connected_on else None,
        "linkedin_urn": contact.linkedin_urn,
        "source": contact.source,
    }


def _note_identity(values: dict[str, Any], labels: Sequence[str]) -> _Identity:
    identity = _Identity()
    urn = values.get("linkedin_urn")
    identity.add_ids(
        values.get("email") or (),
        values.get("phone") or (),
        values.get("links") or (),
        urn if isinstance(urn, str) else None,
    )
    identity.names = [label for label in labels if is_real_name(label)]
    identity.fields = {k: values[k] for k in FIELD_KEYS if values.get(k) not in (None, [])}
    source = values.get("source")
    kind = source.split(":", 1)[0] if isinstance(source, str) else ""
    identity.kinds = frozenset({kind} if kind in ("vcard", "linkedin", "google") else ())
    return identity


def _incoming(record: ImportedContact, source: str) -> dict[str, Any]:
    return {
        "email": list(record.emails),
        "phone": list(record.phones),
        "company": record.company,
        "role": record.role,
        "location": record.location,
        "links": list(record.links),
        "birthday": record.birthday,
        "connected_on": record.connected_on,
        "linkedin_urn": record.linkedin_urn,
        "source": record.origin or source,
    }


def _item_key(key: str, value: str) -> str:
    if key == "email":
        return email_key(value)
    if key == "phone":
        digits = "".join(ch for ch in value if ch.isdigit())
        return digits or fold(value)
    if key == "aliases":
        return " ".join(sorted(name_words(value))) or fold(value)
    return value.strip()


def _shown(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


@dataclass
class _RecordState:
    added: bool = False
    conflicted: bool = False
    changed: bool = False


class _Planner:
    def __init__(self, index: Index, today: date, accept_changes: bool) -> None:
        self.index = index
        self.today = today
        self.accept_changes = accept_changes
        self.targets: dict[str, _Target] = {}  # by path
        self.conflicts: list[Conflict] = []
        self.changes: list[Change] = []
        self.problems: list[RecordProblem] = []
        self._contacts = {c.path: c for c in index.contacts}
        self._by_id: dict[str, list[str]] = {}
        self._by_label: dict[str, list[str]] = {}
        self._identities: dict[str, _Identity] = {}
        # Names new files take in this import (the index knows the vault's).
        self._planned: dict[str, str] = {}  # folded label -> the new note of this import
        self._stems: set[str] = set()  # the file names of this import's new notes
        self._unnamed = 0
        for contact in index.contacts:
            labels = _labels(contact)
            for key in _label_keys(labels):
                paths = self._by_label.setdefault(key, [])
                if contact.path not in paths:
                    paths.append(contact.path)
            for label in labels:
                found = _UNNAMED_NUMBER.match(label)
                if found:
                    self._unnamed = max(self._unnamed, int(found.group(1)))
            identity = _note_identity(_contact_values(contact), labels)
            self._identities[contact.path] = identity
            for key in identity.ids:
                self._by_id.setdefault(key, []).append(contact.path)

    # -- matching --------------------------------------------------------------------------
    def _match(self, group: _Group) -> tuple[str, str] | None:
        """The existing contact the group is, and the evidence; None for a new person."""
        mine = group.identity
        shared: dict[str, list[str]] = {}
        for key in mine.ids:
            for path in self._by_id.get(key, ()):
                shared.setdefault(path, []).append(key)
        fitting = [
            (path, keys)
            for path, keys in shared.items()
            if _fits(mine, self._identity(path), self._labels_of(path))
        ]
        if fitting:
            # A named person goes to a note of a close name first, then to the one sharing
            # most identifiers; a person without a name to the note sharing most
            # identifiers, one without a name first, and to none when that is a tie.
            def rank(item: tuple[str, list[str]]) -> tuple[int, ...]:
                labels = self._labels_of(item[0])
                # A note named after the organisation was made for a person without a name.
                company = fold(str(self._identity(item[0]).fields.get("company") or ""))
                named = any(is_real_name(label) and fold(label) != company for label in labels)
                if mine.names:
                    return (0 if named else 1, _closeness(mine.names, labels), -len(item[1]))
                return (-len(item[1]), 1 if named else 0)

            fitting.sort(key=lambda item: (rank(item), item[0]))
            if mine.names or len(fitting) == 1 or rank(fitting[0]) != rank(fitting[1]):
                return fitting[0][0], _evidence(fitting[0][1])
            return None
        candidates: list[str] = []
        # Without a name, a person went by the organisation's name, else by none.
        company = mine.fields.get("company")
        for name in mine.names or ["", *([company] if company else [])]:
            for path in self._by_label.get(_name_key(name), ()):
                if path not in candidates:
                    candidates.append(path)
        by_name = [
            (found, path)
            for path in candidates
            if (found := _name_match(mine, self._identity(path))) is not None
        ]
        if not by_name:
            return None
        (_rank, how), best = min(by_name, key=lambda item: (item[0][0], item[1]))
        return best, how

    def _identity(self, path: str) -> _Identity:
        target = self.targets.get(path)
        return target.identity if target is not None else self._identities[path]

    def _labels_of(self, path: str) -> list[str]:
        target = self.targets.get(path)
        return target.labels if target is not None else _labels(self._contacts[path])

    def _existing_target(self, path: str, entry: _Entry) -> _Target:
        target = self.targets.get(path)
        if target is None:
            contact = self._contacts[path]
            values = _contact_values(contact)
            labels = _labels(contact)
            target = _Target(
                contact.name,
                path,
                contact,
                values,
                self._identities[path],
                labels,
                entry.batch.source_key,
                (entry.batch.filename, entry.item.line),
            )
            self.targets[path] = target
        return target

    # -- the plan --------------------------------------------------------------------------
    def plan(
        self, entries: Sequence[_Entry], progress: Callable[[int], None] | None
    ) -> list[RecordOutcome]:
        outcomes: dict[int, RecordOutcome] = {}
        numbered = {id(entry): number for number, entry in enumerate(entries)}
        people: list[_Entry] = []
        for number, entry in enumerate(entries):
            record = entry.record
            why = record.skip or ("it holds nothing to import" if record.empty else None)
            if why is not None:
                outcomes[number] = self._outcome(entry, "skipped", None, why)
                if progress is not None:
                    progress(1)
            else:
                people.append(entry)
        groups = _groups(people)
        # People without a name are settled last, the most specific (most identifiers)
        # first, so an ambiguous one sees what the others brought.
        groups.sort(key=lambda g: (0, 0) if g.identity.names else (1, -len(g.identity.ids)))
        for group in groups:
            match = self._match(group)
            if match is not None:
                path, how = match
                target = self._existing_target(path, group.entries[0])
                hows = [f"merged into {path} by {how}"] * len(group.entries)
                new = False
            else:
                target = self._create(group)
                hows = ["new note"] + [
                    f"merged into {target.path} by {joined}" for joined in group.joined[1:]
                ]
                new = True
            states = self._merge_group(target, group)
            for entry, state, how in zip(group.entries, states, hows, strict=True):
                outcome: Outcome
                if state.conflicted:
                    outcome = "conflicted"
                elif state.changed:
                    outcome = "changed"
                elif new:
                    outcome = "created"
                elif state.added:
                    outcome = "updated"
                else:
                    outcome = "unchanged"
                outcomes[numbered[id(entry)]] = self._outcome(entry, outcome, target.path, how)
            target.records += len(group.entries)
            self._reindex(target)
            if progress is not None:
                progress(len(group.entries))
        return [outcomes[number] for number in range(len(entries))]

    @staticmethod
    def _outcome(
        entry: _Entry, outcome: Outcome, path: str | None, detail: str
    ) -> RecordOutcome:
        record = entry.record
        return RecordOutcome(
            entry.batch.filename, entry.item.line, record.name, outcome, path, detail
        )

    def _reindex(self, target: _Target) -> None:
        """Let later groups find what this one brought (a new address, a new name)."""
        if target.existing is not None and not target.added:
            return  # nothing new
        target.identity = _note_identity(target.values, target.labels)
        for key in target.identity.ids:
            paths = self._by_id.setdefault(key, [])
            if target.path not in paths:
                paths.append(target.path)
        for key in _label_keys(target.labels):
            paths = self._by_label.setdefault(key, [])
            if target.path not in paths:
                paths.append(target.path)
        for label in target.labels:
            self._planned.setdefault(fold(label), target.path)

    # -- new notes -------------------------------------------------------------------------
    def _create(self, group: _Group) -> _Target:
        first = group.entries[0]
        batch, line = first.batch, first.item.line
        names: list[str] = []
        for entry in group.entries:
            names += [entry.record.name, *entry.record.aliases]
        names = [n for n in names if is_real_name(n)]
        company = next((e.record.company for e in group.entries if e.record.company), None)
        hint = first.record.file_stem
        if names:
            name = names[0]
        elif company:
            name = company
        elif hint and _UNNAMED_NUMBER.match(hint) and not self._taken(hint):
            name = hint  # a netvault export of an unnamed person: the same name again
        else:
            name = self._next_unnamed()
        stem = self._file_stem(name, group)
        path = f"{self.index.config.contacts_folder}/{stem}.md"
        aliases: list[str] = []
        seen = {_item_key("aliases", name)}
        for other in names[1:]:
            if _item_key("aliases", other) not in seen and self._alias_free(other, path):
                seen.add(_item_key("aliases", other))
                aliases.append(other)
        if name.startswith(UNNAMED):
            has = ", ".join(_shown(v) for v in group.identity.ids.values())
            self.problems.append(
                RecordProblem(
                    batch.filename,
                    line,
                    f"no name ({'it has ' + has if has else 'nothing but other fields'}); "
                    f"imported as {path}: give it a name there",
                )
            )
        record = first.record
        values: dict[str, Any] = dict.fromkeys(MERGE_KEYS)
        values.update({"name": name, "aliases": aliases})
        target = _Target(
            name,
            path,
            None,
            values,
            _Identity(),
            [name, stem, *aliases],
            record.origin or batch.source_key,
            (batch.filename, line),
            first_met=date.fromisoformat(record.first_met) if record.first_met else None,
            met_in_person=record.met_in_person,
            note=record.note,
            stem=stem if stem != name else None,
        )
        self.targets[path] = target
        self._planned.setdefault(fold(stem), path)
        self._stems.add(fold(stem))
        return target

    def _next_unnamed(self) -> str:
        while True:
            self._unnamed += 1
            name = f"{UNNAMED} {self._unnamed}"
            if not self._taken(name):
                return name

    def _file_exists(self, stem: str) -> bool:
        """A note, or a new note of this import, has this file name (not just this name)."""
        owner = self.index.resolve(stem)
        return fold(stem) in self._stems or (
            owner is not None and fold(Path(owner).stem) == fold(stem)
        )

    def _alias_free(self, alias: str, path: str) -> bool:
        """No other note has this as its file name, name or alias: an alias that another
        note answers to would make links and lookups ambiguous, so it is not added."""
        owner = self._planned.get(fold(alias)) or self.index.resolve(alias)
        return owner is None or owner == path

    def _taken(self, stem: str) -> bool:
        """True when a note, a contact's name or alias, or a new note of this import has
        this name: a new file must not make a `[[link]]` ambiguous."""
        return fold(stem) in self._planned or self.index.resolve(stem) is not None

    def _file_stem(self, name: str, group: _Group) -> str:
        """A file name no other note has: the one a netvault export carried, else the name
        made safe, else with the company, role or place that tells this person apart,
        else with an ordinal."""
        hint = group.entries[0].record.file_stem
        if hint and not self._file_exists(safe_file_stem(hint)):
            return safe_file_stem(hint)
        stem = safe_file_stem(name)
        if not self._taken(stem):
            return stem
        record = group.entries[0].record
        qualifiers = [
            safe_file_stem(q, 40)
            for q in (record.company, record.role, record.location)
            if q and fold(safe_file_stem(q, 40)) != fold(stem)
        ]
        for qualifier in dict.fromkeys(qualifiers):
            candidate = f"{stem} ({qualifier})"
            if not self._taken(candidate):
                return candidate
        base = f"{stem} ({qualifiers[0]}, " if qualifiers else f"{stem} ("
        for ordinal in _ORDINALS:
            candidate = f"{base}{ordinal})"
            if not self._taken(candidate):
                return candidate
        raise BadName(f"{name!r}: no free file name")  # pragma: no cover - 98 namesakes

    # -- merging ---------------------------------------------------------------------------
    def _merge_group(self, target: _Target, group: _Group) -> list[_RecordState]:
        states = [_RecordState() for _ in group.entries]
        for entry, state in zip(group.entries, states, strict=True):
            self._merge_names(entry, target, state)
            incoming = _incoming(entry.record, entry.batch.source_key)
            for key in MERGE_KEYS:
                if key in ("name", "aliases") or key in CAREER_KEYS:
                    continue
                value = incoming.get(key)
                if value in (None, []):
                    continue
                current = target.values.get(key)
                if key in LIST_KEYS:
                    have = {_item_key(key, v) for v in current or []}
                    new = [v for v in value if _item_key(key, v) not in have]
                    if new:
                        self._set(target, key, [*(current or []), *new])
                        state.added = True
                    continue
                if current in (None, ""):
                    self._set(target, key, value)
                    state.added = True
                elif key != "source" and not _same_value(key, current, value):
                    self.conflicts.append(_conflict(entry, target, key, current, value))
                    state.conflicted = True
        for key in CAREER_KEYS:
            self._merge_career(target, group, states, key)
        self._record_move(target)
        return states

    def _merge_names(self, entry: _Entry, target: _Target, state: _RecordState) -> None:
        """The record's names the note does not have become aliases; a note whose name is
        no name (an address, `Unnamed contact 2`) takes the record's name instead."""
        names = [n for n in (entry.record.name, *entry.record.aliases) if is_real_name(n)]
        if not names:
            return
        if target.existing is not None and not is_real_name(target.values["name"]):
            self._set(target, "name", names[0])
            target.name = names[0]
            target.labels.append(names[0])
            state.added = True
            names = names[1:]
        have = {_item_key("aliases", label) for label in target.labels}
        for name in names:
            if _item_key("aliases", name) in have or not self._alias_free(name, target.path):
                continue
            have.add(_item_key("aliases", name))
            self._set(target, "aliases", [*(target.values.get("aliases") or []), name])
            target.labels.append(name)
            state.added = True

    def _merge_career(
        self, target: _Target, group: _Group, states: list[_RecordState], key: str
    ) -> None:
        """Company and role. An empty key is filled; a value the note has is kept. On an
        existing note, values that all differ from the note's are a job change (the last
        one wins when accepted); within the records of one new note, a conflict."""
        offered: list[tuple[_Entry, _RecordState, str]] = []
        for entry, state in zip(group.entries, states, strict=True):
            value = entry.record.company if key == "company" else entry.record.role
            if value:
                offered.append((entry, state, value))
        if not offered:
            return
        current = target.values.get(key)
        if current in (None, ""):
            _entry, first_state, current = offered[0]
            self._set(target, key, current)
            first_state.added = True
        if any(_same_text(current, value) for _, _, value in offered):
            for entry, state, value in offered:
                if not _same_text(current, value):
                    self.conflicts.append(_conflict(entry, target, key, current, value))
                    state.conflicted = True
            return
        if target.existing is None:  # pragma: no cover - the first offer filled it above
            return
        for entry, state, value in offered:
            change = Change(
                target.name, target.path, key, str(current), value,
                entry.batch.filename, entry.item.line,
            )  # fmt: skip
            if all((c.path, c.key, fold(c.new)) != (change.path, key, fold(value))
                   for c in self.changes):
                self.changes.append(change)
            state.changed = True
        if self.accept_changes:
            self._set(target, key, offered[-1][2])

    def _record_move(self, target: _Target) -> None:
        """The dated `## Career` line for the accepted changes of this note."""
        if target.existing is None or not self.accept_changes:
            return
        mine = [c for c in self.changes if c.path == target.path]
        if not mine:
            return
        old = {c.key: c.old for c in mine}
        new = {c.key: target.values[c.key] for c in mine}
        day = self.today.isoformat()
        if "company" in new:
            line = f"- {day} moved from {old['company']} to {new['company']}"
            if "role" in new:
                line += f" (now {new['role']}, was {old['role']})"
        else:
            line = f"- {day} role changed from {old['role']} to {new['role']}"
        target.career = [line]

    def _set(self, target: _Target, key: str, value: Any) -> None:
        target.values[key] = value
        if target.existing is not None and key not in target.added:
            target.added.append(key)
            target.added.sort(key=MERGE_KEYS.index)


def _labels(contact: Contact) -> list[str]:
    stem = contact.path.rsplit("/", 1)[-1].removesuffix(".md")
    return list(dict.fromkeys([contact.name, stem, *contact.aliases]))


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


# ---- writing ----------------------------------------------------------------------------


def _yaml_value(key: str, value: Any) -> Any:
    """The value as the note should hold it: lists as lists, full dates as dates."""
    if key in LIST_KEYS:
        return list(value)
    if key in ("birthday", "connected_on") and not str(value).startswith("--"):
        return date.fromisoformat(str(value))
    return value


def _new_contact(target: _Target) -> NewContact:
    values = target.values
    extra: dict[str, Any] = {"source": target.source}
    for key in ("connected_on", "birthday", "linkedin_urn"):
        if values.get(key) is not None:
            extra[key] = _yaml_value(key, values[key])
    note = None
    if target.note:
        note = "\n".join(f"> {line}".rstrip() for line in target.note.splitlines())
    return NewContact(
        name=target.name,
        file_stem=target.stem,
        tie=1,
        aliases=tuple(values.get("aliases") or ()),
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
            create_contact(index, _new_contact(target), same_name_ok=True)
            return None
        editor = NoteEditor.open(index.root, target.path)
        for key in target.added:
            editor.set_key(key, _yaml_value(key, target.values[key]))
        for line in target.career:
            editor.append_under_heading(CAREER_HEADING, line)
        editor.save()
    except (EditRefused, ContactExists, ContactTemplateError, BadName) as exc:
        return str(exc)
    return None


def import_batches(
    index: Index,
    batches: Sequence[ImportBatch],
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    *,
    accept_changes: bool = False,
    today: date | None = None,
) -> ImportResult:
    """Plan the import of every record of `batches`, then (unless `dry_run`) write it.

    `progress` is called with numbers of records, adding up to the number of records
    (planning counts for the first half of the work, writing for the second: each record
    is reported once, when its note is settled). `accept_changes` writes job changes.
    """
    from .dates import today as current_day

    planner = _Planner(index, today or current_day(), accept_changes)
    problems = [
        RecordProblem(batch.filename, p.line, p.message)
        for batch in batches
        for p in batch.problems
    ]
    entries = [_entry(batch, item) for batch in batches for item in batch.records]
    outcomes = planner.plan(entries, progress)
    problems.extend(planner.problems)

    created: list[Created] = []
    merged: list[Merged] = []
    unchanged: list[Unchanged] = []
    failed: dict[str, str] = {}
    for target in planner.targets.values():
        if target.existing is not None and not target.added and not target.career:
            unchanged.append(Unchanged(target.name, target.path))
            continue
        error = None if dry_run else _write(index, target)
        if error is not None:
            file, line = target.origin
            problems.append(RecordProblem(file, line, f"{error}; not imported"))
            failed[target.path] = error
        elif target.existing is None:
            created.append(Created(target.name, target.path, target.source, target.records))
        else:
            merged.append(Merged(target.name, target.path, tuple(target.added), target.source))
    if failed:
        outcomes = [
            RecordOutcome(o.file, o.line, o.name, "skipped", None, f"not written: {failed[o.path]}")
            if o.path in failed
            else o
            for o in outcomes
        ]
    order = {batch.filename: i for i, batch in enumerate(batches)}
    problems.sort(key=lambda p: (order.get(p.file, len(order)), p.line))
    return ImportResult(
        created=tuple(created),
        merged=tuple(merged),
        conflicts=tuple(planner.conflicts),
        changes=tuple(planner.changes),
        unchanged=tuple(unchanged),
        outcomes=tuple(outcomes),
        problems=tuple(problems),
        records=len(entries),
        dry_run=dry_run,
        changes_accepted=accept_changes and not dry_run,
    )
