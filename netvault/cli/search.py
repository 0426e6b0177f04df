"""`netvault search QUERY`."""

from __future__ import annotations

import click

from ..search import search
from .common import contact_json, emit_json, json_option, runtime


@click.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@json_option
def command(query: str, limit: int, as_json: bool) -> None:
    """Ranked fuzzy search over names, aliases, companies, roles, tags and note text."""
    rt = runtime()
    index = rt.index()
    today = rt.today()
    hits = search(index, query, limit=limit)
    if as_json:
        emit_json(
            {
                "query": query,
                "results": [
                    {
                        **contact_json(index, h.contact, today),
                        "score": round(h.score, 1),
                        "matched_field": h.field,
                        "matched": h.matched,
                    }
                    for h in hits
                ],
            }
        )
        return
    if not hits:
        click.echo(f"Nothing matches {query!r}.")
        return
    for hit in hits:
        click.echo(f"{hit.score:5.1f}  {hit.contact.name}  [{hit.field}: {hit.matched}]")
