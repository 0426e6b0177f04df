"""`netvault favors [NAME]`: favours given and received per person, those you owe first."""

from __future__ import annotations

import click

from ..ties import favors
from .common import contact_json, emit_json, json_option, lookup, runtime
from .completion import complete_contact


@click.command()
@click.argument("name", required=False, shell_complete=complete_contact)
@json_option
def command(name: str | None, as_json: bool) -> None:
    """Favours given and received (`#gave` / `#got` in the log); those you owe first."""
    rt = runtime()
    index = rt.index()
    today = rt.today()
    person = lookup(index, name) if name is not None else None
    balances = favors(index, person)
    if as_json:
        emit_json(
            {
                "favors": [
                    contact_json(index, b.contact, today)
                    | {"given": b.given, "received": b.received, "owed": b.owed}
                    for b in balances
                ]
            }
        )
        return
    if not balances:
        click.echo("No favours logged yet: tag log lines with #gave or #got.")
        return
    width = max(len(b.contact.name) for b in balances)
    click.echo("Favours you did for each person (#gave) and they did for you (#got):")
    for b in balances:
        if b.owed > 0:
            balance = f"you owe them {b.owed}"
        elif b.owed < 0:
            balance = f"you gave {-b.owed} more than they did"
        else:
            balance = "even"
        click.echo(
            f"  {b.contact.name:<{width}}  you gave {b.given}  they gave you {b.received}  "
            f"{balance}"
        )
