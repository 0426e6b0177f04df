"""`netvault completion bash|zsh|fish`: the script that teaches a shell to complete netvault.

Commands and options complete from Click; contact names and intro ids complete from the
vault's index. Enable it with one line in the shell's start-up file, e.g. for bash:
`eval "$(netvault completion bash)"`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.shell_completion import CompletionItem, get_completion_class

if TYPE_CHECKING:
    from ..index import Index

SHELLS = ("bash", "zsh", "fish")
_COMPLETE_VAR = "_NETVAULT_COMPLETE"


def _offer(
    ctx: click.Context, incomplete: str, labels: Callable[[Index], Iterable[str]]
) -> list[CompletionItem]:
    """The labels of the vault the command line names that start with what is typed, case- and
    accent-free; nothing at all when the vault cannot be read (never an error in the shell)."""
    from ..index import load_index
    from ..parse import fold
    from ..vaultfs import find_vault

    vault = ctx.find_root().params.get("vault")
    try:
        index = load_index(Path(vault).resolve() if vault else find_vault(Path.cwd()))
        offered = set(labels(index))
    except Exception:  # a half-typed command line must never print a traceback into the shell
        return []
    typed = fold(incomplete)
    chosen = sorted((label for label in offered if fold(label).startswith(typed)), key=fold)
    return [CompletionItem(_escaped(label)) for label in chosen]


def _escaped(value: str) -> str:
    # Bash inserts a completion as typed text: escape what it would otherwise split on.
    if os.environ.get(_COMPLETE_VAR, "").startswith("bash"):
        return "".join("\\" + ch if ch in " '\"()&;|<>$`\\!*?[]#~" else ch for ch in value)
    return value


def complete_contact(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Contact names and aliases."""
    return _offer(
        ctx, incomplete, lambda index: (n for c in index.contacts for n in (c.name, *c.aliases))
    )


def complete_intro(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Intro ids: the intro notes' file names."""
    from ..intros import read_intros

    return _offer(ctx, incomplete, lambda index: (i.id for i in read_intros(index)[0]))


@click.command()
@click.argument("shell", type=click.Choice(SHELLS))
def command(shell: str) -> None:
    """Print the completion script for SHELL; enable it with one line in your shell's
    start-up file:

    \b
      bash (~/.bashrc):                 eval "$(netvault completion bash)"
      zsh (~/.zshrc):                   eval "$(netvault completion zsh)"
      fish (~/.config/fish/config.fish): netvault completion fish | source
    """
    from . import cli

    completion = get_completion_class(shell)
    assert completion is not None  # every name in SHELLS is one of Click's shells
    script = completion(cli, {}, "netvault", _COMPLETE_VAR).source()
    click.echo(script, nl=False)
