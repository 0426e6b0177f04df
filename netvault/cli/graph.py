"""`netvault graph`: the network you can see, as Mermaid, dot, GraphML or JSON."""

from __future__ import annotations

import click

from .common import emit_json, json_option, runtime


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mermaid", "dot", "graphml", "json"]),
    help="Output format (default: mermaid, which pastes into an Obsidian ```mermaid block).",
)
@click.option("--min-tie", type=click.IntRange(1, 5), help="Only contacts with a tie this strong.")
@json_option
def command(fmt: str | None, min_tie: int | None, as_json: bool) -> None:
    """You, your ties (edge weight = tie) and the wikilinks between your contacts' notes.

    Names only: no e-mail, phone or other contact detail is ever written.
    """
    from ..graph import build_graph, export

    if as_json and fmt not in (None, "json"):
        raise click.UsageError(f"--json and --format {fmt} contradict each other")
    graph = build_graph(runtime().index(), min_tie)
    chosen = "json" if as_json else fmt or "mermaid"
    if chosen == "json":
        emit_json(graph.to_json())
        return
    click.echo(export(graph, chosen), nl=False)
