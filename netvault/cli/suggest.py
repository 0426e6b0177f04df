"""`netvault suggest [NAME]`: introductions worth making, with their reasons."""

from __future__ import annotations

import click

from .common import emit_json, json_option, lookup, runtime
from .completion import complete_contact


@click.command()
@click.argument("name", required=False, shell_complete=complete_contact)
@click.option("--limit", type=click.IntRange(1), default=10, show_default=True)
@json_option
def command(name: str | None, limit: int, as_json: bool) -> None:
    """Pairs among people you know well where one's needs meet the other's offers or
    interests, or shared tags and places suggest they would click. Every guard rail passes;
    nobody whose consent is no. With NAME: only pairs with that person."""
    from ..intros import suggestions

    rt = runtime()
    today = rt.today()
    index = rt.index()
    person = lookup(index, name) if name else None
    shown, total = suggestions(index, today, person, limit)
    if as_json:
        emit_json(
            {
                "suggestions": [
                    {"a": s.a.name, "b": s.b.name, "score": s.score, "reasons": list(s.reasons)}
                    for s in shown
                ],
                "total": total,
            }
        )
        return
    if not shown:
        who = f" with {person.name}" if person else ""
        click.echo(f"No introductions to suggest{who}.")
        return
    for rank, item in enumerate(shown, 1):
        click.echo(f"{rank}. {item.a.name} + {item.b.name}  (score {item.score})")
        for reason in item.reasons:
            click.echo(f"     - {reason}")
    if total > len(shown):
        click.echo(f"... {total - len(shown)} more (--limit)")
