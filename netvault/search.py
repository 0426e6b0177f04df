"""Ranked fuzzy search over contacts: names, aliases, company, role, location, offers, needs,
interests, tags (store.SEARCHED_FIELDS) and note text.

The index narrows the candidates (a trigram search for the text, the close spellings of
every value and word for typos); each candidate is then scored. Matching is case- and
accent-free; what a hit shows is the value or an excerpt of the note as written, with the
contact details of anyone whose consent does not allow sharing them hidden (`privacy`).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .index import Index
from .model import Contact
from .text import fold, fold_with_origins

if TYPE_CHECKING:
    from .privacy import Masker

# Where a match counts most: who someone is beats what their note happens to say.
_TYPO_SIMILARITY = 80.0
_WEIGHTS = {
    "name": 1.0, "aliases": 0.95, "company": 0.9, "role": 0.85, "location": 0.85,
    "offers": 0.85, "needs": 0.8, "interests": 0.8, "tags": 0.85, "note": 0.7,
}
# Characters of the note shown on each side of a match, at most (whole words only).
_CONTEXT = 40
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


@dataclass(frozen=True, slots=True)
class Hit:
    contact: Contact
    score: float
    field: str  # the front-matter key that matched (store.SEARCHED_FIELDS), or "note"
    matched: str  # that value, or an excerpt of the note around the match, as written


@dataclass(frozen=True, slots=True)
class _Close:
    """The folded values (kind 0) and words (kind 1) of every contact spelt close enough to
    the needle to count as a typo, with their similarity."""

    values: dict[str, float]
    words: dict[str, float]
    # Values repeat (tags, interests, companies): each is looked at once.
    seen: dict[str, float] = dataclasses.field(default_factory=dict)

    def similarity(self, folded: str) -> float:
        """How close a folded value, or the closest of its words, is to the needle (0 when
        not close enough)."""
        found = self.seen.get(folded)
        if found is None:
            found = self.values.get(folded, 0.0)
            if self.words:
                found = max(found, max((self.words.get(w, 0.0) for w in folded.split()),
                                       default=0.0))
            self.seen[folded] = found
        return found


def _close_spellings(index: Index, needle: str) -> _Close:
    from rapidfuzz import fuzz, process

    # A ratio of 80 or more needs the lengths within a factor of 1.5 of each other.
    shortest, longest = (2 * len(needle)) // 3 - 1, (3 * len(needle)) // 2 + 1
    values, words = (
        {found: score for found, score, _ in process.extract(
            needle, index.terms(kind, shortest, longest), scorer=scorer,
            score_cutoff=_TYPO_SIMILARITY, limit=None)}
        # Only close spellings count: loose fuzzy scores match unrelated names. Whole
        # value or one of its words, never a partial overlap ("em" in "adeyemi").
        for kind, scorer in ((0, fuzz.token_sort_ratio), (1, fuzz.ratio))
    )
    return _Close(values, words)


Match = tuple[float, str, str]  # score, field, value as written ("" for the note)


def _best(needle: str, fields: list[tuple[str, str]], body: str | None, close: _Close | None
          ) -> Match | None:
    """The best match among a contact's values and note text; `close`: the close spellings,
    if the contact has any."""
    best: Match | None = None
    for field, value in fields:
        folded = fold(value)
        if needle in folded:
            similarity = 100.0
        elif close is not None:
            similarity = close.similarity(folded)
        else:
            continue
        if similarity < _TYPO_SIMILARITY:
            continue
        score = similarity * _WEIGHTS[field]
        if best is None or score > best[0]:
            best = (score, field, value)
    if body is not None and needle in body:
        score = 100 * _WEIGHTS["note"]
        if best is None or score > best[0]:
            best = (score, "note", "")
    return best


def search(index: Index, query: str, limit: int = 20, cutoff: float = 60.0) -> list[Hit]:
    needle = fold(query)
    if not needle:
        return []
    texts = index.texts_containing(needle)
    close = _close_spellings(index, needle)
    holders = index.holders([*close.values, *close.words]) if close.values or close.words else set()
    found: list[tuple[float, str, str, str, str]] = []  # score, folded name, path, field, text
    for path, name, fields in index.searchable(set(texts) | holders):
        best = _best(needle, fields, texts.get(path), close if path in holders else None)
        if best is not None and best[0] >= cutoff:
            found.append((best[0], fold(name), path, best[1], best[2]))
    # Sorted by score, then name: the candidates came in contacts' order, which breaks ties.
    found.sort(key=lambda f: (-f[0], f[1]))
    top = found[:limit]
    if not top:
        return []
    shown = _Shown(index)
    contacts = {c.path: c for c in index.contacts_among(path for _, _, path, _, _ in top)}
    return [
        Hit(contacts[path], score, field,
            _excerpt(index, path, needle, texts[path], shown) if field == "note"
            else shown.mask(text))
        for score, _, path, field, text in top
    ]


class _Shown:
    """Text as a hit shows it: the contact details of everyone whose consent does not allow
    sharing them hidden; the masker is made only for text that may hold one."""

    def __init__(self, index: Index) -> None:
        self._index = index
        self._masker: Masker | None = None

    def masker(self) -> Masker:
        if self._masker is None:
            from .privacy import Details, Masker

            people = [Details(name, path, emails, phones, links, consent)
                      for path, name, emails, phones, links, consent in self._index.details()]
            self._masker = Masker.for_contacts(people, spare_shared=True)
        return self._masker

    def mask(self, text: str) -> str:
        from .privacy import may_hold_details

        return self.masker().mask(text) if may_hold_details(text) else text

    def excerpt(self, text: str, start: int, end: int, within: tuple[int, int]
                ) -> tuple[str, int, int]:
        """`text[start:end]` masked (see Masker.mask_excerpt); `within`: the bounds, in
        `text`, of a stretch holding it that no detail crosses (a paragraph)."""
        from .privacy import may_hold_details

        if may_hold_details(text[within[0] : within[1]]):
            return self.masker().mask_excerpt(text, start, end)
        return text[start:end], start, end


def _excerpt(index: Index, path: str, needle: str, indexed: str, shown: _Shown) -> str:
    """The note's text around the first match of `needle`, as written, on one line."""
    try:
        body = index.notes[path].body
    except KeyError:  # gone since the index was read: show the text the index holds
        body = indexed
    folded, origins = fold_with_origins(body)
    at = folded.find(needle)
    if at < 0:  # changed since the index was read
        body = indexed
        folded, origins = indexed, list(range(len(indexed)))
        at = folded.find(needle)
    start, end = origins[at], origins[at + len(needle) - 1] + 1
    # Within the paragraph of the match: blank lines end what the excerpt shows.
    first = max((m.end() for m in _BLANK_LINE.finditer(body, 0, start)), default=0)
    last = next((m.start() for m in _BLANK_LINE.finditer(body, end)), len(body))
    left, right = max(first, start - _CONTEXT), min(last, end + _CONTEXT)
    if left > first:  # begin at a whole word, if there is one
        gap = next((i for i in range(left, start) if body[i].isspace()), None)
        left = left if gap is None else gap
    if right < last:
        gap = next((i for i in range(right - 1, end - 1, -1) if body[i].isspace()), None)
        right = right if gap is None else gap
    excerpt, left, right = shown.excerpt(body, left, right, (first, last))
    before = "… " if body[first:left].strip() else ""
    after = " …" if body[right:last].strip() else ""
    return before + " ".join(excerpt.split()) + after
