"""init, add, show, list, search, check, summary through the real CLI on real folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY, Vault

from netvault.cli import cli


def small_vault(vault: Vault) -> Vault:
    vault.write(".netvault.toml", '[owner]\nname = "Sam Rivera"\n')
    vault.write(
        "people/Ada Okafor.md",
        "---\naliases: [Ada]\ntie: 5\nfirst_met: 2017-05-01\nlast_met: 2026-10-01\n"
        "company: Northwind\nrole: Staff Engineer\nrelationship: [former-colleague]\n"
        "tags: [data]\nemail: ada@example.org\n---\n## Log\n"
        "- 2026-10-01 (in person) coffee, spoke about [[Ben Carter]] #got\n"
        "- [ ] send the paper 📅 2026-11-01\n",
    )
    vault.write(
        "people/Ben Carter.md",
        "---\ntie: 3\nlast_met: 2025-03-01\ncompany: Acme Robotics\nrole: CTO\n"
        "relationship: friend\n---\nLoves sailing.\n",
    )
    vault.write("people/events/Zoë Ñúñez.md", "---\ntie: 1\ntags: [data, event]\n---\n")
    return vault


def test_check_prints_each_problem_then_a_count_and_exits_1(vault: Vault) -> None:
    small_vault(vault)
    vault.write("people/Broken.md", "---\ntie: lots\n---\n[[Nobody]]\n")
    result = vault.run("check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "people/Broken.md:2: error bad-tie: tie must be 1-5 or one of acquaintance, contact, "
        "knows-my-work, trusted, oak; got 'lots'",
        "people/Broken.md:4: warning broken-link: [[Nobody]] matches no note",
        "1 of 4 notes had problems: 1 error, 1 warning (4 contacts)",
    ]
    data = vault.json("check")
    assert data["notes"] == 4 and data["contacts"] == 4
    assert data["problems"][0] == {
        "path": "people/Broken.md",
        "line": 2,
        "severity": "error",
        "code": "bad-tie",
        "message": "tie must be 1-5 or one of acquaintance, contact, knows-my-work, trusted, "
        "oak; got 'lots'",
    }


def test_check_warnings_only_pass_unless_strict(vault: Vault) -> None:
    small_vault(vault)
    vault.write("people/Linker.md", "[[Nobody]]\n")
    assert vault.run("check").exit_code == 0
    assert vault.run("check", "--strict").exit_code == 1
    clean = small_vault(Vault(vault.root.parent / "clean"))
    result = clean.run("check", "--strict")
    assert (result.exit_code, result.stdout) == (0, "No problems in 3 notes (3 contacts).\n")


def test_list_filters_sorts_and_json_fields(vault: Vault) -> None:
    small_vault(vault)
    names = [c["name"] for c in vault.json("list", "--sort", "tie")["contacts"]]
    assert names == ["Ada Okafor", "Ben Carter", "Zoë Ñúñez"]
    names = [c["name"] for c in vault.json("list", "--tag", "data")["contacts"]]
    assert names == ["Ada Okafor", "Zoë Ñúñez"]
    assert [c["name"] for c in vault.json("list", "--min-tie", "3")["contacts"]] == [
        "Ada Okafor",
        "Ben Carter",
    ]
    assert [c["name"] for c in vault.json("list", "--company", "acme robotics")["contacts"]] == [
        "Ben Carter"
    ]
    assert [
        c["name"] for c in vault.json("list", "--relationship", "former-colleague")["contacts"]
    ] == ["Ada Okafor"]
    names = [c["name"] for c in vault.json("list", "--sort", "last-met")["contacts"]]
    assert names == ["Ada Okafor", "Ben Carter", "Zoë Ñúñez"]
    ada = vault.json("list")["contacts"][0]
    for key in ("name", "path", "aliases", "tags", "tie", "first_met", "last_met",
                "met_in_person", "company", "role", "relationship"):
        assert key in ada
    assert (ada["first_met"], ada["met_in_person"], ada["relationship"]) == (
        "2017-05-01", True, ["former-colleague"]
    )
    assert "email" not in ada
    human = vault.run("list", "--min-tie", "5").stdout.splitlines()
    assert human == [
        "Ada Okafor  5 oak            2026-10-01  Staff Engineer · Northwind",
        "1 contact",
    ]


def test_show_finds_accents_aliases_and_suggests(vault: Vault) -> None:
    small_vault(vault)
    data = vault.json("show", "ada")
    assert data["name"] == "Ada Okafor"
    assert data["email"] == ["ada@example.org"]
    assert data["favors"] == {"given": 0, "received": 1}
    assert data["open_tasks"][0]["due"] == "2026-11-01"
    assert data["links_out"] == ["Ben Carter"]
    assert vault.json("show", "Ben Carter")["backlinks"] == ["Ada Okafor"]
    assert vault.json("show", "zoe nunez")["name"] == "Zoë Ñúñez"
    missing = vault.run("show", "Ben Crter")
    assert missing.exit_code == 1
    assert "no contact named 'Ben Crter'; did you mean 'Ben Carter'?" in missing.output
    text = vault.run("show", "Ada").stdout
    assert "2026-10-01 (in person) coffee, spoke about [[Ben Carter]] #got" in text
    assert "[ ] send the paper (due 2026-11-01)" in text


def test_search_ranks_names_companies_and_note_text(vault: Vault) -> None:
    small_vault(vault)
    results = vault.json("search", "acme")["results"]
    assert [r["name"] for r in results] == ["Ben Carter"]
    assert results[0]["field"] == "company"
    assert [r["name"] for r in vault.json("search", "sailing")["results"]] == ["Ben Carter"]
    assert vault.json("search", "okafor")["results"][0]["name"] == "Ada Okafor"
    assert vault.run("search", "qqqqzz").stdout == "Nothing matches 'qqqqzz'.\n"


def test_add_writes_a_parseable_note_and_refuses_clashes(vault: Vault) -> None:
    small_vault(vault)
    result = vault.run(
        "add", "Chloé Martin", "--tie", "2", "--company", "Initech", "--email", "c@x.org",
        "--met", "2026-11-20", "--in-person", "--tag", "event",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "Created people/Chloé Martin.md\n"
    data = vault.json("show", "chloe martin")
    assert (data["tie"], data["company"], data["email"], data["tags"]) == (
        2, "Initech", ["c@x.org"], ["event"]
    )
    assert (data["first_met"], data["met_in_person"]) == ("2026-11-20", True)
    assert vault.run("check").exit_code == 0
    again = vault.run("add", "chloe martin")
    assert again.exit_code == 1 and "already a contact" in again.output
    assert vault.run("add", "Ada").exit_code == 1  # an alias is taken too
    for bad in ("../escape", "/etc/passwd", "a:b", ".hidden", "CON", "x|y"):
        result = vault.run("add", bad)
        assert result.exit_code == 2, (bad, result.output)
    assert not (vault.root.parent / "escape.md").exists()
    assert vault.run("add", "Someone", "--met", "2026-02-30").exit_code == 2


def test_init_creates_a_vault_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "new"
    runner = CliRunner()
    result = runner.invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    for part in ("people", "intros", ".netvault/templates/README.md", ".netvault.toml"):
        assert (target / part).exists()
    (target / ".netvault.toml").write_text("# mine\n")
    again = runner.invoke(cli, ["init", str(target), "--json"])
    assert json.loads(again.stdout)["created"] == []
    assert (target / ".netvault.toml").read_text() == "# mine\n"


def test_vault_is_found_from_env_or_upward(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    small_vault(vault)
    runner = CliRunner()
    env_run = runner.invoke(cli, ["list", "--json"], env={"NETVAULT_VAULT": str(vault.root)})
    assert len(json.loads(env_run.stdout)["contacts"]) == 3
    monkeypatch.chdir(vault.root / "people" / "events")
    upward = runner.invoke(cli, ["list", "--json"], env={"NETVAULT_TODAY": TODAY})
    assert len(json.loads(upward.stdout)["contacts"]) == 3


def test_usage_errors_exit_2(vault: Vault) -> None:
    small_vault(vault)
    assert vault.run("list", "--min-tie", "9").exit_code == 2
    assert vault.run("nonsense").exit_code == 2
    assert vault.run("lsit").output.count("Did you mean list?") == 1
    assert vault.run("list", today="2026-02-30").exit_code == 2
    missing = CliRunner().invoke(cli, ["--vault", str(vault.root / "nope"), "list"])
    assert missing.exit_code == 2


def test_summary_counts(vault: Vault) -> None:
    small_vault(vault)
    data = vault.json("summary")
    assert data["contacts"] == 3
    assert data["by_tie"] == {"1": 1, "2": 0, "3": 1, "4": 0, "5": 1, "none": 0}
    assert data["oaks"] == ["Ada Okafor"]
    assert data["met_in_person"] == 1


def test_add_accepts_names_ending_in_a_dot(vault: Vault) -> None:
    result = vault.run("add", "John Doe Sr.")
    assert result.exit_code == 0, result.output
    assert (vault.root / "people" / "John Doe Sr..md").is_file()
    assert vault.json("show", "John Doe Sr.")["name"] == "John Doe Sr."


def test_check_reports_intro_notes_it_cannot_read(vault: Vault) -> None:
    small_vault(vault)
    vault.write("intros/2026-11-01 Ada -- Ben.md", "---\ntype: intro\na: '[[Ada Okafor]]'\n---\n")
    data = vault.json("check")
    codes = {(p["path"], p["code"]) for p in data["problems"]}
    assert ("intros/2026-11-01 Ada -- Ben.md", "bad-intro") in codes


def test_search_tolerates_typos_but_not_loose_overlaps(vault: Vault) -> None:
    small_vault(vault)
    vault.write("people/Grace Adeyemi.md", "---\ntie: 3\n---\n")
    vault.write("people/Emma Johansson.md", "---\naliases: [Em]\ntie: 2\n---\n")
    assert [r["name"] for r in vault.json("search", "acme")["results"]] == ["Ben Carter"]
    assert [r["name"] for r in vault.json("search", "okafr")["results"]] == ["Ada Okafor"]
    assert [r["name"] for r in vault.json("search", "grace adeyem")["results"]] == [
        "Grace Adeyemi"
    ]
