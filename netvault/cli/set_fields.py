"""`netvault set NAME KEY=VALUE...`: change a contact's front-matter without editing YAML."""

from __future__ import annotations

from typing import Any

import click

from ..fields import FIELDS
from .common import emit_json, json_option, lookup, runtime
from .completion import complete_contact


def _text(value: object) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@click.command(epilog="Keys: " + ", ".join(FIELDS) + ".")
@click.argument("name", shell_complete=complete_contact)
@click.argument("assignments", metavar="KEY=VALUE...", nargs=-1, required=True)
@json_option
def command(name: str, assignments: tuple[str, ...], as_json: bool) -> None:
    """Set front-matter keys of NAME's note; only the lines of those keys change.

    \b
    tie=4 or tie=trusted           1-5 or a label
    last_met=yesterday             YYYY-MM-DD, today, yesterday, '3 days ago'
    cadence=6w                     keep-in-touch interval: 30d, 6w, 3m, 1y
    share-contact=yes              consent: yes, ask or no (also introductions=)
    tags+=ml  tags-=old  tags=a,b  lists: add, remove, replace (comma-separated)
    introduced_by="Helen Park"     written as a [[wikilink]]

    Every value is checked before anything is written; one bad value writes nothing.
    """
    from ..fields import parse_assignment, set_fields
    from ..write import WriteRefused, vault_lock

    parsed = [parse_assignment(arg) for arg in assignments]
    rt = runtime()
    today = rt.today(writing=True)
    index = rt.index(quiet=True)
    contact = lookup(index, name)
    try:
        set_fields(index, contact, parsed, today, dry_run=True)  # bad values: no lock taken
        with vault_lock(rt.root):
            changes = set_fields(index, contact, parsed, today)
    except WriteRefused as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        data: dict[str, Any] = {
            "name": contact.name,
            "path": contact.path,
            "changed": bool(changes),
            "changes": [{"key": c.key, "old": c.old, "new": c.new} for c in changes],
        }
        emit_json(data)
        return
    if not changes:
        click.echo(f"Nothing to change in {contact.path}")
        return
    click.echo(f"Updated {contact.path}")
    for change in changes:
        click.echo(f"  {change.key}: {_text(change.old)} -> {_text(change.new)}")
