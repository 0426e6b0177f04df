"""`netvault brief NAME`: one screen to read before meeting someone."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from ..dates import duration
from ..model import TIE_LABELS, Interaction, Task
from .common import emit_json, iso, json_option, lookup, plural, runtime, tie_text

if TYPE_CHECKING:
    from ..brief import Brief


def _ago(day: date, today: date) -> str:
    days = (today - day).days
    if days == 0:
        return "today"
    if days < 0:
        return f"in {duration(days)}"
    return f"{duration(days)} ago"


def _interaction(item: Interaction) -> str:
    from ..brief import shown_text

    channel = f"({item.channel}) " if item.channel else ""
    return f"{item.date.isoformat()} {channel}{shown_text(item.text)}"


def _task(task: Task, today: date) -> str:
    from ..brief import shown_text

    due = ""
    if task.due is not None:
        late = (today - task.due).days
        due = f" (due {task.due.isoformat()}" + (
            f", {duration(late)} overdue)" if late > 0 else ")"
        )
    return f"[ ] {shown_text(task.text)}{due}"


def brief_text(found: Brief) -> list[str]:
    contact, today = found.contact, found.today
    work = " at ".join(x for x in (contact.role, contact.company) if x)
    oak = contact.is_oak and contact.tie != 5  # "tie 5 oak" says it already
    head = [f"tie {tie_text(contact.tie)}" + (" (oak)" if oak else "")]
    head += [x for x in (work, contact.location) if x]
    lines = [click.style(contact.name, bold=True) + " · " + " · ".join(head)]
    how = []
    if contact.first_met:
        how.append(f"first met {contact.first_met.isoformat()} ({_ago(contact.first_met, today)})")
    if contact.introduced_by:
        how.append(f"introduced by {contact.introduced_by}")
    if contact.relationship:
        how.append(", ".join(contact.relationship))
    how.append("met in person" if found.met_in_person else "never met in person")
    lines.append("How you met: " + "; ".join(how))
    if found.first_interaction is not None:
        lines.append(f"  first logged: {_interaction(found.first_interaction)}")
    if found.recent:
        lines.append(f"Last {plural(len(found.recent), 'interaction')}:")
        lines += [f"  {_interaction(i)}" for i in found.recent]
    else:
        lines.append("Last interactions: none logged")
    if found.you_owe:
        lines.append("You owe them:")
        lines += [f"  {_task(t, today)}" for t in found.you_owe]
    waiting = [line for line in found.intros if line.waiting_on_them]
    if found.they_owe or waiting:
        lines.append("They owe you:")
        lines += [f"  {_task(t, today)}" for t in found.they_owe]
        lines += [
            f"  an answer: may you introduce them to {line.other}? "
            f"(asked {line.intro.created.isoformat() if line.intro.created else 'earlier'})"
            for line in waiting
        ]
    given, received = found.favours_given, found.favours_received
    if given or received:
        balance = (
            "you owe them one" if received > given
            else "they owe you one" if given > received
            else "even"
        )
        lines.append(f"Favours: you gave {given}, received {received} ({balance})")
        lines += [f"  {_interaction(i)}" for i in found.favour_lines]
    if found.intros:
        lines.append("Introductions:")
        for line in found.intros:
            created = line.intro.created.isoformat() if line.intro.created else "undated"
            lines.append(f"  {created} with {line.other}: {line.intro.status}")
    if contact.needs:
        lines.append("Needs: " + ", ".join(contact.needs))
    if contact.offers:
        lines.append("Offers: " + ", ".join(contact.offers))
    if found.mutual:
        lines.append("People you both know:")
        lines += [f"  {m.name} ({'; '.join(m.reasons)})" for m in found.mutual]
        if found.mutual_more:
            lines.append(f"  and {found.mutual_more} more")
    lines += _since_text(found)
    return lines


def _since_text(found: Brief) -> list[str]:
    from ..brief import shown_text

    since = found.since
    if since.day is None:
        return ["Since you last met: no conversation logged yet (in person, call or video)"]
    lines = [f"Since you last met ({since.day.isoformat()}, {_ago(since.day, found.today)}):"]
    lines += [f"  career: {m.date.isoformat()} {shown_text(m.text)}" for m in since.moves]
    lines += [
        f"  {change.key}: {change.before or '-'} -> {change.after or '-'}"
        for change in since.changes
    ]
    shown = since.interactions[:5]
    lines += [f"  {_interaction(i)}" for i in shown]
    if len(since.interactions) > len(shown):
        lines.append(f"  and {len(since.interactions) - len(shown)} earlier")
    if not since.changes and not since.interactions and not since.moves:
        lines.append("  nothing logged since")
    return lines


def _interaction_json(item: Interaction) -> dict[str, Any]:
    from ..brief import shown_text

    return {
        "date": item.date,
        "channel": item.channel,
        "text": shown_text(item.text),
        "favor": item.favor,
        "path": item.path,
        "line": item.line,
    }


def _task_json(task: Task) -> dict[str, Any]:
    from ..brief import shown_text

    return {"text": shown_text(task.text), "due": iso(task.due), "path": task.path,
            "line": task.line}


def brief_json(found: Brief) -> dict[str, Any]:
    from ..brief import shown_text

    contact = found.contact
    since = found.since
    return {
        "name": contact.name,
        "path": contact.path,
        "today": found.today,
        "tie": contact.tie,
        "tie_label": TIE_LABELS.get(contact.tie) if contact.tie else None,
        "oak": contact.is_oak,
        "company": contact.company,
        "role": contact.role,
        "location": contact.location,
        "how_met": {
            "first_met": iso(contact.first_met),
            "introduced_by": contact.introduced_by,
            "relationship": list(contact.relationship),
            "met_in_person": found.met_in_person,
            "first_interaction": _interaction_json(found.first_interaction)
            if found.first_interaction
            else None,
        },
        "last_interactions": [_interaction_json(i) for i in found.recent],
        "you_owe": [_task_json(t) for t in found.you_owe],
        "they_owe": [_task_json(t) for t in found.they_owe],
        "favors": {
            "given": found.favours_given,
            "received": found.favours_received,
            "recent": [_interaction_json(i) for i in found.favour_lines],
        },
        "intros": [
            {
                "id": line.intro.id,
                "path": line.intro.path,
                "with": line.other,
                "status": line.intro.status,
                "created": iso(line.intro.created),
                "waiting_on_them": line.waiting_on_them,
            }
            for line in found.intros
        ],
        "needs": list(contact.needs),
        "offers": list(contact.offers),
        "people_you_both_know": [
            {"name": m.name, "path": m.path, "tie": m.tie, "reasons": list(m.reasons)}
            for m in found.mutual
        ],
        "people_you_both_know_more": found.mutual_more,
        "since_last_met": {
            "last_met": iso(since.day),
            "interactions": [_interaction_json(i) for i in since.interactions],
            "changes": [
                {"key": c.key, "before": c.before, "after": c.after} for c in since.changes
            ],
            "history_read": since.history_read,
            "moves": [
                {"date": iso(m.date), "text": shown_text(m.text), "line": m.line}
                for m in since.moves
            ],
        },
    }


@click.command()
@click.argument("name")
@json_option
def command(name: str, as_json: bool) -> None:
    """One screen before meeting NAME: tie, how and when you met, the last five
    interactions, open follow-ups both ways, favours, introductions, their needs and
    offers, people you both know, and what changed since you last met."""
    from ..brief import brief

    rt = runtime()
    index = rt.index(quiet=as_json)
    found = brief(index, lookup(index, name), rt.today())
    if as_json:
        emit_json(brief_json(found))
    else:
        click.echo("\n".join(brief_text(found)))
