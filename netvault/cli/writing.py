"""The vault lock for commands that write, with a dry run that takes no lock at all."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import click


@contextlib.contextmanager
def write_lock(root: Path, dry_run: bool = False) -> Iterator[None]:
    """Hold the vault lock, except for a dry run (which must not even create the lock file)."""
    from ..write import WriteRefused, vault_lock

    if dry_run:
        yield
        return
    try:
        with vault_lock(root):
            yield
    except WriteRefused as exc:
        raise click.ClickException(str(exc)) from None
