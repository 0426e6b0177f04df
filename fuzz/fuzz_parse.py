"""Coverage-guided fuzzing of `netvault.parse.parse_note` with atheris.

    .venv/bin/python fuzz/fuzz_parse.py -runs=200000      (or: make fuzz)

Invariants, for any bytes: parse_note returns (never raises), every problem has a line
inside the file, a known severity and a message, and a note's title and path are the
ones given. Seeds: the notes of sample-vault/, tests/fixtures/ and the hostile corpus in
tests/adversarial/corpus/. A failing input is written to tests/adversarial/crashes/, where
tests/adversarial/test_fuzz_crashes.py replays it on every `make test`.
"""

from __future__ import annotations

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
RELPATH = "people/Fuzz Person.md"


def check(data: bytes) -> None:
    """Raise AssertionError (or whatever parse_note raised) when an invariant breaks."""
    from netvault.parse import parse_note

    parsed = parse_note(RELPATH, data)
    lines = data.count(b"\n") + 1
    assert parsed.note.path == RELPATH
    assert parsed.note.title == "Fuzz Person"
    for problem in parsed.problems:
        assert problem.path == RELPATH, problem
        assert 1 <= problem.line <= lines, (problem, lines)
        assert problem.severity in ("error", "warning"), problem
        assert problem.code and problem.message, problem
    if parsed.note.contact is not None:
        assert parsed.note.contact.path == RELPATH


def seeds() -> list[bytes]:
    found = []
    for folder in SEED_FOLDERS:
        for path in sorted(folder.rglob("*.md")):
            if path.is_file() and path.stat().st_size <= 300_000:
                found.append(path.read_bytes())
    return found


def corpus_folder(name: str, examples: list[bytes]) -> Path:
    """A working corpus under build/ (not committed), refilled with the seeds each run."""
    folder = ROOT / "build" / "fuzz-corpus" / name
    folder.mkdir(parents=True, exist_ok=True)
    for number, data in enumerate(examples):
        (folder / f"seed-{number:04d}").write_bytes(data)
    return folder


def main() -> None:
    import atheris

    with atheris.instrument_imports(include=["netvault"]):
        from netvault import parse  # noqa: F401

    CRASHES.mkdir(parents=True, exist_ok=True)
    corpus = corpus_folder("parse", seeds())
    args = [sys.argv[0], f"-artifact_prefix={CRASHES}/parse-", "-timeout=10", "-rss_limit_mb=2048",
            *sys.argv[1:], str(corpus)]
    atheris.Setup(args, check)
    atheris.Fuzz()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
