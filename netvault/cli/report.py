"""`netvault report`: the network's health on one page, as a vault note or an HTML file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import emit_json, json_option, runtime

if TYPE_CHECKING:
    from ..report import ReportFormat


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html"]),
    default="md",
    show_default=True,
    help="md: an Obsidian note with wikilinks and a Mermaid picture; html: one self-contained "
    "page with a picture of your circles.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of the vault's report path (config [report] path, default "
    "Reports/Network.md; the HTML goes beside it as .html).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace an --out file outside the vault that is not an earlier netvault report "
    "(a note in the vault is never replaced).",
)
@json_option
def command(fmt: str, out: Path | None, force: bool, as_json: bool) -> None:
    """Counts by tie and relationship, who is due, the oak circle and its warnings, people
    never met, open follow-ups, favours owed, introductions, and what changed since the
    previous report. Names only: no e-mail address or phone number.

    With --json the report's data is printed and nothing is written.
    """
    import jinja2

    from ..report import (
        gather,
        load_snapshot,
        render_report,
        report_json,
        report_target,
        save_snapshot,
        snapshot_of,
        write_report_file,
    )
    from ..vaultfs import UnsafePath
    from ..write import WriteRefused, vault_lock

    if as_json and out is not None:
        raise click.UsageError("--json prints the report's data; it cannot go with --out")
    rt = runtime()
    index = rt.index()
    today = rt.today(writing=not as_json)
    root = index.root
    if as_json:
        emit_json(report_json(gather(index, today, load_snapshot(root))))
        return
    report_format: ReportFormat = "md" if fmt == "md" else "html"
    try:
        target = report_target(root, index.config, report_format, out)
    except UnsafePath as exc:
        raise click.UsageError(str(exc)) from None
    try:
        with vault_lock(root):
            report = gather(index, today, load_snapshot(root))
            try:
                text = render_report(report, report_format, root)
            except jinja2.TemplateError as exc:
                raise click.ClickException(f"the report template failed: {exc}") from None
            write_report_file(target, text, report_format, force)
            save_snapshot(root, snapshot_of(index, today))
    except WriteRefused as exc:
        raise click.ClickException(str(exc)) from None
    shown = target.relpath or target.path
    click.echo(
        f"Wrote {shown}: {report.counts.contacts} contacts, {report.due_total} due, "
        f"{report.overdue_follow_ups} follow-ups overdue, "
        f"{_changes_text(report.changes.total, report.changes.since is None)}."
    )


def _changes_text(total: int, first: bool) -> str:
    if first:
        return "first report"
    return f"{total} change{'' if total == 1 else 's'} since the last report"
