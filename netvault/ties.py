"""Keeping ties alive: who is due, the oak-tree circle, face to face, follow-ups, favours.

Every function is pure: it reads an `Index` and takes `today` as a parameter, so the
answers are reproducible and testable with any date.

Rules decided here (see docs/tend.md):
- The keep-in-touch clock runs from the last contact (`last_met` or the latest logged or
  mentioned interaction, whichever is later). Someone with neither is "never in touch": no
  clock runs and nothing is overdue (`first_met` alone says when you met, not that you have
  kept in touch since), and they come after everyone overdue, shortest cadence first.
- A contact marked `oak: true` keeps the tie-5 cadence whatever their tie: an oak you do
  not keep is no oak.
- An oak candidate is tie 4, known `oaks_min_years` or more, not overdue, and in touch on
  at least `CANDIDATE_MIN_CONTACT_DAYS` different days in the last twelve months.
- A recent move is a `## Career` line dated from `RECENT_MOVE_DAYS` days before today up to
  today: a new job is the moment to congratulate someone and get back in touch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from .config import Config
from .dates import add_days
from .index import Index
from .model import Contact, Interaction, Move, Task
from .text import fold

if TYPE_CHECKING:
    from .intros import WaitingIntro

# "Regular contact" for an oak candidate: in touch on this many different days in a year.
CANDIDATE_MIN_CONTACT_DAYS = 2
OAK_TIE = 5

CadenceSource = Literal["note", "tie", "oak"]


def _name_key(contact: Contact) -> tuple[str, str]:
    return fold(contact.name), contact.path


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier; 29 February becomes the 28th in common years."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def full_years(since: date, today: date) -> int:
    """Whole years from `since` to `today` (0 when `since` is later)."""
    years = today.year - since.year - ((today.month, today.day) < (since.month, since.day))
    return max(years, 0)


# ---- keep in touch ------------------------------------------------------------------------


def cadence_source(contact: Contact, config: Config) -> tuple[int, CadenceSource] | None:
    """How often to be in touch, in days, and where that comes from; None for no cadence."""
    if contact.cadence_days is not None:
        return contact.cadence_days, "note"
    if contact.oak and contact.tie != OAK_TIE:
        by_oak = config.cadence_by_tie.get(OAK_TIE)
        return (by_oak, "oak") if by_oak is not None else None
    by_tie = config.cadence_by_tie.get(contact.tie) if contact.tie is not None else None
    return (by_tie, "tie") if by_tie is not None else None


def cadence_for(contact: Contact, config: Config) -> int | None:
    """Days between contacts: the note's `cadence`, else the default for the tie."""
    found = cadence_source(contact, config)
    return found[0] if found else None


@dataclass(frozen=True, slots=True)
class DueItem:
    contact: Contact
    cadence_days: int
    cadence_from: CadenceSource
    last_contact: date | None
    # The day contact became (or becomes) due; None when never in touch.
    due_on: date | None
    days_overdue: int | None  # negative: due in that many days; None: never in touch
    ratio: float | None  # days_overdue / cadence_days
    # Asked for the details below; a list of everyone's state (the report's) never reads them.
    index: Index = field(repr=False, compare=False)
    today: date = field(repr=False, compare=False)

    @property
    def last_interaction(self) -> Interaction | None:
        return self.index.last_interaction(self.contact, self.today)

    @property
    def open_tasks(self) -> tuple[Task, ...]:
        return tuple(self.index.tasks(self.contact))

    @property
    def never_in_touch(self) -> bool:
        return self.last_contact is None


def _due_item(index: Index, contact: Contact, today: date) -> DueItem | None:
    """The keep-in-touch state of one contact; None when the contact has no cadence."""
    found = cadence_source(contact, index.config)
    if found is None:
        return None
    cadence, source = found
    last = index.last_contact(contact, today)
    due_on = add_days(last, cadence) if last else None
    days_overdue = (today - due_on).days if due_on else None
    return DueItem(
        contact=contact,
        cadence_days=cadence,
        cadence_from=source,
        last_contact=last,
        due_on=due_on,
        days_overdue=days_overdue,
        ratio=days_overdue / cadence if days_overdue is not None else None,
        index=index,
        today=today,
    )


def _due_order(item: DueItem) -> tuple[int, float, str, str]:
    if item.ratio is None:
        return (1, item.cadence_days, *_name_key(item.contact))
    return (0, -item.ratio, *_name_key(item.contact))


def due(index: Index, today: date, within_days: int = 0) -> list[DueItem]:
    """Contacts due for contact today (or within `within_days`), most overdue for their cadence
    first; then those never in touch, shortest cadence first."""
    found: list[DueItem] = []
    cadenced = [t for t, days in index.config.cadence_by_tie.items() if days is not None]
    for contact in index.contacts_that_may_have_a_cadence(cadenced):
        item = _due_item(index, contact, today)
        if item is None:
            continue
        if item.days_overdue is None or item.days_overdue >= -within_days:
            found.append(item)
    found.sort(key=_due_order)
    return found


def contact_days(index: Index, contact: Contact, since: date, today: date) -> int:
    """Different days in (since, today] on which you were in touch with the contact."""
    days = {i.date for i in index.interactions(contact) if since < i.date <= today}
    if contact.last_met and since < contact.last_met <= today:
        days.add(contact.last_met)
    return len(days)


# ---- the oak-tree circle ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UntestedOak:
    contact: Contact
    years_known: int | None  # None: first_met unknown
    reason: str


@dataclass(frozen=True, slots=True)
class OakCandidate:
    contact: Contact
    years_known: int
    contact_days_last_year: int
    last_contact: date | None
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OakReport:
    circle: tuple[Contact, ...]
    max_size: int
    min_years: int
    neglected: tuple[DueItem, ...]
    untested: tuple[UntestedOak, ...]
    candidates: tuple[OakCandidate, ...]

    @property
    def too_many(self) -> bool:
        return len(self.circle) > self.max_size


def _untested(contact: Contact, today: date, min_years: int) -> UntestedOak | None:
    if contact.first_met is None:
        return UntestedOak(
            contact, None, "first_met unknown: cannot tell how long you have known them"
        )
    years = full_years(contact.first_met, today)
    if contact.first_met > years_before(today, min_years):
        known = f"{years} year{'s' if years != 1 else ''}" if years else "under a year"
        return UntestedOak(
            contact,
            years,
            f"first met {contact.first_met.isoformat()}: known {known}, under {min_years}",
        )
    return None


def _may_be_candidate(contact: Contact, today: date, min_years: int, overdue: set[str]) -> bool:
    first = contact.first_met
    return not (
        contact.tie != 4 or contact.is_oak or first is None or contact.path in overdue
        or first > years_before(today, min_years)
    )


def _candidate(
    index: Index, contact: Contact, today: date, min_years: int, overdue: set[str]
) -> OakCandidate | None:
    first = contact.first_met
    if first is None or not _may_be_candidate(contact, today, min_years, overdue):
        return None
    in_touch = contact_days(index, contact, years_before(today, 1), today)
    if in_touch < CANDIDATE_MIN_CONTACT_DAYS:
        return None
    years = full_years(first, today)
    last = index.last_contact(contact, today)
    reasons = [
        "tie 4 (trusted)",
        f"known {years} years (first met {first.isoformat()})",
        f"in touch on {in_touch} days in the last 12 months"
        + (f", last {last.isoformat()}" if last else ""),
    ]
    if index.met_in_person(contact):
        reasons.append("met in person")
    if contact.relationship:
        reasons.append(", ".join(contact.relationship))
    return OakCandidate(contact, years, in_touch, last, tuple(reasons))


def oaks(index: Index, today: date, overdue: Sequence[DueItem] | None = None) -> OakReport:
    """The oak-tree circle: its size against the limit, who is neglected or not yet
    time-tested, and who could join it. `overdue`: what `due(index, today)` gives, if the
    caller has it already."""
    config = index.config
    circle = tuple(c for c in index.contacts if c.is_oak)
    if overdue is None:
        overdue = due(index, today)
    neglected = tuple(item for item in overdue if item.contact.is_oak)
    untested = tuple(
        flag for c in circle if (flag := _untested(c, today, config.oaks_min_years)) is not None
    )
    overdue_paths = {item.contact.path for item in overdue}
    possible = [
        c for c in index.contacts
        if _may_be_candidate(c, today, config.oaks_min_years, overdue_paths)
    ]
    index.load_interactions(possible)
    candidates = [
        found
        for c in possible
        if (found := _candidate(index, c, today, config.oaks_min_years, overdue_paths)) is not None
    ]
    candidates.sort(
        key=lambda c: (-c.contact_days_last_year, -c.years_known, *_name_key(c.contact))
    )
    return OakReport(
        circle=circle,
        max_size=config.oaks_max,
        min_years=config.oaks_min_years,
        neglected=neglected,
        untested=untested,
        candidates=tuple(candidates),
    )


# ---- face to face -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnmetItem:
    contact: Contact
    last_contact: date | None
    last_interaction: Interaction | None


def unmet(index: Index, today: date) -> list[UnmetItem]:
    """Contacts with tie 2 or more never met in person: closest tie first, then the most
    recently in touch, then those never in touch."""
    found = [
        UnmetItem(c, index.last_contact(c, today), index.last_interaction(c, today))
        for c in index.contacts_with_tie(2, met_in_person=False)
    ]
    found.sort(
        key=lambda u: (
            -(u.contact.tie or 0),
            -(u.last_contact or date.min).toordinal(),
            *_name_key(u.contact),
        )
    )
    return found


# ---- follow-ups ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TodoItem:
    task: Task
    people: tuple[Contact, ...]
    days_overdue: int | None  # None: no due date; 0: due today; negative: due later

    @property
    def overdue(self) -> bool:
        return self.days_overdue is not None and self.days_overdue > 0


def todo(index: Index, today: date, overdue_only: bool = False) -> list[TodoItem]:
    """Open tasks across the vault: overdue (oldest due date first), then due later, then
    undated."""
    found = [
        TodoItem(task, tuple(people), (today - task.due).days if task.due else None)
        for task, people in index.all_tasks()
    ]
    if overdue_only:
        found = [item for item in found if item.overdue]
    found.sort(key=lambda t: (t.task.due is None, t.task.due or date.max, t.task.path, t.task.line))
    return found


# ---- favours ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FavorBalance:
    contact: Contact
    given: int
    received: int

    @property
    def owed(self) -> int:
        """How many more favours you received than gave: what you owe them."""
        return self.received - self.given


def favors(index: Index, person: Contact | None = None) -> list[FavorBalance]:
    """Favours (`#gave` / `#got` in the log) per person, those you owe most first.
    People with none are left out, unless `person` names them."""
    people = [person] if person is not None else index.contacts
    found = []
    for contact in people:
        given, received = index.favors(contact)
        if given or received or person is not None:
            found.append(FavorBalance(contact, given, received))
    found.sort(key=lambda f: (-f.owed, -(f.given + f.received), *_name_key(f.contact)))
    return found


# ---- birthdays ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BirthdayItem:
    contact: Contact
    on: date
    days_until: int
    turning: int | None  # the age they reach, when the birth year is known


def _birthday_in(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:  # 29 February in a common year
        return date(year, month, 28)


def birthdays(index: Index, today: date, days: int = 7) -> list[BirthdayItem]:
    """Birthdays from today to `days` days ahead (inclusive), soonest first."""
    found = []
    for contact in index.contacts:
        born = contact.birthday
        if born is None:
            continue
        on = _birthday_in(today.year, born.month, born.day)
        if on < today:
            on = _birthday_in(today.year + 1, born.month, born.day)
        until = (on - today).days
        if until > days:
            continue
        turning = on.year - born.year if born.year is not None and born.year < on.year else None
        found.append(BirthdayItem(contact, on, until, turning))
    found.sort(key=lambda b: (b.days_until, *_name_key(b.contact)))
    return found


# ---- job changes --------------------------------------------------------------------------

# A move this many days old or newer is still news worth getting in touch about.
RECENT_MOVE_DAYS = 90


@dataclass(frozen=True, slots=True)
class RecentMove:
    contact: Contact
    move: Move  # their latest `## Career` line in the window
    days_ago: int


def recent_moves(index: Index, today: date, days: int = RECENT_MOVE_DAYS) -> list[RecentMove]:
    """Contacts with a `## Career` line dated from `days` days before today up to today, each
    with the latest such line, newest first. A line dated after today (a job that has not
    started) is not news yet."""
    found = []
    for contact in index.contacts_with_moves():
        recent = [m for m in contact.moves if 0 <= (today - m.date).days <= days]
        if recent:
            latest = max(recent, key=lambda m: (m.date, m.line))
            found.append(RecentMove(contact, latest, (today - latest.date).days))
    found.sort(key=lambda r: (r.days_ago, *_name_key(r.contact)))
    return found


# ---- the daily digest ---------------------------------------------------------------------

DIGEST_BIRTHDAY_DAYS = 7


@dataclass(frozen=True, slots=True)
class Digest:
    day: date
    due: tuple[DueItem, ...]
    tasks: tuple[TodoItem, ...]  # due today or overdue
    birthdays: tuple[BirthdayItem, ...]
    intros_waiting: tuple[WaitingIntro, ...]  # asked intros still unanswered after a week
    moves: tuple[RecentMove, ...]  # changed jobs lately: a reason to get in touch

    @property
    def empty(self) -> bool:
        return not (
            self.due or self.tasks or self.birthdays or self.intros_waiting or self.moves
        )


def digest(index: Index, today: date) -> Digest:
    """What to do about the network today: who is due, follow-ups due, birthdays this week,
    introductions waiting for an answer, who changed jobs lately."""
    # Imported here: intros pulls in the template machinery, which due/oaks/... never need.
    from .intros import waiting

    return Digest(
        day=today,
        due=tuple(due(index, today)),
        tasks=tuple(
            item
            for item in todo(index, today)
            if item.days_overdue is not None and item.days_overdue >= 0
        ),
        birthdays=tuple(birthdays(index, today, DIGEST_BIRTHDAY_DAYS)),
        intros_waiting=tuple(waiting(index, today)),
        moves=tuple(recent_moves(index, today)),
    )
