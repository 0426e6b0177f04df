"""Tests for netvault.edit: byte-preserving edits, atomic writes, refusals, the vault lock."""

from __future__ import annotations

import datetime as dt
import difflib
import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netvault import edit
from netvault import write as write_module
from netvault.edit import (
    EditRefused,
    NoteEditor,
    append_under_heading,
    create_note,
    create_notes,
    set_key,
)
from netvault.write import Replace, Target, WriteRefused, vault_lock, write_file

BOM = "\ufeff"
CRLF = "\r\n"


# --------------------------------------------------------------------------- helpers


def lines_of(text: str) -> list[str]:
    """Lines with their endings, split on LF only (as git and the editor do)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def split_front_matter(text: str) -> tuple[str, str]:
    """(front-matter YAML, rest): an independent, deliberately simple reader."""
    text = text.removeprefix(BOM)
    lines = lines_of(text)
    assert lines[0].rstrip("\r\n") == "---"
    for i, line in enumerate(lines[1:], start=1):
        if line.rstrip("\r\n") == "---":
            return "".join(lines[1:i]), "".join(lines[i + 1 :])
    raise AssertionError("front matter not closed")


def load_fm(text: str) -> dict[Any, Any]:
    data = yaml.safe_load(split_front_matter(text)[0])
    return {} if data is None else data


def canon(value: Any) -> Any:
    """A comparable form that tells 1 from True and a date from a string."""
    if isinstance(value, dict):
        return ("dict", sorted((repr(k), canon(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return ("list", [canon(v) for v in value])
    return (type(value).__name__, value)


@dataclass(frozen=True)
class Hunk:
    """The one region where two texts' lines differ, as a line diff reports it."""

    old_start: int
    old_end: int
    new_lines: list[str]
    ops: list[str]  # difflib opcodes of the region


def hunk(old: str, new: str, nl: str = "\n") -> Hunk:
    """Trim the common leading and trailing lines, then diff what is left with difflib.

    Trimming first keeps difflib from pairing up repeated lines (`---`, blanks) in
    arbitrary ways; what remains is exactly what `git diff` would show as changed.
    """
    if not old.endswith("\n"):
        # An append to a last line without a line break has to end that line first;
        # compare as if both ended with one so that is not counted as a change.
        old, new = old + nl, new + nl
    a, b = lines_of(old), lines_of(new)
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    tail = 0
    while tail < min(len(a), len(b)) - start and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    old_win, new_win = a[start : len(a) - tail], b[start : len(b) - tail]
    matcher = difflib.SequenceMatcher(a=old_win, b=new_win, autojunk=False)
    ops = [op[0] for op in matcher.get_opcodes() if op[0] != "equal"]
    return Hunk(start, len(a) - tail, new_win, ops)


def heading_title(raw: str) -> str | None:
    """The casefolded text of an ATX heading line, None for other lines."""
    match = re.fullmatch(r" {0,3}#{1,6}(?:[ \t]+(.*?))?[ \t]*", raw.rstrip("\r\n"))
    if match is None:
        return None
    return re.sub(r"(?:^|[ \t]+)#+$", "", match.group(1) or "").strip().casefold()


def write(path: Path, text: str, *, bom: bool = False) -> bytes:
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    path.write_bytes(data)
    return data


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".netvault-"))


NOTE = (
    "---\n"
    "name: Ada Okafor  # as she writes it\n"
    "tie: 4\n"
    "tags:\n"
    "  - mentor\n"
    "  - ml  # since 2024\n"
    "# where we met\n"
    "companies: [Acme, 'Beta, Inc']  # flow\n"
    "last_met: 2026-01-05  # coffee\n"
    "---\n"
    "# Ada Okafor\n"
    "\n"
    "## Log\n"
    "- 2026-01-05 coffee\n"
    "\n"
    "## Notes\n"
    "Likes chess.\n"
)


# --------------------------------------------------------------------------- set_key examples


def test_replace_key_keeps_trailing_comment() -> None:
    new = set_key(NOTE, "last_met", dt.date(2026, 11, 20))
    assert "last_met: 2026-11-20  # coffee\n" in new
    assert new == NOTE.replace("last_met: 2026-01-05", "last_met: 2026-11-20")
    assert load_fm(new)["last_met"] == dt.date(2026, 11, 20)


def test_replace_block_list_keeps_block_style_and_indent() -> None:
    new = set_key(NOTE, "tags", ["friend", "yes", "2026-01-01"])
    # Items are changed in place and added after the last one: each comment stays where it
    # was, on the second item's line.
    assert new == NOTE.replace(
        "  - mentor\n  - ml  # since 2024\n",
        "  - friend\n  - 'yes'  # since 2024\n  - '2026-01-01'\n",
    )
    assert load_fm(new)["tags"] == ["friend", "yes", "2026-01-01"]


def test_replace_block_list_with_scalar_and_empty_list() -> None:
    scalar = set_key(NOTE, "tags", "solo")
    assert load_fm(scalar)["tags"] == "solo"
    assert "# where we met\n" in scalar
    empty = set_key(NOTE, "tags", [])
    assert load_fm(empty)["tags"] == []


def test_flow_list_untouched_when_editing_another_key() -> None:
    new = set_key(NOTE, "tie", 5)
    assert "companies: [Acme, 'Beta, Inc']  # flow\n" in new
    assert new == NOTE.replace("tie: 4", "tie: 5")


def test_replace_flow_list_stays_flow() -> None:
    new = set_key(NOTE, "companies", ["Acme", "Gamma"])
    assert new == NOTE.replace("[Acme, 'Beta, Inc']", "[Acme, Gamma]")


def test_multiline_values_replaced_whole() -> None:
    text = (
        "---\n"
        "bio: |\n"
        "  line one\n"
        "  line two\n"
        "\n"
        "where: [a,\n"
        "  b]   # spans lines\n"
        "quoted: 'a long\n"
        "  folded string'\n"
        "end: 1\n"
        "---\n"
    )
    new = set_key(text, "bio", "short")
    assert new.startswith("---\nbio: short\n\nwhere:")
    new = set_key(text, "where", ["c"])
    assert "where: [c]   # spans lines\n" in new
    new = set_key(text, "quoted", "x")
    assert "quoted: x\nend: 1\n" in new
    for key in ("bio", "where", "quoted"):
        assert load_fm(set_key(text, key, 7)) == {**load_fm(text), key: 7}


def test_values_are_quoted_only_when_needed() -> None:
    base = "---\na: 1\n---\n"
    cases = {
        "plain words": "a: plain words",
        "yes": "a: 'yes'",
        "no": "a: 'no'",
        "2026-01-01": "a: '2026-01-01'",
        "[[Ada]]": "a: '[[Ada]]'",
        "12": "a: '12'",
        "key: value": "a: 'key: value'",
        " padded ": "a: ' padded '",
        "two\nlines": 'a: "two\\nlines"',
        "": "a: ''",
    }
    for value, line in cases.items():
        new = set_key(base, "a", value)
        assert new.splitlines()[1] == line
        assert load_fm(new) == {"a": value}
    assert set_key(base, "a", True).splitlines()[1] == "a: true"
    assert set_key(base, "a", False).splitlines()[1] == "a: false"
    assert set_key(base, "a", None).splitlines()[1] == "a: null"
    assert set_key(base, "a", dt.date(2026, 11, 20)).splitlines()[1] == "a: 2026-11-20"
    assert set_key(base, "a", ["x", "y, z", 3]).splitlines()[1] == "a: [x, 'y, z', 3]"


def test_empty_value_gets_one() -> None:
    text = "---\nfirst_met:  # unknown\nb: 2\n---\n"
    new = set_key(text, "first_met", dt.date(2020, 5, 1))
    assert new == "---\nfirst_met: 2020-05-01  # unknown\nb: 2\n---\n"


def test_same_value_changes_nothing_not_even_quotes() -> None:
    text = '---\nname: "Ada"\ntie: 4\n---\n'
    assert set_key(text, "name", "Ada") == text
    assert set_key(text, "tie", 4) == text
    assert set_key(text, "tie", True) != text  # 4 is not True, and 1 would not be either


def test_new_key_on_crlf_bom_note_adds_exactly_one_line() -> None:
    text = BOM + "---\r\nname: Ada  # c\r\ntags: [a, b]\r\n---\r\nbody\r\n"
    new = set_key(text, "last_met", dt.date(2026, 11, 20))
    assert (
        new
        == BOM + "---\r\nname: Ada  # c\r\ntags: [a, b]\r\nlast_met: 2026-11-20\r\n---\r\nbody\r\n"
    )


def test_new_key_bytes_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "Ada.md"
    old = write(path, "---\r\nname: Ada  # c\r\ntags: [a, b]\r\n---\r\nbody\r\n", bom=True)
    editor = NoteEditor.open(path.parent, path.name)
    editor.set_key("tie", 3)
    assert editor.save() is True
    assert path.read_bytes() == old.replace(b"tags: [a, b]\r\n", b"tags: [a, b]\r\ntie: 3\r\n")


def test_mixed_line_endings_use_the_dominant_one() -> None:
    text = "---\r\na: 1\r\nb: 2\n---\r\nbody\r\n"
    assert set_key(text, "c", 3) == "---\r\na: 1\r\nb: 2\nc: 3\r\n---\r\nbody\r\n"
    assert set_key(text, "b", 5) == text.replace("b: 2", "b: 5")


def test_note_without_front_matter_gets_one() -> None:
    assert set_key("# Ada\n\ntext\n", "tie", 3) == "---\ntie: 3\n---\n# Ada\n\ntext\n"
    assert set_key(BOM + "# Ada\r\n", "tie", 3) == BOM + "---\r\ntie: 3\r\n---\r\n# Ada\r\n"
    assert set_key("", "tie", 3) == "---\ntie: 3\n---\n"
    assert set_key("---\n---\nbody\n", "tie", 3) == "---\ntie: 3\n---\nbody\n"


def test_new_key_goes_before_explicit_document_end() -> None:
    text = "---\nbio: |+\n  text\n\n...\n---\n"
    new = set_key(text, "tie", 2)
    assert new == "---\nbio: |+\n  text\n\ntie: 2\n...\n---\n"
    assert load_fm(new) == {"bio": "text\n\n", "tie": 2}


def test_indented_root_mapping_gets_new_key_at_same_indent() -> None:
    text = "---\n  a: 1\n  b: 2\n---\n"
    new = set_key(text, "c", 3)
    assert new == "---\n  a: 1\n  b: 2\n  c: 3\n---\n"


def test_refusals_on_text() -> None:
    with pytest.raises(EditRefused, match="never closed"):
        set_key("---\na: 1\n", "a", 2)
    with pytest.raises(EditRefused, match="not valid YAML"):
        set_key("---\na: [1\n---\n", "a", 2)
    with pytest.raises(EditRefused, match="not a mapping"):
        set_key("---\n- a\n- b\n---\n", "a", 2)
    with pytest.raises(EditRefused, match="more than once"):
        set_key("---\na: 1\na: 2\n---\n", "a", 3)
    with pytest.raises(EditRefused, match="YAML anchor &x"):
        set_key("---\na: &x 1\nb: *x\n---\n", "a", 2)
    # Editing a key that merely uses an alias is fine.
    assert load_fm(set_key("---\na: &x 1\nb: *x\n---\n", "b", 2)) == {"a": 1, "b": 2}


def test_yaml_bomb_is_handled_in_bounded_time() -> None:
    levels = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        ref = ",".join([f"*a{i - 1}"] * 9)
        levels.append(f"a{i}: &a{i} [{ref}]")
    text = "---\n" + "\n".join(levels) + "\n---\n"
    started = time.process_time()
    # The parser refuses to read it (front-matter-too-complex), so the editor refuses it too.
    with pytest.raises(EditRefused, match="more than 20,000 values"):
        set_key(text, "tie", 1)
    assert time.process_time() - started < 2


# --------------------------------------------------------------------------- append_under_heading


def test_append_under_existing_log_before_next_heading() -> None:
    new = append_under_heading(NOTE, "## Log", "- 2026-11-20 call")
    assert new == NOTE.replace("- 2026-01-05 coffee\n", "- 2026-01-05 coffee\n- 2026-11-20 call\n")


def test_append_matches_heading_case_insensitively_and_skips_code() -> None:
    text = "intro\n```\n## Log\n```\n## LOG ##\n\n- a\n\n\n### Sub\n- b\n# Top\nx\n"
    new = append_under_heading(text, "## log", "- c")
    assert new == text.replace("- b\n", "- b\n- c\n")


def test_append_creates_log_heading_when_missing() -> None:
    text = "---\na: 1\n---\n# Ada\n\nSome text.\n"
    assert append_under_heading(text, "## Log", "- x") == text + "\n## Log\n- x\n"
    assert append_under_heading("# Ada\n\n", "## Log", "- x") == "# Ada\n\n## Log\n- x\n"
    assert append_under_heading("# Ada", "Log", "- x") == "# Ada\n\n## Log\n- x"
    assert append_under_heading("# Ada\r\n", "## Log", "- x") == "# Ada\r\n\r\n## Log\r\n- x\r\n"
    assert append_under_heading("", "## Log", "- x") == "## Log\n- x\n"


def test_append_keeps_missing_final_newline() -> None:
    assert append_under_heading("## Log\n- a", "## Log", "- b") == "## Log\n- a\n- b"
    assert append_under_heading("## Log\n", "## Log", "- b") == "## Log\n- b\n"


def test_append_ignores_headings_inside_front_matter() -> None:
    text = "---\nbio: |\n  ## Log\n  x\n---\nbody\n"
    new = append_under_heading(text, "## Log", "- y")
    assert new == text + "\n## Log\n- y\n"


def test_append_refuses_multiline_text() -> None:
    with pytest.raises(ValueError):
        append_under_heading(NOTE, "## Log", "a\nb")


# --------------------------------------------------------------------------- the session API


def test_editor_round_trip_and_no_op_save(tmp_path: Path) -> None:
    path = tmp_path / "Ada.md"
    write(path, NOTE)
    editor = NoteEditor.open(path.parent, path.name)
    assert editor.changed is False
    assert editor.save() is False
    editor.set_key("tie", 4)  # same value: nothing changes
    assert editor.save() is False
    editor.set_key("tie", 5)
    editor.append_under_heading("## Log", "- 2026-11-20 call")
    assert editor.changed and editor.front_matter()["tie"] == 5
    assert editor.save() is True
    assert editor.save() is False
    assert path.read_text(encoding="utf-8") == editor.text
    assert temp_files(tmp_path) == []
    # A second edit on the same editor after saving still works.
    editor.set_key("tie", 3)
    assert editor.save() is True
    assert load_fm(path.read_text(encoding="utf-8"))["tie"] == 3


def test_replace_text_keeps_checks(tmp_path: Path) -> None:
    path = tmp_path / "Ada.md"
    write(path, NOTE, bom=True)
    editor = NoteEditor.open(path.parent, path.name)
    with pytest.raises(EditRefused, match="never closed"):
        editor.replace_text("---\nname: x\n")
    editor.replace_text(NOTE.replace("Likes chess.", "Likes go."))
    assert editor.save()
    assert path.read_bytes() == b"\xef\xbb\xbf" + NOTE.replace("chess", "go").encode("utf-8")


def test_non_utf8_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "Bad.md"
    data = b"---\nname: Ada\n---\ncaf\xe9\n"
    path.write_bytes(data)
    with pytest.raises(EditRefused) as info:
        NoteEditor.open(path.parent, path.name)
    assert info.value.path == path
    assert "not valid UTF-8 at byte 21" in info.value.message
    assert "will not rewrite" in str(info.value)
    assert path.read_bytes() == data


def test_non_utf8_byte_offset_counts_bom(tmp_path: Path) -> None:
    path = tmp_path / "Bad.md"
    path.write_bytes(b"\xef\xbb\xbfab\xff")
    with pytest.raises(EditRefused, match="byte 5"):
        NoteEditor.open(path.parent, path.name)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("---\nname: Ada\nbody\n", "never closed"),
        ("---\nname: [Ada\n---\n", "not valid YAML"),
        ("---\njust a string\n---\n", "not a mapping"),
        ("---\nd: 2026-13-45\n---\n", "not valid YAML"),
    ],
)
def test_bad_front_matter_refused(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "Bad.md"
    write(path, text)
    with pytest.raises(EditRefused, match=reason) as info:
        NoteEditor.open(path.parent, path.name)
    assert info.value.path == path
    assert path.read_text(encoding="utf-8") == text


def test_changed_on_disk_is_refused_and_newer_text_survives(tmp_path: Path) -> None:
    path = tmp_path / "Ada.md"
    write(path, NOTE)
    editor = NoteEditor.open(path.parent, path.name)
    editor.set_key("tie", 5)
    newer = NOTE.replace("Likes chess.", "Likes chess and go.")
    write(path, newer)
    with pytest.raises(
        EditRefused, match="changed on disk since netvault read it; nothing written"
    ):
        editor.save()
    assert path.read_text(encoding="utf-8") == newer
    assert temp_files(tmp_path) == []


def test_change_just_before_rename_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second check runs after the temp file is written, right before the rename."""
    path = tmp_path / "Ada.md"
    write(path, NOTE)
    editor = NoteEditor.open(path.parent, path.name)
    editor.set_key("tie", 5)
    real_fchmod = os.fchmod

    def fchmod_then_user_saves(fd: int, mode: int) -> None:
        real_fchmod(fd, mode)
        write(path, "user text\n")

    monkeypatch.setattr(os, "fchmod", fchmod_then_user_saves)
    with pytest.raises(EditRefused, match="changed on disk"):
        editor.save()
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == "user text\n"
    assert temp_files(tmp_path) == []


def test_deleted_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "Ada.md"
    write(path, NOTE)
    editor = NoteEditor.open(path.parent, path.name)
    editor.set_key("tie", 5)
    path.unlink()
    with pytest.raises(EditRefused, match="deleted"):
        editor.save()
    assert not path.exists()


def test_file_mode_kept(tmp_path: Path) -> None:
    path = tmp_path / "Ada.md"
    write(path, NOTE)
    path.chmod(0o640)
    editor = NoteEditor.open(path.parent, path.name)
    editor.set_key("tie", 5)
    editor.save()
    assert path.stat().st_mode & 0o7777 == 0o640


def test_a_symlinked_note_is_neither_read_nor_written(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    write(real, NOTE)
    link = tmp_path / "link.md"
    link.symlink_to(real)
    with pytest.raises(EditRefused, match="symlink"):
        NoteEditor.open(link.parent, link.name)
    editor = NoteEditor.open(real.parent, real.name)
    editor.set_key("tie", 5)
    real.unlink()
    real.symlink_to(tmp_path / "elsewhere.md")  # swapped for a link after the read
    with pytest.raises(EditRefused, match="symlink"):
        editor.save()
    assert not (tmp_path / "elsewhere.md").exists()


def test_disk_full_loses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "Ada.md"
    original = write(path, NOTE)
    editor = NoteEditor.open(path.parent, path.name)
    editor.set_key("tie", 5)

    def full(fd: int, data: Any) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(EditRefused) as info:
        editor.save()
    monkeypatch.undo()
    assert "no space left on device" in info.value.message
    assert "nothing was lost" in info.value.message
    assert path.read_bytes() == original
    assert temp_files(tmp_path) == []
    # Once there is space again the same edit goes through.
    assert editor.save() is True
    assert load_fm(path.read_text(encoding="utf-8"))["tie"] == 5


def test_fsync_failure_loses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "Ada.md"
    original = write(path, NOTE)
    editor = NoteEditor.open(path.parent, path.name)
    editor.set_key("tie", 5)

    def broken(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(EditRefused, match="nothing was lost"):
        editor.save()
    monkeypatch.undo()
    assert path.read_bytes() == original
    assert temp_files(tmp_path) == []


def test_create_note(tmp_path: Path) -> None:
    path = tmp_path / "New.md"
    create_note(tmp_path, "New.md", "---\nname: New\n---\n")
    assert path.read_text(encoding="utf-8") == "---\nname: New\n---\n"
    assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()
    with pytest.raises(EditRefused, match="already exists") as info:
        create_note(tmp_path, "New.md", "---\nname: Other\n---\n")
    assert info.value.path == path
    assert path.read_text(encoding="utf-8") == "---\nname: New\n---\n"
    assert temp_files(tmp_path) == []


def test_create_note_loses_race_without_overwriting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone else creates the file after our existence check: theirs is kept."""
    path = tmp_path / "New.md"
    real_fchmod = os.fchmod

    def fchmod_then_other_creates(fd: int, mode: int) -> None:
        real_fchmod(fd, mode)
        path.write_text("theirs\n", encoding="utf-8")

    monkeypatch.setattr(os, "fchmod", fchmod_then_other_creates)
    with pytest.raises(EditRefused, match="already exists"):
        create_note(tmp_path, "New.md", "ours\n")
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == "theirs\n"
    assert temp_files(tmp_path) == []


def test_create_note_refuses_broken_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "New.md"
    with pytest.raises(EditRefused, match="never closed"):
        create_note(tmp_path, "New.md", "---\nname: New\n")
    assert not path.exists()


def test_create_notes_writes_the_good_notes_and_refuses_each_bad_one_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "vault"
    (root / "people").mkdir(parents=True)
    (root / "people/Taken.md").write_text("mine\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "linked").symlink_to(outside)
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    results = create_notes(root, [
        ("people/Ada.md", "---\nname: Ada\n---\n"),
        ("people/Taken.md", "---\nname: Taken\n---\n"),
        ("linked/Eve.md", "---\nname: Eve\n---\n"),
        ("people/Broken.md", "---\nname: [Broken\n---\n"),
        ("../Out.md", "---\nname: Out\n---\n"),
        ("projects/Phoenix.md", "# Phoenix\n"),
    ])  # fmt: skip
    reasons = [None if r is None else r.message for r in results]
    assert reasons[0] is None and reasons[5] is None
    assert reasons[1] == "already exists; netvault will not overwrite it"
    assert reasons[2] is not None and "symlink" in reasons[2]
    assert reasons[3] is not None and reasons[3].startswith("front matter is not valid YAML")
    assert reasons[4] == "is not a path inside the vault"
    assert results[1] is not None and results[1].path == root / "people/Taken.md"
    assert (root / "people/Ada.md").read_text(encoding="utf-8") == "---\nname: Ada\n---\n"
    assert (root / "projects/Phoenix.md").read_text(encoding="utf-8") == "# Phoenix\n"
    assert (root / "people/Ada.md").stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert (root / "people/Taken.md").read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in (root / "people").iterdir()) == ["Ada.md", "Taken.md"]
    assert list(outside.iterdir()) == [] and not (tmp_path / "Out.md").exists()
    # Made durable together: the file system once, then each folder once, no note alone.
    assert len(synced) == 2


def test_create_notes_keeps_a_note_another_program_created_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name taken after the temp files are written: that note is refused, theirs kept,
    the others written, and no temp file is left."""
    real_sync = write_module._sync_file_systems

    def sync_then_other_creates(folders: set[int]) -> None:
        real_sync(folders)
        (tmp_path / "B.md").write_text("theirs\n", encoding="utf-8")

    monkeypatch.setattr(write_module, "_sync_file_systems", sync_then_other_creates)
    results = create_notes(tmp_path, [("A.md", "a\n"), ("B.md", "b\n"), ("C.md", "c\n")])
    assert [r and r.message for r in results] == [
        None, "already exists; netvault will not overwrite it", None
    ]  # fmt: skip
    assert [p.read_text(encoding="utf-8") for p in sorted(tmp_path.glob("*.md"))] == [
        "a\n", "theirs\n", "c\n"
    ]  # fmt: skip
    assert temp_files(tmp_path) == []


def test_create_notes_on_a_full_disk_creates_no_half_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write_all = write_module._write_all

    def full_at_b(fd: int, data: bytes) -> None:
        if data == b"b\n":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_write_all(fd, data)

    monkeypatch.setattr(write_module, "_write_all", full_at_b)
    results = create_notes(tmp_path, [("A.md", "a\n"), ("B.md", "b\n")])
    assert results[0] is None
    assert results[1] is not None and results[1].message == (
        "could not write it (no space left on device); the note was not created, "
        "nothing was lost"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A.md"]

    def failing_sync(folders: set[int]) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(write_module, "_sync_file_systems", failing_sync)
    results = create_notes(tmp_path, [("C.md", "c\n"), ("D.md", "d\n")])
    assert [r is not None and "Input/output error" in r.message for r in results] == [True, True]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A.md"]


def test_replacing_machine_state_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / ".netvault" / "state.json"
    path.parent.mkdir()
    path.write_text("a\n", encoding="utf-8")
    path.chmod(0o600)
    write_file(Target.inside(tmp_path, ".netvault/state.json"), b"a\nb\n", replace=Replace.STATE)
    assert path.read_bytes() == b"a\nb\n"
    assert path.stat().st_mode & 0o777 == 0o600


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --------------------------------------------------------------------------- the vault lock

_HOLDER = textwrap.dedent(
    """
    import fcntl, os, sys, time
    fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    print("locked", flush=True)
    time.sleep(60)
    """
)


def test_vault_lock_excludes_and_is_released_on_crash(tmp_path: Path) -> None:
    with vault_lock(tmp_path) as lock_path:
        assert lock_path == tmp_path / ".netvault" / "lock"
        with vault_lock(tmp_path, timeout=0.1):  # re-entrant in the same process
            pass
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(tmp_path / ".netvault" / "lock")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with (
            pytest.raises(WriteRefused, match="another netvault process"),
            vault_lock(tmp_path, timeout=0.2),
        ):
            pass
        holder.send_signal(signal.SIGKILL)  # a crash: the kernel drops the flock
        holder.wait(timeout=10)
        with vault_lock(tmp_path, timeout=5):
            pass
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()


# --------------------------------------------------------------------------- git sees only the edit


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_diff_shows_exactly_the_edited_lines(tmp_path: Path) -> None:
    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
            cwd=tmp_path,
            check=True,
            capture_output=True,
        )
        return done.stdout.decode("utf-8")  # bytes: keep the CRs

    git("init", "-q")
    git("config", "core.autocrlf", "false")
    note = tmp_path / "Ada Okafor.md"
    note.write_bytes(NOTE.replace("\n", CRLF).encode("utf-8"))
    git("add", ".")
    git("commit", "-q", "-m", "seed")

    editor = NoteEditor.open(note.parent, note.name)
    editor.set_key("last_met", dt.date(2026, 11, 20))
    editor.append_under_heading("## Log", "- 2026-11-20 call about the grant")
    assert editor.save()

    assert git("diff", "--numstat").split() == ["2", "1", "Ada", "Okafor.md"]
    changed = [
        line
        for line in git("diff", "--no-color", "-U0").split("\n")
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert changed == [
        "-last_met: 2026-01-05  # coffee\r",
        "+last_met: 2026-11-20  # coffee\r",
        "+- 2026-11-20 call about the grant\r",
    ]


# --------------------------------------------------------------------------- property tests


def _plain_key_ok(key: str) -> bool:
    try:
        return bool(yaml.safe_load(f"{key}: 1") == {key: 1})
    except yaml.YAMLError:
        return False


KEYS = st.from_regex(r"[a-z][a-z0-9_]{0,8}|[a-z][a-z0-9 _-]{0,8}[a-z0-9]", fullmatch=True).filter(
    _plain_key_ok
)
TEXT = st.text(
    alphabet=st.sampled_from(list("abcXYZ 019:#-'\"[]{},&*!|>%@`?~\\é中😀\t\n")), max_size=24
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    TEXT,
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=4))
COMMENT = st.sampled_from(["", "  # note", " #c", "   # tricky: [x] 'q'"])
BODY_LINE = st.one_of(
    st.sampled_from(
        [
            "",
            "# Title",
            "## Log",
            "## log",
            "## Notes",
            "### Sub",
            "- 2026-01-01 met",
            "---",
            "text",
        ]
    ),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"),
        max_size=30,
    ).filter(lambda s: not s.lstrip(" ").startswith(("```", "~~~"))),
)


def _flow_item(value: Any) -> str:
    out = yaml.safe_dump([value], default_flow_style=True, width=1 << 20, allow_unicode=True)
    if "\n" in out[:-1]:
        out = yaml.safe_dump([value], default_flow_style=True, default_style='"', width=1 << 20)
    assert out.startswith("[") and out.endswith("]\n")
    return out[1:-2]


@st.composite
def entries(draw: st.DrawFn, key: str) -> tuple[Any, list[str]]:
    """One front-matter key rendered in one of many styles, as LF lines without endings."""
    value = draw(VALUES)
    key_text = yaml.safe_dump({key: None}, allow_unicode=True)[: -len(": null\n")]
    if isinstance(value, list) and value and draw(st.booleans()):
        indent = draw(st.sampled_from(["", "  ", "    "]))
        lines = [key_text + ":" + draw(COMMENT)]
        lines += [f"{indent}- {_flow_item(item)}{draw(COMMENT)}" for item in value]
        return value, lines
    style = draw(st.sampled_from([None, None, "'", '"', "|", ">"]))
    if isinstance(value, list):
        style = None
    dumped = yaml.safe_dump(
        {key: value},
        default_style=style,
        default_flow_style=None if isinstance(value, list) else False,
        width=draw(st.sampled_from([1 << 20, 12])),
        allow_unicode=draw(st.booleans()),
    )
    lines = dumped.split("\n")[:-1]
    if style not in ("|", ">"):
        lines[-1] += draw(COMMENT)
    return value, lines


@st.composite
def notes(draw: st.DrawFn) -> dict[str, Any]:
    """A random valid note and where each key's lines are."""
    keys = draw(st.lists(KEYS, unique=True, max_size=6))
    nl = draw(st.sampled_from(["\n", CRLF]))
    lines = ["---"]
    spans: dict[str, tuple[int, int]] = {}
    data: dict[str, Any] = {}
    keeps_blank_lines = False  # the previous value is a `|+` scalar: a blank line joins it
    for key in keys:
        if draw(st.integers(0, 3)) == 0:
            comments = ["# a comment", "#", "#  [not: yaml]"] + ([] if keeps_blank_lines else [""])
            lines.append(draw(st.sampled_from(comments)))
        value, entry_lines = draw(entries(key))
        keeps_blank_lines = re.search(r"[|>][1-9]?\+[1-9]?\s*$", entry_lines[0]) is not None
        if entry_lines[-1] == "..." and key != keys[-1]:
            entry_lines.pop()  # PyYAML ends a `|+` document so; only the last key may keep it
        spans[key] = (len(lines), len(lines) + len(entry_lines))
        lines += entry_lines
        data[key] = value
    close = len(lines)
    lines.append("---")
    lines += draw(st.lists(BODY_LINE, max_size=8))
    text = nl.join(lines) + (nl if draw(st.booleans()) else "")
    bom = draw(st.booleans())
    if bom:
        text = BOM + text
    assert canon(load_fm(text)) == canon(data), text  # the generator makes what it means
    return {"text": text, "spans": spans, "close": close, "data": data, "nl": nl}


PROPERTY = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@PROPERTY
@given(note=notes(), data=st.data())
def test_set_key_changes_only_that_key(note: dict[str, Any], data: st.DataObject) -> None:
    text: str = note["text"]
    existing = sorted(note["spans"])
    if existing and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(existing))
    else:
        key = data.draw(KEYS.filter(lambda k: k not in note["spans"]))
    value = data.draw(VALUES)

    new = set_key(text, key, value)

    # (a) the front matter reads back as before with only that key changed
    assert canon(load_fm(new)) == canon({**note["data"], key: value})
    old_lines, new_lines = lines_of(text), lines_of(new)
    assert new.startswith(BOM) == text.startswith(BOM)
    if key in note["spans"]:
        start, end = note["spans"][key]
        tail = len(old_lines) - end
        # (b)+(c) everything outside the key's lines is byte-identical
        assert new_lines[:start] == old_lines[:start]
        assert new_lines[len(new_lines) - tail :] == old_lines[end:]
        assert len(new_lines) - tail >= start + (0 if new == text else 1)
        diff = hunk(text, new, note["nl"])
        assert new == text or (start <= diff.old_start and diff.old_end <= end), diff
    else:
        close = note["close"]
        if old_lines[close - 1].rstrip("\r\n") == "...":
            close -= 1  # a new key goes before an explicit document end
        added = new_lines[close]
        assert new_lines == [*old_lines[:close], added, *old_lines[close:]]
        assert added.endswith(note["nl"]) and "\n" not in added[:-1]
        diff = hunk(text, new, note["nl"])
        assert diff.ops == ["insert"] and diff.new_lines == [added], diff


@PROPERTY
@given(
    note=notes(),
    heading=st.sampled_from(["## Log", "## log", "Log", "## Notes", "### Sub", "## Missing"]),
    line=st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"),
        min_size=1,
        max_size=30,
    ),
)
def test_append_adds_exactly_one_line(note: dict[str, Any], heading: str, line: str) -> None:
    text: str = note["text"]
    new = append_under_heading(text, heading, line)
    nl = note["nl"]
    assert load_fm(new) == load_fm(text)
    diff = hunk(text, new, nl)
    assert diff.ops == ["insert"], diff  # nothing removed or rewritten
    title = heading.lstrip("#").strip().casefold()
    has_heading = any(heading_title(raw) == title for raw in lines_of(split_front_matter(text)[1]))
    if has_heading:
        assert diff.new_lines == [line + nl]
        before = lines_of(new)[diff.old_start - 1]
        assert before.strip(" \t\r\n"), "appended after the last non-blank line of the section"
    else:
        level = heading[: heading.index(" ")] if heading.startswith("#") else "##"
        heading_line = f"{level} {heading.lstrip('#').strip()}{nl}"
        assert diff.new_lines in ([heading_line, line + nl], [nl, heading_line, line + nl])
    # the file's final-newline state is kept
    assert new.endswith("\n") == text.endswith("\n")


YAMLISH = st.lists(
    st.sampled_from(
        [
            "---",
            "\n",
            "\r\n",
            "\r",
            " ",
            "- ",
            "a",
            "b",
            ":",
            ": ",
            "# c",
            "[",
            "]",
            "{",
            "}",
            ",",
            "'",
            '"',
            "|",
            "|+",
            ">",
            "&x",
            "*x",
            "!!str",
            "? ",
            "...",
            "\t",
            BOM,
            "## Log",
            "```",
            "1",
            "yes",
            "~",
            "<<: *x",
            "\x85",
            "\u2028",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=YAMLISH, key=st.sampled_from(["a", "b", "tie"]), value=VALUES)
def test_hostile_text_is_edited_correctly_or_refused(text: str, key: str, value: Any) -> None:
    """Whatever the text, an edit either reads back exactly or is refused; it never crashes."""
    try:
        new = set_key(text, key, value)
    except EditRefused:
        pass
    else:
        old = edit.front_matter(text)
        assert canon(edit.front_matter(new)) == canon({**old, key: value})
    try:
        appended = append_under_heading(text, "## Log", "- x")
    except EditRefused:
        pass
    else:
        assert appended.count("- x") == text.count("- x") + 1


def test_the_lock_keeps_machine_state_out_of_git(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "vault"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    with vault_lock(root):
        (root / ".netvault" / "outbox").mkdir()
        (root / ".netvault" / "outbox" / "draft.eml").write_text("x")
    (root / ".netvault" / "report-state.json").write_text("{}")
    status = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=all"],
        check=True, capture_output=True, text=True,
    ).stdout.splitlines()
    assert sorted(status) == ["?? .netvault/.gitignore", "?? .netvault/report-state.json"]
    (root / ".netvault" / ".gitignore").write_text("mine\n")
    with vault_lock(root):
        pass
    assert (root / ".netvault" / ".gitignore").read_text() == "mine\n"
