"""`netvault path TARGET` through the real CLI on a real folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from netvault.cli import COMMANDS, cli


def write_note(vault: Path, relpath: str, text: str) -> None:
    (vault / relpath).parent.mkdir(parents=True, exist_ok=True)
    (vault / relpath).write_text(text, encoding="utf-8")


def run(vault: Path, *args: str) -> Result:
    return CliRunner().invoke(
        cli, ["--vault", str(vault), "path", *args], env={"NETVAULT_TODAY": "2026-11-25"}
    )


def run_json(vault: Path, *args: str) -> Any:
    result = run(vault, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def network(vault: Path) -> Path:
    """Victor is the target; Ada (former colleague) and Lucía (friend) both know him."""
    write_note(
        vault,
        "people/Victor Huang.md",
        "---\ntie: 1\nrelationship: [event]\ncompany: Acme Robotics\n"
        "role: Director of Data Platform\nfirst_met: 2026-05-20\n---\n"
        "Plays five-a-side with [[Ben Carter]].\n",
    )
    write_note(
        vault,
        "people/Ada Okafor.md",
        "---\ntie: 3\nrelationship: [former-colleague]\npronouns: she/her\ncompany: Contoso\n"
        "first_met: 2019-03-06\nlast_met: 2026-10-02\n---\n"
        "## Log\n- 2026-10-02 (call) told me [[Victor Huang]] is hiring\n",
    )
    write_note(
        vault,
        "people/Lucía Fernández.md",
        "---\ntie: 5\nrelationship: [friend]\ncompany: Brightcart\n"
        "first_met: 2020-09-19\nlast_met: 2026-10-30\n---\nBelays for [[Victor Huang]].\n",
    )
    write_note(
        vault,
        "people/Ben Carter.md",
        "---\ntie: 2\nrelationship: [former-colleague]\ncompany: Ledgerline\n"
        "first_met: 2021-04-12\nlast_met: 2026-11-10\n---\nOnboarding buddy.\n",
    )
    write_note(
        vault,
        "people/Greg Novak.md",
        "---\ntie: 4\nrelationship: [former-colleague]\ncompany: Vandelay\n"
        "first_met: 2017-01-09\nlast_met: 2025-12-10\n---\nStill in touch with [[Ben Carter]].\n",
    )
    return vault


def test_path_is_a_registered_command(tmp_path: Path) -> None:
    assert COMMANDS["path"][0] == "path"
    result = CliRunner().invoke(cli, ["--vault", str(tmp_path), "--help"])
    assert "  path " in result.stdout


def test_human_output_lists_numbered_paths_with_reasons_and_who_was_not_asked(
    tmp_path: Path,
) -> None:
    result = run(network(tmp_path), "victor huang")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Person: Victor Huang",
        "1. You -> Ada Okafor -> Victor Huang"
        "  (score 14.75 = vouches for you 8.75 + knows the target 6)",
        "     Ada Okafor is a former colleague (can vouch for your work)",
        "     tie 3 knows-my-work",
        "     known 7 years",
        "     last in touch 2026-10-02",
        "     links to Victor Huang in her note",
        "2. You -> Greg Novak -> Ben Carter -> Victor Huang"
        "  (score 14.15 = vouches for you 9.65 + knows the target 6 - extra hop 1.5)",
        "     Greg Novak is a former colleague (can vouch for your work)",
        "     tie 4 trusted",
        "     known 9 years",
        "     last in touch 2025-12-10",
        "     links to Ben Carter in their note",
        "     Ben Carter is linked from Victor Huang's note",
        "     one more hop: Ben Carter has to pass you on (-1.5)",
        "3. You -> Lucía Fernández -> Victor Huang"
        "  (score 11.7 = vouches for you 5.7 + knows the target 6)",
        "     Lucía Fernández is a friend (a friend cannot vouch for your work)",
        "     tie 5 oak",
        "     known 6 years",
        "     last in touch 2026-10-30",
        "     links to Victor Huang in their note",
        "Not asked (tie below 3: people who barely know you cannot vouch for you):",
        "  Ben Carter: is linked from Victor Huang's note, but your tie is only 2 (contact); "
        "an introducer needs 3 or more",
    ]


def test_json_document(tmp_path: Path) -> None:
    data = run_json(network(tmp_path), "Victor Huang")

    assert set(data) == {
        "target", "kind", "min_tie", "matches", "total_paths", "ranking", "paths", "excluded"
    }
    assert (data["target"], data["kind"], data["min_tie"]) == ("Victor Huang", "person", 3)
    assert data["matches"] == ["Victor Huang"]
    assert [p["hops"] for p in data["paths"]] == [
        ["Ada Okafor", "Victor Huang"],
        ["Greg Novak", "Ben Carter", "Victor Huang"],
        ["Lucía Fernández", "Victor Huang"],
    ]
    assert [p["introducers"] for p in data["paths"]] == [
        ["Ada Okafor"],
        ["Greg Novak"],
        ["Lucía Fernández"],
    ]
    first = data["paths"][0]
    assert first["score"] == 14.75
    assert first["parts"] == {"vouch": 8.75, "knows_target": 6.0, "hop_penalty": 0.0}
    assert first["reasons"][0] == "Ada Okafor is a former colleague (can vouch for your work)"
    assert data["excluded"] == [
        {
            "name": "Ben Carter",
            "reason": "is linked from Victor Huang's note, but your tie is only 2 (contact); "
            "an introducer needs 3 or more",
        }
    ]


def test_min_tie_flag_lets_a_weaker_tie_introduce(tmp_path: Path) -> None:
    vault = network(tmp_path)

    data = run_json(vault, "Victor Huang", "--min-tie", "2")

    assert data["min_tie"] == 2
    assert data["excluded"] == []
    assert [p["hops"] for p in data["paths"]] == [
        ["Ada Okafor", "Victor Huang"],
        ["Ben Carter", "Victor Huang"],
        ["Lucía Fernández", "Victor Huang"],
    ]
    assert [p["hops"][0] for p in run_json(vault, "Victor Huang", "--min-tie", "5")["paths"]] == [
        "Lucía Fernández"
    ]


def test_limit_caps_the_paths_shown_but_not_the_count(tmp_path: Path) -> None:
    vault = network(tmp_path)

    data = run_json(vault, "Victor Huang", "--limit", "1")
    assert data["total_paths"] == 3
    assert [p["hops"][0] for p in data["paths"]] == ["Ada Okafor"]

    text = run(vault, "Victor Huang", "--limit", "2").stdout.splitlines()
    assert text[-3] == "... and 1 more (--limit)"
    assert [line[:3] for line in text if line[:1].isdigit()] == ["1. ", "2. "]


def test_company_and_role_targets(tmp_path: Path) -> None:
    vault = network(tmp_path)

    company = run(vault, "acme robotics")
    assert company.exit_code == 0, company.output
    assert company.stdout.splitlines()[:2] == [
        "Company: Acme Robotics  (people there now or before: Victor Huang)",
        "1. You -> Ada Okafor -> Victor Huang -> Acme Robotics"
        "  (score 13.25 = vouches for you 8.75 + knows the target 6 - extra hop 1.5)",
    ]

    role = run_json(vault, "director of data platform")
    assert (role["kind"], role["matches"]) == ("role", ["Victor Huang"])
    assert [p["hops"][-1] for p in role["paths"]] == ["Victor Huang"] * 3


def test_no_path_is_not_an_error(tmp_path: Path) -> None:
    vault = network(tmp_path)
    write_note(vault, "people/Rita Remote.md", "---\ntie: 1\ncompany: Faraway\n---\n")

    result = run(vault, "Rita Remote")

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Person: Rita Remote",
        "No warm path through anyone with tie 3 or more.",
    ]


def test_unknown_target_exits_1_with_a_suggestion(tmp_path: Path) -> None:
    vault = network(tmp_path)

    result = run(vault, "Victr Huang")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip().endswith(
        "Error: no person, company or role matches 'Victr Huang'; did you mean 'Victor Huang'?"
    )

    as_json = run(vault, "Acme Robotix", "--json")
    assert as_json.exit_code == 1
    assert as_json.stdout == ""
    assert "did you mean 'Acme Robotics'?" in as_json.stderr

    nothing = run(vault, "qqqq zzzz")
    assert nothing.exit_code == 1
    assert nothing.stderr.strip().endswith("no person, company or role matches 'qqqq zzzz'")


def test_bad_flags_are_usage_errors(tmp_path: Path) -> None:
    vault = network(tmp_path)
    assert run(vault, "Victor Huang", "--min-tie", "0").exit_code == 2
    assert run(vault, "Victor Huang", "--limit", "0").exit_code == 2
    assert run(vault).exit_code == 2


def test_output_is_identical_run_after_run(tmp_path: Path) -> None:
    vault = network(tmp_path)
    assert (
        run(vault, "Victor Huang", "--json").stdout == run(vault, "VICTOR HUANG", "--json").stdout
    )


def test_routes_you_can_ask_yourself_come_first_and_say_so(tmp_path: Path) -> None:
    vault = network(tmp_path)
    write_note(
        vault,
        "people/Mia Roth.md",
        "---\ntie: 3\nrelationship: [friend]\nrole: Director of Data Platform\n"
        "first_met: 2024-01-10\nlast_met: 2026-11-01\n---\n",
    )
    lines = run(vault, "director of data platform").stdout.splitlines()
    numbered = [line for line in lines if not line.startswith(" ")]
    assert numbered == [
        "Role: director of data platform  (held by: Mia Roth, Victor Huang)",
        "You can ask these yourself (listed first: no one has to pass you on):",
        "1. You -> Mia Roth  (score 11 = vouches for you 3.5 + knows the target 7.5)",
        "Through an introducer, best score first:",
        "2. You -> Ada Okafor -> Victor Huang"
        "  (score 14.75 = vouches for you 8.75 + knows the target 6)",
        "3. You -> Greg Novak -> Ben Carter -> Victor Huang"
        "  (score 14.15 = vouches for you 9.65 + knows the target 6 - extra hop 1.5)",
        "4. You -> Lucía Fernández -> Victor Huang"
        "  (score 11.7 = vouches for you 5.7 + knows the target 6)",
        "Not asked (tie below 3: people who barely know you cannot vouch for you):",
    ]
    data = run_json(vault, "director of data platform")
    assert [(p["hops"][-1], p["direct"]) for p in data["paths"]] == [
        ("Mia Roth", True), ("Victor Huang", False), ("Victor Huang", False),
        ("Victor Huang", False),
    ]
    assert data["ranking"].startswith("people you know well enough to ask yourself first")
