"""How the network changed, month by month, read from the vault's git history.

Uses the git CLI: one `git log --raw -z` for every change to a note (blob ids included, so
no `git show` per file), then one `git cat-file --batch` for the old and new versions,
each parsed with `parse_note`. History follows the first parent, so a merge counts as the
changes it brought into the main line. Renames are detected and are neither an addition
nor a removal.

Events, each dated by its commit's author date:
- added / removed: a contact note appears or goes (or stops being a contact);
- tie up / tie down: a contact's `tie` changes;
- met: a contact note gains an in-person log line, or its `last_met` moves forward;
- intro made: an intro note (`type: intro`) gets `status: made`.
A contact note that appears in a commit counts as added only: its older log lines are
not meetings of that month.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Literal

from .config import Config
from .errors import NetvaultError
from .model import Contact, Note
from .parse import link_target, parse_note
from .vaultfs import MAX_NOTE_BYTES

EventKind = Literal["added", "removed", "tie_up", "tie_down", "met", "intro_made"]
EVENT_KINDS: tuple[EventKind, ...] = ("added", "removed", "tie_up", "tie_down", "met", "intro_made")

_NULL_SHA = "0" * 40
_COMMIT_MARK = "\x01"
# Settings a user's git config may hold that would change what `git log` prints.
_GIT_SAFE = ("-c", "log.showSignature=false", "-c", "core.quotePath=false")
# Clicked and business imply the intro was made, even when the note skipped that status.
_MADE = frozenset({"made", "clicked", "business"})


class HistoryUnavailable(NetvaultError):
    """The vault's history cannot be read: not a git repository, or git is missing."""


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    kind: EventKind
    day: date  # the commit's (author) date
    commit: str
    path: str
    name: str
    tie_from: int | None = None
    tie_to: int | None = None
    met_on: date | None = None
    other: str | None = None  # the second person of an intro


@dataclass(frozen=True, slots=True)
class MonthSummary:
    month: str  # "2026-11"
    events: tuple[HistoryEvent, ...]

    def of(self, kind: EventKind) -> list[HistoryEvent]:
        return [e for e in self.events if e.kind == kind]


@dataclass(frozen=True, slots=True)
class History:
    since: date | None
    commits: int
    events: tuple[HistoryEvent, ...]
    months: tuple[MonthSummary, ...] = field(default=())

    def count(self, kind: EventKind) -> int:
        return sum(1 for e in self.events if e.kind == kind)


@dataclass(frozen=True, slots=True)
class _Change:
    status: str  # A, M, D, R, C, T
    old_path: str | None
    new_path: str | None
    old_blob: str | None
    new_blob: str | None


@dataclass(frozen=True, slots=True)
class _Commit:
    sha: str
    day: date
    changes: tuple[_Change, ...]


class _GitFailed(Exception):
    """git ran and exited non-zero; the message is its last line of stderr."""


def _git(root: Path, args: Sequence[str], stdin: bytes | None = None) -> bytes:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            ["git", *_GIT_SAFE, *args],
            cwd=root,
            input=stdin,
            capture_output=True,
            env=env,
            check=False,
        )
    except FileNotFoundError:
        raise HistoryUnavailable(
            "git is not installed (or not on PATH); `netvault history` reads the vault's git "
            "history"
        ) from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _GitFailed(lines[-1] if lines else f"exit status {done.returncode}")
    return done.stdout


def _run(root: Path, args: Sequence[str], stdin: bytes | None = None) -> bytes:
    try:
        return _git(root, args, stdin)
    except _GitFailed as exc:
        raise HistoryUnavailable(f"git {args[0]} failed: {exc}") from None


def _has_commits(root: Path) -> bool:
    """True when the vault has commits; HistoryUnavailable when it is no git repository."""
    try:
        inside = _git(root, ["rev-parse", "--is-inside-work-tree"])
    except _GitFailed:
        raise HistoryUnavailable(
            f"{root} is not a git repository, so it has no history to read; "
            "start one with `git init` and commit the vault"
        ) from None
    if inside.strip() != b"true":
        raise HistoryUnavailable(f"{root} is inside a git directory, not a work tree")
    try:
        _git(root, ["rev-parse", "--verify", "--quiet", "HEAD"])
    except _GitFailed:
        return False
    return True


def _is_note(path: str | None) -> bool:
    if path is None or not path.lower().endswith(".md"):
        return False
    return not any(part.startswith(".") for part in PurePosixPath(path).parts)


def _commit_day(stamp: str) -> date:
    """A commit's author date; a bogus timestamp (git allows years past 9999 or before 1) is
    held at the last or first day Python can hold, so one commit cannot stop the history."""
    try:
        return date.fromisoformat(stamp[:10])
    except ValueError:
        year = stamp.lstrip("+").split("-", 1)[0]
        return date.max if year.isdigit() and int(year) > 9999 else date.min


def parse_log(output: bytes) -> list[_Commit]:
    """Commits from `git log --raw -z --format=%x01%H%x00%aI%x00`, in output order."""
    tokens = output.decode("utf-8", "surrogateescape").split("\0")
    commits: list[_Commit] = []
    sha: str | None = None
    day: date | None = None
    changes: list[_Change] = []

    def close() -> None:
        if sha is not None and day is not None:
            commits.append(_Commit(sha, day, tuple(changes)))

    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.startswith(_COMMIT_MARK):
            close()
            sha, changes = token[1:].strip(), []
            day = _commit_day(tokens[i + 1])
            i += 2
            continue
        raw = token.lstrip("\n")
        if raw.startswith(":"):
            _old_mode, _new_mode, old_blob, new_blob, status = raw[1:].split(" ", 4)
            kind = status[:1]
            if kind in ("R", "C"):
                old_path, new_path = tokens[i + 1], tokens[i + 2]
                i += 3
            else:
                old_path = new_path = tokens[i + 1]
                i += 2
            changes.append(
                _Change(
                    status=kind,
                    old_path=None if kind == "A" else old_path,
                    new_path=None if kind == "D" else new_path,
                    old_blob=None if old_blob == _NULL_SHA else old_blob,
                    new_blob=None if new_blob == _NULL_SHA else new_blob,
                )
            )
            continue
        i += 1
    close()
    return commits


def _blob_sizes(root: Path, shas: Sequence[str]) -> dict[str, int]:
    stdin = "".join(sha + "\n" for sha in shas).encode()
    output = _run(root, ["cat-file", "--batch-check"], stdin=stdin)
    sizes: dict[str, int] = {}
    for line in output.decode("ascii", "replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2].isdigit():
            sizes[parts[0]] = int(parts[2])
    return sizes


def _read_blobs(root: Path, shas: Iterable[str]) -> dict[str, bytes]:
    """The blobs' bytes; one over the note size limit is not read at all (as in the vault,
    where such a note is reported, not read), so it is missing from the result."""
    unique = sorted(set(shas))
    if not unique:
        return {}
    sizes = _blob_sizes(root, unique)
    wanted = [sha for sha in unique if sizes.get(sha, 0) <= MAX_NOTE_BYTES]
    if not wanted:
        return {}
    output = _run(root, ["cat-file", "--batch"], stdin="".join(s + "\n" for s in wanted).encode())
    blobs: dict[str, bytes] = {}
    pos = 0
    while pos < len(output):
        header_end = output.index(b"\n", pos)
        header = output[pos:header_end].split()
        pos = header_end + 1
        if len(header) < 3:  # "<sha> missing"
            continue
        size = int(header[2])
        blobs[header[0].decode()] = output[pos : pos + size]
        pos += size + 1
    return blobs


def _note(
    path: str | None, blob: str | None, blobs: dict[str, bytes], config: Config
) -> Note | None:
    if path is None or not _is_note(path) or blob is None or blob not in blobs:
        return None
    return parse_note(path, blobs[blob], config.contact_rule).note


def _intro_status(note: Note | None) -> str | None:
    if note is None or note.contact is not None or note.meta.get("type") != "intro":
        return None
    status = note.meta.get("status")
    return str(status).strip().lower() if status is not None else None


def _intro_side(note: Note, key: str) -> str:
    value = note.meta.get(key)
    text = str(value).strip() if value is not None else ""
    if text.startswith("[[") and text.endswith("]]"):
        text = link_target(text[2:-2]) or text
    return text or "?"


def _met_dates(old: Contact, new: Contact, old_note: Note, new_note: Note) -> list[date]:
    before = {(i.date, i.text) for i in old_note.interactions if i.channel == "in person"}
    dates = [
        i.date
        for i in new_note.interactions
        if i.channel == "in person" and (i.date, i.text) not in before
    ]
    if new.last_met is not None and (old.last_met is None or new.last_met > old.last_met):
        dates.append(new.last_met)
    return dates


def _contact_events(
    commit: _Commit, old_note: Note | None, new_note: Note | None
) -> list[HistoryEvent]:
    old = old_note.contact if old_note else None
    new = new_note.contact if new_note else None
    if new is not None and old is None:
        return [HistoryEvent("added", commit.day, commit.sha, new.path, new.name)]
    if old is not None and new is None:
        return [HistoryEvent("removed", commit.day, commit.sha, old.path, old.name)]
    if old is None or new is None or old_note is None or new_note is None:
        return []
    found: list[HistoryEvent] = []
    if old.tie is not None and new.tie is not None and old.tie != new.tie:
        found.append(
            HistoryEvent(
                "tie_up" if new.tie > old.tie else "tie_down",
                commit.day,
                commit.sha,
                new.path,
                new.name,
                tie_from=old.tie,
                tie_to=new.tie,
            )
        )
    met = _met_dates(old, new, old_note, new_note)
    if met:
        found.append(
            HistoryEvent("met", commit.day, commit.sha, new.path, new.name, met_on=max(met))
        )
    return found


def _events(commit: _Commit, blobs: dict[str, bytes], config: Config) -> list[HistoryEvent]:
    found: list[HistoryEvent] = []
    for change in commit.changes:
        if any(blob is not None and blob not in blobs
               for blob in (change.old_blob, change.new_blob)):
            continue  # a version too large to read: no event is better than a wrong one
        old_note = _note(change.old_path, change.old_blob, blobs, config)
        new_note = _note(change.new_path, change.new_blob, blobs, config)
        found.extend(_contact_events(commit, old_note, new_note))
        if (
            new_note is not None
            and _intro_status(new_note) in _MADE
            and _intro_status(old_note) not in _MADE
        ):
            found.append(
                HistoryEvent(
                    "intro_made",
                    commit.day,
                    commit.sha,
                    new_note.path,
                    _intro_side(new_note, "a"),
                    other=_intro_side(new_note, "b"),
                )
            )
    return found


def _by_month(events: Sequence[HistoryEvent]) -> tuple[MonthSummary, ...]:
    months: dict[str, list[HistoryEvent]] = {}
    for item in events:
        months.setdefault(item.day.strftime("%Y-%m"), []).append(item)
    return tuple(MonthSummary(month, tuple(items)) for month, items in sorted(months.items()))


def history(root: Path, config: Config, since: date | None = None) -> History:
    """The vault's history from `since` (inclusive; None: all of it), oldest first."""
    if not _has_commits(root):
        return History(since, 0, ())
    output = _run(
        root,
        [
            "log",
            "--reverse",
            "--first-parent",
            "--diff-merges=first-parent",
            "--raw",
            "-z",
            "--no-abbrev",
            "-M",
            "--no-color",
            "--relative",
            f"--format={_COMMIT_MARK}%H%x00%aI%x00",
        ],
    )
    commits = [c for c in parse_log(output) if since is None or c.day >= since]
    notes = [
        c
        for commit in commits
        for c in commit.changes
        if _is_note(c.old_path) or _is_note(c.new_path)
    ]
    wanted = [b for c in notes for b in (c.old_blob, c.new_blob) if b is not None]
    blobs = _read_blobs(root, wanted)
    events: list[HistoryEvent] = []
    for commit in commits:
        relevant = tuple(c for c in commit.changes if _is_note(c.old_path) or _is_note(c.new_path))
        events.extend(_events(_Commit(commit.sha, commit.day, relevant), blobs, config))
    return History(since, len(commits), tuple(events), _by_month(events))


def note_as_of(root: Path, relpath: str, day: date) -> bytes | None:
    """A note as last committed on or before `day`; None when git has no such version
    (not a repository, git missing, the note not committed by then)."""
    try:
        found = _git(
            root, ["log", "-1", "--format=%H", f"--until={day.isoformat()}T23:59:59", "--", relpath]
        ).strip()
        if not found:
            return None
        return _git(root, ["show", f"{found.decode('ascii')}:./{relpath}"])
    except (_GitFailed, HistoryUnavailable):
        return None
