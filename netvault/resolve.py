"""Which contact a name typed by the user means.

People say names the way they say them: "bruno", "Zoe Nunez", "people/Sam Lee (Globex).md".
A query resolves by the first of these levels that matches anything:

1. vault path (`people/Sam Lee.md`, with or without `.md`);
2. file name or exact name (two people may share a display name, so both count here, and the
   file name tells them apart);
3. alias (an exact name always beats another note's alias);
4. first name (the first word of the name);
5. prefix of a name or alias ("Bru", "Bruno C");
6. the same five levels again, case- and accent-free ("zoe nunez" finds "Zoë Ñúñez").

Exactly one contact at the first level that matches anything is the answer; several are
ambiguous and are listed with their file names, never guessed between. Wikilinks do not come
here: Obsidian resolves `[[...]]` by file name, and so does `Index.resolve`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .errors import UsageProblem
from .parse import fold


@dataclass(frozen=True, slots=True)
class NameEntry:
    """What resolving needs of one contact."""

    path: str  # vault-relative POSIX path of the note
    name: str
    aliases: tuple[str, ...] = ()

    @property
    def stem(self) -> str:
        base = self.path.rsplit("/", 1)[-1]
        return base[:-3] if base.lower().endswith(".md") else base


class AmbiguousName(UsageProblem):
    """Several contacts match equally well; the message lists them with their file names."""

    def __init__(self, query: str, candidates: Sequence[NameEntry]) -> None:
        self.query = query
        self.candidates = list(candidates)
        shown = "\n".join(f"  {c.name} ({c.path})" for c in self.candidates)
        super().__init__(
            f"{query!r} matches {len(self.candidates)} contacts; "
            f"say which (a file name or path works):\n{shown}"
        )


Match = Callable[[NameEntry], bool]


def _levels(query: str, key: Callable[[str], str]) -> list[Match]:
    q = key(query.strip())
    path_q = key(query.strip().removeprefix("./"))

    def by_path(e: NameEntry) -> bool:
        path = key(e.path)
        return path_q in (path, path[:-3] if path.endswith(".md") else path)

    def by_name(e: NameEntry) -> bool:
        return q in (key(e.stem), key(e.name))

    def by_alias(e: NameEntry) -> bool:
        return any(key(alias) == q for alias in e.aliases)

    def by_first_name(e: NameEntry) -> bool:
        words = key(e.name).split()
        return bool(words) and words[0] == q

    def by_prefix(e: NameEntry) -> bool:
        return any(key(label).startswith(q) for label in (e.name, *e.aliases))

    return [by_path, by_name, by_alias, by_first_name, by_prefix]


def _exact(text: str) -> str:
    return " ".join(text.split())


def matches(query: str, entries: Iterable[NameEntry]) -> list[NameEntry]:
    """The contacts at the first level that matches anything (empty when none does)."""
    if not query.strip():
        return []
    pool = list(entries)
    for match in (*_levels(query, _exact), *_levels(query, fold)):
        found = [e for e in pool if match(e)]
        if found:
            return sorted(found, key=lambda e: (fold(e.name), e.path))
    return []


def resolve_name(query: str, entries: Iterable[NameEntry]) -> NameEntry | None:
    """The one contact `query` means, None when nothing matches; AmbiguousName when several."""
    found = matches(query, entries)
    if len(found) > 1:
        raise AmbiguousName(query, found)
    return found[0] if found else None
