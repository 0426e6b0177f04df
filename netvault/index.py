"""The in-memory index of a vault: contacts by name, the link graph, interactions, tasks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .config import Config, load_config
from .errors import NetvaultError
from .model import Contact, Interaction, Note, ParsedNote, Problem, Task
from .parse import fold
from .vaultfs import NoteFile, walk_notes


class UnknownName(NetvaultError, LookupError):
    """No contact matches; carries near misses for a "did you mean"."""

    def __init__(self, query: str, suggestions: Sequence[str]) -> None:
        self.query = query
        self.suggestions = list(suggestions)
        hint = f"; did you mean {_either(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"no contact named {query!r}{hint}")


def _either(names: Sequence[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


@dataclass
class Index:
    root: Path
    config: Config
    notes: dict[str, Note]
    problems: list[Problem]
    contacts: list[Contact] = field(default_factory=list)
    _keys: dict[str, str] = field(default_factory=dict)  # folded name/alias/title -> path
    _paths: dict[str, str] = field(default_factory=dict)  # folded path without .md -> path
    _links_out: dict[str, list[str]] = field(default_factory=dict)
    _backlinks: dict[str, list[str]] = field(default_factory=dict)
    _interactions: dict[str, list[Interaction]] = field(default_factory=dict)
    _tasks: dict[str, list[Task]] = field(default_factory=dict)
    _task_people: dict[tuple[str, int], tuple[str, ...]] = field(default_factory=dict)

    # ---- lookup -------------------------------------------------------------------------
    def resolve(self, target: str) -> str | None:
        """The note a wikilink target names (file name, alias or path), as Obsidian does."""
        key = fold(target)
        found = self._keys.get(key)
        if found is None and "/" in target:
            found = self._paths.get(key.strip("/"))
        return found

    def contact_at(self, path: str) -> Contact | None:
        note = self.notes.get(path)
        return note.contact if note else None

    def find(self, query: str) -> Contact | None:
        path = self.resolve(query)
        return self.contact_at(path) if path else None

    def lookup(self, query: str) -> Contact:
        """The contact a user means by `query` (see `netvault.resolve` for the order);
        UnknownName with suggestions when there is none, AmbiguousName when several match."""
        from .resolve import NameEntry, resolve_name

        entries: list[NameEntry] | None = self.__dict__.get("_name_entries")
        if entries is None:
            entries = [NameEntry(c.path, c.name, c.aliases) for c in self.contacts]
            self.__dict__["_name_entries"] = entries
        found = resolve_name(query, entries)
        contact = self.contact_at(found.path) if found is not None else None
        if contact is None:
            raise UnknownName(query, self.suggest(query))
        return contact

    def suggest(self, query: str, limit: int = 3) -> list[str]:
        from rapidfuzz import fuzz, process

        # Built once per index: a vault with many broken links asks for many suggestions.
        # (Read through __dict__ so a lazily loaded index is not made to load everything.)
        names: dict[str, str] | None = self.__dict__.get("_suggestion_names")
        if names is None:
            names = {}
            for contact in self.contacts:
                for label in (contact.name, *contact.aliases):
                    names.setdefault(fold(label), contact.name)
            self.__dict__["_suggestion_names"] = names
        matches = process.extract(
            fold(query), list(names), scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=70
        )
        result: list[str] = []
        for key, _score, _ in matches:
            if names[key] not in result:
                result.append(names[key])
        return result[:limit]

    # ---- relations ----------------------------------------------------------------------
    def links_out(self, path: str) -> list[str]:
        return self._links_out.get(path, [])

    def backlinks(self, path: str) -> list[str]:
        return self._backlinks.get(path, [])

    def linked(self, a: str, b: str) -> bool:
        return b in self._links_out.get(a, ()) or a in self._links_out.get(b, ())

    def interactions(self, contact: Contact) -> list[Interaction]:
        """Every interaction with the contact, oldest first."""
        return self._interactions.get(contact.path, [])

    def tasks(self, contact: Contact) -> list[Task]:
        return self._tasks.get(contact.path, [])

    def all_tasks(self) -> list[tuple[Task, list[Contact]]]:
        """Every open task in the vault, with the contacts it concerns."""
        result = []
        for note in self.notes.values():
            for task in note.tasks:
                people = [
                    c
                    for p in self._task_people.get((task.path, task.line), ())
                    if (c := self.contact_at(p)) is not None
                ]
                result.append((task, people))
        return result

    def met_in_person(self, contact: Contact) -> bool:
        return contact.met_in_person or any(
            i.channel == "in person" for i in self.interactions(contact)
        )

    def last_interaction(self, contact: Contact, today: date | None = None) -> Interaction | None:
        past = [i for i in self.interactions(contact) if today is None or i.date <= today]
        return past[-1] if past else None

    def last_contact(self, contact: Contact, today: date | None = None) -> date | None:
        """When you were last in touch: `last_met` or the latest interaction, whichever is later."""
        dates = [d for d in (contact.last_met,) if d is not None]
        last = self.last_interaction(contact, today)
        if last:
            dates.append(last.date)
        return max(dates) if dates else None

    def favors(self, contact: Contact) -> tuple[int, int]:
        """(given, received)."""
        given = sum(1 for i in self.interactions(contact) if i.favor == "gave")
        received = sum(1 for i in self.interactions(contact) if i.favor == "got")
        return given, received

    @property
    def note_count(self) -> int:
        return len(self.notes)

    @property
    def error_count(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")


def load_index(
    root: Path, config: Config | None = None, *, use_cache: bool | None = None
) -> Index:
    """Read, parse and index every note of the vault at `root`.

    With the cache (by default for vaults of `CACHE_MIN_NOTES` notes or more, unless
    `NETVAULT_NO_CACHE` is set) only new and changed notes are parsed, and the index answers
    contact queries before building the rest; the results are the same either way.
    """
    root = root.resolve()
    problems: list[Problem] = []
    if config is None:
        config, config_problems = load_config(root)
        problems.extend(config_problems)
    files, fs_problems = walk_notes(root)
    problems.extend(fs_problems)
    if use_cache is None:
        from .cache import CACHE_MIN_NOTES, cache_disabled

        use_cache = len(files) >= CACHE_MIN_NOTES and not cache_disabled()
    if use_cache:
        from .cache import cached_index

        return cached_index(root, config, files, problems)
    parsed = read_and_parse(files, config)
    return build_index(root, config, parsed, problems)


def read_and_parse(
    files: Iterable[NoteFile], config: Config, jobs: int | None = None
) -> list[ParsedNote]:
    """Every file parsed, in order; on several cores when there are many (`jobs`: at most)."""
    from .cache import parse_notes

    return parse_notes(list(files), config.contact_rule, jobs)


def build_index(
    root: Path, config: Config, parsed: Iterable[ParsedNote], problems: Iterable[Problem] = ()
) -> Index:
    """Pure: the index of already parsed notes."""
    all_problems = list(problems)
    notes: dict[str, Note] = {}
    for item in parsed:
        notes[item.note.path] = item.note
        all_problems.extend(item.problems)
    index = Index(root=root, config=config, notes=notes, problems=all_problems)
    _index_names(index)
    _index_links(index)
    _index_interactions(index)
    index.contacts.sort(key=lambda c: (fold(c.name), c.path))
    index.problems.sort(key=lambda p: (p.path, p.line, p.code))
    return index


@dataclass(frozen=True, slots=True)
class NameEntry:
    """What a contact is called, for `assign_names`."""

    path: str
    title: str  # the file name without `.md`
    name: str
    aliases: tuple[str, ...]
    name_line: int
    aliases_line: int


def assign_names(
    entries: Sequence[NameEntry], other_titles: Iterable[tuple[str, str]] = ()
) -> tuple[dict[str, str], list[Problem]]:
    """Which note each folded title, contact name and alias finds, and the clashes.

    File names come first: `[[Sam Lee]]` is the note called Sam Lee, as in Obsidian, even
    when another person's `name:` is Sam Lee too (`other_titles`: the (path, title) of notes
    that are not contacts); then names, then aliases. Two people may share a name (their
    file names tell them apart): a `name:` that another contact's file name, name or alias
    already has is information (`same-name`), not an error. Two contacts' file names, or an
    alias another contact already has as file name or alias, is a `duplicate-name` error.
    `entries` come in path order; the first note keeps a contested label.
    """
    owners: dict[str, str] = {}
    claimed_as: dict[str, str] = {}  # folded label -> "title", "name" or "alias"
    contacts = {entry.path for entry in entries}
    problems: list[Problem] = []

    def claim(entry: NameEntry, label: str, line: int, kind: str) -> None:
        folded = fold(label)
        if not folded:
            return
        other = owners.setdefault(folded, entry.path)
        claimed_as.setdefault(folded, kind)
        if other == entry.path or other not in contacts:  # not a contact: its file name wins
            return
        if kind == "name" or (kind == "alias" and claimed_as[folded] == "name"):
            message = (
                f"{other} is also called {label!r}; links and commands tell them apart by "
                "file name"
            )
            problems.append(Problem(entry.path, line, "info", "same-name", message))
            return
        message = f"name or alias {label!r} is also used by {other}"
        problems.append(Problem(entry.path, line, "error", "duplicate-name", message))

    for entry in entries:
        claim(entry, entry.title, 1, "title")
    for path, title in other_titles:
        owners.setdefault(fold(title), path)
    for entry in entries:
        if fold(entry.name) != fold(entry.title):
            claim(entry, entry.name, entry.name_line, "name")
    for entry in entries:
        for alias in entry.aliases:
            if fold(alias) not in (fold(entry.title), fold(entry.name)):
                claim(entry, alias, entry.aliases_line, "alias")
    return owners, problems


def _index_names(index: Index) -> None:
    entries: list[NameEntry] = []
    for path, note in sorted(index.notes.items()):
        index._paths[fold(path[:-3] if path.lower().endswith(".md") else path)] = path
        contact = note.contact
        if contact is None:
            continue
        index.contacts.append(contact)
        entries.append(
            NameEntry(
                path,
                note.title,
                contact.name,
                contact.aliases,
                note.key_lines.get("name", 1),
                note.key_lines.get("aliases", 1),
            )
        )
    others = [(path, note.title) for path, note in sorted(index.notes.items()) if not note.contact]
    owners, problems = assign_names(entries, others)
    index.problems.extend(problems)
    index._keys.update(owners)


def _index_links(index: Index) -> None:
    backlinks: dict[str, list[str]] = defaultdict(list)
    for path, note in index.notes.items():
        out: list[str] = []
        for link in note.links:
            target = index.resolve(link.target)
            if target is None:
                index.problems.append(
                    Problem(
                        path,
                        link.line,
                        "warning",
                        "broken-link",
                        f"[[{link.target}]] matches no note"
                        + _did_you_mean(index, link.target),
                    )
                )
                continue
            if target != path and target not in out:
                out.append(target)
                backlinks[target].append(path)
        index._links_out[path] = out
    index._backlinks = dict(backlinks)


def _did_you_mean(index: Index, target: str) -> str:
    suggestions = index.suggest(target, limit=2)
    return f" (did you mean {_either(suggestions)}?)" if suggestions else ""


def _index_interactions(index: Index) -> None:
    found: dict[str, list[Interaction]] = defaultdict(list)
    tasks: dict[str, list[Task]] = defaultdict(list)
    for path, note in index.notes.items():
        if note.contact is not None:
            found[path].extend(note.interactions)
            for task in note.tasks:
                tasks[path].append(task)
                index._task_people[(task.path, task.line)] = (path,)
            continue
        for interaction in note.interactions:
            for person in _contacts_named(index, interaction.links):
                found[person].append(interaction)
        for task in note.tasks:
            people = tuple(_contacts_named(index, task.links))
            index._task_people[(task.path, task.line)] = people
            for person in people:
                tasks[person].append(task)
    # A dated note (daily note) is one interaction per contact it mentions, per day.
    for path, note in index.notes.items():
        if note.date is None or note.contact is not None:
            continue
        seen: set[str] = set()
        for link in note.mention_links:
            for person in _contacts_named(index, (link.target,)):
                if person in seen:
                    continue
                seen.add(person)
                if any(i.date == note.date for i in found[person]):
                    continue
                found[person].append(
                    Interaction(
                        date=note.date,
                        channel=note.mention_channels.get(link.line),
                        text=f"mentioned in [[{note.title}]]",
                        path=path,
                        line=link.line,
                    )
                )
    for person, items in found.items():
        items.sort(key=lambda i: (i.date, i.path, i.line))
        index._interactions[person] = items
    for person, open_tasks in tasks.items():
        open_tasks.sort(key=lambda t: (t.due or date.max, t.path, t.line))
        index._tasks[person] = open_tasks


def _contacts_named(index: Index, targets: Iterable[str]) -> list[str]:
    people: list[str] = []
    for target in targets:
        path = index.resolve(target)
        if path and index.notes[path].contact is not None and path not in people:
            people.append(path)
    return people
