"""`netvault path TARGET`: warm paths to a person, a company or a role."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from .common import emit_json, json_option, runtime
from .completion import complete_contact
from .screen import wrap_names

_KIND_TITLES = {"person": "Person", "company": "Company", "role": "Role"}
# How paths are ordered, in words (also in --json as "ranking").
RANKING = (
    "people you know well enough to ask yourself first; then paths through an introducer, "
    "by score: how well the first person can vouch for you, plus how well the last one "
    "knows the target, minus a penalty for each extra hop"
)


def _either(options: Sequence[str]) -> str:
    quoted = [f"'{o}'" for o in options]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


@click.command()
@click.argument("target", shell_complete=complete_contact)
@click.option(
    "--min-tie",
    type=click.IntRange(1, 5),
    help="Weakest tie an introducer may have with you (default: path_min in .netvault.toml, 3).",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Paths to show."
)
@json_option
def command(target: str, min_tie: int | None, limit: int, as_json: bool) -> None:
    """Warm paths to TARGET: a person, a company or a role, with why each ranks where it does."""
    from ..paths import warm_paths

    rt = runtime()
    index = rt.index()
    result = warm_paths(index, target, rt.today(), min_tie)
    if result.kind is None:
        hint = f"; did you mean {_either(result.suggestions)}?" if result.suggestions else ""
        raise click.ClickException(f"no person, company or role matches {target!r}{hint}")
    shown = result.paths[:limit]
    if as_json:
        data: dict[str, Any] = {
            "target": result.target,
            "kind": result.kind,
            "min_tie": result.min_tie,
            "matches": list(result.matches),
            "total_paths": len(result.paths),
            "ranking": RANKING,
            "paths": [
                {
                    "hops": list(p.hops),
                    "introducers": list(p.introducers),
                    "direct": not p.introducers,
                    "score": p.score,
                    "parts": {
                        "vouch": p.vouch,
                        "knows_target": p.knows_target,
                        "hop_penalty": p.hop_penalty,
                    },
                    "reasons": list(p.reasons),
                }
                for p in shown
            ],
            "excluded": [{"name": e.name, "reason": e.reason} for e in result.excluded],
        }
        emit_json(data)
        return

    heading = f"{_KIND_TITLES[result.kind]}: {result.target}"
    if result.kind != "person" and result.matches:
        who = "people there now or before" if result.kind == "company" else "held by"
        heading = "\n".join(wrap_names(f"{heading}  ({who}: ", result.matches, ")"))
    lines = [click.style(heading, bold=True)]
    if not shown:
        lines.append(f"No warm path through anyone with tie {result.min_tie} or more.")
    direct = sum(1 for p in shown if not p.introducers)
    for number, path in enumerate(shown, start=1):
        if number == 1 and direct:
            lines.append("You can ask these yourself (listed first: no one has to pass you on):")
        if direct and number == direct + 1:
            lines.append("Through an introducer, best score first:")
        parts = f"vouches for you {path.vouch:g} + knows the target {path.knows_target:g}"
        if path.hop_penalty:
            parts += f" - extra hop {path.hop_penalty:g}"
        lines.append(
            f"{number}. {' -> '.join(('You', *path.hops))}  (score {path.score:g} = {parts})"
        )
        lines += [f"     {reason}" for reason in path.reasons]
    if len(result.paths) > len(shown):
        lines.append(f"... and {len(result.paths) - len(shown)} more (--limit)")
    if result.excluded:
        lines.append(
            f"Not asked (tie below {result.min_tie}: people who barely know you "
            "cannot vouch for you):"
        )
        lines += [f"  {e.name}: {e.reason}" for e in result.excluded]
    click.echo("\n".join(lines))
