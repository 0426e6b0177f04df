"""`netvault import calendar FILE.ics`: log the meetings you had with your contacts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .activity_output import (
    OWNER_HINT,
    dates_text,
    interactions_json,
    interactions_text,
    my_addresses,
    outcome_json,
    parse_since,
    refused_text,
    since_option,
    skipped_text,
)
from .common import Runtime, emit_json, json_option, plural, read_input_file, runtime
from .writing import write_lock

if TYPE_CHECKING:
    from ..calendar_import import CalendarImport

# Ten years of a busy calendar is a few megabytes; this guards memory against a wrong file.
MAX_CALENDAR_BYTES = 256 * 1024 * 1024


def run_calendar(
    rt: Runtime, path: Path, since_text: str | None, dry_run: bool, add_unknown: bool
) -> CalendarImport:
    """Import one calendar file under the vault lock; keep its upcoming meetings."""
    from ..calendar_import import import_calendar
    from ..dates import now
    from ..meetings import save_meetings

    since = parse_since(rt, since_text)
    data = read_input_file(path, MAX_CALENDAR_BYTES, "a calendar import")
    moment = now()
    with write_lock(rt.root, dry_run):
        index = rt.index(quiet=True)
        result = import_calendar(
            index,
            data,
            str(path),
            owner=my_addresses(index),
            now=moment,
            since=since,
            add_unknown=add_unknown,
            dry_run=dry_run,
        )
        if not dry_run:
            save_meetings(rt.root, path, moment, result.upcoming)
    return result


def calendar_failed(result: CalendarImport) -> bool:
    return bool(
        result.problems
        or any(o.error for o in result.notes)
        or any(a.error for a in result.added)
    )


def calendar_json(result: CalendarImport) -> dict[str, Any]:
    from ..meetings import meeting_json

    return {
        "kind": "calendar",
        "source": result.source,
        "dry_run": result.dry_run,
        "since": result.since,
        "events": {
            "read": result.read,
            "matched": result.matched,
            "skipped": dict(result.skipped),
        },
        "interactions": interactions_json(result.notes),
        "notes": [outcome_json(o) for o in result.notes],
        "unknown": [
            {
                "email": u.email,
                "name": u.name or None,
                "meetings": u.meetings,
                "first": u.first,
                "last": u.last,
            }
            for u in result.unknown
        ],
        "added": [
            {"name": a.name, "path": a.path or None, "email": a.email, "error": a.error}
            for a in result.added
        ],
        "upcoming": [meeting_json(m) for m in result.upcoming],
        "owner_known": result.owner_known,
        "problems": list(result.problems),
    }


def calendar_text(result: CalendarImport) -> list[str]:
    dry = result.dry_run
    lines: list[str] = []
    for outcome in result.notes:
        if not outcome.logged or outcome.error:
            continue
        verb = "Would create" if dry and outcome.created else "Created" if outcome.created else (
            "Would log in" if dry else "Logged in"
        )
        lines.append(f"{verb} {outcome.path}:")
        lines += [f"  {entry.line}" for entry in outcome.logged]
        changed = dates_text(outcome)
        if changed:
            lines.append(f"  {changed}")
    if result.unknown:
        hint = "" if any(a.error for a in result.added) else " (add them with --add-unknown)"
        lines.append(f"Not in the vault{hint}:")
        for person in result.unknown:
            named = f" ({person.name})" if person.name else ""
            times = "once" if person.meetings == 1 else f"{person.meetings} times"
            lines.append(f"  met {times}: {person.email}{named}")
    not_added = [a for a in result.added if a.error]
    if not_added:
        lines.append("Not added:")
        lines += [f"  {a.email}{f' ({a.name})' if a.name else ''}: {a.error}" for a in not_added]
    problems = refused_text(result.notes) + [f"  {p}" for p in result.problems]
    if problems:
        lines.append("Problems:")
        lines += problems
    if not result.owner_known:
        lines.append(OWNER_HINT)
    lines.append(
        f"{Path(result.source).name}: {plural(result.read, 'event')} read: "
        f"{result.matched:,} matched, {skipped_text(result.skipped)}"
    )
    lines.append(interactions_text(result.notes, dry, "interaction"))
    if result.upcoming:
        lines.append(
            f"Upcoming: {plural(len(result.upcoming), 'meeting')} with contacts in the next "
            "two weeks" + ("" if dry else " (`netvault today` lists tomorrow's)")
        )
    if dry:
        lines.append("Dry run: nothing written.")
    return lines


@click.command(short_help="Log the meetings in a calendar export (.ics) in your contacts' notes.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@since_option
@click.option("--dry-run", is_flag=True, help="Show what would be logged; write nothing.")
@click.option(
    "--add-unknown",
    is_flag=True,
    help="Make tie-1 contacts of attendees not in the vault (those the calendar names).",
)
@json_option
def command(
    file: Path, since_text: str | None, dry_run: bool, add_unknown: bool, as_json: bool
) -> None:
    """Log the meetings in a calendar export (FILE.ics) in your contacts' notes.

    Each event that has happened logs one line per contact in it (matched by e-mail, or
    named in the title): the title, and the event's id in an Obsidian comment, so the
    same file can be imported again and again. The channel comes from the event: a
    Zoom/Meet/Teams/Webex/Jitsi link is video, a tel: number a call, a place in person.
    Cancelled and declined events, all-day events without attendees and events with
    nobody but you are skipped. Attendees who are not contacts are listed, never added
    without --add-unknown. Tomorrow's meetings then show in `netvault today`.
    """
    rt = runtime()
    result = run_calendar(rt, file, since_text, dry_run, add_unknown)
    if as_json:
        emit_json(calendar_json(result))
    else:
        click.echo("\n".join(calendar_text(result)))
    if calendar_failed(result):
        raise SystemExit(1)
