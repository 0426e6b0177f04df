"""`netvault add NAME`: a new contact note from the `contact.md.j2` template."""

from __future__ import annotations

import click

from .common import emit_json, json_option, runtime
from .writing import write_lock

_DAY = "YYYY-MM-DD, today, yesterday or '3 days ago'"


@click.command()
@click.argument("name")
@click.option("--tie", default="1", show_default=True,
              help="1-5 or a label: acquaintance, contact, knows-my-work, trusted, oak.")
@click.option("--alias", "aliases", multiple=True, help="Another name (repeatable).")
@click.option("--company")
@click.option("--role")
@click.option("--location")
@click.option("--email", "emails", multiple=True, help="An e-mail address (repeatable).")
@click.option("--phone", "phones", multiple=True, help="A phone number (repeatable).")
@click.option("--link", "links", multiple=True, help="A profile or homepage URL (repeatable).")
@click.option("--relationship", "relationships", multiple=True,
              help="former-colleague, friend, client, mentor, ... (repeatable).")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
@click.option("--met", "met", metavar="DAY", help=f"When you first met: {_DAY}.")
@click.option("--last", "last", metavar="DAY", help=f"When you were last in touch: {_DAY}.")
@click.option("--in-person", is_flag=True, help="You have met face to face.")
@click.option("--cadence", metavar="INTERVAL",
              help="How often to be in touch: 30d, 6w, 3m, 1y (default: by tie).")
@click.option("--note", help="A first paragraph for the note: who they are, how you met.")
@json_option
def command(
    name: str,
    tie: str,
    aliases: tuple[str, ...],
    company: str | None,
    role: str | None,
    location: str | None,
    emails: tuple[str, ...],
    phones: tuple[str, ...],
    links: tuple[str, ...],
    relationships: tuple[str, ...],
    tags: tuple[str, ...],
    met: str | None,
    last: str | None,
    in_person: bool,
    cadence: str | None,
    note: str | None,
    as_json: bool,
) -> None:
    """Add a contact note under the contacts folder.

    --met is when you first met; it does not make them due for a keep-in-touch call years
    ago. Say when you were last in touch with --last.
    """
    from ..contacts import ContactExists, ContactTemplateError, NewContact, create_contact
    from ..dates import parse_day
    from ..edit import EditRefused
    from ..fields import cadence_value, listed, tie_value
    from ..names import BadName, check_note_name

    rt = runtime()
    today = rt.today(writing=True)
    first_met = parse_day(met, today, what="--met") if met else None
    last_met = parse_day(last, today, what="--last") if last else None
    if first_met and last_met and last_met < first_met:
        raise click.UsageError(
            f"--last {last_met.isoformat()} is before --met {first_met.isoformat()}"
        )
    extra: dict[str, object] = {}
    if relationships:
        extra["relationship"] = listed("relationship", relationships)
    if cadence:
        extra["cadence"] = cadence_value(cadence)
    new = NewContact(
        name=name,
        tie=tie_value(tie),
        aliases=tuple(" ".join(a.split()) for a in aliases if a.strip()),
        company=company,
        role=role,
        location=location,
        emails=tuple(listed("email", emails)),
        phones=tuple(listed("phone", phones)),
        links=tuple(link.strip() for link in links if link.strip()),
        first_met=first_met,
        last_met=last_met,
        met_in_person=in_person,
        tags=tuple(listed("tags", tags)),
        note=" ".join(note.split()) if note and note.strip() else None,
        extra=extra,
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
