"""`netvault completion bash|zsh|fish`: the script that teaches a shell to complete netvault.

Commands and options complete from Click; contact names and intro ids complete from the
vault's index. Enable it with one line in the shell's start-up file, e.g. for bash:
`eval "$(netvault completion bash)"`.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from click.shell_completion import CompletionItem, get_completion_class

SHELLS = ("bash", "zsh", "fish")
_COMPLETE_VAR = "_NETVAULT_COMPLETE"


def _index_for(ctx: click.Context) -> object | None:
    """The index of the vault the command line names, or None; completion never fails loudly."""
    from ..index import load_index
    from ..vaultfs import find_vault

    vault = ctx.find_root().params.get("vault")
    try:
        root = Path(vault).resolve() if vault else find_vault(Path.cwd())
        return load_index(root)
    except Exception:  # a half-typed command line must never print a traceback into the shell
        return None


def _escaped(value: str) -> str:
    # Bash inserts a completion as typed text: escape what it would otherwise split on.
    if os.environ.get(_COMPLETE_VAR, "").startswith("bash"):
        return "".join("\\" + ch if ch in " '\"()&;|<>$`\\!*?[]#~" else ch for ch in value)
    return value


def complete_contact(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Contact names (and aliases) that start with what is typed, case- and accent-free."""
    from ..index import Index
    from ..parse import fold

    index = _index_for(ctx)
    if not isinstance(index, Index):
        return []
    typed = fold(incomplete)
    names = sorted({c.name for c in index.contacts if fold(c.name).startswith(typed)}
                   | {a for c in index.contacts for a in c.aliases if fold(a).startswith(typed)},
                   key=fold)
    return [CompletionItem(_escaped(name)) for name in names]


def complete_intro(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Intro ids (the intro notes' file names) that start with what is typed."""
    from ..index import Index
    from ..intros import read_intros
    from ..parse import fold

    index = _index_for(ctx)
    if not isinstance(index, Index):
        return []
    typed = fold(incomplete)
    ids = sorted(i.id for i in read_intros(index)[0] if fold(i.id).startswith(typed))
    return [CompletionItem(_escaped(intro_id)) for intro_id in ids]


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
