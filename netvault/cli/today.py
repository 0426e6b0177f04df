"""`netvault today`: a short daily digest; silent when there is nothing to do."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import click

from ..dates import duration
from ..intros import WaitingIntro
from ..meetings import Meeting, brief_hint, meeting_json, meetings_on
from ..ties import BirthdayItem, Digest, RecentMove, digest
from .common import emit_json, json_option, runtime, warn_about_problems
from .due import due_json, due_state
from .screen import limit_per_list_option, limited, room_for_rows, shared_cap
from .todo import todo_json, todo_line


def _birthday_json(item: BirthdayItem) -> dict[str, Any]:
    born = item.contact.birthday
    return {
        "name": item.contact.name,
        "path": item.contact.path,
        "birthday": born.iso() if born else None,
        "on": item.on.isoformat(),
        "days_until": item.days_until,
        "turning": item.turning,
    }


def _birthday_text(item: BirthdayItem) -> str:
    when = "today" if item.days_until == 0 else f"in {duration(item.days_until)}"
    turning = f", turning {item.turning}" if item.turning else ""
    return f"  {item.contact.name}: {item.on.strftime('%a %d %b')} ({when}){turning}"


def _waiting_json(item: WaitingIntro) -> dict[str, Any]:
    return {
        "id": item.intro.id,
        "path": item.intro.path,
        "a": item.intro.a,
        "b": item.intro.b,
        "created": item.intro.created,
        "pending": list(item.pending),
        "days": item.days,
    }


def _waiting_text(item: WaitingIntro) -> str:
    who = " and ".join(item.pending)
    asked = f"asked {duration(item.days)} ago"
    return f"  {item.intro.a} and {item.intro.b}: {asked}, {who} not answered yet"


def _move_json(item: RecentMove) -> dict[str, Any]:
    return {
        "name": item.contact.name,
        "path": item.contact.path,
        "date": item.move.date.isoformat(),
        "text": item.move.text,
        "line": item.move.line,
        "days_ago": item.days_ago,
    }


def _move_text(item: RecentMove) -> str:
    when = "today" if item.days_ago == 0 else f"{duration(item.days_ago)} ago"
    return f"  {item.contact.name}: {item.move.text} ({item.move.date.isoformat()}, {when})"


def _section(title: str, rows: list[str], cap: int | None) -> list[str]:
    """A titled list of the digest, cut to `cap` rows (None: all) with "… and N more"."""
    if not rows:
        return []
    heading = f"{title} ({len(rows)}):"
    if cap is not None and len(rows) > cap:
        return [heading, *rows[:cap], f"  … and {len(rows) - cap} more"]
    return [heading, *rows]


def _digest_text(found: Digest, cap: int | None) -> list[str]:
    """The digest, each list cut to `cap` rows (None: all)."""
    return [
        f"netvault · {found.day.strftime('%A %d %B %Y')}",
        *_section(
            "Due for contact",
            # The cadence shows why the order is what it is (overdue for the cadence).
            [
                f"  {item.contact.name}: {due_state(item)} (every {item.cadence_days}d)"
                for item in found.due
            ],
            cap,
        ),
        *_section("Follow-ups due", [f"  {todo_line(item)}" for item in found.tasks], cap),
        *_section("Birthdays", [_birthday_text(item) for item in found.birthdays], cap),
        *_section(
            "Introductions waiting", [_waiting_text(item) for item in found.intros_waiting], cap
        ),
        *_section(
            "Changed jobs, a reason to get in touch", [_move_text(item) for item in found.moves],
            cap,
        ),
    ]


def _meetings_text(meetings: list[Meeting]) -> list[str]:
    lines = [f"Tomorrow's meetings ({len(meetings)}):"]
    for meeting in meetings:
        who = ", ".join(p.name for p in meeting.people)
        lines.append(f"  {meeting.time or 'all day'} {meeting.title} with {who}")
        lines += [f"    {brief_hint(p)}" for p in meeting.people]
    return lines


def _meeting_json(meeting: Meeting) -> dict[str, Any]:
    data = meeting_json(meeting)
    for person, shown in zip(meeting.people, data["people"], strict=True):
        shown["brief"] = brief_hint(person)
    return data


def _cap(found: Digest, limit: int | None, meeting_lines: int) -> int | None:
    """Rows per list: `--limit` (0: all), else as many as let the digest fit the screen."""
    if limit is not None:
        return limit or None
    sizes = [
        size
        for size in (len(found.due), len(found.tasks), len(found.birthdays),
                     len(found.intros_waiting), len(found.moves))
        if size
    ]
    # Around the rows: the date line, a heading per list, tomorrow's meetings.
    return shared_cap(sizes, room_for_rows(1 + len(sizes) + meeting_lines))


@click.command()
@limit_per_list_option
@json_option
def command(limit: int | None, as_json: bool) -> None:
    """Today's digest: who is due, follow-ups due, birthdays this week, introductions waiting
    for an answer, who changed jobs in the last 90 days (their `## Career` lines), tomorrow's
    meetings (from the last `import calendar`). Silent when there is nothing to do.

    Order of who is due: most overdue for their cadence first (days overdue / cadence), then
    those never in touch."""
    rt = runtime()
    # Quiet so that a day with nothing to do prints nothing at all, not even vault warnings.
    index = rt.index(quiet=True)
    today = rt.today()
    found = digest(index, today)
    meetings = meetings_on(rt.root, today + timedelta(days=1))
    if as_json:
        due_shown = limited(found.due, limit)
        index.load_details(item.contact for item in due_shown)
        emit_json(
            {
                "today": today.isoformat(),
                "empty": found.empty and not meetings,
                "due": [due_json(index, item) for item in due_shown],
                "tasks": [todo_json(item) for item in limited(found.tasks, limit)],
                "birthdays": [_birthday_json(item) for item in limited(found.birthdays, limit)],
                "intros_waiting": [
                    _waiting_json(item) for item in limited(found.intros_waiting, limit)
                ],
                "meetings_tomorrow": [_meeting_json(m) for m in meetings],
                "moves": [_move_json(item) for item in limited(found.moves, limit)],
            }
        )
        return
    if found.empty and not meetings:
        return
    after = _meetings_text(meetings) if meetings else []
    lines = _digest_text(found, _cap(found, limit, len(after))) + after
    click.echo("\n".join(lines))
    warn_about_problems(index)
