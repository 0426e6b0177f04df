"""Finding a vault's notes on disk, safely: no dot-folders, no symlinks out of the vault."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .model import Problem

# A note larger than this is reported, not read (see docs/limits.md).
MAX_NOTE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class NoteFile:
    relpath: str  # POSIX, relative to the vault root
    abspath: str
    size: int
    mtime_ns: int
    # With size and mtime, the stamp git's index keeps: an edit that puts the size and the
    # mtime back (`sed -i` then `touch -r`) still moves the ctime, and a rename-over the inode.
    ctime_ns: int = 0
    inode: int = 0


def is_hidden_part(name: str) -> bool:
    return name.startswith(".")


def find_vault(start: Path) -> Path:
    """The nearest folder upward holding `.netvault.toml` or `.obsidian/`, else `start`."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".netvault.toml").is_file() or (folder / ".obsidian").is_dir():
            return folder
    return start


def inside(root: Path, candidate: Path) -> bool:
    """True when `candidate`, with every symlink resolved, lies within `root`."""
    try:
        resolved = candidate.resolve(strict=False)
    except (OSError, RuntimeError):  # a symlink loop
        return False
    return resolved == root or root in resolved.parents


def walk_notes(root: Path) -> tuple[list[NoteFile], list[Problem]]:
    """Every `.md` note of the vault, sorted by path, and the problems met on the way."""
    root = root.resolve()
    files: list[NoteFile] = []
    problems: list[Problem] = []
    for entry, rel in _entries(root, root, "", problems):
        try:
            stat = entry.stat(follow_symlinks=False)
        except OSError as exc:
            problems.append(Problem(rel, 1, "error", "unreadable", f"cannot read: {exc.strerror}"))
            continue
        if not _encodable(rel):
            problems.append(Problem(rel.encode("utf-8", "replace").decode("utf-8"), 1, "error",
                                    "bad-file-name",
                                    "the file name is not valid UTF-8; rename the note"))
            continue
        files.append(
            NoteFile(rel, entry.path, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns,
                     stat.st_ino)
        )
    files.sort(key=lambda f: f.relpath)
    return files, problems


def _encodable(relpath: str) -> bool:
    """False for a name that was not UTF-8 on disk (Python keeps its bytes as surrogates):
    no index, JSON document or wikilink can hold it."""
    try:
        relpath.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def stamp_of(note: NoteFile) -> tuple[int, int, int, int]:
    return note.size, note.mtime_ns, note.ctime_ns, note.inode


def _entries(
    root: Path, folder: Path, prefix: str, problems: list[Problem]
) -> Iterator[tuple[os.DirEntry[str], str]]:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        problems.append(
            Problem(prefix.rstrip("/") or ".", 1, "error", "unreadable",
                    f"cannot list folder: {exc.strerror}")
        )
        return
    for entry in entries:
        if is_hidden_part(entry.name):
            continue
        rel = prefix + entry.name
        try:
            is_link = entry.is_symlink()
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            continue
        if is_link:
            # A link inside the vault is read where its target really is; one leading out
            # of the vault (or into a loop) is never followed.
            worth_saying = entry.name.lower().endswith(".md") or not os.path.isfile(entry.path)
            if worth_saying and not inside(root, Path(entry.path)):
                problems.append(
                    Problem(rel, 1, "warning", "symlink-outside",
                            "symlink points outside the vault (or loops); not followed")
                )
        elif is_dir:
            yield from _entries(root, Path(entry.path), rel + "/", problems)
        elif entry.name.lower().endswith(".md"):
            yield entry, rel


def read_note_bytes(note: NoteFile) -> bytes | Problem:
    """The note's bytes, or a problem when it is too large or unreadable."""
    if note.size > MAX_NOTE_BYTES:
        return Problem(
            note.relpath, 1, "error", "note-too-large",
            f"note is {note.size:,} bytes; notes over {MAX_NOTE_BYTES:,} bytes are not read",
        )
    try:
        with open(note.abspath, "rb") as handle:
            # Sized by the walk's stat: read(MAX_NOTE_BYTES + 1) would allocate an 8 MiB
            # buffer for every note. One that grew since is read on, up to the limit.
            data = handle.read(note.size + 1)
            if len(data) > note.size:
                data += handle.read(MAX_NOTE_BYTES + 1 - len(data))
            return data
    except OSError as exc:
        return Problem(note.relpath, 1, "error", "unreadable", f"cannot read: {exc.strerror}")
