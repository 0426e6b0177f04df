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


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char.isascii():
        return char.lower()
    decomposed = unicodedata.normalize("NFKD", char.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_with_origins(text: str) -> tuple[str, list[int]]:
    """`fold_text(text)` and, for each of its characters, the offset in `text` of the
    character it came from: a match in the folded text can be shown as written."""
    out: list[str] = []
    origins: list[int] = []
    space_at = -1  # where a run of white space began, once something came before it
    for offset, char in enumerate(text):
        for folded in _fold_char(char):
            if folded.isspace():
                if out and space_at < 0:
                    space_at = offset
                continue
            if space_at >= 0:
                out.append(" ")
                origins.append(space_at)
                space_at = -1
            out.append(folded)
            origins.append(offset)
    return "".join(out), origins
