"""Saving many edited notes together (`save_notes`, `write_edits`): one file-system sync
for all, yet each note as its own `save` would write it, and each refusal its own; and the
editor's shortcuts (a front matter read once) refuse and return what a fresh read would."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netvault.edit import EditRefused, NoteEditor, front_matter, save_notes, set_key
from netvault.write import Target, WriteRefused, write_edits


def _notes(root: Path, count: int) -> list[str]:
    (root / "people").mkdir(parents=True)
    paths = []
    for number in range(count):
        path = f"people/P{number}.md"
        (root / path).write_bytes(f"---\nname: P{number}  # kept\n---\nbody\r\n".encode())
        paths.append(path)
    return paths


def test_saved_together_each_as_its_own_save(tmp_path: Path) -> None:
    paths = _notes(tmp_path, 4)
    editors = [NoteEditor.open(tmp_path, path) for path in paths]
    for editor in editors[:3]:
        editor.set_key("tie", 3)
    assert save_notes(editors) == [None, None, None, None]
    for number, path in enumerate(paths[:3]):
        assert (tmp_path / path).read_bytes() == (
            f"---\nname: P{number}  # kept\ntie: 3\n---\nbody\r\n".encode()
        )
    assert (tmp_path / paths[3]).read_bytes() == b"---\nname: P3  # kept\n---\nbody\r\n"
    assert sorted(p.name for p in (tmp_path / "people").iterdir()) == [
        "P0.md", "P1.md", "P2.md", "P3.md"]  # no temp file left behind
    # Each editor knows what it wrote: a second edit saves on top of the first.
    editors[0].set_key("tie", 4)
    assert editors[0].save()
    assert b"tie: 4\n" in (tmp_path / paths[0]).read_bytes()


def test_a_note_changed_or_deleted_meanwhile_is_refused_and_the_others_saved(
    tmp_path: Path,
) -> None:
    paths = _notes(tmp_path, 3)
    editors = [NoteEditor.open(tmp_path, path) for path in paths]
    for editor in editors:
        editor.set_key("tie", 2)
    (tmp_path / paths[0]).write_text("---\nname: someone else's words\n---\n", encoding="utf-8")
    (tmp_path / paths[2]).unlink()
    results = save_notes(editors)
    assert isinstance(results[0], EditRefused)
    assert results[0].path == tmp_path / paths[0]
    assert "changed on disk since netvault read it; nothing written" in results[0].message
    assert (tmp_path / paths[0]).read_text(encoding="utf-8") == (
        "---\nname: someone else's words\n---\n"
    )
    assert results[1] is None
    assert b"tie: 2\n" in (tmp_path / paths[1]).read_bytes()
    assert isinstance(results[2], EditRefused)
    assert "was deleted since netvault read it" in results[2].message
    assert not (tmp_path / paths[2]).exists()
    assert sorted(p.name for p in (tmp_path / "people").iterdir()) == ["P0.md", "P1.md"]


def test_a_check_that_fails_just_before_the_rename_leaves_that_file_alone(
    tmp_path: Path,
) -> None:
    paths = _notes(tmp_path, 3)

    def unchanged() -> None:
        return None

    def changed() -> None:
        raise WriteRefused(tmp_path / paths[1], "changed meanwhile")

    results = write_edits([
        (Target.inside(tmp_path, paths[0]), b"new 0\n", unchanged),
        (Target.inside(tmp_path, paths[1]), b"new 1\n", changed),
        (Target.inside(tmp_path, "people/missing.md"), b"new\n", unchanged),
    ])
    assert not isinstance(results[0], WriteRefused)
    assert results[0].st_size == 6
    assert (tmp_path / paths[0]).read_bytes() == b"new 0\n"
    assert isinstance(results[1], WriteRefused)
    assert results[1].message == "changed meanwhile"
    assert (tmp_path / paths[1]).read_bytes() == b"---\nname: P1  # kept\n---\nbody\r\n"
    assert isinstance(results[2], WriteRefused)
    assert "was deleted since netvault read it" in results[2].message
    assert sorted(p.name for p in (tmp_path / "people").iterdir()) == [
        "P0.md", "P1.md", "P2.md"]


_LINES = st.lists(
    st.sampled_from(["---\n", "---", "---\r\n", "a: 1\n", "a: [\n", "b: 2", "\n", "x\n",
                     "- 2026-01-01 (call) hi\n", "...\n", "---\r", "c: {\n"]),
    max_size=5,
).map("".join)
# Mostly notes with a front-matter block, some without, some broken.
_NOTES = st.tuples(st.sampled_from(["---\n", "", "---\r\n"]), _LINES,
                   st.sampled_from(["---\n", "---", ""]), _LINES).map("".join)


@settings(max_examples=150, deadline=None)
@given(old=_NOTES, tail=_LINES, other=_NOTES)
def test_replace_text_refuses_exactly_what_the_front_matter_check_refuses(
    tmp_path_factory: pytest.TempPathFactory, old: str, tail: str, other: str
) -> None:
    root = tmp_path_factory.mktemp("v")
    (root / "n.md").write_text(old, encoding="utf-8", newline="")
    try:
        editor = NoteEditor.open(root, "n.md")
    except EditRefused:
        return
    for new in (old + tail, other, old[: len(old) // 2] + tail):
        try:
            front_matter(new)
        except EditRefused:
            with pytest.raises(EditRefused):
                editor.replace_text(new)
            continue
        editor.replace_text(new)
        assert editor.text == new


def test_a_front_matter_read_twice_is_a_fresh_copy_each_time() -> None:
    text = "---\nname: Ada\ntags: [a, b]\nmet: {city: Lyon}\n---\nbody\n"
    first = front_matter(text)
    first["name"] = "changed"
    first["tags"].append("c")  # type: ignore[attr-defined]
    first["met"]["city"] = "Paris"  # type: ignore[index]
    assert front_matter(text) == {"name": "Ada", "tags": ["a", "b"], "met": {"city": "Lyon"}}
    assert set_key(text, "tie", 3) == (
        "---\nname: Ada\ntags: [a, b]\nmet: {city: Lyon}\ntie: 3\n---\nbody\n"
    )
