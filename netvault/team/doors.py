"""Who on the team can open a door: `team path` and `team who`.

Every member, you first, is scored as their own `netvault path` would score them, by the vouching
rules of `netvault.paths` (`vouch`): a member who knows the target person (or someone holding
the target role) directly gets DIRECT_KNOWS; one who knows someone working at the target company
gets WORKS_THERE_KNOWS, plus how well that person can vouch for the member's work. Your own
doors come from your vault, with its full detail (the exact tie, first meeting, day last in
touch); a teammate's from their digest, which says less (a tie bucket, the year last in touch).

Your own doors are those one step away, read from the contact list alone, so that the answer
stays fast on large vaults; `netvault path` also finds paths through two introductions.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from ..index import Index
from ..model import TIE_LABELS, Contact
from ..parse import fold
from ..paths import (
    DIRECT_KNOWS,
    TIE_BUCKETS,
    WORKS_THERE_KNOWS,
    Standing,
    TargetKind,
    WarmPath,
    names_an_employer,
    role_matches,
    same_company,
    vouch,
    warm_path,
)
from .digest import describe, person_keys
from .store import Entry, Member, TeamStore

YOU = "you"  # how your own vault is named among the members
MatchedBy = Literal["you", "name", "address", "company", "role"]


@dataclass(frozen=True, slots=True)
class Door:
    """One way in, through you or a teammate, with where it came from."""

    path: WarmPath
    member_id: str | None  # None: your own vault
    member_name: str
    published: date | None  # the digest's date; None for your vault
    person: str  # the name, or "a Partner at Fabrikam Capital" when it is not published
    named: bool
    company: str | None
    role: str | None
    city: str | None
    tie: str  # "4 trusted" from your vault, a bucket ("strong") from a digest
    relationship: str | None
    last_in_touch: str | None  # a day from your vault, a year from a digest
    matched_by: MatchedBy
    keys: tuple[str, ...]

    @property
    def yours(self) -> bool:
        return self.member_id is None


@dataclass(frozen=True, slots=True)
class TeamResult:
    query: str
    kind: TargetKind | None
    target: str
    min_tie: int
    doors: tuple[Door, ...] = ()  # yours first, then the team's; each best first
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Target:
    kind: TargetKind
    name: str
    own: tuple[Contact, ...]
    team: tuple[tuple[Entry, MatchedBy], ...]


def team_doors(
    index: Index,
    store: TeamStore | None,
    query: str,
    today: date,
    me: str | None,
    kind: TargetKind | None = None,
) -> TeamResult:
    """Doors to `query` (a person, company or role; only that `kind` if given)."""
    finder = _Finder(index, store, me)
    target = finder.resolve(query, kind)
    min_tie = index.config.path_min_tie
    if target is None:
        return TeamResult(query, None, query, min_tie, suggestions=tuple(finder.suggest(query)))
    members = {m.member_id: m for m in store.members()} if store else {}
    shown_names = _member_names(members.values())
    team_key = store.team_key if store else None
    own = [_own_door(index, contact, target, today, team_key) for contact in target.own]
    team = [
        _team_door(entry, matched_by, target, today, members[entry.member_id],
                   shown_names[entry.member_id])
        for entry, matched_by in target.team
        if entry.member_id in members
    ]
    return TeamResult(query, target.kind, target.name, min_tie, (*_ranked(own), *_ranked(team)))


def _ranked(doors: list[Door]) -> list[Door]:
    """Best score first; ties by member, then person, accents and case aside."""
    return sorted(
        doors,
        key=lambda d: (-d.path.score, _fold(d.member_name), _fold(d.person), d.member_id or ""),
    )


# Names, labels and companies repeat by the thousand in a team's digests.
_fold = functools.lru_cache(maxsize=65536)(fold)


def _member_names(members: Iterable[Member]) -> dict[str, str]:
    """Display names; two members showing the same name (or "you") get their id's start
    beside it."""
    found = list(members)
    counts = Counter([fold(YOU), *(fold(m.name) for m in found)])
    return {
        m.member_id: m.name if counts[fold(m.name)] == 1 else f"{m.name} [{m.member_id[:8]}]"
        for m in found
    }


class _Finder:
    """What the query names, in your vault and in the team's digests."""

    def __init__(self, index: Index, store: TeamStore | None, me: str | None) -> None:
        self.index = index
        self.store = store
        self.me = me
        owner = index.find(index.config.owner_name)
        self.owner_path = owner.path if owner is not None else None
        self.contacts = [
            c
            for c in index.contacts
            if c.tie is not None and c.tie >= index.config.path_min_tie
            and c.path != self.owner_path
        ]

    def _theirs(self, entries: Iterable[Entry]) -> list[Entry]:
        return [e for e in entries if e.member_id != self.me]

    def resolve(self, query: str, kind: TargetKind | None) -> _Target | None:
        finders = {"person": self._person, "company": self._company, "role": self._role}
        for candidate, find in finders.items():
            found = find(query) if kind in (None, candidate) else None
            if found is not None:
                return found
        return None

    def _person(self, query: str) -> _Target | None:
        contact = self.index.find(query)
        if contact is not None and contact.path == self.owner_path:
            contact = None
        names = {fold(query)}
        keys: set[str] = set()
        if contact is not None:
            names |= {fold(label) for label in (contact.name, *contact.aliases)}
            if self.store is not None and self.store.team_key is not None:
                keys |= set(person_keys(contact, self.store.team_key))
        matched: dict[int, tuple[Entry, MatchedBy]] = {}
        if self.store is not None:
            for entry in self._theirs(self.store.named(names)):
                matched[entry.row] = (entry, "name")
                keys |= set(entry.person.keys)
            # Entries sharing an address with one found are the same person, named or not.
            seen: set[str] = set()
            while keys - seen:
                fresh = keys - seen
                seen |= fresh
                for entry in self._theirs(self.store.with_keys(fresh)):
                    if entry.row not in matched:
                        matched[entry.row] = (entry, "address")
                        keys |= set(entry.person.keys)
        if contact is None and not matched:
            return None
        if contact is not None:
            name = contact.name
        else:  # found by name in the digests: their most common spelling
            name = _most_common(e.person.name or "" for e, how in matched.values() if how == "name")
        own = (contact,) if contact is not None and contact in self.contacts else ()
        team = tuple(sorted(matched.values(), key=lambda found: found[0].row))
        return _Target("person", name, own, team)

    def _company(self, query: str) -> _Target | None:
        wanted = fold(query)
        if not names_an_employer(wanted):
            return None
        own = tuple(
            c for c in self.contacts if c.company and same_company(_fold(c.company), wanted)
        )
        team = self._theirs(self.store.at_company(wanted)) if self.store else []
        if not own and not team:
            return None
        name = _most_common(
            [*(c.company or "" for c in own), *(e.person.company or "" for e in team)]
        )
        return _Target("company", name, own, tuple((e, "company") for e in team))

    def _role(self, query: str) -> _Target | None:
        own = tuple(c for c in self.contacts if role_matches(c.role, query))
        team = self._theirs(self.store.in_role(query)) if self.store else []
        if not own and not team:
            return None
        return _Target("role", " ".join(query.split()), own, tuple((e, "role") for e in team))

    def suggest(self, query: str, limit: int = 3) -> list[str]:
        from rapidfuzz import fuzz, process

        labels: dict[str, str] = {}
        for contact in self.contacts:
            for label in (contact.name, contact.company):
                if label:
                    labels.setdefault(fold(label), label)
        if self.store is not None:
            for label in self.store.spellings():
                labels.setdefault(fold(label), label)
        matches = process.extract(
            fold(query), sorted(labels), scorer=fuzz.WRatio, limit=limit, score_cutoff=70
        )
        return [labels[key] for key, _score, _ in sorted(matches, key=lambda m: (-m[1], m[0]))]


def _most_common(spellings: Iterable[str]) -> str:
    counts = Counter(spellings)
    return min(counts, key=lambda s: (-counts[s], fold(s), s))


def _door_path(
    target: _Target, via: str | None, person: str, company: str | None, standing: Standing,
    today: date, reasons_after: list[str],
) -> WarmPath:
    """The path through `via` (a teammate; None for you) to `person`, scored by `vouch`."""
    points, vouched = _vouch(standing, today)
    hops: tuple[str, ...] = (person,) if via is None else (via, person)
    if target.kind == "company":
        knows, how = WORKS_THERE_KNOWS, [f"{person} works at {company or target.name} now"]
        hops = (*hops, target.name)
    else:
        knows, how = DIRECT_KNOWS, []
    return warm_path(
        hops=hops,
        introducers=(via or person,) if via or target.kind == "company" else (),
        vouch=points,
        knows=knows,
        penalty=0.0,
        reasons=[
            f"{via} knows {person}" if via else f"you know {person} directly",
            *vouched,
            *how,
            *reasons_after,
        ],
    )


# A team's digests hold the same few standings by the thousand; the cached reasons are only
# ever copied, never changed.
_vouch = functools.lru_cache(maxsize=65536)(vouch)


def _own_door(
    index: Index, contact: Contact, target: _Target, today: date, team_key: bytes | None
) -> Door:
    assert contact.tie is not None  # only contacts with a qualifying tie get here
    last = index.last_contact(contact, today)
    standing = Standing(
        name=contact.name,
        relationship=contact.relationship,
        tie=contact.tie,
        since=contact.first_met,
        last=last,
    )
    return Door(
        path=_door_path(target, None, contact.name, contact.company, standing, today, []),
        member_id=None,
        member_name=YOU,
        published=None,
        person=contact.name,
        named=True,
        company=contact.company,
        role=contact.role,
        city=contact.location,
        tie=f"{contact.tie} {TIE_LABELS[contact.tie]}",
        relationship=", ".join(contact.relationship) or None,
        last_in_touch=last.isoformat() if last else None,
        matched_by="you",
        keys=tuple(person_keys(contact, team_key)) if team_key else (),
    )


def _team_door(
    entry: Entry,
    matched_by: MatchedBy,
    target: _Target,
    today: date,
    member: Member,
    member_name: str,
) -> Door:
    person = entry.person
    label = person.name or describe(person)
    standing = Standing(
        name=label,
        relationship=(person.relationship,) if person.relationship else (),
        tie=TIE_BUCKETS[person.tie],
        last=date(person.last_in_touch, 1, 1) if person.last_in_touch else None,
        from_digest=True,
        whose=f"{member_name}'s",
    )
    after = []
    if matched_by == "address":
        after.append(f"the same person as {target.name}: a shared e-mail or profile address")
    elif matched_by == "name":
        after.append("found by name alone")
    after.append(f"from {member_name}'s digest of {member.published.isoformat()}")
    return Door(
        path=_door_path(target, member_name, label, person.company, standing, today, after),
        member_id=entry.member_id,
        member_name=member_name,
        published=member.published,
        person=label,
        named=person.name is not None,
        company=person.company,
        role=person.role,
        city=person.city,
        tie=person.tie,
        relationship=person.relationship,
        last_in_touch=str(person.last_in_touch) if person.last_in_touch else None,
        matched_by=matched_by,
        keys=tuple(person.keys),
    )


def distinct_people(doors: Iterable[Door]) -> int:
    """How many people the doors lead to: doors sharing an address are one person."""
    parent: dict[int, int] = {}

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    owner_of_key: dict[str, int] = {}
    for number, door in enumerate(doors):
        parent[number] = number
        for key in door.keys:
            if key in owner_of_key:
                parent[root(number)] = root(owner_of_key[key])
            else:
                owner_of_key[key] = number
    return len({root(n) for n in parent})
