"""ICS reminders: follow-ups as VTODO, people due as all-day VEVENT, UIDs that stay put."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from icalendar import Calendar

from netvault.index import load_index
from netvault.remind import plain_text, reminders, to_ics

TODAY = date(2026, 11, 25)

ADA = """---
name: Ada Okafor
tie: 5
last_met: 2026-09-01
---
# Ada

## Log
- 2026-09-01 (in person) coffee

## Follow-ups
- [ ] send [[Ada Okafor|Ada]] the benchmark write-up 📅 2026-11-22
- [ ] ask about the meetup room
- [x] thank her 📅 2026-10-01
"""

BEN = """---
name: Ben Carter
tie: 4
last_met: 2026-11-20
---
# Ben
"""

DAILY = """# Friday

- [ ] intro [[Ben Carter]] to Victor 📅 2026-12-01
- [ ] renew the passport 📅 2026-12-03
"""


def write(root: Path, relpath: str, text: str) -> None:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make_vault(root: Path) -> Path:
    write(root, "people/Ada Okafor.md", ADA)
    write(root, "people/Ben Carter.md", BEN)
    write(root, "daily/2026-11-20.md", DAILY)
    return root


def calendar(root: Path, within_days: int = 0) -> Calendar:
    index = load_index(root)
    return Calendar.from_ical(to_ics(reminders(index, TODAY, within_days), TODAY))


def uids(cal: Calendar) -> dict[str, str]:
    return {str(c["SUMMARY"]): str(c["UID"]) for c in cal.walk() if c.name in ("VTODO", "VEVENT")}


def test_follow_ups_become_todos_and_due_people_all_day_events(tmp_path: Path) -> None:
    cal = calendar(make_vault(tmp_path / "v"))
    todos = cal.walk("VTODO")
    assert [(str(t["SUMMARY"]), t["DUE"].dt) for t in todos] == [
        ("send Ada the benchmark write-up", date(2026, 11, 22)),
        ("intro Ben Carter to Victor", date(2026, 12, 1)),
    ]
    assert str(todos[0]["DESCRIPTION"]) == (
        "Follow-up with Ada Okafor (people/Ada Okafor.md, line 12)"
    )
    assert str(todos[1]["DESCRIPTION"]).startswith("Follow-up with Ben Carter ")
    events = cal.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Get in touch with Ada Okafor"]
    event = events[0]
    # Overdue since 2026-10-01: the reminder is for today, all day.
    assert event["DTSTART"].dt == TODAY and event["DTEND"].dt == date(2026, 11, 26)
    assert "last contact 2026-09-01 (3 months ago)" in str(event["DESCRIPTION"])
    assert "open follow-ups: send Ada the benchmark write-up; ask about the meetup room" in str(
        event["DESCRIPTION"]
    )


def test_within_adds_people_who_fall_due_soon_on_their_day(tmp_path: Path) -> None:
    cal = calendar(make_vault(tmp_path / "v"), within_days=60)
    events = {str(e["SUMMARY"]): e["DTSTART"].dt for e in cal.walk("VEVENT")}
    # Ben: tie 4, every 60 days from 2026-11-20.
    assert events == {
        "Get in touch with Ada Okafor": TODAY,
        "Get in touch with Ben Carter": date(2027, 1, 19),
    }


def test_uids_survive_a_second_export_and_unrelated_edits(tmp_path: Path) -> None:
    root = make_vault(tmp_path / "v")
    first = uids(calendar(root))
    assert len(set(first.values())) == 3
    assert uids(calendar(root)) == first
    # Lines inserted above the tasks, a new note, a moved due date: the same entries.
    write(
        root,
        "people/Ada Okafor.md",
        ADA.replace("# Ada\n", "# Ada\n\nMet at Globex.\n\n").replace("2026-11-22", "2026-11-29"),
    )
    write(root, "people/Cy Young.md", "---\nname: Cy Young\n---\n")
    assert uids(calendar(root)) == first


def test_same_vault_and_day_give_the_same_bytes(tmp_path: Path) -> None:
    root = make_vault(tmp_path / "v")
    index = load_index(root)
    assert to_ics(reminders(index, TODAY), TODAY) == to_ics(reminders(index, TODAY), TODAY)


def test_identical_tasks_in_one_note_get_their_own_uids(tmp_path: Path) -> None:
    root = tmp_path / "v"
    write(
        root,
        "people/Ada Okafor.md",
        "---\nname: Ada Okafor\n---\n- [ ] call 📅 2026-12-01\n- [ ] call 📅 2026-12-08\n",
    )
    todos = calendar(root).walk("VTODO")
    assert len({str(t["UID"]) for t in todos}) == 2


def test_plain_text_shows_links_as_they_read() -> None:
    assert plain_text("ping [[Ada Okafor|Ada]] and [[Ben Carter#Log]] re ![[x.png]]") == (
        "ping Ada and Ben Carter re x.png"
    )


def test_task_text_with_contact_details_is_masked_in_the_calendar(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from netvault.cli import cli

    root = tmp_path / "v"
    (root / "people").mkdir(parents=True)
    (root / "people" / "Ada.md").write_text(
        "---\ntie: 3\n---\n- [ ] mail ada@example.org or call +44 20 7946 0958 📅 2026-12-01\n"
    )
    out = tmp_path / "r.ics"
    result = CliRunner().invoke(
        cli, ["--vault", str(root), "remind", "--ics", str(out)],
        env={"NETVAULT_TODAY": "2026-11-25"},
    )
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "ada@example.org" not in text and "7946" not in text
    assert "[e-mail hidden]" in text
