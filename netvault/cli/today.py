"""`netvault today`: a short daily digest; silent when there is nothing to do."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import click

from ..intros import WaitingIntro
from ..meetings import Meeting, brief_hint, meeting_json, meetings_on
from ..ties import BirthdayItem, Digest, RecentMove, digest
from .common import emit_json, json_option, plural, runtime, warn_about_problems
from .due import due_json, due_state
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
    when = "today" if item.days_until == 0 else f"in {plural(item.days_until, 'day')}"
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
    asked = f"asked {plural(item.days, 'day')} ago"
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
    when = "today" if item.days_ago == 0 else f"{plural(item.days_ago, 'day')} ago"
    return f"  {item.contact.name}: {item.move.text} ({item.move.date.isoformat()}, {when})"


def _digest_text(found: Digest) -> list[str]:
    lines = [f"netvault · {found.day.strftime('%A %d %B %Y')}"]
    if found.due:
        lines.append(f"Due for contact ({len(found.due)}):")
        lines += [f"  {item.contact.name}: {due_state(item)}" for item in found.due]
    if found.tasks:
        lines.append(f"Follow-ups due ({len(found.tasks)}):")
        lines += [f"  {todo_line(item)}" for item in found.tasks]
    if found.birthdays:
        lines.append(f"Birthdays ({len(found.birthdays)}):")
        lines += [_birthday_text(item) for item in found.birthdays]
    if found.intros_waiting:
        lines.append(f"Introductions waiting ({len(found.intros_waiting)}):")
        lines += [_waiting_text(item) for item in found.intros_waiting]
    if found.moves:
        lines.append(f"Changed jobs, a reason to get in touch ({len(found.moves)}):")
        lines += [_move_text(item) for item in found.moves]
    return lines


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


@click.command()
@json_option
def command(as_json: bool) -> None:
    """Today's digest: who is due, follow-ups due, birthdays this week, introductions waiting
    for an answer, who changed jobs in the last 90 days (their `## Career` lines), tomorrow's
    meetings (from the last `import calendar`). Silent when there is nothing to do."""
    rt = runtime()
    # Quiet so that a day with nothing to do prints nothing at all, not even vault warnings.
    index = rt.index(quiet=True)
    today = rt.today()
    found = digest(index, today)
    meetings = meetings_on(rt.root, today + timedelta(days=1))
    if as_json:
        emit_json(
            {
                "today": today.isoformat(),
                "empty": found.empty and not meetings,
                "due": [due_json(index, item) for item in found.due],
                "tasks": [todo_json(item) for item in found.tasks],
                "birthdays": [_birthday_json(item) for item in found.birthdays],
                "intros_waiting": [_waiting_json(item) for item in found.intros_waiting],
                "meetings_tomorrow": [_meeting_json(m) for m in meetings],
                "moves": [_move_json(item) for item in found.moves],
            }
        )
        return
    if found.empty and not meetings:
        return
    lines = _digest_text(found)
    if meetings:
        lines += _meetings_text(meetings)
    click.echo("\n".join(lines))
    warn_about_problems(index)
