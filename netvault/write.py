"""The one way netvault writes a file, removes one, and takes the vault lock.

A vault is input from a stranger: it arrives by `git clone` or a synced folder, and may hold
symlinks that lead anywhere. So every file netvault writes (notes, the report, outbox drafts,
exports, calendars, its state in `.netvault/`, the user's own config) goes through
`write_file`, every file it deletes through `remove_file`, and the lock through `vault_lock`;
`tests/adversarial/test_writes.py` checks that nothing else in the package writes. The rules:

- Inside the vault a path is walked from the vault root one component at a time without
  following a symlink: a folder on the way that is a symlink or not a folder is refused, and
  so is a final component that is a symlink (O_NOFOLLOW). A path cannot hold `..`.
- A new file never replaces anything: it gets its name only if the name is still free.
- An existing note is replaced only by an edit of that note (`Replace.EDIT`), and only if it
  still holds what the editor read (`before_commit`).
- Output (the report, exports, calendars) replaces only netvault's own earlier output (or an
  empty file): inside the vault never a note, outside the vault anything else only with
  `force` (the commands' --force).
- Outside the vault netvault writes only to a path the user typed, and to its own config.
- Every write is atomic: a temp file in the same folder, fsync, rename. Many new files
  (an import's notes) are made durable together (`write_new_files`): every temp file is
  written, the file system synced once, then each takes its name.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import fcntl
import os
import secrets
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import NetvaultError
from .vaultfs import UnsafePath, open_folder, vault_parts

STATE_FOLDER = ".netvault"
TEMP_PREFIX = ".netvault-"
TEMP_SUFFIX = ".tmp"
# A write killed before its rename leaves its temp file behind (hidden, never read as a
# note). A live write takes well under this long, so an older one is a leftover.
STALE_TEMP_SECONDS = 60.0
# How much of an existing file is read to tell whether it is netvault's own output.
OWN_OUTPUT_HEAD = 64 * 1024


class WriteRefused(NetvaultError):
    """netvault will not write this file; `message` says why, in one user-facing sentence."""

    def __init__(self, path: Path | None, message: str) -> None:
        super().__init__(f"{path}: {message}" if path is not None else message)
        self.path = path
        self.message = message


class Replace(enum.Enum):
    """What may already be at the target."""

    NEVER = "never"  # nothing: a new file
    EDIT = "edit"  # the note being edited, unchanged since it was read (before_commit)
    STATE = "state"  # netvault's machine state (inside `.netvault/`) or the user's config
    OUTPUT = "output"  # netvault's own earlier output, an empty file, or (with force) more


@dataclass(frozen=True, slots=True)
class Target:
    """Where one write goes: a path inside a vault, or a path outside any vault.

    `root` and `parts` for a file inside the vault (components below the root); `outside`
    for a file outside it, which only a user-typed path or netvault's own config may be.
    """

    root: Path | None
    parts: tuple[str, ...]
    outside: Path | None = None
    private: bool = False  # the user's own files: mode 0600, folders 0700

    @classmethod
    def inside(cls, root: Path, relpath: str) -> Target:
        """A vault-relative path; UnsafePath if it could lead out of the vault."""
        return cls(Path(root), vault_parts(relpath))

    @classmethod
    def typed(cls, root: Path | None, path: Path) -> Target:
        """A path the user typed (--out, --ics): the vault's rules where it lies in the vault
        (as written, or once its folder's symlinks are resolved), else outside."""
        absolute = Path(os.path.abspath(path.expanduser()))
        if root is not None:
            real_root = Path(os.path.realpath(root))
            for base, candidate in (
                (Path(os.path.abspath(root)), absolute),
                (real_root, absolute),
                (real_root, Path(os.path.realpath(absolute.parent)) / absolute.name),
            ):
                if candidate.is_relative_to(base) and candidate != base:
                    return cls.inside(root, candidate.relative_to(base).as_posix())
        return cls(None, (), absolute)

    @classmethod
    def user_file(cls, path: Path) -> Target:
        """A file in the user's own folders (config, state), outside every vault; only the
        user may read it (it may name remotes and mailboxes)."""
        return cls(None, (), Path(os.path.abspath(path)), private=True)

    @property
    def path(self) -> Path:
        if self.outside is not None:
            return self.outside
        assert self.root is not None
        return self.root.joinpath(*self.parts)

    @property
    def relpath(self) -> str | None:
        """The vault-relative POSIX path, None outside the vault."""
        return None if self.outside is not None else "/".join(self.parts)

    @property
    def in_state_folder(self) -> bool:
        return self.outside is None and len(self.parts) > 1 and self.parts[0] == STATE_FOLDER

    def is_note(self) -> bool:
        return self.outside is None and PurePosixPath(self.parts[-1]).suffix.lower() == ".md"

    def open_folder(self, *, create: bool) -> int:
        """A descriptor of the target's folder (made if `create`), reached safely; the
        caller closes it. FileNotFoundError if it is missing and not to be made."""
        try:
            if self.outside is not None:
                if create:
                    _make_folders(self.outside.parent, 0o700 if self.private else 0o777)
                return os.open(self.outside.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            assert self.root is not None
            if create:
                _make_folders(self.root)  # the vault folder itself: the user named it
            return open_folder(self.root, self.parts[:-1], make=_mkdir if create else None)
        except UnsafePath as exc:
            raise WriteRefused(self.path, exc.message_for(self.relpath)) from None
        except FileNotFoundError:
            raise
        except (FileExistsError, NotADirectoryError) as exc:
            raise WriteRefused(
                self.path, f"{exc.filename} is not a folder; nothing written"
            ) from None
        except OSError as exc:
            raise WriteRefused(
                self.path, f"cannot open its folder ({exc.strerror or exc}); nothing written"
            ) from None

    @property
    def name(self) -> str:
        return self.outside.name if self.outside is not None else self.parts[-1]


def _mkdir(folder_fd: int, name: str) -> None:
    os.mkdir(name, 0o777, dir_fd=folder_fd)


def _make_folders(folder: Path, mode: int = 0o777) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=mode)


# --------------------------------------------------------------------------- the one write

_CHANGED = "changed on disk since netvault read it; nothing written (run the command again)"
_DELETED = "was deleted since netvault read it; nothing written"


def write_file(
    target: Target,
    data: bytes,
    *,
    replace: Replace,
    mode: int | None = None,
    force: bool = False,
    is_own_output: Callable[[bytes], bool] | None = None,
    before_commit: Callable[[], None] | None = None,
) -> os.stat_result:
    """Write `data` to `target` atomically under the rules of this module (see its
    docstring); WriteRefused says why not. Returns the written file's stat.

    `mode`: of a new file (an existing one keeps its own). `is_own_output`: tells from the
    first bytes of an existing file whether netvault wrote it (Replace.OUTPUT).
    `before_commit` (Replace.EDIT): raises if the note changed since it was read; called
    once more right before the rename.
    """
    if replace is Replace.STATE and not (target.in_state_folder or target.root is None):
        raise WriteRefused(target.path, "is not netvault's machine state; nothing written")
    if replace is Replace.EDIT and before_commit is None:
        raise ValueError("an edit must check the note is unchanged before it is replaced")
    try:
        folder = target.open_folder(create=replace is not Replace.EDIT)
    except FileNotFoundError:
        raise WriteRefused(target.path, _DELETED) from None
    try:
        existing = _existing(folder, target)
        if existing is not None:
            _may_replace(folder, target, existing, replace, force, is_own_output)
            mode = stat.S_IMODE(existing.st_mode)
        elif replace is Replace.EDIT:
            raise WriteRefused(target.path, _DELETED)
        elif mode is None:
            mode = 0o600 if target.private else 0o666 & ~_umask()
        return _commit(folder, target, data, mode, existing is None, before_commit)
    finally:
        os.close(folder)


def _existing(folder: int, target: Target) -> os.stat_result | None:
    try:
        found = os.stat(target.name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(found.st_mode):
        raise WriteRefused(target.path, "is a symlink; netvault does not write through one")
    if not stat.S_ISREG(found.st_mode):
        raise WriteRefused(target.path, "is not a regular file; netvault will not write to it")
    return found


def _may_replace(
    folder: int,
    target: Target,
    existing: os.stat_result,
    replace: Replace,
    force: bool,
    is_own_output: Callable[[bytes], bool] | None,
) -> None:
    if replace in (Replace.EDIT, Replace.STATE):
        return
    if replace is Replace.NEVER:
        raise WriteRefused(target.path, "already exists; netvault will not overwrite it")
    if existing.st_size == 0:
        return
    head = _read_head(folder, target)
    if is_own_output is not None and is_own_output(head):
        return
    if target.outside is None and target.is_note():
        raise WriteRefused(
            target.path, "is a note netvault did not write; it will not replace it"
        )
    if not force:
        raise WriteRefused(
            target.path,
            "exists and is not netvault's own output; nothing written (--force replaces it)",
        )


def _read_head(folder: int, target: Target) -> bytes:
    fd = os.open(
        target.name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=folder
    )
    try:
        return os.read(fd, OWN_OUTPUT_HEAD)
    finally:
        os.close(fd)


def _commit(
    folder: int,
    target: Target,
    data: bytes,
    mode: int,
    new: bool,
    before_commit: Callable[[], None] | None,
) -> os.stat_result:
    tmp: str | None = None
    try:
        _remove_stale_temps(folder, target)
        tmp = _temp_file(folder, data, mode)
        if new:
            if before_commit is not None:
                before_commit()
            _link_new(folder, tmp, target.name)
        elif before_commit is not None:
            try:
                _replace_unless_changed(folder, tmp, target, before_commit)
            except _UndoFailed:
                tmp = None  # it holds the other program's text now: keep it
                raise
        else:
            os.rename(tmp, target.name, src_dir_fd=folder, dst_dir_fd=folder)
        tmp = None
        with contextlib.suppress(OSError):  # makes the rename durable where allowed
            os.fsync(folder)
        return os.stat(target.name, dir_fd=folder, follow_symlinks=False)
    except FileExistsError:
        raise WriteRefused(target.path, "already exists; netvault will not overwrite it") from None
    except OSError as exc:
        what = "the file was not created" if new else "the file was left as it was"
        if target.is_note():
            what = "the note was not created" if new else "the note was left as it was"
        raise WriteRefused(target.path, _failure(exc, what)) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=folder)


def _temp_file(folder: int, data: bytes, mode: int, *, sync: bool = True) -> str:
    """A new temp file in `folder` holding `data`, flushed to disk unless `sync` is False
    (the caller then syncs the file system before giving it a name)."""
    while True:
        name = f"{TEMP_PREFIX}{secrets.token_hex(4)}{TEMP_SUFFIX}"
        try:
            fd = os.open(
                name,
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                0o600,
                dir_fd=folder,
            )
        except FileExistsError:
            continue
        break
    try:
        try:
            _write_all(fd, data)
            if sync:
                os.fsync(fd)
            os.fchmod(fd, mode)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=folder)
        raise
    return name


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _failure(exc: OSError, what: str) -> str:
    reason = "no space left on device" if exc.errno == errno.ENOSPC else exc.strerror or str(exc)
    return f"could not write it ({reason}); {what}, nothing was lost"


def _link_new(folder: int, tmp: str, name: str) -> None:
    """Give the finished temp file its name only if that name is still free."""
    try:
        os.link(tmp, name, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (
            errno.EPERM,
            errno.ENOTSUP,
            errno.EOPNOTSUPP,
            errno.EXDEV,
            errno.ENOSYS,
        ):
            raise
        # No hard links here (some synced or FAT file systems): claim the name with
        # O_EXCL first, so a concurrent creator still cannot be overwritten.
        os.close(
            os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600,
                    dir_fd=folder)
        )
        os.rename(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)
        return
    with contextlib.suppress(OSError):
        os.unlink(tmp, dir_fd=folder)


_SWEPT: set[tuple[int, int]] = set()


def _remove_stale_temps(folder: int, target: Target) -> None:
    """Remove leftover temp files of killed writes, once per folder per process."""
    info = os.fstat(folder)
    if (info.st_dev, info.st_ino) in _SWEPT:
        return
    _SWEPT.add((info.st_dev, info.st_ino))
    cutoff = time.time() - STALE_TEMP_SECONDS
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not (entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(TEMP_SUFFIX)):
                continue
            with contextlib.suppress(OSError):
                found = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(found.st_mode) and found.st_mtime < cutoff:
                    os.unlink(entry.name, dir_fd=folder)


# --------------------------------------------------------------------------- many new files


# The folders a batch of writes opened (each once), or why one could not be opened.
_Folders = dict[tuple[Path | None, tuple[str, ...]], int | WriteRefused]


def write_new_files(files: Sequence[tuple[Target, bytes]]) -> list[WriteRefused | None]:
    """Create many new files inside the vault, each as `write_file` with Replace.NEVER
    would (its folder reached without following a symlink, a temp file there, then its
    name only if that is still free), but made durable together: every temp file is
    written, the file system synced once, then each file takes its name and each folder is
    synced once. A file appears whole or not at all. For each file: None when it was
    written, else the WriteRefused that says why not (the others are still written)."""
    results: list[WriteRefused | None] = [None] * len(files)
    folders: _Folders = {}
    temps: list[tuple[int, int, str]] = []  # (file number, its folder, its temp file)
    settled = 0  # temps[:settled] have their name, or were removed
    mode = 0o666 & ~_umask()

    def refuse(number: int, exc: OSError) -> None:
        target = files[number][0]
        what = "the note was not created" if target.is_note() else "the file was not created"
        results[number] = WriteRefused(target.path, _failure(exc, what))

    try:
        for number, (target, data) in enumerate(files):
            try:
                folder = _new_file_folder(target, folders)
                _remove_stale_temps(folder, target)
                temps.append((number, folder, _temp_file(folder, data, mode, sync=len(files) == 1)))
            except WriteRefused as exc:
                results[number] = exc
            except OSError as exc:
                refuse(number, exc)
        if len(files) > 1 and not _sync_temps(temps, refuse):
            return results
        for number, folder, tmp in temps:
            settled += 1
            try:
                _link_new(folder, tmp, files[number][0].name)
            except FileExistsError:
                results[number] = WriteRefused(
                    files[number][0].path, "already exists; netvault will not overwrite it"
                )
            except OSError as exc:
                refuse(number, exc)
            else:
                continue
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=folder)
        _sync_folders(folders)
    finally:
        _close_batch(folders, temps[settled:])
    return results


def _sync_temps(
    temps: Sequence[tuple[int, int, str]], refuse: Callable[[int, OSError], None]
) -> bool:
    """Make a batch's temp files durable with one sync per file system; if that fails,
    every file of the batch is refused (False) and none takes its name."""
    if not temps:
        return True
    try:
        _sync_file_systems({folder for _, folder, _ in temps})
    except OSError as exc:
        for number, _, _ in temps:
            refuse(number, exc)
        return False
    return True


def _sync_folders(folders: _Folders) -> None:
    """Make the new names in these folders durable, where that is allowed."""
    for opened in folders.values():
        if isinstance(opened, int):
            with contextlib.suppress(OSError):
                os.fsync(opened)


def _close_batch(folders: _Folders, leftover_temps: Sequence[tuple[int, int, str]]) -> None:
    """Remove the temp files that took no name and close the folders."""
    for _, folder, tmp in leftover_temps:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=folder)
    for opened in folders.values():
        if isinstance(opened, int):
            os.close(opened)


def _new_file_folder(
    target: Target, folders: _Folders
) -> int:
    """The open folder of a new file inside the vault (opened once per folder); WriteRefused
    if the file may not be made there or its name is taken."""
    if target.outside is not None:
        raise WriteRefused(target.path, "is outside the vault; nothing written")
    key = (target.root, target.parts[:-1])
    if key not in folders:
        try:
            folders[key] = target.open_folder(create=True)
        except WriteRefused as exc:
            folders[key] = exc
    folder = folders[key]
    if isinstance(folder, WriteRefused):
        raise WriteRefused(target.path, folder.message)
    if _existing(folder, target) is not None:
        raise WriteRefused(target.path, "already exists; netvault will not overwrite it")
    return folder


def _sync_file_systems(folders: set[int]) -> None:
    """Flush every file written to these folders: one syncfs per file system (Linux), else
    one sync of everything. OSError if the kernel reports a failed write-back."""
    import ctypes

    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (AttributeError, OSError):
        os.sync()
        return
    done: set[int] = set()
    for folder in folders:
        device = os.fstat(folder).st_dev
        if device in done:
            continue
        done.add(device)
        if syncfs(folder) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err))


# --------------------------------------------------------------------------- many edits


def write_edits(
    edits: Sequence[tuple[Target, bytes, Callable[[], None]]],
) -> list[os.stat_result | WriteRefused]:
    """Replace many existing files inside the vault, each as `write_file` with Replace.EDIT
    would (its folder reached without following a symlink, a temp file there, then the
    rename only if `before_commit` finds the file unchanged), but made durable together:
    every temp file is written, the file system synced once, then each file is replaced
    and each folder synced once. For each file: its stat when it was written, else the
    WriteRefused that says why not (the others are still written)."""
    if len(edits) == 1:
        target, data, before_commit = edits[0]
        try:
            return [write_file(target, data, replace=Replace.EDIT, before_commit=before_commit)]
        except WriteRefused as exc:
            return [exc]
    results: list[os.stat_result | WriteRefused] = [
        WriteRefused(target.path, _DELETED) for target, _, _ in edits
    ]
    folders: _Folders = {}
    temps: list[tuple[int, int, str]] = []  # (edit number, its folder, its temp file)
    settled = 0  # temps[:settled] replaced their file, or were removed

    def refuse(number: int, exc: OSError) -> None:
        target = edits[number][0]
        what = "the note was left as it was" if target.is_note() else "the file was left as it was"
        results[number] = WriteRefused(target.path, _failure(exc, what))

    try:
        for number, (target, data, _) in enumerate(edits):
            try:
                folder = _edited_file_folder(target, folders)
                existing = _existing(folder, target)
                if existing is None:
                    continue  # results[number] says it was deleted
                _remove_stale_temps(folder, target)
                mode = stat.S_IMODE(existing.st_mode)
                temps.append((number, folder, _temp_file(folder, data, mode, sync=False)))
            except WriteRefused as exc:
                results[number] = exc
            except OSError as exc:
                refuse(number, exc)
        if not _sync_temps(temps, refuse):
            return results
        for number, folder, tmp in temps:
            settled += 1
            target, _, before_commit = edits[number]
            try:
                _replace_unless_changed(folder, tmp, target, before_commit)
                results[number] = os.stat(target.name, dir_fd=folder, follow_symlinks=False)
                continue
            except _UndoFailed as exc:
                results[number] = exc
                continue  # the temp file holds the other program's text now: keep it
            except WriteRefused as exc:
                results[number] = exc
            except OSError as exc:
                refuse(number, exc)
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=folder)
        _sync_folders(folders)
    finally:
        _close_batch(folders, temps[settled:])
    return results


def _edited_file_folder(
    target: Target, folders: _Folders
) -> int:
    """The open folder of an existing file (opened once per folder); WriteRefused if it
    cannot be reached."""
    key = (target.root, target.parts[:-1])
    if key not in folders:
        try:
            folders[key] = target.open_folder(create=False)
        except FileNotFoundError:
            folders[key] = WriteRefused(target.path, _DELETED)
        except WriteRefused as exc:
            folders[key] = exc
    folder = folders[key]
    if isinstance(folder, WriteRefused):
        raise WriteRefused(target.path, folder.message)
    return folder


# --------------------------------------------------------------------------- replacing a note


class _UndoFailed(WriteRefused):
    """A refused save whose rename could not be undone; the temp file holds the other text."""


@contextlib.contextmanager
def _read_lease(fd: int) -> Iterator[Callable[[], bool] | None]:
    """Hold a Linux read lease on the open file `fd` for the duration of the block.

    While it is held, a program that opens the file for writing waits (at most
    /proc/sys/fs/lease-break-time) until netvault lets go. Yields a function telling whether
    one has tried, or None where there are no leases (not Linux, not the main thread, not
    the file's owner, a file system without them). WriteRefused if the file is open for
    writing right now.
    """
    set_lease = getattr(fcntl, "F_SETLEASE", None)
    if set_lease is None or threading.current_thread() is not threading.main_thread():
        yield None
        return
    # A broken lease is announced with SIGIO, whose default action ends the process.
    previous = signal.signal(signal.SIGIO, signal.SIG_IGN)
    try:
        try:
            fcntl.fcntl(fd, set_lease, fcntl.F_RDLCK)
        except OSError as exc:
            if exc.errno == errno.EAGAIN:
                raise WriteRefused(
                    None,
                    "is open for writing in another program; nothing written "
                    "(save or close it there, then run the command again)",
                ) from None
            leased = False
        else:
            leased = True
        if not leased:
            yield None
            return
        try:
            yield lambda: fcntl.fcntl(fd, fcntl.F_GETLEASE) != fcntl.F_RDLCK
        finally:
            fcntl.fcntl(fd, set_lease, fcntl.F_UNLCK)
    finally:
        signal.signal(signal.SIGIO, previous)


_RENAME_EXCHANGE = 2


def _exchange(folder: int, a: str, b: str) -> bool:
    """Swap two names in `folder` atomically (Linux renameat2 RENAME_EXCHANGE); False where
    unsupported."""
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    done = renameat2(folder, os.fsencode(a), folder, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), a)


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino, a.st_size, a.st_mtime_ns) == (b.st_dev, b.st_ino, b.st_size,
                                                              b.st_mtime_ns)


def _replace_unless_changed(
    folder: int, tmp: str, target: Target, check_unchanged: Callable[[], None]
) -> None:
    """Rename `tmp` over the target unless another program changes it meanwhile.

    `check_unchanged` raises when the note no longer holds what netvault read. A check
    followed by a rename leaves a moment in which another program's save would be lost,
    so: a read lease makes a program that opens the old file for writing wait, and an
    atomic exchange shows which file was really replaced. If that is not the checked file,
    or a program is waiting to write to it, the exchange is undone (its writer then writes
    to the live note) and the save refused. Without leases or renameat2 the check runs
    right before a plain rename.
    """
    name = target.name
    try:
        old = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=folder)
    except FileNotFoundError:
        check_unchanged()  # says the note was deleted
        raise
    try:
        with _read_lease(old) as writer_waiting:
            before = os.fstat(old)
            check_unchanged()
            if not _same_file(os.stat(name, dir_fd=folder, follow_symlinks=False), before):
                raise WriteRefused(target.path, _CHANGED)
            if not _exchange(folder, tmp, name):
                os.rename(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)
                return
            replaced = os.stat(tmp, dir_fd=folder, follow_symlinks=False)
            if _same_file(replaced, before) and not (writer_waiting and writer_waiting()):
                with contextlib.suppress(OSError):  # the old text, now under the temp name
                    os.unlink(tmp, dir_fd=folder)
                return
            try:
                undone = _exchange(folder, tmp, name)
            except OSError:
                undone = False
            if not undone:
                raise _UndoFailed(
                    target.path,
                    "changed on disk while netvault was saving it; the other text is in "
                    f"{target.path.with_name(tmp)}",
                )
            raise WriteRefused(target.path, _CHANGED)
    finally:
        os.close(old)


def build_file(target: Target, build: Callable[[Path], None]) -> os.stat_result:
    """Replace netvault's own state file `target` with one another library builds by name (a
    SQLite database): `build(path)` fills a new temp file in the target's folder, which then
    takes the target's name atomically. Only machine state, inside `.netvault/` or the user's
    own folders."""
    if not (target.in_state_folder or target.private):
        raise WriteRefused(target.path, "is not netvault's machine state; nothing written")
    folder = target.open_folder(create=True)
    tmp: str | None = None
    try:
        _existing(folder, target)  # refuses a symlink or anything but a file
        tmp = _temp_file(folder, b"", 0o600 if target.private else 0o666 & ~_umask())
        build(target.path.with_name(tmp))
        os.rename(tmp, target.name, src_dir_fd=folder, dst_dir_fd=folder)
        tmp = None
        return os.stat(target.name, dir_fd=folder, follow_symlinks=False)
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=folder)
        os.close(folder)


def make_folder(target: Target) -> None:
    """Make the folder `target` and any missing folder above it: inside the vault without
    following a symlink, outside it where the user typed."""
    if target.outside is not None:
        _make_folders(target.outside)
        return
    assert target.root is not None
    try:
        os.close(open_folder(target.root, target.parts, make=_mkdir))
    except UnsafePath as exc:
        raise WriteRefused(target.path, exc.message_for(target.relpath)) from None
    except OSError as exc:
        raise WriteRefused(
            target.path, f"could not create the folder ({exc.strerror or exc})"
        ) from None


# --------------------------------------------------------------------------- removing a file


def remove_file(target: Target, expected: bytes | None = None) -> bool:
    """Delete the file inside the vault (or in the user's own folders) at `target`, never
    through a symlink; if `expected` is given, only while it still holds exactly those
    bytes. False if it was not there."""
    if target.outside is not None and not target.private:
        raise WriteRefused(target.path, "netvault removes files only inside the vault")
    try:
        folder = target.open_folder(create=False)
        try:
            if expected is not None:
                fd = os.open(target.name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK
                             | os.O_CLOEXEC, dir_fd=folder)
                with os.fdopen(fd, "rb") as handle:
                    if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode) or (
                        handle.read(len(expected) + 1) != expected
                    ):
                        raise WriteRefused(target.path, "changed on disk; it was kept")
            os.unlink(target.name, dir_fd=folder)
        finally:
            os.close(folder)
    except FileNotFoundError:
        return False
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise WriteRefused(target.path, "is a symlink; netvault does not remove it") from None
        raise WriteRefused(
            target.path, f"could not remove it ({exc.strerror or exc}); it was kept"
        ) from None
    return True


# --------------------------------------------------------------------------- the vault lock

_HELD: dict[str, int] = {}

# In a git vault the lock, the cache and unsent drafts are machine state, not notes;
# templates and the report state in the same folder stay versioned.
STATE_GITIGNORE = "lock\ncache/\noutbox/\n"


@contextlib.contextmanager
def vault_lock(vault_root: Path, *, timeout: float | None = 30.0) -> Iterator[Path]:
    """Hold the vault-wide write lock (`.netvault/lock`) for the duration of the block.

    An flock, so the kernel releases it if the process dies. Re-entrant within a process.
    `.netvault` must be a real folder and `lock` a regular file: neither is followed if it
    is a symlink (a shared vault could point them at any file of the user's).
    """
    root = Path(vault_root)
    lock_path = root / STATE_FOLDER / "lock"
    key = os.path.realpath(root)
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield lock_path
        finally:
            _HELD[key] -= 1
        return
    fd = _open_lock(root, lock_path)
    try:
        _flock(fd, lock_path, timeout)
        with contextlib.suppress(OSError):  # who holds it, for people looking; the flock decides
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        _HELD[key] = 1
        try:
            yield lock_path
        finally:
            del _HELD[key]
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _open_lock(root: Path, lock_path: Path) -> int:
    try:
        folder = Target.inside(root, f"{STATE_FOLDER}/lock").open_folder(create=True)
        try:
            _ignore_machine_state(root)
            fd = os.open(
                "lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                0o644, dir_fd=folder,
            )
        finally:
            os.close(folder)
    except WriteRefused as exc:
        raise WriteRefused(lock_path, f"could not take the vault lock: {exc.message}") from None
    except OSError as exc:
        reason = "it is a symlink" if exc.errno == errno.ELOOP else exc.strerror or str(exc)
        raise WriteRefused(
            lock_path, f"could not take the vault lock ({reason}); nothing written"
        ) from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise WriteRefused(
            lock_path, "could not take the vault lock (not a regular file); nothing written"
        )
    return fd


def _flock(fd: int, lock_path: Path, timeout: float | None) -> None:
    if timeout is None:
        fcntl.flock(fd, fcntl.LOCK_EX)
        return
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise WriteRefused(
                    lock_path,
                    "another netvault process is changing this vault; nothing written "
                    "(try again when it has finished)",
                ) from None
            time.sleep(0.05)


def _ignore_machine_state(root: Path) -> None:
    """Write `.netvault/.gitignore` once; an existing one is the user's and is kept."""
    with contextlib.suppress(WriteRefused):
        write_file(
            Target.inside(root, f"{STATE_FOLDER}/.gitignore"),
            STATE_GITIGNORE.encode("utf-8"),
            replace=Replace.NEVER,
            mode=0o644,
        )
