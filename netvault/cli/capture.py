"""`netvault capture`: run the calendar and mail imports your own config lists (for cron).

The sources live in your config outside any vault ($XDG_CONFIG_HOME/netvault/config.toml),
never in `.netvault.toml`: a vault that came from someone else must not choose which of
your calendars or mailboxes netvault reads.

    [capture]
    calendars = ["~/Calendars/work.ics"]      # .ics exports
    mailboxes = ["~/Mail/Sent", "~/mail.mbox"]  # Maildir folders or mbox files
    since = "90d"                              # optional: how far back (a date or 90d / 6m)
    add_unknown = false                        # optional: calendar attendees become contacts
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from .common import emit_json, json_option, runtime


@dataclass(frozen=True)
class CaptureSources:
    calendars: tuple[Path, ...]
    mailboxes: tuple[Path, ...]
    since: str | None
    add_unknown: bool


def _paths(section: Mapping[str, Any], key: str, config: Path) -> tuple[Path, ...]:
    value = section.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise click.UsageError(f"{config}: [capture] {key} must be a list of paths")
    return tuple(Path(os.path.expanduser(v)) for v in value)


def capture_sources() -> tuple[CaptureSources, Path]:
    """The `[capture]` table of the user's own config."""
    from ..userdirs import config_path, load_user_config

    config = config_path()
    section = load_user_config().get("capture", {})
    if not isinstance(section, Mapping):
        raise click.UsageError(f"{config}: [capture] must be a table")
    since = section.get("since")
    add_unknown = section.get("add_unknown", False)
    if since is not None and not isinstance(since, str):
        since = str(since)  # TOML reads `since = 2026-01-01` as a date
    if not isinstance(add_unknown, bool):
        raise click.UsageError(f"{config}: [capture] add_unknown must be true or false")
    sources = CaptureSources(
        calendars=_paths(section, "calendars", config),
        mailboxes=_paths(section, "mailboxes", config),
        since=since,
        add_unknown=add_unknown,
    )
    return sources, config


def _reason(exc: Exception) -> str:
    return exc.message if isinstance(exc, click.ClickException) else str(exc)


@click.command()
@click.option("--dry-run", is_flag=True, help="Show what would be logged; write nothing.")
@json_option
def command(dry_run: bool, as_json: bool) -> None:
    """Run every import your own config lists under [capture]: each calendar (.ics) and
    mailbox (mbox or Maildir), into this vault. Safe to run from cron: a re-run logs only
    what is new. Exit status 1 when a source could not be read (the others still are)."""
    from ..errors import NetvaultError
    from .import_calendar import calendar_failed, calendar_json, calendar_text, run_calendar
    from .import_mail import mail_failed, mail_json, mail_text, run_mail

    rt = runtime()
    rt.root  # outside a vault: a usage error before anything else  # noqa: B018
    sources, config = capture_sources()
    if not (sources.calendars or sources.mailboxes):
        raise click.ClickException(
            f"nothing to capture: list calendars and mailboxes under [capture] in {config}"
        )
    reports: list[dict[str, Any]] = []
    texts: list[list[str]] = []
    problems: list[str] = []
    failed = False
    jobs: list[tuple[str, Path, Callable[[], Any]]] = [
        ("calendar", path, functools.partial(
            run_calendar, rt, path, sources.since, dry_run, sources.add_unknown))
        for path in sources.calendars
    ] + [
        ("mail", path, functools.partial(run_mail, rt, path, sources.since, dry_run))
        for path in sources.mailboxes
    ]
    for kind, path, job in jobs:
        try:
            result = job()
        except (click.ClickException, NetvaultError) as exc:
            problems.append(_reason(exc))
            continue
        if kind == "calendar":
            failed = failed or calendar_failed(result)
            reports.append(calendar_json(result))
            texts.append([f"== calendar {path}", *calendar_text(result)])
        else:
            failed = failed or mail_failed(result)
            reports.append(mail_json(result))
            texts.append([f"== mail {path}", *mail_text(result)])
    if as_json:
        emit_json(
            {"config": str(config), "dry_run": dry_run, "sources": reports, "problems": problems}
        )
    else:
        blocks = ["\n".join(text) for text in texts]
        if problems:
            blocks.append("\n".join(["Problems:", *(f"  {p}" for p in problems)]))
        click.echo("\n\n".join(blocks))
    if failed or problems:
        raise SystemExit(1)
