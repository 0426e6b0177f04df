"""`netvault hub`: how good a hub you are."""

from __future__ import annotations

import click

from .common import emit_json, json_option, runtime, tie_text


@click.command()
@json_option
def command(as_json: bool) -> None:
    """Intros made, acceptance rate, clicked and business, whom you connected most, and
    strong ties (tie 4+) you have never introduced to anyone."""
    from ..intros import hub_stats

    index = runtime().index()
    stats = hub_stats(index)
    rate = stats.acceptance_rate
    if as_json:
        emit_json(
            {
                "intros": stats.total,
                "open": stats.open,
                "made": stats.made,
                "declined": stats.declined,
                "clicked": stats.clicked,
                "business": stats.business,
                "answered": stats.answered,
                "accepted": stats.accepted,
                "acceptance_rate": round(rate, 4) if rate is not None else None,
                "connected_most": [{"name": c.name, "intros": n} for c, n in stats.connected_most],
                "never_introduced": [
                    {"name": c.name, "tie": c.tie} for c in stats.never_introduced
                ],
            }
        )
        return
    shown_rate = (
        f"{rate:.0%} ({stats.accepted} of {stats.answered} answered)" if rate is not None else "-"
    )
    lines = [
        f"Intros: {stats.total} ({stats.open} open, {stats.made} made, {stats.declined} declined)",
        f"Acceptance: {shown_rate}",
        f"Clicked: {stats.clicked}, led to business: {stats.business}",
    ]
    if stats.connected_most:
        lines.append(
            "Connected most: " + ", ".join(f"{c.name} ({n})" for c, n in stats.connected_most)
        )
    if stats.never_introduced:
        lines.append("Strong ties you have never introduced to anyone:")
        lines += [f"  {c.name}  {tie_text(c.tie)}" for c in stats.never_introduced]
    click.echo("\n".join(lines))
