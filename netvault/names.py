"""Which contact names can safely become file names inside the vault."""

from __future__ import annotations

import re
import unicodedata

# Characters Obsidian refuses in file names, plus those that break wikilinks.
_FORBIDDEN = set('*"<>:|?\\/[]#^')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
MAX_NAME_BYTES = 200
# Zero-width joiners are part of emoji sequences and of several scripts' spelling.
_JOINERS = frozenset("\u200c\u200d")


class BadName(ValueError):
    pass


def check_note_name(name: str) -> str:
    """The name, whitespace-normalised, if it can be a note's file name; else BadName."""
    clean = " ".join(name.split())
    if not clean:
        raise BadName("a name cannot be empty")
    if any(ord(ch) < 32 or ch == "\x7f" for ch in name):
        raise BadName(f"{name!r} holds control characters")
    # Invisible format characters (bidi overrides, zero-width spaces, soft hyphens) let two
    # names look the same or a name read backwards on screen.
    hidden = sorted(
        {ch for ch in clean if unicodedata.category(ch) == "Cf" and ch not in _JOINERS}
    )
    if hidden:
        codes = ", ".join(f"U+{ord(ch):04X}" for ch in hidden)
        raise BadName(f"{clean!r} holds invisible formatting characters ({codes})")
    bad = sorted(set(clean) & _FORBIDDEN)
    if bad:
        shown = " ".join(bad)
        raise BadName(f"{clean!r} holds characters a note's file name cannot have: {shown}")
    if clean.startswith("."):
        raise BadName(f"{clean!r} starts with a dot: it would be a hidden file")
    if _WINDOWS_RESERVED.match(clean):
        raise BadName(f"{clean!r} is a reserved device name on Windows")
    if len(clean.encode("utf-8")) > MAX_NAME_BYTES:
        raise BadName(f"{clean[:30]!r}... is longer than {MAX_NAME_BYTES} bytes")
    return clean


# What a file name cannot hold, and what stands in for it: readable, and typeable.
_FILE_REPLACEMENTS = {
    '"': "'", "<": "(", ">": ")", "[": "(", "]": ")", "?": "", "*": "-", ":": "-", "|": "-",
    "/": "-", "\\": "-", "#": "-", "^": "-",
}  # fmt: skip
FILE_STEM_BYTES = 120


def visible_name(name: str) -> str:
    """The name without control characters and invisible formatting (bidi overrides, zero
    width spaces), whitespace collapsed: what a person's name may hold in a note."""
    kept = (
        ch
        for ch in name
        if ord(ch) >= 32
        and ch != "\x7f"
        and not (unicodedata.category(ch) == "Cf" and ch not in _JOINERS)
    )
    return " ".join("".join(kept).split())


def safe_file_stem(name: str, limit: int = FILE_STEM_BYTES) -> str:
    """A note's file name (without `.md`) for a person called `name`, never refused by
    :func:`check_note_name`: characters a file system or an Obsidian link cannot hold are
    replaced (`Joel Park (he/him)` -> `Joel Park (he-him)`, `"` -> `'`), invisible and
    control characters dropped, a leading dot removed, the length capped at `limit` bytes.
    The person's real name stays in `name:`; only the file name is made safe."""
    kept = (_FILE_REPLACEMENTS.get(ch, ch) for ch in visible_name(name))
    text = " ".join("".join(kept).split()).strip(" .")
    if _WINDOWS_RESERVED.match(text):
        text = f"{text} (contact)"
    if len(text.encode("utf-8")) > limit:
        cut = text.encode("utf-8")[: limit - len("…".encode())].decode("utf-8", "ignore")
        text = cut.rstrip(" .") + "…"
    return text or "Unnamed contact"
