"""Keep the index (and the report) current while notes change on disk.

Designed as mkdocs' live reload is: watchdog's event handlers only record which paths
changed and set a flag; one worker thread waits for a short quiet spell (the debounce) and
then updates the index once, so an editor's burst of saves or a `git checkout` touching
hundreds of files costs one update. An update refreshes the rows of the changed notes only
(`Store.refresh_paths`, the same refresh every command runs) and diffs the vault's problems
before and after.
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
from .index import Index, refreshed_index
from .model import Problem
from .store import Changes, Store
from .vaultfs import NoteFile, ignored_folders, inside, is_hidden_part, is_ignored, walk_notes

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
    """Watch the vault at `root`; after each quiet spell, update the index and call
    `on_rebuild`.

    `write_report(index)` renders and writes the report, returning its path. The report
    file (config `report_path`) is never read back, so writing it starts no update.
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
        self._fs_problems: dict[str, list[Problem]] = {}
        self._store: Store | None = None
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
        notes = tuple(p for p in self.index.note_paths() if p != self.config.report_path)
        first = self._finish(Rebuild(0, notes, (), (), (), started, started, time.monotonic()))
        observer = Observer()
        observer.schedule(_Handler(self), str(self.root), recursive=True)
        observer.daemon = True
        observer.start()
        self._observer = observer
        self._worker = threading.Thread(target=self._run, name="netvault-watch", daemon=True)
        self._worker.start()
        return first

    def stop(self, timeout: float = 1.0) -> None:
        """Stop watching; returns within about `timeout` seconds even mid-update."""
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
            # Debounce: update only once no event has come for `debounce_seconds`.
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
                # A failing printer must not stop the watcher; the next update tries again.
                log.exception("on_rebuild failed")

    def _rebuild(self, batch: _Pending) -> Rebuild:
        started = time.monotonic()
        before = set(self.index.problems)
        number = self.rebuilds + 1
        try:
            if CONFIG_NAME in batch.paths:
                changes = self._load_everything()
            else:
                changes = self._apply(sorted(batch.paths))
        except Exception as exc:  # keep watching with the last good index
            with self._lock:  # and try these notes again with the next change
                self._pending.paths |= batch.paths
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
                number, changes.changed, changes.removed, appeared, cleared,
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

    # ---- updating the index ----------------------------------------------------------------
    def _load_everything(self) -> Changes:
        """Read the config and refresh the whole index (at start, or when the config moved)."""
        self.config, self._config_problems = load_config(self.root)
        self._ignored = ignored_folders(self.root)
        if self._store is not None:
            self._store.config = self.config
        index, changes = refreshed_index(self.root, self.config, self._store)
        self._store = index.store
        self._fs_problems = _by_path(index.base_problems)  # the walk's, the config given
        self._publish_index()
        return changes

    def _publish_index(self, changes: Changes | None = None) -> None:
        assert self._store is not None
        extra = [*self._config_problems, *(p for ps in self._fs_problems.values() for p in ps)]
        self._store.begin_read()
        index = Index(self.root, self.config, self._store, extra)
        if changes is not None and self._index is not None:
            index.carry_over(self._index, changes.contacts)
        self._index = index

    def _apply(self, relpaths: Iterable[str]) -> Changes:
        assert self._store is not None
        started_ns = time.time_ns()
        found: list[NoteFile] = []
        gone: list[str] = []
        folders: dict[str, list[NoteFile]] = {}
        for relpath in relpaths:
            abspath = self.root / relpath
            try:
                info = os.lstat(abspath)
            except OSError:  # gone, or its folder is (a delete, or the source of a move)
                gone.append(relpath)
                self._forget_problems(relpath)
                continue
            if stat.S_ISDIR(info.st_mode):
                folders[relpath] = self._rescan_folder(relpath)
            elif stat.S_ISREG(info.st_mode) and relpath.lower().endswith(".md"):
                self._fs_problems.pop(relpath, None)
                found.append(NoteFile(relpath, str(abspath), info.st_size, info.st_mtime_ns,
                                      info.st_ctime_ns, info.st_ino))
            else:
                # A symlink is never read where it stands, as in a full walk of the vault.
                gone.append(relpath)
                self._forget_problems(relpath)
                if stat.S_ISLNK(info.st_mode) and not inside(self.root, abspath):
                    self._fs_problems[relpath] = [
                        Problem(relpath, 1, "warning", "symlink-outside",
                                "symlink points outside the vault (or loops); not followed")
                    ]
        for notes in folders.values():
            found += notes
        # A file of a folder that moved in is reported both on its own and with the folder.
        unique = {f.relpath: f for f in found if f.relpath != self.config.report_path}
        changes = self._store.refresh_paths(list(unique.values()), gone, folders, started_ns)
        self._publish_index(changes)
        return changes

    def _forget_problems(self, relpath: str) -> None:
        prefix = relpath + "/"
        for path in [p for p in self._fs_problems if p == relpath or p.startswith(prefix)]:
            del self._fs_problems[path]

    def _rescan_folder(self, relpath: str) -> list[NoteFile]:
        """A folder appeared or moved in: its notes now, and the problems met on the way."""
        files, problems = walk_notes(self.root / relpath)
        prefix = relpath + "/"
        self._forget_problems(relpath)
        for problem in problems:
            path = relpath if problem.path == "." else prefix + problem.path
            self._fs_problems.setdefault(path, []).append(
                Problem(path, problem.line, problem.severity, problem.code, problem.message)
            )
        notes = [
            NoteFile(prefix + f.relpath, f.abspath, f.size, f.mtime_ns, f.ctime_ns, f.inode)
            for f in files
        ]
        return [n for n in notes if not is_ignored(n.relpath, self._ignored)]


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
