"""What every command shares: the vault, the index, today, JSON output, lookups."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from ..dates import BadDate
from ..dates import today as dates_today
from ..index import Index, UnknownName, load_index
from ..model import TIE_LABELS, Contact
from ..vaultfs import find_vault

F = TypeVar("F", bound=Callable[..., Any])


class Runtime:
    """Per-invocation state: the vault folder and its index, loaded once and only if needed."""

    def __init__(self, vault: Path | None = None) -> None:
        self._vault_option = vault
        self._index: Index | None = None

    @property
    def root(self) -> Path:
        if self._vault_option is not None:
            if not self._vault_option.is_dir():
                raise click.UsageError(f"vault folder {str(self._vault_option)!r} does not exist")
            return self._vault_option.resolve()
        return find_vault(Path.cwd())

    def index(self, quiet: bool = False) -> Index:
        if self._index is None:
            self._index = load_index(self.root)
            if not quiet:
                warn_about_problems(self._index)
        return self._index

    def today(self, writing: bool = False) -> date:
        """Today; `writing` commands say so on a terminal when NETVAULT_TODAY pins it, since
        what they write is then dated on that day."""
        try:
            day = dates_today()
        except BadDate as exc:
            raise click.UsageError(str(exc)) from None
        if writing and os.environ.get("NETVAULT_TODAY") and _stderr_is_terminal():
            click.echo(
                f"netvault: NETVAULT_TODAY pins today to {day.isoformat()}; what this command "
                "writes is dated that day (unset it for your own vault)",
                err=True,
            )
        return day


def _stderr_is_terminal() -> bool:
    import sys

    return sys.stderr.isatty()


def runtime(ctx: click.Context | None = None) -> Runtime:
    return (ctx or click.get_current_context()).ensure_object(Runtime)


def warn_about_problems(index: Index) -> None:
    paths = index.error_paths()
    if paths:
        click.echo(
            f"netvault: {len(paths)} of {index.note_count} notes "
            f"{'has' if len(paths) == 1 else 'have'} errors (run `netvault check`)",
            err=True,
        )


def read_input_file(path: Path, limit: int, what: str) -> bytes:
    """The bytes of a file the user named, refusing one larger than `limit` (a wrong file
    must not fill memory); `what` names the reader in the message ("an import")."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise click.ClickException(
                f"{path}: {size:,} bytes is more than the {limit:,} {what} reads; "
                "is it the right file?"
            )
        return path.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot read it ({exc.strerror})") from None


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 intro`, `2 intros`; `many` for words that do not just take an s."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")(func)


def _json_default(value: object) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def emit_json(data: Any) -> None:
    """One JSON document: indented for a terminal, compact for scripts (about 5x faster)."""
    import sys

    indent = 2 if sys.stdout.isatty() else None
    click.echo(json.dumps(data, indent=indent, ensure_ascii=False, default=_json_default))


def lookup(index: Index, name: str) -> Contact:
    try:
        return index.lookup(name)
    except UnknownName as exc:
        raise click.ClickException(str(exc)) from None


def tie_text(tie: int | None) -> str:
    return f"{tie} {TIE_LABELS[tie]}" if tie else "-"


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def contact_json(index: Index, contact: Contact, today: date | None = None) -> dict[str, Any]:
    """The contact fields every listing shares. No e-mail or phone: those are for `show`."""
    return {
        "name": contact.name,
        "path": contact.path,
        "aliases": list(contact.aliases),
        "tags": list(contact.tags),
        "tie": contact.tie,
        "tie_label": TIE_LABELS.get(contact.tie) if contact.tie else None,
        "first_met": iso(contact.first_met),
        "last_met": iso(contact.last_met),
        "last_contact": iso(index.last_contact(contact, today)),
        "met_in_person": index.met_in_person(contact),
        "company": contact.company,
        "role": contact.role,
        "location": contact.location,
        "relationship": list(contact.relationship),
        "oak": contact.is_oak,
    }
