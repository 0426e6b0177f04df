"""Which contacts `list` shows: every filter given must hold (AND), each compared case- and
accent-free."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Contact
from .text import fold

_WORD = re.compile(r"\w+")


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(text)))


def _holds_run(words: tuple[str, ...], run: tuple[str, ...]) -> bool:
    """True when `run` is in `words`, in a row."""
    return any(words[i : i + len(run)] == run for i in range(len(words) - len(run) + 1))


@dataclass(frozen=True, slots=True)
class ContactFilter:
    """tags: every one of them (a leading `#` ignored); company: that company; location:
    these words in a row of the location (`Berlin` is in "Berlin, Germany", never in
    "Berlingen"); relationship: one of the contact's; tie: exactly; min_tie: at least."""

    tags: tuple[str, ...] = ()
    company: str | None = None
    location: str | None = None
    relationship: str | None = None
    tie: int | None = None
    min_tie: int | None = None

    def matches(self, contact: Contact) -> bool:
        if self.tie is not None and contact.tie != self.tie:
            return False
        if self.min_tie is not None and (contact.tie or 0) < self.min_tie:
            return False
        if self.tags:
            theirs = {fold(t) for t in contact.tags}
            if not all(fold(t.lstrip("#")) in theirs for t in self.tags):
                return False
        if self.company is not None and fold(contact.company or "") != fold(self.company):
            return False
        if self.location is not None:
            wanted = _words(self.location)
            if not wanted or not _holds_run(_words(contact.location or ""), wanted):
                return False
        return self.relationship is None or fold(self.relationship) in {
            fold(r) for r in contact.relationship}

    def among(self, contacts: Iterable[Contact]) -> list[Contact]:
        return [c for c in contacts if self.matches(c)]
