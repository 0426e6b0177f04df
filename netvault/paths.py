"""Warm paths: who can introduce you to a person, into a company, or to someone in a role.

An introducer is only worth asking if they can vouch for your work: your tie with them must reach
`path_min_tie` (people who barely know you cannot vouch for you), and former colleagues count for
more than friends (a friend, however well placed, has not seen you work). The score is a plain sum
so every path can say why it ranks where it does:

    score = vouch (relationship + tie + years known + recency)
          + knows the target (strongest signal between the introducer and the target)
          - HOP_PENALTY for a second introduction in the chain
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from .index import Index
from .model import TIE_LABELS, Contact
from .text import fold

TargetKind = Literal["person", "company", "role"]

HOP_PENALTY = 1.5
# Evidence that they know each other (a link, a mention) is worth twice a guess from a shared
# employer: an introducer who does not actually know the target opens no door.
LINK_KNOWS = 6.0
MENTION_KNOWS = 4.5
SAME_COMPANY_KNOWS = 3.0
SHARED_PAST_COMPANY_KNOWS = 1.5
WORKS_THERE_KNOWS = 6.0
WORKED_THERE_KNOWS = 3.0
# "You know X directly" is worth more than any introducer's knowledge of X.
DIRECT_KNOWS = 7.5

TIE_POINTS_PER_LEVEL = 1.0
YEAR_POINTS = 0.05
MAX_YEARS_COUNTED = 10
RECENT_DAYS, RECENT_POINTS = 90, 0.4
THIS_YEAR_DAYS, THIS_YEAR_POINTS = 365, 0.2

# Who has seen your work, best first. The gap between a former colleague and a friend (5) is
# wider than any gap in tie (at most 4), so a friend never outranks a former colleague on tie alone.
# `{whose}` is "your", or a teammate's name when the tie comes from their digest.
_WORK_WITNESS: dict[str, tuple[float, str]] = {
    "former colleague": (5.0, "can vouch for {whose} work"),
    "colleague": (4.0, "can vouch for {whose} work"),
    "client": (3.0, "has seen {whose} work as a client"),
    "mentor": (2.0, "knows {whose} work as {whose} mentor"),
    "mentee": (1.5, "knows {whose} work as {whose} mentee"),
    "friend": (0.0, "a friend cannot vouch for {whose} work"),
    "family": (0.0, "family cannot vouch for {whose} work"),
}
# The kinds a relationship is published as (a teammate's digest never carries free text).
RELATIONSHIP_KINDS = (*_WORK_WITNESS, "other")
# A teammate's digest gives a tie as a bucket, which scores as the weakest tie it holds: a
# digest never overstates a tie.
TIE_BUCKETS: dict[str, int] = {"strong": 4, "knows-my-work": 3}
_OTHER_RELATIONSHIP_POINTS = 1.0
_RELATIONSHIP_SYNONYMS = {
    "ex colleague": "former colleague",
    "former coworker": "former colleague",
    "ex coworker": "former colleague",
    "former manager": "former colleague",
    "former boss": "former colleague",
    "former report": "former colleague",
    "former teammate": "former colleague",
    "coworker": "colleague",
    "manager": "colleague",
    "boss": "colleague",
    "direct report": "colleague",
    "report": "colleague",
    "teammate": "colleague",
    "customer": "client",
    "former client": "client",
    "former mentor": "mentor",
    "close friend": "friend",
    "old friend": "friend",
    "neighbour": "friend",
    "neighbor": "friend",
    "partner": "family",
    "relative": "family",
}

# Company values that name no employer: two freelancers are not colleagues.
# A role that many hold makes finding mentions note by note slower than reading every note.
_FEW_ENDPOINTS = 32
_NOT_AN_EMPLOYER = frozenset(
    {
        "independent",
        "freelance",
        "freelancer",
        "self employed",
        "self-employed",
        "none",
        "n/a",
        "retired",
        "student",
        "unemployed",
    }
)
@dataclass(frozen=True, slots=True)
class WarmPath:
    """One way in: `hops` are the introducers, any intermediary, then the target."""

    hops: tuple[str, ...]
    introducers: tuple[str, ...]
    score: float
    vouch: float
    knows_target: float
    hop_penalty: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Excluded:
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class PathResult:
    query: str
    kind: TargetKind | None
    target: str
    min_tie: int
    # The people the target stands for: the person, those at the company, those in the role.
    matches: tuple[str, ...] = ()
    paths: tuple[WarmPath, ...] = ()
    excluded: tuple[Excluded, ...] = ()
    suggestions: tuple[str, ...] = ()


def warm_paths(index: Index, target: str, today: date, min_tie: int | None = None) -> PathResult:
    """Ranked warm paths of at most two introductions from you to `target`."""
    threshold = index.config.path_min_tie if min_tie is None else min_tie
    network = _Network(index, today, threshold)
    resolved = network.resolve(target)
    if resolved is None:
        return PathResult(
            query=target,
            kind=None,
            target=target,
            min_tie=threshold,
            suggestions=tuple(_suggest(index, target)),
        )
    kind, name, endpoints = resolved
    if kind == "company":
        matches = network.company_people(name)
    else:
        matches = tuple(e.name for e in endpoints)
    return PathResult(
        query=target,
        kind=kind,
        target=name,
        min_tie=threshold,
        matches=matches,
        paths=tuple(network.paths(endpoints)),
        excluded=tuple(network.excluded(endpoints)),
    )


def _suggest(index: Index, query: str, limit: int = 3) -> list[str]:
    from rapidfuzz import fuzz, process

    labels: dict[str, str] = {}
    for contact in index.contacts:
        for label in (contact.name, *contact.aliases):
            labels.setdefault(fold(label), contact.name)
    for contact in index.contacts:
        for detail in (contact.company, contact.role):
            if detail:
                labels.setdefault(fold(detail), detail)
    matches = process.extract(
        fold(query), sorted(labels), scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=70
    )
    result: list[str] = []
    for key, _score, _ in sorted(matches, key=lambda m: (-m[1], m[0])):
        if labels[key] not in result:
            result.append(labels[key])
    return result[:limit]


# ---- one contact, as paths see them -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Profile:
    contact: Contact
    path: str
    name: str
    sort_key: tuple[str, str]
    company: str | None  # folded; None when it names no employer
    past_companies: dict[str, str]  # folded -> as written
    possessive: str

    def employers(self) -> set[str]:
        return set(self.past_companies) | ({self.company} if self.company else set())


@dataclass(frozen=True, slots=True)
class _Signal:
    """Why someone knows the target; `text` starts with a verb so it reads after a name."""

    points: float
    text: str


@dataclass(frozen=True, slots=True)
class _Endpoint:
    """What a path ends at, who might know it, and how a contact relates to it."""

    key: str
    name: str
    profile: _Profile | None
    candidates: frozenset[str]
    knows: Callable[[_Profile], list[_Signal]]


def _profile(contact: Contact, possessive: str, employers: list[tuple[str, str]]) -> _Profile:
    company = fold(contact.company) if contact.company else None
    if company in _NOT_AN_EMPLOYER:
        company = None
    past = {
        k: v
        for k, v in employers
        if k not in _NOT_AN_EMPLOYER and not (company and same_company(k, company))
    }
    return _Profile(
        contact=contact,
        path=contact.path,
        name=contact.name,
        sort_key=(fold(contact.name), contact.path),
        company=company,
        past_companies=past,
        possessive=possessive,
    )


def _by_name(profile: _Profile) -> tuple[str, str]:
    return profile.sort_key


# ---- the vault's contacts, indexed for paths ----------------------------------------------


class _Network:
    """Who links to, mentions and works with whom, read from the index as a query needs it:
    the people around the target, not the whole vault."""

    def __init__(self, index: Index, today: date, min_tie: int) -> None:
        self.index = index
        self.today = today
        self.min_tie = min_tie
        self.owner = fold(index.config.owner_name)
        self._profiles: dict[str, _Profile | None] = {}
        self._links_out: dict[str, frozenset[str]] = {}
        self._links_in: dict[str, frozenset[str]] = {}
        self._neighbours: dict[str, list[_Profile]] = {}
        self._mentions: dict[str, frozenset[str]] = {}
        self._mentioned_by: dict[str, frozenset[str]] = {}
        self._employed: dict[str, set[str]] = {}
        self._knowers: dict[str, list[tuple[_Profile, list[_Signal]]]] = {}
        self._vouches: dict[str, tuple[float, list[str]]] = {}

    # ---- contacts as paths see them --------------------------------------------------------

    def load(self, paths: Iterable[str]) -> None:
        """Make the profiles of these notes (None for a note that is no contact, or you)."""
        wanted = {p for p in paths if p not in self._profiles}
        if not wanted:
            return
        contacts = {c.path: c for c in self.index.contacts_among(wanted)}
        facts = self.index.employers_and_possessives(contacts)
        for path in wanted:
            contact = contacts.get(path)
            if contact is None or fold(contact.name) == self.owner:
                self._profiles[path] = None
            else:
                self._profiles[path] = _profile(contact, *facts[path])

    def profile(self, path: str) -> _Profile | None:
        self.load((path,))
        return self._profiles[path]

    def profiles(self, paths: Iterable[str]) -> list[_Profile]:
        wanted = list(paths)
        self.load(wanted)
        return [p for path in wanted if (p := self._profiles[path]) is not None]

    def links_out(self, path: str) -> frozenset[str]:
        found = self._links_out.get(path)
        if found is None:
            found = frozenset(p.path for p in self.profiles(self.index.links_out(path)))
            self._links_out[path] = found
        return found

    def links_in(self, path: str) -> frozenset[str]:
        """The contacts whose notes link to this one."""
        found = self._links_in.get(path)
        if found is None:
            found = frozenset(p.path for p in self.profiles(self.index.backlinks(path)))
            self._links_in[path] = found
        return found

    def neighbours(self, path: str) -> list[_Profile]:
        """The contacts linked with this one, either way, by name."""
        found = self._neighbours.get(path)
        if found is None:
            linked = self.links_out(path) | self.links_in(path)
            found = self._neighbours[path] = sorted(self.profiles(linked), key=_by_name)
        return found

    def mentions(self, path: str) -> frozenset[str]:
        """The contacts this one's note names (without a link), by name or longer alias."""
        found = self._mentions.get(path)
        if found is None:
            words = self.index.note_words(path).split()
            longest = self.index.longest_name()
            runs = {
                " ".join(words[start : start + length])
                for start in range(len(words))
                for length in range(1, min(longest, len(words) - start) + 1)
            }
            named = self.index.named(runs) - {path} if runs else set()
            found = frozenset(p.path for p in self.profiles(sorted(named)))
            self._mentions[path] = found
        return found

    def mentioned_by(self, path: str) -> frozenset[str]:
        """The contacts whose notes name this one (without a link)."""
        found = self._mentioned_by.get(path)
        if found is None:
            named: set[str] = set()
            for run in self.index.mention_names(path):
                for other, text in self.index.notes_with_words(run).items():
                    if f" {run} " in f" {text} ":
                        named.add(other)
            named.discard(path)
            found = frozenset(p.path for p in self.profiles(sorted(named)))
            self._mentioned_by[path] = found
        return found

    def _find_all_mentions(self) -> None:
        """Who mentions whom across the whole vault, in one pass over every note's words:
        cheaper than asking note by note when a role stands for many people."""
        everyone = self.index.note_words_of_contacts()
        self.load(everyone)
        owners: dict[str, set[str]] = {}
        for run, path in self.index.mention_name_rows():
            if self._profiles.get(path) is not None:
                owners.setdefault(run, set()).add(path)
        first_words = {run.split(" ", 1)[0] for run in owners}
        longest = max((run.count(" ") + 1 for run in owners), default=0)
        mentioned_by: dict[str, set[str]] = {path: set() for path in everyone}
        for path, text in everyone.items():
            if self._profiles.get(path) is None:
                continue
            words = text.split()
            found: set[str] = set()
            for start, word in enumerate(words):
                if word in first_words:
                    for length in range(1, longest + 1):
                        found |= owners.get(" ".join(words[start : start + length]), set())
            found.discard(path)
            self._mentions[path] = frozenset(found)
            for other in found:
                mentioned_by[other].add(path)
        for path, found in mentioned_by.items():
            self._mentioned_by.setdefault(path, frozenset(found))

    def employed(self, company: str) -> set[str]:
        """Contacts who work or worked at the (folded) company."""
        found = self._employed.get(company)
        if found is None:
            leading = leading_words(company)
            found = set()
            for profile in self.profiles(sorted(self.index.employer_candidates(company, leading))):
                for employer in profile.employers():
                    if employer in leading or company in leading_words(employer):
                        found.add(profile.path)
                        break
            self._employed[company] = found
        return set(found)

    def qualifies(self, profile: _Profile) -> bool:
        return profile.contact.tie is not None and profile.contact.tie >= self.min_tie

    # ---- what the target is ---------------------------------------------------------------

    def resolve(self, query: str) -> tuple[TargetKind, str, list[_Endpoint]] | None:
        person = self.index.find(query)
        found = self.profile(person.path) if person is not None else None
        if found is not None:
            return "person", found.name, [self.person_endpoint(found)]
        company = self.company_named(query)
        if company is not None:
            return "company", company, [self.company_endpoint(company)]
        holders = sorted(
            (p for p in self.profiles(
                path for path, role, relationship in self.index.roles()
                if _holds_role(role, relationship, query))),
            key=_by_name,
        )
        if holders:
            if len(holders) > _FEW_ENDPOINTS:
                self._find_all_mentions()
            return "role", " ".join(query.split()), [self.person_endpoint(p) for p in holders]
        return None

    def company_named(self, query: str) -> str | None:
        """The company as the vault spells it most often, if anyone works or worked there."""
        wanted = fold(query)
        if not names_an_employer(wanted):
            return None
        current: Counter[str] = Counter()
        past: Counter[str] = Counter()
        for profile in self.profiles(sorted(self.employed(wanted))):
            if profile.company and same_company(profile.company, wanted):
                current[profile.contact.company or ""] += 1
            for key, written in profile.past_companies.items():
                if same_company(key, wanted):
                    past[written] += 1
        spellings = current or past
        if not spellings:
            return None
        return min(spellings, key=lambda s: (-spellings[s], fold(s), s))

    def company_people(self, company: str) -> tuple[str, ...]:
        key = fold(company)
        now: list[_Profile] = []
        before: list[_Profile] = []
        for profile in self.profiles(self.employed(key)):
            if profile.company and same_company(profile.company, key):
                now.append(profile)
            elif any(same_company(k, key) for k in profile.past_companies):
                before.append(profile)
        return tuple(p.name for p in sorted(now, key=_by_name) + sorted(before, key=_by_name))

    def person_endpoint(self, target: _Profile) -> _Endpoint:
        path = target.path
        candidates = (
            self.links_out(path)
            | {p.path for p in self.neighbours(path)}
            | self.mentions(path)
            | self.mentioned_by(path)
        )
        for employer in target.employers():
            candidates |= self.employed(employer)

        def knows(who: _Profile) -> list[_Signal]:
            return self.knows_person(who, target)

        return _Endpoint(path, target.name, target, frozenset(candidates - {path}), knows)

    def company_endpoint(self, company: str) -> _Endpoint:
        key = fold(company)

        def knows(who: _Profile) -> list[_Signal]:
            if who.company and same_company(who.company, key):
                return [_Signal(WORKS_THERE_KNOWS, f"works at {who.contact.company} now")]
            for folded, written in sorted(who.past_companies.items()):
                if same_company(folded, key):
                    return [_Signal(WORKED_THERE_KNOWS, f"worked at {written} before")]
            return []

        candidates = frozenset(self.employed(key))
        return _Endpoint("company:" + key, company, None, candidates, knows)

    def knows_person(self, who: _Profile, target: _Profile) -> list[_Signal]:
        """Every sign that `who` knows `target`, strongest first."""
        signals: list[_Signal] = []
        name = target.name
        if who.path in self.links_in(target.path):
            signals.append(_Signal(LINK_KNOWS, f"links to {name} in {who.possessive} note"))
        elif who.path in self.links_out(target.path):
            signals.append(_Signal(LINK_KNOWS, f"is linked from {name}'s note"))
        elif who.path in self.mentioned_by(target.path):
            signals.append(_Signal(MENTION_KNOWS, f"mentions {name} in {who.possessive} note"))
        elif who.path in self.mentions(target.path):
            signals.append(_Signal(MENTION_KNOWS, f"is mentioned in {name}'s note"))
        if who.company and target.company and same_company(who.company, target.company):
            signals.append(
                _Signal(SAME_COMPANY_KNOWS, f"works at {who.contact.company} now, like {name}")
            )
        shared = _shared_past(who, target)
        if shared:
            signals.append(_Signal(SHARED_PAST_COMPANY_KNOWS, shared))
        return signals

    # ---- paths ----------------------------------------------------------------------------

    def paths(self, endpoints: list[_Endpoint]) -> list[WarmPath]:
        found: list[WarmPath] = []
        for endpoint in endpoints:
            found.extend(self._paths_to(endpoint))
        folded: dict[str, str] = {}

        def order(path: WarmPath) -> tuple[bool, float, int, tuple[str, ...], tuple[str, ...]]:
            names = tuple(
                folded[h] if h in folded else folded.setdefault(h, fold(h)) for h in path.hops
            )
            return len(path.introducers) > 0, -path.score, len(path.hops), names, path.hops

        found.sort(key=order)
        return found

    def _paths_to(self, endpoint: _Endpoint) -> list[WarmPath]:
        found: list[WarmPath] = []
        target = endpoint.profile
        known_directly = target is not None and self.qualifies(target)
        if target is not None and known_directly:
            found.append(self._direct(target))
        knowers = self.knowers(endpoint)
        asked_directly = {p.path for p, _ in knowers if self.qualifies(p)}
        for profile, signals in knowers:
            if profile.path in asked_directly:
                found.append(self._one_hop(profile, endpoint, signals))
                continue
            # Someone you could ask yourself needs no one to pass you on.
            if known_directly:
                continue
            for introducer in self.neighbours(profile.path):
                if (
                    self.qualifies(introducer)
                    and introducer is not target
                    and introducer.path not in asked_directly
                ):
                    found.append(self._two_hops(introducer, profile, endpoint, signals))
        return found

    def knowers(self, endpoint: _Endpoint) -> list[tuple[_Profile, list[_Signal]]]:
        """Everyone who knows the endpoint, by name, with their signs strongest first."""
        cached = self._knowers.get(endpoint.key)
        if cached is None:
            cached = []
            for profile in sorted(self.profiles(endpoint.candidates), key=_by_name):
                signals = endpoint.knows(profile)
                if signals:
                    cached.append((profile, sorted(signals, key=lambda s: -s.points)))
            self._knowers[endpoint.key] = cached
        return cached

    def excluded(self, endpoints: list[_Endpoint]) -> list[Excluded]:
        """Contacts who know the target but whom you do not know well enough to ask."""
        targets = {e.key for e in endpoints}
        best: dict[str, _Signal] = {}
        for endpoint in endpoints:
            for profile, signals in self.knowers(endpoint):
                path = profile.path
                if self.qualifies(profile) or path in targets:
                    continue
                if path not in best or signals[0].points > best[path].points:
                    best[path] = signals[0]
        result: list[Excluded] = []
        for profile in sorted(self.profiles(best), key=_by_name):
            path, contact = profile.path, profile.contact
            standing = (
                f"your tie is only {contact.tie} ({TIE_LABELS[contact.tie]})"
                if contact.tie is not None
                else "no tie is recorded"
            )
            result.append(
                Excluded(
                    contact.name,
                    f"{best[path].text}, but {standing}; "
                    f"an introducer needs {self.min_tie} or more",
                )
            )
        return result

    def _direct(self, target: _Profile) -> WarmPath:
        vouch, reasons = self._vouch(target)
        return warm_path(
            hops=(target.name,),
            introducers=(),
            vouch=vouch,
            knows=DIRECT_KNOWS,
            penalty=0.0,
            reasons=[f"you know {target.name} directly", *reasons],
        )

    def _one_hop(
        self, introducer: _Profile, endpoint: _Endpoint, signals: list[_Signal]
    ) -> WarmPath:
        vouch, reasons = self._vouch(introducer)
        return warm_path(
            hops=(introducer.name, endpoint.name),
            introducers=(introducer.name,),
            vouch=vouch,
            knows=signals[0].points,
            penalty=0.0,
            reasons=reasons + [s.text for s in signals],
        )

    def _two_hops(
        self, introducer: _Profile, middle: _Profile, endpoint: _Endpoint, signals: list[_Signal]
    ) -> WarmPath:
        vouch, reasons = self._vouch(introducer)
        link = self.knows_person(introducer, middle)[0]
        return warm_path(
            hops=(introducer.name, middle.name, endpoint.name),
            introducers=(introducer.name,),
            vouch=vouch,
            # A chain is only as strong as its weakest link.
            knows=min(link.points, signals[0].points),
            penalty=HOP_PENALTY,
            reasons=[
                *reasons,
                link.text,
                *(f"{middle.name} {s.text}" for s in signals),
                f"one more hop: {middle.name} has to pass you on (-{HOP_PENALTY:g})",
            ],
        )

    def _vouch(self, profile: _Profile) -> tuple[float, list[str]]:
        """How well this person can vouch for your work, and why."""
        cached = self._vouches.get(profile.path)
        if cached is None:
            contact = profile.contact
            interactions = self.index.interactions(contact)
            standing = Standing(
                name=contact.name,
                relationship=contact.relationship,
                tie=contact.tie,
                since=contact.first_met or (interactions[0].date if interactions else None),
                last=self.index.last_contact(contact, self.today),
            )
            cached = self._vouches[profile.path] = vouch(standing, self.today)
        return cached


# ---- the vouching rules, shared with the team's digests -----------------------------------


@dataclass(frozen=True, slots=True)
class Standing:
    """What the vouching rules read about someone you (or a teammate) know.

    From a teammate's digest (`from_digest`): `whose` is the teammate's name, the tie is a
    bucket's (TIE_BUCKETS), `last` is 1 January of the year last in touch (which never overstates
    recency) and the first meeting is not known.
    """

    name: str
    relationship: tuple[str, ...]
    tie: int | None
    since: date | None = None
    last: date | None = None
    from_digest: bool = False
    whose: str = "your"


def vouch(standing: Standing, today: date) -> tuple[float, list[str]]:
    """How well someone can vouch for your (or a teammate's) work, and why."""
    points, relation = _relationship(standing.name, standing.relationship, standing.whose)
    reasons = [relation]
    tie = standing.tie or 0
    points += tie * TIE_POINTS_PER_LEVEL
    if standing.from_digest:
        bucket = next(name for name, low in TIE_BUCKETS.items() if tie >= low)
        reasons.append(f"{bucket} tie")
    else:
        reasons.append(f"tie {tie} {TIE_LABELS[tie]}" if tie else "no tie recorded")
    if standing.since is not None:
        years = _completed_years(standing.since, today)
        points += min(years, MAX_YEARS_COUNTED) * YEAR_POINTS
        reasons.append(
            "known under a year" if years < 1 else f"known {years} year{'s' * (years != 1)}"
        )
    elif not standing.from_digest:
        reasons.append("first meeting not recorded")
    last = standing.last
    if last is None:
        reasons.append("no contact recorded")
    else:
        days = max((today - last).days, 0)
        if days <= RECENT_DAYS:
            points += RECENT_POINTS
        elif days <= THIS_YEAR_DAYS:
            points += THIS_YEAR_POINTS
        shown = f"in {last.year}" if standing.from_digest else last.isoformat()
        reasons.append(f"last in touch {shown}")
    return points, reasons


def relationship_kind(relationship: tuple[str, ...]) -> str | None:
    """The relationship that best shows someone's work, as one of RELATIONSHIP_KINDS."""
    best: tuple[float, str] | None = None
    for written in relationship:
        kind = _canonical_relationship(written)
        if kind not in _WORK_WITNESS:
            kind = "other"
        points = _WORK_WITNESS[kind][0] if kind != "other" else _OTHER_RELATIONSHIP_POINTS
        if best is None or points > best[0]:
            best = (points, kind)
    return None if best is None else best[1]


def names_an_employer(company: str) -> bool:
    """False for company values such as "freelance" or "retired" (folded): two freelancers are
    not colleagues."""
    return bool(company) and company not in _NOT_AN_EMPLOYER


def same_company(a: str, b: str) -> bool:
    """Folded names of one company: equal, or one is the other's leading words ("Acme Inc")."""
    return a == b or a.startswith(b + " ") or b.startswith(a + " ")


def leading_words(company: str) -> list[str]:
    """Each leading run of words: "acme robotics" gives "acme" and "acme robotics"."""
    words = company.split(" ")
    return [" ".join(words[:n]) for n in range(1, len(words) + 1)]


def role_matches(role: str | None, query: str) -> bool:
    """The (folded) query is a run of whole words of the role."""
    wanted = fold(query)
    if not wanted or not role:
        return False
    return re.search(r"(?<!\w)" + re.escape(wanted) + r"(?!\w)", fold(role)) is not None


def _holds_role(role: str | None, relationship: tuple[str, ...], query: str) -> bool:
    if role_matches(role, query):
        return True
    wanted = fold(query)
    return bool(wanted) and any(fold(r) == wanted for r in relationship)


def _shared_past(who: _Profile, target: _Profile) -> str | None:
    name = target.name
    for folded, written in sorted(who.past_companies.items()):
        if any(same_company(folded, k) for k in target.past_companies):
            return f"worked at {written}, as {name} did"
        if target.company and same_company(folded, target.company):
            return f"worked at {written}, where {name} works now"
    if who.company and any(same_company(who.company, k) for k in target.past_companies):
        return f"works at {who.contact.company} now, where {name} worked before"
    return None


@functools.lru_cache(maxsize=4096)
def _canonical_relationship(written: str) -> str:
    kind = " ".join(fold(written).replace("-", " ").replace("_", " ").split())
    return _RELATIONSHIP_SYNONYMS.get(kind, kind)


@functools.lru_cache(maxsize=4096)  # a team's digests repeat the same few descriptions
def _relationship(name: str, relationship: tuple[str, ...], whose: str) -> tuple[float, str]:
    """Points for the relationship that best shows someone's work, and a sentence saying so."""
    best: tuple[float, str] | None = None
    for written in relationship:
        kind = _canonical_relationship(written)
        if kind in _WORK_WITNESS:
            points, why = _WORK_WITNESS[kind]
            shown = kind if kind == "family" else f"{article(kind)} {kind}"
            sentence = f"{name} is {shown} ({why.format(whose=whose)})"
        elif kind == "other":
            points = _OTHER_RELATIONSHIP_POINTS
            sentence = f"{name}: neither a colleague, a client nor a mentor"
        else:
            points = _OTHER_RELATIONSHIP_POINTS
            sentence = f"{name} is {article(written)} {written}"
        if best is None or points > best[0]:
            best = (points, sentence)
    if best is None:
        return _OTHER_RELATIONSHIP_POINTS, f"{name}: relationship not recorded"
    return best


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _completed_years(since: date, today: date) -> int:
    years = today.year - since.year - ((today.month, today.day) < (since.month, since.day))
    return max(years, 0)


def warm_path(
    *,
    hops: tuple[str, ...],
    introducers: tuple[str, ...],
    vouch: float,
    knows: float,
    penalty: float,
    reasons: list[str],
) -> WarmPath:
    return WarmPath(
        hops=hops,
        introducers=introducers,
        score=round(vouch + knows - penalty, 2),
        vouch=round(vouch, 2),
        knows_target=knows,
        hop_penalty=penalty,
        reasons=tuple(reasons),
    )
