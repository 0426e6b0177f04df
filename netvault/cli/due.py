"""`netvault due [--within 14d]`: who is overdue for contact, most overdue for the cadence first."""

from __future__ import annotations

from typing import Any

import click

from ..index import Index
from ..model import Interaction
from ..ties import DueItem, due
from .common import contact_json, emit_json, iso, json_option, plural, runtime
from .show import interaction_json, task_json

LAST_TEXT_WIDTH = 70


def short(text: str, width: int = LAST_TEXT_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def interaction_text(item: Interaction) -> str:
    channel = f"({item.channel}) " if item.channel else ""
    return f"{item.date.isoformat()} {channel}{short(item.text)}"


def due_state(item: DueItem) -> str:
    """`12 days overdue`, `due today`, `due in 5 days`, `never in touch`."""
    if item.days_overdue is None:
        return "never in touch"
    if item.days_overdue > 0:
        state = f"{plural(item.days_overdue, 'day')} overdue"
    elif item.days_overdue == 0:
        state = "due today"
    else:
        state = f"due in {plural(-item.days_overdue, 'day')}"
    if item.never_in_touch and item.contact.first_met:
        state += f" (never in touch since first met {item.contact.first_met.isoformat()})"
    return state


def due_json(index: Index, item: DueItem) -> dict[str, Any]:
    data = contact_json(index, item.contact, None)
    data.update(
        {
            "last_contact": iso(item.last_contact),
            "cadence_days": item.cadence_days,
            "cadence_from": item.cadence_from,
            "due_on": iso(item.due_on),
            "days_overdue": item.days_overdue,
            "ratio": round(item.ratio, 3) if item.ratio is not None else None,
            "never_in_touch": item.never_in_touch,
            "last_interaction": (
                interaction_json(item.last_interaction) if item.last_interaction else None
            ),
            "open_tasks": [task_json(t) for t in item.open_tasks],
        }
    )
    return data


def due_lines(item: DueItem) -> list[str]:
    tie = f"tie {item.contact.tie}, " if item.contact.tie else ""
    lines = [
        f"{click.style(item.contact.name, bold=True)} ({tie}every {item.cadence_days}d): "
        f"{due_state(item)}"
    ]
    if item.last_interaction is not None:
        lines.append(f"    last: {interaction_text(item.last_interaction)}")
    elif item.last_contact is not None:
        lines.append(f"    last met: {item.last_contact.isoformat()}")
    for task in item.open_tasks:
        when = f" (due {task.due.isoformat()})" if task.due else ""
        lines.append(f"    open: {short(task.text)}{when}")
    return lines


def parse_within(value: str | None) -> int:
    from ..dates import parse_interval

    if value is None:
        return 0
    try:
        return parse_interval(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--within") from None


@click.command()
@click.option("--within", help="Also list who becomes due within this interval, e.g. 14d or 2w.")
@json_option
def command(within: str | None, as_json: bool) -> None:
    """Who is overdue for contact, by how overdue they are for their cadence."""
    within_days = parse_within(within)
    rt = runtime()
    index = rt.index()
    today = rt.today()
    items = due(index, today, within_days)
    if as_json:
        emit_json(
            {
                "today": today.isoformat(),
                "within_days": within_days,
                "due": [due_json(index, item) for item in items],
            }
        )
        return
    if not items:
        suffix = f" or within {plural(within_days, 'day')}" if within_days else ""
        click.echo(f"Nobody is due for contact today{suffix}.")
        return
    for item in items:
        click.echo("\n".join(due_lines(item)))
    click.echo(f"{plural(len(items), 'contact')} due")
