"""Likely duplicate contacts, as warnings that name the `netvault merge` command to run.

Two contacts are likely the same person when they share an e-mail address (compared
case-insensitively) or a phone number (the last 9 digits; numbers of 7 digits or more) and
their names could be one person's (not John and Jane Smith at the family address), or
nearly the same name, or when one's name is the other's alias. Nearly the same name means
more than shared words: rapidfuzz `token_sort_ratio` >= 92 on the folded names, and then
either the same words in another order ("Okafor Ada", "Ada Okafor") or the same first name
with one typo in another word ("Maria Fernandes"); a pair differing in a first name never is.
A note that a sync tool left behind (`Ada Okafor (conflicted copy).md`, `Ada Okafor (Sam's
conflicted copy 2026-11-20).md`, `Ada Okafor.sync-conflict-20261120-101010-ABC.md`,
`Ada Okafor 2.md`, `Ada Okafor (1).md`) next to the note it copies is reported too.

Each pair is reported once, on the note to merge away (the copy; else the contact with the
lower tie, fewer interactions, shorter name), at the line of the key that matched.
Two different people who only look alike can say so: `distinct_from: ["[[Dan Lee]]"]` in
either note silences the pair; two different LinkedIn profiles in `links` say it too.

Names are compared only within groups that share a word, so the work stays near-linear
for large vaults.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from .identity import EXCLUSIVE_SITES, names_compatible, phone_key, profile
from .index import Index
from .model import Contact, Problem
from .text import fold

NAME_SCORE = 92
CODE = "likely-duplicate"

_CONFLICT_COPY = (
    re.compile(r"^(?P<base>.+?) \((?:[^()]*'s )?conflicted copy(?: [^()]*)?\)$", re.IGNORECASE),
    re.compile(r"^(?P<base>.+?)\.sync-conflict-\d{8}-\d{6}(?:-[A-Za-z0-9]+)?$"),
    re.compile(r"^(?P<base>.+?) \(\d{1,3}\)$"),
    re.compile(r"^(?P<base>.+?) \d{1,3}$"),
)
_WORD = re.compile(r"\w+")
# Words that tell a parent from a child of the same name.
_GENERATIONS = frozenset({"jr", "sr", "junior", "senior", "ii", "iii", "iv", "v", "vi"})


@dataclass(frozen=True, slots=True)
class _Reason:
    label: str  # "same e-mail"
    values: tuple[tuple[str, str], ...] = ()  # (path, the shared value as that note writes it)

    def text(self, other: Contact) -> str:
        shown = dict(self.values).get(other.path)
        return f"{self.label} {shown}" if shown else self.label


@dataclass
class _Pair:
    keep: Contact
    other: Contact
    key: str  # the front-matter key of OTHER the first reason comes from
    reasons: list[_Reason] = field(default_factory=list)


def _prefer(index: Index, x: Contact, y: Contact) -> bool:
    """True when `x` rather than `y` is the one to keep: the higher tie, more interactions,
    the longer name, else the first path."""

    def weight(c: Contact) -> tuple[int, int, int]:
        return (c.tie or 0, index.interaction_count(c), len(c.name))

    return (weight(x), y.path) > (weight(y), x.path)


def _other_person(a: Contact, b: Contact) -> bool:
    """Two different LinkedIn profiles: two people, however alike their names."""
    for site in EXCLUSIVE_SITES:
        keys_a = {p[1] for link in a.links if (p := profile(link)) and p[0] == site}
        keys_b = {p[1] for link in b.links if (p := profile(link)) and p[0] == site}
        if keys_a and keys_b and not keys_a & keys_b:
            return True
    return False


def _distinct(index: Index, contact: Contact) -> set[str]:
    return {path for target in index.distinct_from(contact) if (path := index.resolve(target))}


def _copy_of(index: Index, contact: Contact) -> Contact | None:
    """The contact whose note `contact` is a sync-tool copy of, if any."""
    stem = contact.path[:-3] if contact.path.endswith(".md") else contact.path
    if not (stem[-1:].isdigit() or stem.endswith(")") or ".sync-conflict-" in stem):
        return None
    pure = PurePosixPath(contact.path)
    for pattern in _CONFLICT_COPY:
        match = pattern.match(pure.stem)
        if not match:
            continue
        base = match.group("base").strip()
        sibling = index.contact_at(str(pure.with_name(base + pure.suffix)))
        if sibling is None:
            found = index.find(base)
            sibling = found if found is not None and found.path != contact.path else None
        if sibling is not None:
            return sibling
    return None


class _Pairs:
    def __init__(self, index: Index) -> None:
        self.index = index
        self.pairs: dict[tuple[str, str], _Pair] = {}

    def add(
        self, a: Contact, b: Contact, reason: _Reason, key: str, *, a_is_keep: bool = False
    ) -> None:
        """Record that `a` and `b` look alike; the first reason decides which one to keep."""
        if a.path == b.path:
            return
        ident = (min(a.path, b.path), max(a.path, b.path))
        pair = self.pairs.get(ident)
        if pair is None:
            if not a_is_keep and _prefer(self.index, b, a):
                a, b = b, a
            pair = self.pairs[ident] = _Pair(a, b, key=key)
        if all(r.label != reason.label for r in pair.reasons):
            pair.reasons.append(reason)


def _grouped(
    pairs: _Pairs, values: Iterable[tuple[Contact, str, str]], reason: str, key: str
) -> None:
    """Pair the contacts that share a value: (contact, comparison key, value as written)."""
    groups: dict[str, dict[str, tuple[Contact, str]]] = defaultdict(dict)
    for contact, group, shown in values:
        groups[group].setdefault(contact.path, (contact, shown))
    for members in groups.values():
        if len(members) < 2:
            continue
        found = list(members.values())
        for i, (a, shown_a) in enumerate(found):
            for b, shown_b in found[i + 1 :]:
                if not names_compatible(a.name, b.name):
                    continue  # John and Jane Smith share the family address
                shared = ((a.path, shown_a), (b.path, shown_b))
                pairs.add(a, b, _Reason(reason, shared), key)


def _block_keys(words: list[str]) -> Iterable[tuple[str, str]]:
    """Groups a name is compared within: a word it has, with the first or the last two
    letters of the rest of the name. Names scoring 92 or more share a word and one end of
    the rest, but for typos in every word or at both ends, which rarely score that high."""
    for pos, word in enumerate(words):
        if len(word) < 2:
            continue
        rest = " ".join(words[:pos] + words[pos + 1 :])
        yield word, rest[:2]
        yield word, "$" + rest[-2:]


def _similar_names(pairs: _Pairs, contacts: list[Contact]) -> None:
    from rapidfuzz import fuzz, process

    folded = [fold(c.name) for c in contacts]
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    words_of: list[list[str]] = []
    markers: list[frozenset[str]] = []
    for i, name in enumerate(folded):
        words = _WORD.findall(name)
        words_of.append(words)
        markers.append(frozenset(w for w in words if w.isdigit() or w in _GENERATIONS))
        for key in set(_block_keys(sorted(words))):
            blocks[key].append(i)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        names = [folded[i] for i in members]
        for pos in range(len(members) - 1):
            matches = process.extract(
                names[pos],
                names[pos + 1 :],
                scorer=fuzz.token_sort_ratio,
                score_cutoff=NAME_SCORE,
                limit=None,
            )
            for _name, _score, offset in matches:
                a, b = members[pos], members[pos + 1 + offset]
                if (a, b) in seen:
                    continue
                seen.add((a, b))
                if folded[a] != folded[b] and (
                    markers[a] != markers[b] or not near_identical(words_of[a], words_of[b])
                ):
                    # "John Doe Jr." is not "John Doe Sr." nor "John Doe II" "John Doe III";
                    # and sharing words is not enough (see near_identical).
                    continue
                label = "same name" if folded[a] == folded[b] else "near-identical name"
                pairs.add(contacts[a], contacts[b], _Reason(label), "name")


def near_identical(a: list[str], b: list[str]) -> bool:
    """Two names (folded words, in order) that are one person's name written twice: the same
    words in another order ("Okafor Ada"), or the same first name and every other word the
    same but for one typo ("Maria Fernandes"). People differing in a first name are different
    people, however many words they share ("Adil S 6 Mechatronics Cochin College" is not
    "Aravind S 6 Mechatronics Cochin College", nor "Jon Smith" "John Smith")."""
    from rapidfuzz.distance import OSA

    if sorted(a) == sorted(b):
        return True
    if len(a) != len(b) or len(a) < 2 or a[0] != b[0]:
        return False
    differing = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(differing) != 1:
        return False
    x, y = differing[0]
    allowed = 2 if min(len(x), len(y)) >= 8 else 1
    return min(len(x), len(y)) >= 3 and OSA.distance(x, y) <= allowed


def _quoted(text: str) -> str:
    escaped = re.sub(r'(["\\$`])', r"\\\1", text)
    return f'"{escaped}"'


def merge_label(index: Index, contact: Contact) -> str:
    """What to type to name `contact` on the command line: its name if that finds it,
    else its vault path."""
    if index.resolve(contact.name) == contact.path:
        return contact.name
    return contact.path.removesuffix(".md")


def merge_command(index: Index, keep: Contact, other: Contact) -> str:
    if fold(keep.name) == fold(other.name):  # one name for both: only paths tell them apart
        labels = [c.path.removesuffix(".md") for c in (keep, other)]
    else:
        labels = [merge_label(index, c) for c in (keep, other)]
    return "netvault merge " + " ".join(_quoted(label) for label in labels)


def likely_duplicates(index: Index) -> list[Problem]:
    """A warning on each contact that is likely a duplicate of another one."""
    contacts = index.contacts
    pairs = _Pairs(index)
    for contact in contacts:
        original = _copy_of(index, contact)
        if original is not None:
            pairs.add(original, contact, _Reason("a sync conflict copy"), "name", a_is_keep=True)
    emails = ((c, e.strip().casefold(), e.strip()) for c in contacts for e in c.emails)
    _grouped(pairs, emails, "same e-mail", "email")
    phones = ((c, key, p) for c in contacts for p in c.phones if (key := phone_key(p)) is not None)
    _grouped(pairs, phones, "same phone", "phone")
    labels: dict[str, list[Contact]] = defaultdict(list)
    for contact in contacts:
        for alias in contact.aliases:
            labels[fold(alias)].append(contact)
    for contact in contacts:
        for owner in labels.get(fold(contact.name), ()):
            reason = _Reason(f"{contact.name!r} is an alias of {owner.name}")
            pairs.add(owner, contact, reason, "name")
    _similar_names(pairs, contacts)

    problems: list[Problem] = []
    reported: set[str] = set()
    for pair in pairs.pairs.values():
        if (
            pair.other.path in _distinct(index, pair.keep)
            or pair.keep.path in _distinct(index, pair.other)
            or _other_person(pair.keep, pair.other)
        ):
            continue
        if pair.other.path in reported:
            continue  # one merge to suggest per note (copies of one note are not each other's)
        reported.add(pair.other.path)
        line = index.key_line(pair.other.path, pair.key)
        reasons = ", ".join(r.text(pair.other) for r in pair.reasons)
        message = (
            f"likely duplicate of {pair.keep.path} ({reasons}); "
            f"merge with: {merge_command(index, pair.keep, pair.other)}"
        )
        problems.append(Problem(pair.other.path, line, "warning", CODE, message))
    problems.sort(key=lambda p: (p.path, p.line, p.message))
    return problems
