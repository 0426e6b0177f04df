"""The index cache: whatever happens to the files or to the cache, answers equal a fresh load."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netvault.cache as cache
from netvault.cache import CACHE_DIR, CachedIndex
from netvault.config import Config
from netvault.index import Index, load_index, read_and_parse
from netvault.vaultfs import walk_notes

TODAYS = (None, date(2020, 1, 1), date(2026, 11, 20), date(2026, 11, 25), date(2030, 1, 1))
FULL_ATTRIBUTES = (
    "notes", "problems", "contacts", "_keys", "_paths", "_links_out", "_backlinks",
    "_interactions", "_tasks", "_task_people",
)


def write_note(vault: Path, relpath: str, text: str | bytes) -> Path:
    path = vault / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def varied_vault(root: Path) -> Path:
    """Every kind of note the view has to get right."""
    (root / ".obsidian").mkdir(parents=True, exist_ok=True)
    write_note(root, "people/Ada Okafor.md",
               "---\naliases: [Ada O.]\ntie: 5\nlast_met: 2026-01-01\nconsent: {share-contact: yes}"
               "\n---\n## Log\n- 2025-05-01 (video) review #got\n- 2027-01-01 (call) future\n"
               "- [ ] send deck 📅 2026-12-01 [[Ben Carter]]\n")
    write_note(root, "people/Ben Carter.md",
               "---\ntie: 2\nintroduced_by: '[[Ada O.]]'\n---\nKnows [[Nobody Here]] and [[ada]]\n")
    write_note(root, "people/Zoë Ñúñez.md",
               "---\nname: Zoë Ñúñez\naliases: Zo\ntie: trusted\n---\n")
    write_note(root, "people/work/Zo.md", "---\nname: Zo Other\n---\n")  # duplicate alias
    write_note(root, "people/Bad.md", "---\ntie: [3\n---\n")
    write_note(root, "people/Dates.md", "---\nlast_met: 2026-02-30\nmet_in_person: yes\n---\n")
    write_note(root, "people/Latin.md", "---\nname: Ren\xe9\n---\n".encode("latin-1"))
    write_note(root, "Clients/Nina.md", "---\ntype: person\ncompany: Acme\n---\n")
    write_note(root, "daily/2026-11-20.md",
               "- (in person) lunch with [[Zoë Ñúñez|Zo]] and [[Ben Carter]]\n"
               "- later [[zoe nunez]] again, and [[Zo]] (the file name wins over an alias)\n"
               "- [ ] ask [[Nina]] 📅 2026-12-02\n> [[Ada Okafor]] quoted\n")
    write_note(root, "daily/2025-05-01.md", "- (in person) met [[Ada Okafor]] by chance\n")
    write_note(root, "meetings/Board.md", "---\ndate: 2026-10-02\n---\n- (call) [[Nina]]\n")
    write_note(root, "projects/Plan.md",
               "- 2026-03-03 (in person) workshop with [[Ben Carter]] and [[people/Ada Okafor]]\n"
               "- 2026-03-04 (call) [[Missing Person|someone]]\n")
    return root


def assert_same_answers(cached: Index, fresh: Index) -> None:
    """The light answers first (before anything builds the full index), then everything."""
    assert cached.contacts == fresh.contacts
    assert cached.problems == fresh.problems
    for contact in fresh.contacts:
        for label in (contact.name, *contact.aliases, contact.path[:-3]):
            assert cached.resolve(label) == fresh.resolve(label), label
        assert cached.contact_at(contact.path) == contact
        assert cached.met_in_person(contact) == fresh.met_in_person(contact), contact.name
        for today in TODAYS:
            assert cached.last_contact(contact, today) == fresh.last_contact(contact, today)
    for attribute in FULL_ATTRIBUTES:
        assert getattr(cached, attribute) == getattr(fresh, attribute), attribute


def cached_load(root: Path) -> Index:
    index = load_index(root, use_cache=True)
    assert isinstance(index, CachedIndex)
    return index


def test_cold_and_warm_loads_equal_a_fresh_load(tmp_path: Path) -> None:
    root = varied_vault(tmp_path / "v")
    fresh = load_index(root, use_cache=False)
    assert not (root / CACHE_DIR).exists()
    assert_same_answers(cached_load(root), fresh)
    assert (root / CACHE_DIR / "view.pickle").is_file()
    warm = cached_load(root)
    assert not warm.is_full
    assert_same_answers(warm, fresh)
    assert warm.is_full
    # Sanity of the vault itself: the cases above are really there.
    codes = {p.code for p in fresh.problems}
    assert {"duplicate-name", "broken-link", "yaml", "bad-date", "encoding"} <= codes
    zoe = fresh.lookup("Zoë Ñúñez")
    assert fresh.met_in_person(zoe) and fresh.last_contact(zoe) == date(2026, 11, 20)


def test_an_edit_a_delete_and_a_rename_are_seen(tmp_path: Path) -> None:
    root = varied_vault(tmp_path / "v")
    cached_load(root)
    ben = root / "people/Ben Carter.md"
    ben.write_text("---\ntie: 4\nname: Ben Carter\n---\n- 2026-11-01 (in person) dinner\n")
    index = cached_load(root)
    assert index.lookup("Ben Carter").tie == 4
    assert_same_answers(index, load_index(root, use_cache=False))

    (root / "people/Zoë Ñúñez.md").unlink()
    index = cached_load(root)
    assert index.find("zoe nunez") is None
    assert "people/Zoë Ñúñez.md" not in index.notes
    assert_same_answers(index, load_index(root, use_cache=False))

    (root / "people/Ada Okafor.md").rename(root / "people/Ada Lovelace.md")
    index = cached_load(root)
    assert [c.path for c in index.contacts if c.name.startswith("Ada")] == [
        "people/Ada Lovelace.md"
    ]
    assert_same_answers(index, load_index(root, use_cache=False))


def same_size_edit_keeping_mtime(path: Path, old: bytes, new: bytes) -> None:
    """The one change a stamp cannot see: same size, mtime put back."""
    assert len(old) == len(new)
    stat = path.stat()
    path.write_bytes(new)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_a_version_bump_ignores_the_old_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = varied_vault(tmp_path / "v")
    nina = root / "Clients/Nina.md"
    old = nina.read_bytes()
    hour_ago = (nina.stat().st_mtime_ns - 3600 * 10**9)
    os.utime(nina, ns=(hour_ago, hour_ago))  # old enough to be trusted on its stamp alone
    cached_load(root)
    same_size_edit_keeping_mtime(nina, old, old.replace(b"Acme", b"Umbr"))
    assert cached_load(root).lookup("Nina").company == "Acme"  # the stamp is the key...
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    index = cached_load(root)  # ...and so is the version
    assert index.lookup("Nina").company == "Umbr"
    assert_same_answers(index, load_index(root, use_cache=False))


def test_a_recent_same_size_edit_is_caught_by_its_digest(tmp_path: Path) -> None:
    root = varied_vault(tmp_path / "v")
    nina = root / "Clients/Nina.md"
    old = nina.read_bytes()
    cached_load(root)
    same_size_edit_keeping_mtime(nina, old, old.replace(b"Acme", b"Umbr"))
    index = cached_load(root)
    assert index.lookup("Nina").company == "Umbr"
    assert_same_answers(index, load_index(root, use_cache=False))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "foreign", "wrong-shape"])
def test_a_damaged_cache_is_rebuilt_silently(tmp_path: Path, damage: str) -> None:
    root = varied_vault(tmp_path / "v")
    cached_load(root)
    folder = root / CACHE_DIR
    for name in ["view.pickle", *(p.name for p in folder.glob("notes-*.pickle"))]:
        target = folder / name
        data = target.read_bytes()
        target.write_bytes({
            "garbage": b"\x00not a pickle at all",
            "truncated": data[: len(data) // 2],
            "empty": b"",
            "foreign": pickle.dumps(("netvault 0.0.1|format 0", {"x": 1})),
            "wrong-shape": pickle.dumps((cache.cache_key(Config()), ["not", "a", "view"])),
        }[damage])
    (root / "people/Ben Carter.md").write_text("---\ntie: 3\n---\n")
    index = cached_load(root)
    assert index.lookup("Ben Carter").tie == 3
    assert_same_answers(index, load_index(root, use_cache=False))
    assert cached_load(root).lookup("Ben Carter").tie == 3  # and written back whole


def test_a_planted_cache_file_runs_no_code(tmp_path: Path) -> None:
    root = varied_vault(tmp_path / "v")
    cached_load(root)
    witness = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self) -> tuple[Any, tuple[str]]:
            return (os.system, (f"touch {witness}",))

    key = cache.cache_key(Config())
    (root / CACHE_DIR / "view.pickle").write_bytes(pickle.dumps((key, Exploit())))
    assert_same_answers(cached_load(root), load_index(root, use_cache=False))
    assert not witness.exists()


def test_no_cache_is_written_when_disabled_or_for_a_small_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = varied_vault(tmp_path / "v")
    index = load_index(root)  # a dozen notes: below CACHE_MIN_NOTES
    assert not isinstance(index, CachedIndex)
    monkeypatch.setattr(cache, "CACHE_MIN_NOTES", 5)
    monkeypatch.setenv("NETVAULT_NO_CACHE", "1")
    assert not isinstance(load_index(root), CachedIndex)
    assert not (root / ".netvault").exists()
    monkeypatch.setenv("NETVAULT_NO_CACHE", "0")
    assert isinstance(load_index(root), CachedIndex)
    assert (root / CACHE_DIR / "view.pickle").is_file()


def test_gitignore_is_written_only_for_a_vault_that_uses_git(tmp_path: Path) -> None:
    plain = varied_vault(tmp_path / "plain")
    cached_load(plain)
    assert not (plain / ".gitignore").exists()
    assert (plain / CACHE_DIR / ".gitignore").read_text().splitlines()[-1] == "*"

    repo = varied_vault(tmp_path / "repo")
    write_note(repo, ".gitignore", ".obsidian/workspace.json")  # no final newline
    cached_load(repo)
    lines = (repo / ".gitignore").read_text().splitlines()
    assert lines[0] == ".obsidian/workspace.json"
    assert ".netvault/cache/" in lines


def test_a_state_folder_leading_out_of_the_vault_is_not_written(tmp_path: Path) -> None:
    root = varied_vault(tmp_path / "v")
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / ".netvault").symlink_to(outside, target_is_directory=True)
    assert_same_answers(cached_load(root), load_index(root, use_cache=False))
    assert list(outside.iterdir()) == []


def test_the_pool_parses_like_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = varied_vault(tmp_path / "v")
    for number in range(40):
        write_note(root, f"people/p{number}.md", f"---\ntie: {number % 5 + 1}\n---\n[[Ada]]\n")
    files, _ = walk_notes(root)
    serial = read_and_parse(files, Config(), jobs=1)
    monkeypatch.setattr(cache, "POOL_MIN_FILES", 10)
    monkeypatch.setattr(cache, "POOL_CHUNK_MIN", 7)
    assert read_and_parse(files, Config(), jobs=2) == serial
    pooled = cache.parse_files(files, "people", jobs=2)
    assert [item.relpath for item in pooled] == [f.relpath for f in files]


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
    for number in range(cache.CACHE_MIN_NOTES):
        write_note(root, f"people/filler/Person {number:03d}.md",
                   f"---\ntie: {number % 5 + 1}\n---\n- 2026-0{number % 9 + 1}-01 (call) [[Ada]]\n")
    expected = run_cli(root, "list", "--json", env={"NETVAULT_NO_CACHE": "1"}).communicate()[0]
    assert len(json.loads(expected)["contacts"]) == cache.CACHE_MIN_NOTES + 6
    for _round in range(3):  # cold, then warm; the second round also races an edit
        runs = [run_cli(root, "list", "--json") for _ in range(2)]
        outputs = [run.communicate()[0] for run in runs]
        assert [run.returncode for run in runs] == [0, 0]
        assert outputs == [expected, expected]
        assert (root / CACHE_DIR / "view.pickle").is_file()
    write_note(root, "people/filler/Person 000.md", "---\ntie: 5\n---\n")
    racing = [run_cli(root, "list", "--json") for _ in range(2)]
    outputs = [run.communicate()[0] for run in racing]
    expected = run_cli(root, "list", "--json", env={"NETVAULT_NO_CACHE": "1"}).communicate()[0]
    assert outputs == [expected, expected]
    assert run_cli(root, "list", "--json").communicate()[0] == expected


# ---- the view agrees with build_index on any vault -----------------------------------------

NAMES = ["Ada", "Ada O.", "ada", "Ben", "Zoë", "zoe", "Zo", "Nina", "Dan", "people/Ada", "Nobody"]
DAYS = [date(2026, 11, 20) + timedelta(days=n) for n in (-400, -3, 0, 0, 5)]
CHANNELS = ["(in person) ", "(call) ", "(email) ", ""]


@st.composite
def note_texts(draw: Any, dated: bool) -> str:
    lines = []
    if draw(st.booleans()):
        front = [f"aliases: [{draw(st.sampled_from(NAMES))}]"] if draw(st.booleans()) else []
        if draw(st.booleans()):
            front.append(f"name: {draw(st.sampled_from(NAMES))}")
        if draw(st.booleans()):
            front.append(f"met_in_person: {draw(st.sampled_from(['yes', 'no']))}")
        if dated and draw(st.booleans()):
            front.append(f"date: {draw(st.sampled_from(DAYS)).isoformat()}")
        lines += ["---", *front, "---"]
    for _ in range(draw(st.integers(0, 4))):
        link = f"[[{draw(st.sampled_from(NAMES))}]]"
        channel = draw(st.sampled_from(CHANNELS))
        kind = draw(st.sampled_from(["log", "mention", "task", "quote"]))
        if kind == "log":
            lines.append(f"- {draw(st.sampled_from(DAYS)).isoformat()} {channel}saw {link}")
        elif kind == "mention":
            lines.append(f"- {channel}with {link}")
        elif kind == "task":
            lines.append(f"- [ ] ask {link}")
        else:
            lines.append(f"> {link}")
    return "\n".join(lines) + "\n"


@st.composite
def vaults(draw: Any) -> dict[str, str]:
    notes: dict[str, str] = {}
    for name in draw(st.lists(st.sampled_from(["Ada", "Ben", "Zoë", "Nina", "Dan"]), max_size=5,
                              unique=True)):
        folder = draw(st.sampled_from(["people", "people/x", "other"]))
        notes[f"{folder}/{name}.md"] = draw(note_texts(dated=False))
    for day in draw(st.lists(st.sampled_from(DAYS), max_size=3, unique=True)):
        notes[f"daily/{day.isoformat()}.md"] = draw(note_texts(dated=False))
    for number in range(draw(st.integers(0, 2))):
        notes[f"misc/Note {number}.md"] = draw(note_texts(dated=True))
    return notes


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vaults(), vaults())
def test_the_view_agrees_with_build_index(before: dict[str, str], after: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for relpath, text in before.items():
            write_note(root, relpath, text)
        assert_same_answers(cached_load(root), load_index(root, use_cache=False))
        for relpath in before.keys() - after.keys():
            (root / relpath).unlink()
        for relpath, text in after.items():
            write_note(root, relpath, text)
        assert_same_answers(cached_load(root), load_index(root, use_cache=False))


# ---- lean start-up --------------------------------------------------------------------------

HEAVY_MODULES = ("watchdog", "jinja2", "vobject", "icalendar", "rapidfuzz")


@pytest.mark.parametrize("args", [["--help"], ["list", "--json"]])
def test_help_and_list_import_nothing_heavy(tmp_path: Path, args: list[str]) -> None:
    root = varied_vault(tmp_path / "v")
    (root / "people/Ben Carter.md").write_text("---\ntie: 2\n---\n")  # no broken link left
    (root / "projects/Plan.md").unlink()
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
