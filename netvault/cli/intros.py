"""`netvault intros [--status S]`: every introduction and where it stands."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from ..dates import duration
from .common import emit_json, iso, json_option, plural, runtime

if TYPE_CHECKING:
    from ..intros import Intro


def intro_json(intro: Intro, today: date) -> dict[str, Any]:
    waited = (today - intro.created).days if intro.created else None
    return {
        "id": intro.id,
        "path": intro.path,
        "a": intro.a,
        "b": intro.b,
        "status": intro.status,
        "a_said": intro.a_said,
        "b_said": intro.b_said,
        "why": intro.why,
        "created": iso(intro.created),
        "days": waited,
        "waiting_for": list(intro.pending) if intro.status == "asked" else [],
        "override": intro.override,
        "overridden": list(intro.overridden),
    }


@click.command()
@click.option(
    "--status",
    type=click.Choice(["asked", "made", "declined", "clicked", "business"]),
    help="Only intros with this status.",
)
@json_option
def command(status: str | None, as_json: bool) -> None:
    """List introductions, oldest first, with who has answered what."""
    from ..intros import read_intros

    rt = runtime()
    today = rt.today()
    index = rt.index()
    intros, problems = read_intros(index)
    shown = [i for i in intros if status is None or i.status == status]
    for problem in problems:
        click.echo(f"netvault: {problem.format()}", err=True)
    if as_json:
        emit_json(
            {
                "intros": [intro_json(i, today) for i in shown],
                "problems": [p.to_json() for p in problems],
            }
        )
        return
    if not shown:
        click.echo("No intros" + (f" with status {status}." if status else " yet."))
        return
    for intro in shown:
        answers = f"{intro.a} {intro.a_said}, {intro.b} {intro.b_said}"
        line = f"{iso(intro.created) or '?':<10}  {intro.status:<8}  {intro.id}  ({answers})"
        if intro.status == "asked" and intro.pending and intro.created:
            line += f"  waiting {duration((today - intro.created).days)}"
        if intro.override:
            line += f"  [override: {intro.override}]"
        click.echo(line)
    click.echo(plural(len(shown), "intro"))
