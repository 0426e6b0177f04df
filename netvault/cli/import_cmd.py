"""`netvault import vcard|linkedin|google FILE...`: contacts from other programs' files."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from .common import emit_json, json_option, plural, read_input_file, runtime
from .writing import write_lock

if TYPE_CHECKING:
    from ..importing import ImportBatch, ImportResult, SourceKind

# Bigger than any real address book or LinkedIn export; guards memory against a wrong file.
MAX_IMPORT_BYTES = 64 * 1024 * 1024
PROGRESS_MIN_RECORDS = 200


@contextmanager
def progress_bar(total: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for a large import, only when stderr is a terminal."""
    if total <= PROGRESS_MIN_RECORDS or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label="Importing", file=sys.stderr) as bar:
        yield bar.update


def _read(kind: SourceKind, files: tuple[Path, ...]) -> list[ImportBatch]:
    from ..importing import read_batch

    batches = []
    for path in files:
        data = read_input_file(path, MAX_IMPORT_BYTES, "an import")
        batches.append(read_batch(kind, data, str(path)))
    return batches


@click.command()
@click.argument(
    "kind", metavar="vcard|linkedin|google", type=click.Choice(["vcard", "linkedin", "google"])
)
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--dry-run", is_flag=True, help="Show what would be created, merged or conflict; write nothing."
)
@click.option(
    "--accept-changes",
    is_flag=True,
    help="Record job changes: set the new company or role and add a dated line under "
    "## Career.",
)
@json_option
def command(
    kind: str, files: tuple[Path, ...], dry_run: bool, accept_changes: bool, as_json: bool
) -> None:
    """Import contacts from vCard (.vcf), LinkedIn Connections.csv or Google Contacts CSV.

    Records are the same person only on evidence: a shared e-mail address, phone number or
    profile URL, with compatible names. A match only gains what its note lacks; a different
    company or role is listed as a job change (written with --accept-changes), any other
    different value as a conflict, never overwritten. Everyone else gets a new note (tie 1),
    under their own name even when someone else has it. Importing the same file again
    changes nothing. Exit status 1 when a record or file had a problem (the others are
    still imported).
    """
    from ..importing import import_batches

    batches = _read(cast("SourceKind", kind), files)
    total = sum(len(b.records) for b in batches)
    rt = runtime()
    with write_lock(rt.root, dry_run):
        index = rt.index(quiet=True)
        with progress_bar(total) as advance:
            result = import_batches(
                index,
                batches,
                dry_run=dry_run,
                progress=advance,
                accept_changes=accept_changes,
            )
    if as_json:
        emit_json(_json(result))
    else:
        click.echo("\n".join(_text(result)))
    if result.problems:
        raise SystemExit(1)


def _json(result: ImportResult) -> dict[str, Any]:
    return {
        "dry_run": result.dry_run,
        "records": result.records,
        "summary": {
            **result.counts(),
            "notes_created": len(result.created),
            "problems": len(result.problems),
        },
        "created": [
            {"name": c.name, "path": c.path, "source": c.source, "records": c.records}
            for c in result.created
        ],
        "merged": [
            {"name": m.name, "path": m.path, "keys": list(m.keys), "source": m.source}
            for m in result.merged
        ],
        "changes": [
            {
                "name": c.name,
                "path": c.path,
                "key": c.key,
                "old": c.old,
                "new": c.new,
                "file": c.file,
                "line": c.line,
            }
            for c in result.changes
        ],
        "changes_accepted": result.changes_accepted,
        "conflicts": [
            {
                "name": c.name,
                "path": c.path,
                "key": c.key,
                "note_value": c.note_value,
                "file_value": c.file_value,
                "file": c.file,
                "line": c.line,
            }
            for c in result.conflicts
        ],
        "unchanged": [{"name": u.name, "path": u.path} for u in result.unchanged],
        "outcomes": [
            {
                "file": o.file,
                "line": o.line,
                "name": o.name,
                "outcome": o.outcome,
                "path": o.path,
                "detail": o.detail,
            }
            for o in result.outcomes
        ],
        "problems": [
            {"file": p.file, "line": p.line, "message": p.message} for p in result.problems
        ],
    }


def _record(file: str, line: int, name: str) -> str:
    return f"{Path(file).name}:{line} {name or '(no name)'}"


def summary_line(result: ImportResult) -> str:
    """`9 records: 5 created (4 new notes), 1 updated, ...`: the outcomes add up to the
    records."""
    counts = result.counts()
    notes = plural(len(result.created), "new note")
    return (
        f"{plural(result.records, 'record')}: {counts['created']} created ({notes}), "
        f"{counts['updated']} updated, {counts['unchanged']} unchanged, "
        f"{counts['changed']} changed, {counts['conflicted']} conflicted, "
        f"{counts['skipped']} skipped; {plural(len(result.problems), 'problem')}"
    )


def _text(result: ImportResult) -> list[str]:
    dry = result.dry_run
    lines: list[str] = []
    if result.created:
        lines.append("Would create:" if dry else "Created:")
        lines += [f"  {c.path}  ({c.source})" for c in result.created]
    if result.merged:
        lines.append("Would add to:" if dry else "Added to:")
        lines += [f"  {m.path}: {', '.join(m.keys)}" for m in result.merged]
    merged = [
        o for o in result.outcomes
        if o.detail.startswith("merged into") and o.outcome != "unchanged"
    ]  # fmt: skip
    if merged:
        lines.append("Merged:")
        lines += [f"  {_record(o.file, o.line, o.name)}: {o.detail}" for o in merged]
    if result.changes:
        if result.changes_accepted:
            lines.append("Job changes (recorded under ## Career):")
        else:
            lines.append("Job changes (import --accept-changes records them):")
        lines += [
            f"  {c.path}: {c.key}: {c.old!r} -> {c.new!r} ({Path(c.file).name}:{c.line})"
            for c in result.changes
        ]
    if result.conflicts:
        lines.append("Conflicts (the note keeps its value):")
        lines += [
            f"  {c.path}: {c.key}: note has {c.note_value!r}; "
            f"{c.file}:{c.line} has {c.file_value!r}"
            for c in result.conflicts
        ]
    skipped = [o for o in result.outcomes if o.outcome == "skipped"]
    if skipped:
        lines.append("Skipped:")
        lines += [f"  {_record(o.file, o.line, o.name)}: {o.detail}" for o in skipped]
    if result.problems:
        lines.append("Problems:")
        lines += [f"  {p.format()}" for p in result.problems]
    lines.append(summary_line(result) + (" (dry run: nothing written)" if dry else ""))
    return lines
