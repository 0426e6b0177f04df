"""The `netvault` Click group. Commands load lazily so `--help` and `list` start fast."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from .. import __version__

# name -> (module under netvault.cli, one-line help). Modules define `command`.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("init", "Create a new vault (never overwrites anything)."),
    "add": ("add", "Add a contact note from the contact template."),
    "show": ("show", "Show a contact: details, interactions, tasks, favours, links."),
    "list": ("listing", "List contacts, filtered and sorted."),
    "search": ("search", "Fuzzy search over names, companies, roles, tags and notes."),
    "check": ("check", "Report every problem in the vault."),
    "summary": ("summary", "A short overview of the vault."),
    "log": ("log", "Log an interaction with a contact; moves last_met and first_met."),
    "due": ("due", "Who is overdue for contact, most overdue for their cadence first."),
    "oaks": ("oaks", "The oak-tree circle: neglected, not yet time-tested, candidates."),
    "unmet": ("unmet", "Contacts (tie 2+) you have never met in person, closest first."),
    "todo": ("todo", "Open follow-up tasks across the vault, overdue first."),
    "favors": ("favors", "Favours given and received per person; those you owe first."),
    "today": ("today", "Today's digest: who is due, follow-ups, birthdays; silent if none."),
    "graph": ("graph", "The network as a picture: Mermaid, dot, GraphML or JSON."),
    "watch": ("watch", "Keep the index and the report current while you edit; Ctrl-C stops."),
    "report": ("report", "Network health on one page: markdown note or self-contained HTML."),
    "path": ("path", "Warm paths to a person, company or role, via people who know your work."),
    "import": ("import_cmd", "Import contacts from vCard, LinkedIn or Google Contacts files."),
    "export": ("export", "Export contacts as vCard, CSV or JSON, honouring consent."),
    "remind": ("remind", "Write follow-ups and keep-in-touch reminders to an .ics calendar."),
    "history": ("history", "How the network changed, month by month, from git history."),
    "merge": ("merge", "Merge a duplicate contact into the one you keep; relinks the vault."),
    "intro": ("intro", "Introduce two people: guard rails first, then double opt-in drafts."),
    "intros": ("intros", "List introductions and where each stands."),
    "intro-update": ("intro_update", "Record an intro's answers and outcome; drafts, logs."),
    "suggest": ("suggest", "Introductions worth making, ranked, with reasons."),
    "hub": ("hub", "Your hub stats: intros made, acceptance, outcomes, who to introduce."),
    "team": ("team", "Team warm paths over git: publish, pull, path, who, members, leave."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module = importlib.import_module(f"netvault.cli.{entry[0]}")
        command: click.Command = module.command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> object:
        # The one place where the core's errors become Click's (exit 1 and exit 2).
        from ..errors import NetvaultError, UsageProblem

        try:
            return super().invoke(ctx)
        except UsageProblem as exc:
            raise click.UsageError(str(exc), ctx) from None
        except NetvaultError as exc:
            raise click.ClickException(str(exc)) from None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            import difflib

            close = difflib.get_close_matches(name, list(COMMANDS), n=2)
            hint = f" Did you mean {' or '.join(close)}?" if close else ""
            raise click.UsageError(f"No such command {name!r}.{hint}", ctx)
        return super().resolve_command(ctx, args)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--vault",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="NETVAULT_VAULT",
    help="The vault folder (default: $NETVAULT_VAULT, else the nearest folder upward "
    "holding .netvault.toml or .obsidian/, else the current folder).",
)
@click.version_option(__version__, prog_name="netvault")
@click.pass_context
def cli(ctx: click.Context, vault: Path | None) -> None:
    """Keep your professional network as a plain-markdown vault."""
    from .common import Runtime

    ctx.obj = Runtime(vault)
