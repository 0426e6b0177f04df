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
    """Ranked fuzzy search over who people are and what their notes say.

    Looks in name, aliases, company, role, location, offers, needs, interests, tags and
    the note's text, case- and accent-free, allowing a typo. Each hit shows the field that
    matched and the value, or the note's words around the match, as written; contact
    details are hidden unless the person's consent allows sharing them.
    """
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
                        "field": h.field,
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
