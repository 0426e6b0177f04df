"""Faults: a write killed at any moment, a full disk, an editor saving the note while
netvault edits it, two netvault processes on one vault, sync-tool conflict copies.

Every test runs real processes on real files; docs/limits.md says how each fault is handled.
"""

from __future__ import annotations

import errno
import json
import os
import random
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY, Vault

from netvault import edit, write
from netvault.cli import cli
from netvault.edit import NoteEditor
from netvault.index import load_index
from netvault.write import STALE_TEMP_SECONDS, TEMP_PREFIX, TEMP_SUFFIX

KILLS = 200
BODY = "".join(f"- 2025-01-{n % 28 + 1:02d} line {n:05d} of a long log {'x' * 60}\n"
               for n in range(12_000))  # ~1 MB


def note_text(version: int) -> str:
    return f"---\nname: Ada Okafor\ntie: 3\nversion: {version}\n---\n## Log\n{BODY}"


def temp_files(folder: Path) -> set[str]:
    return {
        p.name for p in folder.iterdir()
        if p.name.startswith(TEMP_PREFIX) and p.name.endswith(TEMP_SUFFIX)
    }


# A fork server: imports netvault once, then forks a writer per "go" and reaps it per "wait",
# so 200 killed writers cost 200 forks, not 200 interpreter start-ups.
FORK_SERVER = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from netvault.edit import NoteEditor

    path = Path(sys.argv[1])
    for command in sys.stdin:
        if command.strip() == "go":
            pid = os.fork()
            if pid == 0:
                try:
                    while True:
                        editor = NoteEditor.open(path.parent, path.name)
                        version = editor.front_matter()["version"]
                        editor.set_key("version", version + 1)
                        editor.save()
                finally:
                    os._exit(3)
            print(pid, flush=True)
        else:
            _, status = os.waitpid(int(command.split()[1]), 0)
            print(status, flush=True)
    """
)


@pytest.fixture
def fork_server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    folder = tmp_path / "vault" / "people"
    folder.mkdir(parents=True)
    note = folder / "Ada Okafor.md"
    note.write_text(note_text(0), encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-c", FORK_SERVER, str(note)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        yield server, note
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=10)


def test_a_write_killed_at_any_moment_leaves_the_old_or_the_new_note(
    fork_server: tuple[subprocess.Popen[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, note = fork_server
    assert server.stdin is not None and server.stdout is not None
    folder = note.parent
    rng = random.Random(8)
    version = 0
    mid_write = 0
    leftover: set[str] = set()
    # On a loaded machine the child gets less CPU per wall-clock second: when kills keep
    # landing before any write completes, wait longer before the next ones.
    stretch = 1.0
    stalled = 0
    started = time.monotonic()
    for _ in range(KILLS):
        server.stdin.write("go\n")
        server.stdin.flush()
        pid = int(server.stdout.readline())
        time.sleep(rng.uniform(0.0, 0.06) * stretch)
        os.kill(pid, signal.SIGKILL)
        server.stdin.write(f"wait {pid}\n")
        server.stdin.flush()
        status = int(server.stdout.readline())
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status

        text = note.read_text(encoding="utf-8")
        found = re.search(r"^version: (\d+)$", text, re.MULTILINE)
        assert found is not None, "the note lost its front matter"
        now = int(found.group(1))
        assert text == note_text(now), f"note torn after version {version}"
        assert now >= version
        stalled = stalled + 1 if now == version else 0
        if stalled >= 3:
            stretch, stalled = min(stretch * 1.5, 30.0), 0
        elif now > version:
            stretch = max(stretch / 1.2, 1.0)
        version = now
        # At most the killed write's own temp file; never anything else.
        new = temp_files(folder) - leftover
        assert len(new) <= 1, new
        assert {p.name for p in folder.iterdir()} - temp_files(folder) == {"Ada Okafor.md"}
        if new:
            mid_write += 1
            for name in leftover:  # keep the disk small: only the latest one stays
                (folder / name).unlink()
            leftover = new
    elapsed = time.monotonic() - started
    assert version > KILLS / 4, f"only {version} writes finished: the kills came too early"
    assert mid_write > 0, "no kill landed in the middle of a write"
    print(f"\n{KILLS} kills survived in {elapsed:.1f} s: {version} complete writes, "
          f"{mid_write} kills mid-write, no torn note")

    # What a killed write leaves behind is hidden and never read as a note ...
    index = load_index(folder.parent)
    assert list(index.notes) == ["people/Ada Okafor.md"]
    assert index.problems == []
    # ... kept while it could still be a live write elsewhere ...
    monkeypatch.setattr(write, "_SWEPT", set())
    editor = NoteEditor.open(note.parent, note.name)
    editor.set_key("tie", 4)
    editor.save()
    assert temp_files(folder) == leftover
    # ... and removed by the next write in that folder once it is a minute old.
    stale = time.time() - STALE_TEMP_SECONDS - 5
    for name in leftover:
        os.utime(folder / name, (stale, stale))
    monkeypatch.setattr(write, "_SWEPT", set())
    editor = NoteEditor.open(note.parent, note.name)
    editor.set_key("tie", 5)
    editor.save()
    assert temp_files(folder) == set()
    assert note.read_text(encoding="utf-8") == note_text(version).replace("tie: 3", "tie: 5")


# ---- a full disk ----------------------------------------------------------------------


def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(fd: int, data: bytes) -> None:
        os.write(fd, data[: len(data) // 2])  # half of it reached the disk, then no more
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(write, "_write_all", no_space)


def notes_and_temps(vault: Vault) -> dict[str, bytes]:
    """Every file of the vault but the lock and the state folder's .gitignore (which stay,
    see docs/limits.md)."""
    return {
        k: v
        for k, v in vault.snapshot().items()
        if k not in (".netvault/lock", ".netvault/.gitignore")
    }


def test_a_full_disk_loses_nothing_and_says_so(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault.write("people/Ada Okafor.md", note_text(7))
    before = notes_and_temps(vault)
    full_disk(monkeypatch)
    result = vault.run("log", "Ada Okafor", "coffee", "--channel", "in-person")
    assert result.exit_code == 1
    assert "no space left on device" in result.output
    assert "nothing was lost" in result.output
    assert "Traceback" not in result.output
    assert notes_and_temps(vault) == before  # no half-written note, no temp file

    result = vault.run("add", "Ben Carter")
    assert result.exit_code == 1
    assert "no space left on device" in result.output
    assert "the note was not created" in result.output
    assert notes_and_temps(vault) == before

    monkeypatch.undo()
    assert vault.run("log", "Ada Okafor", "coffee").exit_code == 0


# ---- another program saving the note while netvault edits it --------------------------

WRITER = textwrap.dedent(
    """
    import os, sys, time
    path, pause, how = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    for k in range(1, 100_000):
        line = f"- other editor line {k}\\n"
        if how == "append":  # writes in place, like most editors' plain save
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(line)
        else:  # saves by rename, like vim or an IDE's atomic save
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            with open(path + ".swp", "w", encoding="utf-8") as handle:
                handle.write(text + line)
            os.replace(path + ".swp", path)
        print(k, flush=True)
        time.sleep(pause)
    """
)


@pytest.mark.parametrize("how", ["append", "rename"])
def test_an_editor_saving_meanwhile_never_loses_its_text(vault: Vault, how: str) -> None:
    note = vault.write("people/Ada Okafor.md", "---\ntie: 3\n---\n## Log\n")
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(note), "0.01", how],
        stdout=subprocess.PIPE, text=True,
    )
    runner = CliRunner()
    written: list[int] = []
    refused = 0
    try:
        deadline = time.monotonic() + 3.0
        number = 0
        while time.monotonic() < deadline:
            number += 1
            result = runner.invoke(
                cli,
                ["--vault", str(vault.root), "log", "Ada Okafor", f"netvault entry {number}"],
                env={"NETVAULT_TODAY": TODAY},
            )
            if result.exit_code == 0:
                written.append(number)
            else:
                assert result.exit_code == 1, result.output
                assert re.search(r"changed on disk|open for writing", result.output), result.output
                refused += 1
    finally:
        writer.terminate()
        out, _ = writer.communicate(timeout=10)
    completed = [int(k) for k in out.split()]
    text = note.read_text(encoding="utf-8")
    have = [int(k) for k in re.findall(r"other editor line (\d+)", text)]
    lost = sorted(set(completed) - set(have))
    assert lost == [], f"netvault overwrote the editor's lines {lost[:10]}"
    assert len(completed) > 50
    assert written and refused, (len(written), refused)
    if how == "append":  # an appending editor keeps netvault's lines too
        mine = [int(n) for n in re.findall(r"netvault entry (\d+)$", text, re.MULTILINE)]
        assert mine == written
    print(f"\n{how}: editor saved {len(completed)} times, none lost; netvault logged "
          f"{len(written)}, refused {refused}")


# ---- two netvault processes ------------------------------------------------------------

LOGGER = textwrap.dedent(
    """
    import sys
    from click.testing import CliRunner
    from netvault.cli import cli

    root, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    runner = CliRunner()
    for n in range(count):
        result = runner.invoke(
            cli, ["--vault", root, "log", "Ada Okafor", f"{tag} entry {n}"],
            env={"NETVAULT_TODAY": "2026-11-25"},
        )
        print(result.exit_code, result.output.replace("\\n", " ") if result.exit_code else "",
              flush=True)
    """
)


def test_two_netvault_processes_lose_no_update(vault: Vault) -> None:
    note = vault.write("people/Ada Okafor.md", "---\ntie: 3\n---\n## Log\n")
    vault.write("people/Ben Carter.md", "---\ntie: 2\n---\n")
    count = 25
    loggers = [
        subprocess.Popen(
            [sys.executable, "-c", LOGGER, str(vault.root), tag, str(count)],
            stdout=subprocess.PIPE, text=True,
        )
        for tag in ("first", "second")
    ]
    outputs = [logger.communicate(timeout=60)[0] for logger in loggers]
    for output in outputs:
        assert output.split("\n")[:-1] == ["0 "] * count, output
    text = note.read_text(encoding="utf-8")
    for tag in ("first", "second"):
        logged = [int(n) for n in re.findall(rf"- {TODAY} {tag} entry (\d+)$", text, re.MULTILINE)]
        assert logged == list(range(count)), (tag, logged)


def test_the_vault_lock_is_released_when_its_holder_is_killed(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", "---\ntie: 3\n---\n## Log\n")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom netvault.write import vault_lock\n"
         "with vault_lock(sys.argv[1]):\n    print('locked', flush=True)\n    time.sleep(60)\n",
         str(vault.root)],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    holder.kill()
    holder.wait(timeout=10)
    started = time.monotonic()
    result = vault.run("log", "Ada Okafor", "after the crash")
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 5  # not the 30 s a held lock would cost
    assert (vault.root / ".netvault" / "lock").exists()  # kept: the flock is what counts


# ---- sync-tool conflict copies ---------------------------------------------------------


def test_sync_conflict_copies_are_reported_as_likely_duplicates(vault: Vault) -> None:
    ada = "---\ntie: 4\nemail: ada@example.com\n---\n## Log\n- 2026-10-01 (call) catch-up\n"
    vault.write("people/Ada Okafor.md", ada)
    vault.write("people/Ada Okafor (conflicted copy).md", ada)
    vault.write("people/Ada Okafor (Sam's conflicted copy 2026-11-20).md", ada)
    vault.write("people/Ada Okafor 2.md", ada.replace("catch-up", "catch-up, edited"))
    vault.write("people/Ben Carter.md", "---\ntie: 2\n---\n")
    vault.write("people/Ben Carter 2.md", "---\ntie: 3\nrole: a namesake\n---\n")
    result = vault.run("check", "--json")
    report = json.loads(result.stdout)
    duplicates = {
        p["path"]: p["message"] for p in report["problems"] if p["code"] == "likely-duplicate"
    }
    copies = [
        "people/Ada Okafor (Sam's conflicted copy 2026-11-20).md",
        "people/Ada Okafor (conflicted copy).md",
        "people/Ada Okafor 2.md",
    ]
    assert sorted(duplicates) == [*copies, "people/Ben Carter 2.md"]
    for path in copies:
        assert duplicates[path].startswith("likely duplicate of people/Ada Okafor.md")
        assert "netvault merge" in duplicates[path]
    # Named like a copy of a note that exists: reported, even with a higher tie.
    assert duplicates["people/Ben Carter 2.md"].startswith(
        "likely duplicate of people/Ben Carter.md"
    )
    assert report["contacts"] == 6


# ---- the moment between the last check and the rename ----------------------------------


def test_a_note_open_for_writing_elsewhere_is_not_replaced(tmp_path: Path) -> None:
    note = tmp_path / "Ada.md"
    note.write_text("---\ntie: 3\n---\n", encoding="utf-8")
    editor = NoteEditor.open(note.parent, note.name)
    editor.set_key("tie", 4)
    with note.open("a", encoding="utf-8") as other:
        with pytest.raises(edit.EditRefused, match="open for writing in another program"):
            editor.save()
        other.write("theirs\n")
    assert note.read_text(encoding="utf-8") == "---\ntie: 3\n---\ntheirs\n"
    assert temp_files(tmp_path) == set()


def test_a_writer_opening_the_note_during_the_rename_writes_to_the_live_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer opens the old file just before netvault swaps the new one in: the lease
    holds it back (without leases, its write shows in the file's size), netvault swaps back
    and the writer's text lands in the live note."""
    import threading

    note = tmp_path / "Ada.md"
    note.write_text("---\ntie: 3\n---\n", encoding="utf-8")
    editor = NoteEditor.open(note.parent, note.name)
    editor.set_key("tie", 4)
    real_exchange = write._exchange
    writer = threading.Thread(
        target=lambda: note.open("a", encoding="utf-8").write("theirs\n"), daemon=True
    )

    def writer_arrives_first(folder: int, a: str, b: str) -> bool:
        if not writer.is_alive() and writer.ident is None:
            writer.start()
            time.sleep(0.2)  # the writer is now blocked in open(), waiting on the lease
        return real_exchange(folder, a, b)

    monkeypatch.setattr(write, "_exchange", writer_arrives_first)
    with pytest.raises(edit.EditRefused, match="changed on disk"):
        editor.save()
    writer.join(timeout=10)
    assert note.read_text(encoding="utf-8") == "---\ntie: 3\n---\ntheirs\n"
    assert temp_files(tmp_path) == set()
