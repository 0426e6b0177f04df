"""The index of a vault as commands see it: contacts by name, the link graph, interactions,
tasks and problems.

`load_index(root)` brings the vault's SQLite index up to date (netvault.store) and returns an
`Index` answering from it. Every answer is a query: model objects (`Contact`, `Interaction`,
`Task`) are built for what a command asks about, and a note's body or front-matter is read
from its file only when someone asks for that note (`index.notes[path]`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Config, load_config
from .errors import NetvaultError
from .model import (
    Birthday,
    Consent,
    Contact,
    Interaction,
    Move,
    Note,
    ParsedNote,
    Problem,
    Task,
)
from .store import (
    CONTACT_FIELDS,
    LINES,
    MEMORY_MAX_NOTES,
    OTHER_TITLE,
    SEARCHED_FIELDS,
    SEARCHED_LISTS,
    Changes,
    Store,
    bulk_allocation,
    cache_disabled,
    either,
    fill,
    link_hints,
    note_of,
    split,
    store_of_parsed,
    suggest_names,
    suggestion_names,
)
from .text import fold
from .vaultfs import walk_notes

if TYPE_CHECKING:
    from .resolve import NameEntry

# Once questions about single contacts have asked about one contact in this many (a list of
# everyone due, say), one query answers them all; before, one lookup each is cheaper.
_BULK_SHARE = 8
# Kinds of links (store.SCHEMA) that say two people know each other.
_CONNECTING = "('mention', 'link')"
_CONTACT_COLUMNS = ", ".join(
    ("path", *CONTACT_FIELDS, "seen", "last_day", "interactions", "gave", "got")
)
_INTERACTION_COLUMNS = (
    "SELECT i.contact, i.day, i.channel, i.src, i.line, it.text, it.favor, it.links, f.title "
)
_INTERACTION_DETAILS = (
    "LEFT JOIN items it ON it.src = i.src AND it.ord = i.item "
    "LEFT JOIN files f ON i.item IS NULL AND f.path = i.src"
)
_INTERACTION_QUERY = f"{_INTERACTION_COLUMNS} FROM interactions i {_INTERACTION_DETAILS}"
# Each contact's latest interaction: contacts first, so each is one lookup.
_LAST_INTERACTIONS = (
    f"{_INTERACTION_COLUMNS} FROM contacts c CROSS JOIN interactions i "
    f"ON i.contact = c.path AND i.seq = c.interactions - 1 {_INTERACTION_DETAILS}"
)
_TASK_QUERY = (
    "SELECT p.contact, t.src, t.line, t.text, t.due, t.links FROM task_people p "
    "JOIN tasks t ON t.src = p.src AND t.ord = p.task"
)


class UnknownName(NetvaultError, LookupError):
    """No contact matches; carries near misses for a "did you mean"."""

    def __init__(self, query: str, suggestions: Sequence[str]) -> None:
        self.query = query
        self.suggestions = list(suggestions)
        hint = f"; did you mean {either(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"no contact named {query!r}{hint}")


class _Days(dict[int | None, date | None]):
    """Day ordinals as dates, each made once; `days[None]` is None. A dict, so that the
    lookup every row makes is a subscript, not a Python call."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, ordinal: int | None) -> date | None:
        made = self[ordinal] = None if ordinal is None else date.fromordinal(ordinal)
        return made


class _Lists(dict[str | None, tuple[str, ...]]):
    """List fields many contacts share (tags, relationships, topics), each split once."""

    def __missing__(self, value: str | None) -> tuple[str, ...]:
        made = self[value] = split(value)
        return made


_CONSENTS = {(a, b): Consent(a, b) for a in ("yes", "ask", "no") for b in ("yes", "ask", "no")}


def _birthday(text: str | None) -> Birthday | None:
    if text is None:
        return None
    if text.startswith("--"):
        return Birthday(int(text[2:4]), int(text[5:7]))
    year, month, day = text.split("-")
    return Birthday(int(month), int(day), int(year))


class Notes(Mapping[str, Note]):
    """Every note of the vault by path; a note is read and parsed when it is asked for."""

    def __init__(self, index: Index) -> None:
        self._index = index
        self._read: dict[str, Note] = {}

    def __getitem__(self, path: str) -> Note:
        found = self._read.get(path)
        if found is None:
            if not self._index.has_note(path):
                raise KeyError(path)
            note = note_of(self._index.root, path, self._index.config.contact_rule)
            if note is None:  # gone since the index was refreshed
                raise KeyError(path)
            found = self._read[path] = note
        return found

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self._index.has_note(path)

    def __iter__(self) -> Iterator[str]:
        return iter(self._index.note_paths())

    def __len__(self) -> int:
        return self._index.note_count


class Index:
    """Answers about one vault, from its index database."""

    def __init__(self, root: Path, config: Config, store: Store,
                 base_problems: Iterable[Problem] = ()) -> None:
        self.root = root
        self.config = config
        self.store = store
        self.base_problems = list(base_problems)
        self.notes = Notes(self)
        self._day = _Days()
        self._lists = _Lists()
        self._contacts: list[Contact] | None = None
        self._by_path: dict[str, Contact | None] = {}
        # path -> (met in person, last interaction day, interactions, gave, got)
        self._stats: dict[str, tuple[bool, int | None, int, int, int]] = {}
        self._resolved: dict[str, str | None] = {}
        self._interactions: dict[str, list[Interaction]] = {}
        self._last: dict[str, Interaction | None] = {}
        self._tasks: dict[str, list[Task]] | None = None
        self._tasks_of: dict[str, list[Task]] = {}
        self._asked = {"last": 0, "tasks": 0}
        self._bulk: int | None = None
        self._carried: tuple[Index, frozenset[str]] | None = None
        self._problems: list[Problem] | None = None
        self._names: dict[str, str] | None = None

    def carry_over(self, previous: Index, changed: Iterable[str]) -> None:
        """Keep the contacts `previous` (an index of this store before a refresh) made, but
        for those the refresh changed: a watcher's next index need not make them all again.
        Done when the contacts are first asked for."""
        if previous._contacts is not None or previous._carried is not None:
            self._carried = (previous, frozenset(changed))

    def _take_over(self) -> None:
        previous, changed = self._carried  # type: ignore[misc]
        self._carried = None
        old = previous.contacts
        self._stats.update((p, s) for p, s in previous._stats.items() if p not in changed)
        self._day, self._lists = previous._day, previous._lists
        made = self.contacts_among(changed)  # only these are read again
        kept = [c for c in old if c.path not in changed]
        self._contacts = sorted([*kept, *made], key=lambda c: (fold(c.name), c.path))
        self._by_path = {c.path: c for c in self._contacts}

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        return self.store.query(sql, args)

    # ---- contacts -----------------------------------------------------------------------
    def _contact(self, row: Sequence[Any]) -> Contact:
        day, shared = self._day, self._lists
        contact = Contact(
            row[1], row[0], split(row[2]), shared[row[3]], row[4], day[row[5]], day[row[6]],
            bool(row[7]), shared[row[8]], row[9], row[10], row[11], split(row[12]),
            split(row[13]), split(row[14]), row[15], _CONSENTS[(row[16], row[17])], row[18],
            shared[row[19]], shared[row[20]], shared[row[21]], bool(row[22]),
            _birthday(row[23]), day[row[24]], row[25], row[26],
            self._moves(row[27]) if row[27] else (),
        )
        self._stats[row[0]] = (bool(row[28]), row[29], row[30], row[31], row[32])
        return contact

    def _moves(self, text: str) -> tuple[Move, ...]:
        return tuple(Move(self._day[d], t, line) for d, t, line in json.loads(text))  # type: ignore[arg-type]

    @property
    def contacts(self) -> list[Contact]:
        """Every contact, by folded name, then path."""
        if self._contacts is None and self._carried is not None:
            self._take_over()
        if self._contacts is None:
            rows = self._query(f"SELECT {_CONTACT_COLUMNS} FROM contacts ORDER BY name_key, path")
            with bulk_allocation():
                made = [self._contact(row) for row in rows]
            self._by_path.update((c.path, c) for c in made)
            self._contacts = made
        return self._contacts

    def contacts_among(self, paths: Iterable[str]) -> list[Contact]:
        """The contacts at these paths, in the order of `contacts`."""
        wanted = set(paths)
        if self._contacts is not None or len(wanted) * 2 > self.contact_count:
            return [c for c in self.contacts if c.path in wanted]
        with self.store.lock:
            db = self.store.db
            fill(db, "t_wanted", wanted)
            rows = db.execute(f"SELECT {_CONTACT_COLUMNS} FROM contacts WHERE path IN "
                              "(SELECT v FROM t_wanted) ORDER BY name_key, path").fetchall()
        found = []
        for row in rows:
            contact = self._by_path.get(row[0]) or self._contact(row)
            self._by_path[row[0]] = contact
            found.append(contact)
        return found

    def details(self) -> list[tuple[str, str, tuple[str, ...], tuple[str, ...],
                                    tuple[str, ...], Consent]]:
        """(path, name, e-mails, phones, links, consent) of every contact with an e-mail
        address, phone number or link: everyone whose details a `privacy.Masker` may have
        to hide, by path."""
        return [
            (path, name, split(emails), split(phones), split(links), _CONSENTS[(share, intro)])
            for path, name, emails, phones, links, share, intro in self._query(
                "SELECT path, name, emails, phones, links, share_contact, introductions "
                "FROM contacts WHERE emails IS NOT NULL OR phones IS NOT NULL "
                "OR links IS NOT NULL ORDER BY path")
        ]

    def contacts_with_tie(self, least: int, met_in_person: bool | None = None
                          ) -> list[Contact]:
        """The contacts with a tie of `least` or more (and met in person or not), in the
        order of `contacts`."""
        met = "" if met_in_person is None else f" AND seen = {int(met_in_person)}"
        return self.contacts_among(p for (p,) in self._query(
            f"SELECT path FROM contacts WHERE tie >= ?{met}", (least,)))

    def contacts_that_may_have_a_cadence(self, ties: Iterable[int]) -> list[Contact]:
        """The contacts with a `cadence`, `oak: true`, or one of these ties: everyone a
        keep-in-touch cadence can apply to, in the order of `contacts`."""
        wanted = sorted(set(ties))
        marks = ", ".join("?" * len(wanted))
        return self.contacts_among(p for (p,) in self._query(
            "SELECT path FROM contacts WHERE cadence_days IS NOT NULL OR oak "
            f"OR tie IN ({marks})", wanted))

    def contacts_with_moves(self) -> list[Contact]:
        """The contacts with at least one `## Career` line, in the order of `contacts`."""
        return self.contacts_among(p for (p,) in self._query(
            "SELECT path FROM contacts WHERE moves IS NOT NULL"))

    def contact_at(self, path: str) -> Contact | None:
        if path not in self._by_path:
            if self._contacts is not None:
                return None
            rows = self._query(f"SELECT {_CONTACT_COLUMNS} FROM contacts WHERE path = ?", (path,))
            self._by_path[path] = self._contact(rows[0]) if rows else None
        return self._by_path[path]

    @property
    def _bulk_after(self) -> int:
        if self._bulk is None:
            self._bulk = max(32, self.contact_count // _BULK_SHARE)
        return self._bulk

    def _stat(self, contact: Contact) -> tuple[bool, int | None, int, int, int]:
        found = self._stats.get(contact.path)
        if found is None:
            self._by_path.pop(contact.path, None)
            self.contact_at(contact.path)
            found = self._stats.get(contact.path, (contact.met_in_person, None, 0, 0, 0))
        return found

    # ---- names --------------------------------------------------------------------------
    def resolve(self, target: str) -> str | None:
        """The note a wikilink target names (file name, alias or path), as Obsidian does."""
        if target in self._resolved:
            return self._resolved[target]
        key = fold(target)
        rows = self._query(
            "SELECT path FROM labels WHERE key = ? ORDER BY rank, path LIMIT 1", (key,))
        if not rows and "/" in target:
            rows = self._query(
                "SELECT path FROM files WHERE path_key = ? ORDER BY path DESC LIMIT 1",
                (key.strip("/"),))
        found = rows[0][0] if rows else None
        self._resolved[target] = found
        return found

    def find(self, query: str) -> Contact | None:
        path = self.resolve(query)
        return self.contact_at(path) if path else None

    def lookup(self, query: str) -> Contact:
        """The contact a user means by `query` (see `netvault.resolve` for the order);
        UnknownName with suggestions when there is none, AmbiguousName when several match."""
        from .resolve import resolve_name

        found = resolve_name(query, self._name_entries(query))
        contact = self.contact_at(found.path) if found is not None else None
        if contact is None:
            raise UnknownName(query, self.suggest(query))
        return contact

    def _name_entries(self, query: str) -> list[NameEntry]:
        """Every contact `query` could mean at some level of `netvault.resolve`: those with
        a file name, name or alias starting with it (folded), or at the path it names. The
        resolver then decides among them as among all contacts."""
        from .resolve import NameEntry

        key = fold(query)
        if not key:
            return []
        path_key = fold(query.strip().removeprefix("./"))
        path_key = path_key[:-3] if path_key.endswith(".md") else path_key
        rows = self._query(
            "SELECT c.path, c.name, c.aliases FROM contacts c WHERE c.path IN ("
            f" SELECT path FROM labels WHERE rank != {OTHER_TITLE} AND key >= ? AND key < ?"
            " UNION SELECT path FROM files WHERE path_key = ?)",
            (key, key + "\U0010ffff", path_key))
        return [NameEntry(path, name, split(aliases)) for path, name, aliases in rows]

    def suggest(self, query: str, limit: int = 3) -> list[str]:
        """Contact names spelt like `query`, closest first."""
        if self._names is None:
            with self.store.lock:
                self._names = suggestion_names(self.store.db)
        return suggest_names(self._names, query, limit)[0]

    # ---- relations ----------------------------------------------------------------------
    def links_out(self, path: str) -> list[str]:
        found = self._query(
            "SELECT dst FROM links WHERE src = ? AND dst IS NOT NULL ORDER BY ord", (path,))
        return [p for p in dict.fromkeys(dst for (dst,) in found) if p != path]

    def backlinks(self, path: str) -> list[str]:
        return [src for (src,) in self._query(
            "SELECT DISTINCT src FROM links WHERE dst = ? AND src != dst ORDER BY src", (path,))]

    def links_among(self, paths: Iterable[str], connecting: bool = False
                    ) -> list[tuple[str, str]]:
        """(source, target) of each link from one of these notes to another (only the links
        that connect people, see `connected`, if asked)."""
        kinds = f" AND kind IN {_CONNECTING}" if connecting else ""
        with self.store.lock:
            db = self.store.db
            fill(db, "t_wanted", paths)
            return db.execute(
                "SELECT DISTINCT src, dst FROM links WHERE dst IN (SELECT v FROM t_wanted) "
                f"AND src IN (SELECT v FROM t_wanted){kinds}").fetchall()

    def link_targets(self) -> list[tuple[str, str]]:
        """(note, target as written) of every wikilink, front-matter values' included."""
        return self._query("SELECT src, target FROM links UNION ALL "
                           "SELECT src, target FROM meta_links")

    def connected(self, a: str, b: str) -> bool:
        """One of the two notes links to the other as people who know each other do: in its
        text, a log line or `introduced_by`; not in an open task (a plan) or a quote."""
        return a != b and bool(self._query(
            f"SELECT 1 FROM links WHERE kind IN {_CONNECTING} "
            "AND ((src = ? AND dst = ?) OR (src = ? AND dst = ?)) LIMIT 1", (a, b, b, a)))

    def linked(self, a: str, b: str) -> bool:
        return a != b and bool(self._query(
            "SELECT 1 FROM links WHERE (src = ? AND dst = ?) OR (src = ? AND dst = ?) LIMIT 1",
            (a, b, b, a)))

    def _interaction(self, row: Sequence[Any]) -> Interaction:
        _contact, day, channel, src, line, text, favor, links, title = row
        if text is None:
            return Interaction(self._day[day], channel, f"mentioned in [[{title}]]", src,  # type: ignore[arg-type]
                               line)
        return Interaction(self._day[day], channel, text, src, line, favor,  # type: ignore[arg-type]
                           split(links, LINES))

    def interactions(self, contact: Contact) -> list[Interaction]:
        """Every interaction with the contact, oldest first."""
        found = self._interactions.get(contact.path)
        if found is None:
            self.load_interactions((contact,))
            found = self._interactions[contact.path]
        return found

    def load_interactions(self, contacts: Iterable[Contact]) -> None:
        """Read the interactions of many contacts at once (before asking for each)."""
        wanted = {c.path for c in contacts} - self._interactions.keys()
        if not wanted:
            return
        with self.store.lock:
            fill(self.store.db, "t_wanted", wanted)
            rows = self.store.db.execute(
                f"{_INTERACTION_COLUMNS} FROM interactions i {_INTERACTION_DETAILS} "
                "WHERE i.contact IN (SELECT v FROM t_wanted) ORDER BY i.contact, i.seq"
            ).fetchall()
        for path in wanted:
            self._interactions[path] = []
        for row in rows:
            self._interactions[row[0]].append(self._interaction(row))

    def load_details(self, contacts: Iterable[Contact]) -> None:
        """Read the latest interaction and the open tasks of many contacts at once (before
        asking for each): two queries, not two for each contact."""
        wanted = {c.path for c in contacts} - self._tasks_of.keys()
        if not wanted or self._tasks is not None:
            return
        with self.store.lock:
            db = self.store.db
            fill(db, "t_wanted", wanted)
            last = db.execute(
                f"{_LAST_INTERACTIONS} WHERE c.path IN (SELECT v FROM t_wanted)").fetchall()
            tasks = db.execute(
                f"{_TASK_QUERY} WHERE p.contact IN (SELECT v FROM t_wanted)").fetchall()
        for row in last:
            self._last.setdefault(row[0], self._interaction(row))
        grouped: dict[str, list[Task]] = {path: [] for path in wanted}
        for row in tasks:
            grouped[row[0]].append(self._task(row))
        for path, found in grouped.items():
            found.sort(key=_task_order)
            self._tasks_of[path] = found

    def last_interaction(self, contact: Contact, today: date | None = None) -> Interaction | None:
        _seen, last_day, count, _gave, _got = self._stat(contact)
        if last_day is None:
            return None
        if today is not None and last_day > today.toordinal():
            rows = self._query(
                f"{_INTERACTION_QUERY} WHERE i.contact = ? AND i.day <= ? "
                "ORDER BY i.seq DESC LIMIT 1", (contact.path, today.toordinal()))
            return self._interaction(rows[0]) if rows else None
        if contact.path in self._interactions:
            return self._interactions[contact.path][-1]
        if contact.path not in self._last:
            self._asked["last"] += 1
            if self._asked["last"] > self._bulk_after:
                rows = self._query(_LAST_INTERACTIONS)
            else:
                rows = self._query(f"{_INTERACTION_QUERY} WHERE i.contact = ? AND i.seq = ?",
                                   (contact.path, count - 1))
            for row in rows:
                self._last.setdefault(row[0], self._interaction(row))
        return self._last.get(contact.path)

    def last_contact(self, contact: Contact, today: date | None = None) -> date | None:
        """When you were last in touch: `last_met` or the latest interaction, whichever is later."""
        met = contact.last_met
        last_day = self._stat(contact)[1]
        if last_day is None:
            return met
        if today is None or last_day <= today.toordinal():
            latest = self._day[last_day]
        else:
            last = self.last_interaction(contact, today)
            latest = last.date if last is not None else None
        if met is None or (latest is not None and latest > met):
            return latest
        return met

    def met_in_person(self, contact: Contact) -> bool:
        return contact.met_in_person or self._stat(contact)[0]

    def interaction_count(self, contact: Contact) -> int:
        return self._stat(contact)[2]

    def key_line(self, path: str, key: str) -> int:
        """The line of a front-matter key of a contact's note (1 when it has none)."""
        rows = self._query("SELECT key_lines FROM contacts WHERE path = ?", (path,))
        lines = json.loads(rows[0][0]) if rows else {}
        return int(lines.get(key, 1))

    def distinct_from(self, contact: Contact) -> list[str]:
        """The link targets the contact's `distinct_from:` names."""
        rows = self._query("SELECT distinct_from FROM contacts WHERE path = ?", (contact.path,))
        return list(json.loads(rows[0][0])) if rows and rows[0][0] else []

    def favors(self, contact: Contact) -> tuple[int, int]:
        """(given, received)."""
        stat = self._stat(contact)
        return stat[3], stat[4]

    def _task(self, row: Sequence[Any]) -> Task:
        _who, src, line, text, due, links = row
        return Task(text, self._day[due], src, line, split(links, LINES))

    def tasks(self, contact: Contact) -> list[Task]:
        """The open tasks that concern the contact, soonest due first."""
        if self._tasks is None and contact.path not in self._tasks_of:
            self._asked["tasks"] += 1
            if self._asked["tasks"] > self._bulk_after:
                grouped: dict[str, list[Task]] = {}
                for row in self._query(_TASK_QUERY):
                    grouped.setdefault(row[0], []).append(self._task(row))
                for found in grouped.values():
                    found.sort(key=_task_order)
                self._tasks = grouped
            else:
                found = [self._task(r) for r in self._query(f"{_TASK_QUERY} WHERE p.contact = ?",
                                                            (contact.path,))]
                found.sort(key=_task_order)
                self._tasks_of[contact.path] = found
        if self._tasks is not None:
            return self._tasks.get(contact.path, [])
        return self._tasks_of[contact.path]

    def all_tasks(self) -> list[tuple[Task, list[Contact]]]:
        """Every open task in the vault, with the contacts it concerns."""
        rows = self._query(
            "SELECT p.contact, t.src, t.line, t.text, t.due, t.links, t.ord FROM tasks t "
            "LEFT JOIN task_people p ON p.src = t.src AND p.task = t.ord "
            "ORDER BY t.src, t.ord, p.pos")
        # One query for everyone concerned, not one each when contact_at asks.
        self.contacts_among({row[0] for row in rows if row[0] is not None})
        result: list[tuple[Task, list[Contact]]] = []
        last: tuple[str, int] | None = None
        for row in rows:
            if (row[1], row[6]) != last:
                last = (row[1], row[6])
                result.append((self._task(row[:6]), []))
            if row[0] is not None and (person := self.contact_at(row[0])) is not None:
                result[-1][1].append(person)
        return result

    # ---- text -----------------------------------------------------------------------------
    def texts_containing(self, needle: str) -> dict[str, str]:
        """Contacts whose folded searched values (store.SEARCHED_FIELDS) or note text may
        hold `needle` (folded), each with its folded note text. Every contact that does is
        there."""
        args: tuple[str, ...] = ()
        if len(needle) < 3:  # no trigram to look up: every contact may
            where = ""
        else:
            grams = dict.fromkeys(needle[i : i + 3] for i in range(len(needle) - 2))
            query = " AND ".join('"' + gram.replace('"', '""') + '"' for gram in grams)
            where, args = "WHERE body_text MATCH ?", (query,)
        return dict(self._query(
            f"SELECT f.path, b.body FROM body_text b JOIN files f ON f.id = b.rowid {where}", args))

    def searchable(self, paths: Iterable[str]) -> list[tuple[str, str, list[tuple[str, str]]]]:
        """(path, name, searched values) of these contacts, in contacts' order; the values
        as (front-matter key, value as written), one per item of a list, in the order of
        store.SEARCHED_FIELDS."""
        with self.store.lock:
            db = self.store.db
            fill(db, "t_wanted", paths)
            rows = db.execute(
                f"SELECT path, {', '.join(SEARCHED_FIELDS)} FROM contacts WHERE path IN "
                "(SELECT v FROM t_wanted) ORDER BY name_key, path").fetchall()
        found = []
        for path, *values in rows:
            fields = [(key, item) for key, value in zip(SEARCHED_FIELDS, values, strict=True)
                      for item in (split(value) if key in SEARCHED_LISTS else (value,)) if item]
            found.append((path, values[0], fields))
        return found

    def terms(self, kind: int, shortest: int, longest: int) -> list[str]:
        """Distinct folded values (kind 0) or words (kind 1) of contacts' searched values
        (store.SEARCHED_FIELDS), of `shortest` to `longest` characters."""
        return [t for (t,) in self._query(
            "SELECT DISTINCT term FROM terms WHERE kind = ? AND length(term) BETWEEN ? AND ?",
            (kind, shortest, longest))]

    def holders(self, terms: Iterable[str]) -> set[str]:
        """The contacts with any of these folded values or words."""
        with self.store.lock:
            db = self.store.db
            fill(db, "t_terms", terms)
            return {p for (p,) in db.execute(
                "SELECT DISTINCT path FROM terms WHERE term IN (SELECT v FROM t_terms)")}

    # ---- who works where and who mentions whom (warm paths) -------------------------------
    def employers_and_possessives(self, paths: Iterable[str]
                                  ) -> dict[str, tuple[str, list[tuple[str, str]]]]:
        """For each contact: the possessive its pronouns ask for, and the employers its note
        names (folded, as written), first mention first."""
        with self.store.lock:
            db = self.store.db
            fill(db, "t_wanted", paths)
            found: dict[str, tuple[str, list[tuple[str, str]]]] = {
                path: (possessive, []) for path, possessive in db.execute(
                "SELECT path, possessive FROM contacts WHERE path IN (SELECT v FROM t_wanted)")}
            for path, key, written in db.execute(
                    "SELECT path, key, written FROM employers WHERE path IN "
                    "(SELECT v FROM t_wanted) ORDER BY path, ord"):
                found[path][1].append((key, written))
        return found

    def employer_candidates(self, company: str, names: Sequence[str]) -> set[str]:
        """Contacts whose current or a past employer (folded) is `company`, starts with its
        words, or is one of `names`."""
        args = (company, company + " ", company + "!", *names)
        marks = ", ".join("?" * len(names))
        return {p for (p,) in self._query(
            "SELECT path FROM contacts WHERE company_key = ? OR (company_key >= ? AND "
            f"company_key < ?) OR company_key IN ({marks}) UNION SELECT path FROM employers "
            f"WHERE key = ? OR (key >= ? AND key < ?) OR key IN ({marks})", args + args)}

    def named(self, runs: Iterable[str]) -> set[str]:
        """Contacts one of whose names (as words, see facts.mention_names) is in `runs`."""
        with self.store.lock:
            db = self.store.db
            fill(db, "t_terms", runs)
            return {p for (p,) in db.execute(
                "SELECT DISTINCT path FROM mention_names WHERE words IN (SELECT v FROM t_terms)")}

    def mention_names(self, path: str) -> list[str]:
        return [w for (w,) in self._query(
            "SELECT words FROM mention_names WHERE path = ? ORDER BY words", (path,))]

    def mention_name_rows(self) -> list[tuple[str, str]]:
        """(name as words, path) of every contact."""
        return [(w, p) for w, p in self._query("SELECT words, path FROM mention_names")]

    def note_words_of_contacts(self) -> dict[str, str]:
        """Every contact's note text as folded words, one space apart."""
        return dict(self._query(
            "SELECT f.path, w.words FROM word_text w JOIN files f ON f.id = w.rowid"))

    def longest_name(self) -> int:
        """The most words any contact's name (or longer alias) has."""
        return int(self._query("SELECT coalesce(max(size), 0) FROM mention_names")[0][0])

    def note_words(self, path: str) -> str:
        """A contact's note text as folded words, one space apart."""
        rows = self._query("SELECT w.words FROM word_text w JOIN files f ON f.id = w.rowid "
                           "WHERE f.path = ?", (path,))
        return str(rows[0][0]) if rows else ""

    def notes_with_words(self, run: str) -> dict[str, str]:
        """Contacts whose note text may hold the words `run` (one space apart) in a row, with
        their text as words. Every contact whose text does is there."""
        args: tuple[str, ...]
        where, args = "", ()  # nothing the full-text index keeps: every note
        if any(ch.isalnum() for ch in run):
            where, args = "WHERE word_text MATCH ?", ('"' + run.replace('"', '""') + '"',)
        return dict(self._query(
            f"SELECT f.path, w.words FROM word_text w JOIN files f ON f.id = w.rowid {where}",
            args))

    def roles(self) -> list[tuple[str, str | None, tuple[str, ...]]]:
        """(path, role, relationships) of every contact."""
        return [(path, role, split(relationship)) for path, role, relationship in self._query(
            "SELECT path, role, relationship FROM contacts")]

    # ---- notes and problems --------------------------------------------------------------
    def has_note(self, path: str) -> bool:
        return bool(self._query("SELECT 1 FROM files WHERE path = ?", (path,)))

    def note_paths(self) -> list[str]:
        return [p for (p,) in self._query("SELECT path FROM files ORDER BY path")]

    def title(self, path: str) -> str | None:
        rows = self._query("SELECT title FROM files WHERE path = ?", (path,))
        return rows[0][0] if rows else None

    def intro_notes(self) -> list[Note]:
        """The notes of the intros folder with `type: intro`, by path, with the front-matter
        values an introduction is read from (see facts.INTRO_KEYS)."""
        from .facts import decode_values

        folder = self.config.intros_folder.rstrip("/") + "/"
        rows = self._query(
            "SELECT i.path, f.title, i.vals, i.lines FROM intros i JOIN files f USING (path) "
            "WHERE substr(i.path, 1, ?) = ? ORDER BY i.path", (len(folder), folder))
        return [
            Note(path=path, title=title, meta={"type": "intro", **decode_values(vals)},
                 key_lines=json.loads(lines))
            for path, title, vals, lines in rows
        ]

    @property
    def problems(self) -> list[Problem]:
        """Every problem in the vault, by path, line and code."""
        if self._problems is None:
            found: list[tuple[Problem, int, int]] = [
                (p, 0, n) for n, p in enumerate(self.base_problems)]
            for path, line, severity, code, message, phase, ord_ in self._query(
                    "SELECT path, line, severity, code, message, phase, ord FROM problems"):
                found.append((Problem(path, line, severity, code, message), phase, ord_))
            names = self._query("SELECT value FROM meta WHERE key = 'names'")
            broken = self._query(
                "SELECT src, line, target, hint, ord FROM links WHERE dst IS NULL")
            missing = {target for _, _, target, hint, _ in broken if hint is None}
            hints: dict[str, tuple[str, str]] = {}
            if missing:  # worked out once, then kept until names change
                with self.store.lock:
                    hints = link_hints(self.store.db, missing)
                self.store.save_hints(names[0][0] if names else None, [
                    (*hints[target], src, ord_)
                    for src, _, target, hint, ord_ in broken if hint is None])
            for src, line, target, hint, ord_ in broken:
                shown = hints[target][0] if hint is None else hint
                message = f"[[{target}]] matches no note{shown}"
                found.append((Problem(src, line, "warning", "broken-link", message), 3, ord_))
            found.sort(key=lambda x: (x[0].path, x[0].line, x[0].code, x[1], x[2]))
            self._problems = [p for p, _, _ in found]
        return self._problems

    def error_paths(self) -> set[str]:
        """The notes (and files) with at least one error."""
        found = {p.path for p in self.base_problems if p.severity == "error"}
        found.update(p for (p,) in self._query(
            "SELECT DISTINCT path FROM problems WHERE severity = 'error'"))
        return found

    @property
    def contact_count(self) -> int:
        if self._contacts is not None:
            return len(self._contacts)
        return int(self._query("SELECT count(*) FROM contacts")[0][0])

    @property
    def note_count(self) -> int:
        return int(self._query("SELECT count(*) FROM files")[0][0])

    @property
    def error_count(self) -> int:
        return sum(1 for p in self.base_problems if p.severity == "error") + int(
            self._query("SELECT count(*) FROM problems WHERE severity = 'error'")[0][0])


def _task_order(task: Task) -> tuple[date, str, int]:
    return (task.due or date.max, task.path, task.line)


def load_index(root: Path, config: Config | None = None, *, use_cache: bool | None = None
               ) -> Index:
    """The index of the vault at `root`, brought up to date with its notes. `use_cache`:
    keep it in the user's cache folder (True) or in memory (False); by default a file from
    MEMORY_MAX_NOTES notes on, unless NETVAULT_NO_CACHE is set."""
    index, _changes = refreshed_index(root, config, use_cache=use_cache)
    return index


def refreshed_index(root: Path, config: Config | None = None, store: Store | None = None,
                    *, use_cache: bool | None = None) -> tuple[Index, Changes]:
    """Walk the vault, refresh its index (see `load_index`; or `store`, already open) and
    return it with what the refresh changed."""
    root = root.resolve()
    problems: list[Problem] = []
    if config is None:
        config, config_problems = load_config(root)
        problems.extend(config_problems)
    started = time.time_ns()
    files, fs_problems = walk_notes(root)
    problems.extend(fs_problems)
    if store is None:
        if use_cache is None:
            use_cache = not cache_disabled() and len(files) >= MEMORY_MAX_NOTES
        store = Store.open(root, config, in_memory=not use_cache)
    changes = store.refresh(files, started)
    store.begin_read()
    return Index(root, config, store, problems), changes


def build_index(
    root: Path, config: Config, parsed: Iterable[ParsedNote], problems: Iterable[Problem] = ()
) -> Index:
    """The index of already parsed notes, in memory (what a refresh would make of them)."""
    return Index(root, config, store_of_parsed(config, parsed), problems)
