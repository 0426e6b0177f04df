"""`netvault unmet`: contacts (tie 2+) you have never met face to face, closest first."""

from __future__ import annotations

import click

from ..ties import UnmetItem, unmet
from .common import contact_json, emit_json, iso, json_option, plural, runtime, tie_text
from .due import interaction_text
from .screen import limit_option, limited, more_line, rows
from .show import interaction_json


def unmet_line(item: UnmetItem) -> str:
    if item.last_interaction is not None:
        last = f"last talked {interaction_text(item.last_interaction)}"
    elif item.last_contact is not None:
        last = f"last in touch {iso(item.last_contact)}"
    else:
        last = "never in touch"
    return f"{item.contact.name} ({tie_text(item.contact.tie)}): {last}"


@click.command()
@limit_option
@json_option
def command(limit: int | None, as_json: bool) -> None:
    """Contacts with tie 2 or more you have never met in person, closest tie first."""
    rt = runtime()
    index = rt.index()
    today = rt.today()
    items = unmet(index, today)
    if as_json:
        emit_json(
            {
                "today": today.isoformat(),
                "total": len(items),
                "unmet": [
                    contact_json(index, item.contact, today)
                    | {
                        "last_interaction": (
                            interaction_json(item.last_interaction)
                            if item.last_interaction
                            else None
                        )
                    }
                    for item in limited(items, limit)
                ],
            }
        )
        return
    if not items:
        click.echo("You have met every contact with tie 2 or more in person.")
        return
    # Kept free on the screen: "… and N more" with the count.
    lines = [line for block in rows(items, limit, lambda i: [unmet_line(i)], 1) for line in block]
    total = f"{plural(len(items), 'contact')} never met in person"
    hidden = len(items) - len(lines)
    click.echo("\n".join([*lines, more_line(total, hidden) if hidden else total]))
