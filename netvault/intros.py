"""Introductions: intro notes, guard rails, double opt-in drafts, outcomes, suggestions, hub.

An introduction is a note in the intros folder (`type: intro`) with front-matter
`a`/`b` (wikilinks to the two contacts), `status` (asked, made, declined, clicked, business),
`a_said`/`b_said` (pending, yes or no; YAML `yes`/`true` and `no`/`false` are read too),
`why`, `created`, and `override`/`overridden` when guard rails were overridden.

Nothing is drafted unless every guard rail passes (or is overridden with a reason; a consent
`no` never is). Drafts to one person never carry the other's e-mail or phone unless the
other agreed: their answer for this intro (`a_shares`/`b_shares`), else their `share-contact`
consent. The ask templates are never given contact details at all, the connect templates only
the shareable ones, and every rendered draft is checked once more, for the details of anyone
but its recipient who has not agreed, in any spelling (`privacy.Masker`), so that a `--why`
or a custom template cannot leak them either.

Core only: no Click. Everything takes the index and `today`; only `write_intro` and
`apply_update` write, through `netvault.edit` and `netvault.write`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .index import Index
from .model import TIE_LABELS, Contact, Note, Problem, Severity
from .names import BadName, check_note_name
from .parse import fold, link_target, parse_note

# Jinja, the `email` package and the editor are imported where drafts are made or notes
# written: `netvault today` reads `waiting()` on every run and should not pay for them.
if TYPE_CHECKING:
    import jinja2

IntroStatus = Literal["asked", "made", "declined", "clicked", "business"]
Answer = Literal["pending", "yes", "no"]
Outcome = Literal["made", "declined", "clicked", "business"]

STATUSES: tuple[IntroStatus, ...] = ("asked", "made", "declined", "clicked", "business")
# "clicked" and "business" are outcomes of an intro that was made.
MADE_STATUSES: frozenset[str] = frozenset({"made", "clicked", "business"})
WAIT_DAYS = 7
WINDOW_DAYS = 30
STRONG_TIE = 4
LOG_HEADING = "## Log"
CONNECT_HEADING = "## Connect"

RAIL_TIE = "tie"
RAIL_MET = "met-in-person"
RAIL_CONSENT = "consent"
RAIL_CONNECTED = "already-connected"
RAIL_DECLINED = "declined-before"
RAIL_TOO_MANY = "too-many-intros"
# A person's "no" is final: no override reason passes it.
NOT_OVERRIDABLE = frozenset({RAIL_CONSENT})

_ANSWERS: dict[object, Answer] = {
    True: "yes",
    False: "no",
    "yes": "yes",
    "y": "yes",
    "true": "yes",
    "no": "no",
    "n": "no",
    "false": "no",
    "pending": "pending",
    "ask": "pending",
    "asked": "pending",
}
_WIKILINK_VALUE = re.compile(r"^\[\[([^\[\]]+)\]\]$")
_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_SAME_WORD = 85
_FUZZY_MIN_LENGTH = 5
_WORD = re.compile(r"[^\W_]+")
_STOPWORDS = frozenset({"a", "an", "and", "the", "of", "for", "to", "in", "on", "with", "or", "at"})
_SUGGEST_MIN_SCORE = 2
# Tags netvault itself gives meaning to say nothing about whether two people would click.
_MARKER_TAGS = frozenset({"oak"})


# ---------------------------------------------------------------------------- records

# Records a problem about one front-matter key: (key, severity, message).
_ProblemSink = Callable[[str, Severity, str], None]


@dataclass(frozen=True, slots=True)
class Intro:
    """One introduction, as its note says. `a_path`/`b_path` are None for unknown people."""

    id: str
    path: str
    a: str
    b: str
    a_path: str | None
    b_path: str | None
    status: IntroStatus
    a_said: Answer
    b_said: Answer
    why: str
    created: date | None
    override: str | None = None
    overridden: tuple[str, ...] = ()
    # Each side's answer to "may I pass your e-mail and phone on?" for this intro.
    a_shares: Answer = "pending"
    b_shares: Answer = "pending"

    def involves(self, path: str) -> bool:
        return path in (self.a_path, self.b_path)

    def between(self, first: str, second: str) -> bool:
        return {self.a_path, self.b_path} == {first, second}

    @property
    def both_yes(self) -> bool:
        return self.a_said == "yes" and self.b_said == "yes"

    @property
    def someone_said_no(self) -> bool:
        return "no" in (self.a_said, self.b_said)

    @property
    def made(self) -> bool:
        return self.status in MADE_STATUSES

    @property
    def pending(self) -> tuple[str, ...]:
        """Who has not answered yet."""
        return tuple(
            name
            for name, said in ((self.a, self.a_said), (self.b, self.b_said))
            if said == "pending"
        )


@dataclass(frozen=True, slots=True)
class WaitingIntro:
    intro: Intro
    pending: tuple[str, ...]
    days: int


def read_intros(index: Index) -> tuple[list[Intro], list[Problem]]:
    """Every intro note of the intros folder, oldest first, and what is wrong with them."""
    found: list[Intro] = []
    problems: list[Problem] = []
    for note in index.intro_notes():
        intro, note_problems = intro_from_note(index, note)
        problems.extend(note_problems)
        if intro is not None:
            found.append(intro)
    found.sort(key=lambda i: (i.created or date.min, fold(i.id)))
    return found, problems


def intro_from_note(index: Index, note: Note) -> tuple[Intro | None, list[Problem]]:
    meta = note.meta
    problems: list[Problem] = []

    def problem(key: str, severity: Severity, message: str) -> None:
        problems.append(
            Problem(note.path, note.key_lines.get(key, 1), severity, "bad-intro", message)
        )

    people: dict[str, tuple[str, str | None]] = {}
    for side in ("a", "b"):
        person = _person(index, meta.get(side))
        if person is None:
            problem(side, "error", f"{side} must name a contact as a [[wikilink]]")
        else:
            if person[1] is None:
                problem(side, "warning", f"{side}: [[{person[0]}]] is not a contact note")
            people[side] = person
    if len(people) < 2:
        return None, problems

    status: IntroStatus = "asked"
    raw_status = meta.get("status")
    if raw_status is not None:
        word = fold(str(raw_status))
        matched = [s for s in STATUSES if s == word]
        if matched:
            status = matched[0]
        else:
            problem(
                "status", "warning", f"status must be one of {', '.join(STATUSES)}; read as asked"
            )

    answers: dict[str, Answer] = {}
    for key in ("a_said", "b_said", "a_shares", "b_shares"):
        raw = meta.get(key)
        lookup_key = fold(raw) if isinstance(raw, str) else raw
        if raw is None or raw == "":
            answers[key] = "pending"
        elif isinstance(lookup_key, bool | str) and lookup_key in _ANSWERS:
            answers[key] = _ANSWERS[lookup_key]
        else:
            problem(key, "warning", f"{key} must be pending, yes or no; read as pending")
            answers[key] = "pending"

    created = _created(note, problem)
    override = meta.get("override")
    overridden = meta.get("overridden")
    return (
        Intro(
            id=note.title,
            path=note.path,
            a=people["a"][0],
            b=people["b"][0],
            a_path=people["a"][1],
            b_path=people["b"][1],
            status=status,
            a_said=answers["a_said"],
            b_said=answers["b_said"],
            why=" ".join(str(meta.get("why") or "").split()),
            created=created,
            override=str(override) if override not in (None, "") else None,
            overridden=tuple(str(x) for x in overridden) if isinstance(overridden, list) else (),
            a_shares=answers["a_shares"],
            b_shares=answers["b_shares"],
        ),
        problems,
    )


def _person(index: Index, value: object) -> tuple[str, str | None] | None:
    """(name, contact path) for a front-matter value like "[[Ada Okafor]]"."""
    # Unquoted, YAML reads [[Ada Okafor]] as a list holding a list: accept that too.
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    match = _WIKILINK_VALUE.match(text)
    target = link_target(match.group(1)) if match else text
    if not target:
        return None
    path = index.resolve(target)
    contact = index.contact_at(path) if path else None
    if contact is None:
        return target, None
    return contact.name, contact.path


def _created(note: Note, problem: _ProblemSink) -> date | None:
    raw = note.meta.get("created")
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    prefix = _DATE_PREFIX.match(note.title)
    if prefix:
        try:
            day = date.fromisoformat(prefix.group(1))
        except ValueError:
            day = None
        if day is not None:
            if raw is not None:
                problem("created", "warning", "created is not a date; the file name's date is used")
            return day
    problem("created", "warning", "created must be a date (YYYY-MM-DD)")
    return None


def waiting(index: Index, today: date) -> list[WaitingIntro]:
    """Asked intros where someone has not answered for more than a week, longest wait first."""
    found: list[WaitingIntro] = []
    for intro in read_intros(index)[0]:
        if intro.status != "asked" or intro.created is None or not intro.pending:
            continue
        days = (today - intro.created).days
        if days > WAIT_DAYS:
            found.append(WaitingIntro(intro, intro.pending, days))
    found.sort(key=lambda w: (-w.days, fold(w.intro.id)))
    return found


def find_intros(intros: Iterable[Intro], query: str) -> list[Intro]:
    """The intro whose note is `query` (name, file name or path), else all it is a prefix of,
    else every intro of the person `query` names (as `netvault.resolve` reads a name)."""
    from .resolve import NameEntry, matches

    wanted = fold(query)
    if wanted.endswith(".md"):
        wanted = wanted[:-3]
    candidates = list(intros)
    exact = [i for i in candidates if wanted in (fold(i.id), fold(i.path[:-3]))]
    if exact:
        return exact
    by_id = [
        i for i in candidates if fold(i.id).startswith(wanted) or fold(i.path).startswith(wanted)
    ]
    if by_id:
        return by_id
    people = {
        NameEntry(path or name, name)
        for i in candidates
        for name, path in ((i.a, i.a_path), (i.b, i.b_path))
    }
    named = {entry.path for entry in matches(query, people)}
    return [i for i in candidates if named & {i.a_path or i.a, i.b_path or i.b}]


# ---------------------------------------------------------------------------- guard rails


@dataclass(frozen=True, slots=True)
class RailFailure:
    rail: str
    person: str | None
    reason: str

    @property
    def overridable(self) -> bool:
        return self.rail not in NOT_OVERRIDABLE


def _tie_words(tie: int) -> str:
    return f"{tie} ({TIE_LABELS[tie]})"


def intros_in_window(intros: Iterable[Intro], person: Contact, today: date) -> int:
    """How many intros involving `person` were created in the 30 days up to and with today."""
    start = today - timedelta(days=WINDOW_DAYS)
    return sum(
        1
        for intro in intros
        if intro.involves(person.path) and intro.created and start < intro.created <= today
    )


def person_failures(
    index: Index, person: Contact, today: date, intros: Sequence[Intro]
) -> list[RailFailure]:
    """The rails that concern one person alone, in rail order."""
    config = index.config
    failures: list[RailFailure] = []
    if person.tie is None or person.tie < config.intro_min_tie:
        have = "not set" if person.tie is None else _tie_words(person.tie)
        failures.append(
            RailFailure(
                RAIL_TIE,
                person.name,
                f"your tie with {person.name} is {have}; introductions need at least "
                f"{_tie_words(config.intro_min_tie)}: never refer people you barely know",
            )
        )
    if not index.met_in_person(person):
        failures.append(
            RailFailure(
                RAIL_MET,
                person.name,
                f"you have never met {person.name} in person (no met_in_person, no in-person "
                "log line)",
            )
        )
    if person.consent.introductions == "no":
        failures.append(
            RailFailure(
                RAIL_CONSENT,
                person.name,
                f"{person.name} does not want to be introduced (consent.introductions: no)",
            )
        )
    count = intros_in_window(intros, person, today)
    if count >= config.intros_max_per_30_days:
        failures.append(
            RailFailure(
                RAIL_TOO_MANY,
                person.name,
                f"you have introduced {person.name} {count} times in the last {WINDOW_DAYS} days; "
                f"the limit is {config.intros_max_per_30_days}",
            )
        )
    return failures


def notes_connect(index: Index, a: Contact, b: Contact) -> bool:
    """One of the two notes links to the other as people who know each other do: in its text,
    a log line or `introduced_by`; not in an open task (a plan), a quote or code."""
    return index.connected(a.path, b.path)


def pair_failures(
    index: Index, a: Contact, b: Contact, intros: Sequence[Intro]
) -> list[RailFailure]:
    """The rails about the two of them together."""
    failures: list[RailFailure] = []
    earlier = [i for i in intros if i.between(a.path, b.path)]
    declined = [i for i in earlier if i.status == "declined" or i.someone_said_no]
    connections: list[str] = []
    if notes_connect(index, a, b):
        connections.append("their notes link to each other")
    made = [i for i in earlier if i not in declined and i.made]
    if made:
        connections.append("already introduced in " + ", ".join(f"[[{i.id}]]" for i in made))
    under_way = [i for i in earlier if i not in declined and not i.made]
    if under_way:
        connections.append(
            "an intro is under way in " + ", ".join(f"[[{i.id}]]" for i in under_way)
        )
    if connections:
        failures.append(
            RailFailure(
                RAIL_CONNECTED,
                None,
                f"{a.name} and {b.name} are already connected: " + "; ".join(connections),
            )
        )
    if declined:
        failures.append(
            RailFailure(
                RAIL_DECLINED,
                None,
                "an earlier intro between them was declined: "
                + ", ".join(f"[[{i.id}]]" for i in declined),
            )
        )
    return failures


def check_rails(
    index: Index, a: Contact, b: Contact, today: date, intros: Sequence[Intro] | None = None
) -> list[RailFailure]:
    """Every guard rail that fails for introducing `a` and `b`, in rail order, a before b."""
    known = read_intros(index)[0] if intros is None else intros
    per_person = person_failures(index, a, today, known) + person_failures(index, b, today, known)
    order = [RAIL_TIE, RAIL_MET, RAIL_CONSENT, RAIL_CONNECTED, RAIL_DECLINED, RAIL_TOO_MANY]
    failures = per_person + pair_failures(index, a, b, known)
    return sorted(failures, key=lambda f: order.index(f.rail))


# ---------------------------------------------------------------------------- drafts


@dataclass(frozen=True, slots=True)
class Draft:
    """One e-mail draft: the markdown kept in the intro note and the `.eml` for the outbox."""

    recipient: str
    kind: Literal["ask", "connect"]
    file_name: str
    markdown: str
    eml: bytes
    has_address: bool
    # A connect draft that gives the recipient the other's e-mail or phone.
    shares_details: bool = False


@dataclass(frozen=True, slots=True)
class Refused:
    """Why nothing was written: failed guard rails and/or other problems."""

    failures: tuple[RailFailure, ...] = ()
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IntroPlan:
    intro_id: str
    note_path: str
    note_text: str
    drafts: tuple[Draft, ...]
    override: str | None
    overridden: tuple[RailFailure, ...]


def contact_link(index: Index, contact: Contact) -> str:
    """The wikilink target that resolves to `contact`: its file name, else its path."""
    title = index.title(contact.path)
    if title is not None and index.resolve(title) == contact.path:
        return title
    return contact.path[:-3] if contact.path.lower().endswith(".md") else contact.path


def _name_label(index: Index, contact: Contact) -> str:
    """The contact's name as part of a file name, else its note's file name."""
    try:
        return check_note_name(contact.name)
    except BadName:
        return index.title(contact.path) or contact.path


def _person_context(index: Index, contact: Contact) -> dict[str, Any]:
    """What templates may know about a person: never an e-mail address or phone number."""
    from . import emails

    return {
        "name": contact.name,
        "first_name": contact.name.split()[0] if contact.name.split() else contact.name,
        "company": contact.company or "",
        "role": contact.role or "",
        "link": f"[[{contact_link(index, contact)}]]",
        "has_email": emails.first_mailbox(contact.name, contact.emails) is not None,
    }


def may_share(contact: Contact, answer: Answer = "pending") -> bool:
    """Whether `contact`'s e-mail and phone may go to the person they are introduced to: their
    answer for this intro if they gave one, else their `share-contact` consent."""
    if answer != "pending":
        return answer == "yes"
    return contact.consent.share_contact == "yes"


def shareable(contact: Contact, allowed: bool) -> dict[str, list[str]]:
    """The contact details to pass on: all of them when `allowed`, else none."""
    if not allowed:
        return {"emails": [], "phones": []}
    return {"emails": list(contact.emails), "phones": list(contact.phones)}


def _quoted(body: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in body.rstrip("\n").split("\n"))


def render_draft(
    index: Index,
    templates: jinja2.Environment,
    kind: Literal["ask", "connect"],
    recipient: Contact,
    other: Contact,
    why: str,
    intro_id: str,
    share_other: bool = False,
) -> Draft:
    """One draft to `recipient` about `other`, with `other`'s contact details only in a
    connect draft and when `share_other`; BadDraftTemplate or a jinja2 error if it fails."""
    from . import emails

    context: dict[str, Any] = {
        "recipient": _person_context(index, recipient),
        "other": _person_context(index, other),
        "why": why,
        "owner": {"name": emails.header_text(index.config.owner_name)},
    }
    if kind == "connect":
        context["shared"] = shareable(other, share_other)
    eml_template = f"intro-{kind}.eml.j2"
    text = emails.split_rendered(
        templates.get_template(eml_template).render(**context), eml_template
    )
    markdown = templates.get_template(f"intro-{kind}.md.j2").render(
        subject=text.subject,
        body=text.body,
        quoted_body=_quoted(text.body),
        **context,
    )
    to = emails.first_mailbox(recipient.name, recipient.emails)
    eml = emails.build_eml(
        sender=emails.mailbox(index.config.owner_name, index.config.owner_email),
        recipient=to,
        subject=text.subject,
        body=text.body,
    )
    stem = f"{intro_id} - {kind} {_name_label(index, recipient)}"
    return Draft(
        recipient=recipient.name,
        kind=kind,
        file_name=emails.file_label(stem) + ".eml",
        markdown=markdown.rstrip("\n") + "\n",
        eml=eml,
        has_address=to is not None,
        shares_details=kind == "connect" and share_other and bool(other.emails or other.phones),
    )


def _draft_leaks(
    index: Index, draft: Draft, recipient: Contact, other: Contact, allowed: bool
) -> list[str]:
    """Contact details in a draft (headers, body, markdown) of anyone but its recipient who
    did not agree to share them, in any spelling (see `privacy`): `other`'s unless `allowed`
    for this intro, everyone else's unless their share-contact consent is yes. The sender's
    own address in From is the owner's."""
    from . import emails
    from .privacy import Masker

    headers, _, body = emails.readable(draft.eml).partition("\n\n")
    shown = [line for line in headers.split("\n") if not line.startswith("From:")]
    text = "\n".join([*shown, body, draft.markdown])
    forbidden = [
        c for c in index.contacts
        if c.path not in (recipient.path, other.path) and c.consent.share_contact != "yes"
    ]
    if not allowed:
        forbidden.append(other)
    exempt = [recipient, other] if allowed else [recipient]
    problems: list[str] = []
    for found in Masker(forbidden, exempt=exempt).findings(text):
        person = index.contact_at(found.path)
        consent = person.consent.share_contact if person is not None else "not yes"
        reason = (
            f"but {found.person} said no to sharing it for this intro"
            if consent == "yes"
            else f"but {found.person}'s consent.share-contact is {consent}"
        )
        problems.append(
            f"the {draft.kind} draft to {draft.recipient} would carry {found.person}'s "
            f"{found.detail}, {reason}"
        )
    return list(dict.fromkeys(problems))


def _render_pair(
    index: Index,
    kind: Literal["ask", "connect"],
    a: Contact,
    b: Contact,
    why: str,
    intro_id: str,
    shares: tuple[bool, bool] | None = None,
) -> tuple[Draft, ...] | Refused:
    """The two drafts, one to each; `shares`: whether a's and b's details may go to the other
    (default: as their share-contact consent says)."""
    import jinja2

    from . import emails
    from .render import environment

    templates = environment(index.root)
    if shares is None:
        shares = (may_share(a), may_share(b))
    try:
        drafts = (
            render_draft(index, templates, kind, a, b, why, intro_id, shares[1]),
            render_draft(index, templates, kind, b, a, why, intro_id, shares[0]),
        )
    except (jinja2.TemplateError, emails.BadDraftTemplate) as exc:
        return Refused(problems=(_template_problem(exc),))
    leaks = _draft_leaks(index, drafts[0], a, b, shares[1]) + _draft_leaks(
        index, drafts[1], b, a, shares[0]
    )
    if leaks:
        return Refused(problems=tuple(leaks))
    return drafts


def _template_problem(exc: Exception) -> str:
    import jinja2

    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"template {exc.name or exc.filename}: line {exc.lineno}: {exc.message}"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"template {exc.name} not found"
    return f"template error: {exc}"


def plan_intro(
    index: Index, a: Contact, b: Contact, why: str, today: date, override: str | None = None
) -> IntroPlan | Refused:
    """The intro note and the two opt-in drafts, or why not. Pure: writes nothing."""
    why = " ".join(why.split())
    override = " ".join(override.split()) if override else None
    known = read_intros(index)[0]
    failures = check_rails(index, a, b, today, known)
    if failures and (override is None or not all(f.overridable for f in failures)):
        return Refused(failures=tuple(failures))
    import jinja2

    from . import emails
    from .render import environment

    intro_id = emails.file_label(
        f"{today.isoformat()} {_name_label(index, a)} -- {_name_label(index, b)}"
    )
    note_path = f"{index.config.intros_folder}/{intro_id}.md"
    drafts = _render_pair(index, "ask", a, b, why, intro_id)
    if isinstance(drafts, Refused):
        return drafts
    overridden = tuple(dict.fromkeys(f.rail for f in failures))
    try:
        note_text = (
            environment(index.root)
            .get_template("intro-note.md.j2")
            .render(
                a=_person_context(index, a),
                b=_person_context(index, b),
                why=why,
                created=today,
                override=override if failures else None,
                overridden=list(overridden),
                asks=[d.markdown.rstrip("\n") for d in drafts],
                owner={"name": emails.header_text(index.config.owner_name)},
            )
        )
    except jinja2.TemplateError as exc:
        return Refused(problems=(_template_problem(exc),))
    problem = _check_note_reads_back(index, note_path, note_text, a, b)
    if problem:
        return Refused(problems=(problem,))
    return IntroPlan(
        intro_id=intro_id,
        note_path=note_path,
        note_text=note_text,
        drafts=drafts,
        override=override if failures else None,
        overridden=tuple(failures),
    )


def _check_note_reads_back(
    index: Index, note_path: str, text: str, a: Contact, b: Contact
) -> str | None:
    """A custom intro-note template must still produce an intro note about these two."""
    parsed = parse_note(note_path, text.encode("utf-8"), index.config.contact_rule)
    errors = [p.message for p in parsed.problems if p.severity == "error"]
    if errors:
        return f"template intro-note.md.j2 renders a broken note: {errors[0]}"
    intro, problems = intro_from_note(index, parsed.note)
    if (
        parsed.note.meta.get("type") != "intro"
        or intro is None
        or (intro.a_path, intro.b_path) != (a.path, b.path)
        or intro.status != "asked"
    ):
        detail = f": {problems[0].message}" if problems else ""
        return (
            "template intro-note.md.j2 must render front-matter type: intro, a and b as "
            f"wikilinks to the two contacts and status: asked{detail}"
        )
    return None


# ---------------------------------------------------------------------------- writing


def _already_written(root: Path, relpath: str, data: bytes) -> bool:
    """True if the file holds exactly `data` (a run interrupted after writing it); False if
    it is not there; EditRefused if something else is there or it lies behind a symlink."""
    from .edit import EditRefused
    from .vaultfs import UnsafePath, open_vault_file

    path = root / relpath
    try:
        fd = open_vault_file(root, relpath)
    except FileNotFoundError:
        return False
    except UnsafePath as exc:
        raise EditRefused(path, exc.message_for(relpath)) from None
    with os.fdopen(fd, "rb") as handle:
        if handle.read(len(data) + 1) == data:
            return True
    raise EditRefused(path, "already exists; netvault will not overwrite it")


def create_all(root: Path, files: Sequence[tuple[str, str]]) -> list[str]:
    """Create every file (vault-relative path, text) or none: refuses if one exists with
    other content; removes what it made on failure. A file that already holds exactly its
    text is left as it is, so a run killed half-way can simply be run again."""
    from .edit import create_note
    from .write import Target, WriteRefused, remove_file

    pending = [
        (relpath, text) for relpath, text in files
        if not _already_written(root, relpath, text.encode("utf-8"))
    ]
    created: list[tuple[str, str]] = []
    try:
        for relpath, text in pending:
            create_note(root, relpath, text)
            created.append((relpath, text))
    except WriteRefused:
        for relpath, text in created:
            with contextlib.suppress(WriteRefused):
                remove_file(Target.inside(root, relpath), text.encode("utf-8"))
        raise
    return [relpath for relpath, _ in created]


def write_intro(root: Path, plan: IntroPlan) -> list[str]:
    """Write the intro note and its drafts, all or nothing. Hold the vault lock around it."""
    from . import emails

    files = [(f"{emails.OUTBOX}/{d.file_name}", d.eml.decode("ascii")) for d in plan.drafts]
    files.append((plan.note_path, plan.note_text))
    return create_all(root, files)


# ---------------------------------------------------------------------------- updates


@dataclass(frozen=True, slots=True)
class IntroChange:
    a_said: Answer | None = None
    b_said: Answer | None = None
    status: Outcome | None = None
    note: str | None = None
    a_shares: Answer | None = None
    b_shares: Answer | None = None


@dataclass(frozen=True, slots=True)
class ContactLogLine:
    """A line for a contact's `## Log`, skipped if a line there already mentions the intro."""

    path: str
    line: str
    marker: str


@dataclass(frozen=True, slots=True)
class UpdatePlan:
    intro: Intro
    keys: tuple[tuple[str, str], ...]
    log_line: str | None
    connect: tuple[Draft, ...]
    contact_logs: tuple[ContactLogLine, ...]
    status: IntroStatus
    a_said: Answer
    b_said: Answer
    a_shares: Answer = "pending"
    b_shares: Answer = "pending"
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class UpdateResult:
    note_changed: bool
    drafts: tuple[str, ...]
    logged: tuple[str, ...]


def plan_update(
    index: Index, intro: Intro, change: IntroChange, today: date
) -> UpdatePlan | Refused:
    """What `change` does to `intro`, or why it cannot. Pure: writes nothing.

    A "no" from either side declines an asked intro unless a status is given. Made, clicked
    and business need a yes from both (double opt-in). The connecting drafts are rendered once,
    when the second yes arrives; the contacts' log lines whenever the intro is made or later,
    so running the update again repairs a half-written one without duplicating anything.
    """
    a = index.contact_at(intro.a_path) if intro.a_path else None
    b = index.contact_at(intro.b_path) if intro.b_path else None
    if a is None or b is None:
        missing = intro.a if a is None else intro.b
        return Refused(problems=(f"[[{missing}]] in {intro.path} is not a contact note",))
    a_said = change.a_said or intro.a_said
    b_said = change.b_said or intro.b_said
    status: IntroStatus = intro.status
    if change.status is not None:
        status = change.status
    elif "no" in (a_said, b_said) and intro.status == "asked":
        status = "declined"
    if status in MADE_STATUSES and not (a_said == "yes" and b_said == "yes"):
        waiting_for = [p.name for p, said in ((a, a_said), (b, b_said)) if said != "yes"]
        return Refused(
            problems=(
                f"cannot mark the intro {status}: {' and '.join(waiting_for)} "
                f"{'has' if len(waiting_for) == 1 else 'have'} not said yes "
                "(double opt-in: both must say yes first)",
            )
        )
    keys: list[tuple[str, str]] = []
    events: list[str] = []
    for key, person, old, new in (
        ("a_said", a, intro.a_said, a_said),
        ("b_said", b, intro.b_said, b_said),
    ):
        if new != old:
            keys.append((key, new))
            events.append(f"{person.name} said {new}")
    a_shares = change.a_shares or intro.a_shares
    b_shares = change.b_shares or intro.b_shares
    for key, person, old, new in (
        ("a_shares", a, intro.a_shares, a_shares),
        ("b_shares", b, intro.b_shares, b_shares),
    ):
        if new != old:
            keys.append((key, new))
            events.append(
                f"{person.name} {'agreed to share' if new == 'yes' else 'would rather not share'}"
                " contact details"
            )
    if status != intro.status:
        keys.append(("status", status))
        events.append(f"status {status}")
    note = " ".join(change.note.split()) if change.note else ""
    log_line: str | None = None
    if events or note:
        log_line = (
            f"- {today.isoformat()} " + "; ".join(events) + (": " if events and note else "") + note
        )

    connect: tuple[Draft, ...] = ()
    notes: list[str] = []
    if a_said == b_said == "yes" and not intro.both_yes:
        shares = (may_share(a, a_shares), may_share(b, b_shares))
        rendered = _render_pair(index, "connect", a, b, intro.why, intro.id, shares)
        if isinstance(rendered, Refused):
            return rendered
        connect = rendered
    elif intro.both_yes and (a_shares, b_shares) != (intro.a_shares, intro.b_shares):
        notes.append(
            "the connecting drafts were written when the second yes came; "
            "check what they share before you send them"
        )
    contact_logs: tuple[ContactLogLine, ...] = ()
    if status in MADE_STATUSES:
        contact_logs = tuple(
            ContactLogLine(
                path=person.path,
                line=f"- {today.isoformat()} (email) introduced to "
                f"[[{contact_link(index, other)}]] ([[{intro.id}|intro]]) #gave",
                marker=f"[[{intro.id}",
            )
            for person, other in ((a, b), (b, a))
        )
    return UpdatePlan(
        intro=intro,
        keys=tuple(keys),
        log_line=log_line,
        connect=connect,
        contact_logs=contact_logs,
        status=status,
        a_said=a_said,
        b_said=b_said,
        a_shares=a_shares,
        b_shares=b_shares,
        notes=tuple(notes),
    )


def _has_log_line(text: str, entry: ContactLogLine) -> bool:
    return any(entry.marker in line and "introduced" in line for line in text.splitlines())


def apply_update(root: Path, plan: UpdatePlan) -> UpdateResult:
    """Write an update through the safe editor. Hold the vault lock around it.

    Every edit is prepared before anything is written, so a note netvault refuses to edit
    stops the whole update; the drafts go first and are removed again if the intro note
    cannot be saved.
    """
    from . import emails
    from .edit import NoteEditor
    from .write import Target, WriteRefused, remove_file

    editor = NoteEditor.open(root, plan.intro.path)
    for key, value in plan.keys:
        editor.set_key(key, value)
    if plan.log_line:
        editor.append_under_heading(LOG_HEADING, plan.log_line)
    for draft in plan.connect:
        # Appended line by line under one heading, so blank lines cannot be kept.
        for line in draft.markdown.splitlines():
            if line.strip():
                editor.append_under_heading(CONNECT_HEADING, line)
    contact_editors: list[tuple[str, NoteEditor]] = []
    for entry in plan.contact_logs:
        contact_editor = NoteEditor.open(root, entry.path)
        if not _has_log_line(contact_editor.text, entry):
            contact_editor.append_under_heading(LOG_HEADING, entry.line)
            contact_editors.append((entry.path, contact_editor))
    drafts = {f"{emails.OUTBOX}/{d.file_name}": d.eml for d in plan.connect}
    created = create_all(root, [(path, eml.decode("ascii")) for path, eml in drafts.items()])
    try:
        changed = editor.save()
    except WriteRefused:
        for path in created:
            with contextlib.suppress(WriteRefused):
                remove_file(Target.inside(root, path), drafts[path])
        raise
    for _, contact_editor in contact_editors:
        contact_editor.save()
    return UpdateResult(
        note_changed=changed,
        drafts=tuple(d.file_name for d in plan.connect),
        logged=tuple(path for path, _ in contact_editors),
    )


# ---------------------------------------------------------------------------- suggestions


@dataclass(frozen=True, slots=True)
class Suggestion:
    a: Contact
    b: Contact
    score: int
    reasons: tuple[str, ...]


Phrase = tuple[str, frozenset[str]]  # as written, and its canonical word stems


@functools.lru_cache(maxsize=4096)
def _stems(phrase: str) -> frozenset[str]:
    """The words of a phrase that carry meaning, folded and crudely stemmed."""
    stems = set()
    for word in _WORD.findall(fold(phrase)):
        if word in _STOPWORDS:
            continue
        for suffix in ("ing", "ers", "er", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        stems.add(word)
    return frozenset(stems)


def _canonical_words(words: Iterable[str]) -> dict[str, str]:
    """One spelling for near-identical words ("visualisation", "visualization").

    Short words must match exactly: "data" and "date" are different things.
    """
    from rapidfuzz import fuzz, process

    canonical: dict[str, str] = {}
    long_words: list[str] = []
    for word in sorted(set(words)):
        match = None
        if len(word) >= _FUZZY_MIN_LENGTH and long_words:
            match = process.extractOne(word, long_words, scorer=fuzz.ratio, score_cutoff=_SAME_WORD)
        if match is not None:
            canonical[word] = match[0]
            continue
        canonical[word] = word
        if len(word) >= _FUZZY_MIN_LENGTH:
            long_words.append(word)
    return canonical


def _sets_meet(left: frozenset[str], right: frozenset[str]) -> bool:
    """One names all the other names, or most of what both name is shared."""
    if not left or not right:
        return False
    shared = left & right
    return shared in (left, right) or len(shared) / len(left | right) > 0.5


def phrases_meet(first: str, second: str) -> bool:
    """True if "engineering management advice" meets "engineering management", say."""
    left, right = _stems(first), _stems(second)
    canonical = _canonical_words(left | right)
    return _sets_meet(frozenset(canonical[w] for w in left), frozenset(canonical[w] for w in right))


@dataclass(frozen=True, slots=True)
class _Profile:
    """What a contact needs, offers and likes, ready for matching."""

    contact: Contact
    needs: tuple[Phrase, ...]
    offers: tuple[Phrase, ...]
    interests: tuple[Phrase, ...]
    tags: tuple[str, ...]
    location: str

    def match_keys(self) -> set[str]:
        """Everything another profile must share with this one for any reason to count."""
        words = {w for _, stems in self.needs + self.offers + self.interests for w in stems}
        return {f"word:{w}" for w in words} | {f"tag:{fold(t)}" for t in self.tags}


def _profiles(people: Sequence[Contact]) -> list[_Profile]:
    vocabulary = {w for c in people for p in (*c.needs, *c.offers, *c.interests) for w in _stems(p)}
    canonical = _canonical_words(vocabulary)

    def phrases(items: tuple[str, ...]) -> tuple[Phrase, ...]:
        return tuple((p, frozenset(canonical[w] for w in _stems(p))) for p in items)

    return [
        _Profile(
            contact=c,
            needs=phrases(c.needs),
            offers=phrases(c.offers),
            interests=phrases(c.interests),
            tags=tuple(t for t in c.tags if fold(t) not in _MARKER_TAGS),
            location=fold(c.location or ""),
        )
        for c in people
    ]


def _meeting(left: tuple[Phrase, ...], right: tuple[Phrase, ...]) -> list[tuple[str, str]]:
    return [(x, y) for x, xs in left for y, ys in right if _sets_meet(xs, ys)]


def _pair_reasons(a: _Profile, b: _Profile) -> tuple[int, list[str]]:
    score = 0
    reasons: list[str] = []
    for needy, helper in ((a, b), (b, a)):
        name, helper_name = needy.contact.name, helper.contact.name
        for need, offer in _meeting(needy.needs, helper.offers):
            score += 3
            reasons.append(f"{name} needs {need}; {helper_name} offers {offer}")
        for need, interest in _meeting(needy.needs, helper.interests):
            score += 2
            reasons.append(f"{name} needs {need}; {helper_name} is into {interest}")
    shared_interests = list(dict.fromkeys(x for x, _ in _meeting(a.interests, b.interests)))
    if shared_interests:
        score += len(shared_interests)
        reasons.append("both into " + ", ".join(shared_interests))
    b_tags = {fold(t) for t in b.tags}
    shared_tags = [t for t in a.tags if fold(t) in b_tags]
    if shared_tags:
        score += len(shared_tags)
        reasons.append("shared tags: " + ", ".join(shared_tags))
    if a.location and a.location == b.location:
        score += 1
        reasons.append(f"both in {a.contact.location}")
    return score, reasons


def suggest(index: Index, today: date, person: Contact | None = None) -> list[Suggestion]:
    """Pairs worth introducing, best first: every guard rail passes, and they would click.

    A need met by an offer scores 3, by an interest 2; each shared interest or tag 1, the
    same location 1. Pairs need 2 points, so a shared city alone is no reason.
    """
    return suggestions(index, today, person)[0]


def suggestions(
    index: Index, today: date, person: Contact | None = None, limit: int | None = None
) -> tuple[list[Suggestion], int]:
    """The best `limit` suggestions (all when None), as `suggest` ranks them, and how many
    there are in all."""
    known = read_intros(index)[0]
    window = today - timedelta(days=WINDOW_DAYS)
    recent = [i for i in known if i.created and window < i.created <= today]
    eligible = [
        c for c in index.contacts_with_tie(index.config.intro_min_tie)
        if not person_failures(index, c, today, recent)
    ]
    profiles = _profiles(eligible)
    by_person: dict[str, list[Intro]] = {}
    for intro in known:
        for path in {intro.a_path, intro.b_path} - {None}:
            by_person.setdefault(str(path), []).append(intro)
    if person is not None:
        pairs = _Pairs(_pairs_with(profiles, person), total=-1)
    else:
        pairs = _Board(index, profiles, by_person).best(limit)
    found: list[Suggestion] = []
    for i, j in pairs:
        a, b = profiles[i], profiles[j]
        score, reasons = _pair_reasons(a, b)
        if score < _SUGGEST_MIN_SCORE:
            continue
        if pair_failures(index, a.contact, b.contact, by_person.get(a.contact.path, [])):
            continue
        first, second = a.contact, b.contact
        if person is not None and second.path == person.path:
            first, second = second, first
        found.append(Suggestion(first, second, score, tuple(reasons)))
    found.sort(
        key=lambda s: (-s.score, -min(s.a.tie or 0, s.b.tie or 0), fold(s.a.name), fold(s.b.name))
    )
    total = pairs.total if pairs.total >= 0 else len(found)
    return found[:limit], total


def _pairs_with(profiles: Sequence[_Profile], person: Contact) -> list[tuple[int, int]]:
    """The pairs with `person` that share a word or a tag (the others cannot reach 2)."""
    mine = next((n for n, p in enumerate(profiles) if p.contact.path == person.path), None)
    if mine is None:
        return []
    keys = profiles[mine].match_keys()
    return [
        (min(mine, other), max(mine, other))
        for other, profile in enumerate(profiles)
        if other != mine and keys & profile.match_keys()
    ]


class _Pairs(list[tuple[int, int]]):
    """Pairs of profile numbers, and how many suggestions there are in all."""

    def __init__(self, pairs: Iterable[tuple[int, int]], total: int) -> None:
        super().__init__(pairs)
        self.total = total


class _Board:
    """Every pair's score at once, in bits: for the earlier contact `a` of a pair, each thing
    that scores (a need of a's met by someone's offer, a shared tag, ...) is the set of the
    contacts it scores with, one bit each; adding them up bit-sliced (one integer per bit of
    the score) gives a's score with everyone in a few hundred integer operations, instead of
    a loop over every other contact. The pairs that make the top are then scored again,
    with their reasons, by `_pair_reasons`."""

    def __init__(self, index: Index, profiles: Sequence[_Profile],
                 by_person: dict[str, list[Intro]]) -> None:
        self.profiles = profiles
        number = {p.contact.path: n for n, p in enumerate(profiles)}
        holders: dict[tuple[str, str], int] = {}  # (kind, phrase as written or key) -> bits
        stems: dict[str, frozenset[str]] = {}
        for n, profile in enumerate(profiles):
            bit = 1 << n
            for kind, phrases in (("need", profile.needs), ("offer", profile.offers),
                                  ("interest", profile.interests)):
                for phrase, words in phrases:
                    holders[(kind, phrase)] = holders.get((kind, phrase), 0) | bit
                    stems[phrase] = words
            for tag in {fold(t) for t in profile.tags}:
                holders[("tag", tag)] = holders.get(("tag", tag), 0) | bit
            if profile.location:
                key = ("location", profile.location)
                holders[key] = holders.get(key, 0) | bit
        self.holders = holders
        by_word: dict[str, set[str]] = {}
        for phrase, words in stems.items():
            for word in words:
                by_word.setdefault(word, set()).add(phrase)
        self._meeting: dict[str, list[str]] = {}
        for phrase, words in stems.items():
            near = set().union(*(by_word[w] for w in words)) if words else set()
            self._meeting[phrase] = sorted(p for p in near if _sets_meet(words, stems[p]))
        # Pairs already connected (a link either way, an earlier intro) are no suggestion.
        self.connected = [0] * len(profiles)
        for a, b in index.links_among(number, connecting=True):
            if a != b:
                self.connected[number[a]] |= 1 << number[b]
                self.connected[number[b]] |= 1 << number[a]
        for path, intros in by_person.items():
            if path in number:
                for intro in intros:
                    for other in (intro.a_path, intro.b_path):
                        if other in number and other != path:
                            self.connected[number[path]] |= 1 << number[other]

    def _meets(self, kind: str, phrase: str) -> Iterator[int]:
        for other in self._meeting.get(phrase, ()):
            found = self.holders.get((kind, other))
            if found:
                yield found

    def scores(self, n: int) -> list[int]:
        """The bit-planes of the scores of profile n with every later profile."""
        profile = self.profiles[n]
        planes: list[int] = []
        for need, _ in profile.needs:
            for found in self._meets("offer", need):
                _add(planes, found, 3)
            for found in self._meets("interest", need):
                _add(planes, found, 2)
        for offer, _ in profile.offers:
            for found in self._meets("need", offer):
                _add(planes, found, 3)
        for interest, _ in profile.interests:
            for found in self._meets("need", interest):
                _add(planes, found, 2)
            shared = 0
            for found in self._meets("interest", interest):
                shared |= found
            _add(planes, shared, 1)
        for tag in profile.tags:
            _add(planes, self.holders.get(("tag", fold(tag)), 0), 1)
        if profile.location:
            _add(planes, self.holders[("location", profile.location)], 1)
        later = ~((1 << (n + 1)) - 1)
        return [plane & later & ~self.connected[n] for plane in planes]

    def best(self, limit: int | None) -> _Pairs:
        """The pairs that can make the top `limit` (all when None), and the number of all."""
        count = len(self.profiles)
        tops: dict[int, int] = {}  # score -> pairs with exactly that score
        for n in range(count):
            planes = self.scores(n)
            higher = 0
            for score in range((1 << len(planes)) - 1, _SUGGEST_MIN_SCORE - 1, -1):
                found = _at_least(planes, score)
                if found != higher:
                    tops[score] = tops.get(score, 0) + (found & ~higher).bit_count()
                higher = found
        total = sum(tops.values())
        cutoff, above = _SUGGEST_MIN_SCORE, 0  # take everything scoring over the cutoff
        wanted: int | None = None  # of the pairs at the cutoff score; None: all of them
        if limit is not None:
            for score in sorted(tops, reverse=True):
                if above + tops[score] >= limit:
                    cutoff, wanted = score, limit - above
                    break
                above += tops[score]
        pairs: list[tuple[int, int]] = []
        at_cutoff: list[int] = []
        for n in range(count):
            planes = self.scores(n)
            over = _at_least(planes, cutoff + 1)
            pairs += [(n, m) for m in _bits(over)]
            at_cutoff.append(_at_least(planes, cutoff) & ~over)
        pairs += self._first_at_cutoff(at_cutoff, wanted)
        return _Pairs(pairs, total)

    def _first_at_cutoff(self, at_cutoff: list[int], wanted: int | None) -> list[tuple[int, int]]:
        """Of the pairs at the cutoff score, the first `wanted` as `suggest` orders them:
        the closer tie of the two first, then by name (profile order)."""
        if wanted is None:
            return [(n, m) for n, bits in enumerate(at_cutoff) for m in _bits(bits)]
        ties = [p.contact.tie or 0 for p in self.profiles]
        tied: dict[int, int] = {}
        for n, tie in enumerate(ties):
            tied[tie] = tied.get(tie, 0) | 1 << n
        found: list[tuple[int, int]] = []
        for least in sorted(tied, reverse=True):
            both = sum(bits for tie, bits in tied.items() if tie >= least)
            for n, bits in enumerate(at_cutoff):
                if ties[n] < least:
                    continue
                partners = bits & (both if ties[n] == least else tied[least])
                for m in _bits(partners):
                    found.append((n, m))
                    if len(found) >= wanted:
                        return found
        return found


def _add(planes: list[int], bits: int, weight: int) -> None:
    """Add `weight` to the counter of every set bit of `bits` (planes: one bit of each)."""
    position = 0
    while weight:
        if weight & 1:
            carry, level = bits, position
            while carry:
                while level >= len(planes):
                    planes.append(0)
                planes[level], carry = planes[level] ^ carry, planes[level] & carry
                level += 1
        weight >>= 1
        position += 1


def _at_least(planes: list[int], score: int) -> int:
    """The bits whose counter is `score` or more."""
    if score >= 1 << len(planes):
        return 0
    above, equal = 0, -1
    for level in range(len(planes) - 1, -1, -1):
        if score >> level & 1:
            equal &= planes[level]
        else:
            above |= equal & planes[level]
            equal &= ~planes[level]
    return above | (equal if score else -1)


def _bits(bits: int) -> Iterator[int]:
    """The positions of the set bits, lowest first."""
    while bits:
        low = bits & -bits
        yield low.bit_length() - 1
        bits ^= low


# ---------------------------------------------------------------------------- hub


@dataclass(frozen=True, slots=True)
class HubStats:
    total: int
    open: int
    made: int
    declined: int
    clicked: int
    business: int
    answered: int
    accepted: int
    connected_most: tuple[tuple[Contact, int], ...]
    never_introduced: tuple[Contact, ...]

    @property
    def acceptance_rate(self) -> float | None:
        """Both said yes, out of the intros where the answer is known (both yes or a no)."""
        return self.accepted / self.answered if self.answered else None


def hub_stats(index: Index, top: int = 5) -> HubStats:
    """How good a hub you are. Strong ties who said no to introductions are not listed."""
    intros = read_intros(index)[0]
    made = [i for i in intros if i.made]
    counts: Counter[str] = Counter()
    for intro in made:
        for path in (intro.a_path, intro.b_path):
            if path:
                counts[path] += 1
    connected = sorted(
        ((c, counts[c.path]) for c in index.contacts if counts[c.path]),
        key=lambda item: (-item[1], fold(item[0].name)),
    )
    introduced = {p for i in made for p in (i.a_path, i.b_path) if p}
    never = sorted(
        (
            c
            for c in index.contacts
            if (c.tie or 0) >= STRONG_TIE
            and c.path not in introduced
            and c.consent.introductions != "no"
        ),
        key=lambda c: (-(c.tie or 0), fold(c.name)),
    )
    return HubStats(
        total=len(intros),
        open=sum(1 for i in intros if i.status == "asked"),
        made=len(made),
        declined=sum(1 for i in intros if i.status == "declined"),
        clicked=sum(1 for i in intros if i.status in ("clicked", "business")),
        business=sum(1 for i in intros if i.status == "business"),
        answered=sum(1 for i in intros if i.both_yes or i.someone_said_no),
        accepted=sum(1 for i in intros if i.both_yes),
        connected_most=tuple(connected[:top]),
        never_introduced=tuple(never),
    )
