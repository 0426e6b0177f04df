"""Read LinkedIn's Connections.csv and Google Contacts CSV exports.

Both readers decode the file (BOM: UTF-8, UTF-16 or UTF-32; else UTF-8, else cp1252/latin-1),
look for the header row (LinkedIn puts a free-text "Notes:" preamble before it), try comma,
semicolon and tab as the delimiter, and map columns by name, not position. Each data row's
``source`` and every problem carry the line the row starts on in the file (a spreadsheet's
row number, as long as no field spans lines).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from netvault.identity import LINKEDIN_URN, is_email, is_real_name
from netvault.importers import ImportedContact, ImportProblem
from netvault.importers._common import (
    choose_names,
    clean,
    clean_line,
    decode_document,
    dedupe,
    details_in_name,
    normalize_birthday,
    optional,
    parse_text_date,
    source_name,
)
from netvault.names import visible_name
from netvault.spreadsheet import unescape_cell

__all__ = ["read_google", "read_linkedin"]

_DELIMITERS = (",", ";", "\t")
_GOOGLE_MULTI = re.compile(r"\s*:::\s*")  # Google joins several values in one cell with " ::: "
_HEADER_WS = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class _Row:
    line: int  # 1-based line where the row starts
    cells: list[str]


@dataclass(frozen=True, slots=True)
class _Table:
    header: list[str]  # normalised: lower case, single spaces
    rows: list[_Row]
    error: tuple[int, str] | None  # where and why the csv module gave up, if it did


def _norm_header(cell: str) -> str:
    return _HEADER_WS.sub(" ", cell.replace("\ufeff", "")).strip().strip('"').strip().lower()


def _read_rows(
    text: str, delimiter: str, first_line: int
) -> tuple[list[_Row], tuple[int, str] | None]:
    """Rows of ``text`` (which starts on line ``first_line`` of the file) with their lines."""
    rows: list[_Row] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous_end = 0
    try:
        for cells in reader:
            rows.append(_Row(first_line + previous_end, cells))
            previous_end = reader.line_num
    except csv.Error as exc:
        return rows, (first_line + previous_end, str(exc))
    return rows, None


def _find_table(data: bytes, is_header: Callable[[list[str]], bool]) -> _Table | None:
    """Find the header row line by line (a preamble may hold stray quotes), then read on."""
    text = decode_document(data)
    # Split lines as the csv module does (\r\n, \n or \r), so line numbers agree.
    lines = io.StringIO(text, newline="").readlines()
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        for delimiter in _DELIMITERS:
            if delimiter not in line:
                continue
            try:
                cells = next(csv.reader([line], delimiter=delimiter), [])
            except csv.Error:
                continue
            header = [_norm_header(c) for c in cells]
            if is_header(header):
                rest = "".join(lines[index + 1 :])
                rows, error = _read_rows(rest, delimiter, first_line=index + 2)
                return _Table(header, rows, error)
    return None


class _Cells:
    """A data row looked up by (normalised) column name."""

    def __init__(self, header: Sequence[str], cells: Sequence[str]) -> None:
        self._header = header
        # The `'` a spreadsheet-safe export put before a formula-like cell comes off again.
        self._cells = [unescape_cell(cell) for cell in cells]
        self._index: dict[str, int] = {}
        for i, name in enumerate(header):
            self._index.setdefault(name, i)

    def get(self, *names: str) -> str:
        """The first non-empty cell among the columns ``names``, stripped."""
        for name in names:
            i = self._index.get(name)
            if i is not None and i < len(self._cells):
                value = clean(self._cells[i])
                if value:
                    return value
        return ""

    def matching(self, pattern: re.Pattern[str]) -> Iterable[str]:
        """Cells of every column whose name matches ``pattern``, in column order."""
        for i, name in enumerate(self._header):
            if pattern.fullmatch(name) and i < len(self._cells):
                yield clean(self._cells[i])

    def empty(self) -> bool:
        return not any(cell.strip() for cell in self._cells)


def _split_multi(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        out.extend(clean_line(v) for v in _GOOGLE_MULTI.split(value))
    return [v for v in out if v]


def _iso_date(text: str) -> str | None:
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        return parse_text_date(text)


def _error_problem(table: _Table, source: str) -> list[ImportProblem]:
    if table.error is None:
        return []
    line, why = table.error
    return [ImportProblem(source, line, f"could not read the file from here on: {why}")]


# ---------------------------------------------------------------------------- LinkedIn


def _is_linkedin_header(header: list[str]) -> bool:
    cells = set(header)
    return {"first name", "last name"} <= cells and bool(
        cells & {"connected on", "email address", "company", "position"}
    )


# `1/8/18, 6:14 PM` or `1/8/2018`: LinkedIn's older exports, month first.
_US_DATE = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]M)?)?",
    re.IGNORECASE,
)


def linkedin_date(text: str) -> str | None:
    """`Connected On` as LinkedIn writes it, as an ISO date: `03 Nov 2026`, `2026-11-03`,
    `November 3, 2026`, or the older `1/8/18, 6:14 PM` (month/day/year); None if no date."""
    match = _US_DATE.fullmatch(text.strip())
    if match is None:
        return _iso_date(text)
    month, day, year = (int(g) for g in match.groups())
    if len(match.group(3)) == 2:
        year += 2000
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _address_or_urn(
    text: str, column: str, source: str, line: int, problems: list[ImportProblem]
) -> tuple[tuple[str, ...], str | None]:
    """(e-mail addresses, LinkedIn member URN) from an `Email Address` cell."""
    if not text:
        return (), None
    if is_email(text):
        return (text,), None
    if LINKEDIN_URN.fullmatch(text):
        return (), text
    problems.append(
        ImportProblem(source, line, f"{column} {text!r} is not an e-mail address; left out")
    )
    return (), None


def read_linkedin(data: bytes, filename: str) -> tuple[list[ImportedContact], list[ImportProblem]]:
    """LinkedIn's Connections.csv (Settings > Get a copy of your data > Connections), every
    layout seen: with or without the "Notes:" preamble, with or without the URL column.

    Columns: First Name, Last Name, URL, Email Address, Company, Position, Connected On.
    ``Connected On`` becomes ``connected_on``; it is not when you met. An ``Email Address``
    that is a member URN (``urn:li:member:...``, older exports) is kept as ``linkedin_urn``.
    """
    name = source_name(filename)
    file_source = f"linkedin:{name}"
    try:
        table = _find_table(data, _is_linkedin_header)
        if table is None:
            message = (
                "no LinkedIn header row found (First Name, Last Name, URL, Email Address, "
                "Company, Position, Connected On)"
            )
            return [], [ImportProblem(file_source, 1, message)]
        contacts: list[ImportedContact] = []
        problems = _error_problem(table, file_source)
        for row in table.rows:
            cells = _Cells(table.header, row.cells)
            if cells.empty():
                continue
            source = f"{file_source}:row {row.line}"
            full_name = visible_name(f"{cells.get('first name')} {cells.get('last name')}")
            emails, urn = _address_or_urn(
                clean_line(cells.get("email address", "email")),
                "Email Address",
                source,
                row.line,
                problems,
            )
            url = clean_line(cells.get("url", "profile url"))
            connected_text = cells.get("connected on")
            connected_on = linkedin_date(connected_text) if connected_text else None
            if connected_text and connected_on is None:
                problems.append(
                    ImportProblem(
                        source,
                        row.line,
                        f"Connected On {connected_text!r} is not a date; imported without it",
                    )
                )
            contacts.append(
                ImportedContact(
                    name=full_name if is_real_name(full_name) else "",
                    source=source,
                    emails=emails,
                    company=optional(clean_line(cells.get("company"))),
                    role=optional(clean_line(cells.get("position"))),
                    links=dedupe([url]),
                    connected_on=connected_on,
                    linkedin_urn=urn,
                )
            )
        return contacts, problems
    except Exception as exc:  # pragma: no cover - last-resort guard
        return [], [ImportProblem(file_source, 1, f"could not read the file: {exc!r}")]


# ------------------------------------------------------------------------------ Google

_NAME_COLUMNS = frozenset({"name", "given name", "family name", "first name", "last name"})
_GOOGLE_COLUMN = re.compile(r"(?:e-mail|phone|website|address|organization|relation) \d+ - .*")
_EMAIL_COLUMN = re.compile(r"e-mail(?: \d+)? - value|e-mail(?: \d+)? address")
_PHONE_COLUMN = re.compile(r"(?:.+ )?(?:phone|fax)(?: \d+)?(?: - value)?")
_WEBSITE_COLUMN = re.compile(r"website \d+ - value|web page(?: \d+)?")
_ADDRESS_COLUMN = re.compile(r"address (\d+) - (city|region|country)")
_OUTLOOK_ADDRESS = ("business", "home", "other")


def _is_google_header(header: list[str]) -> bool:
    cells = set(header)
    if not cells & _NAME_COLUMNS:
        return False
    return any(_GOOGLE_COLUMN.fullmatch(c) for c in header) or bool(
        cells & {"organization name", "e-mail address", "given name"}
    )


def _google_location(header: list[str], cells: _Cells) -> str | None:
    indices = sorted({int(m.group(1)) for c in header if (m := _ADDRESS_COLUMN.fullmatch(c))})
    candidates: list[tuple[str, str, str]] = [
        (f"address {i} - city", f"address {i} - region", f"address {i} - country") for i in indices
    ]
    candidates += [(f"{p} city", f"{p} state", f"{p} country/region") for p in _OUTLOOK_ADDRESS]
    for columns in candidates:
        parts = [_first_part(cells.get(c)) for c in columns]
        text = ", ".join(p for p in parts if p)
        if text:
            return text
    return None


def _first_part(value: str) -> str:
    parts = _split_multi([value])
    return parts[0] if parts else ""


def _google_names(cells: _Cells) -> tuple[str, tuple[str, ...]]:
    """The name (`Name` as written, else first + middle + last, else a nickname) and the
    other names (nicknames, a structured name that is not `Name` in another order). An
    e-mail address or phone number is no name."""
    display = clean_line(cells.get("name"))
    structured = clean_line(
        " ".join(
            (
                cells.get("first name", "given name"),
                cells.get("middle name", "additional name"),
                cells.get("last name", "family name"),
            )
        )
    )
    return choose_names(display, structured, _split_multi([cells.get("nickname")]))


def _google_emails(
    cells: _Cells, source: str, line: int, problems: list[ImportProblem]
) -> tuple[str, ...]:
    found: list[str] = []
    for text in _split_multi(cells.matching(_EMAIL_COLUMN)):
        if is_email(text):
            found.append(text)
        else:
            problems.append(
                ImportProblem(source, line, f"e-mail {text!r} is not an e-mail address; left out")
            )
    return dedupe(found, key="casefold")


def _kind_skip(cells: _Cells) -> str | None:
    kind = clean_line(cells.get("kind")).lower()
    if kind and kind != "individual":
        return f"Kind {kind!r} is not a person; not imported"
    return None


def read_google(data: bytes, filename: str) -> tuple[list[ImportedContact], list[ImportProblem]]:
    """A Google Contacts CSV export, the older "Google CSV" (Name, Given Name, ...,
    ``E-mail 1 - Type``/``- Value``, ``Organization 1 - Name``) or the newer one (First
    Name, Middle Name, Last Name, ..., ``E-mail 1 - Label``, ``Organization Name``), and
    the "Outlook CSV" Google also writes. Cells holding several values separated by
    ``:::`` give all of them.
    """
    name = source_name(filename)
    file_source = f"google:{name}"
    try:
        table = _find_table(data, _is_google_header)
        if table is None:
            message = "no Google Contacts header row found (Name/First Name, E-mail 1 - Value, ...)"
            return [], [ImportProblem(file_source, 1, message)]
        contacts: list[ImportedContact] = []
        problems = _error_problem(table, file_source)
        for row in table.rows:
            cells = _Cells(table.header, row.cells)
            if cells.empty():
                continue
            source = f"{file_source}:row {row.line}"
            emails = _google_emails(cells, source, row.line, problems)
            phones = dedupe(_split_multi(cells.matching(_PHONE_COLUMN)), key="digits")
            full_name, aliases = _google_names(cells)
            emails, phones = details_in_name(clean_line(cells.get("name")), emails, phones)
            connected_text = clean_line(cells.get("connected on"))
            connected_on = linkedin_date(connected_text) if connected_text else None
            if connected_text and connected_on is None:
                problems.append(
                    ImportProblem(
                        source,
                        row.line,
                        f"Connected On {connected_text!r} is not a date; imported without it",
                    )
                )
            urn = clean_line(cells.get("linkedin urn"))
            birthday_text = clean_line(cells.get("birthday"))
            birthday = normalize_birthday(birthday_text) if birthday_text else None
            if birthday_text and birthday is None:
                problems.append(
                    ImportProblem(
                        source,
                        row.line,
                        f"birthday {birthday_text!r} is not a date; imported without it",
                    )
                )
            contacts.append(
                ImportedContact(
                    name=full_name,
                    source=source,
                    aliases=aliases,
                    emails=emails,
                    phones=phones,
                    company=optional(
                        _first_part(
                            cells.get("organization 1 - name", "organization name", "company")
                        )
                    ),
                    role=optional(
                        _first_part(
                            cells.get("organization 1 - title", "organization title", "job title")
                        )
                    ),
                    location=_google_location(table.header, cells),
                    links=dedupe(_split_multi(cells.matching(_WEBSITE_COLUMN))),
                    birthday=birthday,
                    note=optional(cells.get("notes")),
                    connected_on=connected_on,
                    linkedin_urn=urn if LINKEDIN_URN.fullmatch(urn) else None,
                    origin=optional(clean_line(cells.get("source"))),
                    file_stem=optional(PurePosixPath(clean_line(cells.get("path"))).stem),
                    skip=_kind_skip(cells),
                )
            )
        return contacts, problems
    except Exception as exc:  # pragma: no cover - last-resort guard
        return [], [ImportProblem(file_source, 1, f"could not read the file: {exc!r}")]
