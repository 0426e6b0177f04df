"""`netvault check`: every problem in the vault, then a count."""

from __future__ import annotations

import click

from .common import emit_json, json_option, runtime


@click.command()
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@json_option
def command(strict: bool, as_json: bool) -> None:
    """Report every problem as `path:line: severity code: message`.

    Exit status 1 when there is an error (or, with --strict, any warning).
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
        with_problems = len({p.path for p in problems})
        click.echo(
            f"{with_problems} of {len(index.notes)} notes had problems: "
            f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} "
            f"({contacts} contacts)"
            if problems
            else f"No problems in {len(index.notes)} notes ({contacts} contacts)."
        )
    failing = [p for p in problems if strict or p.severity == "error"]
    if failing:
        raise SystemExit(1)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")
