"""Contact fields as people type them: `tie=trusted`, `last_met=yesterday`, `tags+=data`.

`netvault set` and `netvault add` read values here, so both accept the same spellings and
refuse the same mistakes. Changes go through `netvault.edit` only; consent is written where
the note keeps it (two flat properties, or the nested `consent:` mapping it already has).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from .dates import parse_day, parse_interval
from .errors import NetvaultError, UsageProblem
from .model import CONSENT_WORDS, TIE_BY_LABEL, TIE_LABELS, ConsentValue
from .parse import fold

if TYPE_CHECKING:
    from .edit import NoteEditor
    from .index import Index
    from .model import Contact

Kind = Literal["text", "list", "date", "bool", "tie", "cadence", "consent", "birthday", "person"]
Op = Literal["=", "+=", "-="]

# Every key `set` writes, in the order `--help` lists them.
FIELDS: dict[str, Kind] = {
    "name": "text",
    "aliases": "list",
    "tags": "list",
    "tie": "tie",
    "first_met": "date",
    "last_met": "date",
    "met_in_person": "bool",
    "relationship": "list",
    "company": "text",
    "role": "text",
    "location": "text",
    "email": "list",
    "phone": "list",
    "links": "list",
    "cadence": "cadence",
    "share-contact": "consent",
    "introductions": "consent",
    "introduced_by": "person",
    "offers": "list",
    "needs": "list",
    "interests": "list",
    "oak": "bool",
    "birthday": "birthday",
}
CONSENT_KEYS = ("share-contact", "introductions")
# Spellings of a consent answer in a note, flat or nested (the first is the one written).
CONSENT_SPELLINGS = {"share-contact": ("share-contact", "share_contact"),
                     "introductions": ("introductions",)}
CONSENT_PROPERTIES = frozenset(s for spellings in CONSENT_SPELLINGS.values() for s in spellings)
# E-mail and phone stay one plain value while there is one; the other lists are always lists
# (Obsidian's Properties panel edits aliases, tags and the rest as lists).
_SCALAR_WHEN_ONE = frozenset({"email", "phone"})
_OTHER_SPELLINGS = {
    "alias": "aliases",
    "tag": "tags",
    "link": "links",
    "emails": "email",
    "phones": "phone",
    "relationships": "relationship",
    "share_contact": "share-contact",
    "consent.share-contact": "share-contact",
    "consent.share_contact": "share-contact",
    "consent.introductions": "introductions",
    "introduction": "introductions",
}
_ASSIGNMENT = re.compile(r"^\s*([A-Za-z][\w.-]*?)\s*(\+=|-=|=)(.*)$", re.DOTALL)
_BIRTHDAY = re.compile(r"^(?:--)?(\d{2})-(\d{2})$")
_PHONE = re.compile(r"^\+?[\d\s()./-]{3,}$")


class FieldProblem(UsageProblem):
    """A `KEY=VALUE` that cannot be written: unknown key, bad value (exit 2)."""


class NothingToRemove(NetvaultError):
    """`KEY-=VALUE` names an item the note does not hold (exit 1)."""


@dataclass(frozen=True, slots=True)
class Assignment:
    key: str
    op: Op
    text: str


@dataclass(frozen=True, slots=True)
class Change:
    key: str
    old: object
    new: object


def field_key(typed: str) -> str:
    """The front-matter key `typed` names (`first-met` -> `first_met`); FieldProblem if none."""
    word = typed.strip().lower()
    for candidate in (word, word.replace("-", "_"), word.replace("_", "-")):
        if candidate in FIELDS:
            return candidate
        if candidate in _OTHER_SPELLINGS:
            return _OTHER_SPELLINGS[candidate]
    close = difflib.get_close_matches(word, [*FIELDS, *_OTHER_SPELLINGS], n=1, cutoff=0.7)
    hint = f"; did you mean {_OTHER_SPELLINGS.get(close[0], close[0])}?" if close else ""
    raise FieldProblem(
        f"netvault does not set {typed!r}{hint} (keys: {', '.join(FIELDS)}; "
        "anything else: netvault edit NAME)"
    )


def parse_assignment(arg: str) -> Assignment:
    """`KEY=VALUE`, `KEY+=VALUE` or `KEY-=VALUE`; FieldProblem for anything else."""
    match = _ASSIGNMENT.match(arg)
    if not match:
        raise FieldProblem(f"{arg!r} is not KEY=VALUE (or KEY+=VALUE, KEY-=VALUE for lists)")
    key = field_key(match.group(1))
    op: Op = match.group(2)  # type: ignore[assignment]
    if op != "=" and FIELDS[key] != "list":
        raise FieldProblem(f"{key} is not a list: use {key}=VALUE")
    if "\n" in match.group(3) or "\r" in match.group(3):
        raise FieldProblem(f"{key}: the value must be one line")
    return Assignment(key, op, match.group(3).strip())


# ---------------------------------------------------------------------------- values


def tie_value(text: str) -> int:
    """A tie typed as 1-5 or a label (`trusted`, `knows my work`); FieldProblem otherwise."""
    word = " ".join(text.strip().lower().split())
    if word.isdigit() and 1 <= int(word) <= 5:
        return int(word)
    for spelled in (word, word.replace(" ", "-")):
        if spelled in TIE_BY_LABEL:
            return TIE_BY_LABEL[spelled]
    labels = ", ".join(f"{tie} {label}" for tie, label in TIE_LABELS.items())
    raise FieldProblem(f"tie: {text!r} is not a tie ({labels})")


def cadence_value(text: str) -> str:
    """A keep-in-touch interval as written in the note (`30d`, `6w`, `3m`, `1y`)."""
    try:
        parse_interval(text)
    except ValueError as exc:
        raise FieldProblem(f"cadence: {exc}") from None
    return "".join(text.split()).lower()


def consent_value(text: str, key: str) -> ConsentValue:
    word = text.strip().lower()
    if word in CONSENT_WORDS:
        return CONSENT_WORDS[word]
    raise FieldProblem(f"{key}: {text!r} is not yes, ask or no")


def consent_meaning(raw: object) -> ConsentValue | None:
    """What a consent value in a note means; None when it means nothing netvault reads."""
    if raw is None:
        return "ask"
    key = raw.strip().lower() if isinstance(raw, str) else raw
    if isinstance(key, bool | str) and key in CONSENT_WORDS:
        return CONSENT_WORDS[key]
    return None


def _bool_value(text: str, key: str) -> bool:
    word = text.strip().lower()
    if word in ("yes", "true", "y"):
        return True
    if word in ("no", "false", "n"):
        return False
    raise FieldProblem(f"{key}: {text!r} is not yes or no")


def _birthday_value(text: str) -> str | date:
    clean = text.strip()
    match = _BIRTHDAY.match(clean)
    try:
        if match:
            month, day = int(match.group(1)), int(match.group(2))
            date(2000, month, day)  # a leap year, so --02-29 is accepted
            return f"--{month:02d}-{day:02d}"
        return date.fromisoformat(clean)
    except ValueError:
        raise FieldProblem(f"birthday: {text!r} is not YYYY-MM-DD or --MM-DD") from None


def list_items(text: str, key: str) -> list[str]:
    """The list items one typed value holds: comma-separated, tags without their `#`."""
    items = [" ".join(part.split()) for part in text.split(",")]
    items = [item.lstrip("#") if key == "tags" else item for item in items]
    items = [item for item in items if item]
    if not items:
        raise FieldProblem(f"{key}: give at least one value")
    for item in items:
        if key == "email" and (item.count("@") != 1 or " " in item):
            raise FieldProblem(f"email: {item!r} is not an e-mail address")
        if key == "phone" and not (_PHONE.match(item) and sum(c.isdigit() for c in item) >= 3):
            raise FieldProblem(f"phone: {item!r} is not a phone number")
    return items


def listed(key: str, values: Sequence[str]) -> list[str]:
    """The items of a repeated option (`--tag a --tag b,c`), checked, without repeats."""
    return list(dict.fromkeys(item for value in values for item in list_items(value, key)))


def _as_items(value: object) -> list[object]:
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list) else [value]


def _same_item(a: object, b: str, key: str) -> bool:
    text = str(a).lstrip("#") if key == "tags" else str(a)
    return fold(text) == fold(b)


def list_value(key: str, op: Op, text: str, current: object) -> object:
    """The new value of a list key after `op`; NothingToRemove for `-=` of an absent item."""
    typed = list_items(text, key)
    items = _as_items(current)
    if op == "=":
        new: list[object] = list(dict.fromkeys(typed))
    elif op == "+=":
        new = list(items)
        for item in typed:
            if not any(_same_item(old, item, key) for old in new):
                new.append(item)
    else:
        missing = [t for t in typed if not any(_same_item(old, t, key) for old in items)]
        if missing:
            held = ", ".join(str(i) for i in items) or "nothing"
            raise NothingToRemove(f"{key} has no {missing[0]!r} to remove (it holds: {held})")
        new = [old for old in items if not any(_same_item(old, t, key) for t in typed)]
    if key in _SCALAR_WHEN_ONE and len(new) == 1 and not isinstance(current, list):
        return new[0]
    if new == items and not isinstance(current, list) and current not in (None, ""):
        return current  # unchanged: keep a single value as it was
    return new


def field_value(
    index: Index, assignment: Assignment, current: object, today: date
) -> object:
    """The YAML value `assignment` writes, given the key's `current` value in the note."""
    key, text = assignment.key, assignment.text
    kind = FIELDS[key]
    if kind == "list":
        return list_value(key, assignment.op, text, current)
    if not text:
        raise FieldProblem(f"{key}= needs a value (netvault set does not delete keys)")
    if kind == "text":
        return " ".join(text.split())
    if kind == "date":
        return parse_day(text, today, what=key)
    if kind == "bool":
        return _bool_value(text, key)
    if kind == "tie":
        tie = tie_value(text)
        # Written the way the note writes ties: a label stays a label.
        return TIE_LABELS[tie] if isinstance(current, str) and not current.isdigit() else tie
    if kind == "cadence":
        return cadence_value(text)
    if kind == "consent":
        return consent_value(text, key)
    if kind == "birthday":
        return _birthday_value(text)
    from .index import UnknownName
    from .intros import contact_link

    try:
        person = index.lookup(text)
    except UnknownName as exc:
        raise FieldProblem(f"{key}: {exc}") from None
    return f"[[{contact_link(index, person)}]]"


# ---------------------------------------------------------------------------- writing


def current_consent(front: Mapping[object, object]) -> dict[str, object]:
    """Each consent answer's raw value in the note, flat property first, as the parser reads."""
    found: dict[str, object] = {}
    nested = front.get("consent")
    for key in CONSENT_KEYS:
        if isinstance(nested, dict):
            for spelled in CONSENT_SPELLINGS[key]:
                if spelled in nested:
                    found[key] = nested[spelled]
        elif nested not in (None, ""):
            found[key] = nested
        for spelled in CONSENT_SPELLINGS[key]:
            if spelled in front:
                found[key] = front[spelled]
    return found


def write_consent(editor: NoteEditor, answers: Mapping[str, ConsentValue]) -> None:
    """Set consent answers where the note keeps them, changing only answers that differ.

    A note with a nested `consent:` mapping keeps it (block or flow, as written); any other
    note gets the flat properties `share-contact` and `introductions`. Answers are written
    quoted (`'no'`), so YAML 1.1 and 1.2 read the same text.
    """
    front = editor.front_matter()
    raw = current_consent(front)
    changed = {k: v for k, v in answers.items() if consent_meaning(raw.get(k)) != v}
    if not changed:
        return
    nested = front.get("consent")
    flat_wins = any(s in front for k in changed for s in CONSENT_SPELLINGS[k])
    if isinstance(nested, dict) and not flat_wins:
        mapping = dict(nested)
        for key, answer in changed.items():
            spelled = next((s for s in CONSENT_SPELLINGS[key] if s in nested), key)
            mapping[spelled] = answer
        editor.set_key("consent", mapping)
        return
    if nested not in (None, "") and not isinstance(nested, dict):
        # One value for both answers: it becomes a mapping of the two.
        both = consent_meaning(nested) or "ask"
        editor.set_key("consent", {k: changed.get(k, both) for k in CONSENT_KEYS})
        return
    for key, answer in changed.items():
        spelled = next((s for s in CONSENT_SPELLINGS[key] if s in front), key)
        editor.set_key(spelled, answer)


def _shown(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def set_fields(
    index: Index,
    contact: Contact,
    assignments: Sequence[Assignment],
    today: date,
    *,
    dry_run: bool = False,
) -> list[Change]:
    """Apply `assignments` to the contact's note, all or nothing; the changes made (or, with
    `dry_run`, that would be made: every value is checked, nothing is written).

    Hold the vault lock around a real run: the note is read afresh here, never from the index.
    """
    from .edit import EditRefused, NoteEditor
    from .parse import parse_note

    editor = NoteEditor.open(index.root, contact.path)
    original = editor.text
    front = editor.front_matter()
    values: dict[str, object] = {str(k): v for k, v in front.items()}
    consent = current_consent(front)
    before = {key: values.get(key) for key in FIELDS} | dict(consent)
    for assignment in assignments:
        key = assignment.key
        if FIELDS[key] == "consent":
            consent[key] = field_value(index, assignment, consent.get(key), today)
        else:
            values[key] = field_value(index, assignment, values.get(key), today)
    after = {key: values.get(key) for key in FIELDS} | dict(consent)
    changes = [
        Change(key, _shown(before.get(key)), _shown(after[key]))
        for key in dict.fromkeys(a.key for a in assignments)
        if (
            consent_meaning(before.get(key)) != after[key]
            if FIELDS[key] == "consent"
            else before.get(key) != after[key] or type(before.get(key)) is not type(after[key])
        )
    ]
    if not changes:
        return []
    for change in changes:
        if FIELDS[change.key] == "consent":
            write_consent(editor, {change.key: consent_value(str(change.new), change.key)})
        else:
            editor.set_key(change.key, values[change.key])
    # What the parser would now report about this note that it did not before.
    folder = index.config.contact_rule
    old_errors = {
        (p.code, p.message)
        for p in parse_note(contact.path, original.encode("utf-8"), folder).problems
    }
    new_problems = [
        p
        for p in parse_note(contact.path, editor.text.encode("utf-8"), folder).problems
        if p.severity == "error" and (p.code, p.message) not in old_errors
    ]
    if new_problems:
        raise EditRefused(
            editor.path, f"would not read back: {new_problems[0].message}; nothing written"
        )
    if not dry_run:
        editor.save()
    return changes
