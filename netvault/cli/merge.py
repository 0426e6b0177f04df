"""`netvault merge KEEP OTHER`: fold a duplicate contact into the one you keep."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from .common import emit_json, json_option, lookup, runtime
from .completion import complete_contact
from .writing import write_lock

if TYPE_CHECKING:
    from ..merge import MergeResult


@click.command()
@click.argument("keep", shell_complete=complete_contact)
@click.argument("other", shell_complete=complete_contact)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@json_option
def command(keep: str, other: str, dry_run: bool, as_json: bool) -> None:
    """Merge OTHER into KEEP: lists united, KEEP's values win (conflicts shown), logs
    interleaved by date, OTHER's names become aliases, every [[link]] to OTHER points to
    KEEP, and OTHER's note is removed last.

    In note text `[[Other]]` becomes `[[Keep|Other]]`, so it still reads as written.
    """
    from ..merge import MergeRefused, merge_contacts

    rt = runtime()
    with write_lock(rt.root, dry_run):
        index = rt.index(quiet=True)
        keep_contact = lookup(index, keep)
        other_contact = lookup(index, other)
        try:
            result = merge_contacts(index, keep_contact, other_contact, dry_run=dry_run)
        except MergeRefused as exc:
            raise click.ClickException(str(exc)) from None
    if as_json:
        emit_json(_json(result))
    else:
        click.echo("\n".join(_text(result)))


def _value(value: object) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _value(v) for k, v in value.items()}
    return value


def _json(result: MergeResult) -> dict[str, Any]:
    return {
        "keep": {"name": result.keep.name, "path": result.keep.path},
        "other": {"name": result.other.name, "path": result.other.path},
        "dry_run": result.dry_run,
        "set": [{"key": k, "value": _value(v)} for k, v in result.set_keys],
        "conflicts": [
            {
                "key": c.key,
                "kept": _value(c.kept),
                "dropped": _value(c.dropped),
                "dropped_from": c.dropped_from,
                "rule": c.rule,
            }
            for c in result.conflicts
        ],
        "comments": result.comments,
        "log_lines": result.log_lines,
        "merged_text": result.merged_text,
        "relinked": [{"path": r.path, "links": r.links} for r in result.relinked],
        "removed": result.other.path if result.removed else None,
    }


def _shown(value: object) -> str:
    shown = _value(value)
    if isinstance(shown, list):
        return ", ".join(str(v) for v in shown)
    if isinstance(shown, dict):
        return ", ".join(f"{k}: {v}" for k, v in shown.items())
    return str(shown)


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def _text(result: MergeResult) -> list[str]:
    verb = "Would merge" if result.dry_run else "Merged"
    lines = [f"{verb} {result.other.path} into {result.keep.path}"]
    for key, value in result.set_keys:
        lines.append(f"  set {key}: {_shown(value)}")
    for conflict in result.conflicts:
        loser = result.keep if conflict.dropped_from == "keep" else result.other
        lines.append(
            f"  conflict {conflict.key}: kept {_shown(conflict.kept)} ({conflict.rule}); "
            f"{loser.name} had {_shown(conflict.dropped)}"
        )
    if result.comments:
        lines.append(
            f"  comments: {_count(result.comments, 'comment')} from {result.other.name}'s "
            "front matter kept"
        )
    if result.log_lines:
        lines.append(f"  log: {_count(result.log_lines, 'line')} interleaved under ## Log")
    if result.merged_text:
        lines.append(f"  text: appended under ## Merged from {result.other.name}")
    links = sum(r.links for r in result.relinked)
    if links:
        where = ", ".join(f"{r.path} ({r.links})" for r in result.relinked)
        notes = _count(len(result.relinked), "note")
        lines.append(f"  links: {_count(links, 'link')} rewritten in {notes}: {where}")
    if result.dry_run:
        lines.append("Nothing written (--dry-run).")
    elif result.removed:
        lines.append(f"  removed {result.other.path}")
    return lines
