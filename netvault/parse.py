"""Turn one file's bytes into a note (contact or not) and its problems. Pure; never raises.

Front-matter boundaries come from python-frontmatter's YAML handler and the YAML itself from
PyYAML (its C loader when present). Only YAML front-matter is read: a note that starts with
`+++` or `{` is plain markdown here, as it is in Obsidian.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any, Literal

import yaml

from .dates import parse_interval
from .model import (
    CHANNELS,
    CONSENT_WORDS,
    TIE_BY_LABEL,
    TIE_LABELS,
    Birthday,
    Consent,
    ConsentValue,
    Contact,
    ContactRule,
    Interaction,
    Link,
    Move,
    Note,
    ParsedNote,
    Problem,
    Severity,
    Task,
)

# Note syntax lives in `syntax`; `in_code_fences`, `link_target` and `link_text` are also
# read from here, and `fold` (in `text`) too.
from .syntax import BOM, WIKILINK, find_front_matter, whole_wikilink, without_code_spans
from .syntax import in_code_fences as in_code_fences
from .syntax import link_target as link_target
from .syntax import link_text as link_text
from .text import fold as fold

# Bounds that keep one hostile note from costing the whole run (see docs/limits.md).
MAX_FRONT_MATTER_CHARS = 256 * 1024
MAX_YAML_NODES = 20_000
MAX_YAML_DEPTH = 64

# Characters that end a wikilink's target early, so a note named with one cannot be linked.
_LINK_BREAKING = frozenset("#^[]|")
_ISO_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_OPEN_TASK = re.compile(r"^\[ \]\s+(.*)$")
_DONE_TASK = re.compile(r"^\[[^\] ]\]\s")
_DATED_ITEM = re.compile(r"^(\d{4}-\d{2}-\d{2})(?![\d-])\s*(.*)$")
# No lazy group between optional spaces: that backtracks cubically on `(` and many spaces.
_CHANNEL_PAREN = re.compile(r"\(([a-zA-Z\s-]+)\)")
_DUE = re.compile(r"📅\s*(\d{4}-\d{2}-\d{2})")
_FAVOR = re.compile(r"(?<![\w/])#(gave|got)\b", re.IGNORECASE)
_QUOTE = re.compile(r"^\s*>")
# Greedy title, trimmed in Python: a lazy one before trailing blanks backtracks quadratically.
_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*))?")
# Dated lines under this heading are job changes (`Contact.moves`), not interactions.
CAREER_TITLE = "career"
_VCARD_BIRTHDAY = re.compile(r"^--(\d{2})-?(\d{2})$")

_TIE_BY_LABEL = TIE_BY_LABEL
_CONSENT_WORDS = CONSENT_WORDS


def channel_of(text: str) -> str | None:
    """The interaction channel a parenthesis names, normalised; None if it names none."""
    word = " ".join(text.lower().replace("-", " ").split())
    if word in ("in person", "inperson", "irl", "face to face"):
        return "in person"
    return word if word in CHANNELS else None


class InvalidDate:
    """A YAML timestamp that names no real day (e.g. 2026-02-30); kept to report it."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"InvalidDate({self.text!r})"

    # Value equality, so a cached parse compares equal to a fresh one.
    def __eq__(self, other: object) -> bool:
        return isinstance(other, InvalidDate) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def _libyaml_bounds_nesting() -> bool:
    """libyaml caps nesting at 1,000 levels from 0.2.5 on. With an older one, PyYAML's C
    composer recurses once per level and 100,000 `[` overflow the C stack (a crash, not an
    exception); the pure-Python loader raises RecursionError instead, which is reported."""
    try:
        from yaml import _yaml
    except ImportError:
        return False
    return tuple(_yaml.get_version()) >= (0, 2, 5)


_BaseLoader: Any = (
    yaml.CSafeLoader
    if getattr(yaml, "__with_libyaml__", False) and _libyaml_bounds_nesting()
    else yaml.SafeLoader
)


class _Loader(_BaseLoader):  # type: ignore[misc]
    """Safe YAML loader that records duplicate keys and keeps impossible dates as values."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key = key_node.value
                line = key_node.start_mark.line
                if key in seen:
                    self.duplicates.append((str(key), seen[key], line))
                seen[key] = line
        return super().construct_mapping(node, deep=deep)


def _construct_timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return InvalidDate(str(node.value))


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class _Collector:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, line: int, severity: Severity, code: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, severity, code, message))

    def error(self, line: int, code: str, message: str) -> None:
        self.add(line, "error", code, message)

    def warning(self, line: int, code: str, message: str) -> None:
        self.add(line, "warning", code, message)


def parse_note(
    relpath: str, data: bytes, contacts: str | ContactRule = "people"
) -> ParsedNote:
    """Parse one note. `relpath` is the vault-relative POSIX path, used in problems;
    `contacts`: the contacts folder, or the whole rule for what makes a note a contact."""
    rule = contacts if isinstance(contacts, ContactRule) else ContactRule(contacts)
    out = _Collector(relpath)
    pure = PurePosixPath(relpath)
    title = pure.stem if pure.suffix.lower() == ".md" else pure.name
    in_contacts = relpath.startswith(rule.folder.rstrip("/") + "/")
    unlinkable = sorted(set(title) & _LINK_BREAKING)
    if unlinkable:
        out.warning(
            1,
            "unlinkable-name",
            f"the file name holds {' '.join(unlinkable)}: no [[wikilink]] can reach this note "
            "(Obsidian warns the same); rename the file",
        )

    if b"\x00" in data[:8192]:
        out.error(1, "binary", "the file holds NUL bytes: it is not a text note")
        return ParsedNote(Note(path=relpath, title=title), tuple(out.problems))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex().upper()
        out.error(
            line,
            "encoding",
            f"not valid UTF-8 (byte 0x{bad} at offset {exc.start}); "
            "re-save the note as UTF-8",
        )
        return ParsedNote(Note(path=relpath, title=title), tuple(out.problems))
    if text.startswith(BOM):
        text = text[1:]
    text = text.replace("\r\n", "\n")

    if not text.strip():
        if in_contacts:
            out.warning(1, "empty-note", "the note is empty; the file name is used as the name")
            empty = Contact(name=title, path=relpath)
            return ParsedNote(Note(path=relpath, title=title, contact=empty), tuple(out.problems))
        return ParsedNote(Note(path=relpath, title=title), tuple(out.problems))

    meta, key_lines, body, body_line, fm_ok = _split_front_matter(text, out)
    kind = meta.get("type")
    untyped = kind is None or kind == ""
    is_contact = fm_ok and (
        kind == rule.person_type
        or (untyped and (in_contacts or _tagged(meta.get("tags"), rule.person_tag)))
    )
    note_date = _note_date(title, meta, key_lines, is_contact, out)
    scan = _scan_body(body, body_line, relpath, out)

    contact: Contact | None = None
    links = list(scan.links)
    if is_contact:
        contact, front_links = _contact(title, relpath, meta, key_lines, scan, out)
        links = front_links + links

    note = Note(
        path=relpath,
        title=title,
        contact=contact,
        date=note_date,
        meta=meta,
        links=tuple(links),
        mention_links=tuple(scan.mentions),
        mention_channels=scan.channels,
        interactions=tuple(scan.interactions),
        tasks=tuple(scan.tasks),
        body=body,
        key_lines=key_lines,
    )
    return ParsedNote(note, tuple(out.problems))


def _split_front_matter(
    text: str, out: _Collector
) -> tuple[dict[str, Any], dict[str, int], str, int, bool]:
    """(metadata, key -> line, body, first body line, front-matter readable)."""
    block = find_front_matter(text)
    if block is None:
        return {}, {}, text, 1, True
    if not block.closed:
        out.warning(
            1,
            "unclosed-front-matter",
            f"front-matter opened with {block.opening.strip()} on line 1 is never closed; the "
            "note is read as body",
        )
        return {}, {}, text, 1, True
    fm_text = text[block.body_start : block.body_end]
    fm_first_line = 2  # the line after the opening delimiter
    body_start = block.end
    body_line = text.count("\n", 0, body_start) + 1
    body = text[body_start:]
    meta, key_lines, ok = _load_yaml(fm_text, fm_first_line, out)
    return meta, key_lines, body, body_line, ok


def front_matter_problem(fm_text: str, first_line: int) -> Problem | None:
    """The error that stops the parser reading this front-matter block (too large, too
    complex, invalid YAML, not a mapping), or None. `first_line`: the block's first line,
    after the opening delimiter (problems of the block as a whole point at that delimiter).

    The editor asks first, so it refuses what the parser refuses before its slower
    pure-Python YAML pass ever sees a bomb or a deep nesting.
    """
    out = _Collector("")
    _load_yaml(fm_text, first_line, out)
    return next((p for p in out.problems if p.severity == "error"), None)


def _load_yaml(
    fm_text: str, first_line: int, out: _Collector
) -> tuple[dict[str, Any], dict[str, int], bool]:
    if len(fm_text) > MAX_FRONT_MATTER_CHARS:
        out.error(
            first_line - 1,
            "front-matter-too-large",
            f"front-matter is {len(fm_text):,} characters; the limit is "
            f"{MAX_FRONT_MATTER_CHARS:,}",
        )
        return {}, {}, False
    if not fm_text.strip():
        return {}, {}, True
    return _load_with_pyyaml(fm_text, first_line, out)


# YAML also breaks lines at a lone CR, NEL, LS and PS; netvault, like Obsidian, counts
# lines by LF, so YAML's line numbers are mapped back to the note's.
_YAML_ONLY_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _line_mapper(fm_text: str, first_line: int) -> Callable[[int], int]:
    """The note's line for a 0-based YAML line of the front-matter block."""
    if not _YAML_ONLY_BREAK.search(fm_text):
        return lambda line: first_line + line
    note_lines = [first_line]
    for match in _YAML_BREAK.finditer(fm_text):
        note_lines.append(note_lines[-1] + match.group().endswith("\n"))
    return lambda line: note_lines[min(line, len(note_lines) - 1)]


def _load_with_pyyaml(
    fm_text: str, first_line: int, out: _Collector
) -> tuple[dict[str, Any], dict[str, int], bool]:
    line_of = _line_mapper(fm_text, first_line)
    loader = _Loader(fm_text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}, True
        complexity = _too_complex(node)
        if complexity:
            where, reason = complexity
            out.error(line_of(where), "front-matter-too-complex", reason)
            return {}, {}, False
        if not isinstance(node, yaml.MappingNode):
            out.error(
                line_of(node.start_mark.line),
                "front-matter-not-mapping",
                "front-matter must be a mapping of keys to values",
            )
            return {}, {}, False
        key_lines = {
            str(k.value): line_of(k.start_mark.line)
            for k, _ in node.value
            if isinstance(k, yaml.ScalarNode)
        }
        meta = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = line_of(mark.line) if mark else first_line - 1
        reason = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.context_mark and exc.context_mark is not mark:
            reason += f" ({exc.context} on line {line_of(exc.context_mark.line)})"
        out.error(line, "yaml", f"invalid YAML: {reason}")
        return {}, {}, False
    # PyYAML's constructors fail in plain Python on explicit tags with odd values: an empty
    # `!!float` is an IndexError, an empty `!!bool` a KeyError, an empty `!!timestamp` an
    # AttributeError, `!!set [a]` a TypeError.
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, IndexError, KeyError,
            AttributeError, OverflowError) as exc:
        out.error(first_line - 1, "yaml", f"invalid YAML: {type(exc).__name__}: {exc}")
        return {}, {}, False
    finally:
        loader.dispose()
    _report_duplicates(loader.duplicates, line_of, out)
    if not isinstance(meta, dict):
        out.error(first_line - 1, "front-matter-not-mapping", "front-matter must be a mapping")
        return {}, {}, False
    clean = {str(k): v for k, v in meta.items()}
    return clean, key_lines, True


def _report_duplicates(
    duplicates: list[tuple[str, int, int]], line_of: Callable[[int], int], out: _Collector
) -> None:
    for key, first, second in duplicates:
        out.warning(
            line_of(second),
            "duplicate-key",
            f"key {key!r} also set on line {line_of(first)}; the last one wins",
        )


def _too_complex(root: yaml.Node) -> tuple[int, str] | None:
    """Bound the node graph as aliases would expand it: stops YAML bombs before construction.

    Returns (0-based line, reason): the line of the top-level key whose value grows too
    large, or of the node nested too deep.
    """
    # Counting level by level makes no tuple per node; it stops as soon as a limit is
    # crossed, and only then does the walk below find which node to blame.
    level: list[yaml.Node] = [root]
    count = 0
    depth = 1
    while level:
        count += len(level)
        if count > MAX_YAML_NODES or depth > MAX_YAML_DEPTH:
            return _first_too_complex(root)
        below: list[yaml.Node] = []
        for node in level:
            if isinstance(node, yaml.SequenceNode):
                below.extend(node.value)
            elif isinstance(node, yaml.MappingNode):
                for pair in node.value:
                    below.extend(pair)
        level = below
        depth += 1
    return None


def _first_too_complex(root: yaml.Node) -> tuple[int, str] | None:
    """`_too_complex`'s answer, walking depth first to the first node past a limit."""
    budget = MAX_YAML_NODES
    # (node, depth, line of the top-level key it belongs to)
    stack: list[tuple[yaml.Node, int, int]] = [(root, 1, root.start_mark.line)]
    while stack:
        node, depth, top = stack.pop()
        budget -= 1
        if budget < 0:
            return top, (
                f"front-matter expands to more than {MAX_YAML_NODES:,} values (YAML aliases?)"
            )
        if depth > MAX_YAML_DEPTH:
            return node.start_mark.line, (
                f"front-matter is nested more than {MAX_YAML_DEPTH} levels deep"
            )
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1, top) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                owner = key.start_mark.line if depth == 1 else top
                stack.append((key, depth + 1, owner))
                stack.append((value, depth + 1, owner))
    return None


def _tagged(tags: object, wanted: str | None) -> bool:
    """Whether front-matter `tags` hold `wanted` (or a nested `wanted/...`), `#` or not."""
    if not wanted or tags is None:
        return False
    items = tags if isinstance(tags, list) else [tags]
    key = fold(wanted.lstrip("#"))
    for item in items:
        if isinstance(item, str):
            tag = fold(item.strip().lstrip("#"))
            if tag == key or tag.startswith(key + "/"):
                return True
    return False


def _note_date(
    title: str,
    meta: Mapping[str, Any],
    key_lines: Mapping[str, int],
    is_contact: bool,
    out: _Collector,
) -> date | None:
    if _ISO_NAME.match(title):
        try:
            return date.fromisoformat(title)
        except ValueError:
            out.warning(1, "bad-date", f"file name {title!r} looks like a date but is not one")
            return None
    if is_contact or "date" not in meta:
        return None
    return _date_value(meta["date"], "date", key_lines.get("date", 1), out)


class _BodyScan:
    __slots__ = ("channels", "interactions", "links", "mentions", "moves", "tasks")

    def __init__(self) -> None:
        self.links: list[Link] = []
        self.mentions: list[Link] = []
        self.channels: dict[int, str] = {}
        self.interactions: list[Interaction] = []
        self.tasks: list[Task] = []
        self.moves: list[Move] = []


def _links_in(line: str, number: int) -> list[Link]:
    if "[[" not in line:
        return []
    visible = without_code_spans(line) if "`" in line else line
    found = []
    for match in WIKILINK.finditer(visible):
        target = link_target(match.group(2))
        if target:
            found.append(Link(target, number))
    return found


def link_targets(text: str) -> list[str]:
    """The targets of the wikilinks in one line of text, as the parser reads them."""
    return [link.target for link in _links_in(text, 1)]


def _scan_body(body: str, first_line: int, path: str, out: _Collector) -> _BodyScan:
    scan = _BodyScan()
    lines = body.split("\n")
    career: int | None = None  # the level of the `## Career` heading we are under
    for offset, (line, in_code) in enumerate(zip(lines, in_code_fences(lines), strict=True)):
        if not line or in_code:
            continue
        number = first_line + offset
        if line.lstrip(" ").startswith("#") and (heading := _HEADING.fullmatch(line)):
            level = len(heading.group(1))
            if fold((heading.group(2) or "").rstrip(" \t#")) == CAREER_TITLE:
                career = level
            elif career is not None and level <= career:
                career = None
        links = _links_in(line, number)
        scan.links.extend(links)
        if ">" in line and _QUOTE.match(line):
            continue
        if links:
            for paren in _CHANNEL_PAREN.finditer(line):
                channel = channel_of(paren.group(1))
                if channel:
                    scan.channels[number] = channel
                    break
        item = _LIST_ITEM.match(line)
        if item is None:
            scan.mentions.extend(links)
            continue
        content = item.group(1)
        task = _OPEN_TASK.match(content)
        if task:
            scan.tasks.append(_task(task.group(1), path, number, links, out))
            continue
        scan.mentions.extend(links)
        if _DONE_TASK.match(content):
            continue
        dated = _DATED_ITEM.match(content)
        if dated and career is not None:
            move = _move(dated.group(1), dated.group(2), number, out)
            if move:
                scan.moves.append(move)
        elif dated:
            interaction = _interaction(dated.group(1), dated.group(2), path, number, links, out)
            if interaction:
                scan.interactions.append(interaction)
    return scan


def _move(day: str, text: str, number: int, out: _Collector) -> Move | None:
    try:
        return Move(date.fromisoformat(day), text.strip(), number)
    except ValueError:
        out.error(number, "bad-date", f"career date {day} is not a real date")
        return None


def _task(text: str, path: str, number: int, links: list[Link], out: _Collector) -> Task:
    due: date | None = None
    due_match = _DUE.search(text)
    if due_match:
        try:
            due = date.fromisoformat(due_match.group(1))
        except ValueError:
            out.error(number, "bad-date", f"task due date {due_match.group(1)} is not a real date")
    return Task(
        text=" ".join(_DUE.sub("", text).split()),
        due=due,
        path=path,
        line=number,
        links=tuple(link.target for link in links),
    )


def _interaction(
    day: str, rest: str, path: str, number: int, links: list[Link], out: _Collector
) -> Interaction | None:
    try:
        when = date.fromisoformat(day)
    except ValueError:
        out.error(number, "bad-date", f"interaction date {day} is not a real date")
        return None
    channel: str | None = None
    paren = _CHANNEL_PAREN.match(rest)
    if paren:
        channel = channel_of(paren.group(1))
        if channel:
            rest = rest[paren.end() :]
    favor_match = _FAVOR.search(rest)
    favor: Literal["gave", "got"] | None = None
    if favor_match:
        favor = "gave" if favor_match.group(1).lower() == "gave" else "got"
    return Interaction(
        date=when,
        channel=channel,
        text=rest.strip(),
        path=path,
        line=number,
        favor=favor,
        links=tuple(link.target for link in links),
    )


def _contact(
    title: str,
    relpath: str,
    meta: Mapping[str, Any],
    key_lines: Mapping[str, int],
    scan: _BodyScan,
    out: _Collector,
) -> tuple[Contact, list[Link]]:
    def line(key: str) -> int:
        return key_lines.get(key, 1)

    name = title
    if "name" in meta and meta["name"] is not None:
        value = meta["name"]
        if isinstance(value, str) and value.strip():
            name = " ".join(value.split())
        else:
            out.error(line("name"), "bad-type", f"name must be text, not {_shown(value)}")

    consent = _consent(meta, key_lines, out)
    front_links: list[Link] = []
    introduced_by: str | None = None
    if meta.get("introduced_by") not in (None, ""):
        raw = meta["introduced_by"]
        if isinstance(raw, list) and len(raw) == 1:
            raw = raw[0]
        if isinstance(raw, str):
            inner = raw.strip()
            linked = whole_wikilink(inner)
            introduced_by = link_target(linked) if linked is not None else inner
            if introduced_by:
                front_links.append(Link(introduced_by, line("introduced_by")))
        else:
            out.error(line("introduced_by"), "bad-type", "introduced_by must be a [[wikilink]]")

    tie = _tie(meta.get("tie"), line("tie"), out)
    cadence_days: int | None = None
    raw_cadence = meta.get("cadence")
    if raw_cadence not in (None, ""):
        if isinstance(raw_cadence, int) and not isinstance(raw_cadence, bool) and raw_cadence > 0:
            cadence_days = raw_cadence
        else:
            try:
                cadence_days = parse_interval(str(raw_cadence))
            except ValueError as exc:
                out.error(line("cadence"), "bad-cadence", f"cadence: {exc}")

    met_in_person = _bool(meta.get("met_in_person"), "met_in_person", line("met_in_person"), out)
    in_person_logged = any(i.channel == "in person" for i in scan.interactions)
    contact = Contact(
        name=name,
        path=relpath,
        aliases=_texts(meta.get("aliases"), "aliases", line("aliases"), out),
        tags=tuple(t.lstrip("#") for t in _texts(meta.get("tags"), "tags", line("tags"), out)),
        tie=tie,
        first_met=_date_value(meta.get("first_met"), "first_met", line("first_met"), out),
        last_met=_date_value(meta.get("last_met"), "last_met", line("last_met"), out),
        met_in_person=bool(met_in_person) or in_person_logged,
        relationship=_texts(meta.get("relationship"), "relationship", line("relationship"), out),
        company=_text(meta.get("company"), "company", line("company"), out),
        role=_text(meta.get("role"), "role", line("role"), out),
        location=_text(meta.get("location"), "location", line("location"), out),
        emails=_texts(meta.get("email"), "email", line("email"), out),
        phones=_texts(meta.get("phone"), "phone", line("phone"), out),
        links=_texts(meta.get("links"), "links", line("links"), out),
        cadence_days=cadence_days,
        consent=consent,
        introduced_by=introduced_by,
        offers=_texts(meta.get("offers"), "offers", line("offers"), out),
        needs=_texts(meta.get("needs"), "needs", line("needs"), out),
        interests=_texts(meta.get("interests"), "interests", line("interests"), out),
        oak=bool(_bool(meta.get("oak"), "oak", line("oak"), out)),
        birthday=_birthday(meta.get("birthday"), line("birthday"), out),
        connected_on=_date_value(
            meta.get("connected_on"), "connected_on", line("connected_on"), out
        ),
        linkedin_urn=_text(meta.get("linkedin_urn"), "linkedin_urn", line("linkedin_urn"), out),
        source=_text(meta.get("source"), "source", line("source"), out),
        moves=tuple(scan.moves),
    )
    return contact, front_links


def _shown(value: object) -> str:
    text = repr(value) if not isinstance(value, InvalidDate) else value.text
    return text if len(text) <= 40 else text[:37] + "..."


def _text(value: object, key: str, line: int, out: _Collector) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool | dict | list | tuple | set | bytes):
        out.error(line, "bad-type", f"{key} must be text, not {_shown(value)}")
        return None
    text = " ".join(str(value).split()) if not isinstance(value, InvalidDate) else value.text
    return text or None


def _texts(value: object, key: str, line: int, out: _Collector) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    items: Iterable[object]
    if isinstance(value, str):
        items = [value]
    elif isinstance(value, list | tuple):
        items = value
    else:
        items = [value]
    result: list[str] = []
    for item in items:
        text = _text(item, key, line, out)
        if text and text not in result:
            result.append(text)
    return tuple(result)


def _tie(value: object, line: int, out: _Collector) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
        return value
    if isinstance(value, str):
        word = " ".join(value.strip().lower().split())
        if word.isdigit() and 1 <= int(word) <= 5:
            return int(word)
        if word in _TIE_BY_LABEL:
            return _TIE_BY_LABEL[word]
        if word.replace(" ", "-") in _TIE_BY_LABEL:
            return _TIE_BY_LABEL[word.replace(" ", "-")]
    labels = ", ".join(TIE_LABELS.values())
    out.error(line, "bad-tie", f"tie must be 1-5 or one of {labels}; got {_shown(value)}")
    return None


def _date_value(value: object, key: str, line: int, out: _Collector) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, InvalidDate):
        out.error(line, "bad-date", f"{key}: {value.text} is not a real date")
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    out.error(line, "bad-date", f"{key} must be a date (YYYY-MM-DD), not {_shown(value)}")
    return None


def _bool(value: object, key: str, line: int, out: _Collector) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("yes", "true", "no", "false"):
        return value.strip().lower() in ("yes", "true")
    out.error(line, "bad-type", f"{key} must be true or false, not {_shown(value)}")
    return None


def _consent(meta: Mapping[str, Any], key_lines: Mapping[str, int], out: _Collector) -> Consent:
    """Consent as two flat properties (`share-contact`, `introductions`: what Obsidian's
    Properties panel can edit) or nested under `consent:`; a flat one wins over a nested one."""
    value = meta.get("consent")
    line = key_lines.get("consent", 1)

    def word(raw: object, what: str, at: int) -> ConsentValue:
        if raw is None:
            return "ask"
        key = raw.strip().lower() if isinstance(raw, str) else raw
        if isinstance(key, bool | str) and key in _CONSENT_WORDS:
            return _CONSENT_WORDS[key]
        out.error(at, "bad-consent", f"{what} must be yes, ask or no, not {_shown(raw)}")
        return "ask"

    answers: dict[str, ConsentValue] = {"share-contact": "ask", "introductions": "ask"}
    nested: set[str] = set()
    if isinstance(value, dict):
        for key, raw in value.items():
            canonical = "share-contact" if key in ("share-contact", "share_contact") else key
            if canonical in answers:
                answers[canonical] = word(raw, f"consent.{canonical}", line)
                nested.add(canonical)
            else:
                out.warning(
                    line, "unknown-consent", f"consent key {key!r} is not one netvault reads"
                )
    elif value is not None:
        both = word(value, "consent", line)
        answers = {"share-contact": both, "introductions": both}
        nested = set(answers)
    for key, spellings in (
        ("share-contact", ("share-contact", "share_contact")),
        ("introductions", ("introductions",)),
    ):
        for spelled in spellings:
            if spelled not in meta:
                continue
            at = key_lines.get(spelled, 1)
            if key in nested:
                out.warning(
                    at,
                    "consent-twice",
                    f"{spelled} is also given under consent:; the {spelled} property is used",
                )
            answers[key] = word(meta[spelled], spelled, at)
    return Consent(answers["share-contact"], answers["introductions"])


def _birthday(value: object, line: int, out: _Collector) -> Birthday | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return Birthday(value.month, value.day, value.year)
    if isinstance(value, str):
        match = _VCARD_BIRTHDAY.match(value.strip())
        if match:
            month, day = int(match.group(1)), int(match.group(2))
            try:
                date(2000, month, day)  # a leap year, so --02-29 is accepted
            except ValueError:
                pass
            else:
                return Birthday(month, day)
        else:
            try:
                parsed = date.fromisoformat(value.strip())
            except ValueError:
                pass
            else:
                return Birthday(parsed.month, parsed.day, parsed.year)
    shown = value.text if isinstance(value, InvalidDate) else _shown(value)
    out.error(line, "bad-date", f"birthday must be YYYY-MM-DD or --MM-DD, not {shown}")
    return None
