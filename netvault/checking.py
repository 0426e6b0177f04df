"""Every problem of a vault, found one way for `check`, `summary` and `report`.

The index knows the problems of single notes (bad YAML, broken links, names used twice);
likely duplicates and unreadable intro notes need the whole vault. All three commands count
from this one list, so they never disagree about how many warnings there are.
"""

from __future__ import annotations

from .index import Index
from .model import Problem


def vault_problems(index: Index) -> list[Problem]:
    """The index's problems, likely duplicates and intro-note problems, sorted by place."""
    from .duplicates import likely_duplicates
    from .intros import read_intros

    _, intro_problems = read_intros(index)
    return sorted(
        [*index.problems, *likely_duplicates(index), *intro_problems],
        key=lambda p: (p.path, p.line, p.code),
    )


def count_problems(problems: list[Problem]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = sum(1 for p in problems if p.severity == "error")
    return errors, len(problems) - errors
