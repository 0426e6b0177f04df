"""`netvault show NAME`: one contact in full."""

from __future__ import annotations

from typing import Any

import click

from ..index import Index
from ..model import Interaction, Task
from .common import contact_json, emit_json, iso, json_option, lookup, runtime, tie_text
from .completion import complete_contact


def _title(index: Index, path: str) -> str:
    contact = index.contact_at(path)
    return contact.name if contact is not None else index.title(path) or path


def interaction_json(item: Interaction) -> dict[str, Any]:
    return {
        "date": item.date.isoformat(),
        "channel": item.channel,
        "text": item.text,
        "favor": item.favor,
        "path": item.path,
        "line": item.line,
    }


def task_json(task: Task) -> dict[str, Any]:
    return {"text": task.text, "due": iso(task.due), "path": task.path, "line": task.line}


@click.command()
@click.argument("name", shell_complete=complete_contact)
@json_option
def command(name: str, as_json: bool) -> None:
    """Show a contact: details, interactions, open tasks, favours, links and backlinks."""
    rt = runtime()
    index = rt.index()
    today = rt.today()
    contact = lookup(index, name)
    interactions = index.interactions(contact)
    tasks = index.tasks(contact)
    given, received = index.favors(contact)
    links_out = [_title(index, p) for p in index.links_out(contact.path)]
    backlinks = [_title(index, p) for p in index.backlinks(contact.path)]
    if as_json:
        data = contact_json(index, contact, today)
        data.update(
            {
                "email": list(contact.emails),
                "phone": list(contact.phones),
                "links": list(contact.links),
                "cadence_days": contact.cadence_days,
                "consent": {
                    "share-contact": contact.consent.share_contact,
                    "introductions": contact.consent.introductions,
                },
                "introduced_by": contact.introduced_by,
                "offers": list(contact.offers),
                "needs": list(contact.needs),
                "interests": list(contact.interests),
                "birthday": contact.birthday.iso() if contact.birthday else None,
                "interactions": [interaction_json(i) for i in interactions],
                "open_tasks": [task_json(t) for t in tasks],
                "favors": {"given": given, "received": received},
                "links_out": links_out,
                "backlinks": backlinks,
            }
        )
        emit_json(data)
        return

    lines = [click.style(contact.name, bold=True) + f"  ({contact.path})"]
    facts = [
        ("aliases", ", ".join(contact.aliases)),
        ("tie", tie_text(contact.tie) + ("  (oak)" if contact.is_oak else "")),
        ("role", " at ".join(x for x in (contact.role, contact.company) if x)),
        ("location", contact.location or ""),
        ("relationship", ", ".join(contact.relationship)),
        ("tags", ", ".join(contact.tags)),
        ("first met", iso(contact.first_met) or ""),
        ("last contact", iso(index.last_contact(contact, today)) or "never"),
        ("met in person", "yes" if index.met_in_person(contact) else "not yet"),
        ("e-mail", ", ".join(contact.emails)),
        ("phone", ", ".join(contact.phones)),
        (
            "consent",
            f"share contact: {contact.consent.share_contact}, "
            f"introductions: {contact.consent.introductions}",
        ),
        ("introduced by", contact.introduced_by or ""),
        ("offers", ", ".join(contact.offers)),
        ("needs", ", ".join(contact.needs)),
        ("interests", ", ".join(contact.interests)),
        ("birthday", contact.birthday.iso() if contact.birthday else ""),
        ("favours", f"given {given}, received {received}" if given or received else ""),
    ]
    lines += [f"  {label + ':':<15}{value}" for label, value in facts if value]
    if interactions:
        lines.append("Interactions:")
        for item in interactions[-15:]:
            channel = f"({item.channel}) " if item.channel else ""
            lines.append(f"  {item.date.isoformat()} {channel}{item.text}")
        if len(interactions) > 15:
            lines.append(f"  ... and {len(interactions) - 15} earlier")
    if tasks:
        lines.append("Open tasks:")
        for task in tasks:
            due = f" (due {task.due.isoformat()})" if task.due else ""
            lines.append(f"  [ ] {task.text}{due}")
    if links_out:
        lines.append("Links to: " + ", ".join(links_out))
    if backlinks:
        lines.append("Linked from: " + ", ".join(backlinks))
    click.echo("\n".join(lines))
