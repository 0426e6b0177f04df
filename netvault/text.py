"""Text keys for comparing what people type: case- and accent-free.

Kept apart from the parser so that commands that only read the index (and never parse a
note) need not import YAML to compare a name.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _unless_combining(match: re.Match[str]) -> str:
    char = match.group()
    return "" if unicodedata.combining(char) else char


def fold_text(text: str) -> str:
    """`fold` for text of any length (a note's body), not remembered."""
    if text.isascii():  # the same result, several times faster: nothing to decompose
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # Only characters beyond ASCII can be combining marks: look at those alone.
    return " ".join(_NON_ASCII.sub(_unless_combining, decomposed).split())


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case- and accent-insensitive key: "Zoë Ñúñez" and "zoe nunez" fold alike."""
    return fold_text(text)
