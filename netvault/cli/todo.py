"""`netvault todo [--overdue]`: open follow-ups across the vault, overdue first."""

from __future__ import annotations

from typing import Any

import click

from ..ties import TodoItem, todo
from .common import emit_json, iso, json_option, plural, runtime
from .due import short


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
        late = click.style(f"  {plural(item.days_overdue, 'day')} overdue", fg="red")
    elif item.days_overdue == 0:
        late = "  due today"
    else:
        late = ""
    return f"{when}  {short(item.task.text)}{concern}{late}"


@click.command()
@click.option("--overdue", "overdue_only", is_flag=True, help="Only tasks past their due date.")
@json_option
def command(overdue_only: bool, as_json: bool) -> None:
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
                "tasks": [todo_json(item) for item in items],
            }
        )
        return
    if not items:
        click.echo("No overdue follow-ups." if overdue_only else "No open follow-ups.")
        return
    for item in items:
        click.echo(todo_line(item))
    overdue = sum(1 for item in items if item.overdue)
    click.echo(f"{plural(len(items), 'open task')}, {overdue} overdue")
