"""History from a real git repository with dated commits."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import pytest

from netvault.config import Config
from netvault.history import History, HistoryUnavailable, history

# Git must not read the machine's or the user's settings (signing, hooks, default branch).
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Sam",
    "GIT_AUTHOR_EMAIL": "sam@example.org",
    "GIT_COMMITTER_NAME": "Sam",
    "GIT_COMMITTER_EMAIL": "sam@example.org",
}


def git(repo: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, **GIT_ENV}
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{when}T12:00:00+00:00"
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def write(root: Path, relpath: str, text: str) -> None:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def commit(repo: Path, when: str, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)


def person(name: str, tie: int, last_met: str | None = None, log: str = "") -> str:
    met = f"last_met: {last_met}\n" if last_met else ""
    return f"---\nname: {name}\ntie: {tie}\n{met}---\n# {name}\n\n## Log\n{log}"


def intro(status: str) -> str:
    return (
        f'---\ntype: intro\na: "[[Ada Okafor]]"\nb: "[[Ben Carter]]"\nstatus: {status}\n---\n'
        "# Ada and Ben\n"
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A vault with four months of history."""
    root = tmp_path / "vault"
    root.mkdir()
    git(root, "init", "-q")
    write(root, "people/Ada Okafor.md", person("Ada Okafor", 3))
    write(root, "people/Ben Carter.md", person("Ben Carter", 2))
    write(root, "intros/2026-08-10 Ada Okafor -- Ben Carter.md", intro("asked"))
    commit(root, "2026-08-10", "start")

    write(
        root,
        "people/Ada Okafor.md",
        person("Ada Okafor", 4, log="- 2026-09-14 (in person) lunch at Cocolo\n"),
    )
    write(root, "people/Ben Carter.md", person("Ben Carter", 2, last_met="2026-09-12"))
    write(root, "daily/2026-09-15.md", "Coffee with [[Ada Okafor]].\n")
    commit(root, "2026-09-15", "tend")

    (root / "people/Ben Carter.md").rename(root / "people/Benjamin Carter.md")
    write(root, "people/Benjamin Carter.md", person("Ben Carter", 1, last_met="2026-09-12"))
    write(root, "intros/2026-08-10 Ada Okafor -- Ben Carter.md", intro("made"))
    write(root, "people/Cy Young.md", person("Cy Young", 1))
    commit(root, "2026-10-03", "rename, intro made, new contact")

    (root / "people/Cy Young.md").unlink()
    write(
        root,
        "people/Ada Okafor.md",
        person("Ada Okafor", 4, log="- 2026-09-14 (in person) lunch at Cocolo\n")
        + "\nShe runs the data platform group.\n",
    )
    commit(root, "2026-11-20", "tidy")
    return root


def months(found: History) -> dict[str, list[tuple[str, str, object]]]:
    out: dict[str, list[tuple[str, str, object]]] = {}
    for month in found.months:
        out[month.month] = [
            (
                e.kind,
                e.name,
                (e.tie_from, e.tie_to) if e.kind.startswith("tie") else e.met_on or e.other,
            )
            for e in month.events
        ]
    return out


def test_history_month_by_month(repo: Path) -> None:
    found = history(repo, Config())
    assert found.commits == 4
    assert months(found) == {
        "2026-08": [
            ("added", "Ada Okafor", None),
            ("added", "Ben Carter", None),
        ],
        "2026-09": [
            ("tie_up", "Ada Okafor", (3, 4)),
            ("met", "Ada Okafor", date(2026, 9, 14)),
            ("met", "Ben Carter", date(2026, 9, 12)),
        ],
        "2026-10": [
            ("intro_made", "Ada Okafor", "Ben Carter"),
            ("tie_down", "Ben Carter", (2, 1)),
            ("added", "Cy Young", None),
        ],
        "2026-11": [("removed", "Cy Young", None)],
    }
    rename = next(e for e in found.events if e.kind == "tie_down")
    assert rename.path == "people/Benjamin Carter.md"  # a rename is neither added nor removed
    assert (found.count("added"), found.count("removed")) == (3, 1)


def test_since_keeps_only_recent_commits(repo: Path) -> None:
    found = history(repo, Config(), since=date(2026, 10, 1))
    assert found.commits == 2
    assert list(months(found)) == ["2026-10", "2026-11"]


def test_a_vault_inside_a_bigger_repository_reads_its_own_paths(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    vault = repo / "notes" / "network"
    vault.mkdir(parents=True)
    git(repo, "init", "-q")
    write(repo, "people/Outside.md", person("Outside", 3))
    write(vault, "people/Ada Okafor.md", person("Ada Okafor", 3))
    commit(repo, "2026-08-10", "both")
    found = history(vault, Config())
    assert [(e.kind, e.path) for e in found.events] == [("added", "people/Ada Okafor.md")]


def test_not_a_repository_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "v").mkdir()
    with pytest.raises(HistoryUnavailable, match="is not a git repository"):
        history(tmp_path / "v", Config())


def test_a_repository_without_commits_has_no_history(tmp_path: Path) -> None:
    root = tmp_path / "v"
    root.mkdir()
    git(root, "init", "-q")
    assert history(root, Config()) == History(None, 0, ())


def test_missing_git_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(HistoryUnavailable, match="git is not installed"):
        history(tmp_path, Config())
