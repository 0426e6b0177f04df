"""Keep-in-touch logic on real tmp vaults: exactly who is in, who is out, and in what order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Protocol

import pytest

from netvault.config import Config
from netvault.index import Index, load_index
from netvault.model import Contact
from netvault.ties import (
    CANDIDATE_MIN_CONTACT_DAYS,
    birthdays,
    cadence_for,
    digest,
    due,
    favors,
    full_years,
    oaks,
    todo,
    unmet,
    years_before,
)

TODAY = date(2026, 11, 25)


def write_note(root: Path, relpath: str, text: str) -> None:
    (root / relpath).parent.mkdir(parents=True, exist_ok=True)
    (root / relpath).write_text(text, encoding="utf-8")


def person(root: Path, name: str, front: str = "", body: str = "") -> None:
    """A contact note `people/<name>.md`; `front` is YAML lines, `body` follows the title."""
    write_note(root, f"people/{name}.md", f"---\nname: {name}\n{front}---\n# {name}\n{body}")


def log(*lines: str) -> str:
    return "\n## Log\n" + "".join(f"- {line}\n" for line in lines)


class _HasContact(Protocol):
    @property
    def contact(self) -> Contact: ...


def names(items: Sequence[_HasContact]) -> list[str]:
    return [item.contact.name for item in items]


def index_of(root: Path) -> Index:
    (root / ".obsidian").mkdir(parents=True, exist_ok=True)
    index = load_index(root)
    assert index.error_count == 0, index.problems
    return index


# ---- cadence and due ------------------------------------------------------------------------


def test_cadence_comes_from_the_note_then_the_tie_then_the_oak_flag() -> None:
    config = Config()
    assert cadence_for(Contact("a", "a.md", tie=5), config) == 30
    assert cadence_for(Contact("a", "a.md", tie=4), config) == 60
    assert cadence_for(Contact("a", "a.md", tie=3), config) == 90
    assert cadence_for(Contact("a", "a.md", tie=2), config) == 180
    assert cadence_for(Contact("a", "a.md", tie=1), config) is None
    assert cadence_for(Contact("a", "a.md"), config) is None
    assert cadence_for(Contact("a", "a.md", tie=1, cadence_days=7), config) == 7
    assert cadence_for(Contact("a", "a.md", tie=3, oak=True), config) == 30
    assert cadence_for(Contact("a", "a.md", oak=True), config) == 30


@pytest.fixture
def due_vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    person(root, "Ann Overdue", "tie: 5\nlast_met: 2026-10-01\n")
    person(
        root,
        "Bo Logged",
        "tie: 3\n",
        log("2026-05-01 (call) talked shop") + "- [ ] send Bo the deck 📅 2026-12-01\n",
    )
    person(root, "Cy Cadence", "tie: 4\ncadence: 2w\nlast_met: 2026-11-01\n")
    person(root, "Di Recent", "tie: 2\nlast_met: 2026-11-20\n")
    person(root, "Ed Acquaintance", "tie: 1\nlast_met: 2020-01-01\n")
    person(root, "Flo Untied", "last_met: 2020-01-01\n")
    person(root, "Gus Never", "tie: 3\n")
    person(root, "Hal Firstmet", "tie: 4\nfirst_met: 2026-01-01\n")
    person(root, "Ivy Today", "tie: 4\nlast_met: 2026-09-26\n")
    person(root, "Jo Tomorrow", "tie: 4\nlast_met: 2026-09-27\n")
    person(root, "Kai Oak", "tie: 3\noak: true\nlast_met: 2026-10-10\n")
    person(root, "Lu Daily", "tie: 5\nlast_met: 2026-09-01\n")
    write_note(root, "daily/2026-11-20.md", "- (video) long chat with [[Lu Daily]]\n")
    person(root, "Mo Future", "tie: 5\nlast_met: 2026-09-01\n", log("2026-12-01 (call) planned"))
    return root


def test_due_lists_exactly_the_overdue_most_overdue_for_their_cadence_first(
    due_vault: Path,
) -> None:
    items = due(index_of(due_vault), TODAY)
    assert names(items) == [
        "Mo Future",  # a logged day after today does not count: 55/30
        "Bo Logged",  # 118/90
        "Ann Overdue",  # 25/30
        "Cy Cadence",  # 10/14
        "Kai Oak",  # 16/30 (oak: true keeps the tie-5 cadence)
        "Ivy Today",  # due today: 0
        # Never in touch, after everyone overdue, shortest cadence first: first_met alone
        # starts no clock (Hal would be 268 days "overdue" if it did).
        "Hal Firstmet",  # tie 4: every 60 days
        "Gus Never",  # tie 3: every 90 days
    ]
    by_name = {item.contact.name: item for item in items}
    for never in ("Gus Never", "Hal Firstmet"):
        item = by_name[never]
        assert (item.never_in_touch, item.due_on, item.days_overdue, item.ratio) == (
            True, None, None, None
        )
    bo = by_name["Bo Logged"]
    assert (bo.cadence_days, bo.cadence_from, bo.last_contact) == (90, "tie", date(2026, 5, 1))
    assert bo.days_overdue == 118
    assert bo.ratio == pytest.approx(118 / 90)
    assert bo.last_interaction is not None and bo.last_interaction.text == "talked shop"
    assert [t.text for t in bo.open_tasks] == ["send Bo the deck"]
    assert (by_name["Cy Cadence"].cadence_days, by_name["Cy Cadence"].cadence_from) == (14, "note")
    assert by_name["Kai Oak"].cadence_from == "oak"
    mo = by_name["Mo Future"]
    assert (mo.last_contact, mo.last_interaction) == (date(2026, 9, 1), None)
    assert by_name["Ivy Today"].days_overdue == 0


def test_due_within_adds_who_becomes_due_soon_after_the_overdue(due_vault: Path) -> None:
    index = index_of(due_vault)
    never = ["Hal Firstmet", "Gus Never"]
    assert names(due(index, TODAY, within_days=1))[-4:] == ["Ivy Today", "Jo Tomorrow", *never]
    wide = due(index, TODAY, within_days=180)
    assert names(wide)[-6:] == ["Ivy Today", "Jo Tomorrow", "Lu Daily", "Di Recent", *never]
    assert {i.contact.name for i in wide}.isdisjoint({"Ed Acquaintance", "Flo Untied"})
    lu = next(i for i in wide if i.contact.name == "Lu Daily")
    assert (lu.last_contact, lu.days_overdue) == (date(2026, 11, 20), -25)


def test_due_uses_the_cadence_configured_per_tie(due_vault: Path) -> None:
    (due_vault / ".netvault.toml").write_text('[cadence]\n3 = "30d"\n5 = "none"\n')
    items = due(index_of(due_vault), TODAY)
    by_name = {item.contact.name: item for item in items}
    assert by_name["Bo Logged"].cadence_days == 30
    assert "Ann Overdue" not in by_name and "Kai Oak" not in by_name  # tie 5 has no cadence now


# ---- oaks -----------------------------------------------------------------------------------


@pytest.fixture
def oak_vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    person(root, "Olga Steady", "tie: 5\nfirst_met: 2015-01-01\nlast_met: 2026-11-20\n")
    person(root, "Otto Flagged", "tie: 4\noak: true\nfirst_met: 2024-06-01\nlast_met: 2026-11-01\n")
    person(root, "Oona Unknown", "tie: 5\nlast_met: 2026-11-24\n")
    person(root, "Owen Neglected", "tie: 5\nfirst_met: 2010-01-01\nlast_met: 2026-08-01\n")
    person(root, "Oz Exactly", "tie: 5\nfirst_met: 2023-11-25\nlast_met: 2026-11-25\n")
    person(
        root,
        "Cat Two",
        "tie: 4\nfirst_met: 2020-01-01\n",
        log("2026-03-01 (call) a", "2026-10-01 (video) b"),
    )
    person(
        root,
        "Cole Three",
        "tie: 4\nfirst_met: 2018-05-05\nrelationship: [former-colleague]\n",
        log("2025-12-01 (in person) a", "2026-06-01 (call) b", "2026-11-01 (call) c"),
    )
    person(
        root,
        "Cyd LastMet",
        "tie: 4\nfirst_met: 2021-01-01\nlast_met: 2026-11-01\n",
        log("2026-05-01 (call) a"),
    )
    person(
        root,
        "Xia Recent",
        "tie: 4\nfirst_met: 2024-01-01\n",
        log("2026-09-01 a", "2026-10-01 b", "2026-11-01 c"),
    )
    person(
        root,
        "Xan Rare",
        "tie: 4\nfirst_met: 2019-01-01\n",
        log("2025-11-20 (call) a", "2026-11-01 (call) b"),
    )
    person(
        root,
        "Xev Overdue",
        "tie: 4\nfirst_met: 2019-01-01\n",
        log("2026-02-01 (call) a", "2026-04-01 (call) b"),
    )
    person(root, "Xu Tie3", "tie: 3\nfirst_met: 2010-01-01\n", log("2026-10-01 a", "2026-11-01 b"))
    person(root, "Xyl Nodate", "tie: 4\n", log("2026-10-01 a", "2026-11-01 b"))
    person(
        root,
        "Xod Sameday",
        "tie: 4\nfirst_met: 2019-01-01\n",
        log("2026-10-01 (call) a", "2026-10-01 (email) b"),
    )
    return root


def test_oaks_reports_circle_neglected_untested_and_candidates(oak_vault: Path) -> None:
    report = oaks(index_of(oak_vault), TODAY)
    assert [c.name for c in report.circle] == [
        "Olga Steady",
        "Oona Unknown",
        "Otto Flagged",
        "Owen Neglected",
        "Oz Exactly",
    ]
    assert not report.too_many
    assert (report.max_size, report.min_years) == (12, 3)
    assert names(report.neglected) == ["Owen Neglected"]
    assert [(u.contact.name, u.years_known) for u in report.untested] == [
        ("Oona Unknown", None),
        ("Otto Flagged", 2),
    ]
    assert "first_met unknown" in report.untested[0].reason
    assert "under 3" in report.untested[1].reason
    assert [(c.contact.name, c.contact_days_last_year) for c in report.candidates] == [
        ("Cole Three", 3),
        ("Cat Two", 2),
        ("Cyd LastMet", 2),  # last_met counts as a day in touch
    ]
    cole = report.candidates[0]
    assert cole.years_known == 8
    assert cole.reasons == (
        "tie 4 (trusted)",
        "known 8 years (first met 2018-05-05)",
        "in touch on 3 days in the last 12 months, last 2026-11-01",
        "met in person",
        "former-colleague",
    )
    assert CANDIDATE_MIN_CONTACT_DAYS == 2


def test_oaks_warns_above_twelve_and_honours_the_configured_limit(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    for n in range(12):
        person(root, f"Oak {n:02d}", "tie: 5\nfirst_met: 2010-01-01\nlast_met: 2026-11-20\n")
    assert not oaks(index_of(root), TODAY).too_many
    person(root, "Oak 12", "tie: 3\noak: true\nfirst_met: 2010-01-01\nlast_met: 2026-11-20\n")
    report = oaks(index_of(root), TODAY)
    assert (len(report.circle), report.too_many) == (13, True)
    (root / ".netvault.toml").write_text("[oaks]\nmax = 20\nmin_years = 20\n")
    report = oaks(index_of(root), TODAY)
    assert not report.too_many
    assert len(report.untested) == 13  # known 16 years: under the configured 20


# ---- unmet ----------------------------------------------------------------------------------


def test_unmet_lists_tie_two_plus_never_met_face_to_face_closest_first(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    person(
        root, "Uma Video", "tie: 3\nlast_met: 2026-10-01\n", log("2026-10-01 (video) intro call")
    )
    person(root, "Uli Call", "tie: 2\n", log("2026-11-01 (call) quick call"))
    person(root, "Ute Older", "tie: 2\n", log("2026-06-01 (email) hello"))
    person(root, "Uwe Silent", "tie: 2\n")
    person(root, "Met Flag", "tie: 4\nmet_in_person: true\n")
    person(root, "Met Logged", "tie: 3\n", log("2025-01-01 (in person) lunch"))
    person(root, "Met Daily", "tie: 3\n")
    write_note(root, "daily/2026-11-02.md", "- (in person) coffee with [[Met Daily]]\n")
    person(root, "Low Tie", "tie: 1\n")
    person(root, "No Tie", "")
    items = unmet(index_of(root), TODAY)
    assert names(items) == ["Uma Video", "Uli Call", "Ute Older", "Uwe Silent"]
    assert [i.last_contact for i in items] == [
        date(2026, 10, 1),
        date(2026, 11, 1),
        date(2026, 6, 1),
        None,
    ]
    assert items[1].last_interaction is not None
    assert items[1].last_interaction.channel == "call"


# ---- todo -----------------------------------------------------------------------------------


def test_todo_overdue_first_then_later_then_undated_with_people(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    person(
        root,
        "Ann",
        "tie: 3\n",
        "- [ ] T1 five days late 📅 2026-11-20\n- [x] done already 📅 2026-01-01\n",
    )
    person(root, "Bob", "tie: 3\n", "- [ ] T5 no date\n")
    write_note(
        root,
        "projects/Plan.md",
        "- [ ] T2 call [[Ann]] and [[Bob]] 📅 2026-11-01\n"
        "- [ ] T3 due today 📅 2026-11-25\n"
        "- [ ] T4 later with [[Bob]] 📅 2026-12-10\n",
    )
    index = index_of(root)
    items = todo(index, TODAY)
    assert [i.task.text.split()[0] for i in items] == ["T2", "T1", "T3", "T4", "T5"]
    assert [i.days_overdue for i in items] == [24, 5, 0, -15, None]
    assert [i.overdue for i in items] == [True, True, False, False, False]
    assert [[c.name for c in i.people] for i in items] == [
        ["Ann", "Bob"],
        ["Ann"],
        [],
        ["Bob"],
        ["Bob"],
    ]
    assert [i.task.text.split()[0] for i in todo(index, TODAY, overdue_only=True)] == ["T2", "T1"]


# ---- favours --------------------------------------------------------------------------------


def test_favors_owed_first_and_people_without_favours_left_out(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    person(
        root,
        "Pia Owed2",
        "",
        log("2026-01-01 a #gave", "2026-01-02 b #got", "2026-01-03 c #got", "2026-01-04 d #got"),
    )
    person(root, "Pat Owed1", "", log("2026-01-01 a #got"))
    person(
        root,
        "Pam Even4",
        "",
        log("2026-01-01 #gave", "2026-01-02 #gave", "2026-01-03 #got", "2026-01-04 #got"),
    )
    person(root, "Pei Even2", "", log("2026-01-01 #gave", "2026-01-02 #got"))
    person(root, "Poe Gave2", "", log("2026-01-01 #gave", "2026-01-02 #gave"))
    person(root, "Pux None", "", log("2026-01-01 just talked"))
    index = index_of(root)
    balances = favors(index)
    assert [(b.contact.name, b.given, b.received, b.owed) for b in balances] == [
        ("Pia Owed2", 1, 3, 2),
        ("Pat Owed1", 0, 1, 1),
        ("Pam Even4", 2, 2, 0),
        ("Pei Even2", 1, 1, 0),
        ("Poe Gave2", 2, 0, -2),
    ]
    nobody = index.lookup("Pux None")
    assert [(b.contact.name, b.given, b.received) for b in favors(index, nobody)] == [
        ("Pux None", 0, 0)
    ]


# ---- birthdays ------------------------------------------------------------------------------


def _birthday_vault(root: Path, birthdays_by_name: dict[str, str]) -> Index:
    for name, born in birthdays_by_name.items():
        person(root, name, f'birthday: "{born}"\n')
    return index_of(root)


def test_birthdays_in_the_next_seven_days_with_and_without_year(tmp_path: Path) -> None:
    index = _birthday_vault(
        tmp_path / "v",
        {
            "Bea Today": "1990-11-25",
            "Ben Week": "--12-02",
            "Bix Eight": "--12-03",
            "Bo Yesterday": "1980-11-24",
            "Bu Soon": "--11-28",
        },
    )
    found = birthdays(index, TODAY)
    assert [(b.contact.name, b.on, b.days_until, b.turning) for b in found] == [
        ("Bea Today", date(2026, 11, 25), 0, 36),
        ("Bu Soon", date(2026, 11, 28), 3, None),
        ("Ben Week", date(2026, 12, 2), 7, None),
    ]
    assert names(birthdays(index, TODAY, days=0)) == ["Bea Today"]


def test_birthdays_cross_the_year_and_handle_29_february(tmp_path: Path) -> None:
    index = _birthday_vault(
        tmp_path / "v",
        {
            "Jan Second": "--01-02",
            "Dec Thirtieth": "1990-12-30",
            "Dec Before": "--12-28",
            "Leap Day": "2000-02-29",
        },
    )
    found = birthdays(index, date(2026, 12, 29))
    assert [(b.contact.name, b.on, b.days_until) for b in found] == [
        ("Dec Thirtieth", date(2026, 12, 30), 1),
        ("Jan Second", date(2027, 1, 2), 4),
    ]
    common_year = birthdays(index, date(2027, 2, 25))
    assert [(b.contact.name, b.on, b.turning) for b in common_year] == [
        ("Leap Day", date(2027, 2, 28), 27)
    ]
    leap_year = birthdays(index, date(2028, 2, 25))
    assert [(b.contact.name, b.on, b.days_until) for b in leap_year] == [
        ("Leap Day", date(2028, 2, 29), 4)
    ]
    assert birthdays(index, date(2027, 3, 1)) == []  # 28 Feb has passed; the next is 2028-02-29


def test_year_arithmetic_on_29_february() -> None:
    assert years_before(date(2028, 2, 29), 1) == date(2027, 2, 28)
    assert years_before(date(2026, 11, 25), 3) == date(2023, 11, 25)
    assert full_years(date(2023, 11, 26), TODAY) == 2
    assert full_years(date(2023, 11, 25), TODAY) == 3
    assert full_years(date(2027, 1, 1), TODAY) == 0


# ---- digest ---------------------------------------------------------------------------------


def test_digest_collects_due_contacts_tasks_due_and_birthdays(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    person(root, "Dee Due", "tie: 5\nlast_met: 2026-09-01\n", "- [ ] later task 📅 2026-11-26\n")
    person(
        root,
        "Dan Fine",
        'tie: 5\nlast_met: 2026-11-20\nbirthday: "--12-01"\n',
        "- [ ] today's task 📅 2026-11-25\n- [ ] undated\n",
    )
    write_note(root, "projects/P.md", "- [ ] late task 📅 2026-11-01\n")
    found = digest(index_of(root), TODAY)
    assert names(found.due) == ["Dee Due"]
    assert [t.task.text for t in found.tasks] == ["late task", "today's task"]
    assert names(found.birthdays) == ["Dan Fine"]
    assert not found.empty


def test_digest_is_empty_when_nothing_is_due(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    person(
        root,
        "Dan Fine",
        'tie: 5\nlast_met: 2026-11-20\nbirthday: "--12-03"\n',
        "- [ ] later 📅 2026-11-26\n",
    )
    found = digest(index_of(root), TODAY)
    assert (found.due, found.tasks, found.birthdays, found.intros_waiting) == ((), (), (), ())
    assert found.empty
