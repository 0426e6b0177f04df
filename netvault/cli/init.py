"""`netvault init [PATH]`: a new vault, never overwriting anything."""

from __future__ import annotations

from pathlib import Path

import click

from .common import emit_json, json_option


@click.command()
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@json_option
def command(path: Path | None, as_json: bool) -> None:
    """Create config, people/, intros/ and .netvault/templates/ in PATH (default: here)."""
    from ..vaultinit import init_vault

    root = (path or Path.cwd()).resolve()
    try:
        created, kept = init_vault(root)
    except OSError as exc:
        raise click.ClickException(f"cannot create the vault in {root}: {exc.strerror}") from None
    if as_json:
        emit_json({"vault": str(root), "created": created, "kept": kept})
        return
    for item in created:
        click.echo(f"created {item}")
    for item in kept:
        click.echo(f"kept    {item} (already there)")
    click.echo(f"Vault ready in {root}. Next: netvault --vault {str(root)!r} add 'Ada Okafor'")
