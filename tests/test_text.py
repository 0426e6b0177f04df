"""Folding text: the fast way (only non-ASCII characters looked at) is the definition."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from netvault.text import fold, fold_text, fold_with_origins


def by_definition(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(kept.split())


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_folding_drops_exactly_the_combining_marks(text: str) -> None:
    assert fold_text(text) == by_definition(text) == fold(text)


def test_folding_examples() -> None:
    assert fold("Zoë  Ñúñez") == fold("zoe nunez") == "zoe nunez"
    assert fold_text("Ｆｕｌｌ\u00a0ｗｉｄｔｈ") == "full width"


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_folding_with_origins_folds_alike_and_points_back_in_order(text: str) -> None:
    folded, origins = fold_with_origins(text)
    assert folded == fold_text(text)
    assert len(origins) == len(folded)
    assert origins == sorted(origins)
    for char, origin in zip(folded, origins, strict=True):
        # Each character comes from the one it points at (a space: from white space, or
        # from a character that decomposes into some, such as "¨").
        piece = "".join(c for c in unicodedata.normalize("NFKD", text[origin].casefold())
                        if not unicodedata.combining(c))
        assert any(c.isspace() for c in piece) if char == " " else char in piece


def test_folding_with_origins_finds_a_match_as_written() -> None:
    text = "  Send\tChloé the\n list, Straße"
    folded, origins = fold_with_origins(text)
    at = folded.index("chloe the list")
    assert text[origins[at] : origins[at + len("chloe the list") - 1] + 1] == "Chloé the\n list"
    at = folded.index("strasse")
    assert text[origins[at] : origins[at + len("strasse") - 1] + 1] == "Straße"
