"""Read vCard 2.1, 3.0 and 4.0 files as phones and mail programs really write them.

Pipeline, card by card, so one bad card never costs the others:

1. The file is split into ``BEGIN:VCARD .. END:VCARD`` blocks here (not by vobject),
   remembering the line each card starts on. UTF-16/32 files (BOM or NUL pattern) are
   turned into UTF-8 first; each card is then decoded on its own: UTF-8, else the
   ``CHARSET`` it declares, else cp1252, else latin-1.
2. Each card is pre-processed: folded lines are unfolded, quoted-printable values (with
   2.1 soft line breaks, ``CHARSET`` honoured) are decoded and re-escaped, PHOTO / LOGO /
   SOUND / KEY and every base64 value are dropped with their continuation lines (including
   2.1 base64 blocks that end with a blank line), as are nested AGENT cards, PROFILE lines
   (vobject rejects ``PROFILE:VCard``) and lines that are not properties at all.
3. Each cleaned property line is tokenised by vobject's content-line parser (not by its
   vCard behaviours, which decode FN, NOTE and TITLE as comma lists and keep only the part
   before the first unescaped comma, as Gmail and Outlook write them). If vobject rejects a
   line, a small property-line parser reads the card's cleaned lines instead. Either way
   the values are unescaped and normalised by the same code.

Every card gives one record: the person's name is `FN` as written, unless it is an e-mail
address or a phone number, then `N`, then a nickname; without any, the record has no name
(the import names it). A card whose `KIND` is not `individual` (an organisation, a group, a
place) or that cannot be read is a record to skip, with its reason. Anything else that
cannot be imported is reported as an :class:`ImportProblem` with the card's line.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Literal

from vobject.base import textLineToContentLine

from netvault.identity import LINKEDIN_URN, is_email
from netvault.importers import ImportedContact, ImportProblem
from netvault.importers._common import (
    choose_names,
    clean,
    clean_line,
    decode_bytes,
    dedupe,
    details_in_name,
    is_ascii_compatible,
    normalize_birthday,
    optional,
    source_name,
    to_utf8_bytes,
)

__all__ = ["CardReport", "read_vcards", "read_vcards_report"]

CardPath = Literal["vobject", "preprocessed+vobject", "fallback"]

_BEGIN = re.compile(rb"\s*BEGIN\s*:\s*VCARD\s*", re.IGNORECASE)
_END = re.compile(rb"\s*END\s*:\s*VCARD\s*", re.IGNORECASE)
_AGENT_EMPTY = re.compile(rb"\s*(?:[A-Za-z0-9-]+\.)?AGENT(?:;[^:]*)?:\s*", re.IGNORECASE)
_AGENT_INLINE = re.compile(
    rb"\s*(?:[A-Za-z0-9-]+\.)?AGENT(?:;[^:]*)?:\s*BEGIN\s*:\s*VCARD\s*", re.IGNORECASE
)
_CHARSET = re.compile(rb"CHARSET=\"?([A-Za-z0-9_.-]+)", re.IGNORECASE)
_NAME = re.compile(r"(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)")
_BASE64_LINE = re.compile(r"[A-Za-z0-9+/=]+")
_PROPERTY_START = re.compile(r"(?:[A-Za-z0-9-]+\.)?([A-Za-z][A-Za-z0-9-]*)[;:]")
_FOLD = re.compile(rb"\n[ \t]")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)

# Properties whose values are binary or that we never use and that trip vobject up.
_DROPPED = frozenset({"PHOTO", "LOGO", "SOUND", "KEY", "AGENT", "PROFILE"})
_BINARY_ENCODINGS = frozenset({"B", "BASE64"})
# Uppercase property names: a quoted-printable soft line break followed by one of these is
# a writer's mistake (a dangling "="), not a continuation of the value.
_KNOWN_PROPERTIES = frozenset(
    {
        "ADR", "AGENT", "ANNIVERSARY", "BDAY", "BEGIN", "CALADRURI", "CALURI", "CATEGORIES",
        "CLASS", "CLIENTPIDMAP", "EMAIL", "END", "FBURL", "FN", "GENDER", "GEO", "IMPP",
        "KEY", "KIND", "LABEL", "LANG", "LOGO", "MAILER", "MEMBER", "N", "NAME", "NICKNAME",
        "NOTE", "ORG", "PHOTO", "PRODID", "PROFILE", "RELATED", "REV", "ROLE", "SORT-STRING",
        "SOUND", "SOURCE", "TEL", "TITLE", "TZ", "UID", "URL", "VERSION", "XML",
    }
)  # fmt: skip


# --------------------------------------------------------------------------- splitting


@dataclass(slots=True)
class _Block:
    index: int  # 1-based position of the card in the file
    line: int  # 1-based line of its BEGIN:VCARD
    lines: list[tuple[int, bytes]] = field(default_factory=list)  # (line number, bytes)
    closed: bool = False
    nested_dropped: bool = False


def _physical_lines(data: bytes) -> list[bytes]:
    """Lines without their endings: CRLF, LF, CR CR LF (old iPhone exports) or bare CR."""
    separator = b"\n" if b"\n" in data else b"\r"
    return [line.rstrip(b"\r") for line in data.split(separator)]


def _split_blocks(lines: list[bytes]) -> tuple[list[_Block], list[int]]:
    """The cards in the file, and the first line of each run of text outside any card."""
    blocks: list[_Block] = []
    stray: list[int] = []
    current: _Block | None = None
    depth = 0  # > 0 while inside a nested (AGENT) vCard
    after_agent = False  # the previous property was an empty AGENT: (2.1 nesting)
    in_stray = False
    for number, line in enumerate(lines, 1):
        if current is None:
            if _BEGIN.fullmatch(line):
                current = _Block(index=len(blocks) + 1, line=number)
                blocks.append(current)
                depth, after_agent, in_stray = 0, False, False
            elif line.strip():
                if not in_stray:
                    stray.append(number)
                in_stray = True
            continue
        if depth > 0:
            if _BEGIN.fullmatch(line) or _AGENT_INLINE.fullmatch(line):
                depth += 1
            elif _END.fullmatch(line):
                depth -= 1
            continue
        if _END.fullmatch(line):
            current.closed = True
            current = None
            continue
        if _AGENT_INLINE.fullmatch(line):
            depth = 1
            current.nested_dropped = True
            continue
        if _BEGIN.fullmatch(line):
            if after_agent:
                depth = 1
                current.nested_dropped = True
                continue
            # The previous card never ended: this BEGIN starts the next one.
            current = _Block(index=len(blocks) + 1, line=number)
            blocks.append(current)
            after_agent = False
            continue
        if line.strip():
            after_agent = bool(_AGENT_EMPTY.fullmatch(line))
        current.lines.append((number, line))
    return blocks, stray


# ------------------------------------------------------------------------ pre-processing


@dataclass(frozen=True, slots=True)
class _RawLine:
    """One logical property line after pre-processing; ``value`` uses 3.0 escaping."""

    number: int
    group: str
    name: str  # upper case
    params: tuple[str, ...]  # raw parameter segments, e.g. "TYPE=WORK", "PREF"
    value: str

    def text(self) -> str:
        head = f"{self.group}.{self.name}" if self.group else self.name
        return "".join([head, *(";" + p for p in self.params), ":", self.value])


@dataclass(slots=True)
class _Logical:
    number: int
    parts: list[str]  # physical pieces, joined at the end (no quadratic string growth)
    kind: Literal["plain", "qp", "binary", "junk"]

    def text(self) -> str:
        return "".join(self.parts)


@dataclass(frozen=True, slots=True)
class _Prop:
    """A property as the extractor sees it (from vobject or from the fallback parser)."""

    name: str
    params: dict[str, tuple[str, ...]]  # upper-case keys; bare 2.1 params go under TYPE
    value: str  # still escaped


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    buf: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == separator and not quoted:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return parts


def _split_line(text: str) -> tuple[str, str, list[str], str] | None:
    """``group.NAME;param;param:value`` -> (group, NAME, params, value), or None."""
    colon = text.find(":")
    if colon < 0:
        return None
    if '"' in text[:colon]:  # a quoted parameter value may hold ":" or ";"
        quoted = False
        colon = -1
        for i, ch in enumerate(text):
            if ch == '"':
                quoted = not quoted
            elif ch == ":" and not quoted:
                colon = i
                break
        if colon < 0:
            return None
        segments = _split_outside_quotes(text[:colon], ";")
    else:
        segments = text[:colon].split(";")
    value = text[colon + 1 :]
    match = _NAME.fullmatch(segments[0].strip())
    if not match:
        return None
    group, name = match.group(1) or "", match.group(2).upper()
    params = [s.strip() for s in segments[1:] if s.strip()]
    return group, name, params, value


def _param_dict(params: Iterable[str]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for segment in params:
        if "=" in segment:
            key, _, raw = segment.partition("=")
            values = [v.strip().strip('"') for v in _split_outside_quotes(raw, ",")]
            out.setdefault(key.strip().upper(), []).extend(v for v in values if v)
        else:
            out.setdefault("TYPE", []).append(segment.strip().strip('"'))
    return {key: tuple(values) for key, values in out.items()}


def _kind(text: str) -> Literal["plain", "qp", "binary", "junk"]:
    parsed = _split_line(text)
    if parsed is None:
        return "junk"
    _group, name, params, _value = parsed
    upper = {p.upper().replace(" ", "") for p in params}
    encodings = {p.partition("=")[2].strip('"') for p in upper if p.startswith("ENCODING=")}
    if name in _DROPPED or upper & _BINARY_ENCODINGS or encodings & _BINARY_ENCODINGS:
        return "binary"
    if "QUOTED-PRINTABLE" in upper or "QUOTED-PRINTABLE" in encodings:
        return "qp"
    return "plain"


def _starts_property(text: str) -> bool:
    match = _PROPERTY_START.match(text)
    if not match:
        return False
    name = match.group(1)
    return name in _KNOWN_PROPERTIES or name.upper().startswith("X-")


def _logical_lines(lines: list[tuple[int, str]], fixes: set[str]) -> list[_Logical]:
    """Unfold, join quoted-printable soft line breaks, swallow binary continuation lines."""
    out: list[_Logical] = []
    cur: _Logical | None = None
    qp_open = False  # the current quoted-printable value ended with a soft line break "="
    for number, line in lines:
        if cur is not None and cur.kind == "qp" and qp_open:
            if _starts_property(line):
                qp_open = False  # a dangling "=": the value ended on the previous line
            else:
                cur.parts[-1] = cur.parts[-1][:-1]
                cur.parts.append(line)
                qp_open = line.endswith("=")
                fixes.add("joined quoted-printable soft line breaks")
                continue
        if cur is not None and line[:1] in (" ", "\t"):
            if cur.kind != "binary":
                cur.parts.append(line[1:])
                if cur.kind == "qp":
                    qp_open = line.endswith("=")
            continue
        if (
            cur is not None
            and cur.kind == "binary"
            and (not line.strip() or _BASE64_LINE.fullmatch(line))
        ):
            continue  # vCard 2.1 base64 data runs on unindented lines to a blank line
        if cur is not None:
            out.append(cur)
            cur = None
        if not line.strip():
            continue
        cur = _Logical(number, [line], _kind(line))
        qp_open = cur.kind == "qp" and line.endswith("=")
    if cur is not None:
        out.append(cur)
    return out


def _decode_qp(value: str, charset: str | None) -> str:
    raw = quopri.decodestring(value.encode("utf-8"))
    if charset and is_ascii_compatible(charset):
        try:
            return raw.decode(charset, errors="replace")
        except Exception:  # codecs raise more than UnicodeError on odd names and input
            pass
    return decode_bytes(raw)[0]


def _escape_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _decode_block(block: _Block, fixes: set[str]) -> tuple[list[tuple[int, str]], bool]:
    """The card's lines as text, and whether UTF-8 characters were split by folding.

    UTF-8, else the CHARSET the card declares, else cp1252, else latin-1. Some writers fold
    at 75 bytes even inside a multi-byte character; such lines are decoded with
    ``surrogateescape`` and mended once unfolded.
    """
    if block.nested_dropped:
        fixes.add("dropped nested AGENT vCard")
    if not block.lines:  # BEGIN:VCARD straight followed by END:VCARD
        return [], False
    raw = b"\n".join(line for _number, line in block.lines)
    split_utf8 = False
    declared: str | None = None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            _FOLD.sub(b"", raw).decode("utf-8")
            split_utf8 = True
        except UnicodeDecodeError:
            match = _CHARSET.search(raw)
            declared = match.group(1).decode("ascii") if match else None
    if split_utf8:
        text = raw.decode("utf-8", "surrogateescape")
        fixes.add("mended UTF-8 characters split by folding")
    else:
        text, encoding = decode_bytes(raw, declared)
        if encoding != "utf-8":
            fixes.add(f"decoded as {encoding}")
    texts = text.split("\n")
    if len(texts) != len(block.lines):  # pragma: no cover - decode_bytes is ASCII-compatible
        texts = raw.decode("latin-1").split("\n")
    return [
        (number, t.replace("\r", "")) for (number, _), t in zip(block.lines, texts, strict=True)
    ], split_utf8


def _preprocess(block: _Block, fixes: set[str]) -> list[_RawLine]:
    """The card's properties, cleaned so that vobject (or the fallback) can read them."""
    numbered, split_utf8 = _decode_block(block, fixes)
    out: list[_RawLine] = []
    for logical in _logical_lines(numbered, fixes):
        original = logical.text()
        if split_utf8:  # rejoin UTF-8 sequences that a fold cut in two
            original = original.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        parsed = _split_line(original) if logical.kind != "junk" else None
        if parsed is None:
            fixes.add("dropped lines that are not properties")
            continue
        group, name, params, value = parsed
        if logical.kind == "binary":
            fixes.add(f"dropped {name}")
            continue
        if logical.kind == "qp":
            charset: str | None = None
            kept: list[str] = []
            for p in params:
                key, _, val = p.partition("=")
                key_u = key.strip().upper()
                if key_u == "CHARSET":
                    charset = val.strip().strip('"')
                elif p.upper().replace(" ", "") in (
                    "QUOTED-PRINTABLE",
                    "ENCODING=QUOTED-PRINTABLE",
                ):
                    continue
                else:
                    kept.append(p)
            value = _escape_newlines(_decode_qp(value, charset))
            params = kept
            fixes.add("decoded quoted-printable")
        raw_line = _RawLine(logical.number, group, name, tuple(params), value)
        if logical.kind == "plain" and raw_line.text().upper() != original.upper():
            fixes.add("tidied property names and parameters")
        out.append(raw_line)
    return out


# ------------------------------------------------------------------ vobject and fallback


def _props_from_vobject(lines: list[_RawLine]) -> list[_Prop]:
    """Tokenise each property with vobject's content-line parser.

    Only the parser: vobject's vCard behaviours (applied by ``readOne`` even with
    ``transform=False``) would decode FN, NOTE and TITLE as comma-separated lists and keep
    only the part before the first unescaped comma, which Gmail and Outlook write.
    """
    props: list[_Prop] = []
    for line in lines:
        child = textLineToContentLine(line.text(), line.number)
        params: dict[str, list[str]] = {}
        for key, values in child.params.items():
            for value in values:
                params.setdefault(str(key).upper(), []).extend(
                    v.strip().strip('"') for v in str(value).split(",") if v.strip()
                )
        for single in child.singletonparams:
            params.setdefault("TYPE", []).append(str(single))
        props.append(
            _Prop(
                str(child.name).upper(), {k: tuple(v) for k, v in params.items()}, str(child.value)
            )
        )
    return props


def _props_fallback(lines: list[_RawLine]) -> list[_Prop]:
    return [_Prop(line.name, _param_dict(line.params), line.value) for line in lines]


# ------------------------------------------------------------------------- extraction


def _unescape(text: str) -> str:
    """vCard text escapes: ``\\n`` is a newline; ``\\,``, ``\\;``, ``\\\\`` and any other
    escaped punctuation (Gmail writes ``\\:`` and ``\\"``) is the character itself. A
    backslash before another letter or digit is kept, as in ``C:\\temp``.
    """

    def repl(match: re.Match[str]) -> str:
        ch = match.group(1)
        if ch in "nN":
            return "\n"
        if ch.isalnum() or ch.isspace():
            return match.group(0)
        return ch

    return _ESCAPE.sub(repl, text)


def _components(value: str) -> list[str]:
    """A structured value (N, ADR, ORG) split at unescaped semicolons, then unescaped."""
    parts: list[str] = []
    buf: list[str] = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            buf.append(value[i : i + 2])
            i += 2
            continue
        if ch == ";":
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
        i += 1
    parts.append("".join(buf))
    return [_unescape(part) for part in parts]


def _values(props: list[_Prop], *names: str) -> Iterator[_Prop]:
    return (p for p in props if p.name in names)


def _first_text(props: list[_Prop], name: str) -> str:
    for prop in _values(props, name):
        text = clean_line(_unescape(prop.value))
        if text:
            return text
    return ""


def _is_pref(prop: _Prop) -> bool:
    types = {t.upper() for t in prop.params.get("TYPE", ())}
    return "PREF" in types or "PREF" in prop.params


def _phone(raw: str) -> str:
    text = clean_line(_unescape(raw))
    if text.lower().startswith("tel:"):
        number, *uri_params = text[4:].split(";")
        ext = next((p.split("=", 1)[1] for p in uri_params if p.lower().startswith("ext=")), "")
        text = number.strip() + (f" ext. {ext.strip()}" if ext.strip() else "")
    return text


def _email(raw: str) -> str:
    text = clean_line(_unescape(raw))
    if text.lower().startswith("mailto:"):
        text = text[7:].strip()
    return text


def _location(props: list[_Prop]) -> str | None:
    found: list[tuple[bool, str]] = []
    for prop in _values(props, "ADR"):
        parts = [clean_line(p) for p in _components(prop.value)]
        parts += [""] * (7 - len(parts))
        locality, region, country = parts[3], parts[4], parts[6]
        text = ", ".join(p for p in (locality, region, country) if p)
        if text:
            found.append((_is_pref(prop), text))
    if not found:
        return None
    preferred = [text for pref, text in found if pref]
    return preferred[0] if preferred else found[0][1]


def _structured_name(props: list[_Prop]) -> str:
    """`N` as "given family" (its first non-empty value)."""
    for prop in _values(props, "N"):
        parts = [*_components(prop.value), "", ""]
        name = clean_line(f"{parts[1]} {parts[0]}")
        if name:
            return name
    return ""


def _nicknames(props: list[_Prop]) -> list[str]:
    """Every NICKNAME; one property may list several, separated by unescaped commas."""
    names: list[str] = []
    for prop in _values(props, "NICKNAME"):
        names += [clean_line(_unescape(part)) for part in re.split(r"(?<!\\),", prop.value)]
    return [name for name in names if name]


def _names(props: list[_Prop]) -> tuple[str, tuple[str, ...]]:
    """The person's name (`FN`, else `N`, else a nickname) and other names (see
    :func:`choose_names`)."""
    return choose_names(_first_text(props, "FN"), _structured_name(props), _nicknames(props))


# vCard 4.0 KIND, Apple's group cards and its "show as company" flag.
_NOT_PEOPLE = {"org": "an organisation", "group": "a group", "location": "a place"}


def _not_a_person(props: list[_Prop]) -> str | None:
    for name in ("KIND", "X-ADDRESSBOOKSERVER-KIND"):
        for prop in _values(props, name):
            kind = clean_line(_unescape(prop.value)).lower()
            if kind and kind != "individual":
                what = _NOT_PEOPLE.get(kind, "not a person")
                return f"{name}:{kind} is {what}, not a person; not imported"
    for prop in _values(props, "X-ABSHOWAS"):
        if clean_line(prop.value).upper() == "COMPANY":
            return "X-ABShowAs:COMPANY marks an organisation's card, not a person; not imported"
    return None


def _build(props: list[_Prop], source: str) -> tuple[ImportedContact, list[str]]:
    """The contact (perhaps one to skip, or without a name), and messages about the card."""
    messages: list[str] = []
    emails: list[str] = []
    for prop in _values(props, "EMAIL"):
        text = _email(prop.value)
        if text and not is_email(text):
            messages.append(f"EMAIL {text!r} is not an e-mail address; left out")
        elif text:
            emails.append(text)
    name, aliases = _names(props)
    email_list, phones = details_in_name(
        _first_text(props, "FN"), emails, (_phone(p.value) for p in _values(props, "TEL"))
    )

    company: str | None = None
    for prop in _values(props, "ORG"):
        company = optional(clean_line(_components(prop.value)[0]))
        break
    role = optional(_first_text(props, "TITLE") or _first_text(props, "ROLE"))
    links = dedupe(
        clean_line(_unescape(p.value))
        for p in _values(props, "URL", "X-SOCIALPROFILE")
        if p.name == "URL" or "://" in p.value
    )
    birthday: str | None = None
    for prop in _values(props, "BDAY"):
        text = clean_line(_unescape(prop.value))
        if not text:
            continue
        birthday = normalize_birthday(text)
        if birthday is None:
            messages.append(f"birthday {text!r} is not a date; imported without it")
        break
    connected_on: str | None = None
    connected_text = _first_text(props, "X-NETVAULT-CONNECTED-ON")
    if connected_text:
        connected_on = normalize_birthday(connected_text)
        if connected_on is None or connected_on.startswith("--"):
            messages.append(f"X-NETVAULT-CONNECTED-ON {connected_text!r} is not a date")
            connected_on = None
    urn = _first_text(props, "X-NETVAULT-LINKEDIN-URN")
    notes = dedupe(clean(_unescape(p.value)) for p in _values(props, "NOTE"))
    contact = ImportedContact(
        name=name,
        source=source,
        aliases=aliases,
        emails=email_list,
        phones=phones,
        company=company,
        role=role,
        location=_location(props),
        links=links,
        birthday=birthday,
        note="\n\n".join(notes) or None,
        connected_on=connected_on,
        linkedin_urn=urn if LINKEDIN_URN.fullmatch(urn) else None,
        origin=optional(_first_text(props, "X-NETVAULT-SOURCE")),
        file_stem=optional(PurePosixPath(_first_text(props, "X-NETVAULT-PATH")).stem),
        skip=_not_a_person(props),
    )
    return contact, messages


# ------------------------------------------------------------------------------ driver


@dataclass(frozen=True, slots=True)
class CardReport:
    """How one card was read (for diagnostics and tests)."""

    index: int
    line: int
    path: CardPath | None  # None when the card could not be read at all
    fixes: tuple[str, ...]
    imported: bool  # it gave a record (to import, or to list as skipped with its reason)


def _read_card(
    block: _Block, source: str
) -> tuple[ImportedContact, list[str], CardPath, set[str]]:
    fixes: set[str] = set()
    lines = _preprocess(block, fixes)
    path: CardPath
    try:
        props = _props_from_vobject(lines)
        path = "preprocessed+vobject" if fixes else "vobject"
    except Exception:  # vobject raises many kinds of errors on odd input
        props = _props_fallback(lines)
        path = "fallback"
    contact, messages = _build(props, source)
    return contact, messages, path, fixes


def read_vcards_report(
    data: bytes, filename: str
) -> tuple[list[ImportedContact], list[ImportProblem], list[CardReport]]:
    """:func:`read_vcards`, plus how each card was read."""
    name = source_name(filename)
    file_source = f"vcard:{name}"
    contacts: list[ImportedContact] = []
    problems: list[ImportProblem] = []
    reports: list[CardReport] = []
    utf8, _wide = to_utf8_bytes(data)
    blocks, stray = _split_blocks(_physical_lines(utf8))
    if not blocks:
        problems.append(
            ImportProblem(file_source, 1, "no vCard found (no BEGIN:VCARD ... END:VCARD)")
        )
        return contacts, problems, reports
    for line in stray:
        problems.append(ImportProblem(file_source, line, "text outside any vCard ignored"))
    for block in blocks:
        source = f"{file_source}#{block.index}"
        prefix = f"card {block.index}"
        if not block.closed:
            problems.append(
                ImportProblem(source, block.line, f"{prefix} has no END:VCARD; read to its end")
            )
        try:
            contact, messages, path, fixes = _read_card(block, source)
        except Exception as exc:  # never let one card stop the file
            why = f"{prefix} could not be read: {exc!r}"
            problems.append(ImportProblem(source, block.line, why))
            contacts.append(ImportedContact(name="", source=source, skip=why))
            reports.append(CardReport(block.index, block.line, None, (), True))
            continue
        problems.extend(ImportProblem(source, block.line, f"{prefix}: {m}") for m in messages)
        contacts.append(contact)
        reports.append(CardReport(block.index, block.line, path, tuple(sorted(fixes)), True))
    problems.sort(key=lambda p: p.line)
    return contacts, problems, reports


def read_vcards(data: bytes, filename: str) -> tuple[list[ImportedContact], list[ImportProblem]]:
    """Every contact in a .vcf file, and the problems found; never raises on bad input.

    ``filename`` names the source (its base name goes into ``source``: ``vcard:NAME#N``,
    N being the card's position in the file). Problems carry the card's first line.
    """
    try:
        contacts, problems, _reports = read_vcards_report(data, filename)
    except Exception as exc:  # pragma: no cover - last-resort guard; cards are guarded above
        return [], [ImportProblem(f"vcard:{source_name(filename)}", 1, f"unreadable: {exc!r}")]
    return contacts, problems
