"""`netvault list`: contacts, filtered and sorted."""

from __future__ import annotations

from datetime import date

import click

from ..text import fold
from .common import contact_json, emit_json, iso, json_option, runtime, tie_text


def _tie(_ctx: click.Context, _param: click.Parameter, value: str | None) -> int | None:
    """A tie as typed: 1-5 or its label (`trusted`, `knows my work`)."""
    if value is None:
        return None
    from ..fields import FieldProblem, tie_value

    try:
        return tie_value(value)
    except FieldProblem as exc:
        raise click.BadParameter(str(exc).removeprefix("tie: ")) from None


_TIES = "1-5 or acquaintance, contact, knows-my-work, trusted, oak"


@click.command()
@click.option("--tag", "tags", multiple=True,
              help="Only contacts with this tag; repeated: with every one of them.")
@click.option("--company", help="Only people at this company.")
@click.option("--location", help="Only people whose location has these words: Berlin "
              "finds 'Berlin, Germany'.")
@click.option("--relationship", help="Only this relationship, e.g. former-colleague.")
@click.option("--tie", callback=_tie, metavar="TIE",
              help=f"Only ties of exactly this strength: {_TIES}.")
@click.option("--min-tie", callback=_tie, metavar="TIE", help="Only ties at least this strong.")
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
    company: str | None,
    location: str | None,
    relationship: str | None,
    tie: int | None,
    min_tie: int | None,
    sort_by: str,
    as_json: bool,
) -> None:
    """List contacts.

    Filters combine: a contact is listed when every filter given holds. Matching ignores
    case and accents.
    """
    from ..filters import ContactFilter

    rt = runtime()
    index = rt.index()
    today = rt.today()
    wanted = ContactFilter(tags=tags, company=company, location=location,
                           relationship=relationship, tie=tie, min_tie=min_tie)
    people = wanted.among(index.contacts)
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
