"""Suggestions scored all at once (bit-sliced, netvault.intros._Board) rank and count exactly
as scoring every pair one by one does, whatever the vault and the limit."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netvault.config import Config
from netvault.index import Index, build_index
from netvault.intros import (
    Suggestion,
    _pair_reasons,
    _profiles,
    pair_failures,
    person_failures,
    read_intros,
    suggestions,
)
from netvault.parse import parse_note
from netvault.text import fold

TODAY = date(2026, 11, 25)
PHRASES = ["data engineering", "Data Engineering", "hiring", "hiring data engineers",
           "running", "running coach", "climbing", "engineering management", "design"]
TAGS = ["python", "Python", "berlin", "oss", "oak"]
PLACES = ["Berlin", "berlin", "Paris", ""]


def every_pair(index: Index) -> list[Suggestion]:
    """The definition: every eligible pair scored on its own."""
    known = read_intros(index)[0]
    eligible = [c for c in index.contacts if not person_failures(index, c, TODAY, known)]
    profiles = _profiles(eligible)
    found = []
    for i, a in enumerate(profiles):
        for b in profiles[i + 1 :]:
            score, reasons = _pair_reasons(a, b)
            if score >= 2 and not pair_failures(index, a.contact, b.contact, known):
                found.append(Suggestion(a.contact, b.contact, score, tuple(reasons)))
    found.sort(key=lambda s: (-s.score, -min(s.a.tie or 0, s.b.tie or 0), fold(s.a.name),
                              fold(s.b.name)))
    return found


@st.composite
def vaults(draw: Any) -> dict[str, str]:
    notes: dict[str, str] = {}
    people = draw(st.integers(2, 12))
    for number in range(people):
        lines = ["---", f"tie: {draw(st.integers(2, 5))}", "met_in_person: true"]
        for key in ("needs", "offers", "interests"):
            lines.append(f"{key}: {draw(st.lists(st.sampled_from(PHRASES), max_size=3))}")
        lines.append(f"tags: {draw(st.lists(st.sampled_from(TAGS), max_size=3))}")
        lines.append(f"location: '{draw(st.sampled_from(PLACES))}'")
        body = ""
        if draw(st.booleans()):
            body = f"knows [[Person {draw(st.integers(0, people - 1))}]]\n"
        notes[f"people/Person {number}.md"] = "\n".join([*lines, "---", body])
    if draw(st.booleans()):
        a, b = draw(st.integers(0, people - 1)), draw(st.integers(0, people - 1))
        notes["intros/2026-11-01 x.md"] = (
            f"---\ntype: intro\na: '[[Person {a}]]'\nb: '[[Person {b}]]'\nstatus: made\n"
            "a_said: yes\nb_said: yes\ncreated: 2026-10-01\n---\n")
    return notes


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vaults(), st.sampled_from([None, 1, 2, 3, 7]))
def test_the_board_ranks_and_counts_as_every_pair_does(
    notes: dict[str, str], limit: int | None
) -> None:
    parsed = [parse_note(path, text.encode(), "people") for path, text in notes.items()]
    index = build_index(Path("/nonexistent"), Config(), parsed)
    expected = every_pair(index)
    top, total = suggestions(index, TODAY, limit=limit)
    assert total == len(expected)
    assert top == expected[:limit]
