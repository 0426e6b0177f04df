"""`netvault history`: the network as a portfolio that changes, month by month, from git."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from .common import emit_json, json_option, runtime

if TYPE_CHECKING:
    from ..history import EventKind, History, HistoryEvent

_LABELS: dict[str, str] = {
    "added": "added",
    "removed": "removed",
    "tie_up": "ties up",
    "tie_down": "ties down",
    "met": "met",
    "intro_made": "intros made",
}
_JSON_KEYS: dict[str, str] = {
    "added": "added",
    "removed": "removed",
    "tie_up": "ties_up",
    "tie_down": "ties_down",
    "met": "met",
    "intro_made": "intros_made",
}


def since_date(text: str | None, today: date) -> date | None:
    """`90d`, `6m`, `1y` before today, or an ISO date; None for all history."""
    from ..dates import add_days, parse_interval

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        pass
    try:
        return add_days(today, -parse_interval(text))
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is neither an interval like 90d, 6m, 1y nor a date (YYYY-MM-DD)",
            param_hint="--since",
        ) from None


@click.command()
@click.option("--since", help="Only this recent history: 90d, 6m, 1y or a date (default: all).")
@json_option
def command(since: str | None, as_json: bool) -> None:
    """Contacts added and removed, ties up and down, people met and intros made, per month,
    from the vault's git history."""
    from ..config import load_config
    from ..history import HistoryUnavailable, history

    rt = runtime()
    start = since_date(since, rt.today())
    config, _problems = load_config(rt.root)
    try:
        found = history(rt.root, config, start)
    except HistoryUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        emit_json(_json(found))
        return
    click.echo("\n".join(_text(found)))


def _event_json(event: HistoryEvent) -> dict[str, Any]:
    data: dict[str, Any] = {"date": event.day.isoformat(), "commit": event.commit}
    if event.kind == "intro_made":
        data.update({"a": event.name, "b": event.other, "path": event.path})
        return data
    data.update({"name": event.name, "path": event.path})
    if event.kind in ("tie_up", "tie_down"):
        data.update({"from": event.tie_from, "to": event.tie_to})
    if event.kind == "met":
        data["met_on"] = event.met_on.isoformat() if event.met_on else None
    return data


def _totals(found: History) -> dict[str, int]:
    from ..history import EVENT_KINDS

    totals = {_JSON_KEYS[kind]: found.count(kind) for kind in EVENT_KINDS}
    totals["net"] = found.count("added") - found.count("removed")
    return totals


def _json(found: History) -> dict[str, Any]:
    from ..history import EVENT_KINDS

    return {
        "since": found.since.isoformat() if found.since else None,
        "commits": found.commits,
        "months": [
            {
                "month": month.month,
                **{_JSON_KEYS[k]: [_event_json(e) for e in month.of(k)] for k in EVENT_KINDS},
            }
            for month in found.months
        ],
        "totals": _totals(found),
    }


def _shown(event: HistoryEvent) -> str:
    if event.kind == "intro_made":
        return f"{event.name} and {event.other}"
    if event.kind in ("tie_up", "tie_down"):
        return f"{event.name} {event.tie_from}→{event.tie_to}"
    if event.kind == "met" and event.met_on:
        return f"{event.name} ({event.met_on.isoformat()})"
    return event.name


def _text(found: History) -> list[str]:
    from ..history import EVENT_KINDS

    span = f"since {found.since.isoformat()}" if found.since else "all history"
    lines = [f"Network history, {span} ({found.commits} commits)"]
    if not found.events:
        lines.append("No contact changed in that time.")
        return lines
    for month in found.months:
        lines.append("")
        lines.append(month.month)
        for kind in EVENT_KINDS:
            events = month.of(kind)
            if events:
                lines.append(f"  {_label(kind)} ({len(events)}): " + ", ".join(map(_shown, events)))
    totals = _totals(found)
    lines.append("")
    intros = totals["intros_made"]
    lines.append(
        f"In all: {totals['added']} added, {totals['removed']} removed "
        f"(net {totals['net']:+d}), ties {totals['ties_up']} up and {totals['ties_down']} down, "
        f"{totals['met']} met, {intros} intro{'' if intros == 1 else 's'} made"
    )
    return lines


def _label(kind: EventKind) -> str:
    return _LABELS[kind]
