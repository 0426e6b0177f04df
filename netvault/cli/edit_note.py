"""`netvault edit NAME`: open a contact's note in your editor, or in Obsidian."""

from __future__ import annotations

import click

from .common import emit_json, json_option, lookup, runtime
from .completion import complete_contact


def obsidian_link(vault_name: str, relpath: str) -> str:
    """The `obsidian://open` URI of a note: vault by folder name, file without `.md`."""
    from urllib.parse import quote

    file = relpath[:-3] if relpath.lower().endswith(".md") else relpath
    return f"obsidian://open?vault={quote(vault_name, safe='')}&file={quote(file, safe='')}"


@click.command()
@click.argument("name", shell_complete=complete_contact)
@click.option("--obsidian", is_flag=True, help="Print the obsidian:// link instead.")
@json_option
def command(name: str, obsidian: bool, as_json: bool) -> None:
    """Open NAME's note in $VISUAL or $EDITOR, then check what you changed.

    With --obsidian, print the obsidian://open link to the note (open it, or click it in a
    terminal that makes links clickable).
    """
    import os

    rt = runtime()
    index = rt.index(quiet=True)
    contact = lookup(index, name)
    path = rt.root / contact.path
    link = obsidian_link(rt.root.name, contact.path)
    if obsidian:
        if as_json:
            emit_json({"name": contact.name, "path": contact.path, "obsidian": link})
        else:
            click.echo(link)
        return
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise click.UsageError(
            "set $VISUAL or $EDITOR to your editor (e.g. export EDITOR=nano), "
            "or use --obsidian"
        )
    # No shell: a note's file name comes from a vault that may have come from anyone, and a
    # shell would run `$(...)` in it (click.edit passes the name through one).
    import shlex
    import subprocess

    try:
        subprocess.run([*shlex.split(editor), str(path)], check=True)
    except (OSError, ValueError, subprocess.CalledProcessError) as exc:
        raise click.ClickException(f"the editor {editor!r} failed: {exc}") from None
    from ..parse import parse_note

    parsed = parse_note(contact.path, path.read_bytes(), index.config.contact_rule)
    problems = list(parsed.problems)
    if as_json:
        emit_json(
            {
                "name": contact.name,
                "path": contact.path,
                "obsidian": link,
                "problems": [p.to_json() for p in problems],
            }
        )
    else:
        for problem in problems:
            click.echo(problem.format())
    if any(p.severity == "error" for p in problems):
        raise SystemExit(1)
