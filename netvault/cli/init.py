"""`netvault init [PATH]`: a new vault, never overwriting anything."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import emit_json, json_option


def _vault_option(ctx: click.Context) -> tuple[Path | None, bool]:
    """The group's --vault (or $NETVAULT_VAULT), and whether it was typed on this command."""
    from click.core import ParameterSource

    parent = ctx.parent
    if parent is None:
        return None, False
    value = parent.params.get("vault")
    typed = parent.get_parameter_source("vault") == ParameterSource.COMMANDLINE
    return (Path(value) if value is not None else None), typed


@click.command()
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", "owner_name", help="Your name: it signs intro drafts and reports.")
@click.option("--email", "owner_email", help="Your e-mail: the From of intro drafts.")
@json_option
@click.pass_context
def command(
    ctx: click.Context,
    path: Path | None,
    owner_name: str | None,
    owner_email: str | None,
    as_json: bool,
) -> None:
    """Create config, people/, intros/ and .netvault/templates/ in PATH (or --vault, or here).

    An existing people/ folder in any case (People/) becomes the contacts folder, and
    Obsidian's daily-notes settings are reported. On a terminal, init asks for your name
    and e-mail unless --name and --email give them.
    """
    from ..vaultinit import init_vault

    vault, typed = _vault_option(ctx)
    if path is not None and typed and vault is not None and path.resolve() != vault.resolve():
        raise click.UsageError(f"init got two folders: {str(path)!r} and --vault {str(vault)!r}")
    root = (path or vault or Path.cwd()).resolve()
    if not as_json and sys.stdin.isatty() and not (root / ".netvault.toml").exists():
        if owner_name is None:
            owner_name = click.prompt(
                "Your name (it signs intro drafts)", default="", show_default=False
            )
        if owner_email is None:
            owner_email = click.prompt(
                "Your e-mail (the From of drafts; Enter to skip)", default="", show_default=False
            )
    owner_name = " ".join(owner_name.split()) if owner_name else None
    owner_email = owner_email.strip() if owner_email else None
    try:
        result = init_vault(root, owner_name, owner_email)
    except OSError as exc:
        raise click.ClickException(f"cannot create the vault in {root}: {exc.strerror}") from None
    daily = result.daily_notes
    if as_json:
        emit_json(
            {
                "vault": str(root),
                "created": result.created,
                "kept": result.kept,
                "contacts_folder": result.contacts_folder,
                "owner": {"name": owner_name, "email": owner_email},
                "daily_notes": (
                    {"folder": daily.folder, "format": daily.format, "dated": daily.dated}
                    if daily
                    else None
                ),
            }
        )
        return
    for item in result.created:
        click.echo(f"created {item}")
    for item in result.kept:
        click.echo(f"kept    {item} (already there)")
    if result.contacts_folder != "people":
        click.echo(f"contacts: {result.contacts_folder}/ (the folder already there)")
    if daily is not None:
        where = f"{daily.folder}/" if daily.folder else "the vault's top folder"
        if daily.dated:
            click.echo(f"daily notes: {where} ({daily.format}); their links count as meetings")
        else:
            click.echo(
                f"daily notes: {where} ({daily.format}); netvault dates a daily note by a "
                "YYYY-MM-DD file name or a date: property, so give them one of those"
            )
    if ".netvault.toml" in result.kept:
        if owner_name or owner_email:
            click.echo("The config was already there: set [owner] name and email in it.")
    elif not owner_name:
        click.echo("No owner name yet: set [owner] name in .netvault.toml (it signs drafts).")
    click.echo(f"Vault ready in {root}. Next: netvault --vault {str(root)!r} add 'Ada Okafor'")
