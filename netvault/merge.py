"""Merge one contact note (OTHER) into another (KEEP), then remove OTHER.

Rules:
- Lists (aliases, tags, relationship, email, phone, links, offers, needs, interests) are
  united, KEEP's items first; e-mails compare case-insensitively, phones by their digits.
- OTHER's name and aliases become aliases of KEEP, but never one that is the name, file
  name or alias of a third contact (listed as a conflict instead): a merge never takes
  another person's name, so `[[Ben Carter]]` keeps leading to Ben.
- Any other key: KEEP's value wins; OTHER's value fills a key KEEP lacks; a differing value
  is listed as a conflict and dropped. Three keys are facts rather than opinions:
  `first_met` takes the earlier date, `last_met` the later, `met_in_person` is true if
  either says so. Consent takes the stricter answer of the two (no < ask < yes) for each
  of share-contact and introductions, listed as a conflict when they differ: a merge
  never widens what a person agreed to.
- OTHER's front-matter comments are kept at the end of KEEP's front matter, under
  `# merged from OTHER:` (a comment after a value keeps its line with it).
- OTHER's `## Log` lines go under KEEP's `## Log`, interleaved by date (a line KEEP
  already has is not added twice). The rest of OTHER's text (its notes, follow-ups) is
  appended to KEEP under `## Merged from OTHER`.
- Every wikilink to OTHER in the vault, KEEP included, is pointed at KEEP (see `relink`).
- All new texts are computed first; nothing is written if any note cannot be edited.
  KEEP is saved first, then the linking notes, and OTHER's file is removed last, only
  after every write succeeded and only if it did not change meanwhile.
Running the same merge again after an interruption finishes it without duplicating.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from .edit import EditRefused, NoteEditor, detect_newline, front_matter_comments
from .errors import NetvaultError
from .facts import strings_in
from .fields import CONSENT_PROPERTIES, write_consent
from .index import Index
from .model import Consent, ConsentValue, Contact
from .parse import fold
from .relink import link_key, relink
from .syntax import WIKILINK, front_matter_end, headings, link_target

LIST_KEYS = (
    "aliases",
    "tags",
    "relationship",
    "email",
    "phone",
    "links",
    "offers",
    "needs",
    "interests",
)
_SKIPPED_KEYS = frozenset({"name", "type"})
_CONSENT_ORDER: dict[ConsentValue, int] = {"no": 0, "ask": 1, "yes": 2}

_LOG_ENTRY = re.compile(r"^ {0,3}[-*+][ \t]+(\d{4}-\d{2}-\d{2})(?![\d-])")
_TASK_LINE = re.compile(r"^\s*[-*+][ \t]+\[.\]")


class MergeRefused(NetvaultError):
    """The merge cannot be done; nothing was written."""


@dataclass(frozen=True, slots=True)
class MergeConflict:
    key: str
    kept: Any
    dropped: Any
    dropped_from: Literal["keep", "other"] = "other"
    rule: str = "KEEP's value wins"


@dataclass(frozen=True, slots=True)
class Relinked:
    path: str
    links: int


@dataclass(frozen=True, slots=True)
class MergeResult:
    keep: Contact
    other: Contact
    set_keys: tuple[tuple[str, Any], ...]  # front-matter keys set on KEEP, in order
    conflicts: tuple[MergeConflict, ...]
    comments: int  # of OTHER's front-matter comments added to KEEP's front matter
    log_lines: int  # of OTHER's log lines added under KEEP's `## Log`
    merged_text: bool  # OTHER's other text appended under `## Merged from ...`
    relinked: tuple[Relinked, ...]
    dry_run: bool
    removed: bool  # OTHER's file was removed


# ---- front matter ------------------------------------------------------------------------


def _as_list(value: object) -> list[Any]:
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _item_key(key: str, value: object) -> object:
    if not isinstance(value, str):
        return repr(value)
    if key == "email":
        return value.strip().casefold()
    if key == "phone":
        digits = "".join(ch for ch in value if ch.isdigit())
        return digits or fold(value)
    if key == "tags":
        return fold(value.lstrip("#"))
    return fold(value)


def _norm(value: object) -> object:
    """A comparison key that ignores case and spacing in text and the form of a date."""
    if isinstance(value, str):
        return fold(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return tuple(_norm(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), repr(_norm(v))) for k, v in value.items()))
    return value


def _empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _union(key: str, keep: Sequence[Any], other: Iterable[Any]) -> list[Any]:
    seen = {_item_key(key, v) for v in keep}
    merged = list(keep)
    for value in other:
        item = _item_key(key, value)
        if item not in seen:
            seen.add(item)
            merged.append(value)
    return merged


def _aliases(
    index: Index,
    keep: Contact,
    other: Contact,
    keep_fm: dict[object, object],
    conflicts: list[MergeConflict],
) -> list[Any]:
    """KEEP's aliases with OTHER's name and aliases added, but never a name that leads to a
    third contact (an alias `Ben Carter` would take [[Ben Carter]] from Ben)."""
    current = _as_list(keep_fm.get("aliases"))
    taken = {fold(keep.name), fold(Path(keep.path).stem)}
    others = names_of_others(index, keep, other)
    wanted: list[str] = []
    for label in (other.name, *other.aliases):
        owner = others.get(fold(label))
        if owner is not None:
            conflicts.append(
                MergeConflict("aliases", owner, label, rule="that name leads to another contact")
            )
        elif fold(label) not in taken:
            wanted.append(label)
    return _union("aliases", current, wanted)


def names_of_others(index: Index, keep: Contact, other: Contact) -> dict[str, str]:
    """Folded file name, name and aliases of every contact but KEEP and OTHER -> its path,
    however the index resolves them (two notes claiming one name is an error `check` shows,
    and a merge must not settle it by taking the name)."""
    found: dict[str, str] = {}
    for contact in index.contacts:
        if contact.path in (keep.path, other.path):
            continue
        for label in (Path(contact.path).stem, contact.name, *contact.aliases):
            found.setdefault(fold(label), contact.path)
    return found


def _stricter(a: ConsentValue, b: ConsentValue) -> ConsentValue:
    return a if _CONSENT_ORDER[a] <= _CONSENT_ORDER[b] else b


def _consent_map(consent: Consent) -> dict[str, ConsentValue]:
    return {"share-contact": consent.share_contact, "introductions": consent.introductions}


def _merge_consent(
    mine: Consent,
    theirs: Consent,
    to_set: list[tuple[str, Any]],
    conflicts: list[MergeConflict],
) -> None:
    """Each answer becomes the stricter of the two notes' answers."""
    merged = {
        "share-contact": _stricter(mine.share_contact, theirs.share_contact),
        "introductions": _stricter(mine.introductions, theirs.introductions),
    }
    kept, other = _consent_map(mine), _consent_map(theirs)
    if merged != kept:
        to_set.append(("consent", merged))
    if kept != other:
        lost_keep = merged != kept
        conflicts.append(
            MergeConflict(
                "consent",
                merged,
                kept if lost_keep else other,
                "keep" if lost_keep else "other",
                "the stricter answer of the two wins",
            )
        )


def plan_front_matter(
    index: Index,
    keep: Contact,
    other: Contact,
    keep_fm: dict[object, object],
    other_fm: dict[object, object],
) -> tuple[list[tuple[str, Any]], list[MergeConflict]]:
    """The keys to set on KEEP and the conflicts, from both notes' front matter."""
    to_set: list[tuple[str, Any]] = []
    conflicts: list[MergeConflict] = []

    aliases = _aliases(index, keep, other, keep_fm, conflicts)
    if aliases != _as_list(keep_fm.get("aliases")):
        to_set.append(("aliases", aliases))

    for raw_key, value in other_fm.items():
        key = str(raw_key)
        if key in _SKIPPED_KEYS or key == "aliases" or _empty(value):
            continue
        current = keep_fm.get(key)
        if key in LIST_KEYS:
            before = _as_list(current)
            merged = _union(key, before, _as_list(value))
            if len(merged) != len(before):
                to_set.append((key, merged))
            continue
        if key == "first_met" and other.first_met and keep.first_met:
            if other.first_met < keep.first_met:
                to_set.append((key, other.first_met))
            continue
        if key == "last_met" and other.last_met and keep.last_met:
            if other.last_met > keep.last_met:
                to_set.append((key, other.last_met))
            continue
        if key == "met_in_person":
            if other.met_in_person and not keep.met_in_person:
                to_set.append((key, True))
            continue
        if key == "consent" or key in CONSENT_PROPERTIES:
            continue  # below, whether OTHER wrote consent or not
        if _empty(current):
            to_set.append((key, value))
        elif _norm(current) != _norm(value):
            conflicts.append(MergeConflict(key, current, value))
    # OTHER without a consent key means "ask": the stricter answer wins either way.
    _merge_consent(keep.consent, other.consent, to_set, conflicts)
    return to_set, conflicts


# ---- body text ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LogEntry:
    day: str  # ISO date as written
    lines: tuple[str, ...]  # the item line and its indented continuation lines


@dataclass(frozen=True, slots=True)
class _Section:
    heading: int  # index of the heading line
    end: int  # index of the first line after the section


def _headings(lines: Sequence[str]) -> list[tuple[int, int, str]]:
    """(line index, level, folded title) of each ATX heading outside fenced code."""
    return [(index, level, fold(title)) for index, level, title in headings(lines)]


def _section(lines: Sequence[str], title: str, start: int = 0) -> _Section | None:
    heads = [h for h in _headings(lines) if h[0] >= start]
    for pos, (index, level, name) in enumerate(heads):
        if name == fold(title):
            end = next((i for i, lv, _ in heads[pos + 1 :] if lv <= level), len(lines))
            return _Section(index, end)
    return None


def _entries(lines: Sequence[str], section: _Section) -> list[tuple[str, int, int]]:
    """(date, first line, line after the last) of each dated list item in the section."""
    entries: list[tuple[str, int, int]] = []
    i = section.heading + 1
    while i < section.end:
        match = _LOG_ENTRY.match(lines[i].rstrip("\r"))
        if not match:
            i += 1
            continue
        j = i + 1
        while j < section.end and lines[j][:1] in (" ", "\t") and lines[j].strip():
            j += 1
        entries.append((match.group(1), i, j))
        i = j
    return entries


def split_other(text: str) -> tuple[list[LogEntry], str]:
    """OTHER's `## Log` entries, and the rest of its body (without front matter, its
    `# Title` line and the log section's heading and entries), trimmed."""
    lines = text[front_matter_end(text) :].split("\n")
    log: list[LogEntry] = []
    drop: set[int] = set()
    section = _section(lines, "Log")
    if section is not None:
        drop.add(section.heading)
        for day, first, after in _entries(lines, section):
            log.append(LogEntry(day, tuple(ln.rstrip("\r") for ln in lines[first:after])))
            drop.update(range(first, after))
    first_text = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first_text is not None and re.match(r"^ {0,3}#[ \t]", lines[first_text]):
        drop.add(first_text)
    rest: list[str] = []
    for i, line in enumerate(lines):
        if i in drop:
            continue
        line = line.rstrip("\r")
        if not line.strip() and rest and not rest[-1].strip():
            continue  # the lines taken out leave runs of blank lines behind
        rest.append(line)
    return log, "\n".join(rest).strip("\n")


def interleave_log(text: str, entries: Sequence[LogEntry]) -> tuple[str, int]:
    """`text` with `entries` under its `## Log` in date order, the order the log keeps
    (oldest or newest first), never below a task that follows the log's entries; entries
    whose first line is already there are skipped. Returns the text and the number of
    lines added."""
    nl = detect_newline(text)
    cr = "\r" if nl == "\r\n" else ""
    split = front_matter_end(text)
    head, lines = text[:split], text[split:].split("\n")
    added = 0
    section: _Section | None = None
    # The section and its entries are read once and then kept up to date as lines go in:
    # an import adds hundreds of lines to one note.
    existing: list[tuple[str, int, int]] = []
    present: set[str] = set()
    for entry in sorted(entries, key=lambda e: e.day):
        if section is None:
            section = _section(lines, "Log")
            if section is None:
                while lines and not lines[-1].strip():
                    lines.pop()
                if lines and not lines[-1].endswith("\r"):
                    lines[-1] += cr
                lines += [cr, "## Log" + cr, ""]
                section = _section(lines, "Log")
                assert section is not None
            existing = _entries(lines, section)
            present = {lines[first].strip() for _, first, _ in existing}
        if entry.lines[0].strip() in present:
            continue
        newest_first = len(existing) > 1 and existing[0][0] > existing[-1][0]
        slot = next(
            (
                pos
                for pos, (day, _first, _after) in enumerate(existing)
                if (day <= entry.day if newest_first else day > entry.day)
            ),
            None,
        )
        if slot is not None:
            at = existing[slot][1]
        elif existing:
            at, slot = existing[-1][2], len(existing)
        else:
            # No entry yet: after the section's text, but above its tasks.
            last = max(
                (
                    i
                    for i in range(section.heading, section.end)
                    if lines[i].strip() and not _TASK_LINE.match(lines[i])
                ),
                default=section.heading,
            )
            at, slot = last + 1, 0
        new = [line + cr for line in entry.lines]
        if at == len(lines):  # the last line has no line break: nor will the new last line
            lines[-1] += cr
            lines += [*new[:-1], entry.lines[-1]]
        else:
            lines[at:at] = new
        size = len(entry.lines)
        existing = [
            (day, first + size, after + size) if first >= at else (day, first, after)
            for day, first, after in existing
        ]
        existing.insert(slot, (entry.day, at, at + size))
        section = _Section(section.heading, section.end + size)
        present.add(entry.lines[0].strip())
        added += size
    return head + "\n".join(lines), added


def append_merged_text(text: str, other_name: str, rest: str) -> tuple[str, bool]:
    """`text` with `rest` appended under `## Merged from OTHER` (once)."""
    title = f"Merged from {other_name}"
    lines = text[front_matter_end(text) :].split("\n")
    if not rest.strip() or _section(lines, title) is not None:
        return text, False
    nl = detect_newline(text)
    body = text.rstrip("\r\n")
    block = nl.join([f"## {title}", *rest.split("\n")])
    return f"{body}{nl}{nl}{block}{nl}", True


# ---- the merge ---------------------------------------------------------------------------


def link_target_for(index: Index, keep: Contact, other: Contact) -> str:
    """How to link to KEEP once OTHER is gone: its file name, unless another note still
    answers to that name, then its path."""
    stem = Path(keep.path).stem
    return stem if index.resolve(stem) in (keep.path, other.path) else keep.path[:-3]


def names_of(index: Index, other: Contact, keep: Contact) -> set[str]:
    """The folded link targets that lead to OTHER: its file name and path (as Obsidian
    resolves links), and its name and aliases where they lead to it and to no other contact;
    less KEEP's own name and file name (a sync conflict copy shares them, and links by them
    mean KEEP)."""
    taken = {link_key(keep.name), link_key(Path(keep.path).stem)}
    others = names_of_others(index, keep, other)
    files = [Path(other.path).stem, other.path.removesuffix(".md")]
    labels = [other.name, *other.aliases]
    found = {link_key(label) for label in files}
    found |= {
        link_key(label) for label in labels
        if index.resolve(label) == other.path and fold(label) not in others
    }
    return found - taken


def _links_to(index: Index, path: str, names: set[str]) -> bool:
    """True when the note has a link (in its body or front matter) to one of `names`."""
    note = index.notes[path]
    if any(link_key(link.target) in names for link in note.links):
        return True
    return any(
        (inner := link_target(m.group(2))) is not None and link_key(inner) in names
        for value in strings_in(note.meta)
        for m in WIKILINK.finditer(value)
    )


def _new_comments(keep: NoteEditor, other: NoteEditor) -> list[str]:
    """OTHER's front-matter comments ("prefers Signal, never call before 10am") that KEEP's
    front matter does not hold yet (a merge run again adds none twice)."""
    mine = set(front_matter_comments(keep.text))
    return [c for c in front_matter_comments(other.text) if c not in mine]


def _open(index: Index, path: str) -> NoteEditor:
    try:
        return NoteEditor.open(index.root, path)
    except EditRefused as exc:
        raise MergeRefused(f"{path}: {exc.message}; nothing written") from None


def merge_contacts(
    index: Index, keep: Contact, other: Contact, dry_run: bool = False
) -> MergeResult:
    """Merge OTHER into KEEP (see the module docstring). MergeRefused: nothing written."""
    if keep.path == other.path:
        raise MergeRefused(f"{keep.name!r} and {other.name!r} are the same note ({keep.path})")
    keep_editor = _open(index, keep.path)
    other_editor = _open(index, other.path)
    other_bytes = other_editor.saved_bytes
    try:
        to_set, conflicts = plan_front_matter(
            index,
            keep, other, keep_editor.front_matter(), other_editor.front_matter()
        )
        for key, value in to_set:
            if key == "consent":
                write_consent(keep_editor, value)  # where KEEP keeps it, as it writes it
            else:
                keep_editor.set_key(key, value)
        comments = _new_comments(keep_editor, other_editor)
        if comments:
            keep_editor.add_front_matter_comments([f"# merged from {other.name}:", *comments])
        names = names_of(index, other, keep)
        target = link_target_for(index, keep, other)
        # OTHER's lines are compared with KEEP's as they will read there, links rewritten,
        # so that running an interrupted merge again does not add them twice.
        log, rest = split_other(relink(other_editor.text, names, target).text)
        text, log_lines = interleave_log(keep_editor.text, log)
        text, merged_text = append_merged_text(text, other.name, rest)
        keep_links = relink(text, names, target)
        keep_editor.replace_text(keep_links.text)

        editors: list[tuple[NoteEditor, int]] = []
        relinked: list[Relinked] = []
        if keep_links.count:
            relinked.append(Relinked(keep.path, keep_links.count))
        # The index names the notes whose links may lead to OTHER; each is read to be sure.
        maybe = {src for src, target in index.link_targets() if link_key(target) in names}
        for path in sorted(maybe):
            if path in (keep.path, other.path) or not _links_to(index, path, names):
                continue
            editor = _open(index, path)
            result = relink(editor.text, names, target)
            if result.count:
                editor.replace_text(result.text)
                editors.append((editor, result.count))
                relinked.append(Relinked(path, result.count))
    except EditRefused as exc:
        raise MergeRefused(f"{exc}; nothing written") from None

    if not dry_run:
        try:
            keep_editor.save()
            for editor, _count in editors:
                editor.save()
        except EditRefused as exc:
            raise MergeRefused(
                f"{exc}; {other.path} was kept: run the merge again to finish it"
            ) from None
        _remove(index.root, other.path, other_bytes)
    return MergeResult(
        keep=keep,
        other=other,
        set_keys=tuple(to_set),
        conflicts=tuple(conflicts),
        comments=len(comments),
        log_lines=log_lines,
        merged_text=merged_text,
        relinked=tuple(relinked),
        dry_run=dry_run,
        removed=not dry_run,
    )


def _remove(root: Path, relpath: str, expected: bytes) -> None:
    """Remove OTHER's note, only if it still holds what was merged (never through a link)."""
    from .write import Target, WriteRefused, remove_file

    try:
        remove_file(Target.inside(root, relpath), expected)
    except WriteRefused as exc:
        name = Path(relpath).name
        if "changed on disk" in exc.message:
            raise MergeRefused(
                f"{name} changed on disk during the merge; it was kept (everything else is "
                "merged: run the merge again to finish)"
            ) from None
        raise MergeRefused(f"could not remove {name} ({exc.message}); the rest is merged") from None
