"""The vault's index: one SQLite database that every command queries, refreshed from the notes.

Where it lives: `$XDG_CACHE_HOME/netvault/<digest of the vault's real path>/index.sqlite`,
outside the vault (as Obsidian keeps its metadata cache), so a cloned or synced vault never
carries an index and nobody can plant one. Small vaults (and `NETVAULT_NO_CACHE=1`) get the
same database in memory: one code path either way. The file is disposable: a corrupt one, one
from another schema (`PRAGMA user_version`) or another program (`PRAGMA application_id`) is
deleted and built again; it is opened with `trusted_schema=OFF`.

Refreshing (`Store.refresh`) is one transaction, so a reader never sees half of one:
1. Every note's stamp (size, mtime_ns, ctime_ns, inode, as git's index keeps) is compared
   with the stored one. A changed stamp whose content digest is unchanged (a `git checkout`)
   is re-stamped, not re-parsed; an unchanged stamp too close to the moment the note was
   read ("racily clean": a later write in the same clock tick would not move it) is
   re-checked by its digest.
2. New and changed notes are parsed (on several cores when there are many) and their rows
   replaced; deleted notes' rows are removed.
3. What depends on several notes is recomputed for what the change can affect only: link
   targets whose name or path changed hands, duplicate names, the broken links' "did you
   mean", and each affected contact's interactions and open tasks.
Two processes refreshing at once serialise on `BEGIN IMMEDIATE` (WAL journal); the second
finds the work done. `Index` (netvault.index) answers every question from these tables.
"""

from __future__ import annotations

import gc
import hashlib
import json
import marshal
import os
import sqlite3
import stat
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, NamedTuple

from . import __version__
from .config import Config
from .errors import NetvaultError
from .text import fold, fold_text
from .vaultfs import NoteFile, read_note_bytes

if TYPE_CHECKING:
    from .model import ContactRule, Note, ParsedNote

# 2: search also covers location, offers, needs and interests (issue 14).
SCHEMA_VERSION = 2
APPLICATION_ID = 0x6E764958  # "nvIX"
# Bump when what a note's rows hold changes (a parser change): every note is read again.
ROWS_FORMAT = 1
INDEX_FILE = "index.sqlite"
NO_CACHE_ENV = "NETVAULT_NO_CACHE"
# Smaller vaults parse in a few tens of milliseconds: a file would only add work.
MEMORY_MAX_NOTES = 200
# Mtimes this close to the moment a note was read may hide a later write (coarse clocks).
RACY_NS = 2_000_000_000
# How long to wait for another process's refresh (a cold one of a huge vault takes a while).
BUSY_SECONDS = 300.0
# Below this many notes to parse, a process pool costs more than it saves.
POOL_MIN_FILES = 1000
POOL_CHUNK_MIN = 100
POOL_CHUNK_MAX = 500
# Joins the items of a contact's list fields: whitespace inside a value is always one space
# (see parse._text), so a unit separator can never be part of one.
SEP = "\x1f"
# Joins the link targets of a line: a wikilink cannot span lines.
LINES = "\n"
# How many close spellings a broken link's "did you mean" is chosen from (Index.suggest).
HINT_LIMIT = 2
HINT_CUTOFF = 70.0

CONTACT_FIELDS = (
    "name", "aliases", "tags", "tie", "first_met", "last_met", "met_in_person", "relationship",
    "company", "role", "location", "emails", "phones", "links", "cadence_days",
    "share_contact", "introductions", "introduced_by", "offers", "needs", "interests", "oak",
    "birthday", "connected_on", "linkedin_urn", "source", "moves",
)

SCHEMA = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE files(
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL, digest BLOB, checked_ns INTEGER NOT NULL,
    title TEXT NOT NULL, path_key TEXT NOT NULL, day INTEGER, is_contact INTEGER NOT NULL
);
CREATE INDEX files_path_key ON files(path_key);
CREATE TABLE contacts(
    path TEXT PRIMARY KEY, name_key TEXT NOT NULL, company_key TEXT, possessive TEXT NOT NULL,
    key_lines TEXT NOT NULL, distinct_from TEXT,
    {", ".join(CONTACT_FIELDS)},
    -- from every note that mentions the contact (see Store._derive_interactions):
    seen INTEGER NOT NULL DEFAULT 0, last_day INTEGER, interactions INTEGER NOT NULL DEFAULT 0,
    gave INTEGER NOT NULL DEFAULT 0, got INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX contacts_order ON contacts(name_key, path);
CREATE INDEX contacts_company ON contacts(company_key);
-- What a [[link]] or a typed name can find: rank 0 a contact's file name, 1 another note's,
-- 2 a contact's name, 3 an alias (TITLE ... ALIAS); the lowest rank, then path, keeps it.
CREATE TABLE labels(
    key TEXT NOT NULL, rank INTEGER NOT NULL, path TEXT NOT NULL, ord INTEGER NOT NULL,
    label TEXT NOT NULL, line INTEGER NOT NULL,
    PRIMARY KEY (path, rank, ord)
) WITHOUT ROWID;
CREATE INDEX labels_key ON labels(key, rank, path);
-- Every wikilink: kind 'link' (front-matter), 'mention', 'task' or 'quote'; dst is the note
-- it resolves to; hint the "did you mean" of a broken one, from hint_keys' close spellings.
CREATE TABLE links(
    src TEXT NOT NULL, ord INTEGER NOT NULL, target TEXT NOT NULL, key TEXT NOT NULL,
    pkey TEXT, line INTEGER NOT NULL, kind TEXT NOT NULL, channel TEXT, dst TEXT,
    hint TEXT, hint_keys TEXT,
    PRIMARY KEY (src, ord)
) WITHOUT ROWID;
CREATE INDEX links_key ON links(key);
CREATE INDEX links_pkey ON links(pkey) WHERE pkey IS NOT NULL;
CREATE INDEX links_dst ON links(dst, kind, src);
CREATE INDEX links_broken ON links(key) WHERE dst IS NULL;
CREATE TABLE meta_links(src TEXT NOT NULL, ord INTEGER NOT NULL, target TEXT NOT NULL,
                        PRIMARY KEY (src, ord)) WITHOUT ROWID;
-- Dated list items ("- 2026-11-20 (call) ...") as written, and open tasks.
CREATE TABLE items(
    src TEXT NOT NULL, ord INTEGER NOT NULL, line INTEGER NOT NULL, day INTEGER NOT NULL,
    channel TEXT, text TEXT NOT NULL, favor TEXT, links TEXT NOT NULL,
    PRIMARY KEY (src, ord)
) WITHOUT ROWID;
CREATE TABLE tasks(
    src TEXT NOT NULL, ord INTEGER NOT NULL, line INTEGER NOT NULL, text TEXT NOT NULL,
    due INTEGER, links TEXT NOT NULL,
    PRIMARY KEY (src, ord)
) WITHOUT ROWID;
-- Each contact's interactions, oldest first: their own log (item), lines of other notes
-- linking them (item), and days dated notes mention them (no item).
CREATE TABLE interactions(
    contact TEXT NOT NULL, seq INTEGER NOT NULL, day INTEGER NOT NULL, src TEXT NOT NULL,
    line INTEGER NOT NULL, item INTEGER, channel TEXT,
    PRIMARY KEY (contact, seq)
) WITHOUT ROWID;
CREATE INDEX interactions_src ON interactions(src);
CREATE TABLE task_people(
    src TEXT NOT NULL, task INTEGER NOT NULL, pos INTEGER NOT NULL, contact TEXT NOT NULL,
    PRIMARY KEY (src, task, pos)
) WITHOUT ROWID;
CREATE INDEX task_people_contact ON task_people(contact);
-- phase 1: the parser's, in its order; phase 2: duplicate names (ord: the label's).
CREATE TABLE problems(
    path TEXT NOT NULL, line INTEGER NOT NULL, severity TEXT NOT NULL, code TEXT NOT NULL,
    message TEXT NOT NULL, phase INTEGER NOT NULL, ord INTEGER NOT NULL,
    PRIMARY KEY (path, phase, ord)
) WITHOUT ROWID;
CREATE TABLE intros(path TEXT PRIMARY KEY, vals TEXT NOT NULL, lines TEXT NOT NULL)
    WITHOUT ROWID;
CREATE TABLE employers(path TEXT NOT NULL, ord INTEGER NOT NULL, key TEXT NOT NULL,
                       written TEXT NOT NULL, PRIMARY KEY (path, ord)) WITHOUT ROWID;
CREATE INDEX employers_key ON employers(key);
-- What `search` matches, folded: each contact's names, company, role, location, offers,
-- needs, interests and tags (SEARCHED_FIELDS) as whole values (kind 0) and as words (kind 1),
-- for close spellings; and (trigram: any substring) the same fields and the note's text.
-- rowid = files.id.
CREATE TABLE terms(term TEXT NOT NULL, kind INTEGER NOT NULL, path TEXT NOT NULL,
                   PRIMARY KEY (path, kind, term)) WITHOUT ROWID;
CREATE INDEX terms_length ON terms(kind, length(term));
CREATE INDEX terms_term ON terms(term);
CREATE VIRTUAL TABLE body_text USING fts5(fields, body,
                                          tokenize='trigram case_sensitive 1', detail=none);
-- The names (and longer aliases) a contact's note text can mention them by, as words, and
-- the words of contacts' notes (links read as shown): `path` looks for a name as a phrase.
CREATE TABLE mention_names(path TEXT NOT NULL, words TEXT NOT NULL, size INTEGER NOT NULL,
                           PRIMARY KEY (path, words)) WITHOUT ROWID;
CREATE INDEX mention_names_words ON mention_names(words);
CREATE VIRTUAL TABLE word_text USING fts5(words, tokenize='unicode61 remove_diacritics 0');
"""

SCHEMA_DIGEST = hashlib.blake2b(SCHEMA.encode(), digest_size=8).hexdigest()

# Tables whose rows belong to one note, by the column naming it.
NOTE_TABLES = (
    ("contacts", "path"), ("labels", "path"), ("links", "src"), ("meta_links", "src"),
    ("terms", "path"), ("mention_names", "path"),
    ("items", "src"), ("tasks", "src"), ("problems", "path"), ("intros", "path"),
    ("employers", "path"),
)


def cache_disabled() -> bool:
    """True when `NETVAULT_NO_CACHE` is set to anything but empty or 0."""
    return os.environ.get(NO_CACHE_ENV, "") not in ("", "0")


def rows_key(config: Config) -> str:
    """Everything besides a note's own bytes that changes its rows."""
    return f"netvault {__version__}|rows {ROWS_FORMAT}|{config.contact_rule}"


def fingerprint(files: Sequence[NoteFile]) -> str:
    """One digest of every note's stamp."""
    stamps = [(f.relpath, f.size, f.mtime_ns, f.ctime_ns, f.inode) for f in files]
    return hashlib.blake2b(marshal.dumps(stamps), digest_size=16).hexdigest()


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def join(values: Iterable[str]) -> str | None:
    return SEP.join(values) or None


# ---- what one note contributes ----------------------------------------------------------


class NoteRows(NamedTuple):
    """Everything one note puts in the index; plain tuples, cheap to send between processes."""

    path: str
    digest: bytes | None
    title: str
    path_key: str
    day: int | None
    # name_key, company_key, possessive, key_lines, distinct_from, *CONTACT_FIELDS
    contact: tuple[Any, ...] | None
    labels: list[tuple[str, int, int, str, int]]  # key, rank, ord, label, line
    links: list[tuple[int, str, str, str | None, int, str, str | None]]
    items: list[tuple[int, int, int, str | None, str, str | None, str]]
    tasks: list[tuple[int, int, str, int | None, str]]
    problems: list[tuple[int, str, str, str, int]]  # line, severity, code, message, ord
    intro: tuple[str, str] | None  # front-matter values and their lines, as JSON
    employers: list[tuple[str, str]]
    meta_links: list[str]
    terms: list[tuple[str, int]]  # folded searchable values (0) and their words (1)
    mention_names: list[str]
    fields: str | None  # those values, one a line (contacts only)
    body: str | None  # folded note text, contacts only
    words: str | None


def note_rows(parsed: ParsedNote, data_digest: bytes | None = None) -> NoteRows:
    """The rows of one parsed note."""
    from . import facts
    from .parse import link_target

    note = parsed.note
    contact = note.contact
    path = note.path
    stem = path[:-3] if path.lower().endswith(".md") else path
    labels = _labels(note)
    contact_row: tuple[Any, ...] | None = None
    body: str | None = None
    word_text: str | None = None
    fields: str | None = None
    terms: list[tuple[str, int]] = []
    mention_names: list[str] = []
    employers: list[tuple[str, str]] = []
    if contact is not None:
        values = [fold(v) for _key, v in searched_values(contact)]
        fields = "\n".join(values)
        terms = list(dict.fromkeys(
            [(v, 0) for v in values] + [(w, 1) for v in values for w in v.split()]))
        mention_names = facts.mention_names(contact.name, contact.aliases)
        shown = facts.shown_text(note.body)
        folded_shown = fold_text(shown)
        employers = facts.past_employers(note.meta, shown, folded_shown)
        body = fold_text(note.body)
        word_text = " ".join(facts.words_of_folded(folded_shown))
        distinct = facts.distinct_from(note.meta)
        contact_row = (
            fold(contact.name),
            fold(contact.company) if contact.company else None,
            facts.possessive(note.meta),
            json.dumps(dict(note.key_lines)),
            json.dumps(distinct) if distinct else None,
            *contact_values(contact),
        )
    front = 1 if contact is not None and contact.introduced_by else 0
    mention_lines = {link.line for link in note.mention_links}
    task_lines = {task.line for task in note.tasks}
    links = []
    for ord_, link in enumerate(note.links):
        if ord_ < front:
            kind = "link"
        elif link.line in mention_lines:
            kind = "mention"
        elif link.line in task_lines:
            kind = "task"
        else:
            kind = "quote"
        key = fold(link.target)
        links.append((ord_, link.target, key, key.strip("/") if "/" in link.target else None,
                      link.line, kind, note.mention_channels.get(link.line)))
    intro = None
    if note.meta.get("type") == "intro":
        intro = (
            facts.encode_values({k: note.meta[k] for k in facts.INTRO_KEYS if k in note.meta}),
            json.dumps({k: note.key_lines[k] for k in facts.INTRO_KEYS if k in note.key_lines}),
        )
    meta_links = [
        target for inner in facts.meta_link_inners(note.meta)
        if (target := link_target(inner)) is not None
    ]
    return NoteRows(
        path=path,
        digest=data_digest,
        title=note.title,
        path_key=fold(stem),
        day=note.date.toordinal() if note.date else None,
        contact=contact_row,
        labels=labels,
        links=links,
        items=[
            (ord_, i.line, i.date.toordinal(), i.channel, i.text, i.favor, LINES.join(i.links))
            for ord_, i in enumerate(note.interactions)
        ],
        tasks=[
            (ord_, t.line, t.text, t.due.toordinal() if t.due else None, LINES.join(t.links))
            for ord_, t in enumerate(note.tasks)
        ],
        problems=[
            (p.line, p.severity, p.code, p.message, ord_) for ord_, p in enumerate(parsed.problems)
        ],
        intro=intro,
        employers=employers,
        meta_links=meta_links,
        terms=terms,
        mention_names=mention_names,
        fields=fields,
        body=body,
        words=word_text,
    )


# What a [[link]] or a typed name finds, most binding first (the rule issue 13 set): a
# contact's file name, another note's file name, a contact's name, a contact's alias. At one
# level the first note by path keeps a label; a level always beats the ones after it.
TITLE, OTHER_TITLE, NAME, ALIAS = 0, 1, 2, 3


def _labels(note: Note) -> list[tuple[str, int, int, str, int]]:
    """(folded label, level, position, label, line) of what the note can be called."""
    contact = note.contact
    title_key = fold(note.title)
    if contact is None:
        return [(title_key, OTHER_TITLE, 0, note.title, 1)]
    found = [(title_key, TITLE, 0, note.title, 1)] if title_key else []
    name_key = fold(contact.name)
    if name_key and name_key != title_key:
        found.append((name_key, NAME, 0, contact.name, note.key_lines.get("name", 1)))
    for position, alias in enumerate(contact.aliases):
        alias_key = fold(alias)
        if alias_key and alias_key not in (title_key, name_key):
            found.append((alias_key, ALIAS, position, alias, note.key_lines.get("aliases", 1)))
    return found


# The front-matter keys `search` looks in, in the order a tie between them is broken.
SEARCHED_FIELDS = ("name", "aliases", "company", "role", "location", "offers", "needs",
                   "interests", "tags")
SEARCHED_LISTS = frozenset({"aliases", "offers", "needs", "interests", "tags"})


def searched_values(contact: Any) -> list[tuple[str, str]]:
    """(front-matter key, value as written) of every value `search` looks in, one per item
    of a list."""
    found: list[tuple[str, str]] = []
    for key in SEARCHED_FIELDS:
        value = getattr(contact, key)
        items = value if isinstance(value, tuple) else (value,)
        found += [(key, item) for item in items if item]
    return found


def contact_values(contact: Any) -> tuple[Any, ...]:
    """A Contact as the contacts table's CONTACT_FIELDS columns."""
    c = contact
    return (
        c.name, join(c.aliases), join(c.tags), c.tie,
        c.first_met.toordinal() if c.first_met else None,
        c.last_met.toordinal() if c.last_met else None,
        int(c.met_in_person), join(c.relationship), c.company, c.role, c.location,
        join(c.emails), join(c.phones), join(c.links), c.cadence_days,
        c.consent.share_contact, c.consent.introductions, c.introduced_by,
        join(c.offers), join(c.needs), join(c.interests), int(c.oak),
        c.birthday.iso() if c.birthday else None,
        c.connected_on.toordinal() if c.connected_on else None, c.linkedin_urn, c.source,
        json.dumps([(m.date.toordinal(), m.text, m.line) for m in c.moves]) if c.moves else None,
    )


def read_and_parse(note_file: NoteFile, rule: ContactRule, data: bytes | None = None
                   ) -> NoteRows:
    """One note read (unless its bytes are given) and parsed into rows."""
    from .model import Note, ParsedNote
    from .parse import parse_note

    found = read_note_bytes(note_file) if data is None else data
    if isinstance(found, bytes):
        return note_rows(parse_note(note_file.relpath, found, rule), digest(found))
    title = note_file.relpath.rsplit("/", 1)[-1][:-3]
    return note_rows(ParsedNote(Note(path=note_file.relpath, title=title), (found,)))


def _parse_chunk(work: list[tuple[NoteFile, bytes | None]], rule: ContactRule
                 ) -> list[NoteRows]:
    with bulk_allocation():
        return [read_and_parse(f, rule, data) for f, data in work]


def parsed_rows(
    work: Sequence[tuple[NoteFile, bytes | None]], rule: ContactRule, jobs: int | None = None
) -> Iterator[list[NoteRows]]:
    """Rows of every note, chunk by chunk in order; on several cores when there are many."""
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    # Forking while another thread may hold a lock can hang the child (e.g. under watch).
    if workers < 2 or len(work) < POOL_MIN_FILES or threading.active_count() > 1:
        yield _parse_chunk(list(work), rule)
        return
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    size = max(POOL_CHUNK_MIN, min(POOL_CHUNK_MAX, -(-len(work) // (workers * 4))))
    chunks = iter([list(work[i : i + size]) for i in range(0, len(work), size)])
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # A few chunks ahead of the one being stored, not all: parsed rows wait in memory.
        pending: deque[Future[list[NoteRows]]] = deque(
            pool.submit(_parse_chunk, chunk, rule) for _, chunk in zip(range(workers * 2),
                                                                      chunks, strict=False))
        while pending:
            done = pending.popleft().result()
            following = next(chunks, None)
            if following is not None:
                pending.append(pool.submit(_parse_chunk, following, rule))
            yield done


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """No garbage collection while building many long-lived objects (saves ~40%)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# ---- opening ----------------------------------------------------------------------------


class IndexBusy(NetvaultError):
    """Another process holds the index's write lock for too long."""


class Unusable(Exception):
    """The database file cannot be used as netvault's index (corrupt, foreign, old)."""


def _connect(target: str) -> sqlite3.Connection:
    db = sqlite3.connect(target, timeout=BUSY_SECONDS, isolation_level=None,
                         check_same_thread=False)
    # A schema can hold views and triggers that call functions; none of ours needs that.
    db.execute("PRAGMA trusted_schema=OFF")
    return db


def _create(db: sqlite3.Connection) -> None:
    db.execute("BEGIN IMMEDIATE")
    try:
        if db.execute("PRAGMA user_version").fetchone()[0] == 0:
            for statement in _statements(SCHEMA):
                db.execute(statement)
            db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_DIGEST,))
            db.execute("INSERT INTO meta VALUES ('names', 0)")
            db.execute(f"PRAGMA application_id={APPLICATION_ID}")
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _check(db: sqlite3.Connection) -> None:
    """Unusable unless the database is empty or netvault's index of this schema."""
    app, version = (db.execute(f"PRAGMA {name}").fetchone()[0]
                    for name in ("application_id", "user_version"))
    if app == 0 and version == 0:
        if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise Unusable("a database of some other program")
        return
    if app != APPLICATION_ID:
        raise Unusable("a database of some other program")
    if version != SCHEMA_VERSION:
        raise Unusable(f"schema {version}, not {SCHEMA_VERSION}")
    # A build whose tables differ under the same version number (a development build).
    found = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    if found is None or found[0] != SCHEMA_DIGEST:
        raise Unusable("another layout of the tables")


def index_file(root: Path) -> Path:
    from .userdirs import vault_cache_dir

    return vault_cache_dir(root) / INDEX_FILE


def open_database(path: Path | None) -> sqlite3.Connection:
    """The index database at `path` (made, or made again if unusable), else in memory."""
    if path is not None:
        try:
            return _open_file(path)
        except OSError:
            pass  # no cache folder to write to: the index still works, in memory
    db = _connect(":memory:")
    _create(db)
    return db


def _open_file(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    for attempt in range(2):
        db = _connect(str(path))
        try:
            _check(db)
            if db.execute("PRAGMA journal_mode=WAL").fetchone()[0].lower() != "wal":
                raise Unusable("no write-ahead log")
            db.execute("PRAGMA synchronous=NORMAL")
            _create(db)
            _check(db)
            return db
        except (Unusable, sqlite3.DatabaseError):
            db.close()
            if attempt:
                raise OSError(f"cannot make an index at {path}") from None
            _remove(path)
    raise AssertionError("unreachable")


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")


# ---- the store ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stamp:
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    checked_ns: int


@dataclass
class _Plan:
    parse: list[tuple[NoteFile, bytes | None]] = field(default_factory=list)
    restamp: list[NoteFile] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    read: dict[tuple[str, int, int, int, int], bytes | None] = field(default_factory=dict)

    def empty(self) -> bool:
        return not (self.parse or self.restamp or self.deleted)


@dataclass(frozen=True, slots=True)
class Changes:
    """What one refresh did: notes (re-)parsed, notes gone, and every contact whose row,
    interactions or tasks it may have changed."""

    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    contacts: frozenset[str] = frozenset()


class Store:
    """One vault's index database. Thread-safe: every use holds `lock`."""

    def __init__(self, db: sqlite3.Connection, config: Config, path: Path | None = None) -> None:
        self.db = db
        self.config = config
        self.path = path  # the database file; None in memory
        self.lock = threading.RLock()
        self._reading = False

    @classmethod
    def open(cls, root: Path, config: Config, in_memory: bool) -> Store:
        path = None if in_memory else index_file(root)
        return cls(open_database(path), config, path)

    def start_over(self) -> None:
        """Drop the database (found damaged while in use) and begin a new, empty one."""
        with self.lock:
            self.db.close()
            self._reading = False
            if self.path is not None:
                _remove(self.path)
            self.db = open_database(self.path)

    def close(self) -> None:
        with self.lock:
            self.db.close()

    # -- transactions ------------------------------------------------------------------------
    def _end_read(self) -> None:
        if self._reading:
            self.db.execute("COMMIT")
            self._reading = False

    def begin_read(self) -> None:
        """Hold one snapshot for every query until the next refresh in this process."""
        with self.lock:
            if not self._reading:
                self.db.execute("BEGIN")
                self.db.execute("SELECT 1 FROM meta LIMIT 1").fetchall()
                self._reading = True

    @contextmanager
    def _writing(self) -> Iterator[None]:
        with self.lock:
            self._end_read()
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def query(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        with self.lock:
            return self.db.execute(sql, args).fetchall()

    # -- refresh -----------------------------------------------------------------------------
    def stamps(self, paths: Iterable[str] | None = None) -> dict[str, tuple[Stamp, bytes | None]]:
        """The stored stamp and digest of every note (or of these)."""
        where = ""
        if paths is not None:
            fill(self.db, "t_paths", paths)
            where = " WHERE path IN (SELECT v FROM t_paths)"
        rows = self.db.execute(
            "SELECT path, size, mtime_ns, ctime_ns, inode, checked_ns, digest FROM files" + where
        )
        return {r[0]: (Stamp(r[1], r[2], r[3], r[4], r[5]), r[6]) for r in rows}

    def refresh(self, files: Sequence[NoteFile], started_ns: int) -> Changes:
        """Bring the index up to date with `files` (every note of the vault, as walked from
        `started_ns` on). One transaction; nothing when nothing changed. A database found
        damaged on the way is built again."""
        try:
            return self._refresh(files, started_ns)
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED"):
                raise IndexBusy(
                    f"the index is busy for over {BUSY_SECONDS} s (another netvault is "
                    "updating it); try again"
                ) from None
            self.start_over()
            return self._refresh(files, started_ns)

    def _refresh(self, files: Sequence[NoteFile], started_ns: int) -> Changes:
        with self.lock:
            self._end_read()
            key_ok = self._key_matches()
            seen = fingerprint(files)
            plan: _Plan | None = None
            if key_ok and self._meta("fingerprint") == seen:
                # The same stamps as at the last refresh: only notes that were read too soon
                # after they were written to trust their stamps need a look.
                racy = set(json.loads(self._meta("racy") or "[]"))
                stored = self.stamps(racy) if racy else {}
                plan = self._plan([f for f in files if f.relpath in racy], stored, started_ns,
                                  {}, deletions=False)
                if plan.empty():
                    return Changes()
            if plan is None:
                plan = self._plan(files, self.stamps() if key_ok else {}, started_ns, {})
                if plan.empty() and key_ok:
                    self._remember(seen)
                    return Changes()
            with self._writing():
                if not self._key_matches():
                    self._clear()
                plan = self._plan(files, self.stamps(), started_ns, plan.read)
                changes = self._apply(plan, started_ns)
                self._remember(seen)
                return changes

    def save_hints(self, names: str | None, hints: Sequence[tuple[str, str, str, int]]) -> None:
        """Keep the "did you mean" (hint, hint_keys, src, ord) of broken links worked out
        from the contact names of generation `names`, unless a refresh changed them since."""
        with self.lock:
            reading = self._reading
            self._end_read()
            try:
                with self._writing():
                    if self._meta("names") == names:
                        self.db.executemany(
                            "UPDATE links SET hint = ?, hint_keys = ? WHERE src = ? AND ord = ? "
                            "AND dst IS NULL AND hint_keys IS NULL", hints)
            except sqlite3.OperationalError:
                pass  # busy or read-only: worked out again next time
            if reading:
                self.begin_read()

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _remember(self, seen: str) -> None:
        """Note the stamps the index now reflects, and which notes are racily clean."""
        racy = [p for (p,) in self.db.execute(
            "SELECT path FROM files WHERE mtime_ns + ? >= checked_ns", (RACY_NS,))]
        with self.lock:
            manage = not self.db.in_transaction
            if manage:
                self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                                [("fingerprint", seen), ("racy", json.dumps(racy))])
            if manage:
                self.db.execute("COMMIT")

    def refresh_paths(self, found: Sequence[NoteFile], gone: Iterable[str],
                      folders: Iterable[str], started_ns: int) -> Changes:
        """Bring some notes up to date (the watcher knows which changed): `found` as they
        are now, `gone` notes or folders that no longer exist, and `folders` rescanned, so
        that notes under them not in `found` are gone."""
        with self.lock, self._writing():
            # Not every note was looked at: the next full refresh compares every stamp.
            self.db.execute("DELETE FROM meta WHERE key = 'fingerprint'")
            stored = self.stamps([f.relpath for f in found])
            plan = self._plan(found, stored, started_ns, {}, deletions=False)
            present = {f.relpath for f in found}
            deleted: set[str] = set()
            for relpath in gone:
                deleted.update(self._under(relpath, itself=True))
            for relpath in folders:
                deleted.update(p for p in self._under(relpath) if p not in present)
            plan.deleted = sorted(deleted)
            return self._apply(plan, started_ns)

    def _under(self, relpath: str, itself: bool = False) -> list[str]:
        """The notes in the folder `relpath` (and the note `relpath` itself if asked)."""
        # Paths starting with "folder/" sort between "folder/" and "folder0" ("0" follows "/").
        found = [p for (p,) in self.db.execute(
            "SELECT path FROM files WHERE path >= ? AND path < ?",
            (relpath + "/", relpath + "0"))]
        if itself:
            found += [p for (p,) in self.db.execute(
                "SELECT path FROM files WHERE path = ?", (relpath,))]
        return found

    def _key_matches(self) -> bool:
        row = self.db.execute("SELECT value FROM meta WHERE key='rows'").fetchone()
        return row is not None and row[0] == rows_key(self.config)

    def _clear(self) -> None:
        for table in ("files", "interactions", "task_people", "body_text", "word_text",
                      *(name for name, _ in NOTE_TABLES)):
            self.db.execute(f"DELETE FROM {table}")
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('rows', ?)",
                        (rows_key(self.config),))

    def _plan(
        self,
        files: Sequence[NoteFile],
        stored: dict[str, tuple[Stamp, bytes | None]],
        started_ns: int,
        read: dict[tuple[str, int, int, int, int], bytes | None],
        deletions: bool = True,
    ) -> _Plan:
        plan = _Plan(read=read)
        for note in files:
            old = stored.get(note.relpath)
            if old is None:
                plan.parse.append((note, None))
                continue
            stamp, old_digest = old
            same = (stamp.size, stamp.mtime_ns, stamp.ctime_ns, stamp.inode) == (
                note.size, note.mtime_ns, note.ctime_ns, note.inode)
            if same and note.mtime_ns + RACY_NS < stamp.checked_ns:
                continue
            ident = (note.relpath, note.size, note.mtime_ns, note.ctime_ns, note.inode)
            if ident not in read:
                found = read_note_bytes(note)
                read[ident] = found if isinstance(found, bytes) else None
            data = read[ident]
            if data is not None and old_digest is not None and digest(data) == old_digest:
                if not same or stamp.checked_ns < started_ns:
                    plan.restamp.append(note)  # re-stamped, and checked as of now
                continue
            plan.parse.append((note, data))
        if deletions:
            present = {note.relpath for note in files}
            plan.deleted = sorted(p for p in stored if p not in present)
        return plan

    def _apply(self, plan: _Plan, started_ns: int) -> Changes:
        db = self.db
        for note in plan.restamp:
            db.execute(
                "UPDATE files SET size=?, mtime_ns=?, ctime_ns=?, inode=?, checked_ns=? "
                "WHERE path=?",
                (note.size, note.mtime_ns, note.ctime_ns, note.inode, started_ns, note.relpath),
            )
        changed = [note.relpath for note, _ in plan.parse]
        touched = sorted({*changed, *plan.deleted})
        if not touched:
            return Changes()
        before = _Affected.before(db, touched)
        self._delete(touched)
        stamps = {note.relpath: note for note, _ in plan.parse}
        empty = db.execute("SELECT 1 FROM files LIMIT 1").fetchone() is None
        with indexes_built_after(db, empty):
            for chunk in parsed_rows(plan.parse, self.config.contact_rule):
                self._insert(chunk, stamps, started_ns)
        affected = before.after(db)
        _Derivation(db, affected).run()
        return Changes(tuple(sorted(changed)), tuple(plan.deleted),
                       frozenset(affected.contacts | set(touched)))

    def _delete(self, paths: Sequence[str]) -> None:
        db = self.db
        fill(db, "t_paths", paths)
        ids = [row[0] for row in db.execute(
            "SELECT id FROM files WHERE path IN (SELECT v FROM t_paths)")]
        for table in ("body_text", "word_text"):
            db.executemany(f"DELETE FROM {table} WHERE rowid=?", [(i,) for i in ids])
        for table, column in NOTE_TABLES:
            db.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT v FROM t_paths)")
        db.execute("DELETE FROM files WHERE path IN (SELECT v FROM t_paths)")

    def _insert(self, rows: list[NoteRows], stamps: dict[str, NoteFile], checked_ns: int
                ) -> None:
        insert_rows(self.db, rows, stamps, checked_ns)


def insert_rows(db: sqlite3.Connection, rows: list[NoteRows], stamps: dict[str, NoteFile],
                checked_ns: int) -> None:
    """Insert the rows of newly parsed notes (their derived rows come later)."""
    files, contacts, labels, links, meta_links, items, tasks = [], [], [], [], [], [], []
    problems, intros, employers, bodies, terms, names = [], [], [], [], [], []
    for row in rows:
        path = row.path
        stamp = stamps.get(path)
        size, mtime, ctime, inode = (
            (stamp.size, stamp.mtime_ns, stamp.ctime_ns, stamp.inode) if stamp else (0, 0, 0, 0)
        )
        files.append((path, size, mtime, ctime, inode, row.digest, checked_ns, row.title,
                      row.path_key, row.day, int(row.contact is not None)))
        if row.contact is not None:
            contacts.append((path, *row.contact))
            bodies.append((path, row.fields, row.body, row.words))
            terms += [(term, kind, path) for term, kind in row.terms]
            names += [(path, words, words.count(" ") + 1) for words in row.mention_names]
        labels += [(key, rank, path, ord_, label, line)
                   for key, rank, ord_, label, line in row.labels]
        links += [(path, *link) for link in row.links]
        meta_links += [(path, ord_, target) for ord_, target in enumerate(row.meta_links)]
        items += [(path, *item) for item in row.items]
        tasks += [(path, *task) for task in row.tasks]
        problems += [(path, line, severity, code, message, 1, ord_)
                     for line, severity, code, message, ord_ in row.problems]
        if row.intro is not None:
            intros.append((path, *row.intro))
        employers += [(path, ord_, key, written) for ord_, (key, written)
                      in enumerate(row.employers)]
    db.executemany(
        "INSERT INTO files(path, size, mtime_ns, ctime_ns, inode, digest, checked_ns, title, "
        "path_key, day, is_contact) VALUES (?,?,?,?,?,?,?,?,?,?,?)", files)
    columns = ("path", "name_key", "company_key", "possessive", "key_lines", "distinct_from",
               *CONTACT_FIELDS)
    db.executemany(f"INSERT INTO contacts({', '.join(columns)}) "
                   f"VALUES ({', '.join('?' * len(columns))})", contacts)
    db.executemany("INSERT INTO labels VALUES (?,?,?,?,?,?)", labels)
    db.executemany("INSERT INTO links(src, ord, target, key, pkey, line, kind, channel) "
                   "VALUES (?,?,?,?,?,?,?,?)", links)
    db.executemany("INSERT INTO meta_links VALUES (?,?,?)", meta_links)
    db.executemany("INSERT INTO items VALUES (?,?,?,?,?,?,?,?)", items)
    db.executemany("INSERT INTO tasks VALUES (?,?,?,?,?,?)", tasks)
    db.executemany("INSERT INTO problems VALUES (?,?,?,?,?,?,?)", problems)
    db.executemany("INSERT INTO intros VALUES (?,?,?)", intros)
    db.executemany("INSERT INTO employers VALUES (?,?,?,?)", employers)
    db.executemany("INSERT INTO terms VALUES (?,?,?)", terms)
    db.executemany("INSERT INTO mention_names VALUES (?,?,?)", names)
    if bodies:
        fill(db, "t_paths", [path for path, _, _, _ in bodies])
        ids = dict(db.execute("SELECT path, id FROM files WHERE path IN (SELECT v FROM t_paths)"))
        db.executemany("INSERT INTO body_text(rowid, fields, body) VALUES (?,?,?)",
                       [(ids[path], fields, body) for path, fields, body, _ in bodies])
        db.executemany("INSERT INTO word_text(rowid, words) VALUES (?,?)",
                       [(ids[path], words) for path, _, _, words in bodies])


# The secondary indexes of SCHEMA, by name.
INDEXES = {
    statement.split()[2]: statement
    for statement in _statements(SCHEMA) if statement.startswith("CREATE INDEX ")
}


@contextmanager
def indexes_built_after(db: sqlite3.Connection, empty: bool) -> Iterator[None]:
    """Into an empty index, rows go in without the secondary indexes, each built once after:
    sorting what is there costs less than inserting every row into B-trees in random order
    (a fifth of the inserts' time at 10,000 notes). Inside the caller's transaction, so a
    failure rolls the indexes back with the rows."""
    if not empty:
        yield
        return
    for name in INDEXES:
        db.execute(f"DROP INDEX {name}")
    yield
    for statement in INDEXES.values():
        db.execute(statement)


def fill(db: sqlite3.Connection, table: str, values: Iterable[Any]) -> None:
    """A temporary one-column table `table(v)` holding `values`."""
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table}(v PRIMARY KEY) WITHOUT ROWID")
    db.execute(f"DELETE FROM {table}")
    db.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?)", ((v,) for v in values))


# ---- what depends on several notes -----------------------------------------------------


@dataclass
class _Affected:
    """What a change to `paths` can change elsewhere: names and paths that may now lead
    somewhere else, and the contacts whose links, interactions or tasks may differ."""

    paths: list[str]
    keys: set[str] = field(default_factory=set)  # label keys given up or taken
    path_keys: set[str] = field(default_factory=set)
    contacts: set[str] = field(default_factory=set)
    # Folded names and aliases of contacts whose names changed: a "did you mean" may differ.
    name_keys: set[str] = field(default_factory=set)
    new_name_keys: set[str] = field(default_factory=set)
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # before the change

    @classmethod
    def before(cls, db: sqlite3.Connection, paths: list[str]) -> _Affected:
        found = cls(paths)
        found._collect(db)
        return found

    def after(self, db: sqlite3.Connection) -> _Affected:
        before = self.names
        self.names = {}
        self._collect(db)
        for path in {*before, *self.names}:
            old, new = before.get(path, ()), self.names.get(path, ())
            if old != new:
                old_keys, new_keys = {fold(x) for x in old}, {fold(x) for x in new}
                self.name_keys |= old_keys | new_keys
                self.new_name_keys |= new_keys - old_keys
        return self

    def _collect(self, db: sqlite3.Connection) -> None:
        fill(db, "t_paths", self.paths)
        inside = "IN (SELECT v FROM t_paths)"
        self.keys.update(k for (k,) in db.execute(f"SELECT key FROM labels WHERE path {inside}"))
        self.path_keys.update(
            k for (k,) in db.execute(f"SELECT path_key FROM files WHERE path {inside}"))
        self.contacts.update(
            p for (p,) in db.execute(f"SELECT path FROM contacts WHERE path {inside}"))
        self.contacts.update(p for (p,) in db.execute(
            f"SELECT DISTINCT dst FROM links WHERE src {inside} AND dst IS NOT NULL"))
        for path, name, aliases in db.execute(
                f"SELECT path, name, aliases FROM contacts WHERE path {inside}"):
            self.names[path] = (name, *split(aliases))


def split(value: str | None, separator: str = SEP) -> tuple[str, ...]:
    return tuple(value.split(separator)) if value else ()


class _Derivation:
    def __init__(self, db: sqlite3.Connection, affected: _Affected) -> None:
        self.db = db
        self.affected = affected

    def run(self) -> None:
        rerouted = self._resolve_links()
        self._duplicate_names()
        self._hints(rerouted)
        self._task_people(rerouted)
        self._interactions()

    def _resolve_links(self) -> set[str]:
        """Point every link whose target may have changed hands at its note; returns the
        notes holding such links. Adds the contacts they led or lead to to `affected`."""
        db, affected = self.db, self.affected
        fill(db, "t_keys", affected.keys)
        fill(db, "t_pkeys", affected.path_keys)
        fill(db, "t_paths", affected.paths)
        db.execute("CREATE TEMP TABLE IF NOT EXISTS t_links(src, ord, old, "
                   "PRIMARY KEY (src, ord)) WITHOUT ROWID")
        db.execute("DELETE FROM t_links")
        db.execute(
            "INSERT INTO t_links SELECT src, ord, dst FROM links WHERE src IN "
            "(SELECT v FROM t_paths) OR key IN (SELECT v FROM t_keys) "
            "OR pkey IN (SELECT v FROM t_pkeys)"
        )
        db.execute(
            "UPDATE links SET dst = coalesce("
            "  (SELECT l.path FROM labels l WHERE l.key = links.key ORDER BY l.rank, l.path "
            "   LIMIT 1),"
            "  CASE WHEN links.pkey IS NOT NULL THEN (SELECT f.path FROM files f "
            "   WHERE f.path_key = links.pkey ORDER BY f.path DESC LIMIT 1) END)"
            " WHERE (src, ord) IN (SELECT src, ord FROM t_links)"
        )
        db.execute("UPDATE links SET hint = NULL, hint_keys = NULL WHERE dst IS NOT NULL "
                   "AND hint_keys IS NOT NULL AND (src, ord) IN (SELECT src, ord FROM t_links)")
        moved = db.execute(
            "SELECT t.src, t.old, l.dst FROM t_links t JOIN links l USING (src, ord) "
            "WHERE t.old IS NOT l.dst OR l.src IN (SELECT v FROM t_paths)"
        ).fetchall()
        sources: set[str] = set(affected.paths)
        for src, old, new in moved:
            sources.add(src)
            affected.contacts.update(p for p in (old, new) if p is not None)
        # Links that still lead to a changed note, which may have become a contact or
        # stopped being one: the tasks they are in concern someone else now.
        sources.update(src for (src,) in db.execute(
            "SELECT DISTINCT src FROM links WHERE dst IN (SELECT v FROM t_paths)"))
        return sources

    def _duplicate_names(self) -> None:
        """A contact's label another contact keeps (see TITLE...ALIAS): a name (or an alias
        against a name) is information, two people may share one; a file name or an alias
        is an error."""
        db = self.db
        fill(db, "t_keys", self.affected.keys)
        paths = {p for (p,) in db.execute(
            f"SELECT DISTINCT path FROM labels WHERE rank != {OTHER_TITLE} "
            "AND key IN (SELECT v FROM t_keys)")}
        paths.update(self.affected.paths)
        fill(db, "t_paths", paths)
        db.execute("DELETE FROM problems WHERE phase = 2 AND path IN (SELECT v FROM t_paths)")
        owner = "(SELECT k.{} FROM labels k WHERE k.key = l.key ORDER BY k.rank, k.path LIMIT 1)"
        rows = db.execute(
            f"SELECT l.path, l.rank, l.ord, l.label, l.line, {owner.format('path')}, "
            f"{owner.format('rank')} FROM labels l "
            f"WHERE l.rank != {OTHER_TITLE} AND l.path IN (SELECT v FROM t_paths)"
        ).fetchall()
        problems = []
        for path, level, position, label, line, owner, owner_level in rows:
            if owner == path or owner_level == OTHER_TITLE:
                continue  # its own, or a note that is no contact (its file name wins)
            order = level * 10_000 + position
            if level == NAME or (level == ALIAS and owner_level == NAME):
                message = (f"{owner} is also called {label!r}; links and commands tell them "
                           "apart by file name")
                problems.append((path, line, "info", "same-name", message, 2, order))
            else:
                message = f"name or alias {label!r} is also used by {owner}"
                problems.append((path, line, "error", "duplicate-name", message, 2, order))
        db.executemany("INSERT INTO problems VALUES (?,?,?,?,?,?,?)", problems)

    def _hints(self, rerouted: set[str]) -> None:
        """Forget the "did you mean" of each broken link that could have changed: links
        that just broke, and those whose close spellings a changed contact's names may now
        alter. `Index.problems` works them out again when someone reads them."""
        db, affected = self.db, self.affected
        if affected.name_keys:
            db.execute("UPDATE meta SET value = value + 1 WHERE key = 'names'")
        fill(db, "t_paths", rerouted)
        broken = db.execute(
            "SELECT src, ord, target, src IN (SELECT v FROM t_paths), hint_keys FROM links "
            "WHERE dst IS NULL AND hint_keys IS NOT NULL"
        ).fetchall()
        stale: list[tuple[str, int]] = []
        scorer: Callable[[str, str], float] | None = None
        for src, ord_, target, fresh, stored in broken:
            matches = json.loads(stored)
            if fresh or affected.name_keys & {key for key, _ in matches}:
                stale.append((src, ord_))
            elif affected.new_name_keys:
                if scorer is None:
                    from rapidfuzz import fuzz

                    scorer = fuzz.WRatio
                floor = matches[-1][1] if len(matches) == HINT_LIMIT * 3 else HINT_CUTOFF
                query = fold(target)
                if any(scorer(query, key) >= floor for key in affected.new_name_keys):
                    stale.append((src, ord_))
        db.executemany("UPDATE links SET hint = NULL, hint_keys = NULL WHERE src = ? AND ord = ?",
                       stale)

    def _task_people(self, rerouted: set[str]) -> None:
        """Who each open task concerns: the contact whose note holds it, else the contacts
        its links name, in order."""
        db = self.db
        fill(db, "t_paths", rerouted)
        db.execute("DELETE FROM task_people WHERE src IN (SELECT v FROM t_paths)")
        rows = db.execute(
            "SELECT t.src, t.ord, f.is_contact, l.dst, c.path IS NOT NULL FROM tasks t "
            "JOIN files f ON f.path = t.src "
            "LEFT JOIN links l ON NOT f.is_contact AND l.src = t.src AND l.line = t.line "
            "  AND l.kind = 'task' "
            "LEFT JOIN contacts c ON c.path = l.dst "
            "WHERE t.src IN (SELECT v FROM t_paths) ORDER BY t.src, t.ord, l.ord"
        ).fetchall()
        people: dict[tuple[str, int], list[str]] = {}
        for src, ord_, is_contact, dst, dst_is_contact in rows:
            found = people.setdefault((src, ord_), [])
            if is_contact:
                if not found:
                    found.append(src)
            elif dst_is_contact and dst not in found:
                found.append(dst)
        db.executemany(
            "INSERT INTO task_people VALUES (?,?,?,?)",
            [(src, ord_, pos, contact) for (src, ord_), found in people.items()
             for pos, contact in enumerate(found)],
        )

    def _interactions(self) -> None:
        """Each affected contact's interactions, oldest first, and what is summed up from
        them (met in person, last day, count, favours)."""
        db = self.db
        fill(db, "t_paths", self.affected.contacts)
        db.execute("DELETE FROM interactions WHERE contact IN (SELECT v FROM t_paths)")
        db.execute("UPDATE contacts SET seen = met_in_person, last_day = NULL, "
                   "interactions = 0, gave = 0, got = 0 WHERE path IN (SELECT v FROM t_paths)")
        # (contact) -> [(day, src, line, item ord or None, channel, favor)]
        found: dict[str, list[tuple[int, str, int, int | None, str | None, str | None]]] = (
            defaultdict(list))
        own = db.execute(
            "SELECT i.src, i.day, i.src, i.line, i.ord, i.channel, i.favor FROM items i "
            "JOIN contacts c ON c.path = i.src WHERE i.src IN (SELECT v FROM t_paths)")
        linked = db.execute(
            "SELECT DISTINCT l.dst, i.day, i.src, i.line, i.ord, i.channel, i.favor "
            "FROM links l JOIN files f ON f.path = l.src AND NOT f.is_contact "
            "JOIN items i ON i.src = l.src AND i.line = l.line "
            "JOIN contacts c ON c.path = l.dst "
            "WHERE l.kind = 'mention' AND l.dst IN (SELECT v FROM t_paths)")
        for rows in (own, linked):
            for contact, *rest in rows:
                found[contact].append(tuple(rest))
        days = {contact: {entry[0] for entry in entries} for contact, entries in found.items()}
        # A dated note mentioning a contact is one interaction that day, unless another
        # already is (the first such note by path, at its first mention).
        mentions = db.execute(
            "SELECT l.dst, f.day, l.src, l.line, l.channel FROM links l "
            "JOIN files f ON f.path = l.src AND NOT f.is_contact AND f.day IS NOT NULL "
            "JOIN contacts c ON c.path = l.dst "
            "WHERE l.kind = 'mention' AND l.dst IN (SELECT v FROM t_paths) "
            "AND l.ord = (SELECT min(m.ord) FROM links m WHERE m.src = l.src AND m.dst = l.dst "
            "             AND m.kind = 'mention') "
            "ORDER BY l.dst, l.src")
        for contact, day, src, line, channel in mentions:
            seen_days = days.setdefault(contact, set())
            if day in seen_days:
                continue
            seen_days.add(day)
            found[contact].append((day, src, line, None, channel, None))
        interactions = []
        totals = []
        for contact, entries in found.items():
            entries.sort(key=lambda e: (e[0], e[1], e[2]))
            interactions += [(contact, seq, day, src, line, item, channel)
                             for seq, (day, src, line, item, channel, _) in enumerate(entries)]
            totals.append((
                int(any(e[4] == "in person" for e in entries)), entries[-1][0], len(entries),
                sum(1 for e in entries if e[5] == "gave"),
                sum(1 for e in entries if e[5] == "got"), contact,
            ))
        db.executemany("INSERT INTO interactions VALUES (?,?,?,?,?,?,?)", interactions)
        db.executemany(
            "UPDATE contacts SET seen = max(met_in_person, ?), last_day = ?, interactions = ?, "
            "gave = ?, got = ? WHERE path = ?", totals)


# ---- names, as "did you mean" offers them ------------------------------------------------


def link_hints(db: sqlite3.Connection, targets: Iterable[str]) -> dict[str, tuple[str, str]]:
    """For each broken link target: its " (did you mean ...?)" and the close spellings it
    was chosen from, as JSON."""
    names = suggestion_names(db)
    found: dict[str, tuple[str, str]] = {}
    for target in targets:
        suggestions, matches = suggest_names(names, target, HINT_LIMIT)
        text = f" (did you mean {either(suggestions)}?)" if suggestions else ""
        found[target] = (text, json.dumps(matches))
    return found


def suggestion_names(db: sqlite3.Connection) -> dict[str, str]:
    """Folded name or alias -> the name of the first contact (by name) that has it."""
    names: dict[str, str] = {}
    for name, aliases in db.execute("SELECT name, aliases FROM contacts ORDER BY name_key, path"):
        for label in (name, *split(aliases)):
            names.setdefault(fold(label), name)
    return names


def suggest_names(names: dict[str, str], query: str, limit: int
                  ) -> tuple[list[str], list[tuple[str, float]]]:
    """Up to `limit` contact names close to `query`, and the close spellings they came from."""
    from rapidfuzz import fuzz, process

    matches = process.extract(
        fold(query), list(names), scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=HINT_CUTOFF
    )
    result: list[str] = []
    for key, _score, _ in matches:
        if names[key] not in result:
            result.append(names[key])
    return result[:limit], [(key, score) for key, score, _ in matches]


def either(names: Sequence[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


# ---- building from parsed notes ----------------------------------------------------------


def store_of_parsed(config: Config, parsed: Iterable[ParsedNote]) -> Store:
    """An in-memory index of already parsed notes (no files behind them)."""
    store = Store(open_database(None), config)
    rows = [note_rows(item) for item in parsed]
    with store._writing():
        store._clear()
        paths = [row.path for row in rows]
        before = _Affected.before(store.db, paths)
        insert_rows(store.db, rows, {}, 0)
        _Derivation(store.db, before.after(store.db)).run()
    return store


def note_of(root: Path, relpath: str, rule: ContactRule) -> Note | None:
    """One note read and parsed now (for its body or front-matter); None if it is gone."""
    from .model import Note, ParsedNote

    path = root / relpath
    try:
        info = path.lstat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None  # a note is never read through a symlink
    note_file = NoteFile(relpath, str(path), info.st_size, info.st_mtime_ns)
    data = read_note_bytes(note_file)
    if not isinstance(data, bytes):
        return ParsedNote(Note(path=relpath, title=PurePosixPath(relpath).stem)).note
    from .parse import parse_note

    return parse_note(relpath, data, rule).note

