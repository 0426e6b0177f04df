"""Dates: today's date (overridable) and keep-in-touch intervals."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta

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


def now() -> datetime:
    """The current local time, aware; with NETVAULT_TODAY the last moment of that day (so
    that everything on the fixed day has happened, whatever the clock says)."""
    day = today()
    if os.environ.get("NETVAULT_TODAY"):
        return datetime.combine(day, time.max).astimezone()
    return datetime.now().astimezone()


def parse_since(text: str, day: date) -> date:
    """A `--since` value: an ISO date, or an interval (`90d`, `6m`) back from `day`.
    Raises BadDate."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        pass
    try:
        return day - timedelta(days=parse_interval(text))
    except ValueError:
        raise BadDate(f"{text!r} is not a date (YYYY-MM-DD) or an interval like 90d") from None
