"""Facts the index keeps of a note: the quick test that skips the past-employer regex never
skips a note the regex would find an employer in."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from netvault import facts
from netvault.text import fold, fold_text

# Pieces of the phrases "formerly at Acme", "ex-Acme" ... with the characters that match an
# ASCII letter case-insensitively without being one (Kelvin sign, long s, dotted and dotless
# I), odd white space, accents and wikilink brackets between them.
_LEADS = ["formerly", "FORMERLY", "previously", "PREV\u0130OUSLY", "prev\u0131ously", "worked",
          "WORKED", "wor\u212aed", "used to", "u\u017fed\u2028to", "work", "ex-", "EX-", "alumni",
          "alumnus", "alumna", "[[formerly]]", "ex[[-]]"]
_JOINS = ["of", "at", "for", "with", "[[at]]", "", "x"]
_GAPS = [" ", "  ", "\n", "\t", "\u00a0", "\u2028", "", "[[", "]]", "|", "\u0301"]
_NAMES = ["Acme", "Big Co", "acme", "Ébé", ""]
_PHRASES = st.tuples(
    st.sampled_from(_LEADS), st.sampled_from(_GAPS), st.sampled_from(_JOINS),
    st.sampled_from(_GAPS), st.sampled_from(_NAMES),
).map("".join)
_TEXTS = st.lists(st.one_of(_PHRASES, st.sampled_from(_GAPS + _NAMES)), max_size=6).map("".join)
_REGEX = re.compile(facts._PAST_EMPLOYER.pattern)


@settings(max_examples=400)
@given(_TEXTS)
def test_past_employers_finds_what_the_regex_finds(text: str) -> None:
    shown = facts.shown_text(text)
    expected: dict[str, str] = {}
    for match in _REGEX.finditer(shown):
        expected.setdefault(fold(match.group(1)), match.group(1))
    assert facts.past_employers({}, shown, fold_text(shown)) == list(expected.items())


def test_past_employers_examples() -> None:
    shown = "She was formerly at Acme Corp, then worked\n for Big Co; ex-Initech."
    assert facts.past_employers({"companies": ["Globex"]}, shown, fold_text(shown)) == [
        ("globex", "Globex"), ("acme corp", "Acme Corp"), ("big co", "Big Co"),
        ("initech", "Initech")]
    shown = "Worked on networks; used to play chess."
    assert facts.past_employers({}, shown, fold_text(shown)) == []
