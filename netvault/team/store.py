"""The team's pulled digests, indexed in SQLite in the user's cache folder, never in the vault.

`vault_cache_dir(root)/team.sqlite`: a file of its own beside the vault's index, rewritten whole
by each pull (into a temporary file, then renamed) so a reader never sees half a pull. It is
disposable like the rest of the cache: without it, `team path` answers from your vault alone
until the next `team pull`.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..parse import fold
from ..paths import leading_words, role_matches, same_company
from ..userdirs import vault_cache_dir
from .digest import Digest, Person

STORE_NAME = "team.sqlite"
SCHEMA_VERSION = 1
# Above the highest code point: `key || ' ' || char(...)` bounds every string that starts so.
_LAST_CHAR = "\U0010ffff"

_SCHEMA = """
CREATE TABLE team (remote TEXT NOT NULL, team_key TEXT, pulled TEXT NOT NULL);
CREATE TABLE members (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, published TEXT NOT NULL,
    people INTEGER NOT NULL, named INTEGER NOT NULL, bytes INTEGER NOT NULL,
    commit_id TEXT NOT NULL
);
CREATE TABLE people (
    id INTEGER PRIMARY KEY, member TEXT NOT NULL, tie TEXT NOT NULL, relationship TEXT,
    company TEXT, company_key TEXT, role TEXT, role_key TEXT, city TEXT,
    last_in_touch INTEGER, name TEXT, name_key TEXT, keys TEXT NOT NULL
);
CREATE TABLE person_keys (key TEXT NOT NULL, person INTEGER NOT NULL);
CREATE TABLE problems (message TEXT NOT NULL);
"""
_INDEXES = """
CREATE INDEX people_by_name ON people (name_key);
CREATE INDEX people_by_company ON people (company_key);
CREATE INDEX person_keys_by_key ON person_keys (key);
"""
_PEOPLE_COLUMNS = (
    "id, member, tie, relationship, company, role, city, last_in_touch, name, keys"
)


@dataclass(frozen=True, slots=True)
class PulledDigest:
    digest: Digest
    commit: str
    size: int


@dataclass(frozen=True, slots=True)
class Member:
    member_id: str
    name: str
    published: date
    people: int
    named: int
    size: int
    commit: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One person of one member's digest; `row` is unique in the store."""

    member_id: str
    row: int
    person: Person


def store_path(root: Path) -> Path:
    return vault_cache_dir(root) / STORE_NAME


def write_store(
    root: Path,
    *,
    remote: str,
    team_key: bytes | None,
    pulled: date,
    digests: Sequence[PulledDigest],
    problems: Sequence[str],
) -> Path:
    """Replace the vault's team store with these digests."""
    from ..write import Target, build_file

    target = store_path(root)

    def build(tmp: Path) -> None:
        with contextlib.closing(sqlite3.connect(tmp)) as db:
            # A crash leaves only the temporary file: no journal needed.
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.executescript(_SCHEMA)
            db.execute(
                "INSERT INTO team VALUES (?, ?, ?)",
                (remote, team_key.hex() if team_key else None, pulled.isoformat()),
            )
            db.executemany("INSERT INTO problems VALUES (?)", ((p,) for p in problems))
            row = 0
            for pulled_digest in digests:
                digest = pulled_digest.digest
                db.execute(
                    "INSERT INTO members VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        digest.member,
                        digest.name,
                        digest.published.isoformat(),
                        len(digest.people),
                        sum(1 for p in digest.people if p.name),
                        pulled_digest.size,
                        pulled_digest.commit,
                    ),
                )
                first = row + 1
                row += len(digest.people)
                db.executemany(
                    "INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    _people_rows(digest.member, first, digest.people),
                )
                db.executemany(
                    "INSERT INTO person_keys VALUES (?, ?)",
                    (
                        (key, number)
                        for number, person in enumerate(digest.people, start=first)
                        for key in person.keys
                    ),
                )
            db.executescript(_INDEXES)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.commit()

    build_file(Target.user_file(target), build)
    return target


def _people_rows(
    member: str, first: int, people: Iterable[Person]
) -> Iterator[tuple[object, ...]]:
    folded: dict[str, str] = {}  # companies and roles repeat by the thousand

    def key(text: str | None) -> str | None:
        if text is None:
            return None
        found = folded.get(text)
        if found is None:
            found = folded[text] = fold(text)
        return found

    for number, p in enumerate(people, start=first):
        yield (
            number,
            member,
            p.tie,
            p.relationship,
            p.company,
            key(p.company),
            p.role,
            key(p.role),
            p.city,
            p.last_in_touch,
            p.name,
            fold(p.name) if p.name else None,
            " ".join(p.keys),
        )


def remove_store(root: Path) -> bool:
    from ..write import Target, remove_file

    return remove_file(Target.user_file(store_path(root)))


class TeamStore:
    """Read-only queries over the pulled digests."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        query = "SELECT remote, team_key, pulled FROM team"
        remote, team_key, pulled = db.execute(query).fetchone()
        self.remote: str = remote
        self.team_key: bytes | None = bytes.fromhex(team_key) if team_key else None
        self.pulled = date.fromisoformat(pulled)

    def close(self) -> None:
        self._db.close()

    def members(self) -> list[Member]:
        rows = self._db.execute(
            "SELECT id, name, published, people, named, bytes, commit_id FROM members "
            "ORDER BY name, id"
        )
        return [
            Member(m, name, date.fromisoformat(published), people, named, size, commit)
            for m, name, published, people, named, size, commit in rows
        ]

    def problems(self) -> list[str]:
        return [message for (message,) in self._db.execute("SELECT message FROM problems")]

    def _people(self, where: str, parameters: Sequence[object]) -> list[Entry]:
        rows = self._db.execute(f"SELECT {_PEOPLE_COLUMNS} FROM people WHERE {where}", parameters)
        return [
            Entry(
                member,
                row,
                Person(
                    tie=tie,
                    relationship=relationship,
                    company=company,
                    role=role,
                    city=city,
                    last_in_touch=last,
                    keys=keys.split(),
                    name=name,
                ),
            )
            for row, member, tie, relationship, company, role, city, last, name, keys in rows
        ]

    def named(self, names: Iterable[str]) -> list[Entry]:
        """People whose published name folds to one of `names` (folded)."""
        wanted = sorted(set(names))
        marks = ", ".join("?" * len(wanted))
        return self._people(f"name_key IN ({marks})", wanted) if wanted else []

    def with_keys(self, keys: Iterable[str]) -> list[Entry]:
        wanted = sorted(set(keys))
        if not wanted:
            return []
        marks = ", ".join("?" * len(wanted))
        return self._people(
            f"id IN (SELECT person FROM person_keys WHERE key IN ({marks}))", wanted
        )

    def at_company(self, company: str) -> list[Entry]:
        """People who work at the (folded) company, by `paths.same_company`."""
        prefixes = leading_words(company)
        marks = ", ".join("?" * len(prefixes))
        found = self._people(
            f"company_key IN ({marks}) OR (company_key > ? AND company_key < ?)",
            [*prefixes, company + " ", company + " " + _LAST_CHAR],
        )
        return [e for e in found if same_company(fold(e.person.company or ""), company)]

    def in_role(self, query: str) -> list[Entry]:
        """People whose role holds the query as whole words (`paths.role_matches`)."""
        wanted = fold(query)
        if not wanted:
            return []
        pattern = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        found = self._people("role_key LIKE ? ESCAPE '\\'", [f"%{pattern}%"])
        return [e for e in found if role_matches(e.person.role, query)]

    def spellings(self, limit: int = 5000) -> list[str]:
        """Published names and companies, for "did you mean"."""
        rows = self._db.execute(
            "SELECT name FROM (SELECT DISTINCT name FROM people WHERE name IS NOT NULL "
            "UNION SELECT DISTINCT company FROM people WHERE company IS NOT NULL) LIMIT ?",
            (limit,),
        )
        return [value for (value,) in rows]


def open_store(root: Path) -> TeamStore | None:
    """The vault's pulled digests; None before the first pull (or if the file is unusable)."""
    path = store_path(root)
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        (version,) = db.execute("PRAGMA user_version").fetchone()
        if version != SCHEMA_VERSION:
            db.close()
            return None
        return TeamStore(db)
    except (sqlite3.Error, TypeError, ValueError):
        db.close()
        return None
