"""What the index keeps of a note besides its model records, so no command re-reads notes.

- For warm paths: the note's text as words (links read as their shown text), the names it
  can be mentioned by, the employers
  it names (`former_companies:`/`companies:` and "formerly at Acme" in the text), and the
  possessive its `pronouns:` asks for.
- For introductions: the front-matter values an intro note is read from, kept as JSON that
  gives back the very values YAML gave (dates, `yes`, lists, impossible dates).
- For merges: the link targets written inside front-matter values.
- For likely duplicates: whom `distinct_from:` names, and the line of each key.

Pure functions of one parsed note.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from .text import fold, fold_text

PAST_COMPANY_KEYS = ("former_companies", "companies")
_CAPITALISED_NAME = r"([A-Z][\w&'-]*(?:[ \t]+[A-Z][\w&'-]*)*)"
_PAST_EMPLOYER = re.compile(
    r"(?i:\b(?:formerly|previously)\s+(?:at|with|of)\s+|\b(?:worked|used\s+to\s+work)\s+(?:at|for)\s+"
    r"|\bex-|\balumn(?:us|a|i)\s+of\s+)" + _CAPITALISED_NAME
)
_WIKILINK_SHOWN = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]")
_WORD = re.compile(r"\w+")
_POSSESSIVE = {"she": "her", "her": "her", "he": "his", "him": "his", "his": "his"}

# Short aliases ("Em", "Lu") would match ordinary words in note text.
MIN_MENTION_CHARS = 4
# The front-matter keys an intro note is read from (see netvault.intros).
INTRO_KEYS = ("a", "b", "status", "a_said", "b_said", "why", "created", "override", "overridden")


def shown_text(body: str) -> str:
    """The body with each wikilink replaced by the text a reader sees."""
    return _WIKILINK_SHOWN.sub(r"\1", body)


def words(text: str) -> tuple[str, ...]:
    """Folded words."""
    return words_of_folded(fold_text(text))


def words_of_folded(folded: str) -> tuple[str, ...]:
    """The words of text already folded by `fold_text`."""
    return tuple(_WORD.findall(folded))


def mention_names(name: str, aliases: Iterable[str]) -> list[str]:
    """The name and longer aliases as word runs (words joined by a space) a note's text can
    mention someone by."""
    labels = [name, *(a for a in aliases if len(a) >= MIN_MENTION_CHARS)]
    return list(dict.fromkeys(" ".join(found) for label in labels if (found := words(label))))


def past_employers(
    meta: Mapping[str, Any], shown: str, folded_shown: str
) -> list[tuple[str, str]]:
    """(folded, as written) of each employer the note names, first mention first;
    `folded_shown` is `fold_text(shown)`."""
    past: dict[str, str] = {}
    for key in PAST_COMPANY_KEYS:
        value = meta.get(key)
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        for item in items:
            if isinstance(item, str) and item.strip():
                past.setdefault(fold(item), " ".join(item.split()))
    if _may_name_past_employer(folded_shown):
        for match in _PAST_EMPLOYER.finditer(shown):
            past.setdefault(fold(match.group(1)), match.group(1))
    return list(past.items())


def _may_name_past_employer(folded: str) -> bool:
    """False when `_PAST_EMPLOYER` cannot match: most notes name no past employer, and the
    case-insensitive regex costs five times these substring tests.

    Every character that regex matches folds to the very lower-case letter it stands for
    (the Kelvin sign to k, the long s to s), and a run of white space folds to one space,
    except the dotted and dotless capital I: hence "prev", not "previously".
    """
    return (
        "formerly" in folded
        or "prev" in folded
        or "worked at" in folded
        or "worked for" in folded
        or "used to work" in folded
        or "ex-" in folded
        or "alumn" in folded
    )


def possessive(meta: Mapping[str, Any]) -> str:
    pronoun = fold(str(meta.get("pronouns", ""))).split("/")[0].strip()
    return _POSSESSIVE.get(pronoun, "their")


def distinct_from(meta: Mapping[str, Any]) -> list[str]:
    """The link targets of `distinct_from:` (people this one only looks like), as written."""
    from .syntax import link_target, whole_wikilink

    raw = meta.get("distinct_from")
    targets: list[str] = []
    for value in raw if isinstance(raw, list) else [raw]:
        if not isinstance(value, str):
            continue
        inner = whole_wikilink(value)
        target = link_target(inner) if inner is not None else value.strip()
        if target:
            targets.append(target)
    return targets


def meta_link_inners(meta: Mapping[str, Any]) -> list[str]:
    """The inside of each `[[...]]` written in a front-matter value, in order."""
    from .syntax import WIKILINK

    return [m.group(2) for value in strings_in(meta) if "[[" in value
            for m in WIKILINK.finditer(value)]


def strings_in(value: object) -> list[str]:
    """Every string in a front-matter value, however deep in mappings and lists."""
    found: list[str] = []
    _collect_strings(value, found)
    return found


def _collect_strings(value: object, found: list[str]) -> None:
    # One list filled by plain recursion: nested generators cost a frame per level per string.
    if isinstance(value, str):
        found.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            _collect_strings(item, found)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect_strings(item, found)


# ---- front-matter values as JSON ---------------------------------------------------------
# Every mapping, date, byte string, set and tuple is a one-key object naming its type, so
# nothing a note writes can pass for one of them.


def encode_values(values: Mapping[str, Any]) -> str:
    return json.dumps(_encode(dict(values)), ensure_ascii=False)


def decode_values(text: str) -> dict[str, Any]:
    found = _decode(json.loads(text))
    return found if isinstance(found, dict) else {}


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {"map": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, bytes):
        return {"bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, tuple):
        return {"tuple": [_encode(item) for item in value]}
    if isinstance(value, set | frozenset):
        return {"set": [_encode(item) for item in value]}
    text = getattr(value, "text", None)  # parse.InvalidDate: a date that names no day
    if isinstance(text, str):
        return {"invalid-date": text}
    return {"repr": repr(value)}


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    ((kind, inner),) = value.items()
    if kind == "map":
        return {_decode(k): _decode(v) for k, v in inner}
    if kind == "datetime":
        return datetime.fromisoformat(inner)
    if kind == "date":
        return date.fromisoformat(inner)
    if kind == "bytes":
        return base64.b64decode(inner)
    if kind == "tuple":
        return tuple(_decode(item) for item in inner)
    if kind == "set":
        return {_decode(item) for item in inner}
    if kind == "invalid-date":
        from .parse import InvalidDate

        return InvalidDate(inner)
    return inner
