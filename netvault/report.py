"""The network-health report: everything on one page, as data the templates render.

`gather` reads an index (and the state the previous report saved) and returns a `Report`;
`render_report` turns it into markdown (for the vault, with wikilinks and a Mermaid block)
or one self-contained HTML page (inline CSS and SVG, no script).

Privacy: the report carries names, ties and dates, never an e-mail address or a phone
number; free text (a follow-up's wording) has the contact details of everyone who did not
agree to share them masked, and anything else that looks like one (see `privacy`).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Literal

from .checking import count_problems, vault_problems
from .config import Config
from .errors import UsageProblem
from .graph import build_graph, to_mermaid
from .index import Index
from .intros import hub_stats, waiting
from .model import TIE_LABELS, Contact
from .parse import fold, link_text, parse_note
from .privacy import Masker
from .render import environment
from .ties import RECENT_MOVE_DAYS, DueItem, due, favors, oaks, recent_moves, todo, unmet
from .vaultfs import UnsafePath, read_vault_file

if TYPE_CHECKING:
    from .write import Target

STATE_PATH = ".netvault/report-state.json"
STATE_VERSION = 1
# The previous report's state is read whole; a larger file is ignored (the report starts afresh).
MAX_STATE_BYTES = 32 * 1024 * 1024
# The HTML report says so in its head: netvault replaces only its own report.
HTML_GENERATOR = '<meta name="generator" content="netvault report">'
ReportFormat = Literal["md", "html"]
TEMPLATES: Mapping[str, str] = {"md": "report.md.j2", "html": "report.html.j2"}

# Long lists are cut in the report (the totals are always given); the commands list them all.
DUE_SHOWN = 15
MOVES_SHOWN = 15
UNMET_SHOWN = 10
FOLLOW_UPS_SHOWN = 15
FAVOURS_SHOWN = 10
CANDIDATES_SHOWN = 5
NEVER_INTRODUCED_SHOWN = 8
CHANGES_SHOWN = 20
# The Mermaid picture starts with people who know your work and narrows to stronger ties
# until it is small enough to read.
GRAPH_MIN_TIE = 3
GRAPH_MAX_PEOPLE = 60
# Due within this many days shows as "due soon" in the picture.
SOON_DAYS = 14

DueStatus = Literal["ok", "soon", "overdue", "long", "none"]
STATUS_LABELS: Mapping[str, str] = {
    "ok": "in touch",
    "soon": f"due within {SOON_DAYS} days",
    "overdue": "overdue",
    "long": "long overdue or never in touch",
    "none": "no keep-in-touch cadence",
}



# ---- records -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    path: str
    target: str  # what a wikilink to the note says: the file name, or the path if ambiguous
    tie: int | None
    oak: bool


@dataclass(frozen=True, slots=True)
class TieCount:
    tie: int | None
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Counts:
    contacts: int
    notes: int
    by_tie: tuple[TieCount, ...]  # 5 down to 1, then "no tie" when some have none
    by_relationship: tuple[tuple[str, int], ...]
    met_in_person: int
    errors: int
    warnings: int


@dataclass(frozen=True, slots=True)
class DueEntry:
    person: Person
    cadence_days: int
    last_contact: date | None
    days_overdue: int | None  # None: never in touch
    status: DueStatus


@dataclass(frozen=True, slots=True)
class MoveEntry:
    """Someone who changed jobs lately: their latest `## Career` line (contact details
    masked, as in follow-ups)."""

    person: Person
    date: date
    text: str
    days_ago: int


@dataclass(frozen=True, slots=True)
class Flagged:
    person: Person
    reason: str


@dataclass(frozen=True, slots=True)
class OakSection:
    circle: tuple[Person, ...]
    max_size: int
    min_years: int
    too_many: bool
    neglected: tuple[DueEntry, ...]
    untested: tuple[Flagged, ...]
    candidates: tuple[Flagged, ...]


@dataclass(frozen=True, slots=True)
class UnmetEntry:
    person: Person
    last_contact: date | None


@dataclass(frozen=True, slots=True)
class FollowUp:
    text: str
    due: date | None
    days_overdue: int | None
    people: tuple[Person, ...]
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class FavourOwed:
    person: Person
    given: int
    received: int
    owed: int


@dataclass(frozen=True, slots=True)
class WaitingEntry:
    intro: str
    pending: tuple[str, ...]
    days: int


@dataclass(frozen=True, slots=True)
class IntroSection:
    total: int
    open: int
    made: int
    declined: int
    clicked: int
    business: int
    answered: int
    accepted: int
    acceptance_percent: int | None
    connected_most: tuple[tuple[Person, int], ...]
    never_introduced: tuple[Person, ...]
    never_introduced_total: int
    waiting: tuple[WaitingEntry, ...]


@dataclass(frozen=True, slots=True)
class TieChange:
    person: Person
    before: int | None
    after: int | None


@dataclass(frozen=True, slots=True)
class Changes:
    since: date | None  # None: no earlier report to compare with
    added: tuple[Person, ...]
    removed: tuple[str, ...]  # names: their notes are gone
    ties_up: tuple[TieChange, ...]
    ties_down: tuple[TieChange, ...]
    total: int

    @property
    def any(self) -> bool:
        return self.total > 0


@dataclass(frozen=True, slots=True)
class Ring:
    tie: int | None
    title: str  # e.g. "4 · trusted (5)"
    radius: float
    count: int
    hidden: int  # people on this ring not drawn, for lack of room


@dataclass(frozen=True, slots=True)
class Dot:
    name: str
    x: float
    y: float
    status: DueStatus
    anchor: Literal["start", "end"]
    label_x: float
    label_y: float
    oak: bool


@dataclass(frozen=True, slots=True)
class Picture:
    """Your circles, laid out for SVG: you at (0, 0), one ring per tie, oaks innermost."""

    half_width: float
    half_height: float
    rings: tuple[Ring, ...]
    dots: tuple[Dot, ...]


@dataclass(frozen=True, slots=True)
class Report:
    today: date
    owner: str
    counts: Counts
    due: tuple[DueEntry, ...]
    due_total: int
    moves: tuple[MoveEntry, ...]  # newest first
    moves_total: int
    moves_days: int  # the window: moves dated this many days back or less
    oaks: OakSection
    unmet: tuple[UnmetEntry, ...]
    unmet_total: int
    follow_ups: tuple[FollowUp, ...]
    follow_ups_total: int
    overdue_follow_ups: int
    favours_owed: tuple[FavourOwed, ...]
    favours_owed_total: int
    intros: IntroSection
    changes: Changes
    graph_min_tie: int
    mermaid: str
    picture: Picture


# ---- the state the previous report left --------------------------------------------------


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Who was in the network, with which tie, when a report was last written."""

    generated: date
    contacts: Mapping[str, tuple[str, int | None]]  # path -> (name, tie)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "generated": self.generated.isoformat(),
            "contacts": {
                path: {"name": name, "tie": tie} for path, (name, tie) in self.contacts.items()
            },
        }


def snapshot_of(index: Index, today: date) -> Snapshot:
    return Snapshot(today, {c.path: (c.name, c.tie) for c in index.contacts})


def load_snapshot(root: Path) -> Snapshot | None:
    """The previous report's state; None when there is none or it cannot be read (the
    state is disposable: the next report simply starts afresh). Never read through a
    symlink, nor past MAX_STATE_BYTES."""
    try:
        data = json.loads(read_vault_file(root, STATE_PATH, MAX_STATE_BYTES).decode("utf-8"))
        if data.get("version") != STATE_VERSION:
            return None
        contacts: dict[str, tuple[str, int | None]] = {}
        for path, entry in data["contacts"].items():
            tie = entry["tie"]
            if not isinstance(entry["name"], str) or not (tie is None or isinstance(tie, int)):
                return None
            contacts[str(path)] = (entry["name"], tie)
        return Snapshot(date.fromisoformat(data["generated"]), contacts)
    except (OSError, UnsafePath, ValueError, KeyError, TypeError, AttributeError,
            RecursionError):
        return None


def save_snapshot(root: Path, snapshot: Snapshot) -> None:
    from .write import Replace, Target, write_file

    text = json.dumps(snapshot.to_json(), indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    write_file(Target.inside(root, STATE_PATH), text.encode("utf-8"), replace=Replace.STATE)


# ---- where the report goes ------------------------------------------------------------------


def is_own_report(head: bytes) -> bool:
    """True if a file's first bytes are a report netvault wrote: a note whose front matter
    says `type: report`, or a page whose generator is netvault."""
    if HTML_GENERATOR.encode("utf-8") in head:
        return True
    parsed = parse_note("report.md", head)
    return parsed.note.meta.get("type") == "report"


def report_target(
    root: Path, config: Config, fmt: ReportFormat, out: Path | None = None
) -> Target:
    """Where the report goes: `out` as the user typed it, else the configured `[report] path`
    (its `.html` sibling for HTML), which must lie outside the contacts and intros folders
    so that it can never name a person's note."""
    from .write import Target

    if out is not None:
        return Target.typed(root, out)
    relpath = config.report_path
    if fmt == "html":
        relpath = str(PurePosixPath(relpath).with_suffix(".html"))
    for folder in (config.contacts_folder, config.intros_folder):
        if fold(relpath).startswith(fold(folder.rstrip("/") + "/")):
            raise UsageProblem(
                f"[report] path {config.report_path!r} lies in the {folder}/ folder, where "
                "notes live; choose a path outside it"
            )
    return Target.inside(root, relpath)


def write_report_file(target: Target, text: str, fmt: ReportFormat, force: bool = False) -> None:
    """Write a rendered report; WriteRefused if it would replace anything but netvault's own
    earlier report (`force`: outside the vault, replace it anyway)."""
    from .write import Replace, WriteRefused, write_file

    if not is_own_report(text.encode("utf-8")[: 64 * 1024]):
        mark = "its front matter type: report" if fmt == "md" else HTML_GENERATOR
        raise WriteRefused(
            None,
            f"template {TEMPLATES[fmt]} must keep {mark}: netvault recognises its report by it",
        )
    write_file(
        target, text.encode("utf-8"), replace=Replace.OUTPUT, force=force,
        is_own_output=is_own_report,
    )


# ---- gathering -----------------------------------------------------------------------------


def gather(index: Index, today: date, previous: Snapshot | None = None) -> Report:
    """Everything the report shows, computed from the index as of `today`."""
    people = _People(index)
    masker = Masker.for_contacts(index.contacts)
    states = {item.contact.path: item for item in due(index, today, within_days=10**6)}
    # `due` sorts most overdue for the cadence first; filtering keeps that order.
    overdue = [item for item in states.values() if _is_due(item)]
    oak_report = oaks(index, today, overdue)
    unmet_items = unmet(index, today)
    tasks = todo(index, today)
    owed = [f for f in favors(index) if f.owed > 0]
    graph_min_tie = _graph_min_tie(index)
    moved = recent_moves(index, today)
    return Report(
        today=today,
        owner=index.config.owner_name,
        counts=_counts(index),
        due=tuple(_due_entry(people, item) for item in overdue[:DUE_SHOWN]),
        due_total=len(overdue),
        moves=tuple(
            MoveEntry(people.of(m.contact), m.move.date, masker.mask(m.move.text), m.days_ago)
            for m in moved[:MOVES_SHOWN]
        ),
        moves_total=len(moved),
        moves_days=RECENT_MOVE_DAYS,
        oaks=OakSection(
            circle=tuple(people.of(c) for c in oak_report.circle),
            max_size=oak_report.max_size,
            min_years=oak_report.min_years,
            too_many=oak_report.too_many,
            neglected=tuple(_due_entry(people, item) for item in oak_report.neglected),
            untested=tuple(Flagged(people.of(u.contact), u.reason) for u in oak_report.untested),
            candidates=tuple(
                Flagged(people.of(c.contact), "; ".join(c.reasons))
                for c in oak_report.candidates[:CANDIDATES_SHOWN]
            ),
        ),
        unmet=tuple(UnmetEntry(people.of(u.contact), u.last_contact)
                    for u in unmet_items[:UNMET_SHOWN]),
        unmet_total=len(unmet_items),
        follow_ups=tuple(
            FollowUp(
                masker.mask(item.task.text),
                item.task.due,
                item.days_overdue,
                tuple(people.of(c) for c in item.people),
                item.task.path,
                item.task.line,
            )
            for item in tasks[:FOLLOW_UPS_SHOWN]
        ),
        follow_ups_total=len(tasks),
        overdue_follow_ups=sum(1 for item in tasks if item.overdue),
        favours_owed=tuple(
            FavourOwed(people.of(f.contact), f.given, f.received, f.owed)
            for f in owed[:FAVOURS_SHOWN]
        ),
        favours_owed_total=len(owed),
        intros=_intros(index, today, people),
        changes=_changes(index, previous, people),
        graph_min_tie=graph_min_tie,
        mermaid=to_mermaid(build_graph(index, graph_min_tie)),
        picture=circles(index, states),
    )


class _People:
    """Person records, with wikilink targets that resolve to exactly their note."""

    def __init__(self, index: Index) -> None:
        self.index = index

    def of(self, contact: Contact) -> Person:
        stem = PurePosixPath(contact.path).stem
        no_suffix = contact.path[:-3] if contact.path.lower().endswith(".md") else contact.path
        target = stem if self.index.resolve(stem) == contact.path else no_suffix
        return Person(contact.name, contact.path, target, contact.tie, contact.is_oak)


def _is_due(item: DueItem) -> bool:
    return item.days_overdue is None or item.days_overdue >= 0


def _status(item: DueItem | None) -> DueStatus:
    if item is None:
        return "none"
    if item.days_overdue is None or (item.ratio is not None and item.ratio > 0.5):
        return "long"
    if item.days_overdue > 0:
        return "overdue"
    if item.days_overdue >= -SOON_DAYS:
        return "soon"
    return "ok"


def _due_entry(people: _People, item: DueItem) -> DueEntry:
    return DueEntry(
        people.of(item.contact),
        item.cadence_days,
        item.last_contact,
        item.days_overdue,
        _status(item),
    )


def _counts(index: Index) -> Counts:
    contacts = index.contacts
    by_tie = Counter(c.tie for c in contacts)
    ties = [TieCount(t, TIE_LABELS[t], by_tie.get(t, 0)) for t in range(5, 0, -1)]
    if by_tie.get(None):
        ties.append(TieCount(None, "no tie set", by_tie[None]))
    relationships = Counter(r for c in contacts for r in c.relationship)
    errors, warnings = count_problems(vault_problems(index))
    report_note = 1 if index.config.report_path in index.notes else 0
    return Counts(
        contacts=len(contacts),
        notes=len(index.notes) - report_note,
        by_tie=tuple(ties),
        by_relationship=tuple(sorted(relationships.items(), key=lambda kv: (-kv[1], kv[0]))),
        met_in_person=sum(1 for c in contacts if index.met_in_person(c)),
        errors=errors,
        warnings=warnings,
    )


def _intros(index: Index, today: date, people: _People) -> IntroSection:
    hub = hub_stats(index)
    rate = hub.acceptance_rate
    return IntroSection(
        total=hub.total,
        open=hub.open,
        made=hub.made,
        declined=hub.declined,
        clicked=hub.clicked,
        business=hub.business,
        answered=hub.answered,
        accepted=hub.accepted,
        acceptance_percent=round(rate * 100) if rate is not None else None,
        connected_most=tuple((people.of(c), n) for c, n in hub.connected_most),
        never_introduced=tuple(people.of(c) for c in hub.never_introduced[:NEVER_INTRODUCED_SHOWN]),
        never_introduced_total=len(hub.never_introduced),
        waiting=tuple(WaitingEntry(w.intro.id, w.pending, w.days) for w in waiting(index, today)),
    )


def _changes(index: Index, previous: Snapshot | None, people: _People) -> Changes:
    if previous is None:
        return Changes(None, (), (), (), (), 0)
    now = {c.path: c for c in index.contacts}
    added = [people.of(now[p]) for p in now if p not in previous.contacts]
    removed = sorted(
        (previous.contacts[p][0] for p in previous.contacts if p not in now), key=str.casefold
    )
    up: list[TieChange] = []
    down: list[TieChange] = []
    for path, contact in now.items():
        if path not in previous.contacts:
            continue
        before, after = previous.contacts[path][1], contact.tie
        if (before or 0) < (after or 0):
            up.append(TieChange(people.of(contact), before, after))
        elif (before or 0) > (after or 0):
            down.append(TieChange(people.of(contact), before, after))
    total = len(added) + len(removed) + len(up) + len(down)
    return Changes(
        previous.generated,
        tuple(added[:CHANGES_SHOWN]),
        tuple(removed[:CHANGES_SHOWN]),
        tuple(up[:CHANGES_SHOWN]),
        tuple(down[:CHANGES_SHOWN]),
        total,
    )


def _graph_min_tie(index: Index) -> int:
    min_tie = GRAPH_MIN_TIE
    while min_tie < 5 and sum(1 for c in index.contacts if (c.tie or 0) >= min_tie) > (
        GRAPH_MAX_PEOPLE
    ):
        min_tie += 1
    return min_tie


# ---- the picture of your circles ---------------------------------------------------------

CENTRE_RADIUS = 46.0
RING_GAP = 100.0
# Room along a ring for one person's dot and label, and the most drawn on one ring.
DOT_SPACING = 100.0
MAX_ON_RING = 40
LABEL_ROOM = 170.0  # left and right of the outer ring, for its labels
LABEL_HEIGHT = 40.0  # above and below it
# The templates draw names and ring titles at 15 px; an average glyph is about this wide.
GLYPH_WIDTH = 8.5


def circles(index: Index, states: Mapping[str, DueItem]) -> Picture:
    """One ring per tie (5 innermost, then 4 ... 1, then "no tie" if anyone lacks one); each
    person a dot on their ring, evenly spread over the ring but for a gap at the top where
    the ring's title sits. A ring grows when its people need the room."""
    groups: list[tuple[int | None, list[Contact]]] = [
        (tie, [c for c in index.contacts if c.tie == tie]) for tie in range(5, 0, -1)
    ]
    untied = [c for c in index.contacts if c.tie is None]
    if untied:
        groups.append((None, untied))
    rings: list[Ring] = []
    dots: list[Dot] = []
    radius = CENTRE_RADIUS
    for tie, members in groups:
        shown = members[:MAX_ON_RING]
        hidden = len(members) - len(shown)
        name = f"{tie} · {TIE_LABELS[tie]}" if tie is not None else "no tie set"
        title = f"{name} ({len(members)}" + (f", {hidden} not shown)" if hidden else ")")
        title_room = len(title) * GLYPH_WIDTH + 30
        radius = max(radius + RING_GAP, (len(shown) * DOT_SPACING + title_room) / (2 * math.pi))
        gap = min(title_room / radius, math.pi)
        rings.append(Ring(tie, title, round(radius, 1), len(members), hidden))
        step = (2 * math.pi - gap) / max(len(shown), 1)
        for position, contact in enumerate(shown):
            angle = -math.pi / 2 + gap / 2 + (position + 0.5) * step
            x, y = radius * math.cos(angle), radius * math.sin(angle)
            right = math.cos(angle) >= 0
            dots.append(
                Dot(
                    name=contact.name,
                    x=round(x, 1),
                    y=round(y, 1),
                    status=_status(states.get(contact.path)),
                    anchor="start" if right else "end",
                    label_x=round(x + (11 if right else -11), 1),
                    label_y=round(y + 5, 1),
                    oak=contact.is_oak,
                )
            )
    return Picture(
        round(radius + LABEL_ROOM, 1), round(radius + LABEL_HEIGHT, 1), tuple(rings), tuple(dots)
    )


# ---- rendering -----------------------------------------------------------------------------

# Characters that could start a link, tag, emphasis, highlight, math, comment or HTML.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$=%])")


def markdown_text(text: str) -> str:
    """Plain text that markdown (and Obsidian) shows as written."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def wikilink(person: Person) -> str:
    """`[[Ada Okafor]]`, or `[[people/x/Ada|Ada O.]]` when the file name is not the name."""
    if person.target == person.name:
        return f"[[{person.target}]]"
    if re.search(r"[\[\]|]", person.name):
        return f"[[{person.target}]]"
    return f"[[{person.target}|{person.name}]]"




def render_report(report: Report, fmt: ReportFormat, vault_root: Path | None = None) -> str:
    """The report as markdown or HTML, from the vault's template override if it has one."""
    # environment() is cached per vault, so watch does not recompile on every change.
    return environment(vault_root).get_template(TEMPLATES[fmt]).render(
        report=report,
        wikilink=wikilink,
        md=markdown_text,
        plain=link_text,
        tie_labels=TIE_LABELS,
        status_labels=STATUS_LABELS,
    )


def write_markdown_report(index: Index, today: date) -> Path:
    """Render the markdown report to the configured `report_path`, comparing with the saved
    state without moving it forward (that is the `report` command's job). Used by `watch`."""
    report = gather(index, today, load_snapshot(index.root))
    target = report_target(index.root, index.config, "md")
    write_report_file(target, render_report(report, "md", index.root), "md")
    return target.path


# ---- JSON ----------------------------------------------------------------------------------


def report_json(report: Report) -> dict[str, Any]:
    """The report as one JSON document (dates ISO 8601); the picture's geometry left out."""

    def person(p: Person) -> dict[str, Any]:
        return {"name": p.name, "path": p.path, "tie": p.tie, "oak": p.oak}

    def due_entry(entry: DueEntry) -> dict[str, Any]:
        return {
            **person(entry.person),
            "cadence_days": entry.cadence_days,
            "last_contact": _iso(entry.last_contact),
            "days_overdue": entry.days_overdue,
            "status": entry.status,
        }

    def tie_change(change: TieChange) -> dict[str, Any]:
        return {**person(change.person), "before": change.before, "after": change.after}

    counts, oak, intros, changes = report.counts, report.oaks, report.intros, report.changes
    return {
        "today": report.today.isoformat(),
        "owner": report.owner,
        "counts": {
            "contacts": counts.contacts,
            "notes": counts.notes,
            "by_tie": {str(t.tie) if t.tie else "none": t.count for t in counts.by_tie},
            "by_relationship": dict(counts.by_relationship),
            "met_in_person": counts.met_in_person,
            "errors": counts.errors,
            "warnings": counts.warnings,
        },
        "due": {"total": report.due_total, "shown": [due_entry(d) for d in report.due]},
        "moves": {
            "total": report.moves_total,
            "days": report.moves_days,
            "shown": [
                {**person(m.person), "date": m.date.isoformat(), "text": m.text,
                 "days_ago": m.days_ago}
                for m in report.moves
            ],
        },
        "oaks": {
            "circle": [person(p) for p in oak.circle],
            "max_size": oak.max_size,
            "min_years": oak.min_years,
            "too_many": oak.too_many,
            "neglected": [due_entry(d) for d in oak.neglected],
            "untested": [{**person(f.person), "reason": f.reason} for f in oak.untested],
            "candidates": [{**person(f.person), "reasons": f.reason} for f in oak.candidates],
        },
        "unmet": {
            "total": report.unmet_total,
            "shown": [
                {**person(u.person), "last_contact": _iso(u.last_contact)} for u in report.unmet
            ],
        },
        "follow_ups": {
            "total": report.follow_ups_total,
            "overdue": report.overdue_follow_ups,
            "shown": [
                {
                    "text": f.text,
                    "due": _iso(f.due),
                    "days_overdue": f.days_overdue,
                    "people": [p.name for p in f.people],
                    "path": f.path,
                    "line": f.line,
                }
                for f in report.follow_ups
            ],
        },
        "favours_owed": {
            "total": report.favours_owed_total,
            "shown": [
                {**person(f.person), "given": f.given, "received": f.received, "owed": f.owed}
                for f in report.favours_owed
            ],
        },
        "intros": {
            "total": intros.total,
            "open": intros.open,
            "made": intros.made,
            "declined": intros.declined,
            "clicked": intros.clicked,
            "business": intros.business,
            "answered": intros.answered,
            "accepted": intros.accepted,
            "acceptance_percent": intros.acceptance_percent,
            "connected_most": [{**person(p), "intros": n} for p, n in intros.connected_most],
            "never_introduced": [person(p) for p in intros.never_introduced],
            "never_introduced_total": intros.never_introduced_total,
            "waiting": [
                {"intro": w.intro, "pending": list(w.pending), "days": w.days}
                for w in intros.waiting
            ],
        },
        "changes": {
            "since": _iso(changes.since),
            "total": changes.total,
            "added": [person(p) for p in changes.added],
            "removed": list(changes.removed),
            "ties_up": [tie_change(c) for c in changes.ties_up],
            "ties_down": [tie_change(c) for c in changes.ties_down],
        },
        "graph_min_tie": report.graph_min_tie,
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
