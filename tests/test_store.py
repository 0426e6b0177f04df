"""The SQLite index: whatever happens to the notes or to the database, every table equals a
fresh build of the same notes, and every answer equals a fresh index's."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netvault.store as store_module
from netvault.config import Config
from netvault.index import Index, load_index, refreshed_index
from netvault.model import Contact
from netvault.parse import parse_note
from netvault.store import MEMORY_MAX_NOTES, Store, index_file, open_database
from netvault.text import fold
from netvault.vaultfs import walk_notes

TODAYS = (None, date(2020, 1, 1), date(2026, 11, 20), date(2026, 11, 25), date(2030, 1, 1))


def write_note(vault: Path, relpath: str, text: str | bytes) -> Path:
    path = vault / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def varied_vault(root: Path) -> Path:
    """Every kind of note the derived tables have to get right."""
    (root / ".obsidian").mkdir(parents=True, exist_ok=True)
    write_note(root, "people/Ada Okafor.md",
               "---\naliases: [Ada O.]\ntie: 5\nlast_met: 2026-01-01\nconsent: {share-contact: yes}"
               "\n---\n## Log\n- 2025-05-01 (video) review #got\n- 2027-01-01 (call) future\n"
               "- [ ] send deck 📅 2026-12-01 [[Ben Carter]]\n")
    write_note(root, "people/Ben Carter.md",
               "---\ntie: 2\nintroduced_by: '[[Ada O.]]'\nconnected_on: 2020-02-02\n"
               "linkedin_urn: 'urn:li:member:7'\nsource: 'linkedin:x.csv'\n---\n"
               "Knows [[Nobody Here]] and [[ada]]\n## Career\n- 2024-01-05 moved to Globex\n")
    write_note(root, "people/Zoë Ñúñez.md",
               "---\nname: Zoë Ñúñez\naliases: Zo\ntie: trusted\n---\n")
    write_note(root, "people/work/Zo.md", "---\nname: Zo Other\n---\n")  # duplicate alias
    write_note(root, "people/Bad.md", "---\ntie: [3\n---\n")
    write_note(root, "people/Dates.md", "---\nlast_met: 2026-02-30\nmet_in_person: yes\n---\n")
    write_note(root, "people/Latin.md", "---\nname: Ren\xe9\n---\n".encode("latin-1"))
    write_note(root, "Clients/Nina.md", "---\ntype: person\ncompany: Acme\n---\n")
    write_note(root, "daily/2026-11-20.md",
               "- (in person) lunch with [[Zo]] and [[Ben Carter]]\n- later [[zoe nunez]] again\n"
               "- [ ] ask [[Nina]] 📅 2026-12-02\n> [[Ada Okafor]] quoted\n")
    write_note(root, "daily/2025-05-01.md", "- (in person) met [[Ada Okafor]] by chance\n")
    write_note(root, "meetings/Board.md", "---\ndate: 2026-10-02\n---\n- (call) [[Nina]]\n")
    write_note(root, "projects/Plan.md",
               "- 2026-03-03 (in person) workshop with [[Ben Carter]] and [[people/Ada Okafor]]\n"
               "- 2026-03-04 (call) [[Missing Person|someone]]\n")
    write_note(root, "intros/2026-11-01 Ada and Ben.md",
               "---\ntype: intro\na: '[[Ada Okafor]]'\nb: [[Ben Carter]]\nstatus: asked\n"
               "a_said: yes\ncreated: 2026-11-01\noverridden: [tie]\n---\n")
    return root


# ---- comparing indexes --------------------------------------------------------------------

# Columns that say when or where a row was written, not what the notes hold.
# "Did you mean" of broken links is kept once someone read it (the problems compare it).
VOLATILE = {"files": {"id", "checked_ns"}, "links": {"hint", "hint_keys"}}


def dump(index: Index) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted; text-search rows by the path of their note."""
    db = index.store.db
    tables = [name for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' "
        "AND name NOT LIKE '%\\_%' ESCAPE '\\' OR name IN ('task_people', 'meta_links')")]
    found: dict[str, list[tuple[Any, ...]]] = {}
    for table in sorted(tables):
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")
                   if row[1] not in VOLATILE.get(table, set())]
        rows = db.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
        if table == "meta":  # which notes were read too soon after a write, how often names
            rows = [row for row in rows if row[0] not in ("racy", "names")]  # changed
        found[table] = sorted(rows, key=repr)
    for table, column in (("body_text", "body"), ("word_text", "words")):
        found[table] = sorted(db.execute(
            f"SELECT f.path, t.{column} FROM {table} t JOIN files f ON f.id = t.rowid"))
    return found


def fresh(root: Path) -> Index:
    """A from-scratch index of the vault, in memory."""
    config = load_index(root).config
    return refreshed_index(root, config, Store(open_database(None), config))[0]


def assert_same_answers(index: Index, expected: Index) -> None:
    assert dump(index) == dump(expected)
    assert index.contacts == expected.contacts
    assert index.problems == expected.problems
    assert index.all_tasks() == expected.all_tasks()
    for contact in expected.contacts:
        for label in (contact.name, *contact.aliases, contact.path[:-3]):
            assert index.resolve(label) == expected.resolve(label), label
        assert index.contact_at(contact.path) == contact
        assert index.interactions(contact) == expected.interactions(contact)
        assert index.tasks(contact) == expected.tasks(contact)
        assert index.met_in_person(contact) == expected.met_in_person(contact)
        assert index.favors(contact) == expected.favors(contact)
        assert index.backlinks(contact.path) == expected.backlinks(contact.path)
        assert index.links_out(contact.path) == expected.links_out(contact.path)
        for today in TODAYS:
            assert index.last_contact(contact, today) == expected.last_contact(contact, today)
            assert index.last_interaction(contact, today) == expected.last_interaction(
                contact, today)


def parsed_contacts(root: Path) -> list[Contact]:
    """The contacts the parser makes of the vault's notes, read directly: what every row of
    the contacts table must give back."""
    config = load_index(root).config
    found = []
    for note in walk_notes(root)[0]:
        contact = parse_note(note.relpath, Path(note.abspath).read_bytes(),
                             config.contact_rule).note.contact
        if contact is not None:
            found.append(contact)
    return sorted(found, key=lambda c: (fold(c.name), c.path))


def test_the_contacts_table_keeps_every_field_of_a_contact() -> None:
    columns = {*store_module.CONTACT_FIELDS} - {"share_contact", "introductions"}
    assert {f.name for f in fields(Contact)} == {"path", "consent", *columns}


def on_file(root: Path) -> Index:
    """The vault's index, kept in a file whatever the vault's size."""
    return load_index(root, use_cache=True)


# ---- the file, and what is never written ---------------------------------------------------


def test_small_vaults_and_no_cache_stay_in_memory_big_ones_get_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = varied_vault(tmp_path / "v")
    load_index(root)  # a dozen notes
    assert not index_file(root).exists()
    for number in range(MEMORY_MAX_NOTES):
        write_note(root, f"people/filler/P{number:03d}.md", f"---\ntie: {number % 5 + 1}\n---\n")
    monkeypatch.setenv("NETVAULT_NO_CACHE", "1")
    load_index(root)
    assert not index_file(root).exists()
    monkeypatch.setenv("NETVAULT_NO_CACHE", "0")
    index = load_index(root)
    assert index_file(root).is_file()
    assert str(index_file(root)).startswith(os.environ["XDG_CACHE_HOME"])
    assert len(index.contacts) == MEMORY_MAX_NOTES + 6
    assert not (root / ".netvault").exists()


def test_cold_and_warm_loads_equal_a_fresh_build(tmp_path: Path) -> None:
    root = varied_vault(tmp_path / "v")
    expected = fresh(root)
    assert expected.contacts == parsed_contacts(root)
    assert_same_answers(on_file(root), expected)
    warm, changes = refreshed_index(root, None, Store.open(root, expected.config, False))
    assert changes.changed == changes.removed == ()
    assert_same_answers(warm, expected)
    # The vault's cases are really there.
    codes = {p.code for p in expected.problems}
    assert {"duplicate-name", "broken-link", "yaml", "bad-date", "encoding"} <= codes
    # [[Zo]] is the note called Zo (a file name beats Zoë's alias); [[zoe nunez]] is Zoë.
    zo, zoe = expected.lookup("Zo Other"), expected.lookup("Zoë Ñúñez")
    assert expected.met_in_person(zo) and not expected.met_in_person(zoe)
    assert expected.last_contact(zoe) == date(2026, 11, 20)


def test_an_edit_a_delete_and_a_rename_are_seen(tmp_path: Path) -> None:
    root = varied_vault(tmp_path / "v")
    on_file(root)
    (root / "people/Ben Carter.md").write_text(
        "---\ntie: 4\nname: Ben Carter\n---\n- 2026-11-01 (in person) dinner\n")
    index = on_file(root)
    assert index.lookup("Ben Carter").tie == 4
    assert_same_answers(index, fresh(root))

    (root / "people/Zoë Ñúñez.md").unlink()
    index = on_file(root)
    assert index.find("zoe nunez") is None
    assert "people/Zoë Ñúñez.md" not in index.notes
    assert_same_answers(index, fresh(root))

    (root / "people/Ada Okafor.md").rename(root / "people/Ada Lovelace.md")
    index = on_file(root)
    assert [c.path for c in index.contacts if c.name.startswith("Ada")] == [
        "people/Ada Lovelace.md"
    ]
    assert_same_answers(index, fresh(root))


def same_size_edit_keeping_mtime(path: Path, old: bytes, new: bytes) -> None:
    """What `sed -i` then `touch -r` do: the same size, the mtime put back."""
    assert len(old) == len(new)
    stat = path.stat()
    path.write_bytes(new)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_did_you_mean_follows_the_names_that_come_and_go(tmp_path: Path) -> None:
    root = varied_vault(tmp_path / "v")
    write_note(root, "projects/Plan.md", "- 2026-03-04 (call) [[Adda Okafro]]\n")

    def hint() -> str:
        index = on_file(root)
        assert_same_answers(index, fresh(root))
        found = [p.message for p in index.problems if p.path == "projects/Plan.md"]
        assert len(found) == 1
        return found[0]

    assert hint() == "[[Adda Okafro]] matches no note (did you mean 'Ada Okafor'?)"
    write_note(root, "people/work/Adda Okafor.md", "---\nname: Adda Okafor\n---\n")
    assert "'Adda Okafor'" in hint()  # a closer name came
    (root / "people/work/Adda Okafor.md").unlink()
    (root / "people/Ada Okafor.md").unlink()
    assert "Okafor" not in hint().split("matches no note")[1]  # and went


def test_an_edit_that_puts_size_and_mtime_back_is_seen(tmp_path: Path) -> None:
    root = varied_vault(tmp_path / "v")
    nina = root / "Clients/Nina.md"
    old = nina.read_bytes()
    hour_ago = nina.stat().st_mtime_ns - 3600 * 10**9
    os.utime(nina, ns=(hour_ago, hour_ago))  # long settled: not "racily clean"
    assert on_file(root).lookup("Nina").company == "Acme"
    same_size_edit_keeping_mtime(nina, old, old.replace(b"Acme", b"Umbr"))
    index = on_file(root)  # the ctime moved
    assert index.lookup("Nina").company == "Umbr"
    assert_same_answers(index, fresh(root))


def test_a_racily_clean_note_is_checked_by_its_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = varied_vault(tmp_path / "v")
    nina = root / "Clients/Nina.md"
    old = nina.read_bytes()
    on_file(root)
    # A file system whose stamps cannot tell the two versions apart (a coarse clock, the
    # same inode): only the content can.
    real_walk = walk_notes

    def frozen_stamps(root_: Path) -> Any:
        files, problems = real_walk(root_)
        return [f if f.relpath != "Clients/Nina.md" else type(f)(
            f.relpath, f.abspath, f.size, f.mtime_ns, 1, 1) for f in files], problems

    monkeypatch.setattr("netvault.index.walk_notes", frozen_stamps)
    on_file(root)
    same_size_edit_keeping_mtime(nina, old, old.replace(b"Acme", b"Umbr"))
    index = on_file(root)
    assert index.lookup("Nina").company == "Umbr"


def test_a_checkout_touching_every_note_reparses_only_the_changed_ones(tmp_path: Path) -> None:
    root = varied_vault(tmp_path / "v")
    on_file(root)
    for path in sorted(root.rglob("*.md")):
        path.write_bytes(path.read_bytes())  # new mtime and ctime, same bytes
    (root / "people/Ben Carter.md").write_text("---\ntie: 3\n---\n[[Ada]]\n")
    index, changes = refreshed_index(root, None, Store.open(root, Config(), False))
    assert changes.changed == ("people/Ben Carter.md",)
    assert_same_answers(index, fresh(root))
    assert refreshed_index(root, None, Store.open(root, Config(), False))[1].changed == ()


def test_a_version_or_config_change_reads_every_note_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = varied_vault(tmp_path / "v")
    on_file(root)
    monkeypatch.setattr(store_module, "ROWS_FORMAT", store_module.ROWS_FORMAT + 1)
    changes = refreshed_index(root, None, Store.open(root, Config(), False))[1]
    assert len(changes.changed) == len(list(root.rglob("*.md")))
    write_note(root, ".netvault.toml", '[vault]\ncontacts = "Clients"\n')
    index = on_file(root)
    assert [c.path for c in index.contacts] == ["Clients/Nina.md"]
    assert_same_answers(index, fresh(root))


def damage(path: Path, how: str) -> None:
    if how == "foreign":
        path.unlink()
        other = sqlite3.connect(path)
        other.execute("CREATE TABLE files(path TEXT, owner TEXT)")
        other.execute("CREATE TRIGGER t AFTER INSERT ON files BEGIN SELECT 1; END")
        other.commit()
        other.close()
        return
    if how in ("old-schema", "lost-table"):
        other = sqlite3.connect(path)
        other.execute("PRAGMA user_version=999" if how == "old-schema" else "DROP TABLE labels")
        other.commit()
        other.close()
        return
    data = path.read_bytes()
    path.write_bytes({
        "garbage": b"\x00not a database at all" * 100,
        "truncated": data[: len(data) // 3],
        "empty": b"",
    }[how])


@pytest.mark.parametrize(
    "how", ["garbage", "truncated", "empty", "foreign", "old-schema", "lost-table"])
def test_a_corrupt_foreign_or_old_database_is_rebuilt(tmp_path: Path, how: str) -> None:
    root = varied_vault(tmp_path / "v")
    store = Store.open(root, Config(), False)
    refreshed_index(root, None, store)
    store.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{index_file(root)}{suffix}").unlink(missing_ok=True)
    damage(index_file(root), how)
    (root / "people/Ben Carter.md").write_text("---\ntie: 3\n---\n")
    index = on_file(root)
    assert index.lookup("Ben Carter").tie == 3
    assert_same_answers(index, fresh(root))
    db = sqlite3.connect(index_file(root))
    assert db.execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone() == (
        0,)


def test_an_unwritable_cache_folder_still_gives_an_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = varied_vault(tmp_path / "v")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert_same_answers(on_file(root), fresh(root))


def test_the_pool_parses_like_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = varied_vault(tmp_path / "v")
    for number in range(40):
        write_note(root, f"people/p{number}.md", f"---\ntie: {number % 5 + 1}\n---\n[[Ada]]\n")
    files, _ = walk_notes(root)
    work = [(f, None) for f in files]
    rule = Config().contact_rule
    serial = [row for chunk in store_module.parsed_rows(work, rule, jobs=1) for row in chunk]
    monkeypatch.setattr(store_module, "POOL_MIN_FILES", 10)
    monkeypatch.setattr(store_module, "POOL_CHUNK_MIN", 7)
    chunks = list(store_module.parsed_rows(work, rule, jobs=2))
    assert len(chunks) > 1
    assert [row for chunk in chunks for row in chunk] == serial


# ---- two processes at once ----------------------------------------------------------------


def run_cli(vault: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "netvault", "--vault", str(vault), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NETVAULT_TODAY": "2026-11-25", **(env or {})},
    )


def test_two_runs_at_once_agree_with_an_uncached_run(tmp_path: Path) -> None:
    root = varied_vault(tmp_path / "v")
    for number in range(MEMORY_MAX_NOTES):
        write_note(root, f"people/filler/Person {number:03d}.md",
                   f"---\ntie: {number % 5 + 1}\n---\n- 2026-0{number % 9 + 1}-01 (call) [[Ada]]\n")
    expected = run_cli(root, "list", "--json", env={"NETVAULT_NO_CACHE": "1"}).communicate()[0]
    assert len(json.loads(expected)["contacts"]) == MEMORY_MAX_NOTES + 6
    for _round in range(2):  # cold, then warm
        runs = [run_cli(root, "list", "--json") for _ in range(2)]
        outputs = [run.communicate()[0] for run in runs]
        assert [run.returncode for run in runs] == [0, 0]
        assert outputs == [expected, expected]
        assert index_file(root).is_file()
    write_note(root, "people/filler/Person 000.md", "---\ntie: 5\n---\n")
    racing = [run_cli(root, "list", "--json") for _ in range(2)]
    outputs = [run.communicate()[0] for run in racing]
    expected = run_cli(root, "list", "--json", env={"NETVAULT_NO_CACHE": "1"}).communicate()[0]
    assert outputs == [expected, expected]
    assert run_cli(root, "list", "--json").communicate()[0] == expected


def test_a_reader_keeps_its_snapshot_while_another_refreshes(tmp_path: Path) -> None:
    root = varied_vault(tmp_path / "v")
    reader = on_file(root)
    assert reader.lookup("Ben Carter").tie == 2
    (root / "people/Ben Carter.md").write_text("---\ntie: 4\n---\n")
    writer = on_file(root)  # another connection commits a refresh meanwhile
    assert writer.lookup("Ben Carter").tie == 4
    # The first index still answers from the snapshot it started with.
    assert reader.store.query("SELECT tie FROM contacts WHERE path = 'people/Ben Carter.md'") == [
        (2,)]


# ---- any vault, any sequence of changes ---------------------------------------------------

NAMES = ["Ada", "Ada O.", "ada", "Ben", "Zoë", "zoe", "Zo", "Nina", "Dan", "people/Ada", "Nobody"]
DAYS = [date(2026, 11, 20) + timedelta(days=n) for n in (-400, -3, 0, 0, 5)]
CHANNELS = ["(in person) ", "(call) ", "(email) ", ""]
FILES = [f"{folder}/{name}.md" for folder in ("people", "people/x", "other")
         for name in ("Ada", "Ben", "Zoë", "Nina", "Dan")] + [
    f"daily/{day.isoformat()}.md" for day in DAYS] + ["misc/Note 0.md", "misc/Note 1.md"]


@st.composite
def note_texts(draw: Any) -> str:
    lines = []
    if draw(st.booleans()):
        front = [f"aliases: [{draw(st.sampled_from(NAMES))}]"] if draw(st.booleans()) else []
        if draw(st.booleans()):
            front.append(f"name: {draw(st.sampled_from(NAMES))}")
        if draw(st.booleans()):
            front.append(f"met_in_person: {draw(st.sampled_from(['yes', 'no']))}")
        if draw(st.booleans()):
            front.append(f"date: {draw(st.sampled_from(DAYS)).isoformat()}")
        if draw(st.booleans()):
            front.append(f"introduced_by: '[[{draw(st.sampled_from(NAMES))}]]'")
        if draw(st.booleans()):
            front.append("type: person")
        lines += ["---", *front, "---"]
    for _ in range(draw(st.integers(0, 4))):
        link = f"[[{draw(st.sampled_from(NAMES))}]]"
        channel = draw(st.sampled_from(CHANNELS))
        kind = draw(st.sampled_from(["log", "mention", "task", "quote", "favour"]))
        day = draw(st.sampled_from(DAYS)).isoformat()
        if kind == "log":
            lines.append(f"- {day} {channel}saw {link}")
        elif kind == "favour":
            lines.append(f"- {day} {channel}helped #gave")
        elif kind == "mention":
            lines.append(f"- {channel}with {link}")
        elif kind == "task":
            lines.append(f"- [ ] ask {link} 📅 {day}")
        else:
            lines.append(f"> {link}")
    return "\n".join(lines) + "\n"


@st.composite
def changes(draw: Any) -> list[tuple[str, str, str]]:
    """A sequence of (edit | delete | rename, path, text or new path)."""
    steps = []
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["edit", "edit", "delete", "rename"]))
        path = draw(st.sampled_from(FILES))
        other = draw(st.sampled_from(FILES)) if action == "rename" else draw(note_texts())
        steps.append((action, path, other))
    return steps


def apply(root: Path, steps: list[tuple[str, str, str]]) -> None:
    for action, path, other in steps:
        target = root / path
        if action == "edit":
            write_note(root, path, other)
        elif target.exists():
            if action == "delete":
                target.unlink()
            else:
                destination = root / other
                destination.parent.mkdir(parents=True, exist_ok=True)
                target.rename(destination)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(FILES), note_texts(), max_size=8),
       st.lists(changes(), min_size=1, max_size=3))
def test_every_table_equals_a_fresh_build_after_any_changes(
    notes: dict[str, str], rounds: list[list[tuple[str, str, str]]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "v"
        root.mkdir()
        os.environ["XDG_CACHE_HOME"] = str(Path(folder) / "cache")
        for relpath, text in notes.items():
            write_note(root, relpath, text)
        assert_same_answers(on_file(root), fresh(root))
        for steps in rounds:
            apply(root, steps)
            index = on_file(root)
            assert_same_answers(index, fresh(root))
            assert index.contacts == parsed_contacts(root)


# ---- lean start-up and the shape of the package ---------------------------------------------

HEAVY_MODULES = ("watchdog", "jinja2", "vobject", "icalendar", "rapidfuzz")


@pytest.mark.parametrize("args", [
    ["--help"], ["list", "--json"], ["due"], ["today", "--json"], ["oaks"], ["unmet"],
    ["todo"], ["favors"], ["show", "Ada Okafor", "--json"], ["export", "json"],
])
def test_read_commands_import_nothing_heavy(tmp_path: Path, args: list[str]) -> None:
    """Not even with broken links about: their "did you mean" waits for `check`."""
    root = varied_vault(tmp_path / "v")
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "netvault", "--vault", str(root), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "NETVAULT_TODAY": "2026-11-25"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    imported = {
        line.rsplit("|", 1)[-1].strip().split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "click" in imported  # the report is really there
    assert imported.isdisjoint(HEAVY_MODULES), imported & set(HEAVY_MODULES)


def test_the_package_imports_form_no_cycle() -> None:
    """Module A imports B at its top (not inside a function): draw an edge; no cycles."""
    import ast

    package = Path(store_module.__file__).parent
    modules = {
        ".".join(path.relative_to(package.parent).with_suffix("").parts).removesuffix(
            ".__init__"): path
        for path in package.rglob("*.py")
    }
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package_of = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in tree.body:
            if isinstance(node, ast.If):  # `if TYPE_CHECKING:` imports never run
                continue
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                base = package_of.split(".")
                if node.level:
                    base = base[: len(base) - node.level + 1]
                    prefix = ".".join(base + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                targets = [f"{prefix}.{alias.name}" for alias in node.names] + [prefix]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            edges[name].update(t for t in targets if t in modules and t != name)
    assert len(modules) > 60

    def cycle_from(start: str) -> list[str] | None:
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        while stack:
            node, trail = stack.pop()
            for nxt in edges[node]:
                if nxt == start:
                    return [*trail, start]
                if nxt not in trail:
                    stack.append((nxt, [*trail, nxt]))
        return None

    cycles = [found for name in sorted(modules) if (found := cycle_from(name)) is not None]
    assert cycles == [], cycles[0]
