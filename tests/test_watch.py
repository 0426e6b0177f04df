"""netvault.watch with a real watchdog observer on tmp vaults: tests wait on the watcher's
rebuild counter (with a timeout), never on fixed sleeps, except to show that nothing happens."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import netvault.store
from netvault.index import Index
from netvault.watch import Rebuild, Watcher

WAIT = 10.0  # generous: a loaded CI machine can be slow, a passing test never waits this long
QUIET = 0.6  # how long "nothing happens" is watched for: four debounce windows


def write_note(vault: Path, relpath: str, text: str) -> Path:
    path = vault / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def contact(name: str, tie: int, body: str = "") -> str:
    return f"---\nname: {name}\ntie: {tie}\n---\n# {name}\n{body}"


class Recorder:
    """The watcher plus every rebuild it reported, in order."""

    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher
        self.results: list[Rebuild] = []
        self.first: Rebuild | None = None

    def record(self, result: Rebuild) -> None:
        self.results.append(result)

    def next(self) -> Rebuild:
        """Wait for the rebuild after the ones already seen and return it."""
        count = len(self.results) + 1
        assert self.watcher.wait_for_rebuilds(count, WAIT), "no rebuild came"
        deadline = time.monotonic() + WAIT
        while len(self.results) < count and time.monotonic() < deadline:
            time.sleep(0.005)  # on_rebuild runs just after the counter moves
        return self.results[count - 1]

    def nothing_more(self) -> None:
        count = self.watcher.rebuilds
        assert not self.watcher.wait_for_rebuilds(count + 1, QUIET), self.results[count:]

    @property
    def index(self) -> Index:
        return self.watcher.index


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    (root / ".obsidian").mkdir(parents=True)
    write_note(root, "people/Ada Okafor.md", contact("Ada Okafor", 3, "Knows [[Ben Carter]].\n"))
    write_note(root, "people/Ben Carter.md", contact("Ben Carter", 2))
    write_note(root, "people/events/Cleo Diaz.md", contact("Cleo Diaz", 1))
    return root


@pytest.fixture
def watching(vault: Path) -> Iterator[Recorder]:
    watcher = Watcher(vault)
    recorder = Recorder(watcher)
    watcher.on_rebuild = recorder.record
    recorder.first = watcher.start()
    try:
        yield recorder
    finally:
        watcher.stop()


def names(index: Index) -> list[str]:
    return [c.name for c in index.contacts]


def test_start_indexes_the_vault(watching: Recorder) -> None:
    assert watching.first is not None
    assert watching.first.number == 0
    assert watching.first.changed == (
        "people/Ada Okafor.md", "people/Ben Carter.md", "people/events/Cleo Diaz.md",
    )
    assert names(watching.index) == ["Ada Okafor", "Ben Carter", "Cleo Diaz"]
    assert watching.index.problems == []


def file_rows(index: Index) -> dict[str, tuple[object, ...]]:
    """Each note's row in the index's files table: a re-parsed note gets a new one."""
    return {row[0]: tuple(row) for row in index.store.query("SELECT path, * FROM files")}


def test_one_edit_reparses_that_note_only(watching: Recorder, vault: Path) -> None:
    before = file_rows(watching.index)
    write_note(vault, "people/Ada Okafor.md", contact("Ada Okafor", 5, "Knows [[Ben Carter]].\n"))
    result = watching.next()
    assert (result.number, result.changed, result.removed, result.error) == (
        1, ("people/Ada Okafor.md",), (), None,
    )
    ada = watching.index.find("Ada Okafor")
    assert ada is not None and ada.tie == 5 and ada.is_oak
    # Untouched notes keep the rows made at start: nothing else was re-read.
    after = file_rows(watching.index)
    assert after["people/Ben Carter.md"] == before["people/Ben Carter.md"]
    assert after["people/Ada Okafor.md"] != before["people/Ada Okafor.md"]
    assert watching.index.backlinks("people/Ben Carter.md") == ["people/Ada Okafor.md"]
    watching.nothing_more()


def test_rename_is_a_delete_and_a_create(watching: Recorder, vault: Path) -> None:
    os.rename(vault / "people/Ben Carter.md", vault / "people/Benjamin Carter.md")
    result = watching.next()
    assert result.changed == ("people/Benjamin Carter.md",)
    assert result.removed == ("people/Ben Carter.md",)
    # The name in the front-matter stays, so [[Ben Carter]] still resolves by name.
    assert watching.index.resolve("Ben Carter") == "people/Benjamin Carter.md"
    assert sorted(watching.index.notes) == [
        "people/Ada Okafor.md", "people/Benjamin Carter.md", "people/events/Cleo Diaz.md",
    ]
    assert result.appeared == result.cleared == ()


def test_delete_drops_the_note_and_reports_the_broken_link(
    watching: Recorder, vault: Path
) -> None:
    (vault / "people/Ben Carter.md").unlink()
    result = watching.next()
    assert (result.changed, result.removed) == ((), ("people/Ben Carter.md",))
    assert names(watching.index) == ["Ada Okafor", "Cleo Diaz"]
    assert [(p.path, p.code) for p in result.appeared] == [("people/Ada Okafor.md", "broken-link")]
    write_note(vault, "people/Ben Carter.md", contact("Ben Carter", 2))
    result = watching.next()
    assert [(p.path, p.code) for p in result.cleared] == [("people/Ada Okafor.md", "broken-link")]
    assert result.appeared == ()


def test_a_burst_of_50_saves_makes_one_rebuild(watching: Recorder, vault: Path) -> None:
    path = vault / "people/Ben Carter.md"
    for tie in [1, 2, 3, 4] * 12 + [1, 4]:
        path.write_text(contact("Ben Carter", tie), encoding="utf-8")
    result = watching.next()
    assert result.changed == ("people/Ben Carter.md",)
    ben = watching.index.find("Ben Carter")
    assert ben is not None and ben.tie == 4
    watching.nothing_more()
    assert watching.watcher.rebuilds == 1


def test_a_checkout_of_hundreds_of_files_makes_one_rebuild(
    watching: Recorder, vault: Path, tmp_path: Path
) -> None:
    staged = tmp_path / "staged"
    for number in range(300):
        write_note(staged, f"p{number:03}.md", contact(f"Person {number:03}", 1 + number % 5))
    shutil.copytree(staged, vault / "people" / "imported")
    result = watching.next()
    assert len(result.changed) == 300 and result.removed == ()
    assert len(watching.index.contacts) == 303
    watching.nothing_more()


def test_broken_note_then_fixed(watching: Recorder, vault: Path) -> None:
    path = vault / "people/Ben Carter.md"
    path.write_text("---\nname: Ben Carter\ntie: [2\n---\n", encoding="utf-8")
    result = watching.next()
    assert [(p.path, p.severity, p.code) for p in result.appeared] == [
        ("people/Ben Carter.md", "error", "yaml")
    ]
    assert watching.index.error_count == 1
    path.write_text(contact("Ben Carter", 2), encoding="utf-8")
    result = watching.next()
    assert [(p.path, p.code) for p in result.cleared] == [("people/Ben Carter.md", "yaml")]
    assert result.appeared == ()
    assert watching.index.problems == []
    ben = watching.index.find("Ben Carter")
    assert ben is not None and ben.tie == 2


def test_half_written_note_is_read_again_when_complete(watching: Recorder, vault: Path) -> None:
    path = vault / "people/Dana Lee.md"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("---\nname: Dana Lee\n")
        handle.flush()
        first = watching.next()
        handle.write("tie: 4\n---\n# Dana\n")
    assert first.changed == ("people/Dana Lee.md",)
    result = watching.next()
    assert result.changed == ("people/Dana Lee.md",) and result.appeared == ()
    dana = watching.index.find("Dana Lee")
    assert dana is not None and dana.tie == 4


def test_deleted_and_moved_folders(watching: Recorder, vault: Path, tmp_path: Path) -> None:
    shutil.rmtree(vault / "people/events")
    result = watching.next()
    assert result.removed == ("people/events/Cleo Diaz.md",)
    assert names(watching.index) == ["Ada Okafor", "Ben Carter"]

    outside = tmp_path / "elsewhere"
    write_note(outside, "Eve Stone.md", contact("Eve Stone", 3))
    shutil.move(outside, vault / "people/moved-in")
    result = watching.next()
    assert result.changed == ("people/moved-in/Eve Stone.md",)

    os.rename(vault / "people/moved-in", vault / "people/renamed")
    result = watching.next()
    assert result.changed == ("people/renamed/Eve Stone.md",)
    assert result.removed == ("people/moved-in/Eve Stone.md",)
    assert watching.index.resolve("Eve Stone") == "people/renamed/Eve Stone.md"


def test_dot_folders_other_files_and_the_report_are_ignored(tmp_path: Path, vault: Path) -> None:
    written: list[Path] = []

    def write_report(index: Index) -> Path:
        path = vault / index.config.report_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{len(index.contacts)} contacts\n[[Ada Okafor]]\n", encoding="utf-8")
        written.append(path)
        return path

    watcher = Watcher(vault, write_report=write_report)
    recorder = Recorder(watcher)
    watcher.on_rebuild = recorder.record
    first = watcher.start()
    try:
        assert first.report_path == vault / "Reports/Network.md"
        write_note(vault, ".obsidian/workspace.json", "{}")
        write_note(vault, ".trash/Old.md", contact("Old", 1))
        write_note(vault, "people/.Ada Okafor.md.swp", "x")
        write_note(vault, "people/photo.png", "not a note")
        write_note(vault, "Reports/Network.md", "edited by hand\n")
        recorder.nothing_more()
        write_note(vault, "people/Eve Stone.md", contact("Eve Stone", 3))
        result = recorder.next()
        assert result.changed == ("people/Eve Stone.md",)
        assert result.report_path == vault / "Reports/Network.md"
        assert (vault / "Reports/Network.md").read_text(encoding="utf-8").startswith("4 contacts")
        assert "Reports/Network.md" not in watcher.index.notes
        recorder.nothing_more()  # writing the report started no rebuild
        assert len(written) == 2
    finally:
        watcher.stop()


def test_errors_during_a_rebuild_are_reported_and_watching_goes_on(
    watching: Recorder, vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_insert = netvault.store.insert_rows
    calls = iter([RuntimeError("disk on fire")])

    def failing_once(*args: object, **kwargs: object) -> None:
        failure = next(calls, None)
        if failure is not None:
            raise failure
        real_insert(*args, **kwargs)  # type: ignore[arg-type]

    # Halfway through the update's transaction: nothing of it may stay.
    monkeypatch.setattr(netvault.store, "insert_rows", failing_once)
    write_note(vault, "people/Ben Carter.md", contact("Ben Carter", 4))
    result = watching.next()
    assert result.error == "RuntimeError: disk on fire"
    ben = watching.index.find("Ben Carter")
    assert ben is not None and ben.tie == 2  # the last good index is kept
    write_note(vault, "people/Ada Okafor.md", contact("Ada Okafor", 4))
    result = watching.next()
    assert result.error is None
    assert [(c.name, c.tie) for c in watching.index.contacts] == [
        ("Ada Okafor", 4), ("Ben Carter", 4), ("Cleo Diaz", 1),
    ]


def test_a_failing_report_does_not_stop_the_watcher(vault: Path) -> None:
    attempts: list[int] = []

    def write_report(index: Index) -> Path:
        attempts.append(len(index.contacts))
        if len(attempts) == 2:
            raise OSError("read-only file system")
        return vault / "Reports/Network.md"

    watcher = Watcher(vault, write_report=write_report)
    recorder = Recorder(watcher)
    watcher.on_rebuild = recorder.record
    watcher.start()
    try:
        write_note(vault, "people/Eve Stone.md", contact("Eve Stone", 3))
        failed = recorder.next()
        assert failed.error == "report not written: OSError: read-only file system"
        assert len(watcher.index.contacts) == 4  # the index itself did update
        write_note(vault, "people/Fay Wong.md", contact("Fay Wong", 3))
        assert recorder.next().error is None
        assert attempts == [3, 4, 5]
    finally:
        watcher.stop()


def test_stop_is_quick_even_when_events_are_pending(vault: Path) -> None:
    watcher = Watcher(vault, debounce_seconds=30)
    watcher.start()
    write_note(vault, "people/Eve Stone.md", contact("Eve Stone", 3))
    started = time.monotonic()
    watcher.stop()
    assert time.monotonic() - started < 1.0
    assert not any(t.name == "netvault-watch" and t.is_alive() for t in threading.enumerate())
    assert watcher.rebuilds == 0


def test_cli_watch_prints_problems_and_stops_on_ctrl_c(vault: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "netvault", "--vault", str(vault), "watch", "--no-report"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NETVAULT_TODAY": "2026-11-25"},
    )
    assert process.stderr is not None and process.stdout is not None
    # A hung watcher must fail the test, not hang it: the reads below block.
    killer = threading.Timer(30, process.kill)
    killer.start()
    try:
        banner = process.stderr.readline()
        assert banner.startswith(f"Watching {vault.resolve()} (3 notes, 3 contacts, 0 errors)")
        (vault / "people/Ben Carter.md").write_text("---\ntie: [\n---\n", encoding="utf-8")
        changed = process.stdout.readline()
        assert changed.endswith("· changed people/Ben Carter.md\n"), changed
        problem = process.stdout.readline()
        assert problem.startswith("  new      people/Ben Carter.md:3: error yaml: invalid YAML")
        process.send_signal(signal.SIGINT)
        started = time.monotonic()
        assert process.wait(timeout=5) == 0
        assert time.monotonic() - started < 1.0
        assert process.stderr.read() == "Stopped.\n"
    finally:
        killer.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()


def test_watch_rerenders_the_report_after_each_change(vault: Path) -> None:
    from datetime import date

    from netvault.report import write_markdown_report

    report = vault / "Reports/Network.md"
    watcher = Watcher(
        vault, write_report=lambda index: write_markdown_report(index, date(2026, 11, 25))
    )
    recorder = Recorder(watcher)
    watcher.on_rebuild = recorder.record
    first = watcher.start()
    try:
        assert first.report_path == report
        text = report.read_text(encoding="utf-8")
        assert "## Due for contact (2)" in text  # Ada and Ben: never in touch
        assert "- [[Ben Carter]] · tie 2 contact · **never in touch**" in text
        write_note(vault, "people/Ben Carter.md",
                   "---\nname: Ben Carter\ntie: 2\nlast_met: 2026-11-20\n---\n")
        result = recorder.next()
        assert result.report_path == report and result.error is None
        text = report.read_text(encoding="utf-8")
        due = text[text.index("## Due for contact") : text.index("## Oak circle")]
        assert due.splitlines()[:3] == [
            "## Due for contact (1)",
            "",
            "- [[Ada Okafor]] · tie 3 knows-my-work · **never in touch** (every 90 days)",
        ]
        recorder.nothing_more()  # its own write started nothing
    finally:
        watcher.stop()


def test_an_update_answers_as_a_fresh_index_does(watching: Recorder, vault: Path) -> None:
    from netvault.index import load_index

    assert len(watching.index.contacts) == 3  # the next index starts from these
    write_note(vault, "daily/2026-11-20.md", "- (in person) lunch with [[Cleo Diaz]] #gave\n")
    write_note(vault, "people/Ben Carter.md", contact("Ben Carter", 4, "aliases: [Benny]\n"))
    result = watching.next()
    assert result.changed == ("daily/2026-11-20.md", "people/Ben Carter.md")
    index, fresh = watching.index, load_index(vault)
    assert index.contacts == fresh.contacts
    for person in fresh.contacts:
        assert index.met_in_person(person) == fresh.met_in_person(person)
        assert index.last_contact(person) == fresh.last_contact(person)
        assert index.interactions(person) == fresh.interactions(person)
    cleo = index.lookup("Cleo Diaz")
    assert index.met_in_person(cleo) and index.last_contact(cleo) is not None
