"""Upcoming meetings kept from the last calendar import, for `netvault today`.

Machine state outside the vault (`userdirs.vault_state_dir`): a vault never carries it,
and it holds meeting titles only for the user who imported them (mode 0600). Each
calendar file keeps its own list, so importing a second calendar does not forget the
first one's meetings.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from .userdirs import vault_state_dir

STATE_FILE = "meetings.json"
_VERSION = 1


@dataclass(frozen=True, slots=True)
class MeetingPerson:
    name: str
    path: str


@dataclass(frozen=True, slots=True)
class Meeting:
    """An upcoming meeting with contacts in it."""

    key: str
    title: str
    day: date
    time: str | None  # "09:30" in the event's own zone (local for UTC); None all day
    channel: str | None
    people: tuple[MeetingPerson, ...]


def state_path(root: Path) -> Path:
    return vault_state_dir(root) / STATE_FILE


def meeting_json(meeting: Meeting) -> dict[str, Any]:
    return {
        "key": meeting.key,
        "title": meeting.title,
        "day": meeting.day.isoformat(),
        "time": meeting.time,
        "channel": meeting.channel,
        "people": [{"name": p.name, "path": p.path} for p in meeting.people],
    }


def _meeting(data: Any) -> Meeting | None:
    try:
        return Meeting(
            key=str(data["key"]),
            title=str(data["title"]),
            day=date.fromisoformat(data["day"]),
            time=None if data.get("time") is None else str(data["time"]),
            channel=None if data.get("channel") is None else str(data["channel"]),
            people=tuple(MeetingPerson(str(p["name"]), str(p["path"])) for p in data["people"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _load(root: Path) -> dict[str, Any]:
    try:
        data = json.loads(state_path(root).read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != _VERSION:
        return {}
    sources = data.get("sources")
    return sources if isinstance(sources, dict) else {}


def save_meetings(
    root: Path, source: Path, imported_at: datetime, meetings: Sequence[Meeting]
) -> Path:
    """Replace what was kept for the calendar file `source` with `meetings`."""
    from .write import Replace, Target, write_file

    sources = _load(root)
    sources[str(source.resolve())] = {
        "imported_at": imported_at.isoformat(timespec="seconds"),
        "meetings": [meeting_json(m) for m in meetings],
    }
    path = state_path(root)
    data = json.dumps({"version": _VERSION, "sources": sources}, ensure_ascii=False, indent=1)
    write_file(Target.user_file(path), data.encode("utf-8") + b"\n", replace=Replace.STATE)
    return path


def meetings_on(root: Path, day: date) -> list[Meeting]:
    """The kept meetings on `day`, from every imported calendar, each once, by time."""
    found: dict[str, Meeting] = {}
    for kept in _load(root).values():
        items = kept.get("meetings") if isinstance(kept, dict) else None
        for item in items if isinstance(items, list) else []:
            meeting = _meeting(item)
            if meeting is not None and meeting.day == day:
                found.setdefault(meeting.key, meeting)
    return sorted(found.values(), key=lambda m: (m.time or "", m.title, m.key))


def brief_hint(person: MeetingPerson) -> str:
    """The command that prepares the meeting, quoted for a POSIX shell. It names the note's
    file, which stays one person when two share a display name."""
    import shlex

    return f"netvault brief {shlex.quote(PurePosixPath(person.path).stem)}"
