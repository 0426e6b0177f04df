"""The `netvault` Click group. Commands load lazily so `--help` and `list` start fast."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from .. import __version__

# name -> (module under netvault.cli, one-line help, an example). Modules define `command`.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("init", "Create a new vault (never overwrites anything).",
             'netvault init ~/network --name "Sam Rivera"'),
    "add": ("add", "Add a contact note from the contact template.",
            'netvault add "Ada Okafor" --tie trusted --met yesterday'),
    "set": ("set_fields", "Change a contact's front-matter: KEY=VALUE, lists with += and -=.",
            'netvault set "Ada Okafor" tie=oak tags+=mentor'),
    "edit": ("edit_note", "Open a contact's note in $EDITOR, or print its Obsidian link.",
             'netvault edit "Ada Okafor" --obsidian'),
    "show": ("show", "Show a contact: details, interactions, tasks, favours, links.",
             'netvault show "zoe nunez"'),
    "list": ("listing", "List contacts, filtered (tag, company, location, tie...) and sorted.",
             "netvault list --location Berlin --min-tie trusted --sort tie"),
    "search": ("search", "Who is who, where, offers or needs what: fields and note text.",
               "netvault search dbt"),
    "check": ("check", "Report every problem in the vault.", "netvault check --strict"),
    "summary": ("summary", "A short overview of the vault.", "netvault summary"),
    "log": ("log", "Log an interaction with a contact; moves last_met and first_met.",
            'netvault log "Tom Whitaker" "called him" --channel call'),
    "due": ("due", "Who is overdue for contact, most overdue for their cadence first.",
            "netvault due --within 14d"),
    "oaks": ("oaks", "The oak-tree circle: neglected, not yet time-tested, candidates.",
             "netvault oaks"),
    "unmet": ("unmet", "Contacts (tie 2+) you have never met in person, closest first.",
              "netvault unmet"),
    "todo": ("todo", "Open follow-up tasks across the vault, overdue first.",
             "netvault todo --overdue"),
    "favors": ("favors", "Favours you did and received per person; those you owe first.",
               'netvault favors "Ada Okafor"'),
    "today": ("today", "Today's digest: who is due, follow-ups, birthdays; silent if none.",
              "netvault today"),
    "graph": ("graph", "The network as a picture: Mermaid, dot, GraphML or JSON.",
              "netvault graph --format dot > network.dot"),
    "watch": ("watch", "Keep the index and the report current while you edit; Ctrl-C stops.",
              "netvault watch"),
    "report": ("report", "Network health on one page: markdown note or self-contained HTML.",
               "netvault report --format html --out network.html"),
    "path": ("path", "Warm paths to a person, company or role, via people who know your work.",
             'netvault path "Acme Robotics"'),
    "brief": ("brief", "One screen before a meeting: how you met, follow-ups, who you both know.",
              'netvault brief "Ada Okafor"'),
    "capture": ("capture", "Run the calendar and mail imports listed in your own config (cron).",
                "netvault capture"),
    "import": ("import_group", "Import contacts (vCard, LinkedIn, Google), meetings or mail.",
               "netvault import calendar work.ics --dry-run"),
    "export": ("export", "Export contacts as vCard, CSV or JSON, honouring consent.",
               "netvault export vcard --out share.vcf"),
    "remind": ("remind", "Write follow-ups and keep-in-touch reminders to an .ics calendar.",
               "netvault remind --ics follow-ups.ics"),
    "history": ("history", "How the network changed, month by month, from git history.",
                "netvault history --since 1y"),
    "merge": ("merge", "Merge a duplicate contact into the one you keep; relinks the vault.",
              'netvault merge "Ada Okafor" "Ada O."'),
    "intro": ("intro", "Introduce two people: guard rails first, then double opt-in drafts.",
              'netvault intro "Ben Carter" "Kenji Watanabe" --why "hiring"'),
    "intros": ("intros", "List introductions and where each stands.",
               "netvault intros --status asked"),
    "intro-update": ("intro_update", "Record an intro's answers and outcome; drafts, logs.",
                     'netvault intro-update "2026-11-25 Ben" --a yes --b no'),
    "suggest": ("suggest", "Introductions worth making, ranked, with reasons.",
                "netvault suggest --limit 3"),
    "hub": ("hub", "Your hub stats: intros made, acceptance, outcomes, who to introduce.",
            "netvault hub"),
    "completion": ("completion", "Print the shell completion script (bash, zsh or fish).",
                   "netvault completion bash"),
    "team": ("team", "Team warm paths over git: publish, pull, path, who, members, leave.",
             'netvault team path "Fabrikam"'),
}

# The sections of `netvault --help`, in the order people need them.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Tend your ties", ("today", "brief", "due", "log", "set", "edit", "oaks", "unmet", "todo",
                        "favors", "remind")),
    ("Introduce and be introduced", ("intro", "intros", "intro-update", "suggest", "hub",
                                     "path", "team")),
    ("See the network", ("show", "list", "search", "summary", "report", "graph", "history",
                         "watch")),
    ("Bring people in and out", ("add", "import", "capture", "export", "merge")),
    ("The vault", ("init", "check", "completion")),
)


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module = importlib.import_module(f"netvault.cli.{entry[0]}")
        command: click.Command = module.command
        example = f"Example:\n\n\b\n  {entry[2]}"
        if command.epilog is None:
            command.epilog = example
        elif entry[2] not in command.epilog:
            command.epilog += "\n\n" + example
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        width = max(len(name) for name in COMMANDS)
        for title, names in GROUPS:
            with formatter.section(title):
                formatter.write_dl(
                    [
                        row
                        for name in names
                        for row in (
                            (name.ljust(width), COMMANDS[name][1]),
                            ("", "$ " + COMMANDS[name][2]),
                        )
                    ]
                )

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
    "holding .netvault.toml or .obsidian/; never / or the home folder itself unless named "
    "here). Outside a vault every command but init exits 2.",
)
@click.version_option(__version__, prog_name="netvault")
@click.pass_context
def cli(ctx: click.Context, vault: Path | None) -> None:
    """Keep your professional network as a plain-markdown vault."""
    import os

    from .common import Runtime

    if os.environ.get("NO_COLOR"):  # https://no-color.org: set and not empty
        ctx.color = False
    ctx.obj = Runtime(vault)
