"""`netvault log NAME TEXT`: record an interaction in the contact's `## Log`."""

from __future__ import annotations

from datetime import date

import click

from .common import emit_json, json_option, lookup, runtime

# Command-line spelling -> the channel word written in the note.
CHANNEL_CHOICES = {
    "in-person": "in person",
    "call": "call",
    "video": "video",
    "email": "email",
    "message": "message",
    "event": "event",
}


def _parse_day(value: str | None, today: date) -> date:
    if value is None:
        return today
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD)", param_hint="--date"
        ) from None
    if day > today:
        raise click.BadParameter(
            f"{day.isoformat()} is in the future; log what happened (plan with a task)",
            param_hint="--date",
        )
    return day


@click.command()
@click.argument("name")
@click.argument("text")
@click.option("--date", "day_text", metavar="YYYY-MM-DD", help="When it happened (default today).")
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
    from ..edit import EditRefused
    from ..interactions import BadLogText, DatesMoved, log_interaction

    if gave and got:
        raise click.UsageError("--gave and --got exclude each other: log two lines")
    rt = runtime()
    today = rt.today()
    day = _parse_day(day_text, today)
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
