"""`netvault import vcard|linkedin|google FILE...`: contacts from other programs' files."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from .common import emit_json, json_option, plural, runtime
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
        try:
            size = path.stat().st_size
            if size > MAX_IMPORT_BYTES:
                raise click.ClickException(
                    f"{path}: {size:,} bytes is more than the {MAX_IMPORT_BYTES:,} an import "
                    "reads; is it the right file?"
                )
            data = path.read_bytes()
        except OSError as exc:
            raise click.ClickException(f"{path}: cannot read it ({exc.strerror})") from None
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
@json_option
def command(kind: str, files: tuple[Path, ...], dry_run: bool, as_json: bool) -> None:
    """Import contacts from vCard (.vcf), LinkedIn Connections.csv or Google Contacts CSV.

    Matches existing contacts by e-mail, then by name or alias, and only adds what a note
    lacks; differing values are listed as conflicts, never overwritten. New people get a
    note from the contact template (tie 1). Importing the same file again changes nothing.
    Exit status 1 when a record could not be imported (the others still are).
    """
    from ..importing import import_batches

    batches = _read(cast("SourceKind", kind), files)
    total = sum(len(b.records) for b in batches)
    rt = runtime()
    with write_lock(rt.root, dry_run):
        index = rt.index(quiet=True)
        with progress_bar(total) as advance:
            result = import_batches(index, batches, dry_run=dry_run, progress=advance)
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
        "created": [
            {"name": c.name, "path": c.path, "source": c.source, "records": c.records}
            for c in result.created
        ],
        "merged": [
            {"name": m.name, "path": m.path, "keys": list(m.keys), "source": m.source}
            for m in result.merged
        ],
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
        "problems": [
            {"file": p.file, "line": p.line, "message": p.message} for p in result.problems
        ],
    }


def _text(result: ImportResult) -> list[str]:
    dry = result.dry_run
    lines: list[str] = []
    if result.created:
        lines.append("Would create:" if dry else "Created:")
        lines += [f"  {c.path}  ({c.source})" for c in result.created]
    if result.merged:
        lines.append("Would add to:" if dry else "Added to:")
        lines += [f"  {m.path}: {', '.join(m.keys)}" for m in result.merged]
    if result.conflicts:
        lines.append("Conflicts (the note keeps its value):")
        lines += [
            f"  {c.path}: {c.key}: note has {c.note_value!r}; "
            f"{c.file}:{c.line} has {c.file_value!r}"
            for c in result.conflicts
        ]
    if result.problems:
        lines.append("Problems:")
        lines += [f"  {p.format()}" for p in result.problems]
    summary = (
        f"{plural(result.records, 'record')}: {len(result.created)} created, "
        f"{len(result.merged)} updated, {plural(len(result.conflicts), 'conflict')}, "
        f"{len(result.unchanged)} unchanged, {plural(len(result.problems), 'problem')}"
    )
    lines.append(summary + (" (dry run: nothing written)" if dry else ""))
    return lines
