"""`netvault intro A B --why TEXT`: check every guard rail, then draft a double opt-in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

import click

from .common import emit_json, json_option, lookup, runtime
from .completion import complete_contact

if TYPE_CHECKING:
    from ..intros import Draft, RailFailure, Refused


def failure_json(failure: RailFailure) -> dict[str, Any]:
    return {
        "rail": failure.rail,
        "person": failure.person,
        "reason": failure.reason,
        "overridable": failure.overridable,
    }


def draft_json(draft: Draft) -> dict[str, Any]:
    from ..emails import OUTBOX

    return {
        "kind": draft.kind,
        "recipient": draft.recipient,
        "path": f"{OUTBOX}/{draft.file_name}",
        "has_address": draft.has_address,
        "shares_details": draft.shares_details,
    }


def draft_lines(drafts: tuple[Draft, ...]) -> list[str]:
    from ..emails import OUTBOX

    lines = [f"Drafts in {OUTBOX}/ (open them in your mail client, read, send):"]
    for draft in drafts:
        hints = [] if draft.has_address else [f"no e-mail for {draft.recipient}: add the To"]
        if draft.kind == "connect" and not draft.shares_details:
            hints.append("no contact details shared")
        hint = f"  ({'; '.join(hints)})" if hints else ""
        lines.append(f"  {draft.file_name}{hint}")
    return lines


def refuse(refused: Refused, as_json: bool, headline: str) -> NoReturn:
    """Report why nothing was written, then exit 1."""
    if as_json:
        emit_json(
            {
                "written": False,
                "failures": [failure_json(f) for f in refused.failures],
                "problems": list(refused.problems),
            }
        )
    lines = [headline]
    for failure in refused.failures:
        mark = "" if failure.overridable else " (no override passes this)"
        lines.append(f"  - {failure.rail}: {failure.reason}{mark}")
    lines += [f"  - {problem}" for problem in refused.problems]
    lines.append("Nothing was written.")
    if refused.failures and all(f.overridable for f in refused.failures):
        lines.append("If you know better, run again with --override REASON; the reason is kept.")
    raise click.ClickException("\n".join(lines))


@click.command()
@click.argument("a", shell_complete=complete_contact)
@click.argument("b", shell_complete=complete_contact)
@click.option("--why", required=True, help="Why these two should meet (goes into the drafts).")
@click.option(
    "--override",
    "override_reason",
    metavar="REASON",
    help="Go ahead despite failed guard rails (not a consent no); the reason is recorded.",
)
@json_option
def command(a: str, b: str, why: str, override_reason: str | None, as_json: bool) -> None:
    """Introduce A and B: check the guard rails, then write the intro note and two opt-in drafts.

    Nothing is written if a guard rail fails: a tie of at least [ties] intro_min (default 3)
    with each, met each in person, neither's consent.introductions is no, not already
    connected, no declined intro between them, neither introduced too often in the last
    30 days.
    """
    from ..index import load_index
    from ..intros import Refused, plan_intro, write_intro
    from ..write import WriteRefused, vault_lock

    if not why.strip():
        raise click.UsageError("--why must say why these two should meet")
    if override_reason is not None and not override_reason.strip():
        raise click.UsageError("--override needs a reason")
    rt = runtime()
    today = rt.today(writing=True)
    index = rt.index()
    first, second = lookup(index, a), lookup(index, b)
    if first.path == second.path:
        raise click.UsageError(f"{a!r} and {b!r} are the same person ({first.name})")
    plan = plan_intro(index, first, second, why, today, override_reason)
    if isinstance(plan, Refused):
        refuse(plan, as_json, f"Not introducing {first.name} and {second.name}:")
    if override_reason is not None and not plan.overridden:
        raise click.UsageError(
            "--override: every guard rail passes, so there is nothing to override; "
            "run again without it"
        )
    if not index.config.owner_name_set:
        click.echo(
            "netvault: owner name not set, so the drafts are signed "
            f"{index.config.owner_name!r}: set [owner] name in .netvault.toml",
            err=True,
        )
    try:
        with vault_lock(rt.root):
            # Again under the lock, on a fresh index: another run may have written meanwhile.
            fresh = load_index(rt.root, index.config)
            plan = plan_intro(
                fresh,
                lookup(fresh, first.path[:-3]),
                lookup(fresh, second.path[:-3]),
                why,
                today,
                override_reason,
            )
            if isinstance(plan, Refused):
                refuse(plan, as_json, f"Not introducing {first.name} and {second.name}:")
            write_intro(rt.root, plan)
    except WriteRefused as exc:
        raise click.ClickException(f"{exc}\nNothing was written.") from None
    if as_json:
        emit_json(
            {
                "written": True,
                "id": plan.intro_id,
                "note": plan.note_path,
                "a": first.name,
                "b": second.name,
                "status": "asked",
                "override": plan.override,
                "overridden": [failure_json(f) for f in plan.overridden],
                "drafts": [draft_json(d) for d in plan.drafts],
            }
        )
        return
    lines = [f"Wrote {plan.note_path}"]
    if plan.overridden:
        lines.append(f"Overridden ({plan.override}):")
        lines += [f"  - {f.rail}: {f.reason}" for f in plan.overridden]
    lines += draft_lines(plan.drafts)
    lines.append(f'When they answer: netvault intro-update "{plan.intro_id}" --a yes|no --b yes|no')
    click.echo("\n".join(lines))
