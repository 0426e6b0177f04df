"""`netvault check`: every problem in the vault, then a count."""

from __future__ import annotations

import click

from .common import emit_json, json_option, plural, runtime


@click.command()
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@json_option
def command(strict: bool, as_json: bool) -> None:
    """Report every problem as `path:line: severity code: message`.

    Exit status 1 when there is an error (or, with --strict, any warning). Lines marked
    `info` (two people of the same name, for one) are for information only.
    """
    from ..checking import count_problems, vault_problems

    index = runtime().index(quiet=True)
    problems = vault_problems(index)
    contacts = len(index.contacts)
    if as_json:
        emit_json(
            {
                "problems": [p.to_json() for p in problems],
                "notes": len(index.notes),
                "contacts": contacts,
            }
        )
    else:
        for problem in problems:
            click.echo(problem.format())
        errors, warnings = count_problems(problems)
        infos = sum(1 for p in problems if p.severity == "info")
        counts = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
        notes = plural(len(index.notes), "note")
        serious = [p for p in problems if p.severity != "info"]
        in_notes = len({p.path for p in serious if p.path in index.notes})
        if not serious:
            summary = f"No problems in {notes}"
        elif in_notes:
            summary = f"{in_notes} of {notes} had problems: {counts}"
        else:
            summary = f"No problems in {notes}; the vault's set-up: {counts}"
        about = f"; {infos} for information" if infos else ""
        click.echo(f"{summary} ({plural(contacts, 'contact')}){about}" + ("" if serious else "."))
    failing = [p for p in problems if p.severity == "error" or (strict and p.severity == "warning")]
    if failing:
        raise SystemExit(1)
