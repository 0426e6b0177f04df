"""`netvault import KIND ...`: contacts (vcard, linkedin, google), calendar events, mail.

Contacts keep their one command (`import_cmd`), shown here as one sub-command per file
kind; interactions from a calendar or a mailbox have a module each.
"""

from __future__ import annotations

import functools
import importlib

import click

CONTACT_KINDS = ("vcard", "linkedin", "google")
# sub-command -> module under netvault.cli
ACTIVITY_MODULES = {"calendar": "import_calendar", "mail": "import_mail"}


def _contact_command(kind: str) -> click.Command:
    """`import KIND FILES...` for one contact file kind, from the shared contacts command."""
    from .import_cmd import command as contacts

    assert contacts.callback is not None
    return click.Command(
        kind,
        params=[p for p in contacts.params if p.name != "kind"],
        callback=functools.partial(contacts.callback, kind=kind),
        help=contacts.help,
        short_help=f"Import contacts from {_KIND_LABELS[kind]}.",
    )


_KIND_LABELS = {
    "vcard": "vCard files (.vcf)",
    "linkedin": "LinkedIn Connections.csv",
    "google": "a Google Contacts CSV",
}


class ImportGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*CONTACT_KINDS, *ACTIVITY_MODULES])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in CONTACT_KINDS:
            return _contact_command(cmd_name)
        module = ACTIVITY_MODULES.get(cmd_name)
        if module is None:
            return None
        command: click.Command = importlib.import_module(f"netvault.cli.{module}").command
        return command


@click.group(cls=ImportGroup)
def command() -> None:
    """Import contacts (vCard, LinkedIn, Google), or interactions from a calendar export
    (.ics) or a mailbox (mbox, Maildir). Every import is safe to run again: it adds only
    what the vault does not hold yet."""
