"""The intro core: reading intro notes, guard rails, drafts and their privacy, updates,
suggestions, hub stats, the waiting list."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from netvault import emails
from netvault.config import Config
from netvault.index import Index, build_index
from netvault.intros import (
    IntroChange,
    IntroPlan,
    Refused,
    UpdatePlan,
    check_rails,
    find_intros,
    hub_stats,
    phrases_meet,
    plan_intro,
    plan_update,
    read_intros,
    suggest,
    waiting,
)
from netvault.parse import parse_note
from netvault.privacy import Masker

TODAY = date(2026, 11, 25)
CONFIG = Config(owner_name="Sam Rivera", owner_email="sam@example.org")
NO_VAULT = Path("/nonexistent-netvault-vault")


def person(
    *,
    tie: int | str = 4,
    met: bool = True,
    share: str = "ask",
    intros: str = "yes",
    email: list[str] | None = None,
    phone: list[str] | None = None,
    extra: str = "",
    log: str = "",
) -> str:
    lines = ["---", f"tie: {tie}", f"met_in_person: {'true' if met else 'false'}"]
    if email is not None:
        lines.append(f"email: {json.dumps(email)}")
    if phone is not None:
        lines.append(f"phone: {json.dumps(phone)}")
    lines += ["consent:", f"  share-contact: {share}", f"  introductions: {intros}"]
    if extra:
        lines.append(extra.strip("\n"))
    lines += ["---", "", "## Log", *([log] if log else [])]
    return "\n".join(lines) + "\n"


def intro_note(
    a: str,
    b: str,
    *,
    status: str = "asked",
    a_said: str = "pending",
    b_said: str = "pending",
    created: str = "2026-11-01",
    extra: str = "",
) -> str:
    return (
        f'---\ntype: intro\na: "[[{a}]]"\nb: "[[{b}]]"\nstatus: {status}\n'
        f"a_said: {a_said}\nb_said: {b_said}\nwhy: they should meet\ncreated: {created}\n"
        f"{extra}---\n# {a} and {b}\n\n## Log\n"
    )


def index_of(notes: dict[str, str], config: Config = CONFIG, root: Path = NO_VAULT) -> Index:
    parsed = [
        parse_note(p, text.encode("utf-8"), config.contacts_folder) for p, text in notes.items()
    ]
    return build_index(root, config, parsed)


def two_people(**overrides: str) -> dict[str, str]:
    return {
        "people/Ada Okafor.md": person(email=["ada@example.com"], phone=["+49 30 5550 1742"]),
        "people/Ben Carter.md": person(email=["ben@example.com"], phone=["+49 151 5550 2231"]),
        **overrides,
    }


# ---------------------------------------------------------------------------- reading


def test_reads_intro_notes_in_the_shape_of_the_sample_vault() -> None:
    notes = two_people()
    notes["intros/2026-09-02 Ada Okafor -- Ben Carter.md"] = (
        '---\ntype: intro\na: "[[Ada Okafor]]"\nb: "[[Ben Carter]]"\nstatus: made\n'
        "a_said: yes\nb_said: yes\nwhy: Ben is building a team.\ncreated: 2026-09-02\n---\n"
        "# Ada Okafor and Ben Carter\n\n## Outcome\n- 2026-09-03 Ada said yes\n"
    )
    intros, problems = read_intros(index_of(notes))
    assert problems == []
    (intro,) = intros
    assert intro.id == "2026-09-02 Ada Okafor -- Ben Carter"
    assert (intro.a, intro.b) == ("Ada Okafor", "Ben Carter")
    assert (intro.a_path, intro.b_path) == ("people/Ada Okafor.md", "people/Ben Carter.md")
    assert (intro.status, intro.a_said, intro.b_said) == ("made", "yes", "yes")
    assert intro.created == date(2026, 9, 2) and intro.why == "Ben is building a team."


def test_reads_loose_shapes_and_reports_what_it_guessed() -> None:
    notes = two_people()
    notes["intros/2026-10-01 x.md"] = (
        "---\ntype: intro\na: [[Ada Okafor]]\nb: Ben Carter\nstatus: Clicked\n"
        "a_said: false\nb_said: maybe\ncreated: someday\n---\n"
    )
    notes["intros/2026-10-02 y.md"] = "---\ntype: intro\na: '[[Nobody Here]]'\nb: 3\n---\n"
    notes["intros/README.md"] = "Intro notes live here.\n"
    notes["people/Not an intro.md"] = intro_note("Ada Okafor", "Ben Carter")
    intros, problems = read_intros(index_of(notes))
    (intro,) = intros
    assert (intro.a_path, intro.b_path) == ("people/Ada Okafor.md", "people/Ben Carter.md")
    assert (intro.status, intro.a_said, intro.b_said) == ("clicked", "no", "pending")
    assert intro.created == date(2026, 10, 1)
    assert [(p.path, p.severity, p.message) for p in problems] == [
        ("intros/2026-10-01 x.md", "warning", "b_said must be pending, yes or no; read as pending"),
        (
            "intros/2026-10-01 x.md",
            "warning",
            "created is not a date; the file name's date is used",
        ),
        ("intros/2026-10-02 y.md", "warning", "a: [[Nobody Here]] is not a contact note"),
        ("intros/2026-10-02 y.md", "error", "b must name a contact as a [[wikilink]]"),
    ]


def test_an_unknown_status_is_read_as_asked_with_a_warning() -> None:
    notes = two_people()
    notes["intros/i.md"] = intro_note("Ada Okafor", "Ben Carter", status="maybe")
    (intro,), problems = read_intros(index_of(notes))
    assert intro.status == "asked"
    assert [p.message for p in problems] == [
        "status must be one of asked, made, declined, clicked, business; read as asked"
    ]


def test_intros_folder_comes_from_the_config() -> None:
    config = Config(intros_folder="Network/Intros")
    notes = two_people()
    notes["Network/Intros/i.md"] = intro_note("Ada Okafor", "Ben Carter")
    notes["intros/j.md"] = intro_note("Ada Okafor", "Ben Carter")
    assert [i.path for i in read_intros(index_of(notes, config))[0]] == ["Network/Intros/i.md"]


def test_find_intros_by_name_prefix_and_path() -> None:
    notes = two_people()
    notes["people/Cy Dee.md"] = person()
    notes["intros/2026-11-01 Ada Okafor -- Ben Carter.md"] = intro_note("Ada Okafor", "Ben Carter")
    notes["intros/2026-11-01 Ada Okafor -- Cy Dee.md"] = intro_note("Ada Okafor", "Cy Dee")
    intros = read_intros(index_of(notes))[0]

    def ids(query: str) -> list[str]:
        return [i.id for i in find_intros(intros, query)]

    assert ids("2026-11-01 ada okafor -- ben carter") == ["2026-11-01 Ada Okafor -- Ben Carter"]
    assert ids("2026-11-01 Ada Okafor -- Cy Dee.md") == ["2026-11-01 Ada Okafor -- Cy Dee"]
    assert ids("intros/2026-11-01 Ada Okafor -- Cy") == ["2026-11-01 Ada Okafor -- Cy Dee"]
    assert ids("2026-11-01 Ada") == [
        "2026-11-01 Ada Okafor -- Ben Carter",
        "2026-11-01 Ada Okafor -- Cy Dee",
    ]
    assert ids("2025") == []


def test_waiting_lists_asked_intros_unanswered_for_more_than_a_week() -> None:
    notes = two_people()
    for name in ("Cy Dee", "Di Eve", "Ed Fox", "Flo Gee"):
        notes[f"people/{name}.md"] = person()
    eight, seven = (TODAY - timedelta(days=8)).isoformat(), (TODAY - timedelta(days=7)).isoformat()
    notes["intros/1.md"] = intro_note("Ada Okafor", "Ben Carter", a_said="yes", created=eight)
    notes["intros/2.md"] = intro_note("Ada Okafor", "Cy Dee", created=seven)
    notes["intros/3.md"] = intro_note(
        "Ada Okafor", "Di Eve", a_said="yes", b_said="yes", created="2026-10-01"
    )
    notes["intros/4.md"] = intro_note(
        "Ada Okafor", "Ed Fox", status="declined", created="2026-10-01"
    )
    notes["intros/5.md"] = intro_note("Ben Carter", "Flo Gee", created="2026-10-01")
    found = waiting(index_of(notes), TODAY)
    assert [(w.intro.id, w.pending, w.days) for w in found] == [
        ("5", ("Ben Carter", "Flo Gee"), 55),
        ("1", ("Ben Carter",), 8),
    ]


# ---------------------------------------------------------------------------- guard rails


def rails(notes: dict[str, str], config: Config = CONFIG) -> list[tuple[str, str | None]]:
    index = index_of(notes, config)
    failures = check_rails(index, index.lookup("Ada Okafor"), index.lookup("Ben Carter"), TODAY)
    return [(f.rail, f.person) for f in failures]


def test_all_rails_pass_for_two_people_you_know_well() -> None:
    assert rails(two_people()) == []


@pytest.mark.parametrize(
    ("ben", "expected"),
    [
        (person(tie=2), [("tie", "Ben Carter")]),
        (person(tie="acquaintance"), [("tie", "Ben Carter")]),
        ("---\nmet_in_person: true\n---\n", [("tie", "Ben Carter")]),
        (person(met=False), [("met-in-person", "Ben Carter")]),
        (person(intros="no"), [("consent", "Ben Carter")]),
        (
            person(tie=1, met=False, intros="no"),
            [("tie", "Ben Carter"), ("met-in-person", "Ben Carter"), ("consent", "Ben Carter")],
        ),
        (person(log="- 2026-10-01 coffee with [[Ada Okafor]]"), [("already-connected", None)]),
    ],
)
def test_each_person_rail_fires(ben: str, expected: list[tuple[str, str | None]]) -> None:
    assert rails(two_people(**{"people/Ben Carter.md": ben})) == expected


def test_meeting_in_person_can_come_from_a_log_line() -> None:
    ben = person(met=False, log="- 2026-10-01 (in person) lunch")
    assert rails(two_people(**{"people/Ben Carter.md": ben})) == []


def test_a_link_either_way_means_already_connected() -> None:
    ada = person(extra='introduced_by: "[[Ben Carter]]"')
    assert rails(two_people(**{"people/Ada Okafor.md": ada})) == [("already-connected", None)]


def test_an_earlier_intro_in_either_order_means_already_connected() -> None:
    notes = two_people()
    notes["intros/old.md"] = intro_note("Ben Carter", "Ada Okafor", created="2025-01-01")
    assert rails(notes) == [("already-connected", None)]


@pytest.mark.parametrize(
    ("status", "a_said", "b_said"), [("declined", "pending", "pending"), ("asked", "yes", "no")]
)
def test_an_earlier_declined_intro_fires(status: str, a_said: str, b_said: str) -> None:
    notes = two_people()
    notes["intros/old.md"] = intro_note(
        "Ada Okafor",
        "Ben Carter",
        status=status,
        a_said=a_said,
        b_said=b_said,
        created="2025-01-01",
    )
    index = index_of(notes)
    failures = check_rails(index, index.lookup("Ada Okafor"), index.lookup("Ben Carter"), TODAY)
    # Reported as declined, not as "already connected".
    assert [(f.rail, f.reason) for f in failures] == [
        ("declined-before", "an earlier intro between them was declined: [[old]]")
    ]


def test_too_many_intros_counts_the_last_thirty_days_only() -> None:
    config = Config(intros_max_per_30_days=2)
    notes = two_people()
    for name in ("Cy Dee", "Di Eve", "Ed Fox"):
        notes[f"people/{name}.md"] = person()
    notes["intros/1.md"] = intro_note("Ben Carter", "Cy Dee", created="2026-10-27")  # 29 days
    notes["intros/2.md"] = intro_note("Di Eve", "Ben Carter", created="2026-11-25")
    notes["intros/3.md"] = intro_note("Ben Carter", "Ed Fox", created="2026-10-26")  # 30 days
    index = index_of(notes, config)
    failures = check_rails(index, index.lookup("Ada Okafor"), index.lookup("Ben Carter"), TODAY)
    assert [(f.rail, f.person, f.reason) for f in failures] == [
        (
            "too-many-intros",
            "Ben Carter",
            "you have introduced Ben Carter 2 times in the last 30 days; the limit is 2",
        )
    ]
    del notes["intros/2.md"]
    assert rails(notes, config) == []


def test_only_the_consent_rail_cannot_be_overridden() -> None:
    ben = person(tie=1, met=False, intros="no")
    index = index_of(two_people(**{"people/Ben Carter.md": ben}))
    failures = check_rails(index, index.lookup("Ada Okafor"), index.lookup("Ben Carter"), TODAY)
    assert [(f.rail, f.overridable) for f in failures] == [
        ("tie", True),
        ("met-in-person", True),
        ("consent", False),
    ]
    refused = plan_intro(
        index, index.lookup("Ada Okafor"), index.lookup("Ben Carter"), "why", TODAY, "I insist"
    )
    assert isinstance(refused, Refused) and refused.failures == tuple(failures)


# ---------------------------------------------------------------------------- drafts


def plan_for(notes: dict[str, str], why: str = "Ben needs X; Ada has X.") -> IntroPlan | Refused:
    index = index_of(notes)
    return plan_intro(index, index.lookup("Ada Okafor"), index.lookup("Ben Carter"), why, TODAY)


def test_plan_has_the_note_and_one_ask_per_person() -> None:
    plan = plan_for(two_people())
    assert isinstance(plan, IntroPlan)
    assert plan.intro_id == "2026-11-25 Ada Okafor -- Ben Carter"
    assert plan.note_path == "intros/2026-11-25 Ada Okafor -- Ben Carter.md"
    assert [(d.recipient, d.kind, d.file_name, d.has_address) for d in plan.drafts] == [
        ("Ada Okafor", "ask", "2026-11-25 Ada Okafor -- Ben Carter - ask Ada Okafor.eml", True),
        ("Ben Carter", "ask", "2026-11-25 Ada Okafor -- Ben Carter - ask Ben Carter.eml", True),
    ]
    for draft in plan.drafts:
        assert draft.markdown in plan.note_text


def test_a_why_carrying_a_forbidden_detail_is_refused() -> None:
    refused = plan_for(two_people(), why="Ben (call him on +49 151 5550-2231) needs X")
    assert isinstance(refused, Refused)
    assert refused.problems == (
        "the ask draft to Ada Okafor would carry Ben Carter's +49 151 5550 2231, "
        "but Ben Carter's consent.share-contact is ask",
    )
    ben = person(share="yes", email=["ben@example.com"], phone=["+49 151 5550 2231"])
    shared = two_people(**{"people/Ben Carter.md": ben})
    assert isinstance(plan_for(shared, why="Ben (ben@example.com) needs X"), IntroPlan)


def test_forbidden_details_are_found_digit_by_digit_and_in_any_case() -> None:
    index = index_of(two_people())
    masker = Masker.for_contacts(index.contacts)

    def found(text: str) -> list[tuple[str, str]]:
        return [(f.person, f.detail) for f in masker.findings(text)]

    assert ("Ben Carter", "+49 151 5550 2231") in found("call +49 (151) 5550-2231")
    assert ("Ben Carter", "ben@example.com") in found("mail BEN@EXAMPLE.COM")
    assert found("on 2026-11-25 at 15:50, room 2231") == []


def test_a_broken_custom_template_is_refused_not_rendered_blank(tmp_path: Path) -> None:
    (tmp_path / ".netvault/templates").mkdir(parents=True)
    (tmp_path / ".netvault/templates/intro-ask.eml.j2").write_text(
        "Subject: hi\n\nHi {{ recipient.frist_name }}\n"
    )
    index = index_of(two_people(), root=tmp_path)
    refused = plan_intro(index, index.lookup("Ada Okafor"), index.lookup("Ben Carter"), "w", TODAY)
    assert isinstance(refused, Refused)
    assert refused.problems == ("template error: 'dict object' has no attribute 'frist_name'",)


def test_a_vault_template_overrides_the_built_in_one(tmp_path: Path) -> None:
    (tmp_path / ".netvault/templates").mkdir(parents=True)
    (tmp_path / ".netvault/templates/intro-ask.eml.j2").write_text(
        "Subject: Quick question, {{ recipient.first_name }}\n\nMeet {{ other.name }}?\n"
    )
    index = index_of(two_people(), root=tmp_path)
    plan = plan_intro(index, index.lookup("Ada Okafor"), index.lookup("Ben Carter"), "w", TODAY)
    assert isinstance(plan, IntroPlan)
    text = emails.readable(plan.drafts[0].eml)
    assert "Subject: Quick question, Ada" in text and text.endswith("\n\nMeet Ben Carter?\n")
    assert "**Subject:** Quick question, Ada\n> Meet Ben Carter?" in plan.note_text


def test_templates_are_never_given_contact_details(tmp_path: Path) -> None:
    (tmp_path / ".netvault/templates").mkdir(parents=True)
    (tmp_path / ".netvault/templates/intro-ask.eml.j2").write_text(
        "Subject: hi\n\nWrite to {{ other.emails }}\n"
    )
    index = index_of(two_people(), root=tmp_path)
    refused = plan_intro(index, index.lookup("Ada Okafor"), index.lookup("Ben Carter"), "w", TODAY)
    assert isinstance(refused, Refused)
    assert refused.problems == ("template error: 'dict object' has no attribute 'emails'",)


def test_a_custom_note_template_must_keep_the_intro_front_matter(tmp_path: Path) -> None:
    (tmp_path / ".netvault/templates").mkdir(parents=True)
    (tmp_path / ".netvault/templates/intro-note.md.j2").write_text("# {{ a.name }}\n")
    index = index_of(two_people(), root=tmp_path)
    refused = plan_intro(index, index.lookup("Ada Okafor"), index.lookup("Ben Carter"), "w", TODAY)
    assert isinstance(refused, Refused)
    assert refused.problems[0].startswith("template intro-note.md.j2 must render front-matter")


# ---------------------------------------------------------------------------- updates


def index_with_intro(notes: dict[str, str], **fields: str) -> Index:
    notes = dict(notes)
    notes["intros/2026-11-20 Ada Okafor -- Ben Carter.md"] = intro_note(
        "Ada Okafor", "Ben Carter", created="2026-11-20", **fields
    )
    return index_of(notes)


def update(index: Index, change: IntroChange) -> UpdatePlan | Refused:
    (intro,) = read_intros(index)[0]
    return plan_update(index, intro, change, TODAY)


def test_a_no_declines_an_asked_intro() -> None:
    plan = update(index_with_intro(two_people()), IntroChange(b_said="no", note="busy"))
    assert isinstance(plan, UpdatePlan)
    assert plan.keys == (("b_said", "no"), ("status", "declined"))
    assert plan.log_line == "- 2026-11-25 Ben Carter said no; status declined: busy"
    assert plan.connect == () and plan.contact_logs == ()


@pytest.mark.parametrize("status", ["made", "clicked", "business"])
def test_made_needs_both_yes(status: str) -> None:
    index = index_with_intro(two_people(), a_said="yes")
    refused = update(index, IntroChange(status=status))  # type: ignore[arg-type]
    assert isinstance(refused, Refused)
    assert refused.problems == (
        f"cannot mark the intro {status}: Ben Carter has not said yes "
        "(double opt-in: both must say yes first)",
    )


def test_connect_drafts_come_with_the_second_yes_only() -> None:
    index = index_with_intro(two_people(), a_said="yes")
    plan = update(index, IntroChange(b_said="yes"))
    assert isinstance(plan, UpdatePlan)
    assert [(d.kind, d.recipient) for d in plan.connect] == [
        ("connect", "Ada Okafor"),
        ("connect", "Ben Carter"),
    ]
    again = update(
        index_with_intro(two_people(), a_said="yes", b_said="yes"), IntroChange(note="still yes")
    )
    assert isinstance(again, UpdatePlan) and again.connect == ()
    assert again.keys == () and again.log_line == "- 2026-11-25 still yes"


def test_made_logs_a_gave_line_in_both_contacts() -> None:
    plan = update(
        index_with_intro(two_people(), a_said="yes", b_said="yes"), IntroChange(status="made")
    )
    assert isinstance(plan, UpdatePlan)
    intro_link = "[[2026-11-20 Ada Okafor -- Ben Carter|intro]]"
    assert [(e.path, e.line) for e in plan.contact_logs] == [
        (
            "people/Ada Okafor.md",
            f"- 2026-11-25 (email) introduced to [[Ben Carter]] ({intro_link}) #gave",
        ),
        (
            "people/Ben Carter.md",
            f"- 2026-11-25 (email) introduced to [[Ada Okafor]] ({intro_link}) #gave",
        ),
    ]


# ---------------------------------------------------------------------------- privacy property

CONSENT_WORDS = ["yes", "ask", "no", "true", "false", "'yes'", '"no"']
ALLOWED = {"yes", "true", "'yes'"}
_letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", min_size=1, max_size=8)


def email_strategy(owner: str) -> st.SearchStrategy[str]:
    # The @owner- domain keeps one person's addresses from being part of the other's.
    return st.builds(lambda local, dom: f"{local}@{owner}-{dom}.example", _letters, _letters)


phone_strategy = st.builds(
    lambda cc, number: f"+{cc} {number[:4]} {number[4:]}",
    st.integers(10, 99),
    st.text(alphabet="0123456789", min_size=8, max_size=10),
)


def forbidden_in(text: str, details: list[str]) -> list[str]:
    flat = text.casefold()
    digits = re.sub(r"\D", "", text)
    found = []
    for detail in details:
        is_phone = detail.startswith("+")
        if detail.casefold() in flat or (is_phone and re.sub(r"\D", "", detail) in digits):
            found.append(detail)
    return found


def draft_text(draft_eml: bytes, markdown: str) -> str:
    return emails.readable(draft_eml) + "\n" + markdown


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    share_a=st.sampled_from(CONSENT_WORDS),
    share_b=st.sampled_from(CONSENT_WORDS),
    emails_a=st.lists(email_strategy("ada"), max_size=2, unique=True),
    emails_b=st.lists(email_strategy("ben"), max_size=2, unique=True),
    phones_a=st.lists(phone_strategy, max_size=2, unique=True),
    phones_b=st.lists(phone_strategy, max_size=2, unique=True),
    planted=st.sampled_from(["", "a-email", "b-email", "a-phone", "b-phone"]),
)
def test_no_draft_carries_contact_details_the_consent_forbids(
    share_a: str,
    share_b: str,
    emails_a: list[str],
    emails_b: list[str],
    phones_a: list[str],
    phones_b: list[str],
    planted: str,
) -> None:
    digits_a = {re.sub(r"\D", "", p) for p in phones_a}
    digits_b = {re.sub(r"\D", "", p) for p in phones_b}
    assume(not any(x in y or y in x for x in digits_a for y in digits_b))
    notes = {
        "people/Ada Okafor.md": person(share=share_a, email=emails_a, phone=phones_a),
        "people/Ben Carter.md": person(share=share_b, email=emails_b, phone=phones_b),
    }
    details = {"a": emails_a + phones_a, "b": emails_b + phones_b}
    allowed = {"a": share_a in ALLOWED, "b": share_b in ALLOWED}
    pool = {"a-email": emails_a, "b-email": emails_b, "a-phone": phones_a, "b-phone": phones_b}
    why = "Ben needs X; Ada has X."
    planted_by = ""
    if planted and pool[planted]:
        why += f" Reach them at {pool[planted][0]}."
        planted_by = planted[0]
    must_refuse = bool(planted_by) and not allowed[planted_by]

    index = index_of(notes)
    ada, ben = index.lookup("Ada Okafor"), index.lookup("Ben Carter")
    plan = plan_intro(index, ada, ben, why, TODAY)
    assert isinstance(plan, Refused) == must_refuse, plan
    if isinstance(plan, Refused):
        assert plan.problems and not plan.failures
        return
    for draft, other in zip(plan.drafts, ("b", "a"), strict=True):
        text = draft_text(draft.eml, draft.markdown)
        if not allowed[other]:
            assert forbidden_in(text, details[other]) == []

    notes[plan.note_path] = plan.note_text
    index = index_of(notes)
    (intro,) = read_intros(index)[0]
    connected = plan_update(index, intro, IntroChange(a_said="yes", b_said="yes"), TODAY)
    assert isinstance(connected, UpdatePlan), connected
    for draft, other in zip(connected.connect, ("b", "a"), strict=True):
        text = draft_text(draft.eml, draft.markdown)
        if allowed[other]:
            assert forbidden_in(text, details[other]) == details[other]
        else:
            assert forbidden_in(text, details[other]) == []


# ---------------------------------------------------------------------------- suggestions


@pytest.mark.parametrize(
    ("need", "offer", "meets"),
    [
        ("engineering management advice", "Engineering Management", True),
        ("hiring data engineers", "data engineering", True),
        ("data visualisation", "Data Visualization", True),
        ("Café marketing", "cafe MARKETING", True),
        ("engineering management advice", "data engineering", False),
        ("hiring data engineers", "data engineering mentoring", False),
        ("job referral", "references", False),
        ("the", "of", False),
    ],
)
def test_phrases_meet(need: str, offer: str, meets: bool) -> None:
    assert phrases_meet(need, offer) is meets


def suggestion_vault() -> dict[str, str]:
    return {
        "people/Ada Okafor.md": person(
            extra="offers: [engineering management]\ninterests: [running]\nlocation: Berlin\n"
            "tags: [globex, oak]"
        ),
        "people/Ben Carter.md": person(
            extra="needs: [engineering management advice]\ninterests: [climbing]\nlocation: Berlin"
        ),
        "people/Cy Dee.md": person(
            extra="interests: [Climbing, running]\nlocation: berlin\ntags: [globex, oak]"
        ),
        "people/Di Eve.md": person(
            intros="no", extra="offers: [engineering management]\nlocation: Berlin"
        ),
        "people/Ed Fox.md": person(tie=2, extra="offers: [engineering management]"),
        "people/Flo Gee.md": person(extra="location: Berlin"),
        "people/Gus Hale.md": person(
            extra="needs: [running coach]\ninterests: [climbing]",
            log="- 2026-01-01 (in person) met [[Ben Carter]]",
        ),
    }


def test_suggest_ranks_pairs_with_reasons_and_respects_the_rails() -> None:
    index = index_of(suggestion_vault())
    found = suggest(index, TODAY)
    assert [(s.a.name, s.b.name, s.score, s.reasons) for s in found] == [
        (
            "Ada Okafor",
            "Ben Carter",
            4,
            (
                "Ben Carter needs engineering management advice; Ada Okafor offers "
                "engineering management",
                "both in Berlin",
            ),
        ),
        (
            "Ada Okafor",
            "Cy Dee",
            3,
            ("both into running", "shared tags: globex", "both in Berlin"),
        ),
        (
            "Cy Dee",
            "Gus Hale",
            3,
            ("Gus Hale needs running coach; Cy Dee is into running", "both into Climbing"),
        ),
        (
            "Ada Okafor",
            "Gus Hale",
            2,
            ("Gus Hale needs running coach; Ada Okafor is into running",),
        ),
        ("Ben Carter", "Cy Dee", 2, ("both into climbing", "both in Berlin")),
    ]


def test_suggest_for_one_person_puts_them_first() -> None:
    index = index_of(suggestion_vault())
    found = suggest(index, TODAY, index.lookup("Cy Dee"))
    assert [(s.a.name, s.b.name) for s in found] == [
        ("Cy Dee", "Ada Okafor"),
        ("Cy Dee", "Gus Hale"),
        ("Cy Dee", "Ben Carter"),
    ]
    assert suggest(index, TODAY, index.lookup("Di Eve")) == []


# ---------------------------------------------------------------------------- hub


def test_hub_stats() -> None:
    notes = suggestion_vault()
    notes["people/Hal Ivy.md"] = person(tie=5)
    notes["people/Ian Jo.md"] = person(tie=4, intros="no")
    notes["intros/1.md"] = intro_note(
        "Ada Okafor", "Ben Carter", status="made", a_said="yes", b_said="yes"
    )
    notes["intros/2.md"] = intro_note(
        "Ada Okafor", "Cy Dee", status="business", a_said="yes", b_said="yes"
    )
    notes["intros/3.md"] = intro_note(
        "Ben Carter", "Cy Dee", status="clicked", a_said="yes", b_said="yes"
    )
    notes["intros/4.md"] = intro_note("Ada Okafor", "Flo Gee", status="declined", a_said="no")
    notes["intros/5.md"] = intro_note("Ada Okafor", "Gus Hale", a_said="yes")
    notes["intros/6.md"] = intro_note("Flo Gee", "Gus Hale", a_said="yes", b_said="yes")
    stats = hub_stats(index_of(notes))
    assert (stats.total, stats.open, stats.made, stats.declined) == (6, 2, 3, 1)
    assert (stats.clicked, stats.business, stats.answered, stats.accepted) == (2, 1, 5, 4)
    assert stats.acceptance_rate == 0.8
    assert [(c.name, n) for c, n in stats.connected_most] == [
        ("Ada Okafor", 2),
        ("Ben Carter", 2),
        ("Cy Dee", 2),
    ]
    assert [c.name for c in stats.never_introduced] == ["Hal Ivy", "Flo Gee", "Gus Hale"]


def test_hub_with_no_intros_has_no_rate() -> None:
    stats = hub_stats(index_of(two_people()))
    assert stats.total == 0 and stats.acceptance_rate is None
    assert [c.name for c in stats.never_introduced] == ["Ada Okafor", "Ben Carter"]
