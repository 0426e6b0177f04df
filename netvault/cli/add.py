"""`netvault add NAME`: a new contact note from the `contact.md.j2` template."""

from __future__ import annotations

from datetime import date

import click

from .common import emit_json, json_option, runtime
from .writing import write_lock


@click.command()
@click.argument("name")
@click.option("--tie", type=click.IntRange(1, 5), default=1, show_default=True,
              help="1 acquaintance ... 5 oak.")
@click.option("--company")
@click.option("--role")
@click.option("--email")
@click.option("--met", "met", help="When you first met (YYYY-MM-DD).")
@click.option("--in-person", is_flag=True, help="You have met face to face.")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
@json_option
def command(
    name: str,
    tie: int,
    company: str | None,
    role: str | None,
    email: str | None,
    met: str | None,
    in_person: bool,
    tags: tuple[str, ...],
    as_json: bool,
) -> None:
    """Add a contact note under the contacts folder."""
    from ..contacts import ContactExists, ContactTemplateError, NewContact, create_contact
    from ..edit import EditRefused
    from ..names import BadName, check_note_name

    rt = runtime()
    met_date: date | None = None
    if met:
        try:
            met_date = date.fromisoformat(met)
        except ValueError:
            raise click.BadParameter(
                f"{met!r} is not a date (YYYY-MM-DD)", param_hint="--met"
            ) from None
    new = NewContact(
        name=name,
        tie=tie,
        company=company,
        role=role,
        emails=(email,) if email else (),
        first_met=met_date,
        last_met=met_date,
        met_in_person=in_person,
        tags=tuple(t.lstrip("#") for t in tags),
    )
    try:
        check_note_name(name)  # a name that cannot be a note is refused before any write
        # Under the vault lock, on an index read under it: an import running beside `add`
        # cannot create the same person meanwhile (`Dup Person5.md` and `DUP PERSON5.md`).
        with write_lock(rt.root):
            path = create_contact(rt.index(quiet=True), new)
    except BadName as exc:
        raise click.UsageError(str(exc)) from None
    except (EditRefused, ContactExists, ContactTemplateError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        emit_json({"created": path, "name": " ".join(name.split())})
    else:
        click.echo(f"Created {path}")
