"""Which contact names can safely become file names inside the vault."""

from __future__ import annotations

import re

# Characters Obsidian refuses in file names, plus those that break wikilinks.
_FORBIDDEN = set('*"<>:|?\\/[]#^')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
MAX_NAME_BYTES = 200


class BadName(ValueError):
    pass


def check_note_name(name: str) -> str:
    """The name, whitespace-normalised, if it can be a note's file name; else BadName."""
    clean = " ".join(name.split())
    if not clean:
        raise BadName("a name cannot be empty")
    if any(ord(ch) < 32 or ch == "\x7f" for ch in name):
        raise BadName(f"{name!r} holds control characters")
    bad = sorted(set(clean) & _FORBIDDEN)
    if bad:
        shown = " ".join(bad)
        raise BadName(f"{clean!r} holds characters a note's file name cannot have: {shown}")
    if clean.startswith("."):
        raise BadName(f"{clean!r} starts with a dot: it would be a hidden file")
    if clean.endswith("."):
        raise BadName(f"{clean!r} ends with a dot, which some file systems drop")
    if _WINDOWS_RESERVED.match(clean):
        raise BadName(f"{clean!r} is a reserved device name on Windows")
    if len(clean.encode("utf-8")) > MAX_NAME_BYTES:
        raise BadName(f"{clean[:30]!r}... is longer than {MAX_NAME_BYTES} bytes")
    return clean
