"""Hostile notes, as real files in a real vault: each gets a clear problem (code and line),
costs bounded time and memory, and never stops the rest of the vault from loading.

The small ones are committed in `corpus/`; the huge ones (50 MB, 100,000 lines, 100,000-char
lines) are generated into tmp_path; names that some file systems cannot hold (`|`, `#`...)
are created at test time too. The bounds are stated in docs/limits.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import pytest
from conftest import Vault

from netvault.edit import EditRefused, append_under_heading, set_key
from netvault.index import Index, load_index
from netvault.parse import MAX_FRONT_MATTER_CHARS, parse_note
from netvault.vaultfs import MAX_NOTE_BYTES

CORPUS = Path(__file__).parent / "corpus"
SECONDS = 2.0  # per note, generous: the slowest committed note parses in ~0.1 s
MEGABYTES = 64  # per note (tracemalloc peak), generous: the largest committed note peaks at ~2 MB

GOOD_NOTES = {
    "people/Ada Okafor.md": "---\ntie: 4\ncompany: Northwind\n---\n## Log\n"
    "- 2026-10-01 (in person) coffee with [[Ben Carter]]\n",
    "people/Ben Carter.md": "---\ntie: 3\naliases: [Benny]\n---\nWorks with [[Ada Okafor]].\n",
    "people/Cleo Diaz.md": "---\ntie: 2\nfirst_met: 2024-05-01\n---\n- [ ] send the deck\n",
}

# corpus file -> (problem code, line) the note must get; None: the note is fine.
EXPECTED: dict[str, tuple[str, int] | None] = {
    "billion-laughs.md": ("front-matter-too-complex", 12),
    "merge-key-bomb.md": ("front-matter-too-complex", 12),
    "deep-flow.md": ("yaml", 3),
    "deep-flow-maps.md": ("yaml", 3),
    "deep-dashes.md": ("yaml", 4),
    "deep-block.md": ("front-matter-too-complex", 67),
    "nul-bytes.md": ("binary", 1),
    "nul-in-front-matter.md": ("binary", 1),
    "python-object-apply.md": ("yaml", 4),
    "python-object-new.md": ("yaml", 3),
    "python-name.md": ("yaml", 3),
    "tabs.md": ("yaml", 4),
    "empty-explicit-tags.md": ("yaml", 1),  # PyYAML's constructors raise KeyError & co.
    "duplicate-keys.md": ("duplicate-key", 5),
    "yaml-types.md": ("bad-type", 11),
    "yaml-line-breaks.md": ("bad-tie", 4),  # after a lone CR, NEL and LS inside a value
    "tab-after-colon.md": None,
}

T = TypeVar("T")


def measured(action: Callable[[], T]) -> tuple[T, float, float]:
    """(result, seconds, peak megabytes): timed first, then run again under tracemalloc,
    which slows Python code down too much to time it at the same run."""
    started = time.process_time()
    result = action()
    seconds = time.process_time() - started
    tracemalloc.start()
    try:
        action()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, seconds, peak / 1e6


def good_vault(vault: Vault) -> Vault:
    for relpath, text in GOOD_NOTES.items():
        vault.write(relpath, text)
    return vault


def assert_rest_loads(index: Index, hostile: str) -> None:
    for relpath in GOOD_NOTES:
        assert index.contact_at(relpath) is not None, relpath
    assert index.lookup("benny").path == "people/Ben Carter.md"
    assert index.backlinks("people/Ada Okafor.md") == ["people/Ben Carter.md"]
    on_good = [p for p in index.problems if p.path in GOOD_NOTES]
    assert on_good == [], on_good
    assert all(p.path == hostile for p in index.problems), index.problems


def assert_rest_loads_despite(index: Index, hostile: str) -> None:
    """The good notes load and have no problems, whatever the hostile note got."""
    for relpath in GOOD_NOTES:
        assert index.contact_at(relpath) is not None, relpath
    assert [p for p in index.problems if p.path != hostile] == []


def problem_codes(index: Index, relpath: str) -> list[tuple[str, int]]:
    return [(p.code, p.line) for p in index.problems if p.path == relpath]


def test_the_corpus_is_what_the_expectations_cover() -> None:
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_note_gets_a_clear_problem_in_bounded_time_and_memory(
    vault: Vault, name: str
) -> None:
    data = (CORPUS / name).read_bytes()
    relpath = f"people/{name}"
    good_vault(vault).write(relpath, data)

    parsed, seconds, megabytes = measured(lambda: parse_note(relpath, data))
    assert seconds < SECONDS, f"{name}: {seconds:.2f} s"
    assert megabytes < MEGABYTES, f"{name}: {megabytes:.1f} MB"
    index, seconds, megabytes = measured(lambda: load_index(vault.root))
    assert seconds < SECONDS + 1, f"{name}: whole vault {seconds:.2f} s"
    assert megabytes < MEGABYTES, f"{name}: whole vault {megabytes:.1f} MB"

    expected = EXPECTED[name]
    codes = problem_codes(index, relpath)
    if expected is None:
        assert codes == []
    else:
        assert codes[0] == expected, codes
        assert all(p.message for p in parsed.problems)
    assert_rest_loads(index, relpath)


def test_yaml_bombs_and_deep_nesting_are_not_contacts(vault: Vault) -> None:
    """A note whose front-matter cannot be read is never half-read into a contact."""
    for name in ("billion-laughs.md", "merge-key-bomb.md", "deep-flow.md", "deep-dashes.md",
                 "deep-flow-maps.md", "deep-block.md", "tabs.md", "python-object-apply.md"):
        vault.write(f"people/{name}", (CORPUS / name).read_bytes())
    index = load_index(vault.root)
    assert index.contacts == []
    assert len(index.notes) == 8


def test_yaml_types_are_read_or_reported_key_by_key(vault: Vault) -> None:
    vault.write("people/yaml-types.md", (CORPUS / "yaml-types.md").read_bytes())
    index = load_index(vault.root)
    contact = index.lookup("Every Type")
    # Timestamps with a time zone count as the day written, not the day in UTC.
    assert contact.first_met is not None and contact.first_met.isoformat() == "2019-03-14"
    assert contact.last_met is not None and contact.last_met.isoformat() == "2026-11-20"
    assert contact.birthday is not None and contact.birthday.iso() == "1990-07-04"
    assert contact.met_in_person is True
    assert contact.tie == 3
    # Binary, sets, ordered maps, pairs and merged mappings where text belongs: errors
    # at the key's line; unknown keys of any type are kept and ignored.
    assert problem_codes(index, "people/yaml-types.md") == [
        ("bad-type", 11),  # email: !!binary
        ("bad-type", 12),  # tags: !!set
        ("bad-type", 13),  # interests: !!set
        ("bad-type", 16),  # aliases: !!omap
        ("bad-type", 16),
        ("bad-type", 17),  # offers: !!pairs
        ("bad-type", 17),
        ("bad-type", 22),  # location: a merged mapping
        ("bad-cadence", 30),  # cadence: !!float
    ]
    assert contact.emails == () and contact.tags == () and contact.aliases == ()
    meta = index.notes["people/yaml-types.md"].meta
    assert meta["job"] == {"company": "Acme", "role": "Lead"}  # merge key, then override
    assert meta["photo"].startswith(b"GIF89a")
    assert meta["ints"] == ["0o14", 31, 1000, 685230, -5]  # YAML 1.1, as Obsidian's own
    assert meta["bools"] == [True, False, True, False, True, "n"]


def test_duplicate_keys_warn_at_the_second_and_the_last_wins(vault: Vault) -> None:
    vault.write("people/duplicate-keys.md", (CORPUS / "duplicate-keys.md").read_bytes())
    index = load_index(vault.root)
    assert problem_codes(index, "people/duplicate-keys.md") == [
        ("duplicate-key", 5),
        ("duplicate-key", 8),
    ]
    contact = index.lookup("Dup Keys")
    assert contact.tie == 5
    assert contact.consent.share_contact == "no"
    assert contact.company == "First Co"


def test_lines_stay_the_note_lines_after_yaml_only_line_breaks(vault: Vault) -> None:
    """YAML breaks lines at a lone CR, NEL, LS and PS too; problems keep the note's lines."""
    vault.write("people/breaks.md", (CORPUS / "yaml-line-breaks.md").read_bytes())
    index = load_index(vault.root)
    assert problem_codes(index, "people/breaks.md") == [("bad-tie", 4), ("duplicate-key", 6)]
    duplicate = index.problems[1].message
    assert duplicate == "key 'role' also set on line 5; the last one wins"


def test_tabs(vault: Vault) -> None:
    vault.write("people/tabs.md", (CORPUS / "tabs.md").read_bytes())
    vault.write("people/tab-after-colon.md", (CORPUS / "tab-after-colon.md").read_bytes())
    index = load_index(vault.root)
    problem = next(p for p in index.problems if p.path == "people/tabs.md")
    assert (problem.line, problem.severity) == (4, "error")
    assert "cannot start any token" in problem.message
    # A tab after the colon separates key and value in YAML: that note is fine.
    contact = index.lookup("Tab Value")
    assert (contact.tie, contact.company) == (2, "Acme")


def test_python_tags_are_refused_and_never_run(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("python-object-apply.md", "python-object-new.md", "python-name.md"):
        vault.write(f"people/{name}", (CORPUS / name).read_bytes())
    index = load_index(vault.root)
    messages = [p.message for p in index.problems]
    assert len(messages) == 3
    assert all("could not determine a constructor for the tag" in m for m in messages)
    assert not (tmp_path / "NETVAULT_PWNED").exists()
    assert not (vault.root / "people" / "NETVAULT_PWNED").exists()


@pytest.mark.parametrize("name", ["deep-flow.md", "deep-dashes.md", "deep-flow-maps.md"])
def test_100000_levels_do_not_crash_the_yaml_parser(name: str) -> None:
    """In a child process, so a C stack overflow would fail this test, not kill pytest."""
    script = (
        "import sys\n"
        "from netvault.parse import parse_note, _libyaml_bounds_nesting\n"
        "problems = parse_note('people/x.md', open(sys.argv[1], 'rb').read()).problems\n"
        "print(_libyaml_bounds_nesting(), [p.code for p in problems])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(CORPUS / name)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert done.stdout.split(" ", 1)[1].strip() == "['yaml']"


def test_the_pure_python_yaml_loader_fails_safely_on_100000_levels() -> None:
    """Where libyaml is older than 0.2.5 the parser uses PyYAML's pure-Python loader: it
    must raise RecursionError (reported as a problem), not overflow the C stack."""
    script = (
        "import sys, yaml\n"
        "text = open(sys.argv[1], encoding='utf-8').read().split('---')[1]\n"
        "try:\n"
        "    yaml.load(text, Loader=yaml.SafeLoader)\n"
        "except RecursionError:\n"
        "    print('RecursionError')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(CORPUS / "deep-flow.md")],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert (done.returncode, done.stdout.strip()) == (0, "RecursionError"), done.stderr[-2000:]


# ---- generated at test time ---------------------------------------------------------------


def test_a_50_mb_note_is_reported_without_being_read(vault: Vault) -> None:
    good_vault(vault)
    path = vault.root / "people" / "Huge.md"
    with path.open("wb") as handle:
        handle.write(b"---\nname: Huge\n---\n")
        chunk = b"- 2026-11-20 (call) a line of a very long log [[Ada Okafor]]\n" * 16_384
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(chunk)
    index, seconds, megabytes = measured(lambda: load_index(vault.root))
    assert problem_codes(index, "people/Huge.md") == [("note-too-large", 1)]
    assert seconds < SECONDS
    assert megabytes < MAX_NOTE_BYTES / 1e6, f"{megabytes:.1f} MB: the note was read"
    assert_rest_loads(index, "people/Huge.md")


def test_a_100000_line_note_reports_the_bad_line_exactly(vault: Vault) -> None:
    lines = ["---", "name: Long Log", "tie: 3", "---", "## Log"]
    while len(lines) < 100_000:
        day = len(lines) % 28 + 1
        lines.append(f"- 2026-03-{day:02d} (call) talked about [[Ben Carter]] #gave")
    lines[73_456] = "- 2026-02-30 (call) an impossible day"
    path = good_vault(vault).write("people/Long Log.md", ("\n".join(lines) + "\n").encode())

    # Measured in a child process: its peak RSS is this note's cost, and tracemalloc would
    # slow 100,000 interactions down tenfold.
    script = (
        "import resource, sys, time\n"
        "from netvault.parse import parse_note\n"
        "data = open(sys.argv[1], 'rb').read()\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "started = time.process_time()\n"
        "parsed = parse_note('people/Long Log.md', data)\n"
        "seconds = time.process_time() - started\n"
        "grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base\n"
        "print(seconds, grown / 1024, len(parsed.note.interactions),\n"
        "      [(p.code, p.line) for p in parsed.problems])\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(path)],
                          capture_output=True, text=True, timeout=60, check=True)
    seconds, megabytes, interactions, problems = done.stdout.split(" ", 3)
    # The one note here that does real work on every line: ~1 s on an idle core.
    assert float(seconds) < 2 * SECONDS, f"{float(seconds):.2f} s"
    assert float(megabytes) < 4 * MEGABYTES, f"{float(megabytes):.1f} MB"
    assert problems.strip() == "[('bad-date', 73457)]"
    assert int(interactions) == 100_000 - 5 - 1
    index = load_index(vault.root)
    assert len(index.interactions(index.lookup("Long Log"))) == 100_000 - 5 - 1
    assert index.backlinks("people/Ben Carter.md") == ["people/Ada Okafor.md", "people/Long Log.md"]
    assert_rest_loads_despite(index, "people/Long Log.md")


def test_100000_lines_of_front_matter_are_refused_by_size(vault: Vault) -> None:
    front = "".join(f"k{n}: {n}\n" for n in range(100_000))
    assert len(front) > MAX_FRONT_MATTER_CHARS
    data = f"---\n{front}---\nbody\n".encode()
    good_vault(vault).write("people/Wide.md", data)
    parsed, seconds, megabytes = measured(lambda: parse_note("people/Wide.md", data))
    assert [(p.code, p.line) for p in parsed.problems] == [("front-matter-too-large", 1)]
    assert seconds < SECONDS and megabytes < MEGABYTES
    assert_rest_loads(load_index(vault.root), "people/Wide.md")


# Lines that once took cubic or quadratic time in the parser's regular expressions.
LONG_LINES = {
    "channel-paren": "- 2026-01-01 (" + " " * 100_000 + "x",
    "channel-paren-link": "- 2026-01-01 [[Ada Okafor]] (" + " " * 100_000,
    "backticks": "[[Ada Okafor]] " + "`" * 100_000,
    "backtick-runs": "[[Ada Okafor]] " + "".join("`" * (n % 50 + 1) + "a" for n in range(5_000)),
    "brackets": "[[" * 50_000,
    "heading": "# a" + " \t" * 50_000 + "b",
}


@pytest.mark.parametrize("kind", sorted(LONG_LINES))
def test_long_hostile_lines_parse_in_linear_time(vault: Vault, kind: str) -> None:
    data = f"---\ntie: 2\n---\n{LONG_LINES[kind]}\n- 2026-02-30 next line\n".encode()
    parsed, seconds, _ = measured(lambda: parse_note("people/Line.md", data))
    assert seconds < SECONDS, f"{kind}: {seconds:.2f} s"
    assert [(p.code, p.line) for p in parsed.problems] == [("bad-date", 5)]


@pytest.mark.parametrize("kind", sorted(LONG_LINES))
def test_the_editor_handles_long_hostile_lines_in_linear_time(kind: str) -> None:
    text = f"---\ntie: 2\n---\n{LONG_LINES[kind]}\n## Log\n- 2026-01-01 first\n"
    started = time.process_time()
    new = set_key(append_under_heading(text, "## Log", "- 2026-11-20 second"), "tie", 3)
    assert time.process_time() - started < SECONDS, kind
    assert new == text.replace("tie: 2", "tie: 3") + "- 2026-11-20 second\n"


EDITOR_REFUSES = {
    "billion-laughs.md", "merge-key-bomb.md", "deep-flow.md", "deep-flow-maps.md",
    "deep-dashes.md", "deep-block.md", "nul-in-front-matter.md", "python-object-apply.md",
    "python-object-new.md", "python-name.md", "tabs.md", "empty-explicit-tags.md",
    # libyaml reads a tab after the colon; PyYAML's pure-Python scanner, which the editor
    # needs for character offsets, does not: the editor refuses rather than guess.
    "tab-after-colon.md",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_editor_refuses_quickly_what_the_parser_cannot_read(name: str) -> None:
    """The editor's own YAML pass is pure Python and slow: it never sees these notes."""
    text = (CORPUS / name).read_bytes().decode("utf-8")
    started = time.process_time()
    if name in EDITOR_REFUSES:
        with pytest.raises(EditRefused, match="netvault will not rewrite it"):
            set_key(text, "last_met", date(2026, 11, 20))
    else:
        new = set_key(text, "last_met", date(2026, 11, 20))
        assert "last_met: 2026-11-20" in new
    assert time.process_time() - started < SECONDS, name


def test_code_spans_hide_links_as_commonmark_pairs_backticks() -> None:
    data = b"[[A]] `[[B]]` ``[[C]] ` [[D]]`` ```[[E]]`` [[F]]\n"
    links = [link.target for link in parse_note("notes/x.md", data).note.links]
    # ```...`` never closes: those backticks are literal and E and F are links.
    assert links == ["A", "E", "F"]


# ---- names ----------------------------------------------------------------------------

UNLINKABLE = ["Ada | Okafor", "Ada #1", "Ada ^block", "[[Ada]]", "Ada [work]"]


def test_names_a_wikilink_cannot_reach_are_reported_and_still_load(vault: Vault) -> None:
    good_vault(vault)
    for name in UNLINKABLE:
        vault.write(f"people/{name}.md", "---\ntie: 2\n---\n")
    index, seconds, _ = measured(lambda: load_index(vault.root))
    assert seconds < SECONDS
    for name in UNLINKABLE:
        assert problem_codes(index, f"people/{name}.md") == [("unlinkable-name", 1)]
        assert index.contact_at(f"people/{name}.md") is not None
    for relpath in GOOD_NOTES:
        assert index.contact_at(relpath) is not None


def test_emoji_and_right_to_left_names_load_and_are_found(vault: Vault) -> None:
    good_vault(vault)
    vault.write("people/👩🏽‍💻 Zoë Ñúñez.md", "---\ntie: 3\n---\nKnows [[עדה לוי]].\n")
    vault.write("people/עדה לוי.md", "---\ntie: 2\naliases: [Ada Levi]\n---\n")
    vault.write("people/محمد علي.md", "---\ntie: 2\n---\n[[👩🏽‍💻 Zoë Ñúñez]]\n")
    index = load_index(vault.root)
    assert index.problems == []
    assert index.lookup("👩🏽‍💻 zoe nunez").path == "people/👩🏽‍💻 Zoë Ñúñez.md"
    assert index.lookup("ada levi").path == "people/עדה לוי.md"
    assert index.backlinks("people/עדה לוי.md") == ["people/👩🏽‍💻 Zoë Ñúñez.md"]
    assert index.backlinks("people/👩🏽‍💻 Zoë Ñúñez.md") == ["people/محمد علي.md"]


def test_check_reports_every_hostile_note_and_counts_the_good_ones(vault: Vault) -> None:
    good_vault(vault)
    for path in CORPUS.iterdir():
        vault.write(f"people/{path.name}", path.read_bytes())
    started = time.process_time()
    result = vault.run("check", "--json")
    assert time.process_time() - started < 3 * SECONDS
    assert result.exit_code == 1, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    assert report["notes"] == len(GOOD_NOTES) + len(EXPECTED)
    # The good notes, the fine one and the three whose faults are key by key.
    assert report["contacts"] == len(GOOD_NOTES) + 4
    first: dict[str, tuple[str, int]] = {}
    for problem in report["problems"]:
        first.setdefault(problem["path"], (problem["code"], problem["line"]))
    assert first.pop(".netvault.toml") == ("owner-unset", 1)  # this vault has no config
    assert first == {f"people/{name}": where for name, where in EXPECTED.items() if where}
