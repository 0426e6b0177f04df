"""Dates: today's date (overridable) and keep-in-touch intervals."""

from __future__ import annotations

import os
import re
from datetime import date, timedelta

from .errors import UsageProblem

_INTERVAL = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$", re.IGNORECASE)
_DAYS_PER_UNIT = {"d": 1, "w": 7, "m": 30, "y": 365}


class BadDate(UsageProblem, ValueError):
    """A date netvault cannot read (a usage error wherever the user typed it)."""


def today() -> date:
    """Today's date, or NETVAULT_TODAY (ISO) so output and tests are reproducible."""
    fixed = os.environ.get("NETVAULT_TODAY")
    if fixed:
        try:
            return date.fromisoformat(fixed.strip())
        except ValueError:
            raise BadDate(f"NETVAULT_TODAY={fixed!r} is not an ISO date (YYYY-MM-DD)") from None
    return date.today()


def parse_interval(text: str) -> int:
    """`30d`, `6w`, `3m`, `1y` -> days. Raises ValueError on anything else."""
    match = _INTERVAL.match(text)
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"{text!r} is not an interval like 30d, 6w, 3m or 1y")
    return int(match.group(1)) * _DAYS_PER_UNIT[match.group(2).lower()]


def parse_iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def add_days(day: date, days: int) -> date:
    """`day` moved by `days`, held at the first or last day Python can hold instead of
    overflowing: one note saying `last_met: 9999-12-31` or `cadence: 9999999y` must not stop
    `today` for the whole vault."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min
