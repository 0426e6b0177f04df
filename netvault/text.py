"""Text keys for comparing what people type: case- and accent-free.

Kept apart from the parser so that commands that only read the index (and never parse a
note) need not import YAML to compare a name.
"""

from __future__ import annotations

import functools
import unicodedata


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case- and accent-insensitive key: "Zoë Ñúñez" and "zoe nunez" fold alike."""
    if text.isascii():  # the same result, several times faster: nothing to decompose
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())
