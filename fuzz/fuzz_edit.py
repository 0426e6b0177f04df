"""Coverage-guided fuzzing of the safe editor's pure functions with atheris.

    .venv/bin/python fuzz/fuzz_edit.py -runs=200000       (or: make fuzz)

An input is one byte choosing the operation and the value's type, one byte giving the
length of the parameters, the parameters (UTF-8; key and value, or heading and line,
separated by a newline), then the note. Invariants:
- `set_key` and `append_under_heading` raise nothing but EditRefused or ValueError;
- the result reparses: the editor reads the new value back, and the netvault parser reads
  the same value when it reads the front-matter at all;
- untouched lines stay identical: `set_key` changes one run of lines inside the front-matter
  (the body is byte for byte the same), `append_under_heading` only inserts lines.
A failing input is written to tests/adversarial/crashes/ and replayed by
tests/adversarial/test_fuzz_crashes.py.
"""

from __future__ import annotations

import datetime as dt
import difflib
import sys
from pathlib import Path

FUZZ_DIR = Path(__file__).resolve().parent
ROOT = FUZZ_DIR.parent
CRASHES = ROOT / "tests" / "adversarial" / "crashes"
SEED_FOLDERS = (
    ROOT / "sample-vault",
    ROOT / "tests" / "fixtures",
    ROOT / "tests" / "adversarial" / "corpus",
)
SET_KEY, APPEND = 0, 1

SEED_PARAMETERS = (
    (SET_KEY, 1, "tie\n4"),
    (SET_KEY, 0, "last_met\n2026-11-20"),
    (SET_KEY, 2, "met_in_person\n"),
    (SET_KEY, 3, "first_met\n\x07\xe2"),
    (SET_KEY, 4, "tags\nfriend,climbing,ex-colleague"),
    (SET_KEY, 0, "company\nAcme: \"Robotics\" # not a comment"),
    (SET_KEY, 0, "new key\n[[Ada Okafor]]"),
    (APPEND, 0, "## Log\n- 2026-11-20 (call) talked about [[Dana Lee]] #gave"),
    (APPEND, 0, "### Notes\n- [ ] send the deck 📅 2026-12-01"),
    (APPEND, 0, "Log\nplain line"),
)


def decode(data: bytes) -> tuple[int, int, str, str, str]:
    """(operation, value type, first parameter, second parameter, note text)."""
    if len(data) < 2:
        return SET_KEY, 0, "k", "", data.decode("utf-8", "replace")
    selector, size = data[0], data[1]
    parameters = data[2 : 2 + size].decode("utf-8", "replace")
    text = data[2 + size :].decode("utf-8", "replace")
    first, _, second = parameters.partition("\n")
    return selector & 1, (selector >> 1) % 6, first, second, text


def value_of(kind: int, raw: str) -> object:
    """A front-matter value of one of the types netvault writes."""
    if kind == 0:
        return raw
    if kind == 1:
        digits = "".join(ch for ch in raw if ch.isdigit())[:18]
        return int(digits) if digits else len(raw)
    if kind == 2:
        return len(raw) % 2 == 0
    if kind == 3:
        code = sum(raw.encode("utf-8"))
        return dt.date(1990, 1, 1) + dt.timedelta(days=code % 20000)
    if kind == 4:
        return [item for item in raw.split(",")]
    return None


def same(a: object, b: object) -> bool:
    """Equal and of the same types all the way down (1 is not True, a date is not a str)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _body_after_front_matter(text: str) -> str | None:
    from netvault.relink import front_matter_end

    end = front_matter_end(text)
    return text[end:] if end else None


def check(data: bytes) -> None:
    from netvault.edit import EditRefused, append_under_heading, front_matter, set_key

    operation, kind, first, second, text = decode(data)
    try:
        if operation == SET_KEY:
            value = value_of(kind, second)
            result = set_key(text, first, value)
        else:
            result = append_under_heading(text, first, second)
    except (EditRefused, ValueError):
        return
    if operation == SET_KEY:
        _check_set_key(text, result, first, value, front_matter)
    else:
        _check_append(text, result, second, front_matter, EditRefused)


def _check_set_key(text: str, result: str, key: str, value: object, front_matter: object) -> None:
    from netvault.parse import parse_note

    assert callable(front_matter)
    assert same(front_matter(result)[key], value), (key, value, result)
    if result == text:
        return
    body = _body_after_front_matter(text)
    if body is not None:
        assert _body_after_front_matter(result) == body, "the body changed"
        old, new = text.split("\n"), result.split("\n")
        hunks = [op for op in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
                 if op[0] != "equal"]
        assert len(hunks) == 1, hunks
    else:
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        assert result.startswith(bom + "---") and result.endswith(text[len(bom):]), result
    parsed = parse_note("people/Fuzz.md", result.encode("utf-8"))
    front_errors = [p for p in parsed.problems if p.code.startswith(("yaml", "front-matter"))]
    if not front_errors and key in parsed.note.meta:
        read = parsed.note.meta[key]
        if isinstance(read, dt.datetime):
            read = read.date()
        assert same(read, value), ("the parser reads", read, "not", value)


def _check_append(
    text: str, result: str, line: str, front_matter: object, refused: type[Exception]
) -> None:
    assert callable(front_matter)
    # Lines end at LF (not at U+2028 & co.); the CRs before it belong to the line ending. A
    # last line ending in a lone CR gets the note's CRLF after it: still the same line.
    old = [row.rstrip("\r") for row in text.split("\n")]
    new = [row.rstrip("\r") for row in result.split("\n")]
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, *_ in matcher.get_opcodes():
        assert tag in ("equal", "insert"), ("append changed or removed a line", tag)
    assert line in new, "the line is not there"
    try:
        before = front_matter(text)
    except refused:
        return
    assert same_mapping(front_matter(result), before), "append changed the front matter"


def same_mapping(a: dict[object, object], b: dict[object, object]) -> bool:
    return a.keys() == b.keys() and all(repr(a[k]) == repr(b[k]) for k in a)


def seeds() -> list[bytes]:
    notes = []
    for folder in SEED_FOLDERS:
        for path in sorted(folder.rglob("*.md")):
            if path.is_file() and path.stat().st_size <= 20_000:
                notes.append(path.read_bytes())
    found = []
    for number, note in enumerate(notes):
        operation, kind, parameters = SEED_PARAMETERS[number % len(SEED_PARAMETERS)]
        encoded = parameters.encode("utf-8")
        found.append(bytes([operation | kind << 1, len(encoded)]) + encoded + note)
    return found


def main() -> None:
    import atheris

    with atheris.instrument_imports(include=["netvault"]):
        from netvault import edit, parse  # noqa: F401

    sys.path.insert(0, str(FUZZ_DIR))
    from fuzz_parse import corpus_folder

    CRASHES.mkdir(parents=True, exist_ok=True)
    corpus = corpus_folder("edit", seeds())
    args = [sys.argv[0], f"-artifact_prefix={CRASHES}/edit-", "-timeout=10", "-rss_limit_mb=2048",
            *sys.argv[1:], str(corpus)]
    atheris.Setup(args, check)
    atheris.Fuzz()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
