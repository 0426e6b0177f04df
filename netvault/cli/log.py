"""`netvault log NAME TEXT`: record an interaction in the contact's `## Log`."""

from __future__ import annotations

import click

from .common import emit_json, json_option, lookup, runtime
from .completion import complete_contact

# Command-line spelling -> the channel word written in the note.
CHANNEL_CHOICES = {
    "in-person": "in person",
    "call": "call",
    "video": "video",
    "email": "email",
    "message": "message",
    "event": "event",
}


@click.command()
@click.argument("name", shell_complete=complete_contact)
@click.argument("text")
@click.option(
    "--date",
    "day_text",
    metavar="DAY",
    help="When it happened: YYYY-MM-DD, today, yesterday, '3 days ago' (default today).",
)
@click.option(
    "--channel",
    type=click.Choice(list(CHANNEL_CHOICES), case_sensitive=False),
    help="How you were in touch; in-person, call and video move last_met.",
)
@click.option("--gave", is_flag=True, help="You did them a favour (adds #gave).")
@click.option("--got", is_flag=True, help="They did you a favour (adds #got).")
@json_option
def command(
    name: str,
    text: str,
    day_text: str | None,
    channel: str | None,
    gave: bool,
    got: bool,
    as_json: bool,
) -> None:
    """Log an interaction with NAME under `## Log` and move last_met / first_met."""
    from ..dates import parse_day
    from ..edit import EditRefused
    from ..interactions import BadLogText, DatesMoved, log_interaction

    if gave and got:
        raise click.UsageError("--gave and --got exclude each other: log two lines")
    rt = runtime()
    today = rt.today(writing=True)
    day = parse_day(day_text, today, what="--date") if day_text else today
    index = rt.index(quiet=True)
    contact = lookup(index, name)
    written_channel = CHANNEL_CHOICES[channel.lower()] if channel else None
    try:
        result = log_interaction(
            index, contact, text, day, written_channel, "gave" if gave else "got" if got else None
        )
    except BadLogText as exc:
        raise click.UsageError(str(exc)) from None
    except EditRefused as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        emit_json(
            {
                "name": contact.name,
                "path": result.path,
                "line": result.line,
                "date": day,
                "channel": written_channel,
                "favor": "gave" if gave else "got" if got else None,
                "last_met": result.last_met,
                "first_met": result.first_met,
                "met_in_person_set": result.met_in_person_set,
                "notes": list(result.notes),
                "already_logged": result.already_logged,
            }
        )
        return
    if result.already_logged:
        click.echo(f"Already logged in {result.path}, nothing changed:\n  {result.line}")
        return
    click.echo(f"Logged in {result.path}:\n  {result.line}")
    moved = DatesMoved(result.last_met, result.first_met, result.met_in_person_set).text()
    if moved:
        click.echo(f"  {moved}")
    for note in result.notes:
        click.echo(f"  note: {note}")
