"""What the calendar and mail imports (and `capture`) share in the command line: options,
your addresses, and how a note's outcome reads in text and JSON."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import click

from ..activity import NoteOutcome, count_logged, owner_addresses
from ..index import Index
from .common import Runtime, plural

OWNER_HINT = (
    "note: netvault does not know your e-mail address, so it cannot tell your own "
    "messages and invitations from other people's; set `email` under [owner] in "
    ".netvault.toml (more addresses: `emails` under [owner] in your own config.toml)"
)


def since_option(func: Any) -> Any:
    return click.option(
        "--since",
        "since_text",
        metavar="DATE",
        help="Only from this day on: YYYY-MM-DD, '3 months ago', or 90d / 6m / 1y back.",
    )(func)


def parse_since(rt: Runtime, text: str | None) -> date | None:
    from ..dates import parse_since as parse

    if text is None:
        return None
    return parse(text, rt.today())


def my_addresses(index: Index) -> frozenset[str]:
    from ..userdirs import load_user_config

    return owner_addresses(index, load_user_config())


def outcome_json(outcome: NoteOutcome) -> dict[str, Any]:
    moved = outcome.moved
    return {
        "name": outcome.name,
        "path": outcome.path,
        "created": outcome.created,
        "logged": [entry.line for entry in outcome.logged],
        "already_logged": outcome.already,
        "refused": outcome.refused,
        "error": outcome.error,
        "last_met": moved.last_met if moved else None,
        "first_met": moved.first_met if moved else None,
        "met_in_person_set": moved.met_in_person_set if moved else False,
    }


def interactions_json(outcomes: Sequence[NoteOutcome]) -> dict[str, int]:
    logged, already, refused = count_logged(outcomes)
    return {
        "found": logged + already + refused,
        "logged": logged,
        "already_logged": already,
        "refused": refused,
        "notes_changed": sum(1 for o in outcomes if o.logged and o.error is None),
    }


def skipped_text(skipped: Mapping[Any, int]) -> str:
    total = sum(skipped.values())
    parts = [f"{count:,} {reason.replace('-', ' ')}" for reason, count in skipped.items() if count]
    return f"{total:,} skipped" + (f" ({', '.join(parts)})" if parts else "")


def interactions_text(outcomes: Sequence[NoteOutcome], dry_run: bool, what: str) -> str:
    logged, already, refused = count_logged(outcomes)
    notes = sum(1 for o in outcomes if o.logged and o.error is None)
    verb = "to log" if dry_run else "logged"
    text = (
        f"{plural(logged + already + refused, what)}: {logged:,} {verb} in "
        f"{plural(notes, 'note')}, {already:,} already logged"
    )
    return text + (f", {refused:,} refused" if refused else "")


def dates_text(outcome: NoteOutcome) -> str | None:
    return outcome.moved.text() or None if outcome.moved is not None else None


def refused_text(outcomes: Sequence[NoteOutcome]) -> list[str]:
    return [
        f"  {o.path}: {o.error}; {plural(o.refused, 'line')} not logged"
        for o in outcomes
        if o.error is not None
    ]
