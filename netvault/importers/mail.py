"""Message headers from a mailbox: an mbox file or a Maildir folder, read as a stream.

The stdlib's `mailbox` finds a Maildir's messages. An mbox file's are found by
`mbox_spans`, which draws the boundaries exactly where `mailbox.mbox` does but with a
byte search over large blocks: `mailbox.mbox` reads the file line by line in Python,
most of a large import's time. Of each message only the header block is read (up to the
first blank line, in small chunks) and parsed with `email.parser.BytesHeaderParser`, so
no body is ever parsed or decoded. Of the headers only the addresses (From, To, Cc,
Bcc), the Date and the list and auto-reply markers are kept: never a subject.
Display names encoded as RFC 2047 words (`=?utf-8?q?Zo=C3=AB?=`) are decoded.

A Maildir's Maildir++ sub-folders (`.Sent`, ...) are read too, except drafts, trash and
junk: a draft was never sent and junk was never an exchange.
"""

from __future__ import annotations

import functools
import io
import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, Protocol

from ..errors import NetvaultError

__all__ = ["MailAddress", "MailboxError", "MessageHeaders", "open_mailbox"]

_CHUNK = 4096
_SCAN_CHUNK = 1 << 20
# What the mbox scan keeps of a block for the next one: enough for a "From " line that
# straddles the two and for the blank line before it.
_LOOKBEHIND = 16
_FROM_LINE = b"\nFrom "
# A header block longer than this is not a real message's; the rest is not read.
MAX_HEADER_BYTES = 256 * 1024
_SKIPPED_FOLDERS = re.compile(r"(?:^|[./])(?:drafts?|trash|deleted[ _]?(?:items|messages)?|"
                              r"junk|spam|bulk)$", re.IGNORECASE)
_ADDRESS_HEADERS = ("to", "cc", "bcc")
# A wanted field's line and its continuation lines (those starting with a space or tab),
# its name and what comes between the name and the colon; groups, so that `findall` gives
# all three without a Python call per match.
_WANTED_FIELD = re.compile(
    rb"^((from|to|cc|bcc|date|list-id|precedence|auto-submitted)([ \t]*):"
    rb"[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)",
    re.IGNORECASE | re.MULTILINE,
)
_BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})


class MailboxError(NetvaultError):
    """The path is not a mailbox netvault can read."""


class MailAddress(NamedTuple):
    # A tuple, not a dataclass: tuples of addresses are the keys an import matches by,
    # 100,000 times a mailbox, and a tuple hashes in C.
    email: str  # lower-case addr-spec
    name: str  # the display name, decoded; "" when none


@dataclass(frozen=True, slots=True)
class MessageHeaders:
    senders: tuple[MailAddress, ...]  # From
    recipients: tuple[MailAddress, ...]  # To, Cc, Bcc
    sent: datetime | None  # Date; None when missing or unreadable
    bulk: bool  # a mailing list's: List-Id, or Precedence: bulk / list / junk
    automatic: bool  # Auto-Submitted (an auto-reply or a machine's message)


class _Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


def mbox_spans(handle: BinaryIO, chunk_size: int = _SCAN_CHUNK) -> list[tuple[int, int]]:
    """Each message of an mbox file as (start, stop) offsets, its "From " line included:
    the table of contents `mailbox.mbox` makes of the same bytes.

    As there, a message starts at every line that begins with "From " (an unescaped one in
    a body too) and ends where the next one starts, less the blank line (`mailbox.linesep`)
    before it; the last one ends at the end of the file, less a final blank line. Bytes
    before the first "From " line belong to no message.
    """
    starts: list[int] = []
    stops: list[int] = []
    handle.seek(0)
    buffer = b"\n"  # the file's first line starts a line too
    base = -1  # the file offset of buffer[0]
    searched = 0  # where in the buffer "From " lines are still to be looked for
    while chunk := handle.read(chunk_size):
        buffer += chunk
        found = buffer.find(_FROM_LINE, searched)
        while found != -1:
            if starts:
                stops.append(_end_before(buffer, base, found + 1))
            starts.append(base + found + 1)
            found = buffer.find(_FROM_LINE, found + 1)
        keep = min(len(buffer), _LOOKBEHIND)
        base += len(buffer) - keep
        buffer = buffer[len(buffer) - keep :]
        searched = max(0, keep - len(_FROM_LINE) + 1)
    if starts:
        stops.append(_end_before(buffer, base, len(buffer)))
    return list(zip(starts, stops, strict=True))


def _end_before(buffer: bytes, base: int, index: int) -> int:
    """Where the message before `buffer[index]` (a line start; `base` is the file offset of
    `buffer[0]`) ends: before the blank line that precedes it, if one does."""
    blank = index - len(mailbox.linesep)
    if (
        base + blank >= 0
        and buffer[blank:index] == mailbox.linesep
        and buffer[blank - 1 : blank] == b"\n"
    ):
        return base + blank
    return base + index


def mbox_head(handle: BinaryIO, start: int, stop: int) -> bytes:
    """The header block of the mbox message at (start, stop), as `mailbox.mbox.get_file`
    gives it to `read_head`: after the "From " line, up to the first blank line."""
    handle.seek(start)
    handle.readline()
    return read_head(handle, stop - handle.tell())


def read_head(handle: _Readable, limit: int | None = None) -> bytes:
    """The header block of a message: its bytes up to the first blank line (of the next
    `limit` bytes, when given)."""
    buffer = b""
    while len(buffer) < MAX_HEADER_BYTES:
        size = _CHUNK if limit is None else min(_CHUNK, limit - len(buffer))
        chunk = handle.read(size) if size > 0 else b""
        if not chunk:
            break
        start = max(0, len(buffer) - 3)
        buffer += chunk
        blank = blank_line_at(buffer, start)
        if blank != -1:
            return buffer[: blank + 1]
    return buffer[:MAX_HEADER_BYTES]


def blank_line_at(buffer: bytes, start: int) -> int:
    """Where the first blank line's break (`\r?\n\r?\n`) begins in `buffer[start:]`, -1
    if there is none: two byte searches, several times faster than the regex engine,
    which tries every position."""
    found = buffer.find(b"\n\n", start)
    # A "\n\r\n" that comes first lies wholly before found + 2.
    crlf = buffer.find(b"\n\r\n", start, len(buffer) if found == -1 else found + 2)
    if crlf != -1:
        found = crlf
    if found > start and buffer[found - 1] == 0x0D:  # "\r\n\r?\n": the blank line's CR
        return found - 1
    return found


def _text(value: Any) -> str:
    """A header value as text; raw 8-bit bytes (non-RFC 2047 UTF-8) read as UTF-8."""
    text = str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text


def _decoded(text: str) -> str:
    if "=?" not in text:
        return text
    try:
        return str(make_header(decode_header(text)))
    except (ValueError, LookupError, UnicodeError):
        return text


@functools.lru_cache(maxsize=1 << 16)
def _addresses_in(text: str) -> tuple[MailAddress, ...]:
    # Cached: a mailbox repeats the same few To and From lines thousands of times, and
    # the stdlib's address parser is the slowest step of an import.
    pairs = getaddresses([text])
    if "=?" in text and not any("@" in address for _, address in pairs):
        # A sender that encoded the address itself, not only the name.
        pairs = getaddresses([_decoded(text)])
    return tuple(
        MailAddress(address.strip().lower(), _decoded(name).strip())
        for name, address in pairs
        if "@" in address
    )


def _addresses(values: list[Any]) -> list[MailAddress]:
    found: list[MailAddress] = []
    for raw in values:
        found += _addresses_in(_text(raw))
    return found


def _sent(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        return parsedate_to_datetime(_text(value))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def wanted_fields(head: bytes) -> bytes:
    """Only the header fields netvault reads (with their folded continuation lines).

    Real messages carry dozens of Received, DKIM and ARC lines; leaving them out before
    the stdlib parser sees the block makes a large mailbox several times faster.
    """
    return b"".join(source + b"\n" for source, _name, _gap in _WANTED_FIELD.findall(head))


# The values of a header block's wanted fields, by lower-case name, in order, each as
# `email.message.Message.get` gives it.
Fields = dict[str, list[Any]]


def stdlib_fields(head: bytes, parser: BytesHeaderParser | None = None) -> Fields:
    """The wanted fields as the stdlib's parser reads the whole block."""
    message = (parser or BytesHeaderParser(policy=compat32)).parsebytes(wanted_fields(head))
    fields: Fields = {}
    for name, value in message.items():
        fields.setdefault(name.lower(), []).append(value)
    return fields


def _field(source: bytes) -> tuple[str, Any]:
    """(lower-case name, value) of one field, read by the stdlib's compat32 policy from its
    lines just as the parser hands them over when it reads the field in a block."""
    text = source.decode("ascii", "surrogateescape")
    name, value = compat32.header_source_parse(io.StringIO(text, newline="").readlines())
    return name.lower(), compat32.header_fetch_parse(name, value)


# A mailbox repeats the same From, To and Cc fields thousands of times; dates hardly ever.
_repeated_field = functools.lru_cache(maxsize=1 << 14)(_field)


@functools.lru_cache(maxsize=1 << 15)
def _undated_headers(sources: tuple[bytes, ...]) -> MessageHeaders:
    """The headers of a block of these fields (none of them a Date)."""
    fields: Fields = {}
    for source in sources:
        name, value = _repeated_field(source)
        fields.setdefault(name, []).append(value)
    return headers_from(fields)


def _first(fields: Fields, name: str, default: Any = None) -> Any:
    found = fields.get(name)
    return found[0] if found else default


def parse_headers(head: bytes, parser: BytesHeaderParser | None = None) -> MessageHeaders:
    """The headers netvault keeps, from a message's header block: `headers_from` what the
    stdlib's parser reads in it, each distinct field (and set of fields but the date) read
    only once. A field read alone is what the parser reads in a block, unless its name is
    followed by a space before the colon (that ends the header block for the parser): such
    a block goes to the parser whole."""
    undated: list[bytes] = []
    dates: list[bytes] = []
    for source, name, gap in _WANTED_FIELD.findall(head):
        if gap:
            return headers_from(stdlib_fields(head, parser))
        (dates if name.lower() == b"date" else undated).append(source)
    headers = _undated_headers(tuple(undated))
    sent = _sent(_field(dates[0])[1]) if dates else None
    if sent is None:
        return headers
    return MessageHeaders(headers.senders, headers.recipients, sent, headers.bulk,
                          headers.automatic)


def headers_from(fields: Fields) -> MessageHeaders:
    """The headers netvault keeps, from the wanted fields' values."""
    recipients: list[MailAddress] = []
    for name in _ADDRESS_HEADERS:
        recipients += _addresses(fields.get(name, []))
    precedence = _text(_first(fields, "precedence", "")).strip().lower()
    auto = _text(_first(fields, "auto-submitted", "")).strip().lower()
    return MessageHeaders(
        senders=tuple(_addresses(fields.get("from", []))),
        recipients=tuple(recipients),
        sent=_sent(_first(fields, "date")),
        bulk="list-id" in fields or precedence in _BULK_PRECEDENCE,
        automatic=bool(auto) and not auto.startswith("no"),
    )


class Mailbox:
    """The messages of an mbox file or a Maildir (with its sub-folders), by header."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._boxes: list[mailbox.Mailbox[Any]] = []
        self._mbox: BinaryIO | None = None
        self._spans: list[tuple[int, int]] = []
        if path.is_dir():
            if not ((path / "cur").is_dir() or (path / "new").is_dir()):
                raise MailboxError(
                    f"{path}: a folder, but not a Maildir (it has no cur/ or new/ folder); "
                    "give the Maildir folder or an mbox file"
                )
            top = mailbox.Maildir(path, factory=None, create=False)
            self._boxes.append(top)
            for name in sorted(top.list_folders()):
                if not _SKIPPED_FOLDERS.search(name):
                    self._boxes.append(top.get_folder(name))
        else:
            self._open_mbox(path)
        try:
            self._keys = [(box, key) for box in self._boxes for key in box.iterkeys()]
        except OSError as exc:
            raise MailboxError(f"{path}: cannot read it ({exc.strerror})") from None

    def _open_mbox(self, path: Path) -> None:
        try:
            self._mbox = open(path, "rb", buffering=1 << 16)  # noqa: SIM115 (closed by close)
            start = self._mbox.read(5)
            if start and start != b"From ":
                raise MailboxError(
                    f"{path}: not an mbox file (it does not start with a 'From ' line)"
                )
            self._spans = mbox_spans(self._mbox)
        except OSError as exc:
            self.close()
            raise MailboxError(f"{path}: cannot read it ({exc.strerror})") from None
        except MailboxError:
            self.close()
            raise

    def __len__(self) -> int:
        return len(self._keys) + len(self._spans)

    def __iter__(self) -> Iterator[MessageHeaders | None]:
        """Each message's headers, or None for a message that could not be read."""
        parser = BytesHeaderParser(policy=compat32)
        if self._mbox is not None:
            for start, stop in self._spans:
                try:
                    head = mbox_head(self._mbox, start, stop)
                except OSError:
                    yield None
                    continue
                yield parse_headers(head, parser)
        for box, key in self._keys:
            try:
                handle = box.get_file(key)
                try:
                    head = read_head(handle)
                finally:
                    handle.close()
            except (OSError, KeyError):
                yield None
                continue
            yield parse_headers(head, parser)

    def close(self) -> None:
        for box in self._boxes:
            box.close()
        if self._mbox is not None:
            self._mbox.close()
            self._mbox = None


def open_mailbox(path: Path) -> Mailbox:
    """The mailbox at `path`; MailboxError if it is neither an mbox file nor a Maildir."""
    return Mailbox(path)
