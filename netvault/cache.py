"""A disposable on-disk cache of parse results and of the contact view, under `.netvault/cache/`.

Correctness never depends on it: every entry is keyed by the file's relative path, size and
mtime_ns, and the whole cache by netvault's version, the cache format, the Python version and the
config values that change parse results (the contacts folder). Anything missing, corrupt, from
another version or half-replaced by a concurrent run is ignored and rebuilt. Files are written
to a temporary name and renamed, so a reader sees an old or a new file, never a torn one.

Three kinds of file:
- `notes-NN.pickle` (64 shards by path): each note's pickled ParsedNote, for the full index.
- `light.pickle`: one small record per note, what deriving the contact view needs.
- `view.pickle`: the contact view itself (contacts, problems, name tables, and for each contact
  its interaction dates), with a fingerprint of every file's stamp. When the fingerprint of the
  files on disk matches, `list` needs nothing else.

The view is derived from the light records by `derive_view`, which follows `build_index` rule
for rule; `tests/test_cache.py` checks the two agree on generated vaults. The full index is only
built when a command touches something the view does not hold (see `CachedIndex`).

A file whose mtime is within `RACY_NS` of the moment it was read could still change without its
stamp changing (coarse file system clocks); such entries keep a digest of the bytes and are
re-read to be trusted, as git does for "racily clean" entries.
"""

from __future__ import annotations

import bisect
import gc
import hashlib
import io
import os
import pickle
import sys
import tempfile
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from . import __version__
from .config import Config
from .index import Index, NameEntry, _did_you_mean, assign_names, build_index
from .model import Consent, Contact, ContactRule, Note, ParsedNote, Problem
from .parse import fold, parse_note
from .vaultfs import NoteFile, inside, read_note_bytes

CACHE_DIR = ".netvault/cache"
# Bump when the layout of any cache file changes.
CACHE_FORMAT = 2
SHARDS = 64
# Mtimes this close to the moment a file was read may hide a later write (coarse clocks).
RACY_NS = 2_000_000_000
# Below this many files to parse, a process pool costs more than it saves (measured: see
# benchmarks/README.md).
POOL_MIN_FILES = 1000
POOL_CHUNK_MIN = 100
NO_CACHE_ENV = "NETVAULT_NO_CACHE"
# Smaller vaults parse in a few tens of milliseconds: a cache would only add files to them.
CACHE_MIN_NOTES = 200


def cache_disabled() -> bool:
    """True when `NETVAULT_NO_CACHE` is set to anything but empty or 0."""
    return os.environ.get(NO_CACHE_ENV, "") not in ("", "0")


def cache_key(config: Config) -> str:
    """Everything besides a file's own bytes that changes what the cache holds."""
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return f"netvault {__version__}|format {CACHE_FORMAT}|python {python}|{config.contact_rule}"


# ---- what one note contributes to the contact view --------------------------------------


# (target, fold(target), line): the fold is done once, at parse time. A plain tuple: a
# NamedTuple costs a Python call per object when unpickled, and there are ~10 per note.
LinkRef = tuple[str, str, int]


class LightNote(NamedTuple):
    """What `derive_view` needs of one note: no body, no front-matter, few objects."""

    path: str
    title: str
    path_key: str
    contact: Contact | None
    name_line: int
    aliases_line: int
    date: date | None
    problems: tuple[Problem, ...]
    links: tuple[LinkRef, ...]
    # (date ordinal, channel, targets as (target, key)) of each dated list item.
    interactions: tuple[tuple[int, str | None, tuple[tuple[str, str], ...]], ...]
    mentions: tuple[LinkRef, ...]
    mention_channels: dict[int, str]


def light_note(parsed: ParsedNote) -> LightNote:
    note = parsed.note
    contact = note.contact
    stem = note.path[:-3] if note.path.lower().endswith(".md") else note.path
    keys: dict[str, str] = {}

    def key(target: str) -> str:
        found = keys.get(target)
        if found is None:
            found = keys[target] = fold(target)
        return found

    return LightNote(
        path=note.path,
        title=note.title,
        path_key=fold(stem),
        contact=contact,
        name_line=note.key_lines.get("name", 1),
        aliases_line=note.key_lines.get("aliases", 1),
        date=note.date,
        problems=parsed.problems,
        links=tuple((link.target, key(link.target), link.line) for link in note.links),
        interactions=tuple(
            (i.date.toordinal(), i.channel, tuple((t, key(t)) for t in i.links))
            for i in note.interactions
        ),
        mentions=tuple(
            (link.target, key(link.target), link.line) for link in note.mention_links
        ),
        mention_channels=dict(note.mention_channels),
    )


# ---- the contact view ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContactView:
    """What listing contacts needs, derived exactly as `build_index` derives it."""

    contacts: list[Contact]  # sorted as Index.contacts
    problems: list[Problem]  # note problems in build order, before sorting
    keys: dict[str, str]
    paths: dict[str, str]
    # contact path -> (sorted distinct interaction date ordinals, any interaction in person)
    summaries: dict[str, tuple[tuple[int, ...], bool]]


def derive_view(root: Path, config: Config, notes: Sequence[LightNote]) -> ContactView:
    """The contact view of notes given in path order; mirrors `build_index` rule for rule."""
    problems: list[Problem] = []
    for note in notes:
        problems.extend(note.problems)
    paths: dict[str, str] = {}
    contacts: list[Contact] = []
    is_contact: set[str] = set()
    entries: list[NameEntry] = []
    for note in notes:
        paths[note.path_key] = note.path
        contact = note.contact
        if contact is None:
            continue
        contacts.append(contact)
        is_contact.add(note.path)
        entries.append(
            NameEntry(
                note.path,
                note.title,
                contact.name,
                contact.aliases,
                note.name_line,
                note.aliases_line,
            )
        )
    others = [(note.path, note.title) for note in notes if note.contact is None]
    owners, name_problems = assign_names(entries, others)
    problems.extend(name_problems)
    keys = dict(owners)

    def resolve(target: str, key: str) -> str | None:
        found = keys.get(key)
        if found is None and "/" in target:
            found = paths.get(key.strip("/"))
        return found

    suggester = Index(root=root, config=config, notes={}, problems=[], contacts=contacts)
    for note in notes:
        for target, key, line in note.links:
            if resolve(target, key) is None:
                problems.append(
                    Problem(
                        note.path,
                        line,
                        "warning",
                        "broken-link",
                        f"[[{target}]] matches no note" + _did_you_mean(suggester, target),
                    )
                )

    def people(targets: Iterable[tuple[str, str]]) -> list[str]:
        found: list[str] = []
        for target, key in targets:
            path = resolve(target, key)
            if path is not None and path in is_contact and path not in found:
                found.append(path)
        return found

    dates: dict[str, set[int]] = defaultdict(set)
    in_person: set[str] = set()
    for note in notes:
        if note.contact is not None:
            for day, channel, _targets in note.interactions:
                dates[note.path].add(day)
                if channel == "in person":
                    in_person.add(note.path)
            continue
        for day, channel, targets in note.interactions:
            for person in people(targets):
                dates[person].add(day)
                if channel == "in person":
                    in_person.add(person)
    for note in notes:
        if note.date is None or note.contact is not None:
            continue
        day = note.date.toordinal()
        seen: set[str] = set()
        for target, key, line in note.mentions:
            for person in people(((target, key),)):
                if person in seen:
                    continue
                seen.add(person)
                if day in dates[person]:
                    continue
                dates[person].add(day)
                if note.mention_channels.get(line) == "in person":
                    in_person.add(person)
    contacts.sort(key=lambda c: (fold(c.name), c.path))
    summaries = {
        person: (tuple(sorted(days)), person in in_person) for person, days in dates.items() if days
    }
    return ContactView(contacts, problems, keys, paths, summaries)


# ---- the index the CLI gets ---------------------------------------------------------------


class CachedIndex(Index):
    """An Index that answers from the contact view and builds the full index on first need.

    Attributes the view does not hold (notes, links, interaction lists, tasks) are absent until
    something reads one; `__getattr__` then builds the full index and takes all its attributes,
    so every Index method works unchanged, only later.
    """

    def __init__(
        self,
        root: Path,
        config: Config,
        problems: list[Problem],
        view: ContactView,
        load_full: Callable[[], Index],
    ) -> None:
        # Deliberately not Index.__init__: the heavy attributes must stay unset.
        self.root = root
        self.config = config
        self.problems = problems
        self.contacts = list(view.contacts)
        self._keys = view.keys
        self._paths = view.paths
        self._summaries = view.summaries
        self._contact_by_path = {c.path: c for c in view.contacts}
        self._load_full = load_full

    @property
    def is_full(self) -> bool:
        return "notes" in self.__dict__

    @property
    def note_count(self) -> int:
        return len(self._paths)  # one key per note, save paths differing only in case

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes not set yet; dunder lookups (copy, pickle) stay normal.
        if name.startswith("__") or "_load_full" not in self.__dict__:
            raise AttributeError(name)
        full = self.__dict__.pop("_load_full")()
        self.__dict__.update(full.__dict__)
        return object.__getattribute__(self, name)

    def contact_at(self, path: str) -> Contact | None:
        if self.is_full:
            return super().contact_at(path)
        return self._contact_by_path.get(path)

    def met_in_person(self, contact: Contact) -> bool:
        if self.is_full:
            return super().met_in_person(contact)
        summary = self._summaries.get(contact.path)
        return contact.met_in_person or (summary is not None and summary[1])

    def last_contact(self, contact: Contact, today: date | None = None) -> date | None:
        if self.is_full:
            return super().last_contact(contact, today)
        dates = [contact.last_met] if contact.last_met is not None else []
        summary = self._summaries.get(contact.path)
        if summary is not None and summary[0]:
            days = summary[0]
            position = len(days) if today is None else bisect.bisect_right(days, today.toordinal())
            if position:
                dates.append(date.fromordinal(days[position - 1]))
        return max(dates) if dates else None


# ---- reading and parsing files ------------------------------------------------------------


class Parsed(NamedTuple):
    """One file read and parsed: its stamp, the pickled ParsedNote and its light record."""

    relpath: str
    size: int
    mtime_ns: int
    digest: bytes | None  # of the bytes, only for racy files
    note: bytes
    light: LightNote
    # The ParsedNote itself when parsed in this process (not sent back by pool workers).
    parsed: ParsedNote | None = None


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _parse_one(
    note_file: NoteFile, contacts_folder: str | ContactRule
) -> tuple[ParsedNote, bytes | None]:
    data = read_note_bytes(note_file)
    if isinstance(data, Problem):
        title = note_file.relpath.rsplit("/", 1)[-1][:-3]
        return ParsedNote(Note(path=note_file.relpath, title=title), (data,)), None
    return parse_note(note_file.relpath, data, contacts_folder), data


def _notes_of(chunk: list[NoteFile], contacts_folder: str | ContactRule) -> list[ParsedNote]:
    with bulk_allocation():
        return [_parse_one(note_file, contacts_folder)[0] for note_file in chunk]


def _records_of(
    chunk: list[NoteFile], contacts_folder: str | ContactRule, racy_after: int, keep: bool = True
) -> list[Parsed]:
    found: list[Parsed] = []
    with bulk_allocation():
        for note_file in chunk:
            parsed, data = _parse_one(note_file, contacts_folder)
            racy = data is not None and note_file.mtime_ns >= racy_after
            found.append(
                Parsed(
                    note_file.relpath,
                    note_file.size,
                    note_file.mtime_ns,
                    _digest(data) if racy and data is not None else None,
                    pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL),
                    light_note(parsed),
                    parsed if keep else None,
                )
            )
    return found


T = TypeVar("T")


def _in_chunks(
    work: Callable[..., list[T]], files: Sequence[NoteFile], jobs: int | None, *args: object
) -> list[T]:
    """`work(files, *args)`, split over a process pool when there are enough files to pay."""
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers < 2 or len(files) < POOL_MIN_FILES:
        return work(list(files), *args)
    import threading

    if threading.active_count() > 1:
        # Forking while another thread may hold a lock can hang the child (e.g. under watch).
        return work(list(files), *args)
    if work is _records_of:
        args = (*args, False)  # the parent unpickles only what it needs
    from concurrent.futures import ProcessPoolExecutor

    size = max(POOL_CHUNK_MIN, -(-len(files) // (workers * 4)))
    chunks = [list(files[i : i + size]) for i in range(0, len(files), size)]
    results: list[T] = []
    with ProcessPoolExecutor(max_workers=min(workers, len(chunks))) as pool:
        futures = [pool.submit(work, chunk, *args) for chunk in chunks]
        with bulk_allocation():
            for future in futures:
                results.extend(future.result())
    return results


def parse_notes(
    files: Sequence[NoteFile], contacts_folder: str | ContactRule, jobs: int | None = None
) -> list[ParsedNote]:
    """Read and parse every file, in order."""
    return _in_chunks(_notes_of, files, jobs, contacts_folder)


def parse_files(
    files: Sequence[NoteFile], contacts_folder: str | ContactRule, jobs: int | None = None
) -> list[Parsed]:
    """Read and parse every file into cache records, in order."""
    return _in_chunks(_records_of, files, jobs, contacts_folder, time.time_ns() - RACY_NS)


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


# ---- the files under .netvault/cache ------------------------------------------------------

_ALLOWED_GLOBALS = {
    ("netvault.model", name)
    for name in ("ParsedNote", "Note", "Contact", "Consent", "Birthday", "Link", "Interaction",
                 "Task", "Problem", "Move")
} | {
    ("netvault.cache", name) for name in ("LightNote", "ContactView")
} | {
    ("netvault.parse", "InvalidDate"),
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
}


class _SafeUnpickler(pickle.Unpickler):
    """Only netvault's records and dates: a cache file planted in a shared vault runs no code."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED_GLOBALS:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")
        return super().find_class(module, name)


def _loads(data: bytes) -> Any:
    return _SafeUnpickler(io.BytesIO(data)).load()


def fingerprint(files: Sequence[NoteFile]) -> bytes:
    """A digest of every file's path, size and mtime."""
    text = "\n".join(f"{f.relpath}\0{f.size}\0{f.mtime_ns}" for f in files)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).digest()


def _shard(relpath: str) -> int:
    return zlib.crc32(relpath.encode("utf-8", "surrogatepass")) % SHARDS


Stamp = tuple[int, int, bytes | None]  # size, mtime_ns, digest of the bytes when racy
Entry = tuple[Stamp, bytes, LightNote]  # stamp, pickled ParsedNote, light record


class _ViewPickler(pickle.Pickler):
    """Writes contacts as constructor calls with shared consents and dates.

    A frozen slots dataclass unpickles through a Python loop over its fields; `Contact(*args)`
    is about three times faster, and the ~10 distinct consents and the few thousand distinct
    dates are then created once instead of once per contact.
    """

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._shared: dict[object, object] = {}
        self.dispatch_table = {Contact: self._reduce_contact}

    def _reduce_contact(self, contact: Contact) -> tuple[type[Contact], tuple[object, ...]]:
        shared = self._shared
        values = tuple(
            shared.setdefault(value, value) if isinstance(value, date | Consent) else value
            for value in (getattr(contact, name) for name in _CONTACT_FIELDS)
        )
        return Contact, values


_CONTACT_FIELDS = tuple(field.name for field in dataclass_fields(Contact))


class CacheStore:
    """Reads and writes the cache files of one vault; every failure reads as "not cached"."""

    def __init__(self, root: Path, config: Config) -> None:
        self.root = root
        self.folder = root / CACHE_DIR
        self.key = cache_key(config)

    # -- generic ---------------------------------------------------------------------------
    def _read(self, name: str) -> Any:
        try:
            data = (self.folder / name).read_bytes()
        except OSError:
            return None
        try:
            with bulk_allocation():
                key, payload = _loads(data)
        except Exception:  # a corrupt or foreign file is just a cache miss
            return None
        return payload if key == self.key else None

    def _write(self, name: str, payload: object) -> None:
        try:
            self._prepare()
            buffer = io.BytesIO()
            _ViewPickler(buffer).dump((self.key, payload))
            handle, temp = tempfile.mkstemp(dir=self.folder, prefix=f".{name}.", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(buffer.getbuffer())
                os.replace(temp, self.folder / name)
            except BaseException:
                os.unlink(temp)
                raise
        except OSError:
            return  # a read-only vault still works, only slower

    def _prepare(self) -> None:
        if self.folder.is_dir() and not self.folder.is_symlink():
            if inside(self.root, self.folder):
                return
            raise OSError("the cache folder leads out of the vault")
        state = self.root / ".netvault"
        if state.is_symlink() or not inside(self.root, state):
            raise OSError("the .netvault folder leads out of the vault")
        state.mkdir(exist_ok=True)
        self.folder.mkdir(exist_ok=True)
        # Git reads this file too, so the cache stays out of a repository made later.
        (self.folder / ".gitignore").write_text("# netvault's disposable cache\n*\n")
        _ignore_in_git(self.root)

    # -- the view and the note shards ------------------------------------------------------
    def load_view(self) -> tuple[bytes, dict[str, bytes], ContactView] | None:
        payload = self._read("view.pickle")
        return payload if isinstance(payload, tuple) and len(payload) == 3 else None

    def save_view(self, stamp: bytes, racy: dict[str, bytes], view: ContactView) -> None:
        self._write("view.pickle", (stamp, racy, view))

    def load_entries(self) -> dict[str, Entry]:
        found: dict[str, Entry] = {}
        for shard in range(SHARDS):
            payload = self._read(f"notes-{shard:02d}.pickle")
            if isinstance(payload, dict):
                found.update(payload)
        return found

    def save_entries(self, entries: dict[str, Entry], shards: Iterable[int]) -> None:
        """Rewrite the given shards with what `entries` holds for them."""
        by_shard: dict[int, dict[str, Entry]] = {shard: {} for shard in shards}
        for relpath, entry in entries.items():
            content = by_shard.get(_shard(relpath))
            if content is not None:
                content[relpath] = entry
        for shard, content in by_shard.items():
            self._write(f"notes-{shard:02d}.pickle", content)


def _ignore_in_git(root: Path) -> None:
    """Keep the cache out of git, but only in a vault that uses git or has a .gitignore."""
    if not ((root / ".gitignore").is_file() or (root / ".git").exists()):
        return
    from .vaultinit import ensure_gitignore

    try:
        ensure_gitignore(root)
    except OSError:
        return


# ---- putting it together ------------------------------------------------------------------


def _still_valid(stamp: Stamp, note_file: NoteFile) -> bool:
    size, mtime_ns, digest = stamp
    if size != note_file.size or mtime_ns != note_file.mtime_ns:
        return False
    if digest is None:
        return True
    data = read_note_bytes(note_file)
    return isinstance(data, bytes) and _digest(data) == digest


def cached_index(
    root: Path, config: Config, files: list[NoteFile], base_problems: list[Problem]
) -> Index:
    """The index of the vault, from the cache where it is still valid."""
    store = CacheStore(root, config)
    current = fingerprint(files)
    view = _valid_view(store, files, current)
    entries: dict[str, Entry] | None = None
    parsed_now: dict[str, ParsedNote] = {}
    if view is None:
        view, entries, parsed_now = _refresh(store, root, config, files, current)

    def load_full() -> Index:
        return _full_index(store, root, config, files, base_problems, entries, parsed_now)

    problems = list(base_problems) + view.problems
    problems.sort(key=lambda p: (p.path, p.line, p.code))
    return CachedIndex(root, config, problems, view, load_full)


def _valid_view(store: CacheStore, files: list[NoteFile], current: bytes) -> ContactView | None:
    cached = store.load_view()
    if cached is None:
        return None
    stamp, racy, view = cached
    if stamp != current:
        return None
    by_path = {f.relpath: f for f in files} if racy else {}
    for relpath, digest in racy.items():
        note_file = by_path.get(relpath)
        if note_file is None or not _still_valid(
            (note_file.size, note_file.mtime_ns, digest), note_file
        ):
            return None
    return view


def _current_entries(
    store: CacheStore, files: list[NoteFile], contacts_folder: str | ContactRule
) -> tuple[dict[str, Entry], set[int], dict[str, ParsedNote]]:
    """An entry for every file, parsing new and changed ones; the shards that changed; and
    the notes parsed in this process."""
    cached = store.load_entries()
    stale = [
        f for f in files if f.relpath not in cached or not _still_valid(cached[f.relpath][0], f)
    ]
    entries = {f.relpath: cached[f.relpath] for f in files if f.relpath in cached}
    changed = {_shard(relpath) for relpath in cached.keys() - entries.keys()}
    settled = time.time_ns() - RACY_NS
    stale_paths = {f.relpath for f in stale}
    for relpath, ((size, mtime_ns, digest), note, light) in list(entries.items()):
        # A racy entry whose bytes were just confirmed and whose mtime is now old enough
        # needs no digest any more: later writes will move the mtime.
        if digest is not None and mtime_ns < settled and relpath not in stale_paths:
            entries[relpath] = ((size, mtime_ns, None), note, light)
            changed.add(_shard(relpath))
    parsed_now: dict[str, ParsedNote] = {}
    for item in parse_files(stale, contacts_folder):
        entries[item.relpath] = ((item.size, item.mtime_ns, item.digest), item.note, item.light)
        changed.add(_shard(item.relpath))
        if item.parsed is not None:
            parsed_now[item.relpath] = item.parsed
    return entries, changed, parsed_now


def _refresh(
    store: CacheStore, root: Path, config: Config, files: list[NoteFile], current: bytes
) -> tuple[ContactView, dict[str, Entry], dict[str, ParsedNote]]:
    """Re-parse new and changed files, drop deleted ones, derive and save the view."""
    entries, changed, parsed_now = _current_entries(store, files, config.contact_rule)
    with bulk_allocation():
        view = derive_view(root, config, [entries[f.relpath][2] for f in files])
    store.save_entries(entries, changed)
    racy = {relpath: entry[0][2] for relpath, entry in entries.items() if entry[0][2] is not None}
    store.save_view(current, racy, view)
    return view, entries, parsed_now


def _full_index(
    store: CacheStore,
    root: Path,
    config: Config,
    files: list[NoteFile],
    base: list[Problem],
    entries: dict[str, Entry] | None,
    parsed_now: dict[str, ParsedNote],
) -> Index:
    """build_index over every note: parsed in this process, or unpickled from the cache."""
    if entries is None:
        entries, changed, parsed_now = _current_entries(store, files, config.contact_rule)
        store.save_entries(entries, changed)
    with bulk_allocation():
        parsed = [parsed_now.get(f.relpath) or _loads(entries[f.relpath][1]) for f in files]
        return build_index(root, config, parsed, base)
