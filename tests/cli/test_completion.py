"""Shell completion: the scripts, and contact names and intro ids completed from the index."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from click.testing import CliRunner
from conftest import Vault

from netvault.cli import cli


def complete(vault: Vault, words: str, shell: str = "zsh") -> list[str]:
    """What the shell would offer after `netvault --vault V <words>`, via Click's protocol."""
    line = f"netvault --vault {vault.root} {words}"
    result = CliRunner().invoke(
        cli,
        [],
        prog_name="netvault",
        env={
            "_NETVAULT_COMPLETE": f"{shell}_complete",
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(line.split()) - (0 if words.endswith(" ") else 1)),
        },
    )
    assert result.exit_code == 0, result.output
    if shell == "zsh":  # (type, value, help) triples
        lines = result.output.splitlines()
        return [lines[i + 1] for i in range(0, len(lines), 3) if lines[i] == "plain"]
    return [row.split(",", 1)[1] for row in result.output.splitlines()]


def people(vault: Vault) -> Vault:
    vault.write("people/Ada Okafor.md", "---\nname: Ada Okafor\naliases: [Ada O.]\n---\n")
    vault.write("people/Zoë Ñúñez.md", "---\nname: Zoë Ñúñez\n---\n")
    vault.write("people/Ben Carter.md", "---\nname: Ben Carter\n---\n")
    vault.write(
        "intros/2026-11-01 Ada Okafor -- Ben Carter.md",
        "---\ntype: intro\na: '[[Ada Okafor]]'\nb: '[[Ben Carter]]'\nstatus: asked\n---\n",
    )
    return vault


def test_contact_names_complete_case_and_accent_free(vault: Vault) -> None:
    people(vault)
    assert complete(vault, "show ad") == ["Ada O.", "Ada Okafor"]
    assert complete(vault, "log zo") == ["Zoë Ñúñez"]
    assert complete(vault, "intro Ada ") == ["Ada O.", "Ada Okafor", "Ben Carter", "Zoë Ñúñez"]


def test_bash_gets_names_escaped_as_one_word(vault: Vault) -> None:
    people(vault)
    assert complete(vault, "show ben", shell="bash") == ["Ben\\ Carter"]


def test_intro_ids_complete(vault: Vault) -> None:
    people(vault)
    assert complete(vault, "intro-update 2026") == ["2026-11-01 Ada Okafor -- Ben Carter"]


def test_commands_complete(vault: Vault) -> None:
    assert "completion" in complete(vault, "comp")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_a_script_the_shell_accepts(shell: str) -> None:
    result = CliRunner().invoke(cli, ["completion", shell])
    assert result.exit_code == 0
    assert "_NETVAULT_COMPLETE" in result.output
    program = shutil.which(shell)
    if program is None:
        pytest.skip(f"{shell} is not installed")
    check = [program, "-n"] if shell != "fish" else [program, "--no-execute"]
    done = subprocess.run([*check], input=result.output, capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 0, done.stderr


def test_completion_needs_a_known_shell() -> None:
    result = CliRunner().invoke(cli, ["completion", "tcsh"])
    assert result.exit_code == 2
