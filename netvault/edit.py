"""The one safe way to change a note.

Edits are made on the note's text, never by re-serialising it: every byte that does not
need to change stays as it was (key order, quoting, comments, flow lists, CRLF, BOM).
Writes are atomic (temp file in the same folder, fsync, rename), keep the file's mode and
refuse a file that changed on disk since it was read. Errors are `EditRefused`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import math
import os
import re
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
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

from .errors import NetvaultError
from .parse import front_matter_problem, in_code_fences

__all__ = [
    "EditRefused",
    "Fingerprint",
    "NoteEditor",
    "append_under_heading",
    "atomic_write",
    "create_note",
    "detect_newline",
    "front_matter",
    "heading_title",
    "set_key",
    "vault_lock",
]

BOM = "\ufeff"
_BOM_BYTES = b"\xef\xbb\xbf"
_STR_TAG = "tag:yaml.org,2002:str"
_WIDE = 1 << 30  # never let the emitter fold a value over several lines
# Greedy title, trimmed in Python: a lazy title before `[ \t]*` backtracks quadratically.
_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*))?")
_HEADING_ARG = re.compile(r"\s*(#{1,6})\s+(.+?)\s*")
_BARE_CR_OPENING = re.compile(r"---[ \t]*\r(?!\n)")
_REFUSE_SUFFIX = "netvault will not rewrite it"


class EditRefused(NetvaultError):
    """netvault will not make this change; `message` says why, in one user-facing sentence."""

    def __init__(self, path: Path | None, message: str) -> None:
        super().__init__(f"{path}: {message}" if path is not None else message)
        self.path = path
        self.message = message

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


def _is_delimiter(line: str) -> bool:
    return line.rstrip("\r").rstrip(" \t") == "---"


@dataclass(frozen=True)
class _Block:
    """Where the front-matter block sits in a text (all character offsets)."""

    body_start: int  # first character after the opening `---` line
    body_end: int  # first character of the closing `---` line
    end: int  # first character after the closing line


def _find_block(text: str) -> _Block | None:
    start = 1 if text.startswith(BOM) else 0
    if not text.startswith("---", start):
        return None
    if _BARE_CR_OPENING.match(text, start):
        raise EditRefused(
            None, f"front matter uses old Mac (CR-only) line endings; {_REFUSE_SUFFIX}"
        )
    newline = text.find("\n", start)
    if not _is_delimiter(text[start : newline if newline != -1 else len(text)]):
        return None  # e.g. `----` or `--- title`: body text, not front matter
    if newline == -1:
        raise EditRefused(
            None, f"front matter is never closed (no second '---' line); {_REFUSE_SUFFIX}"
        )
    pos = newline + 1
    while True:
        nxt = text.find("\n", pos)
        line_end = nxt if nxt != -1 else len(text)
        if _is_delimiter(text[pos:line_end]):
            return _Block(newline + 1, pos, nxt + 1 if nxt != -1 else len(text))
        if nxt == -1:
            raise EditRefused(
                None, f"front matter is never closed (no second '---' line); {_REFUSE_SUFFIX}"
            )
        pos = nxt + 1


def _describe(exc: Exception, first_line: int) -> str:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        problem = exc.problem or exc.context or "error"
        return f"{problem} at line {exc.problem_mark.line + first_line}"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _parse(body: str, first_line: int) -> tuple[dict[object, object], list[Event]]:
    """The front matter's data and its parser events; refuses anything but a block mapping."""
    # What the parser cannot read is not rewritten; and the slower pure-Python pass below
    # never sees an over-size block, a YAML bomb or a 100,000-level nesting.
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


def _first_line(text: str, block: _Block) -> int:
    return text.count("\n", 0, block.body_start) + 1


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


def _dump(data: object, flow: bool) -> str:
    return yaml.safe_dump(
        data, default_flow_style=flow, width=_WIDE, allow_unicode=True, sort_keys=False
    )


def _double_quote(text: str) -> str:
    """A one-line YAML double-quoted scalar: every line break or odd character escaped."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif (0x20 <= code <= 0x7E or 0xA0 <= code <= 0xFFFD or code >= 0x10000) and (
            ch not in "\u2028\u2029\ufeff" and not 0xD800 <= code <= 0xDFFF
        ):
            out.append(ch)
        elif code <= 0xFF:
            out.append(f"\\x{code:02X}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04X}")
        else:
            out.append(f"\\U{code:08X}")
    out.append('"')
    return "".join(out)


def _reads_back(rendered: str, value: object, flow: bool) -> bool:
    doc = f"k: [{rendered}]" if flow else f"k: {rendered}"
    try:
        data = yaml.load(doc, Loader=_Loader)  # _Loader is a SafeLoader
    except yaml.YAMLError:
        return False
    return _same(data, {"k": [value] if flow else value})


def _render_scalar(value: object, *, flow: bool) -> str:
    """One line of YAML for a scalar: plain when that reads back the same, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if flow:
        out = _dump([value], True)
        rendered = out[1:-2] if out.startswith("[") and out.endswith("]\n") else ""
    else:
        out = _dump({"k": value}, False)
        rendered = out[3:-1] if out.startswith("k: ") and out.endswith("\n") else ""
    one_line = rendered and "\n" not in rendered and "\r" not in rendered
    if one_line and _reads_back(rendered, value, flow):
        return rendered
    if isinstance(value, str):
        rendered = _double_quote(value)
        if _reads_back(rendered, value, flow):
            return rendered
    raise EditRefused(None, f"netvault cannot write the value {value!r} on one line")


def _render_flow(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_render_flow(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{_render_flow(k)}: {_render_flow(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    return _render_scalar(value, flow=True)


def _render_inline(value: object) -> str:
    """The value as it follows `key: ` on the same line."""
    if isinstance(value, list | dict):
        return _render_flow(value)
    return _render_scalar(value, flow=False)


def _render_key(key: str) -> str:
    out = _dump({key: None}, False)
    suffix = ": null\n"
    rendered = out[: -len(suffix)] if out.endswith(suffix) else ""
    if not rendered or "\n" in rendered:
        raise EditRefused(None, f"netvault cannot write the key {key!r} on one line")
    return rendered


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
        # Keep a block list a block list, at the same indentation.
        items = [
            _render_flow(item)
            if isinstance(item, list | dict)
            else _render_scalar(item, flow=False)
            for item in value
        ]
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


def heading_title(raw: str) -> str:
    """A heading's text without trailing blanks and without a closing `##` run."""
    title = raw.rstrip(" \t")
    bare = title.rstrip("#")
    if bare != title and (not bare or bare[-1] in " \t"):
        title = bare.rstrip(" \t")
    return title


def _headings(text: str, lines: list[tuple[int, int, int]]) -> list[tuple[int, int, str]]:
    """(line index, level, normalised title) of each ATX heading outside fenced code."""
    found: list[tuple[int, int, str]] = []
    contents = [text[start:content_end] for start, content_end, _ in lines]
    for idx, (content, in_code) in enumerate(zip(contents, in_code_fences(contents), strict=True)):
        if in_code:
            continue
        match = _HEADING.fullmatch(content)
        if match:
            title = heading_title(match.group(2) or "")
            found.append((idx, len(match.group(1)), _norm_title(title)))
    return found


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
    headings = _headings(text, lines)
    wanted = _norm_title(title)
    candidates = [h for h in headings if h[2] == wanted]
    chosen = next((h for h in candidates if h[1] == level), candidates[0] if candidates else None)
    if chosen is not None:
        h_idx, h_level, _ = chosen
        section_end = next((i for i, lv, _ in headings if i > h_idx and lv <= h_level), len(lines))
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


# --------------------------------------------------------------------------- writing files


@dataclass(frozen=True)
class Fingerprint:
    """What a file looked like when netvault read it."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, data: bytes, st: os.stat_result) -> Fingerprint:
        return cls(len(data), st.st_mtime_ns, hashlib.sha256(data).hexdigest())


def _read(path: Path) -> tuple[bytes, os.stat_result]:
    with open(path, "rb") as handle:
        st = os.fstat(handle.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise EditRefused(path, "is not a regular file; netvault will not write to it")
        return handle.read(), st


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _fsync_dir(directory: Path) -> None:
    # Best effort: makes the rename itself durable; not every file system allows it.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _failure(exc: OSError, what: str) -> str:
    reason = "no space left on device" if exc.errno == errno.ENOSPC else exc.strerror or str(exc)
    return f"could not write it ({reason}); {what}, nothing was lost"


def _link_new(tmp: str, path: Path) -> None:
    """Give the finished temp file its name only if that name is still free."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (
            errno.EPERM,
            errno.ENOTSUP,
            errno.EOPNOTSUPP,
            errno.EXDEV,
            errno.ENOSYS,
        ):
            raise
        # No hard links here (some synced or FAT file systems): claim the name with
        # O_EXCL first, so a concurrent creator still cannot be overwritten.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.replace(tmp, path)
        return
    with contextlib.suppress(OSError):
        os.unlink(tmp)


TEMP_PREFIX = ".netvault-"
TEMP_SUFFIX = ".tmp"
# A write killed before its rename leaves its temp file behind (hidden, never read as a
# note). A live write takes well under this long, so an older one is a leftover.
STALE_TEMP_SECONDS = 60.0
_SWEPT: set[Path] = set()


def _remove_stale_temps(directory: Path) -> None:
    """Remove leftover temp files of killed writes, once per folder per process."""
    if directory in _SWEPT:
        return
    _SWEPT.add(directory)
    cutoff = time.time() - STALE_TEMP_SECONDS
    with contextlib.suppress(OSError), os.scandir(directory) as entries:
        for entry in entries:
            if not (entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(TEMP_SUFFIX)):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff:
                    os.unlink(entry.path)


class _UndoFailed(EditRefused):
    """A refused save whose rename could not be undone; the temp file holds the other text."""


@contextlib.contextmanager
def _read_lease(fd: int) -> Iterator[Callable[[], bool] | None]:
    """Hold a Linux read lease on the open file `fd` for the duration of the block.

    While it is held, a program that opens the file for writing waits (at most
    /proc/sys/fs/lease-break-time) until netvault lets go. Yields a function telling whether
    one has tried, or None where there are no leases (not Linux, not the main thread, not
    the file's owner, a file system without them). EditRefused if the file is open for
    writing right now.
    """
    set_lease = getattr(fcntl, "F_SETLEASE", None)
    if set_lease is None or threading.current_thread() is not threading.main_thread():
        yield None
        return
    # A broken lease is announced with SIGIO, whose default action ends the process.
    previous = signal.signal(signal.SIGIO, signal.SIG_IGN)
    try:
        try:
            fcntl.fcntl(fd, set_lease, fcntl.F_RDLCK)
        except OSError as exc:
            if exc.errno == errno.EAGAIN:
                raise EditRefused(
                    None,
                    "is open for writing in another program; nothing written "
                    "(save or close it there, then run the command again)",
                ) from None
            leased = False
        else:
            leased = True
        if not leased:
            yield None
            return
        try:
            yield lambda: fcntl.fcntl(fd, fcntl.F_GETLEASE) != fcntl.F_RDLCK
        finally:
            fcntl.fcntl(fd, set_lease, fcntl.F_UNLCK)
    finally:
        signal.signal(signal.SIGIO, previous)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: str, b: Path) -> bool:
    """Swap two names atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), a)


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino, a.st_size, a.st_mtime_ns) == (b.st_dev, b.st_ino, b.st_size,
                                                              b.st_mtime_ns)


def _replace_unless_changed(tmp: str, path: Path, check_unchanged: Callable[[], None]) -> None:
    """Rename `tmp` over `path` unless another program changes `path` meanwhile.

    `check_unchanged` raises EditRefused when `path` no longer holds what netvault read. A
    check followed by a rename leaves a moment in which another program's save would be
    lost, so: a read lease makes a program that opens the old file for writing wait, and
    an atomic exchange shows which file was really replaced. If that is not the checked
    file, or a program is waiting to write to it, the exchange is undone (its writer then
    writes to the live note) and the save refused. Without leases or renameat2 the check
    runs right before a plain rename.
    """
    try:
        old = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        check_unchanged()  # says the note was deleted
        raise
    try:
        with _read_lease(old) as writer_waiting:
            before = os.fstat(old)
            check_unchanged()
            if not _same_file(os.stat(path), before):
                raise EditRefused(path, _CHANGED)
            if not _exchange(tmp, path):
                os.replace(tmp, path)
                return
            replaced = os.stat(tmp)
            if _same_file(replaced, before) and not (writer_waiting and writer_waiting()):
                with contextlib.suppress(OSError):  # the old text, now under the temp name
                    os.unlink(tmp)
                return
            try:
                undone = _exchange(tmp, path)
            except OSError:
                undone = False
            if not undone:
                raise _UndoFailed(
                    path,
                    f"changed on disk while netvault was saving it; the other text is in {tmp}",
                )
            raise EditRefused(path, _CHANGED)
    finally:
        os.close(old)


def _write_atomically(
    path: Path,
    data: bytes,
    mode: int,
    *,
    new: bool = False,
    before_commit: Callable[[], None] | None = None,
) -> os.stat_result:
    directory = path.parent
    tmp: str | None = None
    try:
        _remove_stale_temps(directory)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
        if new:
            if before_commit is not None:
                before_commit()
            _link_new(tmp, path)
        elif before_commit is not None:
            try:
                _replace_unless_changed(tmp, path, before_commit)
            except _UndoFailed:
                tmp = None  # it holds the other program's text now: keep it
                raise
        else:
            os.replace(tmp, path)
        tmp = None
        _fsync_dir(directory)
        return os.stat(path)
    except FileExistsError:
        raise EditRefused(path, "already exists; netvault will not overwrite it") from None
    except OSError as exc:
        what = "the note was not created" if new else "the note was left as it was"
        raise EditRefused(path, _failure(exc, what)) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def atomic_write(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace (or create) `path` with `data` atomically; keeps an existing file's mode."""
    path = Path(path)
    if mode is None:
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
    _write_atomically(path, data, mode)


def create_note(path: Path, text: str) -> None:
    """Create a new note atomically; EditRefused if the file exists (even if created meanwhile)."""
    path = Path(path)
    if os.path.lexists(path):
        raise EditRefused(path, "already exists; netvault will not overwrite it")
    try:
        front_matter(text)
    except EditRefused as exc:
        raise exc.with_path(path) from None
    _write_atomically(path, text.encode("utf-8"), 0o666 & ~_umask(), new=True)


# --------------------------------------------------------------------------- the session API


_CHANGED = "changed on disk since netvault read it; nothing written (run the command again)"


class NoteEditor:
    """Read a note once, edit its text, save it only if nobody changed it meanwhile."""

    def __init__(
        self, path: Path, text: str, bom: bool, mode: int, fingerprint: Fingerprint
    ) -> None:
        self.path = path
        self.bom = bom
        self.mode = mode
        self.fingerprint = fingerprint
        self._original = text
        self._text = text

    @classmethod
    def open(cls, path: Path) -> NoteEditor:
        """Read `path`; EditRefused if it is not UTF-8 or its front matter cannot be edited."""
        path = Path(path)
        try:
            data, st = _read(Path(os.path.realpath(path)))
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
        return cls(path, text, bom, stat.S_IMODE(st.st_mode), Fingerprint.of(data, st))

    @property
    def text(self) -> str:
        """The note's current text (without the BOM, which `save` puts back)."""
        return self._text

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
        try:
            front_matter(text)
        except EditRefused as exc:
            raise exc.with_path(self.path) from None
        _normalise(text)
        self._text = text

    def _apply(self, operation: Callable[[str], str]) -> None:
        try:
            self._text = operation(self._text)
        except EditRefused as exc:
            raise exc.with_path(self.path) from None

    def set_key(self, key: str, value: object) -> None:
        """Set a top-level front-matter key (see `set_key`)."""
        self._apply(lambda text: set_key(text, key, value))

    def append_under_heading(self, heading: str, line: str) -> None:
        """Append a line under a heading (see `append_under_heading`)."""
        self._apply(lambda text: append_under_heading(text, heading, line))

    def _check_unchanged(self, target: Path) -> None:
        try:
            current, _ = _read(target)
        except FileNotFoundError:
            raise EditRefused(
                self.path, "was deleted since netvault read it; nothing written"
            ) from None
        if len(current) != self.fingerprint.size or (
            hashlib.sha256(current).hexdigest() != self.fingerprint.sha256
        ):
            raise EditRefused(self.path, _CHANGED)

    def save(self) -> bool:
        """Write the edits atomically; False (and no write) if nothing changed."""
        if not self.changed:
            return False
        # Write through a symlink rather than replacing the link with a file.
        target = Path(os.path.realpath(self.path))
        data = (_BOM_BYTES if self.bom else b"") + self._text.encode("utf-8")
        try:
            self._check_unchanged(target)
            # Checked again after the slow part, just before the rename, to keep the
            # window in which another editor's save could be lost as small as possible.
            st = _write_atomically(
                target, data, self.mode, before_commit=lambda: self._check_unchanged(target)
            )
        except EditRefused as exc:
            raise EditRefused(self.path, exc.message) from None
        self.fingerprint = Fingerprint.of(data, st)
        self._original = self._text
        return True


# --------------------------------------------------------------------------- the vault lock

_HELD: dict[Path, int] = {}


# In a git vault the lock, the cache and unsent drafts are machine state, not notes;
# templates and the report state in the same folder stay versioned.
STATE_GITIGNORE = "lock\ncache/\noutbox/\n"


def _ignore_machine_state(state_folder: Path) -> None:
    """Write `.netvault/.gitignore` once; an existing one is the user's and is kept."""
    with contextlib.suppress(FileExistsError):
        fd = os.open(state_folder / ".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(STATE_GITIGNORE)


@contextlib.contextmanager
def vault_lock(vault_root: Path, *, timeout: float | None = 30.0) -> Iterator[Path]:
    """Hold the vault-wide write lock (`.netvault/lock`) for the duration of the block.

    An flock, so the kernel releases it if the process dies. Re-entrant within a process.
    """
    lock_path = Path(vault_root) / ".netvault" / "lock"
    key = Path(os.path.realpath(lock_path))
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield lock_path
        finally:
            _HELD[key] -= 1
        return
    try:
        lock_path.parent.mkdir(exist_ok=True)
        _ignore_machine_state(lock_path.parent)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise EditRefused(
            lock_path, f"could not take the vault lock ({exc.strerror or exc}); nothing written"
        ) from exc
    try:
        if timeout is None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        else:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise EditRefused(
                            lock_path,
                            "another netvault process is changing this vault; nothing written "
                            "(try again when it has finished)",
                        ) from None
                    time.sleep(0.05)
        with contextlib.suppress(OSError):  # who holds it, for people looking; the flock decides
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        _HELD[key] = 1
        try:
            yield lock_path
        finally:
            del _HELD[key]
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
