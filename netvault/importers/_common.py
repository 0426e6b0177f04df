"""Helpers shared by the readers: decoding bytes, cleaning strings, dates, de-duplication."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from pathlib import PurePosixPath, PureWindowsPath

from netvault.identity import is_email, is_real_name, looks_like_phone, name_words
from netvault.names import visible_name

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_WS = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ISO_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_NO_YEAR = re.compile(r"--(\d{2})-?(\d{2})")
# Apple writes a birthday without a year as 1604-MM-DD; some Android builds write 0000.
_UNKNOWN_YEARS = frozenset({0, 1604})

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[\s-]+([A-Za-z]+)\.?,?[\s-]+(\d{2}|\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})")


def source_name(filename: str) -> str:
    """The file's base name, whichever path convention it was written in."""
    name = PureWindowsPath(PurePosixPath(filename).name).name
    return name or filename


def bom_encoding(data: bytes) -> tuple[str | None, int]:
    """The encoding a byte-order mark announces, and the mark's length."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None, 0


def _wide_encoding_without_bom(data: bytes) -> str | None:
    """Guess UTF-16 without a BOM from NUL bytes in every other position of ASCII text."""
    sample = data[:200]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def to_utf8_bytes(data: bytes) -> tuple[bytes, str | None]:
    """Strip a BOM and turn UTF-16/32 input into UTF-8 bytes.

    Returns the bytes and the wide encoding that was undone (None when the input was
    already byte-oriented: UTF-8 or a legacy 8-bit charset, decided later).
    """
    encoding, skip = bom_encoding(data)
    if encoding is None:
        encoding = _wide_encoding_without_bom(data)
    if encoding is None:
        return data, None
    if encoding == "utf-8":
        return data[skip:], None
    text = data[skip:].decode(encoding, errors="replace")
    return text.encode("utf-8", errors="surrogatepass"), encoding


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode text: UTF-8, else the declared charset, else cp1252, else latin-1.

    Never fails; returns the text and the encoding that was used.
    """
    candidates = ["utf-8"]
    if declared and is_ascii_compatible(declared):
        candidates.append(codecs.lookup(declared).name)
    candidates += ["cp1252", "latin-1"]
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except Exception:  # UnicodeError, or odd codecs (idna, ...) failing their own way
            continue
    return data.decode("latin-1"), "latin-1"  # pragma: no cover - latin-1 always decodes


def is_ascii_compatible(encoding: str) -> bool:
    """True for a known text encoding that reads ASCII as ASCII (not UTF-16, not rot13)."""
    probe = b"BEGIN:VCARD;=,\n"
    try:
        codecs.lookup(encoding)
        return probe.decode(encoding) == probe.decode("ascii")
    except Exception:
        return False


def decode_document(data: bytes) -> str:
    """A whole text file: BOM (UTF-8/16/32) first, else :func:`decode_bytes`."""
    raw, _wide = to_utf8_bytes(data)
    return decode_bytes(raw)[0]


def clean(value: str | None) -> str:
    """NFC-normalised, stripped text, with Windows and old-Mac newlines as ``\\n``."""
    if not value:
        return ""
    text = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return unicodedata.normalize("NFC", text).strip()


def clean_line(value: str | None) -> str:
    """:func:`clean`, then every run of whitespace (newlines too) as one space."""
    return _WS.sub(" ", clean(value))


def optional(value: str) -> str | None:
    return value or None


def dedupe(values: Iterable[str], key: str = "exact") -> tuple[str, ...]:
    """Drop empty and repeated values, keeping the first spelling and the order.

    ``key``: "exact", "casefold" (e-mail addresses) or "digits" (phone numbers: the same
    digits, with or without a leading +, are the same number).
    """
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        if not value:
            continue
        if key == "casefold":
            k = value.casefold()
        elif key == "digits":
            digits = "".join(ch for ch in value if ch.isdigit())
            k = digits if digits else value.casefold()
        else:
            k = value
        if k not in seen:
            seen.add(k)
            out.append(value)
    return tuple(out)


def _valid_month_day(month: int, day: int) -> bool:
    try:
        date(2000, month, day)  # a leap year, so --02-29 is a valid birthday
    except ValueError:
        return False
    return True


def normalize_birthday(value: str) -> str | None:
    """A birthday as ``YYYY-MM-DD``, or ``--MM-DD`` without a year; None if not a date.

    Accepts the vCard forms (``1980-08-04``, ``19800804``, ``--0804``, ``--08-04``, with
    or without a time part), Apple's year 1604 for "no year", and Google's CSV forms.
    """
    text = value.strip()
    if not text:
        return None
    match = _NO_YEAR.fullmatch(text.split("T", 1)[0])
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        return f"--{month:02d}-{day:02d}" if _valid_month_day(month, day) else None
    match = _ISO_DATE.match(text)
    if match and (match.end() == len(text) or text[match.end()] in "T "):
        year, month, day = (int(g) for g in match.groups())
        if year in _UNKNOWN_YEARS:
            return f"--{month:02d}-{day:02d}" if _valid_month_day(month, day) else None
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return None
    return parse_text_date(text)


def parse_text_date(value: str) -> str | None:
    """English dates with a month name: ``03 Nov 2026``, ``3-Nov-26``, ``November 3, 2026``.

    Locale-independent (no strptime ``%b``). Returns an ISO date or None.
    """
    text = value.strip()
    match = _DAY_MONTH_YEAR.fullmatch(text)
    if match:
        day_s, month_s, year_s = match.groups()
    else:
        match = _MONTH_DAY_YEAR.fullmatch(text)
        if not match:
            return None
        month_s, day_s, year_s = match.groups()
    month = _MONTHS.get(month_s.lower())
    if month is None:
        return None
    year = int(year_s)
    if len(year_s) == 2:
        year += 2000
    try:
        return date(year, month, int(day_s)).isoformat()
    except ValueError:
        return None


def choose_names(
    display: str, structured: str, nicknames: Iterable[str]
) -> tuple[str, tuple[str, ...]]:
    """The person's name and their other names, from what a record holds.

    The name is the display name as written (without invisible formatting characters),
    unless it is no name (an e-mail address, a
    phone number): then the structured name, then the first nickname; "" when there is
    none. Nicknames become aliases; so does a structured name with words the name lacks
    (`Okafor;Ada` beside `Dr. Ada Okafor` adds nothing)."""
    real = [n for n in map(visible_name, (display, structured)) if is_real_name(n)]
    nicks = [n for n in map(visible_name, nicknames) if is_real_name(n)]
    if not real and not nicks:
        return "", ()
    name = (real or nicks)[0]
    have = name_words(name)
    aliases: list[str] = []
    seen = {tuple(sorted(have))}
    for other in [*real[1:], *nicks]:
        words = name_words(other)
        key = tuple(sorted(words))
        if key in seen or (other in real and _contained(words, have)):
            continue
        seen.add(key)
        aliases.append(other)
    return name, tuple(aliases)


def _contained(words: list[str], within: list[str]) -> bool:
    rest = list(within)
    for word in words:
        if word not in rest:
            return False
        rest.remove(word)
    return True


def details_in_name(
    display: str, emails: Iterable[str], phones: Iterable[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The record's addresses and numbers, with the display name among them when it is an
    address or a number (`FN:kit@example.com`): no name, but not lost either."""
    found_emails, found_phones = list(emails), list(phones)
    text = clean_line(display)
    if is_email(text):
        found_emails.append(text)
    elif looks_like_phone(text):
        found_phones.append(text)
    return dedupe(found_emails, key="casefold"), dedupe(found_phones, key="digits")
