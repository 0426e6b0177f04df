"""Folding text: the fast way (only non-ASCII characters looked at) is the definition."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from netvault.text import fold, fold_text


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
