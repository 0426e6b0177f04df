"""intro, intros, intro-update, suggest and hub through the real CLI on real folders."""

from __future__ import annotations

import json
from datetime import date
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from conftest import Vault

from netvault.parse import parse_note

INTRO_ID = "2026-11-25 Ada Okafor -- Ben Carter"
NOTE = f"intros/{INTRO_ID}.md"
OUTBOX = ".netvault/outbox"
ADA_CONTACT = ("ada@example.com", "+49 30 5550 1742")
BEN_CONTACT = ("ben@example.com", "+49 151 5550 2231")
WHY = "Ben is hiring his first data team; Ada has run three."


def person(
    *,
    tie: int = 4,
    met: bool = True,
    share: str = "ask",
    intros: str = "yes",
    contact: tuple[str, str] | None = None,
    name: str | None = None,
    log: str = "",
) -> str:
    lines = ["---"]
    if name is not None:
        lines.append(f"name: {json.dumps(name)}")
    lines += [f"tie: {tie}", f"met_in_person: {'true' if met else 'false'}"]
    if contact:
        lines += [f"email: {contact[0]}", f'phone: "{contact[1]}"']
    lines += ["consent:", f"  share-contact: {share}", f"  introductions: {intros}", "---"]
    lines += ["# Notes", "", "## Log", "- 2025-01-01 (in person) coffee"]
    if log:
        lines.append(log)
    return "\n".join(lines) + "\n"


def intro_note(a: str, b: str, created: str, status: str = "asked", said: str = "pending") -> str:
    return (
        f'---\ntype: intro\na: "[[{a}]]"\nb: "[[{b}]]"\nstatus: {status}\n'
        f"a_said: {said}\nb_said: {said}\nwhy: x\ncreated: {created}\n---\n## Log\n"
    )


def setup(vault: Vault, ada: str | None = None, ben: str | None = None) -> Vault:
    vault.write(".netvault.toml", '[owner]\nname = "Sam Rivera"\nemail = "sam@example.org"\n')
    vault.write("people/Ada Okafor.md", ada or person(contact=ADA_CONTACT))
    vault.write("people/Ben Carter.md", ben or person(contact=BEN_CONTACT, share="yes"))
    vault.write("people/Cy Dee.md", person())
    return vault


def read_eml(path: Path) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(message, EmailMessage)
    return message


def body(message: EmailMessage) -> str:
    return str(message.get_content()).replace("\r\n", "\n")


def front_matter(vault: Vault, relpath: str) -> dict[str, object]:
    return dict(parse_note(relpath, (vault.root / relpath).read_bytes()).note.meta)


def section(text: str, heading: str) -> list[str]:
    """The non-blank lines under a `## heading`, up to the next `## `."""
    lines = text.split("\n")
    start = lines.index(heading) + 1
    out: list[str] = []
    for line in lines[start:]:
        if line.startswith("## "):
            break
        if line.strip():
            out.append(line)
    return out


# ---------------------------------------------------------------------------- guard rails


def fire(vault: Vault, *args: str) -> str:
    """Run an intro that must be refused; check nothing at all was written."""
    before = vault.snapshot()
    result = vault.run("intro", "Ada Okafor", "Ben Carter", "--why", WHY, *args)
    assert result.exit_code == 1, result.output
    assert vault.snapshot() == before
    assert not (vault.root / ".netvault").exists()
    assert "Nothing was written." in result.stderr
    return result.stderr


@pytest.mark.parametrize(
    ("ben", "extra_notes", "expected"),
    [
        (
            person(tie=2),
            {},
            "  - tie: your tie with Ben Carter is 2 (contact); introductions need at least "
            "3 (knows-my-work): never refer people you barely know",
        ),
        (
            person(met=False).replace("- 2025-01-01 (in person) coffee\n", ""),
            {},
            "  - met-in-person: you have never met Ben Carter in person (no met_in_person, "
            "no in-person log line)",
        ),
        (
            person(intros="no"),
            {},
            "  - consent: Ben Carter does not want to be introduced (consent.introductions: "
            "no) (no override passes this)",
        ),
        (
            person(log="- 2026-03-01 (call) talked about [[Ada Okafor]]"),
            {},
            "  - already-connected: Ada Okafor and Ben Carter are already connected: their "
            "notes link to each other",
        ),
        (
            person(),
            {"intros/old.md": intro_note("Ben Carter", "Ada Okafor", "2025-05-01", "declined")},
            "  - declined-before: an earlier intro between them was declined: [[old]]",
        ),
        (
            person(),
            {
                f"intros/{n}.md": intro_note("Ben Carter", "Cy Dee", day)
                for n, day in enumerate(("2026-10-27", "2026-11-10", "2026-11-25"))
            },
            "  - too-many-intros: you have introduced Ben Carter 3 times in the last 30 days; "
            "the limit is 3",
        ),
    ],
    ids=["tie", "met-in-person", "consent", "already-connected", "declined", "too-many"],
)
def test_each_guard_rail_refuses_and_writes_nothing(
    vault: Vault, ben: str, extra_notes: dict[str, str], expected: str
) -> None:
    setup(vault, ben=ben)
    for relpath, text in extra_notes.items():
        vault.write(relpath, text)
    assert expected in fire(vault).splitlines()


def test_every_failing_rail_is_listed_not_just_the_first(vault: Vault) -> None:
    setup(
        vault,
        ben=person(tie=1, met=False, log="- 2026-01-01 [[Ada Okafor]]").replace(
            "- 2025-01-01 (in person) coffee\n", ""
        ),
    )
    vault.write("people/Ada Okafor.md", person(intros="no"))
    listed = [line.split(":")[0] for line in fire(vault).splitlines() if line.startswith("  - ")]
    assert listed == ["  - tie", "  - met-in-person", "  - consent", "  - already-connected"]


def test_a_refusal_in_json_lists_the_failures(vault: Vault) -> None:
    setup(vault, ben=person(tie=2))
    before = vault.snapshot()
    result = vault.run("intro", "Ada Okafor", "Ben Carter", "--why", WHY, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "written": False,
        "failures": [
            {
                "rail": "tie",
                "person": "Ben Carter",
                "reason": "your tie with Ben Carter is 2 (contact); introductions need at least "
                "3 (knows-my-work): never refer people you barely know",
                "overridable": True,
            }
        ],
        "problems": [],
    }
    assert vault.snapshot() == before


def test_no_override_passes_a_consent_no(vault: Vault) -> None:
    setup(vault, ben=person(intros="no", tie=2))
    stderr = fire(vault, "--override", "she said it was fine")
    assert "consent: Ben Carter does not want to be introduced" in stderr
    assert "--override REASON" not in stderr


def test_override_proceeds_and_records_the_reason_and_the_rails(vault: Vault) -> None:
    setup(vault, ben=person(tie=2, contact=BEN_CONTACT))
    vault.write("intros/old.md", intro_note("Ben Carter", "Ada Okafor", "2025-05-01", "declined"))
    result = vault.run(
        "intro", "Ada Okafor", "Ben Carter", "--why", WHY, "--override", "Ben asked me twice"
    )
    assert result.exit_code == 0, result.output
    meta = front_matter(vault, NOTE)
    assert meta["override"] == "Ben asked me twice"
    assert meta["overridden"] == ["tie", "declined-before"]
    text = (vault.root / NOTE).read_text()
    assert section(text, "## Log") == [
        "- 2026-11-25 asked Ada Okafor and Ben Carter (override of tie, "
        "declined-before: Ben asked me twice)"
    ]
    assert "Overridden (Ben asked me twice):" in result.stdout


def test_same_person_twice_is_a_usage_error(vault: Vault) -> None:
    setup(vault)
    result = vault.run("intro", "Ada Okafor", "ada okafor", "--why", WHY)
    assert result.exit_code == 2
    assert "'Ada Okafor' and 'ada okafor' are the same person (Ada Okafor)" in result.stderr


def test_an_unknown_name_gets_suggestions(vault: Vault) -> None:
    setup(vault)
    result = vault.run("intro", "Ada Okafro", "Ben Carter", "--why", WHY)
    assert result.exit_code == 1
    assert "no contact named 'Ada Okafro'; did you mean 'Ada Okafor'?" in result.stderr
    assert not (vault.root / ".netvault").exists()


@pytest.mark.parametrize("args", [["--why", "  "], ["--why", "x", "--override", " "], []])
def test_why_and_override_must_say_something(vault: Vault, args: list[str]) -> None:
    setup(vault)
    assert vault.run("intro", "Ada Okafor", "Ben Carter", *args).exit_code == 2


# ---------------------------------------------------------------------------- end to end


def test_ask_both_yes_connect_made(vault: Vault) -> None:
    setup(vault)
    snapshot = vault.snapshot()
    people_before = {p: snapshot[p] for p in ("people/Ada Okafor.md", "people/Ben Carter.md")}

    # 1. Ask.
    asked = vault.run("intro", "Ada Okafor", "Ben Carter", "--why", WHY, "--json")
    assert asked.exit_code == 0, asked.output
    ask_files = [f"{INTRO_ID} - ask Ada Okafor.eml", f"{INTRO_ID} - ask Ben Carter.eml"]
    assert json.loads(asked.stdout) == {
        "written": True,
        "id": INTRO_ID,
        "note": NOTE,
        "a": "Ada Okafor",
        "b": "Ben Carter",
        "status": "asked",
        "override": None,
        "overridden": [],
        "drafts": [
            {
                "kind": "ask",
                "recipient": "Ada Okafor",
                "path": f"{OUTBOX}/{ask_files[0]}",
                "has_address": True,
                "shares_details": False,
            },
            {
                "kind": "ask",
                "recipient": "Ben Carter",
                "path": f"{OUTBOX}/{ask_files[1]}",
                "has_address": True,
                "shares_details": False,
            },
        ],
    }
    assert sorted(p.name for p in (vault.root / OUTBOX).iterdir()) == ask_files
    assert front_matter(vault, NOTE) == {
        "type": "intro",
        "a": "[[Ada Okafor]]",
        "b": "[[Ben Carter]]",
        "status": "asked",
        "a_said": "pending",
        "b_said": "pending",
        "why": WHY,
        "created": date(2026, 11, 25),
    }
    to_ada = read_eml(vault.root / OUTBOX / ask_files[0])
    assert str(to_ada["From"]) == "Sam Rivera <sam@example.org>"
    assert str(to_ada["To"]) == "Ada Okafor <ada@example.com>"
    assert str(to_ada["Subject"]) == "Would an introduction to Ben Carter help?"
    assert str(to_ada["X-Unsent"]) == "1"
    assert body(to_ada).startswith("Hi Ada,\n\nI'd like to introduce you to Ben Carter.\n")
    assert f"Why I thought of you two: {WHY}" in body(to_ada)
    to_ben = read_eml(vault.root / OUTBOX / ask_files[1])
    assert str(to_ben["To"]) == "Ben Carter <ben@example.com>"
    assert str(to_ben["Subject"]) == "Would an introduction to Ada Okafor help?"
    # An ask never carries the other's details, even with Ben's consent yes.
    for message, details in ((to_ada, BEN_CONTACT), (to_ben, ADA_CONTACT)):
        for detail in details:
            assert detail not in body(message) and detail not in str(message)
    note = (vault.root / NOTE).read_text()
    assert section(note, "## Ask")[:3] == [
        "### To Ada Okafor",
        "**Subject:** Would an introduction to Ben Carter help?",
        "> Hi Ada,",
    ]
    assert section(note, "## Connect") == []
    assert section(note, "## Log") == ["- 2026-11-25 asked Ada Okafor and Ben Carter"]

    # 2. Ada says yes: no connecting drafts yet.
    first = vault.run("intro-update", "2026-11-25 ada", "--a", "yes", "--note", "keen")
    assert first.exit_code == 0, first.output
    assert sorted(p.name for p in (vault.root / OUTBOX).iterdir()) == ask_files
    assert front_matter(vault, NOTE)["a_said"] == "yes"

    # 3. Ben says yes two days later: the connecting drafts, one to each.
    second = vault.run("intro-update", INTRO_ID, "--b", "yes", "--json", today="2026-11-27")
    assert second.exit_code == 0, second.output
    connect_files = [f"{INTRO_ID} - connect Ada Okafor.eml", f"{INTRO_ID} - connect Ben Carter.eml"]
    data = json.loads(second.stdout)
    assert data["status"] == "asked" and data["changed"] == ["b_said"]
    assert [d["path"] for d in data["drafts"]] == [f"{OUTBOX}/{f}" for f in connect_files]
    assert sorted(p.name for p in (vault.root / OUTBOX).iterdir()) == sorted(
        ask_files + connect_files
    )
    connect_ada = read_eml(vault.root / OUTBOX / connect_files[0])
    assert str(connect_ada["To"]) == "Ada Okafor <ada@example.com>"
    assert str(connect_ada["Subject"]) == "Introduction: Ada Okafor, meet Ben Carter"
    assert "You can reach Ben here:\n- e-mail: ben@example.com\n- phone: +49 151 5550 2231\n" in (
        body(connect_ada)
    )
    connect_ben = read_eml(vault.root / OUTBOX / connect_files[1])
    assert str(connect_ben["To"]) == "Ben Carter <ben@example.com>"
    assert "Ada has not said I may share contact details yet" in body(connect_ben)
    for detail in ADA_CONTACT:
        assert detail not in str(connect_ben) and detail not in body(connect_ben)
    note = (vault.root / NOTE).read_text()
    connect = section(note, "## Connect")
    assert connect[:3] == [
        "### To Ada Okafor",
        "**Subject:** Introduction: Ada Okafor, meet Ben Carter",
        "> Hi Ada,",
    ]
    assert "### To Ben Carter" in connect and "> - e-mail: ben@example.com" in connect
    assert all(detail not in note.split("### To Ben Carter")[1] for detail in ADA_CONTACT)
    assert vault.snapshot()["people/Ada Okafor.md"] == people_before["people/Ada Okafor.md"]

    # 4. Made: a dated #gave line in both contacts' logs.
    made = vault.run("intro-update", INTRO_ID, "--status", "made", today="2026-11-28")
    assert made.exit_code == 0, made.output
    assert front_matter(vault, NOTE)["status"] == "made"
    assert section((vault.root / NOTE).read_text(), "## Log") == [
        "- 2026-11-25 asked Ada Okafor and Ben Carter",
        "- 2026-11-25 Ada Okafor said yes: keen",
        "- 2026-11-27 Ben Carter said yes",
        "- 2026-11-28 status made",
    ]
    link = f"([[{INTRO_ID}|intro]]) #gave"
    ada_text = (vault.root / "people/Ada Okafor.md").read_text()
    ben_text = (vault.root / "people/Ben Carter.md").read_text()
    assert ada_text == people_before["people/Ada Okafor.md"].decode() + (
        f"- 2026-11-28 (email) introduced to [[Ben Carter]] {link}\n"
    )
    assert ben_text == people_before["people/Ben Carter.md"].decode() + (
        f"- 2026-11-28 (email) introduced to [[Ada Okafor]] {link}\n"
    )
    assert made.stdout.splitlines()[-2:] == [
        "Logged the intro in people/Ada Okafor.md",
        "Logged the intro in people/Ben Carter.md",
    ]

    # 5. Made again: nothing is duplicated.
    before = vault.snapshot()
    again = vault.run("intro-update", INTRO_ID, "--status", "made", today="2026-11-29")
    assert again.exit_code == 0, again.output
    assert vault.snapshot() == before
    assert set(before) == {
        ".netvault.toml",
        ".netvault/.gitignore",
        ".netvault/lock",
        "people/Ada Okafor.md",
        "people/Ben Carter.md",
        "people/Cy Dee.md",
        NOTE,
        *(f"{OUTBOX}/{f}" for f in ask_files + connect_files),
    }

    # The intro now connects them: a new one is refused.
    assert "already-connected" in fire_again(vault)


def fire_again(vault: Vault) -> str:
    result = vault.run("intro", "Ben Carter", "Ada Okafor", "--why", WHY)
    assert result.exit_code == 1
    return result.stderr


def test_made_log_lines_are_repaired_not_duplicated(vault: Vault) -> None:
    setup(vault)
    vault.write(NOTE, intro_note("Ada Okafor", "Ben Carter", "2026-11-25", "made", "yes"))
    ada_line = f"- 2026-11-26 (email) introduced to [[Ben Carter]] ([[{INTRO_ID}|intro]]) #gave"
    vault.write("people/Ada Okafor.md", person(contact=ADA_CONTACT, log=ada_line))
    ada_before = (vault.root / "people/Ada Okafor.md").read_bytes()
    result = vault.run("intro-update", INTRO_ID, "--status", "made", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["logged"] == ["people/Ben Carter.md"]
    assert (vault.root / "people/Ada Okafor.md").read_bytes() == ada_before


# ---------------------------------------------------------------------------- drafts


def test_names_are_inert_text_in_every_draft(vault: Vault) -> None:
    curly = "Ada {{ 'EVAL' ~ 'UATED' }} {% if true %}x{% endif %}"
    setup(vault, ada=person(name=curly, contact=ADA_CONTACT))
    result = vault.run("intro", curly, "Ben Carter", "--why", "{{ owner }} {% raw %}")
    assert result.exit_code == 0, result.output
    intro_id = f"2026-11-25 {curly} -- Ben Carter"
    note = (vault.root / f"intros/{intro_id}.md").read_text()
    assert f"# {curly} and Ben Carter" in note and "EVALUATED" not in note
    assert front_matter(vault, f"intros/{intro_id}.md")["why"] == "{{ owner }} {% raw %}"
    to_ben = read_eml(vault.root / OUTBOX / f"{intro_id} - ask Ben Carter.eml")
    assert str(to_ben["Subject"]) == f"Would an introduction to {curly} help?"
    assert f"I'd like to introduce you to {curly}." in body(to_ben)
    assert "{{ owner }} {% raw %}" in body(to_ben)
    to_ada = read_eml(vault.root / OUTBOX / f"{intro_id} - ask {curly}.eml")
    assert to_ada["To"].addresses[0].display_name == curly
    assert all("EVALUATED" not in p.read_text() for p in (vault.root / OUTBOX).iterdir())


def test_a_name_that_cannot_be_a_file_name_uses_the_note_file_name(vault: Vault) -> None:
    setup(vault, ada=person(name="Ada {{ 7*7 }}", contact=ADA_CONTACT))
    result = vault.run("intro", "Ada {{ 7*7 }}", "Ben Carter", "--why", WHY)
    assert result.exit_code == 0, result.output
    assert (vault.root / NOTE).is_file()
    assert "# Ada {{ 7*7 }} and Ben Carter" in (vault.root / NOTE).read_text()


def test_a_crlf_in_the_owner_name_cannot_add_a_header(vault: Vault) -> None:
    setup(vault)
    vault.write(
        ".netvault.toml",
        '[owner]\nname = "Sam\\r\\nBcc: evil@example.com"\nemail = "sam@example.org"\n',
    )
    assert vault.run("intro", "Ada Okafor", "Ben Carter", "--why", WHY).exit_code == 0
    for path in (vault.root / OUTBOX).iterdir():
        message = read_eml(path)
        assert list(message.keys()) == [
            "From",
            "To",
            "Subject",
            "X-Unsent",
            "Content-Type",
            "Content-Transfer-Encoding",
            "MIME-Version",
        ]
        (sender,) = message["From"].addresses
        assert sender.addr_spec == "sam@example.org"
        assert sender.display_name == "Sam Bcc: evil@example.com"
        headers = path.read_bytes().split(b"\r\n\r\n")[0]
        assert b"\r\nBcc:" not in headers and b"evil" not in headers.split(b"\r\n", 1)[1]
        assert body(message).endswith("Best,\nSam Bcc: evil@example.com\n")


def test_a_person_without_e_mail_still_gets_a_draft_without_to(vault: Vault) -> None:
    setup(vault, ben=person())
    result = vault.run("intro", "Ada Okafor", "Ben Carter", "--why", WHY)
    assert result.exit_code == 0, result.output
    assert f"  {INTRO_ID} - ask Ben Carter.eml  (no e-mail for Ben Carter: add the To)" in (
        result.stdout.splitlines()
    )
    message = read_eml(vault.root / OUTBOX / f"{INTRO_ID} - ask Ben Carter.eml")
    assert "To" not in message and str(message["Subject"]).startswith("Would an introduction")
    assert "### To Ben Carter (no e-mail on file: fill in the address)" in (
        (vault.root / NOTE).read_text()
    )


def test_a_symlinked_outbox_leading_out_of_the_vault_is_refused(
    vault: Vault, tmp_path: Path
) -> None:
    setup(vault)
    outside = tmp_path / "outside"
    outside.mkdir()
    (vault.root / ".netvault").mkdir()
    (vault.root / OUTBOX).symlink_to(outside, target_is_directory=True)
    result = vault.run("intro", "Ada Okafor", "Ben Carter", "--why", WHY)
    assert result.exit_code == 1
    assert "symlink" in result.stderr
    assert list(outside.iterdir()) == []
    assert not (vault.root / "intros").exists()


def test_an_existing_draft_is_never_overwritten_and_nothing_is_half_written(vault: Vault) -> None:
    setup(vault)
    vault.write(f"{OUTBOX}/{INTRO_ID} - ask Ben Carter.eml", "mine\n")
    result = vault.run("intro", "Ada Okafor", "Ben Carter", "--why", WHY)
    assert result.exit_code == 1
    assert "already exists; netvault will not overwrite it" in result.stderr
    assert sorted(p.name for p in (vault.root / OUTBOX).iterdir()) == [
        f"{INTRO_ID} - ask Ben Carter.eml"
    ]
    assert (vault.root / OUTBOX / f"{INTRO_ID} - ask Ben Carter.eml").read_text() == "mine\n"
    assert not (vault.root / "intros").exists()


# ---------------------------------------------------------------------------- intro-update


def two_intros(vault: Vault) -> Vault:
    setup(vault)
    vault.write(
        "intros/2026-11-01 Ada Okafor -- Ben Carter.md",
        intro_note("Ada Okafor", "Ben Carter", "2026-11-01"),
    )
    vault.write(
        "intros/2026-11-01 Ada Okafor -- Cy Dee.md",
        intro_note("Ada Okafor", "Cy Dee", "2026-11-01"),
    )
    return vault


def test_an_ambiguous_prefix_lists_the_candidates(vault: Vault) -> None:
    two_intros(vault)
    before = vault.snapshot()
    result = vault.run("intro-update", "2026-11-01 Ada", "--a", "yes")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-3:] == [
        "Error: '2026-11-01 Ada' matches 2 intros:",
        "  2026-11-01 Ada Okafor -- Ben Carter",
        "  2026-11-01 Ada Okafor -- Cy Dee",
    ]
    assert vault.snapshot() == before


def test_an_intro_resolves_by_either_persons_name(vault: Vault) -> None:
    two_intros(vault)
    result = vault.run("intro-update", "cy", "--a", "yes", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "2026-11-01 Ada Okafor -- Cy Dee"
    # Ada is in both intros: listed, never guessed.
    result = vault.run("intro-update", "ada", "--a", "yes")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-3:] == [
        "Error: 'ada' matches 2 intros:",
        "  2026-11-01 Ada Okafor -- Ben Carter",
        "  2026-11-01 Ada Okafor -- Cy Dee",
    ]


def test_an_unknown_intro_gets_suggestions(vault: Vault) -> None:
    two_intros(vault)
    result = vault.run("intro-update", "2026-11-01 Ada Okafor -- Cy Deee", "--a", "yes")
    assert result.exit_code == 1
    assert "did you mean '2026-11-01 Ada Okafor -- Cy Dee'" in result.stderr


def test_intro_update_needs_something_to_change(vault: Vault) -> None:
    two_intros(vault)
    assert vault.run("intro-update", "2026-11-01 Ada Okafor -- Cy").exit_code == 2
    assert vault.run("intro-update", "2026-11-01 Ada Okafor -- Cy", "--note", " ").exit_code == 2
    assert vault.run("intro-update", "x", "--a", "maybe").exit_code == 2


def test_made_without_two_yeses_is_refused_and_writes_nothing(vault: Vault) -> None:
    two_intros(vault)
    before = vault.snapshot()
    result = vault.run(
        "intro-update", "2026-11-01 Ada Okafor -- Cy", "--a", "yes", "--status", "made"
    )
    assert result.exit_code == 1
    assert "cannot mark the intro made: Cy Dee has not said yes" in result.stderr
    assert vault.snapshot() == before


def test_intro_update_edits_only_the_changed_keys(vault: Vault) -> None:
    two_intros(vault)
    path = vault.root / "intros/2026-11-01 Ada Okafor -- Cy Dee.md"
    before = path.read_text()
    result = vault.run(
        "intro-update", "2026-11-01 Ada Okafor -- Cy", "--b", "no", "--note", "too busy\nthis year"
    )
    assert result.exit_code == 0, result.output
    assert (
        path.read_text()
        == before.replace("b_said: pending", "b_said: 'no'").replace(
            "status: asked", "status: declined"
        )
        + "- 2026-11-25 Cy Dee said no; status declined: too busy this year\n"
    )


def test_intro_update_reads_the_sample_vault_shape(vault: Vault) -> None:
    setup(vault)
    original = (
        '---\ntype: intro\na: "[[Ada Okafor]]"\nb: "[[Ben Carter]]"\nstatus: made\n'
        "a_said: yes\nb_said: yes\nwhy: Ben wants advice.\ncreated: 2026-09-02\n---\n"
        "# Ada Okafor and Ben Carter\n\n## Outcome\n- 2026-09-03 Ada said yes\n"
    )
    vault.write("intros/2026-09-02 Ada Okafor -- Ben Carter.md", original)
    result = vault.run("intro-update", "2026-09-02", "--status", "clicked", "--note", "monthly")
    assert result.exit_code == 0, result.output
    text = (vault.root / "intros/2026-09-02 Ada Okafor -- Ben Carter.md").read_text()
    assert text == original.replace("status: made", "status: clicked") + (
        "\n## Log\n- 2026-11-25 status clicked: monthly\n"
    )


# ---------------------------------------------------------------------------- listings


def test_intros_lists_and_filters(vault: Vault) -> None:
    two_intros(vault)
    vault.write(
        "intros/2026-10-01 Ben Carter -- Cy Dee.md",
        intro_note("Ben Carter", "Cy Dee", "2026-10-01", "declined", "no"),
    )
    result = vault.run("intros")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "2026-10-01  declined  2026-10-01 Ben Carter -- Cy Dee  (Ben Carter no, Cy Dee no)",
        "2026-11-01  asked     2026-11-01 Ada Okafor -- Ben Carter  (Ada Okafor pending, "
        "Ben Carter pending)  waiting 3 weeks",
        "2026-11-01  asked     2026-11-01 Ada Okafor -- Cy Dee  (Ada Okafor pending, "
        "Cy Dee pending)  waiting 3 weeks",
        "3 intros",
    ]
    data = vault.json("intros", "--status", "declined")
    assert data == {
        "intros": [
            {
                "id": "2026-10-01 Ben Carter -- Cy Dee",
                "path": "intros/2026-10-01 Ben Carter -- Cy Dee.md",
                "a": "Ben Carter",
                "b": "Cy Dee",
                "status": "declined",
                "a_said": "no",
                "b_said": "no",
                "why": "x",
                "created": "2026-10-01",
                "days": 55,
                "waiting_for": [],
                "override": None,
                "overridden": [],
            }
        ],
        "problems": [],
    }
    assert vault.run("intros", "--status", "made").stdout == "No intros with status made.\n"


def test_suggest_and_hub(vault: Vault) -> None:
    setup(vault)
    vault.write(
        "people/Ada Okafor.md",
        person().replace("---\n# Notes", "offers: [engineering management]\n---\n# Notes"),
    )
    vault.write(
        "people/Ben Carter.md",
        person().replace("---\n# Notes", "needs: [engineering management advice]\n---\n# Notes"),
    )
    data = vault.json("suggest")
    assert data == {
        "suggestions": [
            {
                "a": "Ada Okafor",
                "b": "Ben Carter",
                "score": 3,
                "reasons": [
                    "Ben Carter needs engineering management advice; Ada Okafor offers "
                    "engineering management"
                ],
            }
        ],
        "total": 1,
    }
    assert vault.json("suggest", "Cy Dee") == {"suggestions": [], "total": 0}
    assert vault.run("suggest", "Cy Dee").stdout == "No introductions to suggest with Cy Dee.\n"
    vault.write("intros/1.md", intro_note("Ada Okafor", "Cy Dee", "2026-11-01", "made", "yes"))
    assert vault.json("hub") == {
        "intros": 1,
        "open": 0,
        "made": 1,
        "declined": 0,
        "clicked": 0,
        "business": 0,
        "answered": 1,
        "accepted": 1,
        "acceptance_rate": 1.0,
        "connected_most": [{"name": "Ada Okafor", "intros": 1}, {"name": "Cy Dee", "intros": 1}],
        "never_introduced": [{"name": "Ben Carter", "tie": 4}],
    }
    assert vault.run("hub").stdout.splitlines() == [
        "Intros: 1 (0 open, 1 made, 0 declined)",
        "Acceptance: 100% (1 of 1 answered)",
        "Clicked: 0, led to business: 0",
        "Connected most: Ada Okafor (1), Cy Dee (1)",
        "Strong ties you have never introduced to anyone:",
        "  Ben Carter  4 trusted",
    ]


# ---------------------------------------------------------------------------- rails that mean it


def test_planned_quoted_and_code_links_do_not_connect_two_people(vault: Vault) -> None:
    # The natural way to plan an intro is a task in one of the two notes.
    ada = person(contact=ADA_CONTACT).replace(
        "tie: 4", "tie: 4\noffers: [data team advice]"
    ).replace(
        "## Log\n",
        "- [ ] intro Ada to [[Ben Carter]] 📅 2026-12-20\n"
        "> [[Ben Carter]] once said: ship it\n"
        "`[[Ben Carter]]` in code\n"
        "```\n[[Ben Carter]]\n```\n"
        "## Log\n",
    )
    ben = person(contact=BEN_CONTACT, share="yes").replace(
        "tie: 4", "tie: 4\nneeds: [data team advice]"
    )
    setup(vault, ada=ada, ben=ben)
    pairs = [(s["a"], s["b"]) for s in vault.json("suggest")["suggestions"]]
    assert pairs == [("Ada Okafor", "Ben Carter")]
    result = vault.run("intro", "Ada Okafor", "Ben Carter", "--why", WHY)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Wrote {NOTE}\n")


def test_a_log_line_linking_them_still_connects_them(vault: Vault) -> None:
    log = "- 2026-02-01 (call) lunch with [[Ben Carter]]"
    setup(vault, ada=person(contact=ADA_CONTACT, log=log))
    stderr = fire(vault)
    assert (
        "  - already-connected: Ada Okafor and Ben Carter are already connected: "
        "their notes link to each other\n"
    ) in stderr


def test_a_declined_intro_is_reported_as_declined_not_as_connected(vault: Vault) -> None:
    setup(vault)
    vault.write("intros/old.md", intro_note("Ben Carter", "Ada Okafor", "2025-05-01", "declined"))
    stderr = fire(vault)
    assert stderr.splitlines()[1:3] == [
        "  - declined-before: an earlier intro between them was declined: [[old]]",
        "Nothing was written.",
    ]
    assert "already" not in stderr


def test_an_intro_under_way_is_named_as_such(vault: Vault) -> None:
    setup(vault)
    vault.write("intros/open.md", intro_note("Ada Okafor", "Ben Carter", "2026-11-20"))
    stderr = fire(vault)
    assert (
        "  - already-connected: Ada Okafor and Ben Carter are already connected: "
        "an intro is under way in [[open]]\n"
    ) in stderr


def test_override_with_nothing_to_override_is_a_usage_error(vault: Vault) -> None:
    setup(vault)
    before = vault.snapshot()
    result = vault.run("intro", "Ada Okafor", "Ben Carter", "--why", WHY, "--override", "sure")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: --override: every guard rail passes, so there is nothing to override; "
        "run again without it"
    )
    assert vault.snapshot() == before


def test_an_intro_without_an_owner_name_says_the_drafts_are_signed_me(vault: Vault) -> None:
    setup(vault)
    (vault.root / ".netvault.toml").unlink()
    result = vault.run("intro", "Ada Okafor", "Ben Carter", "--why", WHY)
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "netvault: owner name not set, so the drafts are signed 'me': "
        "set [owner] name in .netvault.toml\n"
    )


def test_answers_to_sharing_decide_what_the_connect_drafts_carry(vault: Vault) -> None:
    # Ben's consent says yes, but for this intro he said no; Ada's says ask, she said yes.
    setup(vault)
    assert vault.run("intro", "Ada Okafor", "Ben Carter", "--why", WHY).exit_code == 0
    result = vault.run(
        "intro-update", INTRO_ID, "--a", "yes", "--a-shares", "yes", "--b", "yes",
        "--b-shares", "no", "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {k: data[k] for k in ("a_said", "b_said", "a_shares", "b_shares", "notes")} == {
        "a_said": "yes",
        "b_said": "yes",
        "a_shares": "yes",
        "b_shares": "no",
        "notes": [],
    }
    assert [(d["recipient"], d["shares_details"]) for d in data["drafts"]] == [
        ("Ada Okafor", False),
        ("Ben Carter", True),
    ]
    assert data["changed"] == ["a_said", "b_said", "a_shares", "b_shares"]
    to_ada = body(read_eml(vault.root / OUTBOX / f"{INTRO_ID} - connect Ada Okafor.eml"))
    to_ben = body(read_eml(vault.root / OUTBOX / f"{INTRO_ID} - connect Ben Carter.eml"))
    assert "Ben has not said I may share contact details yet" in to_ada
    assert all(detail not in to_ada for detail in BEN_CONTACT)
    assert "You can reach Ada here:\n- e-mail: ada@example.com\n- phone: +49 30 5550 1742\n" in (
        to_ben
    )
    meta = front_matter(vault, NOTE)
    assert (meta["a_shares"], meta["b_shares"]) == ("yes", "no")
    assert section((vault.root / NOTE).read_text(), "## Log")[1] == (
        "- 2026-11-25 Ada Okafor said yes; Ben Carter said yes; Ada Okafor agreed to share "
        "contact details; Ben Carter would rather not share contact details"
    )


def test_a_sharing_answer_after_the_drafts_is_recorded_with_a_note(vault: Vault) -> None:
    setup(vault)
    assert vault.run("intro", "Ada Okafor", "Ben Carter", "--why", WHY).exit_code == 0
    assert vault.run("intro-update", INTRO_ID, "--a", "yes", "--b", "yes").exit_code == 0
    result = vault.run("intro-update", INTRO_ID, "--a-shares", "yes")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{INTRO_ID}: asked (Ada Okafor yes, Ben Carter yes)",
        "Note: the connecting drafts were written when the second yes came; check what they "
        "share before you send them",
    ]
    assert front_matter(vault, NOTE)["a_shares"] == "yes"
