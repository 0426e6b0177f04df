"""log, due, oaks, unmet, todo, favors, today through the real CLI on real folders."""

from __future__ import annotations

import pytest
from conftest import TODAY, Vault

from netvault.cli import COMMANDS


def tend_vault(vault: Vault) -> Vault:
    vault.write(
        "people/Ada Okafor.md",
        "---\ntie: 5\nfirst_met: 2017-03-06\nlast_met: 2026-10-01\nmet_in_person: true\n"
        'birthday: "--11-28"\nemail: ada@example.org\n---\n## Log\n'
        "- 2026-06-03 (video) went through my CV #got\n- 2026-10-01 (in person) coffee\n\n"
        "- [ ] send Ada the write-up 📅 2026-11-22\n",
    )
    vault.write(
        "people/Ben Carter.md",
        "---\ntie: 4\nfirst_met: 2021-04-12\nmet_in_person: true\n---\n## Log\n"
        "- 2026-09-01 (in person) lunch, rehearsed his talk #gave\n"
        "- 2026-11-10 (call) he is opening two roles\n\n"
        "- [ ] ask Ben about the roles 📅 2026-12-01\n",
    )
    vault.write(
        "people/Yuki Tanaka.md", "---\ntie: 3\n---\n## Log\n- 2026-06-01 (video) catch-up\n"
    )
    vault.write("people/Cleo Quiet.md", "---\ntie: 2\nlast_met: 2026-11-20\n---\n")
    vault.write("projects/Plan.md", "- [ ] thank [[Yuki Tanaka]] for the intro\n")
    return vault


def notes(vault: Vault) -> dict[str, bytes]:
    """Every note's bytes; `.netvault/lock` may appear, and is no note."""
    return {path: data for path, data in vault.snapshot().items() if path.endswith(".md")}


def quiet_vault(vault: Vault) -> Vault:
    """Nothing to do today: everyone recently in touch, no task due, no birthday this week."""
    vault.write(
        "people/Ada Okafor.md",
        '---\ntie: 5\nlast_met: 2026-11-20\nbirthday: "--12-03"\n---\n'
        "- [ ] later 📅 2026-11-26\n- [ ] undated\n",
    )
    vault.write("people/Broken.md", "---\ntie: lots\n---\n")  # a problem must not break silence
    return vault


def test_the_commands_are_registered() -> None:
    for name in ("log", "due", "oaks", "unmet", "todo", "favors", "today"):
        assert COMMANDS[name][0] == name


# ---- due ------------------------------------------------------------------------------------


def test_due_prints_who_is_overdue_with_last_interaction_and_open_tasks(vault: Vault) -> None:
    result = tend_vault(vault).run("due")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Yuki Tanaka (tie 3, every 90d): 3 months overdue",
        "    last: 2026-06-01 (video) catch-up",
        "    open: thank [[Yuki Tanaka]] for the intro",
        "Ada Okafor (tie 5, every 30d): 4 weeks overdue",
        "    last: 2026-10-01 (in person) coffee",
        "    open: send Ada the write-up (due 2026-11-22)",
        "2 contacts due",
    ]


def test_due_json_and_within(vault: Vault) -> None:
    data = tend_vault(vault).json("due")
    assert (data["today"], data["within_days"]) == (TODAY, 0)
    assert [d["name"] for d in data["due"]] == ["Yuki Tanaka", "Ada Okafor"]
    yuki = data["due"][0]
    assert {k: yuki[k] for k in ("cadence_days", "cadence_from", "due_on", "days_overdue")} == {
        "cadence_days": 90,
        "cadence_from": "tie",
        "due_on": "2026-08-30",
        "days_overdue": 87,
    }
    assert (yuki["ratio"], yuki["never_in_touch"], yuki["last_contact"]) == (
        0.967,
        False,
        "2026-06-01",
    )
    assert yuki["last_interaction"] == {
        "date": "2026-06-01",
        "channel": "video",
        "text": "catch-up",
        "favor": None,
        "path": "people/Yuki Tanaka.md",
        "line": 5,
    }
    assert yuki["open_tasks"] == [
        {
            "text": "thank [[Yuki Tanaka]] for the intro",
            "due": None,
            "path": "projects/Plan.md",
            "line": 1,
        }
    ]
    assert "email" not in data["due"][1]  # contact details stay in the vault
    wide = [(d["name"], d["days_overdue"]) for d in vault.json("due", "--within", "7w")["due"]]
    assert wide == [("Yuki Tanaka", 87), ("Ada Okafor", 25), ("Ben Carter", -45)]
    assert [d["name"] for d in vault.json("due", "--within", "14d")["due"]] == [
        "Yuki Tanaka",
        "Ada Okafor",
    ]


@pytest.mark.parametrize("bad", ["soon", "0d", "-3d", "14"])
def test_due_rejects_a_bad_interval_as_usage(vault: Vault, bad: str) -> None:
    result = tend_vault(vault).run("due", "--within", bad)
    assert result.exit_code == 2
    assert "--within" in result.output and result.stdout == ""


def test_due_says_so_when_nobody_is_due(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", "---\ntie: 5\nlast_met: 2026-11-20\n---\n")
    assert vault.run("due").stdout == "Nobody is due for contact today.\n"
    assert vault.json("due")["due"] == []


# ---- oaks -----------------------------------------------------------------------------------


def test_oaks_shows_circle_neglected_and_candidates(vault: Vault) -> None:
    result = tend_vault(vault).run("oaks")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Oak-tree circle: 1 oak (at most 12)",
        "  Ada Okafor: known 9 years, last in touch 2026-10-01",
        "Neglected:",
        "  Ada Okafor: 4 weeks overdue (every 30d)",
        "Candidates:",
        "  Ben Carter: tie 4 (trusted); known 5 years (first met 2021-04-12); in touch on 2 days "
        "in the last 12 months, last 2026-11-10; met in person",
    ]
    data = vault.json("oaks")
    assert {k: data[k] for k in ("max", "min_years", "count", "too_many")} == {
        "max": 12,
        "min_years": 3,
        "count": 1,
        "too_many": False,
    }
    assert [(c["name"], c["years_known"]) for c in data["circle"]] == [("Ada Okafor", 9)]
    assert [(n["name"], n["days_overdue"]) for n in data["neglected"]] == [("Ada Okafor", 25)]
    assert data["untested"] == []
    assert [(c["name"], c["contact_days_last_year"]) for c in data["candidates"]] == [
        ("Ben Carter", 2)
    ]
    assert data["candidates"][0]["reasons"][0] == "tie 4 (trusted)"


def test_oaks_warns_when_the_circle_is_too_big_and_names_the_untested(vault: Vault) -> None:
    tend_vault(vault)
    vault.write(".netvault.toml", "[oaks]\nmax = 1\n")
    vault.write(
        "people/Zed New.md", "---\noak: true\nfirst_met: 2025-05-01\nlast_met: 2026-11-24\n---\n"
    )
    result = vault.run("oaks")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "Oak-tree circle: 2 oaks (at most 1)",
        "  Ada Okafor: known 9 years, last in touch 2026-10-01",
        "  Zed New: known 1 year, last in touch 2026-11-24",
    ]
    assert lines[3].startswith("Warning: 2 oaks is more than 1.")
    assert lines[6:8] == [
        "Not yet time-tested (under 3 years):",
        "  Zed New: first met 2025-05-01: known 1 year, under 3",
    ]
    assert lines[8] == "Candidates (the circle is full: promote only in place of someone):"
    data = vault.json("oaks")
    assert (data["count"], data["too_many"]) == (2, True)
    assert [(u["name"], u["years_known"]) for u in data["untested"]] == [("Zed New", 1)]


# ---- unmet ----------------------------------------------------------------------------------


def test_unmet_lists_closest_first_with_when_you_last_talked(vault: Vault) -> None:
    result = tend_vault(vault).run("unmet")
    assert result.stdout.splitlines() == [
        "Yuki Tanaka (3 knows-my-work): last talked 2026-06-01 (video) catch-up",
        "Cleo Quiet (2 contact): last in touch 2026-11-20",
        "2 contacts never met in person",
    ]
    data = vault.json("unmet")
    assert [(u["name"], u["last_contact"]) for u in data["unmet"]] == [
        ("Yuki Tanaka", "2026-06-01"),
        ("Cleo Quiet", "2026-11-20"),
    ]
    assert data["unmet"][0]["last_interaction"]["channel"] == "video"
    assert data["unmet"][1]["last_interaction"] is None


# ---- todo -----------------------------------------------------------------------------------


def test_todo_overdue_first_with_people_and_overdue_only(vault: Vault) -> None:
    result = tend_vault(vault).run("todo")
    assert result.stdout.splitlines() == [
        "2026-11-22  send Ada the write-up  (Ada Okafor)  3 days overdue",
        "2026-12-01  ask Ben about the roles  (Ben Carter)",
        "no date     thank [[Yuki Tanaka]] for the intro  (Yuki Tanaka)",
        "3 open tasks, 1 overdue",
    ]
    assert vault.run("todo", "--overdue").stdout.splitlines() == [
        "2026-11-22  send Ada the write-up  (Ada Okafor)  3 days overdue",
        "1 open task, 1 overdue",
    ]
    data = vault.json("todo")
    assert data["overdue_only"] is False
    assert data["tasks"][0] == {
        "text": "send Ada the write-up",
        "due": "2026-11-22",
        "days_overdue": 3,
        "overdue": True,
        "path": "people/Ada Okafor.md",
        "line": 13,
        "people": [{"name": "Ada Okafor", "path": "people/Ada Okafor.md"}],
    }
    assert [t["days_overdue"] for t in data["tasks"]] == [3, -6, None]
    assert [t["text"] for t in vault.json("todo", "--overdue")["tasks"]] == [
        "send Ada the write-up"
    ]


# ---- favours --------------------------------------------------------------------------------


def test_favors_owed_first_and_one_person(vault: Vault) -> None:
    result = tend_vault(vault).run("favors")
    # Who did whom a favour, spelt out: "gave 0 got 1" read as the contact's own giving.
    assert result.stdout.splitlines() == [
        "Favours you did for each person (#gave) and they did for you (#got):",
        "  Ada Okafor  you gave 0  they gave you 1  you owe them 1",
        "  Ben Carter  you gave 1  they gave you 0  you gave 1 more than they did",
    ]
    data = vault.json("favors")
    assert [(f["name"], f["given"], f["received"], f["owed"]) for f in data["favors"]] == [
        ("Ada Okafor", 0, 1, 1),
        ("Ben Carter", 1, 0, -1),
    ]
    assert vault.run("favors", "Yuki Tanaka").stdout.splitlines()[1:] == [
        "  Yuki Tanaka  you gave 0  they gave you 0  even"
    ]
    assert [f["name"] for f in vault.json("favors", "ben carter")["favors"]] == ["Ben Carter"]


def test_unknown_names_exit_1_with_a_suggestion(vault: Vault) -> None:
    tend_vault(vault)
    result = vault.run("favors", "Ben Cartr")
    assert result.exit_code == 1
    assert "no contact named 'Ben Cartr'; did you mean 'Ben Carter'?" in result.output
    before = notes(vault)
    result = vault.run("log", "Yuki Tanka", "hello", "--channel", "call")
    assert result.exit_code == 1
    assert "did you mean 'Yuki Tanaka'?" in result.output
    assert notes(vault) == before


# ---- today ----------------------------------------------------------------------------------


def test_today_prints_the_digest(vault: Vault) -> None:
    result = tend_vault(vault).run("today")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "netvault · Wednesday 25 November 2026",
        "Due for contact (2):",
        "  Yuki Tanaka: 3 months overdue (every 90d)",
        "  Ada Okafor: 4 weeks overdue (every 30d)",
        "Follow-ups due (1):",
        "  2026-11-22  send Ada the write-up  (Ada Okafor)  3 days overdue",
        "Birthdays (1):",
        "  Ada Okafor: Sat 28 Nov (in 3 days)",
    ]
    data = vault.json("today")
    assert data["empty"] is False
    assert [d["name"] for d in data["due"]] == ["Yuki Tanaka", "Ada Okafor"]
    assert [t["text"] for t in data["tasks"]] == ["send Ada the write-up"]
    assert data["birthdays"] == [
        {
            "name": "Ada Okafor",
            "path": "people/Ada Okafor.md",
            "birthday": "--11-28",
            "on": "2026-11-28",
            "days_until": 3,
            "turning": None,
        }
    ]


def test_today_is_silent_when_there_is_nothing_to_do(vault: Vault) -> None:
    result = quiet_vault(vault).run("today")
    assert (result.exit_code, result.output) == (0, "")
    assert vault.json("today") == {
        "today": TODAY,
        "empty": True,
        "due": [],
        "tasks": [],
        "birthdays": [],
        "intros_waiting": [],
        "meetings_tomorrow": [],
        "moves": [],
    }
    # The next day the task and, a week before, the birthday make it speak.
    assert vault.run("today", today="2026-11-26").stdout.splitlines()[1:] == [
        "Follow-ups due (1):",
        "  2026-11-26  later  (Ada Okafor)  due today",
        "Birthdays (1):",
        "  Ada Okafor: Thu 03 Dec (in 7 days)",
    ]


# ---- log ------------------------------------------------------------------------------------


def test_log_appends_and_reports_what_moved(vault: Vault) -> None:
    tend_vault(vault)
    result = vault.run(
        "log",
        "Yuki Tanaka",
        "met at PyData",
        "--channel",
        "in-person",
        "--date",
        "2026-11-05",
        "--got",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Logged in people/Yuki Tanaka.md:",
        "  - 2026-11-05 (in person) met at PyData #got",
        "  last_met: 2026-11-05; first_met: 2026-06-01; met_in_person: true",
    ]
    assert (vault.root / "people/Yuki Tanaka.md").read_text() == (
        "---\ntie: 3\nlast_met: 2026-11-05\nmet_in_person: true\nfirst_met: 2026-06-01\n---\n"
        "## Log\n- 2026-06-01 (video) catch-up\n- 2026-11-05 (in person) met at PyData #got\n"
    )
    assert [u["name"] for u in vault.json("unmet")["unmet"]] == ["Cleo Quiet"]
    data = vault.json("log", "Ben Carter", "sent the roles list", "--channel", "email")
    assert data == {
        "name": "Ben Carter",
        "path": "people/Ben Carter.md",
        "line": f"- {TODAY} (email) sent the roles list",
        "date": TODAY,
        "channel": "email",
        "favor": None,
        "last_met": None,
        "first_met": None,
        "met_in_person_set": False,
        "notes": [],
        "already_logged": False,
    }
    before = notes(vault)
    again = vault.run("log", "Ben Carter", "sent the roles list", "--channel", "email")
    assert (again.exit_code, again.stdout) == (
        0,
        f"Already logged in people/Ben Carter.md, nothing changed:\n"
        f"  - {TODAY} (email) sent the roles list\n",
    )
    assert notes(vault) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["two\nlines"], "must be one line"),
        (["hi", "--gave", "--got"], "exclude each other"),
        (["hi", "--date", "2026-11-26"], "in the future"),
        (["hi", "--date", "26/11/2026"], "is not a date"),
        (["hi", "--channel", "pigeon"], "--channel"),
    ],
)
def test_log_usage_errors_exit_2_and_write_nothing(
    vault: Vault, args: list[str], message: str
) -> None:
    tend_vault(vault)
    before = notes(vault)
    result = vault.run("log", "Ada Okafor", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert notes(vault) == before


def test_log_refuses_a_note_it_cannot_edit_with_exit_1(vault: Vault) -> None:
    vault.write(
        "people/Odd.md", "---\nname: Odd\nlast_met: 2026-01-01\nlast_met: 2026-02-01\n---\n"
    )
    before = notes(vault)
    result = vault.run("log", "Odd", "hello", "--channel", "call")
    assert result.exit_code == 1
    assert "the key 'last_met' appears more than once" in result.output
    assert "Traceback" not in result.output
    assert notes(vault) == before


def test_today_names_introductions_waiting_for_an_answer(vault: Vault) -> None:
    quiet_vault(vault)
    vault.write("people/Ben Carter.md", "---\ntie: 4\nlast_met: 2026-11-20\n---\n")
    vault.write(
        "intros/2026-11-10 Ada Okafor -- Ben Carter.md",
        '---\ntype: intro\na: "[[Ada Okafor]]"\nb: "[[Ben Carter]]"\nstatus: asked\n'
        "a_said: yes\nb_said: pending\nwhy: both build data teams\ncreated: 2026-11-10\n---\n",
    )
    result = vault.run("today")
    assert result.stdout.splitlines()[1:] == [
        "Introductions waiting (1):",
        "  Ada Okafor and Ben Carter: asked 2 weeks ago, Ben Carter not answered yet",
    ]
    data = vault.json("today")
    assert data["empty"] is False
    assert data["intros_waiting"] == [
        {
            "id": "2026-11-10 Ada Okafor -- Ben Carter",
            "path": "intros/2026-11-10 Ada Okafor -- Ben Carter.md",
            "a": "Ada Okafor",
            "b": "Ben Carter",
            "created": "2026-11-10",
            "pending": ["Ben Carter"],
            "days": 15,
        }
    ]
    # A week after asking is not yet "waiting".
    assert vault.run("today", today="2026-11-17").output == ""
