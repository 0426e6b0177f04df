"""Keep the index (and the report) current while notes change on disk.

Designed as mkdocs' live reload is: watchdog's event handlers only record which paths
changed and set a flag; one worker thread waits for a short quiet spell (the debounce) and
then rebuilds once, so an editor's burst of saves or a `git checkout` touching hundreds of
files costs one rebuild. A rebuild re-parses only the changed files, keeps every other
parsed note from memory, derives a fresh index from them (`build_index`) and diffs the
vault's problems before and after.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from watchdog.events import (
    EVENT_TYPE_CLOSED,
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from .config import CONFIG_NAME, Config, load_config
from .index import Index, build_index
from .model import Note, ParsedNote, Problem
from .parse import parse_note
from .vaultfs import (
    NoteFile,
    ignored_folders,
    inside,
    is_hidden_part,
    is_ignored,
    read_note_bytes,
    walk_notes,
)

DEBOUNCE_SECONDS = 0.15
log = logging.getLogger(__name__)

# Reading a note makes the kernel report it opened and closed-without-writing; acting on those
# would make every rebuild trigger the next one.
_CHANGE_EVENTS = frozenset(
    {EVENT_TYPE_CREATED, EVENT_TYPE_MODIFIED, EVENT_TYPE_DELETED, EVENT_TYPE_MOVED,
     EVENT_TYPE_CLOSED}
)


@dataclass(frozen=True, slots=True)
class Rebuild:
    """What one rebuild did. Times are `time.monotonic()` seconds."""

    number: int
    changed: tuple[str, ...]  # notes (re-)parsed, vault-relative
    removed: tuple[str, ...]  # notes gone from the index
    appeared: tuple[Problem, ...]
    cleared: tuple[Problem, ...]
    last_event_at: float
    started_at: float
    index_ready_at: float
    report_ready_at: float | None = None
    report_path: Path | None = None
    error: str | None = None  # the rebuild failed; the previous index is kept

    @property
    def index_seconds(self) -> float:
        return self.index_ready_at - self.started_at

    @property
    def report_seconds(self) -> float | None:
        """Rendering and writing the report, after the index was ready."""
        return None if self.report_ready_at is None else self.report_ready_at - self.index_ready_at


ReportWriter = Callable[[Index], Path]


@dataclass
class _Pending:
    paths: set[str] = field(default_factory=set)
    last_event_at: float = 0.0


class Watcher:
    """Watch the vault at `root`; after each quiet spell, rebuild and call `on_rebuild`.

    `write_report(index)` renders and writes the report, returning its path. The report
    file (config `report_path`) is never read back, so writing it starts no rebuild.
    """

    def __init__(
        self,
        root: Path,
        *,
        write_report: ReportWriter | None = None,
        on_rebuild: Callable[[Rebuild], None] | None = None,
        debounce_seconds: float = DEBOUNCE_SECONDS,
    ) -> None:
        self.root = root.resolve()
        self.write_report = write_report
        self.on_rebuild = on_rebuild
        self.debounce_seconds = debounce_seconds
        self.config = Config()
        self._ignored: frozenset[str] = frozenset()  # Obsidian's template folders
        self._config_problems: list[Problem] = []
        self._parsed: dict[str, ParsedNote] = {}
        self._stamps: dict[str, tuple[int, int]] = {}  # path -> (size, mtime_ns) when parsed
        self._fs_problems: dict[str, list[Problem]] = {}
        self._index: Index | None = None
        self._lock = threading.Lock()
        self._pending = _Pending()
        self._dirty = threading.Event()
        self._stopping = threading.Event()
        self._done = threading.Condition()
        self.rebuilds = 0
        self._observer: BaseObserver | None = None
        self._worker: threading.Thread | None = None

    # ---- life cycle ----------------------------------------------------------------------
    def start(self) -> Rebuild:
        """Index the whole vault, write the report, then start watching. Returns that first
        build as rebuild number 0 (every note counts as changed; no problems as new)."""
        started = time.monotonic()
        self._load_everything()
        first = self._finish(Rebuild(0, tuple(sorted(self._parsed)), (), (), (), started,
                                     started, time.monotonic()))
        observer = Observer()
        observer.schedule(_Handler(self), str(self.root), recursive=True)
        observer.daemon = True
        observer.start()
        self._observer = observer
        self._worker = threading.Thread(target=self._run, name="netvault-watch", daemon=True)
        self._worker.start()
        return first

    def stop(self, timeout: float = 1.0) -> None:
        """Stop watching; returns within about `timeout` seconds even mid-rebuild."""
        self._stopping.set()
        self._dirty.set()
        deadline = time.monotonic() + timeout
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(max(deadline - time.monotonic(), 0.0))
        if self._worker is not None:
            self._worker.join(max(deadline - time.monotonic(), 0.0))

    @property
    def index(self) -> Index:
        if self._index is None:
            raise RuntimeError("the watcher has not started")
        return self._index

    def wait_for_rebuilds(self, count: int, timeout: float) -> bool:
        """Block until at least `count` rebuilds in all have finished; False on timeout."""
        with self._done:
            return self._done.wait_for(lambda: self.rebuilds >= count, timeout)

    # ---- events --------------------------------------------------------------------------
    def notice(self, abspath: str, is_directory: bool) -> None:
        """Record one changed path (called from watchdog's thread; cheap on purpose)."""
        relpath = self._relevant(abspath, is_directory)
        if relpath is None:
            return
        with self._lock:
            self._pending.paths.add(relpath)
            self._pending.last_event_at = time.monotonic()
            self._dirty.set()

    def _relevant(self, abspath: str, is_directory: bool) -> str | None:
        relative = os.path.relpath(abspath, self.root)
        if relative == "." or relative.startswith(".." + os.sep) or relative == "..":
            return None
        relpath = PurePosixPath(*Path(relative).parts).as_posix()
        if relpath == CONFIG_NAME:
            return relpath
        if any(is_hidden_part(part) for part in relpath.split("/")):
            return None
        if relpath == self.config.report_path or is_ignored(relpath, self._ignored):
            return None
        if not is_directory and not relpath.lower().endswith(".md"):
            return None
        return relpath

    # ---- the worker ----------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stopping.is_set():
            self._dirty.wait()
            if self._stopping.is_set():
                return
            # Debounce: rebuild only once no event has come for `debounce_seconds`.
            while True:
                with self._lock:
                    quiet_at = self._pending.last_event_at + self.debounce_seconds
                wait = quiet_at - time.monotonic()
                if wait <= 0:
                    break
                if self._stopping.wait(wait):
                    return
            with self._lock:
                batch, self._pending = self._pending, _Pending()
                self._dirty.clear()
            self._publish(self._rebuild(batch))

    def _publish(self, result: Rebuild) -> None:
        with self._done:
            self.rebuilds += 1
            self._done.notify_all()
        if self.on_rebuild is not None:
            try:
                self.on_rebuild(result)
            except Exception:
                # A failing printer must not stop the watcher; the next rebuild tries again.
                log.exception("on_rebuild failed")

    def _rebuild(self, batch: _Pending) -> Rebuild:
        started = time.monotonic()
        before = set(self.index.problems)
        number = self.rebuilds + 1
        try:
            if CONFIG_NAME in batch.paths:
                changed, removed = self._load_everything()
            else:
                changed, removed = self._apply(sorted(batch.paths))
                self._index = self._build()
        except Exception as exc:  # keep watching with the last good index
            return Rebuild(
                number, (), (), (), (), batch.last_event_at, started, time.monotonic(),
                error=f"{type(exc).__name__}: {exc}",
            )
        index_ready = time.monotonic()
        after = set(self.index.problems)
        order = _problem_order
        appeared = tuple(sorted(after - before, key=order))
        cleared = tuple(sorted(before - after, key=order))
        return self._finish(
            Rebuild(
                number, tuple(changed), tuple(removed), appeared, cleared,
                batch.last_event_at, started, index_ready,
            )
        )

    def _finish(self, result: Rebuild) -> Rebuild:
        """Write the report for the new index, if there is one to write."""
        if self.write_report is None:
            return result
        try:
            path = self.write_report(self.index)
        except Exception as exc:
            return replace(result, error=f"report not written: {type(exc).__name__}: {exc}")
        return replace(result, report_path=path, report_ready_at=time.monotonic())

    # ---- keeping the parsed notes --------------------------------------------------------
    def _load_everything(self) -> tuple[list[str], list[str]]:
        old = set(self._parsed)
        self.config, self._config_problems = load_config(self.root)
        self._ignored = ignored_folders(self.root)
        self._parsed.clear()
        self._stamps.clear()
        files, problems = walk_notes(self.root)
        self._fs_problems = _by_path(problems)
        for note_file in files:
            if note_file.relpath != self.config.report_path:
                self._parse(note_file)
        self._index = self._build()
        return sorted(self._parsed), sorted(old - set(self._parsed))

    def _build(self) -> Index:
        extra = [*self._config_problems, *(p for ps in self._fs_problems.values() for p in ps)]
        return build_index(self.root, self.config, self._parsed.values(), extra)

    def _apply(self, relpaths: Iterable[str]) -> tuple[list[str], list[str]]:
        changed: list[str] = []
        removed: list[str] = []
        for relpath in relpaths:
            abspath = self.root / relpath
            try:
                info = os.lstat(abspath)
            except OSError:  # gone, or its folder is (a delete, or the source of a move)
                removed += self._forget(relpath)
                continue
            if stat.S_ISDIR(info.st_mode):
                found_changed, found_removed = self._rescan_folder(relpath)
                changed += found_changed
                removed += found_removed
            elif stat.S_ISREG(info.st_mode) and relpath.lower().endswith(".md"):
                self._fs_problems.pop(relpath, None)
                if self._parse(NoteFile(relpath, str(abspath), info.st_size, info.st_mtime_ns)):
                    changed.append(relpath)
                else:
                    removed += self._forget(relpath)
            else:
                # A symlink is never read where it stands, as in a full walk of the vault.
                removed += self._forget(relpath)
                if stat.S_ISLNK(info.st_mode) and not inside(self.root, abspath):
                    self._fs_problems[relpath] = [
                        Problem(relpath, 1, "warning", "symlink-outside",
                                "symlink points outside the vault (or loops); not followed")
                    ]
        return sorted(set(changed)), sorted(set(removed))

    def _parse(self, note_file: NoteFile) -> bool:
        """Read and parse one note into the cache; False when it vanished meanwhile."""
        if not os.path.lexists(note_file.abspath):
            return False
        data = read_note_bytes(note_file)
        if isinstance(data, Problem):
            if data.code == "unreadable" and not os.path.lexists(note_file.abspath):
                return False
            title = PurePosixPath(note_file.relpath).stem
            parsed = ParsedNote(Note(path=note_file.relpath, title=title), (data,))
        else:
            parsed = parse_note(note_file.relpath, data, self.config.contact_rule)
        self._parsed[note_file.relpath] = parsed
        self._stamps[note_file.relpath] = (note_file.size, note_file.mtime_ns)
        return True

    def _forget(self, relpath: str) -> list[str]:
        """Drop the note at `relpath`, or every note under it when it was a folder."""
        prefix = relpath + "/"
        gone = [p for p in self._parsed if p == relpath or p.startswith(prefix)]
        for path in gone:
            del self._parsed[path]
            del self._stamps[path]
        for path in [p for p in self._fs_problems if p == relpath or p.startswith(prefix)]:
            del self._fs_problems[path]
        return gone

    def _rescan_folder(self, relpath: str) -> tuple[list[str], list[str]]:
        """A folder appeared or moved in: parse what is new or changed in it, drop the rest."""
        files, problems = walk_notes(self.root / relpath)
        prefix = relpath + "/"
        for path in [p for p in self._fs_problems if p.startswith(prefix)]:
            del self._fs_problems[path]
        for problem in problems:
            path = relpath if problem.path == "." else prefix + problem.path
            self._fs_problems.setdefault(path, []).append(
                Problem(path, problem.line, problem.severity, problem.code, problem.message)
            )
        changed: list[str] = []
        present: set[str] = set()
        for found in files:
            note_file = NoteFile(prefix + found.relpath, found.abspath, found.size, found.mtime_ns)
            if note_file.relpath == self.config.report_path or is_ignored(
                note_file.relpath, self._ignored
            ):
                continue
            present.add(note_file.relpath)
            if self._stamps.get(note_file.relpath) == (found.size, found.mtime_ns):
                continue
            if self._parse(note_file):
                changed.append(note_file.relpath)
        removed = [p for p in self._parsed if p.startswith(prefix) and p not in present]
        for path in removed:
            self._forget(path)
        return changed, removed


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CHANGE_EVENTS:
            return
        # A modified folder only means its listing changed; its files report themselves.
        if event.is_directory and event.event_type in (EVENT_TYPE_MODIFIED, EVENT_TYPE_CLOSED):
            return
        self.watcher.notice(os.fsdecode(event.src_path), event.is_directory)
        if event.event_type == EVENT_TYPE_MOVED and event.dest_path:
            self.watcher.notice(os.fsdecode(event.dest_path), event.is_directory)


def _by_path(problems: Iterable[Problem]) -> dict[str, list[Problem]]:
    grouped: dict[str, list[Problem]] = {}
    for problem in problems:
        grouped.setdefault(problem.path, []).append(problem)
    return grouped


def _problem_order(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.path, problem.line, problem.code, problem.message)
