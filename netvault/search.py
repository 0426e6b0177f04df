"""Ranked fuzzy search over contacts (names, aliases, companies, roles, tags, note text)."""

from __future__ import annotations

from dataclasses import dataclass

from .index import Index
from .model import Contact
from .text import fold

# Where a match counts most: who someone is beats what their note happens to say.
_TYPO_SIMILARITY = 80.0
_WEIGHTS = {"name": 1.0, "alias": 0.95, "company": 0.9, "role": 0.85, "tag": 0.85, "note": 0.7}


@dataclass(frozen=True, slots=True)
class Hit:
    contact: Contact
    score: float
    field: str
    matched: str


def search(index: Index, query: str, limit: int = 20, cutoff: float = 60.0) -> list[Hit]:
    from rapidfuzz import fuzz

    needle = fold(query)
    if not needle:
        return []
    hits: list[Hit] = []
    for contact in index.contacts:
        fields: list[tuple[str, str]] = [("name", contact.name)]
        fields += [("alias", a) for a in contact.aliases]
        fields += [("company", contact.company or ""), ("role", contact.role or "")]
        fields += [("tag", t) for t in contact.tags]
        best: Hit | None = None
        for field, value in fields:
            if not value:
                continue
            folded = fold(value)
            if needle in folded:
                similarity = 100.0
            else:
                # Only close spellings count: loose fuzzy scores match unrelated names.
                # Whole value or one of its words, never a partial overlap ("em" in "adeyemi").
                similarity = max(
                    fuzz.token_sort_ratio(needle, folded),
                    max(fuzz.ratio(needle, word) for word in folded.split()),
                )
                if similarity < _TYPO_SIMILARITY:
                    continue
            score = similarity * _WEIGHTS[field]
            if best is None or score > best.score:
                best = Hit(contact, score, field, value)
        body = fold(index.notes[contact.path].body)
        if needle in body:
            start = body.index(needle)
            snippet = body[max(0, start - 30) : start + len(needle) + 30].replace("\n", " ")
            score = 100 * _WEIGHTS["note"]
            if best is None or score > best.score:
                best = Hit(contact, score, "note", snippet.strip())
        if best is not None and best.score >= cutoff:
            hits.append(best)
    hits.sort(key=lambda h: (-h.score, fold(h.contact.name)))
    return hits[:limit]
