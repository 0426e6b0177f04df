"""`netvault todo [--overdue]`: open follow-ups across the vault, overdue first."""

from __future__ import annotations

from typing import Any

import click

from ..dates import duration
from ..ties import TodoItem, todo
from .common import emit_json, iso, json_option, plural, runtime
from .due import short
from .screen import limit_option, limited, more_line, rows


def todo_json(item: TodoItem) -> dict[str, Any]:
    return {
        "text": item.task.text,
        "due": iso(item.task.due),
        "days_overdue": item.days_overdue,
        "overdue": item.overdue,
        "path": item.task.path,
        "line": item.task.line,
        "people": [{"name": c.name, "path": c.path} for c in item.people],
    }


def todo_line(item: TodoItem) -> str:
    when = iso(item.task.due) or "no date   "
    people = ", ".join(c.name for c in item.people)
    concern = f"  ({people})" if people else ""
    if item.overdue and item.days_overdue is not None:
        late = click.style(f"  {duration(item.days_overdue)} overdue", fg="red")
    elif item.days_overdue == 0:
        late = "  due today"
    else:
        late = ""
    return f"{when}  {short(item.task.text)}{concern}{late}"


@click.command()
@click.option("--overdue", "overdue_only", is_flag=True, help="Only tasks past their due date.")
@limit_option
@json_option
def command(overdue_only: bool, limit: int | None, as_json: bool) -> None:
    """Open follow-up tasks across the vault, overdue first, with the people they concern."""
    rt = runtime()
    index = rt.index()
    today = rt.today()
    items = todo(index, today, overdue_only)
    if as_json:
        emit_json(
            {
                "today": today.isoformat(),
                "overdue_only": overdue_only,
                "total": len(items),
                "tasks": [todo_json(item) for item in limited(items, limit)],
            }
        )
        return
    if not items:
        click.echo("No overdue follow-ups." if overdue_only else "No open follow-ups.")
        return
    # Kept free on the screen: "… and N more" with the count.
    lines = [line for block in rows(items, limit, lambda i: [todo_line(i)], 1) for line in block]
    overdue = sum(1 for item in items if item.overdue)
    total = f"{plural(len(items), 'open task')}, {overdue} overdue"
    hidden = len(items) - len(lines)
    click.echo("\n".join([*lines, more_line(total, hidden) if hidden else total]))
