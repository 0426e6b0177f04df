"""The README's tour, executed: every `tour ...` command runs on a copy of sample-vault/ and
exits as the README says (0, or 1 where its comment says "exits 1")."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from netvault.cli import cli

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
TOUR_VAULT = "/tmp/netvault-tour"
TOUR_DAY = "2026-11-25"


def shell_lines(markdown: str) -> list[str]:
    """Every line of the ```sh blocks, in order."""
    blocks = re.findall(r"^```sh\n(.*?)^```$", markdown, re.MULTILINE | re.DOTALL)
    return [line for block in blocks for line in block.splitlines()]


def tour_commands() -> list[str]:
    return [line for line in shell_lines(README) if line.startswith("tour ")]


def test_the_readme_starts_with_the_two_commands_and_pins_today_only_in_the_tour() -> None:
    first_block = shell_lines(README)[:2]
    assert [line.split()[:2] for line in first_block] == [["make", "demo"], ["make", "test"]]
    assert README.index("make demo") < README.index("##")
    lines = shell_lines(README)
    assert f"rm -rf {TOUR_VAULT} && cp -R sample-vault {TOUR_VAULT}" in lines
    assert (
        f'tour() {{ NETVAULT_TODAY={TOUR_DAY} netvault --vault {TOUR_VAULT} "$@"; }}' in lines
    )
    assert "export NETVAULT_TODAY" not in README
    assert "pipx install ." in README and "pip install --user ." in README


def test_every_tour_command_runs_on_a_copy_of_the_sample_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = tmp_path / "netvault-tour"
    shutil.copytree(REPO / "sample-vault", vault)
    monkeypatch.chdir(REPO)  # the tour reads tests/fixtures/... from the repository
    commands = tour_commands()
    assert len(commands) >= 30
    runner = CliRunner()
    for line in commands:
        words = [w.replace(TOUR_VAULT, str(vault)) for w in shlex.split(line, comments=True)]
        args, redirect = words[1:], None
        if ">" in args:
            at = args.index(">")
            args, redirect = args[:at], Path(args[at + 1])
        expected = 1 if "# exits 1" in line else 0
        result = runner.invoke(
            cli, ["--vault", str(vault), *args], env={"NETVAULT_TODAY": TOUR_DAY}
        )
        assert result.exit_code == expected, (line, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), line
        if redirect is not None:
            redirect.write_text(result.stdout, encoding="utf-8")
    assert (vault / "network.html").is_file() and (vault / "network.graphml").is_file()
    assert not (vault / "people" / "A. Okafor.md").exists()  # merged into Ada Okafor
    assert (REPO / "sample-vault" / "people" / "Tom Whitaker.md").read_bytes() != (
        vault / "people" / "Tom Whitaker.md"
    ).read_bytes()
