"""`netvault unmet`: contacts (tie 2+) you have never met face to face, closest first."""

from __future__ import annotations

import click

from ..ties import unmet
from .common import contact_json, emit_json, iso, json_option, plural, runtime, tie_text
from .due import interaction_text
from .show import interaction_json


@click.command()
@json_option
def command(as_json: bool) -> None:
    """Contacts with tie 2 or more you have never met in person, closest tie first."""
    rt = runtime()
    index = rt.index()
    today = rt.today()
    items = unmet(index, today)
    if as_json:
        emit_json(
            {
                "today": today.isoformat(),
                "unmet": [
                    contact_json(index, item.contact, today)
                    | {
                        "last_interaction": (
                            interaction_json(item.last_interaction)
                            if item.last_interaction
                            else None
                        )
                    }
                    for item in items
                ],
            }
        )
        return
    if not items:
        click.echo("You have met every contact with tie 2 or more in person.")
        return
    for item in items:
        if item.last_interaction is not None:
            last = f"last talked {interaction_text(item.last_interaction)}"
        elif item.last_contact is not None:
            last = f"last in touch {iso(item.last_contact)}"
        else:
            last = "never in touch"
        click.echo(f"{item.contact.name} ({tie_text(item.contact.tie)}): {last}")
    click.echo(f"{plural(len(items), 'contact')} never met in person")
