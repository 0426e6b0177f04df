"""`netvault watch`: keep the index and the report current while you edit notes."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import runtime

if TYPE_CHECKING:
    from ..watch import Rebuild


@click.command()
@click.option("--no-report", is_flag=True, help="Do not re-render the report after a change.")
def command(no_report: bool) -> None:
    """Watch the vault: after each change, print the problems that appeared or cleared
    and re-render the report (config `[report] path`, default Reports/Network.md).

    Saves are debounced (~150 ms of quiet), so a burst of saves or a `git checkout`
    makes one rebuild. Stop with Ctrl-C.
    """
    import logging

    from ..index import Index
    from ..watch import Watcher

    # watchdog logs its own shutdown chatter (an emitter racing the stop); what the user
    # needs to know, netvault prints itself.
    logging.getLogger("watchdog").addHandler(logging.NullHandler())
    logging.getLogger("watchdog").propagate = False

    rt = runtime()
    root = rt.root
    rt.today()  # a bad NETVAULT_TODAY is a usage error now, not on the first save
    printing = threading.Lock()

    def write_report(index: Index) -> Path:
        from ..report import write_markdown_report

        return write_markdown_report(index, rt.today())

    def show(result: Rebuild) -> None:
        with printing:
            click.echo(_rebuild_line(result, root))
            for problem in result.cleared:
                click.echo(click.style("  cleared  ", fg="green") + problem.format())
            for problem in result.appeared:
                colour = "red" if problem.severity == "error" else "yellow"
                click.echo(click.style("  new      ", fg=colour) + problem.format())

    watcher = Watcher(
        root,
        write_report=None if no_report else write_report,
        on_rebuild=show,
    )
    first = watcher.start()
    index = watcher.index
    errors = sum(1 for p in index.problems if p.severity == "error")
    click.echo(
        f"Watching {root} ({len(index.notes)} notes, {len(index.contacts)} contacts, "
        f"{errors} errors). Ctrl-C to stop.",
        err=True,
    )
    if first.error or first.report_path is not None:
        show(first)
    try:
        while True:
            time.sleep(0.2)
    except KeyboardInterrupt:
        watcher.stop(timeout=0.8)
        click.echo("Stopped.", err=True)


def _rebuild_line(result: Rebuild, root: Path) -> str:
    stamp = datetime.now().strftime("%H:%M:%S")
    if result.error:
        return click.style(f"{stamp} rebuild failed: {result.error}", fg="red")
    parts = []
    if result.number == 0:
        parts.append(f"indexed {len(result.changed)} notes")
    elif result.changed:
        parts.append(_paths("changed", result.changed))
    if result.removed:
        parts.append(_paths("removed", result.removed))
    text = f"{stamp} index {result.index_seconds * 1000:.0f} ms"
    if parts:
        text += " · " + "; ".join(parts)
    if result.report_path is not None and result.report_seconds is not None:
        path = result.report_path
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        text += f" · report {shown} {result.report_seconds * 1000:.0f} ms"
    return text


def _paths(label: str, paths: tuple[str, ...]) -> str:
    if len(paths) <= 3:
        return f"{label} {', '.join(paths)}"
    return f"{label} {', '.join(paths[:3])} and {len(paths) - 3} more"
