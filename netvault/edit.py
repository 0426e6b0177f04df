"""The one safe way to change a note.

Edits are made on the note's text, never by re-serialising it: every byte that does not
need to change stays as it was (key order, quoting, comments, flow lists, CRLF, BOM).
Writes are atomic (temp file in the same folder, fsync, rename), keep the file's mode and
refuse a file that changed on disk since it was read. Errors are `EditRefused`.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import ScalarNode

from .parse import front_matter_problem
from .syntax import BOM, FrontMatterBlock, find_front_matter, headings
from .vaultfs import MAX_NOTE_BYTES, UnsafePath, open_vault_file
from .write import Target, WriteRefused, write_edits, write_new_files
from .yamltext import UnwritableValue, yaml_flow, yaml_inline, yaml_key

__all__ = [
    "EditRefused",
    "Fingerprint",
    "NoteEditor",
    "add_front_matter_comments",
    "append_under_heading",
    "create_note",
    "create_notes",
    "detect_newline",
    "front_matter",
    "front_matter_comments",
    "set_key",
]

_BOM_BYTES = b"\xef\xbb\xbf"
_STR_TAG = "tag:yaml.org,2002:str"
_HEADING_ARG = re.compile(r"\s*(#{1,6})\s+(.+?)\s*")
_BARE_CR_OPENING = re.compile(r"-{3,}[^\S\r\n]*\r(?!\n)")
_REFUSE_SUFFIX = "netvault will not rewrite it"


class EditRefused(WriteRefused):
    """netvault will not make this change; `message` says why, in one user-facing sentence."""

    def with_path(self, path: Path) -> EditRefused:
        """The same refusal, attributed to `path` if it had no path yet."""
        return self if self.path is not None else EditRefused(path, self.message)


class _Loader(yaml.SafeLoader):
    """SafeLoader: no arbitrary objects, and pure Python so marks are character offsets."""


_RESOLVER = yaml.resolver.Resolver()


# --------------------------------------------------------------------------- text helpers


def detect_newline(text: str) -> str:
    """The line ending new lines should use: the dominant one, ties going to the first line's."""
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    if crlf != lf:
        return "\r\n" if crlf > lf else "\n"
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def _find_block(text: str) -> FrontMatterBlock | None:
    """The front-matter block as the parser finds it (one rule: `syntax`); EditRefused for
    one netvault cannot edit in place, so that an edit never puts a second block on top."""
    start = 1 if text.startswith(BOM) else 0
    if _BARE_CR_OPENING.match(text, start):
        raise EditRefused(
            None, f"front matter uses old Mac (CR-only) line endings; {_REFUSE_SUFFIX}"
        )
    block = find_front_matter(text)
    if block is not None and not block.closed:
        raise EditRefused(
            None,
            f"front matter is never closed (no second {block.opening.strip()!r} line); "
            f"{_REFUSE_SUFFIX}",
        )
    return block


def _describe(exc: Exception, first_line: int) -> str:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        problem = exc.problem or exc.context or "error"
        return f"{problem} at line {exc.problem_mark.line + first_line}"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _refuse_unreadable(body: str, first_line: int) -> None:
    """EditRefused for a front-matter block the parser cannot read (its fast loader)."""
    problem = front_matter_problem(body, first_line)
    if problem is not None:
        if problem.code == "yaml":
            reason = problem.message.removeprefix("invalid YAML: ")
            message = f"front matter is not valid YAML ({reason} at line {problem.line})"
        elif problem.code == "front-matter-not-mapping":
            message = "front matter is not a mapping of keys to values"
        else:
            message = f"{problem.message} (line {problem.line})"
        raise EditRefused(None, f"{message}; {_REFUSE_SUFFIX}")


def _parse(body: str, first_line: int) -> tuple[dict[object, object], list[Event]]:
    """The front matter's data and its parser events; refuses anything but a block mapping."""
    # Copies, so that no caller can change what the next one is given.
    data, events = _parse_once(body, first_line)
    return copy.deepcopy(data), list(events)


# An edit reads the block it changes right after opening the note read it (set_key after
# open), and YAML's pure-Python parser is the slowest step of saving a note: the last few
# blocks read are remembered. A refusal is not: it is raised again.
@functools.lru_cache(maxsize=8)
def _parse_once(body: str, first_line: int) -> tuple[dict[object, object], list[Event]]:
    # What the parser cannot read is not rewritten; and the slower pure-Python pass below
    # never sees an over-size block, a YAML bomb or a 100,000-level nesting.
    _refuse_unreadable(body, first_line)
    try:
        events = list(yaml.parse(body, Loader=_Loader))
        data = yaml.load(body, Loader=_Loader)  # _Loader is a SafeLoader
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        # ValueError etc.: the constructor rejects e.g. `2026-13-45` as a timestamp.
        raise EditRefused(
            None,
            f"front matter is not valid YAML ({_describe(exc, first_line)}); {_REFUSE_SUFFIX}",
        ) from exc
    has_root = any(isinstance(ev, DocumentStartEvent) for ev in events)
    if not has_root:
        return {}, events  # empty or comments only: an empty mapping we may add to
    if not isinstance(data, dict):
        raise EditRefused(
            None, f"front matter is not a mapping of keys to values; {_REFUSE_SUFFIX}"
        )
    return data, events


def _first_line(text: str, block: FrontMatterBlock) -> int:
    return text.count("\n", 0, block.body_start) + 1


def _front_matter_prefix(text: str) -> str | None:
    """`text` up to the end of its front-matter block when every text that starts with it
    has that very block (its closing line ends with a line break), else None."""
    block = find_front_matter(text)
    if block is None or not block.closed or not text.endswith("\n", 0, block.end):
        return None
    return text[: block.end]


def front_matter(text: str) -> dict[object, object]:
    """The note's front-matter mapping ({} if none); EditRefused if netvault cannot edit it."""
    block = _find_block(text)
    if block is None:
        return {}
    return _parse(text[block.body_start : block.body_end], _first_line(text, block))[0]


# --------------------------------------------------------------------------- comparing values


def _same(a: object, b: object, seen: set[tuple[int, int]] | None = None) -> bool:
    """Strict, type-aware equality (1 is not True, NaN equals NaN), linear even for aliases."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list | dict):
        seen = set() if seen is None else seen
        pair = (id(a), id(b))
        if pair in seen:  # shared (aliased) structure already being compared
            return True
        seen.add(pair)
        if isinstance(a, list) and isinstance(b, list):
            return len(a) == len(b) and all(_same(x, y, seen) for x, y in zip(a, b, strict=True))
        if isinstance(a, dict) and isinstance(b, dict):
            return len(a) == len(b) and all(k in b and _same(v, b[k], seen) for k, v in a.items())
    return bool(a == b)


def _normalise(value: object) -> object:
    """The value as YAML will read it back; TypeError/ValueError for what YAML cannot hold."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("text contains a lone surrogate and cannot be written") from None
        return value
    if value is None or isinstance(value, bool | int | float | dt.date):
        return value
    if isinstance(value, list | tuple):
        return [_normalise(item) for item in value]
    if isinstance(value, Mapping):
        return {_normalise(k): _normalise(v) for k, v in value.items()}
    raise TypeError(f"cannot write a {type(value).__name__} to front matter")


# --------------------------------------------------------------------------- rendering YAML


def _render_inline(value: object) -> str:
    """The value as it follows `key: ` on the same line (see netvault.yamltext)."""
    try:
        return yaml_inline(value)
    except UnwritableValue as exc:
        raise EditRefused(None, str(exc)) from None


def _render_flow(value: object) -> str:
    """The value inside a flow collection (`[a, b]`, `{k: v}`)."""
    try:
        return yaml_flow(value)
    except UnwritableValue as exc:
        raise EditRefused(None, str(exc)) from None


def _render_key(key: str) -> str:
    try:
        return yaml_key(key)
    except UnwritableValue:
        raise EditRefused(None, f"netvault cannot write the key {key!r} on one line") from None


# --------------------------------------------------------------------------- finding a key


@dataclass(frozen=True)
class _Entry:
    """One top-level key of the front matter, as offsets into the front-matter body."""

    key: Event
    key_end: int
    value_start: int
    value_end: int  # after the value's last character (trailing comment and newline excluded)
    block_sequence: bool
    anchors: frozenset[str]  # anchors defined inside the value
    value_events: tuple[Event, ...] = ()


def _start(ev: Event) -> int:
    assert ev.start_mark is not None  # the pure-Python parser always sets marks
    return ev.start_mark.index


def _end(ev: Event) -> int:
    assert ev.end_mark is not None
    return ev.end_mark.index


def _skip_node(events: list[Event], i: int) -> int:
    """Index of the event after the node starting at events[i]."""
    if not isinstance(events[i], CollectionStartEvent):
        return i + 1
    depth = 0
    while True:
        ev = events[i]
        if isinstance(ev, CollectionStartEvent):
            depth += 1
        elif isinstance(ev, CollectionEndEvent):
            depth -= 1
        i += 1
        if depth == 0:
            return i


def _value_end(body: str, events: list[Event]) -> int:
    """End of a value's text: its last scalar, alias or flow bracket.

    Block collections end where the next key starts, which would swallow comments
    after the value, so their end events are ignored.
    """
    end = _start(events[0])
    flows: list[bool] = []
    for ev in events:
        if isinstance(ev, CollectionStartEvent):
            flows.append(bool(ev.flow_style))
        elif isinstance(ev, CollectionEndEvent):
            if flows.pop():
                end = max(end, _end(ev))
        elif isinstance(ev, ScalarEvent | AliasEvent):
            stop = _end(ev)
            if isinstance(ev, ScalarEvent) and ev.style in ("|", ">"):
                # A block scalar's mark runs past its trailing line breaks.
                while stop > _start(ev) and body[stop - 1] in " \t\r\n":
                    stop -= 1
            end = max(end, stop)
    return end


def _entries(body: str, events: list[Event]) -> tuple[MappingStartEvent | None, list[_Entry]]:
    i = 0
    while i < len(events) and isinstance(events[i], StreamStartEvent | DocumentStartEvent):
        i += 1
    if i >= len(events) or isinstance(events[i], StreamEndEvent):
        return None, []
    root = events[i]
    if not isinstance(root, MappingStartEvent):
        raise EditRefused(
            None, f"front matter is not a mapping of keys to values; {_REFUSE_SUFFIX}"
        )
    if root.flow_style:
        raise EditRefused(None, f"front matter is written as one {{...}} mapping; {_REFUSE_SUFFIX}")
    i += 1
    entries: list[_Entry] = []
    while not isinstance(events[i], MappingEndEvent):
        key_at = i
        i = _skip_node(events, i)
        value_at = i
        i = _skip_node(events, i)
        first = events[value_at]
        entries.append(
            _Entry(
                key=events[key_at],
                key_end=_end(events[value_at - 1]),
                value_start=_start(first),
                value_end=_value_end(body, events[value_at:i]),
                block_sequence=isinstance(first, SequenceStartEvent) and not first.flow_style,
                anchors=frozenset(
                    anchor
                    for ev in events[value_at:i]
                    if isinstance(ev, NodeEvent)
                    and not isinstance(ev, AliasEvent)
                    and (anchor := ev.anchor)
                ),
                value_events=tuple(events[value_at:i]),
            )
        )
    return root, entries


def _items(body: str, entry: _Entry) -> list[tuple[int, int]]:
    """(start, end) of each item of a block list's value."""
    events = list(entry.value_events)
    found: list[tuple[int, int]] = []
    i = 1  # after the SequenceStartEvent
    while not isinstance(events[i], CollectionEndEvent):
        after = _skip_node(events, i)
        found.append((_start(events[i]), _value_end(body, events[i:after])))
        i = after
    return found


def _key_is(ev: Event, key: str) -> bool:
    """True if the event is a key that YAML reads as exactly the string `key`."""
    if not isinstance(ev, ScalarEvent) or ev.value != key:
        return False
    if ev.tag is not None and ev.tag != "!":
        return ev.tag == _STR_TAG
    if ev.style:  # quoted or block: always a string
        return True
    tag = _RESOLVER.resolve(ScalarNode, ev.value, (True, False))  # type: ignore[no-untyped-call]
    return bool(tag == _STR_TAG)


def _colon_end(body: str, pos: int) -> int | None:
    while pos < len(body) and body[pos] in " \t":
        pos += 1
    return pos + 1 if pos < len(body) and body[pos] == ":" else None


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


# --------------------------------------------------------------------------- set_key


def _line_end(text: str, pos: int) -> int:
    """Where the line holding `pos` ends (before its CR LF or LF)."""
    eol = text.find("\n", pos)
    eol = len(text) if eol == -1 else eol
    return eol - 1 if eol > pos and text[eol - 1] == "\r" else eol


def _render_item(item: object) -> str:
    """One item of a block list (`- item`)."""
    return _render_inline(item)


def _edit_block_list(
    body: str, entry: _Entry, old: list[object], new: list[object], nl: str, indent: str
) -> str:
    """A block list changed item by item, so the comments between and after its items stay
    where they are: changed items are rewritten in place, new ones go on lines after the
    last item's line (after its comment), removed ones take their own lines with them."""
    items = _items(body, entry)
    edits: list[tuple[int, int, str]] = []
    for (start, end), before, after in zip(items, old, new, strict=False):
        if not _same(before, after):
            edits.append((start, end, _render_item(after)))
    if len(new) > len(items):
        at = _line_end(body, items[-1][1])
        added = "".join(f"{nl}{indent}- {_render_item(item)}" for item in new[len(items) :])
        edits.append((at, at, added))
    elif len(new) < len(items):
        start = _line_start(body, items[len(new)][0])
        end = _line_end(body, items[-1][1])
        end = end + (2 if body.startswith("\r\n", end) else 1 if end < len(body) else 0)
        edits.append((start, end, ""))
    for start, end, text in sorted(edits, reverse=True):
        body = body[:start] + text + body[end:]
    return body


def _replace_value(
    body: str, entry: _Entry, key: str, old: object, value: object, nl: str
) -> str:
    colon = _colon_end(body, entry.key_end)
    if colon is None:
        raise EditRefused(None, f"the key {key!r} is written in a form netvault cannot rewrite")
    start, end = entry.value_start, entry.value_end
    in_place = _replace_mapping(body, entry, old, value, nl)
    if in_place is not None:
        return in_place
    if "\n" not in body[colon:start]:  # the value starts on the key's line
        rendered = _render_inline(value)
        if start == end and body[start - 1] not in " \t":
            rendered = " " + rendered  # `key:` with an empty value
        return body[:start] + rendered + body[end:]
    indent = body[_line_start(body, start) : start]
    if entry.block_sequence and isinstance(value, list) and value and not indent.strip(" "):
        # Keep a block list a block list, at the same indentation, with its comments.
        if isinstance(old, list) and len(old) == len(_items(body, entry)):
            return _edit_block_list(body, entry, old, value, nl, indent)
        items = [_render_item(item) for item in value]
        return body[:start] + (nl + indent).join("- " + item for item in items) + body[end:]
    # The old value sat on the following lines: the new one goes on the key's line,
    # before any comment there, and the old lines go.
    eol = body.find("\n", colon)
    if eol > colon and body[eol - 1] == "\r":
        eol -= 1
    return body[:colon] + " " + _render_inline(value) + body[colon:eol] + body[end:]


def _replace_mapping(
    body: str, entry: _Entry, old: object, value: object, nl: str
) -> str | None:
    """A mapping of plain values edited key by key, so a block mapping stays a block (with its
    comments) and a flow mapping a flow, and values that did not change keep their spelling;
    None when it is not such a mapping or `value` drops one of its keys."""
    events = entry.value_events
    if not (
        events
        and isinstance(events[0], MappingStartEvent)
        and isinstance(value, dict)
        and isinstance(old, dict)
        and all(isinstance(k, str) for k in old)
    ):
        return None
    pairs: list[tuple[ScalarEvent, ScalarEvent]] = []
    i = 1
    while not isinstance(events[i], MappingEndEvent):
        key, item = events[i], events[i + 1]
        if not (
            isinstance(key, ScalarEvent)
            and isinstance(item, ScalarEvent)
            and item.style not in ("|", ">")
            and key.anchor is None
            and item.anchor is None
        ):
            return None
        pairs.append((key, item))
        i += 2
    written = {key.value for key, _ in pairs}
    if not pairs or not written <= {str(k) for k in value}:
        return None
    flow = bool(events[0].flow_style)
    edits: list[tuple[int, int, str]] = []
    for key, item in pairs:
        new = value[key.value]
        if key.value in old and _same(old[key.value], new):
            continue
        rendered = _render_flow(new) if flow else _render_inline(new)
        if _start(item) == _end(item) and body[_start(item) - 1] not in " \t":
            rendered = " " + rendered
        edits.append((_start(item), _end(item), rendered))
    if flow:
        at = _end(pairs[-1][1])
        added_pairs = "".join(
            f", {_render_flow(k)}: {_render_flow(v)}"
            for k, v in value.items()
            if str(k) not in written
        )
        if added_pairs:
            edits.append((at, at, added_pairs))
        for start, end, text in sorted(edits, reverse=True):
            body = body[:start] + text + body[end:]
        return body
    first_key = pairs[0][0]
    indent = body[_line_start(body, _start(first_key)) : _start(first_key)]
    added = "".join(
        f"{nl}{indent}{_render_key(str(k))}: {_render_inline(v)}"
        for k, v in value.items()
        if str(k) not in written
    )
    if added:
        if indent.strip(" "):
            return None
        line_end = body.find("\n", entry.value_end)
        line_end = len(body) if line_end == -1 else line_end
        if body[line_end - 1 : line_end] == "\r":
            line_end -= 1
        edits.append((line_end, line_end, added))
    for start, end, text in sorted(edits, reverse=True):
        body = body[:start] + text + body[end:]
    return body


def _check_result(
    new_body: str, old: dict[object, object], key: str, value: object, first_line: int
) -> None:
    """Refuse unless the new front matter reads back as the old one with only `key` changed."""
    try:
        new, _ = _parse(new_body, first_line)
    except EditRefused as exc:
        raise EditRefused(
            None,
            f"netvault could not set {key!r} without breaking the front matter; nothing changed",
        ) from exc
    others_same = all(k in new and _same(v, new[k]) for k, v in old.items() if k != key)
    if not (
        others_same and key in new and _same(new[key], value) and len(new) == len(old | {key: 0})
    ):
        raise EditRefused(
            None,
            f"netvault could not set {key!r} without changing other keys "
            "(YAML anchors or merge keys?); nothing changed",
        )


def set_key(text: str, key: str, value: object) -> str:
    """Set top-level front-matter `key` to `value`, changing only that key's text.

    A new key goes on one line at the end of the block; a note without front matter gets
    a block at the top (after any BOM). Refuses (EditRefused) rather than guess.
    """
    if not isinstance(key, str) or not key:
        raise ValueError("a front-matter key must be a non-empty string")
    value = _normalise(value)
    nl = detect_newline(text)
    block = _find_block(text)
    if block is None:
        bom = BOM if text.startswith(BOM) else ""
        line = f"{_render_key(key)}: {_render_inline(value)}"
        _check_result(line + nl, {}, key, value, 2)
        return f"{bom}---{nl}{line}{nl}---{nl}{text[len(bom) :]}"
    body = text[block.body_start : block.body_end]
    first_line = _first_line(text, block)
    old, events = _parse(body, first_line)
    if key in old and _same(old[key], value):
        return text  # already so: do not even re-quote it
    root, entries = _entries(body, events)
    matches = [entry for entry in entries if _key_is(entry.key, key)]
    if len(matches) > 1:
        raise EditRefused(
            None, f"the key {key!r} appears more than once in the front matter; fix that first"
        )
    if matches:
        used = {ev.anchor for ev in events if isinstance(ev, AliasEvent) and ev.anchor} & matches[
            0
        ].anchors
        if used:
            raise EditRefused(
                None,
                f"other keys refer to the value of {key!r} (YAML anchor &{sorted(used)[0]}); "
                "netvault will not rewrite it",
            )
        new_body = _replace_value(body, matches[0], key, old.get(key), value, nl)
    else:
        indent = ""
        if root is not None:
            at = _start(root)
            candidate = body[_line_start(body, at) : at]
            indent = "" if candidate.strip(" ") else candidate
        # Before an explicit `...` document end, if any (PyYAML writes one after `|+`).
        ends = [ev for ev in events if isinstance(ev, DocumentEndEvent) and ev.explicit]
        at = _line_start(body, _start(ends[0])) if ends else len(body)
        line = f"{indent}{_render_key(key)}: {_render_inline(value)}{nl}"
        new_body = body[:at] + line + body[at:]
    _check_result(new_body, old, key, value, first_line)
    return text[: block.body_start] + new_body + text[block.body_end :]


# --------------------------------------------------------------------------- comments


def front_matter_comments(text: str) -> list[str]:
    """The comments of the front matter, one per line, in order: a comment on a line of its
    own as written (`# prefers Signal`), one after a value with that line
    (`# phone: "+49 151 5550 2231"  # never before 10am`), so it keeps its meaning elsewhere."""
    block = _find_block(text)
    if block is None:
        return []
    body = text[block.body_start : block.body_end]
    _, events = _parse(body, _first_line(text, block))
    scalars = [(_start(ev), _end(ev)) for ev in events if isinstance(ev, ScalarEvent)]
    found: list[str] = []
    index = 0
    for start, _content_end, _ in _lines(body, 0):
        end = _line_end(body, start)
        pos = body.find("#", start, end)
        while pos != -1:
            while index < len(scalars) and scalars[index][1] <= pos:
                index += 1
            inside = index < len(scalars) and scalars[index][0] <= pos
            if not inside and (pos == start or body[pos - 1] in " \t"):
                before = body[start:pos].strip()
                comment = body[pos:end].rstrip()
                found.append(f"# {before}  {comment}" if before else comment)
                break
            pos = body.find("#", pos + 1, end)
    return found


def add_front_matter_comments(text: str, comments: list[str]) -> str:
    """`text` with comment lines added at the end of its front matter (before the closing
    delimiter); refuses (EditRefused) unless the data reads back exactly the same."""
    lines = [line.strip() for line in comments]
    if not lines:
        return text
    if any(not line.startswith("#") or "\n" in line or "\r" in line for line in lines):
        raise ValueError("each comment must be one line starting with #")
    for line in lines:
        _normalise(line)
    block = _find_block(text)
    if block is None:
        raise EditRefused(None, "the note has no front matter to add comments to")
    nl = detect_newline(text)
    body = text[block.body_start : block.body_end]
    first_line = _first_line(text, block)
    old, events = _parse(body, first_line)
    ends = [ev for ev in events if isinstance(ev, DocumentEndEvent) and ev.explicit]
    at = _line_start(body, _start(ends[0])) if ends else len(body)
    prefix = "" if at == 0 or body[:at].endswith("\n") else nl
    new_body = body[:at] + prefix + "".join(line + nl for line in lines) + body[at:]
    try:
        new, _ = _parse(new_body, first_line)
    except EditRefused:
        new = None
    if new is None or not _same(new, old):
        raise EditRefused(None, "netvault could not add the comments without changing the data")
    return text[: block.body_start] + new_body + text[block.body_end :]


# --------------------------------------------------------------------------- append_under_heading


def _norm_title(title: str) -> str:
    return " ".join(title.split()).casefold()


def _lines(text: str, start: int) -> list[tuple[int, int, int]]:
    """(start, end of content without line break, start of next line) for each line."""
    out: list[tuple[int, int, int]] = []
    pos = start
    while pos < len(text):
        nxt = text.find("\n", pos)
        if nxt == -1:
            out.append((pos, len(text), len(text)))
            break
        content_end = nxt - 1 if nxt > pos and text[nxt - 1] == "\r" else nxt
        out.append((pos, content_end, nxt + 1))
        pos = nxt + 1
    return out


def _headings(text: str, lines: list[tuple[int, int, int]]) -> list[tuple[int, int, str]]:
    """(line index, level, normalised title) of each ATX heading outside fenced code."""
    contents = [text[start:content_end] for start, content_end, _ in lines]
    return [(index, level, _norm_title(title)) for index, level, title in headings(contents)]


def append_under_heading(text: str, heading: str, line: str) -> str:
    """Add `line` as the last line of the section under `heading` (e.g. "## Log").

    Headings match on their text, case-insensitively (same level preferred). Without a
    match, the heading is created at the end of the note after a blank line.
    """
    if "\n" in line or "\r" in line:
        raise ValueError("the line to append must be a single line")
    _normalise(line)
    match = _HEADING_ARG.fullmatch(heading)
    level, title = (len(match.group(1)), match.group(2)) if match else (None, heading.strip())
    if not title:
        raise ValueError("the heading has no text")
    nl = detect_newline(text)
    block = _find_block(text)
    body_start = block.end if block is not None else (1 if text.startswith(BOM) else 0)
    lines = _lines(text, body_start)
    found = _headings(text, lines)
    wanted = _norm_title(title)
    candidates = [h for h in found if h[2] == wanted]
    chosen = next((h for h in candidates if h[1] == level), candidates[0] if candidates else None)
    if chosen is not None:
        h_idx, h_level, _ = chosen
        section_end = next((i for i, lv, _ in found if i > h_idx and lv <= h_level), len(lines))
        last = h_idx
        for k in range(section_end - 1, h_idx, -1):
            if text[lines[k][0] : lines[k][1]].strip(" \t"):
                last = k
                break
        _, content_end, next_start = lines[last]
        if next_start > content_end:  # that line ends with a line break
            return text[:next_start] + line + nl + text[next_start:]
        return text + nl + line  # it is the last line and has no line break: keep it so
    heading_line = f"{'#' * (level or 2)} {title.strip()}"
    if not lines and block is None:  # an empty note
        return text + heading_line + nl + line + nl
    ends_with_break = text.endswith("\n")
    core = text[:-1] if ends_with_break else text
    last_blank = not core[core.rfind("\n") + 1 :].strip(" \t\r")
    gap = "" if last_blank else nl
    if ends_with_break:
        return text + gap + heading_line + nl + line + nl
    return text + nl + gap + heading_line + nl + line  # no final line break before: none after


# --------------------------------------------------------------------------- reading and saving


@dataclass(frozen=True)
class Fingerprint:
    """What a file looked like when netvault read it."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, data: bytes, st: os.stat_result) -> Fingerprint:
        return cls(len(data), st.st_mtime_ns, hashlib.sha256(data).hexdigest())


def _read(root: Path, relpath: str) -> tuple[bytes, os.stat_result]:
    """The note's bytes, read without following a symlink anywhere inside the vault."""
    try:
        fd = open_vault_file(root, relpath)
    except UnsafePath as exc:
        raise EditRefused(None, exc.message_for(relpath)) from None
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(handle.fileno())
        if st.st_size > MAX_NOTE_BYTES:
            raise EditRefused(
                None, f"is {st.st_size:,} bytes; notes over {MAX_NOTE_BYTES:,} bytes are not "
                "read or edited",
            )
        return handle.read(MAX_NOTE_BYTES + 1), st


def _check_size(path: Path, data: bytes) -> None:
    """Refuse a note netvault could not read back (see MAX_NOTE_BYTES)."""
    if len(data) > MAX_NOTE_BYTES:
        raise EditRefused(
            path,
            f"would be {len(data):,} bytes; notes over {MAX_NOTE_BYTES:,} bytes are not read, "
            "so netvault does not write one",
        )


def _as_edit_refusal(exc: WriteRefused, path: Path) -> EditRefused:
    return exc if isinstance(exc, EditRefused) else EditRefused(path, exc.message)


def create_note(root: Path, relpath: str, text: str) -> None:
    """Create a new note atomically; EditRefused if the file exists (even if created
    meanwhile), its folder leads through a symlink, or the parser could not read it."""
    refused = create_notes(root, [(relpath, text)])[0]
    if refused is not None:
        raise refused


def create_notes(root: Path, notes: Sequence[tuple[str, str]]) -> list[EditRefused | None]:
    """Create new notes (vault-relative path, text), each as `create_note` would, made
    durable together (`write_new_files`: one sync for all, not one per note). For each
    note: None when it was written, else the EditRefused that says why not."""
    results: list[EditRefused | None] = [None] * len(notes)
    pending: list[tuple[int, Target, bytes]] = []
    for number, (relpath, text) in enumerate(notes):
        path = Path(root) / relpath
        try:
            # A new note's front matter needs no offsets: the parser's own (fast) loader
            # tells whether it will be read, and whether it is a mapping an edit can change.
            block = _find_block(text)
            if block is not None:
                _refuse_unreadable(text[block.body_start : block.body_end],
                                   _first_line(text, block))  # fmt: skip
            data = text.encode("utf-8")
            _check_size(path, data)
            pending.append((number, Target.inside(root, relpath), data))
        except EditRefused as exc:
            results[number] = exc.with_path(path)
        except UnsafePath as exc:
            results[number] = EditRefused(path, exc.message_for(relpath))
    written = write_new_files([(target, data) for _, target, data in pending])
    for (number, target, _), refused in zip(pending, written, strict=True):
        if refused is not None:
            results[number] = _as_edit_refusal(refused, target.path)
    return results


# --------------------------------------------------------------------------- the session API


_CHANGED = "changed on disk since netvault read it; nothing written (run the command again)"


class NoteEditor:
    """Read a note once, edit its text, save it only if nobody changed it meanwhile."""

    def __init__(
        self,
        root: Path,
        relpath: str,
        text: str,
        bom: bool,
        fingerprint: Fingerprint,
    ) -> None:
        self.root = root
        self.relpath = relpath
        self.path = root / relpath
        self.bom = bom
        self.fingerprint = fingerprint
        self._original = text
        self._text = text
        # The current text up to the end of its front matter, when that was read and found
        # editable (see `_front_matter_prefix`): a new text with the same start needs no
        # second reading.
        self._checked: str | None = None

    @classmethod
    def open(cls, root: Path, relpath: str) -> NoteEditor:
        """Read the note at `relpath` in the vault at `root`; EditRefused if it is not
        UTF-8, lies behind a symlink, or its front matter cannot be edited."""
        root = Path(root)
        path = root / relpath
        try:
            data, st = _read(root, relpath)
        except EditRefused as exc:
            raise EditRefused(path, exc.message) from None
        except OSError as exc:
            raise EditRefused(path, f"could not read it ({exc.strerror or exc})") from exc
        bom = data.startswith(_BOM_BYTES)
        skip = len(_BOM_BYTES) if bom else 0
        try:
            text = data[skip:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise EditRefused(
                path, f"not valid UTF-8 at byte {exc.start + skip}; {_REFUSE_SUFFIX}"
            ) from None
        try:
            front_matter(text)
        except EditRefused as exc:
            raise exc.with_path(path) from None
        editor = cls(root, relpath, text, bom, Fingerprint.of(data, st))
        editor._checked = _front_matter_prefix(text)
        return editor

    @property
    def text(self) -> str:
        """The note's current text (without the BOM, which `save` puts back)."""
        return self._text

    @property
    def saved_bytes(self) -> bytes:
        """The note's bytes on disk as netvault last read or wrote them."""
        return (_BOM_BYTES if self.bom else b"") + self._original.encode("utf-8")

    @property
    def newline(self) -> str:
        return detect_newline(self._text)

    @property
    def changed(self) -> bool:
        return self._text != self._original

    def front_matter(self) -> dict[object, object]:
        """The current front-matter mapping."""
        try:
            return front_matter(self._text)
        except EditRefused as exc:
            raise exc.with_path(self.path) from None

    def replace_text(self, text: str) -> None:
        """Replace the whole text (for edits the operations above cannot express).

        The new text must still have front matter netvault can edit; `save` applies the
        same on-disk check as for any other edit.
        """
        checked = self._checked
        if checked is None or not text.startswith(checked):
            try:
                front_matter(text)
            except EditRefused as exc:
                raise exc.with_path(self.path) from None
            checked = _front_matter_prefix(text)
        _normalise(text)
        self._text = text
        self._checked = checked

    def _apply(self, operation: Callable[[str], str]) -> None:
        try:
            self._text = operation(self._text)
        except EditRefused as exc:
            raise exc.with_path(self.path) from None
        self._checked = None

    def set_key(self, key: str, value: object) -> None:
        """Set a top-level front-matter key (see `set_key`)."""
        self._apply(lambda text: set_key(text, key, value))

    def append_under_heading(self, heading: str, line: str) -> None:
        """Append a line under a heading (see `append_under_heading`)."""
        self._apply(lambda text: append_under_heading(text, heading, line))

    def add_front_matter_comments(self, comments: list[str]) -> None:
        """Add comment lines at the end of the front matter (see `add_front_matter_comments`)."""
        self._apply(lambda text: add_front_matter_comments(text, comments))

    def _check_unchanged(self) -> None:
        try:
            current, _ = _read(self.root, self.relpath)
        except FileNotFoundError:
            raise EditRefused(
                self.path, "was deleted since netvault read it; nothing written"
            ) from None
        except EditRefused as exc:
            raise EditRefused(self.path, exc.message) from None
        if len(current) != self.fingerprint.size or (
            hashlib.sha256(current).hexdigest() != self.fingerprint.sha256
        ):
            raise EditRefused(self.path, _CHANGED)

    def save(self) -> bool:
        """Write the edits atomically; False (and no write) if nothing changed."""
        if not self.changed:
            return False
        refused = save_notes([self])[0]
        if refused is not None:
            raise refused
        return True

    def _bytes_to_save(self) -> bytes:
        """The bytes `save` writes; EditRefused if they may not be written."""
        data = (_BOM_BYTES if self.bom else b"") + self._text.encode("utf-8")
        _check_size(self.path, data)
        self._check_unchanged()
        return data

    def _saved(self, data: bytes, st: os.stat_result) -> None:
        self.fingerprint = Fingerprint.of(data, st)
        self._original = self._text


def save_notes(editors: Sequence[NoteEditor]) -> list[EditRefused | None]:
    """Save many edited notes, each as its `save` would, made durable together
    (`write_edits`: one file-system sync for all, not two per note). For each editor: None
    when it was saved or had nothing to save, else the EditRefused that says why not."""
    results: list[EditRefused | None] = [None] * len(editors)
    pending: list[tuple[int, bytes]] = []
    for number, editor in enumerate(editors):
        if editor.changed:
            try:
                pending.append((number, editor._bytes_to_save()))
            except EditRefused as exc:
                results[number] = exc
    # Each note is checked again after the slow part, just before its rename, to keep the
    # window in which another editor's save could be lost as small as possible.
    written = write_edits([
        (Target.inside(editors[n].root, editors[n].relpath), data, editors[n]._check_unchanged)
        for n, data in pending
    ])
    for (number, data), outcome in zip(pending, written, strict=True):
        editor = editors[number]
        if isinstance(outcome, WriteRefused):
            results[number] = EditRefused(editor.path, outcome.message)
        else:
            editor._saved(data, outcome)
    return results
