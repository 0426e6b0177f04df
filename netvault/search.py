"""Ranked fuzzy search over contacts (names, aliases, companies, roles, tags, note text).

The index narrows the candidates (a trigram search for the text, the close spellings of
every value and word for typos); each candidate is then scored exactly as it always was.
"""

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


def _close_spellings(index: Index, needle: str) -> set[str]:
    """Contacts with a value or a word spelt close enough to `needle` to count as a typo."""
    from rapidfuzz import fuzz, process

    # A ratio of 80 or more needs the lengths within a factor of 1.5 of each other.
    shortest, longest = (2 * len(needle)) // 3 - 1, (3 * len(needle)) // 2 + 1
    close = [
        found
        for kind, scorer in ((0, fuzz.token_sort_ratio), (1, fuzz.ratio))
        for found, _score, _ in process.extract(
            needle, index.terms(kind, shortest, longest), scorer=scorer,
            score_cutoff=_TYPO_SIMILARITY, limit=None,
        )
    ]
    return index.holders(close) if close else set()


Match = tuple[float, str, str]  # score, field, what matched


def _best(
    needle: str,
    name: str,
    aliases: tuple[str, ...],
    company: str | None,
    role: str | None,
    tags: tuple[str, ...],
    body: str | None,
) -> Match | None:
    from rapidfuzz import fuzz

    fields: list[tuple[str, str]] = [("name", name)]
    fields += [("alias", a) for a in aliases]
    fields += [("company", company or ""), ("role", role or "")]
    fields += [("tag", t) for t in tags]
    best: Match | None = None
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
        if best is None or score > best[0]:
            best = (score, field, value)
    if body is not None and needle in body:
        start = body.index(needle)
        snippet = body[max(0, start - 30) : start + len(needle) + 30].replace("\n", " ")
        score = 100 * _WEIGHTS["note"]
        if best is None or score > best[0]:
            best = (score, "note", snippet.strip())
    return best


def search(index: Index, query: str, limit: int = 20, cutoff: float = 60.0) -> list[Hit]:
    needle = fold(query)
    if not needle:
        return []
    texts = index.texts_containing(needle)
    candidates = set(texts) | _close_spellings(index, needle)
    found: list[tuple[float, str, str, str, str]] = []  # score, folded name, path, field, text
    for path, name, aliases, company, role, tags in index.searchable(candidates):
        best = _best(needle, name, aliases, company, role, tags, texts.get(path))
        if best is not None and best[0] >= cutoff:
            found.append((best[0], fold(name), path, best[1], best[2]))
    # Sorted by score, then name: the candidates came in contacts' order, which breaks ties.
    found.sort(key=lambda f: (-f[0], f[1]))
    top = found[:limit]
    contacts = {c.path: c for c in index.contacts_among(path for _, _, path, _, _ in top)}
    return [Hit(contacts[path], score, field, text) for score, _, path, field, text in top]
