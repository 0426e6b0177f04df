"""The shipped sample vault: `check` finds exactly the planted problems, nothing else."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from netvault.cli import cli

SAMPLE = Path(__file__).resolve().parent.parent / "sample-vault"

PLANTED = [
    ("broken/Bad Yaml.md", 5, "error", "yaml"),
    ("broken/Dangling Link.md", 8, "warning", "broken-link"),
    ("broken/Impossible Date.md", 5, "error", "bad-date"),
    ("broken/Latin1 Name.md", 3, "error", "encoding"),
    ("broken/Unclosed Frontmatter.md", 1, "warning", "unclosed-front-matter"),
    ("broken/Wrong Tie.md", 3, "error", "bad-tie"),
]


def test_check_reports_exactly_the_planted_problems() -> None:
    result = CliRunner().invoke(
        cli, ["--vault", str(SAMPLE), "check", "--json"], env={"NETVAULT_TODAY": "2026-11-25"}
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    found = [(p["path"], p["line"], p["severity"], p["code"]) for p in data["problems"]]
    assert found == PLANTED
    assert data["contacts"] >= 40


def test_planted_problems_are_documented_in_the_broken_folder() -> None:
    readme = (SAMPLE / "broken" / "README.md").read_text(encoding="utf-8")
    for path, line, _, _ in PLANTED:
        assert Path(path).name in readme
        assert str(line) in readme
