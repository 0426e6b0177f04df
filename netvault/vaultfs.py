"""Finding a vault's notes on disk, safely: no dot-folders, no symlinks out of the vault."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import NetvaultError, UsageProblem
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


class NoVault(UsageProblem):
    """No vault here: no `.netvault.toml` and no `.obsidian/` in this folder or above."""


def find_vault(start: Path) -> Path:
    """The nearest folder upward holding `.netvault.toml` or `.obsidian/`. The file system's
    root and the home folder itself are never a vault found this way (a stray
    `~/.obsidian` would make the whole home folder one): only `--vault` names them.
    NoVault when there is none."""
    start = start.resolve()
    home = _home()
    for folder in (start, *start.parents):
        if folder == home or folder.parent == folder:
            continue
        if (folder / ".netvault.toml").is_file() or (folder / ".obsidian").is_dir():
            return folder
    raise NoVault(
        f"no vault found in {start} or any folder above it (a vault holds .netvault.toml or "
        ".obsidian/); create one with `netvault init`, or name one with --vault or "
        "NETVAULT_VAULT"
    )


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):
        return None


def inside(root: Path, candidate: Path) -> bool:
    """True when `candidate`, with every symlink resolved, lies within `root`."""
    try:
        resolved = candidate.resolve(strict=False)
    except (OSError, RuntimeError):  # a symlink loop
        return False
    return resolved == root or root in resolved.parents


# Obsidian's template folders hold `{{date}}` placeholders, not notes: the core Templates
# plugin names its folder in `.obsidian/templates.json` ("folder"), Templater in its data.json
# ("templates_folder").
_TEMPLATE_SETTINGS = (
    (".obsidian/templates.json", "folder"),
    (".obsidian/plugins/templater-obsidian/data.json", "templates_folder"),
)
_MAX_SETTINGS_BYTES = 1024 * 1024


def ignored_folders(root: Path) -> frozenset[str]:
    """Vault-relative folders that hold no notes: Obsidian's and Templater's template folders.
    Read without following a symlink and bounded; a setting that cannot be read is none."""
    import json

    found: set[str] = set()
    for relpath, key in _TEMPLATE_SETTINGS:
        try:
            data = json.loads(read_vault_file(root, relpath, _MAX_SETTINGS_BYTES))
        except (OSError, UnsafePath, ValueError, RecursionError):
            continue
        folder = data.get(key) if isinstance(data, dict) else None
        if isinstance(folder, str):
            with contextlib.suppress(UnsafePath):
                found.add("/".join(vault_parts(folder.strip().strip("/"))))
    return frozenset(found)


def is_ignored(relpath: str, folders: frozenset[str]) -> bool:
    return any(relpath == folder or relpath.startswith(folder + "/") for folder in folders)


def walk_notes(root: Path) -> tuple[list[NoteFile], list[Problem]]:
    """Every `.md` note of the vault, sorted by path, and the problems met on the way.

    Only regular files are notes (a FIFO called `Pipe.md` would block the reader), only
    names that are valid UTF-8 (every output writes the path), and nothing in Obsidian's
    template folders (`ignored_folders`).
    """
    root = root.resolve()
    ignored = ignored_folders(root)
    files: list[NoteFile] = []
    problems: list[Problem] = []
    for entry, rel in _entries(root, root, "", problems):
        if ignored and is_ignored(rel, ignored):
            continue
        try:
            rel.encode("utf-8")
        except UnicodeEncodeError:
            shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            problems.append(
                Problem(shown, 1, "error", "bad-file-name",
                        "the file name is not valid UTF-8; not read (rename the file)")
            )
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError as exc:
            problems.append(Problem(rel, 1, "error", "unreadable", f"cannot read: {exc.strerror}"))
            continue
        if not stat.S_ISREG(info.st_mode):
            problems.append(
                Problem(rel, 1, "warning", "not-a-file",
                        "not a regular file (a pipe, socket or device); not read")
            )
            continue
        files.append(NoteFile(rel, entry.path, info.st_size, info.st_mtime_ns,
                              info.st_ctime_ns, info.st_ino))
    files.sort(key=lambda f: f.relpath)
    return files, problems


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
        # Never blocks (a FIFO put in its place since the walk) and never follows a symlink.
        fd = os.open(note.abspath, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return Problem(note.relpath, 1, "warning", "not-a-file",
                               "not a regular file (a pipe, socket or device); not read")
            # Sized by the walk's stat: read(MAX_NOTE_BYTES + 1) would allocate an 8 MiB
            # buffer for every note. One that grew since is read on, up to the limit.
            data = handle.read(note.size + 1)
            if len(data) > note.size:
                data += handle.read(MAX_NOTE_BYTES + 1 - len(data))
            return data
    except OSError as exc:
        return Problem(note.relpath, 1, "error", "unreadable", f"cannot read: {exc.strerror}")


# --------------------------------------------------------------------------- safe paths


class UnsafePath(NetvaultError):
    """A path inside the vault that netvault will not read or write through (a symlink, a
    folder that is a file, a path leading out of the vault). `where`: the vault-relative
    path of the component at fault; `reason`: what is wrong with it."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason

    def message_for(self, relpath: str | None) -> str:
        """The reason as said about `relpath`: naming the component when it is another."""
        return self.reason if self.where == relpath else f"{self.where} {self.reason}"


def vault_parts(relpath: str) -> tuple[str, ...]:
    """The components of a vault-relative path; UnsafePath if it could lead out of the vault."""
    pure = PurePosixPath(relpath.replace("\\", "/"))
    parts = tuple(part for part in pure.parts if part not in ("", "."))
    if pure.is_absolute() or not parts or ".." in parts:
        raise UnsafePath(relpath, "is not a path inside the vault")
    return parts


_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def open_folder(
    root: Path, parts: Sequence[str], *, make: Callable[[int, str], None] | None = None
) -> int:
    """A descriptor of the folder `root/parts...`, reached one component at a time without
    following a symlink: a component that is a symlink or not a folder is refused
    (UnsafePath). A missing one is FileNotFoundError, or made with `make(folder_fd, name)`.
    The vault root itself may be a symlink: the user named it."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    walked = PurePosixPath()
    try:
        for part in parts:
            walked /= part
            try:
                child = os.open(part, _FOLDER_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                if make is None:
                    raise
                with contextlib.suppress(FileExistsError):  # made meanwhile: open it
                    make(fd, part)
                child = os.open(part, _FOLDER_FLAGS, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise UnsafePath(
                        str(walked), "is a symlink or not a folder; netvault does not follow it"
                    ) from None
                raise
            os.close(fd)
            fd = child
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_vault_file(root: Path, relpath: str) -> int:
    """A read-only descriptor of the regular file `relpath` inside the vault, reached without
    following any symlink (UnsafePath for a symlink or anything but a regular file, so a
    FIFO never blocks); FileNotFoundError if it is not there. The caller closes it."""
    parts = vault_parts(relpath)
    folder = open_folder(root, parts[:-1])
    try:
        fd = os.open(
            parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=folder
        )
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafePath(relpath, "is a symlink; netvault does not follow it") from None
        raise
    finally:
        os.close(folder)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise UnsafePath(relpath, "is not a regular file; not read")
    return fd


def read_vault_file(root: Path, relpath: str, limit: int) -> bytes:
    """A file inside the vault, read as `open_vault_file` opens it and at most `limit`
    bytes (UnsafePath if it is larger)."""
    with os.fdopen(open_vault_file(root, relpath), "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise UnsafePath(relpath, f"is {size:,} bytes; the limit is {limit:,}")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnsafePath(relpath, f"is over {limit:,} bytes; not read")
    return data
