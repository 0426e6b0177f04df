"""`netvault due [--within 14d]`: who is overdue for contact, most overdue for the cadence first."""

from __future__ import annotations

from typing import Any

import click

from ..dates import duration
from ..index import Index
from ..model import Interaction
from ..ties import DueItem, due
from .common import contact_json, emit_json, iso, json_option, plural, runtime
from .screen import limit_option, limited, more_line, rows
from .show import interaction_json, task_json

LAST_TEXT_WIDTH = 70


def short(text: str, width: int = LAST_TEXT_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def interaction_text(item: Interaction) -> str:
    channel = f"({item.channel}) " if item.channel else ""
    return f"{item.date.isoformat()} {channel}{short(item.text)}"


def due_state(item: DueItem) -> str:
    """`12 days overdue`, `5.9 years overdue`, `due today`, `due in 3 weeks`, `never in touch`
    (`never in touch since first met 2024-03-01` when that is known)."""
    if item.days_overdue is None:
        first = item.contact.first_met
        return f"never in touch since first met {first.isoformat()}" if first else "never in touch"
    if item.days_overdue > 0:
        return f"{duration(item.days_overdue)} overdue"
    if item.days_overdue == 0:
        return "due today"
    return f"due in {duration(item.days_overdue)}"


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


# Heads the group of people never in touch, after everyone overdue.
NEVER_HEADING = "Never in touch ({count}): nothing recorded yet; `netvault log` starts the clock"


def due_text(items: list[DueItem], limit: int | None) -> list[str]:
    """Who is overdue (or due soon), then the group never in touch; `limit` people (None: as
    many as fit the screen), then the count."""
    never = sum(1 for item in items if item.never_in_touch)
    # Kept free on the screen: the group heading, "… and N more" and the count.
    blocks = rows(items, limit, due_lines, other_lines=3)
    lines: list[str] = []
    for position, block in enumerate(blocks):
        if items[position].never_in_touch and (
            position == 0 or not items[position - 1].never_in_touch
        ):
            lines.append(NEVER_HEADING.format(count=never))
        lines += block
    total = plural(len(items) - never, "contact") + " due"
    if never:
        total += f", {never} never in touch"
    hidden = len(items) - len(blocks)
    lines.append(more_line(total, hidden) if hidden else total)
    return lines


@click.command()
@click.option("--within", help="Also list who becomes due within this interval, e.g. 14d or 2w.")
@limit_option
@json_option
def command(within: str | None, limit: int | None, as_json: bool) -> None:
    """Who is overdue for contact, most overdue for their cadence first (days overdue divided
    by the cadence), then those never in touch (nothing recorded since you met: no clock
    runs), shortest cadence first."""
    within_days = parse_within(within)
    rt = runtime()
    index = rt.index()
    today = rt.today()
    items = due(index, today, within_days)
    if as_json:
        shown = limited(items, limit)
        index.load_details(item.contact for item in shown)
        emit_json(
            {
                "today": today.isoformat(),
                "within_days": within_days,
                "total": len(items),
                "due": [due_json(index, item) for item in shown],
            }
        )
        return
    if not items:
        suffix = f" or within {plural(within_days, 'day')}" if within_days else ""
        click.echo(f"Nobody is due for contact today{suffix}.")
        return
    click.echo("\n".join(due_text(items, limit)))
