"""`netvault import mail PATH`: log the days you exchanged e-mail with your contacts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .activity_output import (
    OWNER_HINT,
    interactions_json,
    interactions_text,
    my_addresses,
    outcome_json,
    parse_since,
    refused_text,
    since_option,
    skipped_text,
)
from .common import Runtime, emit_json, json_option, plural, runtime
from .import_cmd import progress_bar
from .writing import write_lock

if TYPE_CHECKING:
    from ..mail_import import MailImport


def run_mail(rt: Runtime, path: Path, since_text: str | None, dry_run: bool) -> MailImport:
    """Read one mailbox (a progress bar on a terminal), then log under the vault lock."""
    from ..importers.mail import open_mailbox
    from ..mail_import import plan_mail, write_mail

    since = parse_since(rt, since_text)
    box = open_mailbox(path)
    try:
        index = rt.index(quiet=True)
        with progress_bar(len(box)) as advance:
            plan = plan_mail(
                index,
                box,
                str(path),
                owner=my_addresses(index),
                today=rt.today(),
                since=since,
                progress=advance,
            )
    finally:
        box.close()
    with write_lock(rt.root, dry_run):
        return write_mail(index, plan, dry_run)


def mail_failed(result: MailImport) -> bool:
    return any(o.error for o in result.notes)


def mail_json(result: MailImport) -> dict[str, Any]:
    return {
        "kind": "mail",
        "source": result.plan.source,
        "dry_run": result.dry_run,
        "since": result.plan.since,
        "messages": {
            "read": result.plan.read,
            "matched": result.plan.matched,
            "skipped": dict(result.plan.skipped),
        },
        "interactions": interactions_json(result.notes),
        "notes": [outcome_json(o) for o in result.notes],
        "owner_known": result.plan.owner_known,
    }


def mail_text(result: MailImport) -> list[str]:
    dry = result.dry_run
    lines: list[str] = []
    changed = [o for o in result.notes if o.logged and o.error is None]
    if changed:
        lines.append("Would log e-mail days in:" if dry else "Logged e-mail days in:")
        lines += [f"  {o.path}: {len(o.logged):,}" for o in changed]
    problems = refused_text(result.notes)
    if problems:
        lines.append("Problems:")
        lines += problems
    if not result.plan.owner_known:
        lines.append(OWNER_HINT)
    lines.append(
        f"{Path(result.plan.source).name}: {plural(result.plan.read, 'message')} read: "
        f"{result.plan.matched:,} matched, {skipped_text(result.plan.skipped)}"
    )
    lines.append(interactions_text(result.notes, dry, "e-mail day"))
    if dry:
        lines.append("Dry run: nothing written.")
    return lines


@click.command(short_help="Log the days you exchanged e-mail with contacts, from a mailbox.")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@since_option
@click.option("--dry-run", is_flag=True, help="Show what would be logged; write nothing.")
@json_option
def command(path: Path, since_text: str | None, dry_run: bool, as_json: bool) -> None:
    """Log the days you exchanged e-mail with contacts, from a mailbox (an mbox file or a
    Maildir folder): one `email` line per contact per day, to or from them.

    Reads headers only (From, To, Cc, Bcc, Date), never a subject or a body. Your own
    addresses are `[owner] email` in .netvault.toml plus `[owner] emails` in your own
    config. Mailing lists, no-reply senders and automatic replies are skipped. E-mail
    counts toward keep-in-touch cadences, never toward last_met. Safe to run again.
    """
    rt = runtime()
    result = run_mail(rt, path, since_text, dry_run)
    if as_json:
        emit_json(mail_json(result))
    else:
        click.echo("\n".join(mail_text(result)))
    if mail_failed(result):
        raise SystemExit(1)
