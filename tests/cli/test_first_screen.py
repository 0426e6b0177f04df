"""A first day that makes sense: never in touch is not "2152 days overdue", gaps read as
people say them, lists fit the screen (`--limit`), long lists of names wrap."""

from __future__ import annotations

import json

import pytest
from conftest import Vault

from netvault.dates import duration


def first_day(vault: Vault) -> Vault:
    """Two people overdue (one by years), two never in touch (one with only a first_met)."""
    vault.write("people/Ada Okafor.md", "---\ntie: 5\nlast_met: 2020-12-04\n---\n")
    vault.write(
        "people/Ben Carter.md",
        "---\ntie: 4\nlast_met: 2026-09-01\n---\n- [ ] send Ben the deck 📅 2026-10-20\n",
    )
    vault.write("people/José Núñez.md", "---\ntie: 4\nfirst_met: 2020-12-30\n---\n")
    vault.write("people/Cy Dee.md", "---\ntie: 3\n---\n")
    return vault


def crowd(vault: Vault, count: int) -> Vault:
    """`count` people overdue, each by a day more than the next, each with a task overdue."""
    for number in range(count):
        day = 10 + number
        vault.write(
            f"people/Person {number:02d}.md",
            f"---\ntie: 5\nlast_met: 2026-09-{day:02d}\n---\n"
            f"- [ ] call {number:02d} 📅 2026-11-{day:02d}\n",
        )
    return vault


# ---------------------------------------------------------------------------- never in touch


def test_never_in_touch_is_not_overdue_and_comes_after_the_overdue(vault: Vault) -> None:
    first_day(vault)
    result = vault.run("due")
    assert (result.exit_code, result.stdout) == (
        0,
        "Ada Okafor (tie 5, every 30d): 5.9 years overdue\n"
        "    last met: 2020-12-04\n"
        "Ben Carter (tie 4, every 60d): 4 weeks overdue\n"
        "    last met: 2026-09-01\n"
        "    open: send Ben the deck (due 2026-10-20)\n"
        "Never in touch (2): nothing recorded yet; `netvault log` starts the clock\n"
        "José Núñez (tie 4, every 60d): never in touch since first met 2020-12-30\n"
        "Cy Dee (tie 3, every 90d): never in touch\n"
        "2 contacts due, 2 never in touch\n",
    )
    data = vault.json("due")
    assert (data["total"], [d["name"] for d in data["due"]]) == (
        4, ["Ada Okafor", "Ben Carter", "José Núñez", "Cy Dee"]
    )
    keys = ("first_met", "last_contact", "due_on", "days_overdue", "ratio", "never_in_touch")
    assert [{k: d[k] for k in keys} for d in data["due"]] == [
        {"first_met": None, "last_contact": "2020-12-04", "due_on": "2021-01-03",
         "days_overdue": 2152, "ratio": 71.733, "never_in_touch": False},
        {"first_met": None, "last_contact": "2026-09-01", "due_on": "2026-10-31",
         "days_overdue": 25, "ratio": 0.417, "never_in_touch": False},
        {"first_met": "2020-12-30", "last_contact": None, "due_on": None,
         "days_overdue": None, "ratio": None, "never_in_touch": True},
        {"first_met": None, "last_contact": None, "due_on": None,
         "days_overdue": None, "ratio": None, "never_in_touch": True},
    ]
    assert vault.run("today").stdout.splitlines()[1:6] == [
        "Due for contact (4):",
        "  Ada Okafor: 5.9 years overdue (every 30d)",
        "  Ben Carter: 4 weeks overdue (every 60d)",
        "  José Núñez: never in touch since first met 2020-12-30 (every 60d)",
        "  Cy Dee: never in touch (every 90d)",
    ]
    # Saying when you last met starts the clock: from then on José can be overdue.
    vault.write("people/José Núñez.md", "---\ntie: 4\nfirst_met: 2020-12-30\n"
                "last_met: 2020-12-30\n---\n")
    assert vault.run("due").stdout.splitlines()[2] == (
        "José Núñez (tie 4, every 60d): 5.7 years overdue"
    )


def test_a_vault_never_in_touch_says_so_without_a_debt(vault: Vault) -> None:
    vault.write("people/Cy Dee.md", "---\ntie: 3\nfirst_met: 2019-01-01\n---\n")
    assert vault.run("due").stdout == (
        "Never in touch (1): nothing recorded yet; `netvault log` starts the clock\n"
        "Cy Dee (tie 3, every 90d): never in touch since first met 2019-01-01\n"
        "0 contacts due, 1 never in touch\n"
    )


# ---------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("days", "said"),
    [
        (0, "0 days"), (1, "1 day"), (13, "13 days"), (-5, "5 days"),
        (14, "2 weeks"), (24, "3 weeks"), (25, "4 weeks"), (59, "8 weeks"),
        (60, "2 months"), (85, "3 months"), (364, "12 months"),
        (365, "1 year"), (400, "1.1 years"), (730, "2 years"), (2152, "5.9 years"),
    ],
)
def test_a_gap_reads_as_days_weeks_months_or_years(days: int, said: str) -> None:
    assert duration(days) == said


def test_every_command_that_prints_a_gap_uses_the_same_words(vault: Vault) -> None:
    first_day(vault)
    vault.write(".netvault.toml", '[owner]\nname = "Sam"\n')
    vault.write("people/Ada Okafor.md", "---\ntie: 5\nlast_met: 2020-12-04\n---\n"
                "- [ ] thank Ada 📅 2025-10-01\n")
    assert vault.run("todo").stdout.splitlines()[:2] == [
        "2025-10-01  thank Ada  (Ada Okafor)  1.1 years overdue",
        "2026-10-20  send Ben the deck  (Ben Carter)  5 weeks overdue",
    ]
    assert vault.run("oaks").stdout.splitlines()[2:4] == [
        "Neglected:",
        "  Ada Okafor: 5.9 years overdue (every 30d)",
    ]
    assert vault.run("brief", "Ada Okafor").stdout.splitlines()[-2] == (
        "Since you last met (2020-12-04, 6 years ago):"
    )
    assert vault.run("report", "--out", str(vault.root.parent / "r.md")).exit_code == 0
    report = (vault.root.parent / "r.md").read_text(encoding="utf-8")
    assert "- [[Ada Okafor]] · tie 5 oak · **5.9 years overdue** (every 30 days, " in report
    assert "- **1.1 years overdue** · thank Ada · [[Ada Okafor]]" in report
    # JSON keeps whole days.
    assert [t["days_overdue"] for t in vault.json("todo")["tasks"]] == [420, 36]


# ---------------------------------------------------------------------------- --limit


def test_due_fits_the_screen_and_says_how_many_more(vault: Vault) -> None:
    crowd(vault, 12)
    # 17 lines: 2 for the prompt, 3 kept for the heading and totals, 12 for people (3 lines each).
    result = vault.run("due", LINES="17")
    assert result.stdout.splitlines() == [
        "Person 00 (tie 5, every 30d): 7 weeks overdue",
        "    last met: 2026-09-10",
        "    open: call 00 (due 2026-11-10)",
        "Person 01 (tie 5, every 30d): 6 weeks overdue",
        "    last met: 2026-09-11",
        "    open: call 01 (due 2026-11-11)",
        "Person 02 (tie 5, every 30d): 6 weeks overdue",
        "    last met: 2026-09-12",
        "    open: call 02 (due 2026-11-12)",
        "Person 03 (tie 5, every 30d): 6 weeks overdue",
        "    last met: 2026-09-13",
        "    open: call 03 (due 2026-11-13)",
        "12 contacts due (--limit 0 lists all): … and 8 more",
    ]
    # However small the screen, three people.
    assert len(vault.run("due", LINES="5").stdout.splitlines()) == 3 * 3 + 1
    assert vault.run("due", "--limit", "1", LINES="17").stdout.splitlines() == [
        "Person 00 (tie 5, every 30d): 7 weeks overdue",
        "    last met: 2026-09-10",
        "    open: call 00 (due 2026-11-10)",
        "12 contacts due (--limit 0 lists all): … and 11 more",
    ]
    everyone = vault.run("due", "--limit", "0", LINES="17").stdout.splitlines()
    assert (len(everyone), everyone[-1]) == (12 * 3 + 1, "12 contacts due")
    # A tall screen shows everyone, without "… and N more".
    assert vault.run("due", LINES="60").stdout.splitlines() == everyone
    # --json: everyone, whatever the screen, unless --limit says otherwise.
    data = vault.json("due")
    assert (data["total"], len(data["due"])) == (12, 12)
    cut = json.loads(vault.run("due", "--json", "--limit", "2", LINES="17").stdout)
    assert (cut["total"], [d["name"] for d in cut["due"]]) == (12, ["Person 00", "Person 01"])
    bad = vault.run("due", "--limit", "-1")
    assert bad.exit_code == 2 and "'--limit'" in bad.stderr


def test_today_shares_the_screen_between_its_lists(vault: Vault) -> None:
    crowd(vault, 12)
    # 20 lines: 2 for the prompt, the date, 2 headings; 15 for rows and "… and N more".
    result = vault.run("today", LINES="20")
    assert result.stdout.splitlines() == [
        "netvault · Wednesday 25 November 2026",
        "Due for contact (12):",
        "  Person 00: 7 weeks overdue (every 30d)",
        *[f"  Person {n:02d}: 6 weeks overdue (every 30d)" for n in range(1, 6)],
        "  … and 6 more",
        "Follow-ups due (12):",
        "  2026-11-10  call 00  (Person 00)  2 weeks overdue",
        "  2026-11-11  call 01  (Person 01)  2 weeks overdue",
        "  2026-11-12  call 02  (Person 02)  13 days overdue",
        "  2026-11-13  call 03  (Person 03)  12 days overdue",
        "  2026-11-14  call 04  (Person 04)  11 days overdue",
        "  2026-11-15  call 05  (Person 05)  10 days overdue",
        "  … and 6 more",
    ]
    assert vault.run("today", "--limit", "1").stdout.splitlines() == [
        "netvault · Wednesday 25 November 2026",
        "Due for contact (12):",
        "  Person 00: 7 weeks overdue (every 30d)",
        "  … and 11 more",
        "Follow-ups due (12):",
        "  2026-11-10  call 00  (Person 00)  2 weeks overdue",
        "  … and 11 more",
    ]
    assert len(vault.run("today", "--limit", "0").stdout.splitlines()) == 1 + 2 * 13
    data = vault.json("today")
    assert (len(data["due"]), len(data["tasks"])) == (12, 12)
    cut = vault.json("today", "--limit", "2")
    assert [d["name"] for d in cut["due"]] == ["Person 00", "Person 01"]
    assert [t["text"] for t in cut["tasks"]] == ["call 00", "call 01"]


def test_today_help_says_how_who_is_due_is_ordered(vault: Vault) -> None:
    assert (
        "Order of who is due: most overdue for their cadence first (days overdue /\n"
        "  cadence), then those never in touch."
    ) in vault.run("today", "--help").stdout


def test_unmet_and_todo_fit_the_screen_too(vault: Vault) -> None:
    crowd(vault, 12)
    # 10 lines: 2 for the prompt, 1 for the total; 7 rows.
    assert vault.run("unmet", LINES="10").stdout.splitlines() == [
        *[f"Person {n:02d} (5 oak): last in touch 2026-09-{n + 10}" for n in range(11, 4, -1)],
        "12 contacts never met in person (--limit 0 lists all): … and 5 more",
    ]
    assert vault.run("todo", "--overdue", "--limit", "2").stdout.splitlines() == [
        "2026-11-10  call 00  (Person 00)  2 weeks overdue",
        "2026-11-11  call 01  (Person 01)  2 weeks overdue",
        "12 open tasks, 12 overdue (--limit 0 lists all): … and 10 more",
    ]
    assert vault.run("todo", LINES="10").stdout.splitlines()[-1] == (
        "12 open tasks, 12 overdue (--limit 0 lists all): … and 5 more"
    )
    assert len(vault.run("todo", "--limit", "0", LINES="10").stdout.splitlines()) == 13
    unmet = vault.json("unmet", "--limit", "3")
    assert (unmet["total"], [u["name"] for u in unmet["unmet"]]) == (
        12, ["Person 11", "Person 10", "Person 09"]
    )
    todo = vault.json("todo")
    assert (todo["total"], len(todo["tasks"])) == (12, 12)


# ---------------------------------------------------------------------------- long name lists


def test_summary_wraps_the_oak_names_and_caps_them_with_a_count(vault: Vault) -> None:
    crowd(vault, 12)
    lines = vault.run("summary", COLUMNS="40").stdout.splitlines()
    # The bars shrink to the screen too: 12 contacts, 11 columns left.
    assert lines[1] == "  tie 5 oak              12  " + "#" * 11
    assert lines[-4:-1] == [
        "Oak trees (12): Person 00, Person 01,",
        "  Person 02, Person 03, Person 04,",
        "  Person 05, Person 06, … and 5 more",
    ]
    assert vault.run("summary", COLUMNS="200").stdout.splitlines()[-2] == (
        "Oak trees (12): " + ", ".join(f"Person {n:02d}" for n in range(12))
    )
    assert len(vault.json("summary")["oaks"]) == 12


def test_path_to_a_company_wraps_who_works_there(vault: Vault) -> None:
    for number in range(30):
        vault.write(
            f"people/Worker {number:02d}.md",
            "---\ntie: 2\ncompany: Acme Robotics\n---\n",
        )
    vault.write("people/Ada Okafor.md", "---\ntie: 4\ncompany: Acme Robotics\n---\n")
    heading = vault.run("path", "Acme Robotics", COLUMNS="60").stdout.splitlines()[:3]
    # Within 60 columns, three lines, no name split across two.
    assert heading == [
        "Company: Acme Robotics  (people there now or before:",
        "  Ada Okafor, Worker 00, Worker 01, Worker 02, Worker 03,",
        "  Worker 04, Worker 05, Worker 06, Worker 07, … and 22 more)",
    ]
    assert len(vault.json("path", "Acme Robotics")["matches"]) == 31
