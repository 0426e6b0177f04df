"""`netvault export vcard|csv|json`: the contacts, consent-safe, to stdout or a file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from .common import runtime

if TYPE_CHECKING:
    from ..export import ExportFormat


@click.command()
@click.argument("fmt", metavar="vcard|csv|json", type=click.Choice(["vcard", "csv", "json"]))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output (an earlier export there is replaced; "
    "anything else only with --force, and never a note in the vault).",
)
@click.option("--force", is_flag=True, help="Replace an --out file that is not an earlier export.")
@click.option(
    "--include-private",
    is_flag=True,
    help="Also export e-mail, phone, address and contact links of people whose share-contact "
    "consent is not yes (for your own backup).",
)
def command(fmt: str, out: Path | None, force: bool, include_private: bool) -> None:
    """Export every contact as vCard 3.0, CSV (Google Contacts columns) or JSON.

    E-mail, phone, address and contact links (mailto:, tel:, messengers) are left out for
    anyone whose `consent.share-contact` is not yes, and their details masked in every other
    text, unless --include-private. Name, e-mails, phones, company, role, location, links
    and birthday come back with `netvault import vcard` (or `import google` for the CSV).
    """
    from ..export import export, is_own_export
    from ..write import Replace, Target, WriteRefused, write_file

    index = runtime().index()
    export_format = cast("ExportFormat", fmt)
    result = export(index, export_format, include_private)
    if out is None:
        click.echo(result.text, nl=False)
    else:
        try:
            write_file(
                Target.typed(index.root, out),
                result.text.encode("utf-8"),
                replace=Replace.OUTPUT,
                force=force,
                is_own_output=lambda head: is_own_export(export_format, head),
            )
        except WriteRefused as exc:
            raise click.ClickException(f"{out}: {exc.message}") from None
        click.echo(f"Exported {len(result.records)} contacts to {out}", err=True)
    if include_private:
        click.echo(
            "netvault: --include-private: e-mail, phone and address of everyone are in this "
            "export, whatever their consent; keep it private.",
            err=True,
        )
    elif result.withheld_count:
        count = result.withheld_count
        people = "1 person" if count == 1 else f"{count} people"
        click.echo(
            f"netvault: e-mail, phone, address and contact links left out for {people} whose "
            "share-contact consent is not yes (--include-private for a backup).",
            err=True,
        )
