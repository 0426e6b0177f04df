"""`netvault summary`: the vault at a glance."""

from __future__ import annotations

from collections import Counter

import click

from ..model import TIE_LABELS
from .common import emit_json, json_option, plural, runtime
from .screen import screen_size, wrap_names

# Columns before a tie's bar: "  tie 3 knows-my-work   1234  " is 29.
BAR_START = 29


@click.command()
@json_option
def command(as_json: bool) -> None:
    """Counts by tie and relationship, face-to-face share, and the vault's health (the
    problems `check` lists, counted the same way)."""
    from ..checking import count_problems, vault_problems

    rt = runtime()
    index = rt.index(quiet=True)
    today = rt.today()
    contacts = index.contacts
    by_tie = Counter(c.tie for c in contacts)
    by_relationship = Counter(r for c in contacts for r in c.relationship)
    met = sum(1 for c in contacts if index.met_in_person(c))
    oaks = [c.name for c in contacts if c.is_oak]
    errors, warnings = count_problems(vault_problems(index))
    data = {
        "today": today.isoformat(),
        "vault": str(index.root),
        "notes": len(index.notes),
        "contacts": len(contacts),
        "by_tie": {str(t): by_tie.get(t, 0) for t in range(1, 6)} | {"none": by_tie.get(None, 0)},
        "by_relationship": dict(by_relationship.most_common()),
        "met_in_person": met,
        "oaks": oaks,
        "errors": errors,
        "warnings": warnings,
    }
    if as_json:
        emit_json(data)
        return
    click.echo(
        f"{plural(len(contacts), 'contact')} in {plural(len(index.notes), 'note')} "
        f"({index.root})"
    )
    # One # per contact while the longest bar fits the screen, else scaled down to fit.
    room = max(screen_size().columns - BAR_START, 10)
    most = max((by_tie.get(tie, 0) for tie in range(1, 6)), default=0)
    for tie in range(5, 0, -1):
        count = by_tie.get(tie, 0)
        bar = count if most <= room else -(-count * room // most)
        click.echo(f"  tie {tie} {TIE_LABELS[tie]:<14} {count:>4}  {'#' * bar}")
    if by_tie.get(None):
        click.echo(f"  no tie set{'':<10}{by_tie[None]:>4}")
    if by_relationship:
        top = ", ".join(f"{name} {n}" for name, n in by_relationship.most_common(6))
        click.echo(f"Relationships: {top}")
    share = f"{met * 100 // len(contacts)}%" if contacts else "-"
    click.echo(f"Met face to face: {met} of {len(contacts)} ({share})")
    click.echo("\n".join(wrap_names(f"Oak trees ({len(oaks)}): ", oaks) if oaks
                          else ["Oak trees (0): none yet"]))
    click.echo(
        f"Problems: {plural(errors, 'error')}, {plural(warnings, 'warning')}"
        + (" (run `netvault check`)" if errors or warnings else "")
    )
