"""`netvault oaks`: the oak-tree circle, who in it you neglect, who could join it."""

from __future__ import annotations

from datetime import date

import click

from ..index import Index
from ..ties import OakReport, full_years, oaks
from .common import contact_json, emit_json, iso, json_option, plural, runtime
from .due import due_json, due_state


def _report_json(index: Index, report: OakReport, today: date) -> dict[str, object]:
    def years(first: date | None) -> int | None:
        return full_years(first, today) if first else None

    return {
        "today": today.isoformat(),
        "max": report.max_size,
        "min_years": report.min_years,
        "count": len(report.circle),
        "too_many": report.too_many,
        "circle": [
            contact_json(index, c, today) | {"years_known": years(c.first_met)}
            for c in report.circle
        ],
        "neglected": [due_json(index, item) for item in report.neglected],
        "untested": [
            contact_json(index, u.contact, today)
            | {"years_known": u.years_known, "reason": u.reason}
            for u in report.untested
        ],
        "candidates": [
            contact_json(index, c.contact, today)
            | {
                "years_known": c.years_known,
                "contact_days_last_year": c.contact_days_last_year,
                "reasons": list(c.reasons),
            }
            for c in report.candidates
        ],
    }


@click.command()
@json_option
def command(as_json: bool) -> None:
    """The oak-tree circle (tie 5 or `oak: true`): a small circle you keep, built over years."""
    rt = runtime()
    index = rt.index()
    today = rt.today()
    report = oaks(index, today)
    if as_json:
        emit_json(_report_json(index, report, today))
        return
    count = len(report.circle)
    click.echo(f"Oak-tree circle: {plural(count, 'oak')} (at most {report.max_size})")
    for contact in report.circle:
        years = full_years(contact.first_met, today) if contact.first_met else None
        if years is None:
            known = "first met unknown"
        else:
            known = f"known {plural(years, 'year')}" if years else "known under a year"
        last = iso(index.last_contact(contact, today)) or "never"
        click.echo(f"  {contact.name}: {known}, last in touch {last}")
    if report.too_many:
        click.echo(
            f"Warning: {count} oaks is more than {report.max_size}. An oak-tree circle is the "
            "few people you keep close; move some back to tie 4."
        )
    if report.neglected:
        click.echo("Neglected:")
        for item in report.neglected:
            click.echo(f"  {item.contact.name}: {due_state(item)} (every {item.cadence_days}d)")
    if report.untested:
        click.echo(f"Not yet time-tested (under {report.min_years} years):")
        for untested in report.untested:
            click.echo(f"  {untested.contact.name}: {untested.reason}")
    if report.candidates:
        full = (
            " (the circle is full: promote only in place of someone)"
            if (count >= report.max_size)
            else ""
        )
        click.echo(f"Candidates{full}:")
        for candidate in report.candidates:
            click.echo(f"  {candidate.contact.name}: {'; '.join(candidate.reasons)}")
    if not count and not report.candidates:
        click.echo("No oaks yet: mark the few people you trust most with `tie: 5` or `oak: true`.")
