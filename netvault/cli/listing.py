"""`netvault list`: contacts, filtered and sorted."""

from __future__ import annotations

from datetime import date

import click

from ..text import fold
from .common import contact_json, emit_json, iso, json_option, runtime, tie_text


@click.command()
@click.option("--tag", "tags", multiple=True, help="Only contacts with this tag (repeatable).")
@click.option("--min-tie", type=click.IntRange(1, 5), help="Only ties at least this strong.")
@click.option("--company", help="Only people at this company (case-insensitive).")
@click.option("--relationship", help="Only this relationship, e.g. former-colleague.")
@click.option(
    "--sort",
    "sort_by",
    type=click.Choice(["name", "tie", "last-met"]),
    default="name",
    show_default=True,
)
@json_option
def command(
    tags: tuple[str, ...],
    min_tie: int | None,
    company: str | None,
    relationship: str | None,
    sort_by: str,
    as_json: bool,
) -> None:
    """List contacts."""
    rt = runtime()
    index = rt.index()
    today = rt.today()
    wanted_tags = {fold(t.lstrip("#")) for t in tags}
    people = []
    for contact in index.contacts:
        if wanted_tags and not wanted_tags <= {fold(t) for t in contact.tags}:
            continue
        if min_tie and (contact.tie or 0) < min_tie:
            continue
        if company and fold(contact.company or "") != fold(company):
            continue
        if relationship and fold(relationship) not in {fold(r) for r in contact.relationship}:
            continue
        people.append(contact)
    if sort_by == "tie":
        people.sort(key=lambda c: (-(c.tie or 0), fold(c.name)))
    elif sort_by == "last-met":
        people.sort(
            key=lambda c: (-(index.last_contact(c, today) or date.min).toordinal(), fold(c.name))
        )
    if as_json:
        emit_json({"contacts": [contact_json(index, c, today) for c in people]})
        return
    if not people:
        click.echo("No contacts match.")
        return
    width = max(len(c.name) for c in people)
    for contact in people:
        where = " · ".join(x for x in (contact.role, contact.company) if x)
        last = iso(index.last_contact(contact, today)) or "never"
        click.echo(f"{contact.name:<{width}}  {tie_text(contact.tie):<16} {last:<10}  {where}")
    click.echo(f"{len(people)} contact{'s' * (len(people) != 1)}")
