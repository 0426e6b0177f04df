"""`netvault check`: every problem in the vault, then a count."""

from __future__ import annotations

import click

from .common import emit_json, json_option, runtime


@click.command()
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@json_option
def command(strict: bool, as_json: bool) -> None:
    """Report every problem as `path:line: severity code: message`.

    Exit status 1 when there is an error (or, with --strict, any warning). Lines marked
    `info` (two people of the same name, for one) are for information only.
    """
    from ..duplicates import likely_duplicates
    from ..intros import read_intros

    index = runtime().index(quiet=True)
    _, intro_problems = read_intros(index)
    problems = sorted(
        [*index.problems, *likely_duplicates(index), *intro_problems],
        key=lambda p: (p.path, p.line, p.code),
    )
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
        errors = sum(1 for p in problems if p.severity == "error")
        warnings = sum(1 for p in problems if p.severity == "warning")
        infos = len(problems) - errors - warnings
        with_problems = len({p.path for p in problems if p.severity != "info"})
        about = f"; {infos} for information" if infos else ""
        click.echo(
            f"{with_problems} of {len(index.notes)} notes had problems: "
            f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} "
            f"({contacts} contacts){about}"
            if errors or warnings
            else f"No problems in {len(index.notes)} notes ({contacts} contacts){about}."
        )
    failing = [p for p in problems if p.severity == "error" or (strict and p.severity == "warning")]
    if failing:
        raise SystemExit(1)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")
