"""Every problem of a vault, found one way for `check`, `summary` and `report`.

The index knows the problems of single notes (bad YAML, broken links, names used twice);
likely duplicates, unreadable intro notes and the vault's set-up need the whole vault. All
three commands count from this one list, so they never disagree about how many warnings
there are.
"""

from __future__ import annotations

from .index import Index
from .model import Problem


def vault_problems(index: Index) -> list[Problem]:
    """The index's problems, likely duplicates, intro-note problems and the vault's set-up
    (an owner not set yet), sorted by place."""
    from .config import setup_problems
    from .duplicates import likely_duplicates
    from .intros import read_intros

    _, intro_problems = read_intros(index)
    setup = setup_problems(index.root, index.config, len(index.contacts))
    return sorted(
        [*index.problems, *likely_duplicates(index), *intro_problems, *setup],
        key=lambda p: (p.path, p.line, p.code),
    )


def count_problems(problems: list[Problem]) -> tuple[int, int]:
    """(errors, warnings); lines for information (`same-name`) are neither."""
    errors = sum(1 for p in problems if p.severity == "error")
    return errors, sum(1 for p in problems if p.severity == "warning")
