"""`netvault import calendar`: the exact lines logged from real-shaped .ics files, time zones,
recurrences, skips, unknown attendees, idempotence byte for byte, upcoming meetings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from activity_data import big_calendar
from conftest import ACTIVITY_OWNER, Vault

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "calendar"
RECURRING = str(FIXTURES / "recurring.ics")
MIXED = str(FIXTURES / "mixed.ics")
WEEKLY = "weekly-ada-1on1@netvault.test"

ADA_AFTER = (
    "---\n"
    "name: Ada Okafor\n"
    "tie: 4\n"
    "first_met: 2020-01-15\n"
    "last_met: 2026-11-19\n"
    "email: ada.okafor@example.com\n"
    "met_in_person: true\n"
    "---\n"
    "# Ada Okafor\n"
    "\n"
    "## Log\n"
    "- 2026-09-01 (call) catch-up\n"
    f"- 2026-10-01 (video) Ada / Sam weekly %% ical:{WEEKLY} 20260930T223000Z %%\n"
    f"- 2026-10-16 (in person) Ada / Sam weekly (lunch instead)"
    f" %% ical:{WEEKLY} 20261014T223000Z %%\n"
    f"- 2026-10-29 (video) Ada / Sam weekly %% ical:{WEEKLY} 20261028T233000Z %%\n"
    "- 2026-11-03 (call) Quick call %% ical:floating-call@netvault.test %%\n"
    f"- 2026-11-05 (video) Ada / Sam weekly %% ical:{WEEKLY} 20261104T233000Z %%\n"
    "- 2026-11-09 (video) Data platform sync %% ical:teams-room@netvault.test %%\n"
    f"- 2026-11-12 (video) Ada / Sam weekly %% ical:{WEEKLY} 20261111T233000Z %%\n"
    "- 2026-11-13 (in person) Design review %% ical:other-declined@netvault.test %%\n"
    f"- 2026-11-19 (video) Ada / Sam weekly %% ical:{WEEKLY} 20261118T233000Z %%\n"
    "\n"
    "## Follow-ups\n"
    "- [ ] send Ada the write-up\n"
)

BEN_AFTER = (
    "---\n"
    "name: Ben Carter\n"
    "tie: 3\n"
    "first_met: 2019-05-02\n"
    "last_met: 2026-11-20\n"
    "met_in_person: true\n"
    "email: [ben@carter.example, ben.carter@work.example]\n"
    "---\n"
    "## Log\n"
    "- 2026-09-10 (call) Mentoring call with Ben"
    " %% ical:monthly-ben@netvault.test 20260910T230000Z %%\n"
    "- 2026-10-08 (call) Mentoring call with Ben"
    " %% ical:monthly-ben@netvault.test 20261008T230000Z %%\n"
    "- 2026-11-03 (video) Hiring plan review %% ical:zoom-utc@netvault.test %%\n"
    "- 2026-11-12 (call) Mentoring call with Ben"
    " %% ical:monthly-ben@netvault.test 20261113T000000Z %%\n"
    "- 2026-11-16 (in person) Architecture workshop %% ical:workshop@netvault.test %%\n"
    "- 2026-11-20 (in person) drinks\n"
)

MARCUS_AFTER = (
    "---\n"
    "name: Marcus Bell\n"
    "aliases: [Marc]\n"
    "tie: 5\n"
    "email: marcus.bell@gmail.com\n"
    "last_met: 2026-11-12\n"
    "first_met: 2026-11-12\n"
    "---\n"
    "Flatmate at Leeds.\n"
    "\n"
    "## Log\n"
    "- 2026-11-12 (video) Pairing with [[Marcus Bell|Marc]]"
    " %% ical:jitsi-title-link@netvault.test %%\n"
)

KARIM_AFTER = (
    "---\n"
    "name: Karim Haddad\n"
    "tie: 2\n"
    "last_met: 2026-11-12\n"
    "met_in_person: true\n"
    "first_met: 2026-11-12\n"
    "---\n"
    "Met at PyData.\n"
    "\n"
    "## Log\n"
    "- 2026-11-12 (in person) Lunch with Karim Haddad's team %% ical:title-name@netvault.test %%\n"
)


def read(vault: Vault, relpath: str) -> str:
    return (vault.root / relpath).read_text(encoding="utf-8")


def test_logs_exact_lines_and_a_second_run_changes_no_byte(
    activity_vault: Vault, local_zone: Callable[[str], None]
) -> None:
    local_zone("Asia/Tokyo")  # UTC times fall on the next day here; TZID times must not
    first = activity_vault.run("import", "calendar", RECURRING)
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[-2:] == [
        "recurring.ics: 10 events read: 9 matched, 1 skipped (1 cancelled)",
        "9 interactions: 9 logged in 2 notes, 0 already logged",
    ]
    second = activity_vault.run("import", "calendar", MIXED)
    assert second.exit_code == 0, second.output
    assert read(activity_vault, "people/Ada Okafor.md") == ADA_AFTER
    assert read(activity_vault, "people/Ben Carter.md") == BEN_AFTER
    assert read(activity_vault, "people/Marcus Bell.md") == MARCUS_AFTER
    assert read(activity_vault, "people/Karim Haddad.md") == KARIM_AFTER
    assert second.stdout.splitlines()[-5:] == [
        "  met 3 times: dana.k@example.com (Dana Kowalczyk)",
        "  met once: no.name@partner.example",
        "mixed.ics: 13 events read: 7 matched, 6 skipped "
        "(1 cancelled, 1 declined, 1 all day, 2 only you, 1 no contact)",
        "7 interactions: 7 logged in 4 notes, 0 already logged",
        "Upcoming: 2 meetings with contacts in the next two weeks "
        "(`netvault today` lists tomorrow's)",
    ]

    before = activity_vault.snapshot()
    again = [activity_vault.run("import", "calendar", f) for f in (RECURRING, MIXED)]
    assert activity_vault.snapshot() == before
    assert again[0].stdout.splitlines()[-1] == (
        "9 interactions: 0 logged in 0 notes, 9 already logged"
    )
    assert again[1].stdout.splitlines()[-2] == (
        "7 interactions: 0 logged in 0 notes, 7 already logged"
    )


def test_the_summary_adds_up_in_json(
    activity_vault: Vault, local_zone: Callable[[str], None]
) -> None:
    local_zone("UTC")
    data = activity_vault.json("import", "calendar", MIXED)
    events = data["events"]
    assert events == {
        "read": 13,
        "matched": 7,
        "skipped": {
            "cancelled": 1,
            "declined": 1,
            "all-day": 1,
            "only-you": 2,
            "no-contact": 1,
        },
    }
    assert events["read"] == events["matched"] + sum(events["skipped"].values())
    assert data["interactions"] == {
        "found": 7,
        "logged": 7,
        "already_logged": 0,
        "refused": 0,
        "notes_changed": 4,
    }
    assert data["unknown"] == [
        {
            "email": "dana.k@example.com",
            "name": "Dana Kowalczyk",
            "meetings": 3,
            "first": "2026-11-09",
            "last": "2026-11-13",
        },
        {
            "email": "no.name@partner.example",
            "name": None,
            "meetings": 1,
            "first": "2026-11-10",
            "last": "2026-11-10",
        },
    ]
    assert [(m["day"], m["time"], m["title"]) for m in data["upcoming"]] == [
        ("2026-11-26", "09:30", "Coffee before the offsite"),
        ("2026-12-01", "15:00", "Quarterly catch-up"),
    ]
    by_path = {note["path"]: note for note in data["notes"]}
    karim = by_path["people/Karim Haddad.md"]
    assert (karim["last_met"], karim["first_met"], karim["met_in_person_set"]) == (
        "2026-11-12",
        "2026-11-12",
        True,
    )
    # E-mail and the title are matched, never the unknown people: no note was created.
    assert sorted(p.name for p in (activity_vault.root / "people").iterdir()) == [
        "Ada Okafor.md",
        "Ben Carter.md",
        "Karim Haddad.md",
        "Marcus Bell.md",
    ]


def test_a_utc_start_falls_on_the_local_day_and_a_tzid_start_on_its_own(
    activity_vault: Vault, local_zone: Callable[[str], None]
) -> None:
    local_zone("America/Los_Angeles")
    activity_vault.run("import", "calendar", MIXED)
    activity_vault.run("import", "calendar", RECURRING)
    ben = read(activity_vault, "people/Ben Carter.md")
    # 23:30 UTC on 2 November is the afternoon of the 2nd in California.
    assert "- 2026-11-02 (video) Hiring plan review %% ical:zoom-utc@netvault.test %%" in ben
    # 19:00 in New York on the 2nd Thursday stays that Thursday, wherever the machine is.
    assert "- 2026-11-12 (call) Mentoring call with Ben" in ben
    ada = read(activity_vault, "people/Ada Okafor.md")
    # 00:30 in Berlin is still the previous evening in California: the TZID's date counts.
    assert f"- 2026-10-01 (video) Ada / Sam weekly %% ical:{WEEKLY} 20260930T223000Z %%" in ada
    # A floating time is local wall time: its date as written.
    assert "- 2026-11-03 (call) Quick call" in ada


def test_dry_run_writes_nothing_and_keeps_no_meetings(activity_vault: Vault) -> None:
    before = activity_vault.snapshot()
    result = activity_vault.run("import", "calendar", MIXED, "--dry-run")
    assert result.exit_code == 0, result.output
    assert activity_vault.snapshot() == before
    assert not (activity_vault.root / ".netvault").exists()
    assert "Would log in people/Karim Haddad.md:" in result.stdout
    assert "  last_met: 2026-11-12; first_met: 2026-11-12; met_in_person: true" in result.stdout
    assert result.stdout.splitlines()[-1] == "Dry run: nothing written."
    assert activity_vault.run("today").stdout.count("Tomorrow's meetings") == 0


def test_add_unknown_makes_contacts_of_named_attendees_only(
    activity_vault: Vault, local_zone: Callable[[str], None]
) -> None:
    local_zone("UTC")
    data = activity_vault.json("import", "calendar", MIXED, "--add-unknown")
    assert data["added"] == [
        {
            "name": "Dana Kowalczyk",
            "path": "people/Dana Kowalczyk.md",
            "email": "dana.k@example.com",
            "error": None,
        },
        {
            "name": "",
            "path": None,
            "email": "no.name@partner.example",
            "error": "the calendar gives no name",
        },
    ]
    # The partner intro had only unknown people; with Dana a contact it is matched now.
    assert data["events"]["matched"] == 8
    assert data["events"]["skipped"]["no-contact"] == 0
    dana = read(activity_vault, "people/Dana Kowalczyk.md")
    assert "email: [dana.k@example.com]\n" in dana
    assert "tie: 1\n" in dana
    assert "first_met: 2026-11-09\n" in dana
    assert "last_met: 2026-11-13\n" in dana
    assert "source: calendar:mixed.ics\n" in dana
    assert dana.endswith(
        "## Log\n"
        "- 2026-11-09 (video) Data platform sync %% ical:teams-room@netvault.test %%\n"
        "- 2026-11-10 (video) Partner intro %% ical:webex-unknown@netvault.test %%\n"
        "- 2026-11-13 (in person) Design review %% ical:other-declined@netvault.test %%\n"
    )
    before = activity_vault.snapshot()
    again = activity_vault.json("import", "calendar", MIXED, "--add-unknown")
    assert activity_vault.snapshot() == before
    assert again["interactions"]["logged"] == 0


def test_today_lists_tomorrows_meetings_with_a_brief_hint(
    activity_vault: Vault, local_zone: Callable[[str], None]
) -> None:
    local_zone("UTC")
    activity_vault.run("import", "calendar", MIXED)
    lines = activity_vault.run("today").stdout.splitlines()
    start = lines.index("Tomorrow's meetings (1):")
    assert lines[start : start + 3] == [
        "Tomorrow's meetings (1):",
        "  09:30 Coffee before the offsite with Ada Okafor",
        "    netvault brief 'Ada Okafor'",
    ]
    data = activity_vault.json("today")
    assert data["meetings_tomorrow"] == [
        {
            "key": "tomorrow@netvault.test",
            "day": "2026-11-26",
            "time": "09:30",
            "title": "Coffee before the offsite",
            "channel": "in person",
            "people": [
                {
                    "name": "Ada Okafor",
                    "path": "people/Ada Okafor.md",
                    "brief": "netvault brief 'Ada Okafor'",
                }
            ],
        }
    ]
    # The meeting is machine state outside the vault: nothing about it in the vault.
    assert not any(b"offsite" in data for data in activity_vault.snapshot().values())
    assert activity_vault.json("today", today="2026-11-26")["meetings_tomorrow"] == []


def test_since_reads_only_later_events(activity_vault: Vault) -> None:
    data = activity_vault.json("import", "calendar", RECURRING, "--since", "2026-11-01")
    assert data["events"]["read"] == 4  # Ada on 5, 12, 19 November; Ben on 12 November
    assert data["since"] == "2026-11-01"
    bad = activity_vault.run("import", "calendar", RECURRING, "--since", "soon")
    assert bad.exit_code == 2
    assert "'soon' is not a date" in bad.output


def test_a_file_that_is_no_calendar_is_a_clear_error(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", "---\nemail: ada@example.com\n---\n")
    broken = vault.write("../broken.ics", "BEGIN:VCALENDAR\nthis is not a content line\n")
    result = vault.run("import", "calendar", str(broken))
    assert result.exit_code == 1
    assert "Problems:\n  not an iCalendar file" in result.stdout
    assert "Traceback" not in result.output


def test_without_an_owner_address_the_import_says_so(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", "---\nemail: ada.okafor@example.com\n---\n")
    result = vault.run("import", "calendar", MIXED, "--dry-run")
    assert "netvault does not know your e-mail address" in result.stdout
    # Without it, your own address is one more unknown attendee.
    assert f"{ACTIVITY_OWNER}" in result.stdout


def test_a_5000_event_export_is_imported_once(vault: Vault) -> None:
    people = [f"person{n}@example.com" for n in range(40)]
    for number, address in enumerate(people):
        vault.write(f"people/Person {number:02d}.md", f"---\nemail: {address}\n---\n")
    vault.write(".netvault.toml", f'[owner]\nemail = "{ACTIVITY_OWNER}"\n')
    data, events = big_calendar(5000, people, ACTIVITY_OWNER, date(2026, 11, 24))
    export = vault.write("../export.ics", data)
    result = vault.json("import", "calendar", str(export))
    kept = [e for e in events if not e.cancelled]
    assert result["events"]["read"] == 5000
    assert result["events"]["matched"] == len(kept)
    assert result["events"]["skipped"]["cancelled"] == 5000 - len(kept)
    expected = sum(len(e.attendees) for e in kept)
    assert result["interactions"]["logged"] == expected
    note = (vault.root / "people/Person 07.md").read_text(encoding="utf-8")
    mine = sorted(e.uid for e in kept if "person7@example.com" in e.attendees)
    assert sorted(line.split("ical:")[1].split(" ")[0] for line in note.splitlines()
                  if "ical:" in line) == mine
    before = vault.snapshot()
    again = vault.json("import", "calendar", str(export))
    assert vault.snapshot() == before
    assert again["interactions"] == {
        "found": expected,
        "logged": 0,
        "already_logged": expected,
        "refused": 0,
        "notes_changed": 0,
    }
