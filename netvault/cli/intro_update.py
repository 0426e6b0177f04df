"""`netvault intro-update ID`: record answers and outcomes of an introduction."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .common import emit_json, json_option, runtime
from .completion import complete_intro

if TYPE_CHECKING:
    from ..index import Index
    from ..intros import Intro


def find_one(index: Index, query: str) -> Intro:
    """The intro `query` names or uniquely starts; exit 1 if none, 2 if ambiguous."""
    import difflib

    from ..intros import find_intros, read_intros

    intros = read_intros(index)[0]
    found = find_intros(intros, query)
    if len(found) == 1:
        return found[0]
    if found:
        listing = "\n".join(f"  {i.id}" for i in found)
        raise click.UsageError(f"{query!r} matches {len(found)} intros:\n{listing}")
    close = difflib.get_close_matches(query, [i.id for i in intros], n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise click.ClickException(f"no intro named {query!r}{hint}")


@click.command()
@click.argument("intro_id", metavar="ID", shell_complete=complete_intro)
@click.option("--a", "a_said", type=click.Choice(["yes", "no"]), help="What A answered.")
@click.option("--b", "b_said", type=click.Choice(["yes", "no"]), help="What B answered.")
@click.option(
    "--status",
    type=click.Choice(["made", "declined", "clicked", "business"]),
    help="made (you sent the connecting e-mail), declined, clicked, business.",
)
@click.option(
    "--a-shares",
    type=click.Choice(["yes", "no"]),
    help="Whether A lets you pass their e-mail and phone on to B.",
)
@click.option(
    "--b-shares",
    type=click.Choice(["yes", "no"]),
    help="Whether B lets you pass their e-mail and phone on to A.",
)
@click.option("--note", help="A line for the intro's log.")
@json_option
def command(
    intro_id: str,
    a_said: str | None,
    b_said: str | None,
    status: str | None,
    a_shares: str | None,
    b_shares: str | None,
    note: str | None,
    as_json: bool,
) -> None:
    """Update an intro: answers, status, a note. ID is the note's name or a unique prefix.

    When both have said yes, the connecting drafts are written (one to each, with the details
    the other agreed to share: --a-shares/--b-shares for this intro, else their share-contact
    consent). Give the answers to sharing with or before the second yes.

    Made, clicked and business need both yeses and put a dated `#gave` line into both
    contacts' logs, once.
    """
    from typing import cast

    from ..index import load_index
    from ..intros import Answer, IntroChange, Outcome, Refused, apply_update, plan_update
    from ..write import WriteRefused, vault_lock
    from .intro import draft_json, draft_lines, refuse

    if not (a_said or b_said or status or a_shares or b_shares or (note and note.strip())):
        raise click.UsageError(
            "say what changed: --a, --b, --a-shares, --b-shares, --status and/or --note"
        )
    rt = runtime()
    today = rt.today(writing=True)
    index = rt.index()
    intro = find_one(index, intro_id)
    change = IntroChange(
        a_said=cast("Answer | None", a_said),
        b_said=cast("Answer | None", b_said),
        status=cast("Outcome | None", status),
        note=note,
        a_shares=cast("Answer | None", a_shares),
        b_shares=cast("Answer | None", b_shares),
    )
    plan = plan_update(index, intro, change, today)
    if isinstance(plan, Refused):
        refuse(plan, as_json, f"Not updating {intro.id}:")
    try:
        with vault_lock(rt.root):
            fresh = load_index(rt.root, index.config)
            intro = find_one(fresh, intro.id)
            plan = plan_update(fresh, intro, change, today)
            if isinstance(plan, Refused):
                refuse(plan, as_json, f"Not updating {intro.id}:")
            result = apply_update(rt.root, plan)
    except WriteRefused as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        emit_json(
            {
                "id": intro.id,
                "note": intro.path,
                "status": plan.status,
                "a_said": plan.a_said,
                "b_said": plan.b_said,
                "a_shares": plan.a_shares,
                "b_shares": plan.b_shares,
                "notes": list(plan.notes),
                "changed": [key for key, _ in plan.keys],
                "note_changed": result.note_changed,
                "drafts": [draft_json(d) for d in plan.connect],
                "logged": list(result.logged),
            }
        )
        return
    lines = [
        f"{intro.id}: {plan.status} ({intro.a} {plan.a_said}, {intro.b} {plan.b_said})"
        + ("" if result.note_changed else "; nothing changed in the note")
    ]
    if plan.connect:
        lines.append("Both said yes: the connecting drafts are ready.")
        lines += draft_lines(plan.connect)
        lines.append(f'Once sent: netvault intro-update "{intro.id}" --status made')
    lines += [f"Logged the intro in {path}" for path in result.logged]
    lines += [f"Note: {text}" for text in plan.notes]
    click.echo("\n".join(lines))
