"""`netvault remind --ics PATH`: follow-ups and keep-in-touch reminders for a calendar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .common import emit_json, json_option, runtime

if TYPE_CHECKING:
    from ..remind import Reminder


@click.command()
@click.option(
    "--ics",
    "ics_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .ics file to write (an earlier one is replaced, so a calendar can subscribe "
    "to it; anything else only with --force, and never a note in the vault).",
)
@click.option(
    "--within",
    default="0d",
    show_default=True,
    help="Also remind of people who fall due within this interval (e.g. 14d), on that day.",
)
@click.option("--force", is_flag=True, help="Replace an --ics file netvault did not write.")
@json_option
def command(ics_path: Path, within: str, force: bool, as_json: bool) -> None:
    """Write follow-up tasks with a due date as to-dos and people due for contact as
    all-day events. UIDs are stable: re-exporting updates a subscribed calendar."""
    from ..dates import parse_interval
    from ..remind import is_own_calendar, reminders, to_ics
    from ..write import Replace, Target, WriteRefused, write_file

    within_days = 0
    if within.strip() not in ("0", "0d"):
        try:
            within_days = parse_interval(within)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--within") from None
    rt = runtime()
    index = rt.index()
    today = rt.today()
    items = reminders(index, today, within_days)
    try:
        write_file(
            Target.typed(index.root, ics_path),
            to_ics(items, today),
            replace=Replace.OUTPUT,
            force=force,
            is_own_output=is_own_calendar,
        )
    except WriteRefused as exc:
        raise click.ClickException(f"{ics_path}: {exc.message}") from None
    todos = [r for r in items if r.kind == "task"]
    events = [r for r in items if r.kind == "due"]
    if as_json:
        emit_json(
            {
                "path": str(ics_path),
                "todos": [_json(r) for r in todos],
                "events": [_json(r) for r in events],
            }
        )
        return
    click.echo(
        f"Wrote {ics_path}: {len(todos)} follow-up{'s' if len(todos) != 1 else ''}, "
        f"{len(events)} keep-in-touch reminder{'s' if len(events) != 1 else ''}."
    )


def _json(item: Reminder) -> dict[str, Any]:
    return {
        "uid": item.uid,
        "date": item.on.isoformat(),
        "summary": item.summary,
        "description": item.description,
        "path": item.path,
        "people": list(item.people),
    }
