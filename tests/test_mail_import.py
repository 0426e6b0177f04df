"""`netvault import mail`: e-mail days from mbox files and Maildirs, headers only; exact
lines, skips that add up, idempotence byte for byte, a generated 10,000-message mailbox."""

from __future__ import annotations

import mailbox
from collections.abc import Callable
from datetime import date
from email.header import Header
from pathlib import Path

import pytest
from activity_data import generated_messages, message_bytes, write_maildir, write_mbox
from conftest import ACTIVITY_OWNER, Vault
from hypothesis import given, settings
from hypothesis import strategies as st

from netvault.activity import AddressBook, owner_addresses
from netvault.importers.mail import parse_headers
from netvault.index import load_index
from netvault.model import Contact

SAMPLE = str(Path(__file__).resolve().parent / "fixtures" / "mail" / "sample.mbox")


def read(vault: Vault, relpath: str) -> str:
    return (vault.root / relpath).read_text(encoding="utf-8")


def test_an_mbox_logs_one_line_per_contact_and_day_and_a_rerun_changes_no_byte(
    activity_vault: Vault, local_zone: Callable[[str], None]
) -> None:
    local_zone("UTC")
    result = activity_vault.run("import", "mail", SAMPLE)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Logged e-mail days in:",
        "  people/Ada Okafor.md: 2",
        "  people/Ben Carter.md: 2",
        "  people/Marcus Bell.md: 2",
        "sample.mbox: 13 messages read: 6 matched, 7 skipped (2 mailing list, 2 no reply, "
        "1 no date, 1 future date, 1 no contact)",
        "6 e-mail days: 6 logged in 3 notes, 0 already logged",
    ]
    assert read(activity_vault, "people/Ada Okafor.md").endswith(
        "## Log\n"
        "- 2026-09-01 (call) catch-up\n"
        "- 2026-10-12 (email) e-mail from them\n"
        "- 2026-11-02 (email) e-mails both ways\n"
        "\n"
        "## Follow-ups\n"
        "- [ ] send Ada the write-up\n"
    )
    # In date order, as `log` places lines: before the later meeting already there.
    assert read(activity_vault, "people/Ben Carter.md").endswith(
        "## Log\n"
        "- 2026-11-02 (email) e-mail to them\n"
        "- 2026-11-07 (email) e-mail from them\n"
        "- 2026-11-20 (in person) drinks\n"
    )
    # E-mail is not a meeting: last_met never moves; a missing first_met is filled.
    assert read(activity_vault, "people/Marcus Bell.md") == (
        "---\n"
        "name: Marcus Bell\n"
        "aliases: [Marc]\n"
        "tie: 5\n"
        "email: marcus.bell@gmail.com\n"
        "first_met: 2026-11-05\n"
        "---\n"
        "Flatmate at Leeds.\n"
        "\n"
        "## Log\n"
        "- 2026-11-05 (email) e-mail from them\n"
        "- 2026-11-06 (email) e-mail to them\n"
    )
    assert "last_met: 2026-09-01\n" in read(activity_vault, "people/Ada Okafor.md")

    before = activity_vault.snapshot()
    again = activity_vault.run("import", "mail", SAMPLE)
    assert activity_vault.snapshot() == before
    assert again.stdout.splitlines()[-1] == "6 e-mail days: 0 logged in 0 notes, 6 already logged"


def test_no_subject_or_body_ever_reaches_the_vault(activity_vault: Vault) -> None:
    activity_vault.run("import", "mail", SAMPLE)
    written = b"".join(activity_vault.snapshot().values())
    assert b"SECRET" not in written
    assert b"quarterly" not in written


def test_the_summary_adds_up_in_json(
    activity_vault: Vault, local_zone: Callable[[str], None]
) -> None:
    local_zone("UTC")
    data = activity_vault.json("import", "mail", SAMPLE, "--since", "2026-11-01", "--dry-run")
    messages = data["messages"]
    assert messages == {
        "read": 13,
        "matched": 5,
        "skipped": {
            "mailing-list": 2,
            "no-reply": 2,
            "no-date": 1,
            "future-date": 1,
            "before-since": 1,
            "no-contact": 1,
            "unreadable": 0,
        },
    }
    assert messages["read"] == messages["matched"] + sum(messages["skipped"].values())
    assert data["interactions"] == {
        "found": 5,
        "logged": 5,
        "already_logged": 0,
        "refused": 0,
        "notes_changed": 3,
    }
    assert data["dry_run"] is True
    assert "2026-10-12" not in read(activity_vault, "people/Ada Okafor.md")


def test_a_maildir_with_sent_mail_and_no_drafts_or_trash(
    activity_vault: Vault, local_zone: Callable[[str], None]
) -> None:
    local_zone("Europe/Berlin")
    box = mailbox.Maildir(activity_vault.root.parent / "Mail", create=True)
    inbox_message = (
        "From: =?utf-8?q?Ada_Okaf=C3=B3r?= <ada.okafor@example.com>\n"
        f"To: {ACTIVITY_OWNER}\nSubject: x\nDate: Mon, 16 Nov 2026 23:30:00 +0000\n\nbody\n"
    )
    box.add(inbox_message.encode())
    sent = box.add_folder("Sent")
    sent.add(
        f"From: {ACTIVITY_OWNER}\nTo: ben@carter.example\nSubject: x\n"
        "Date: Tue, 17 Nov 2026 09:00:00 +0100\n\nbody\n".encode()
    )
    for name in ("Drafts", "Trash", "Junk"):
        box.add_folder(name).add(
            f"From: {ACTIVITY_OWNER}\nTo: ada.okafor@example.com\nSubject: x\n"
            "Date: Fri, 20 Nov 2026 09:00:00 +0100\n\nunsent\n".encode()
        )
    data = activity_vault.json("import", "mail", str(activity_vault.root.parent / "Mail"))
    assert data["messages"]["read"] == 2
    lines = {n["path"]: n["logged"] for n in data["notes"]}
    # 23:30 UTC on the 16th is past midnight in Berlin: the 17th where you are.
    assert lines == {
        "people/Ada Okafor.md": ["- 2026-11-17 (email) e-mail from them"],
        "people/Ben Carter.md": ["- 2026-11-17 (email) e-mail to them"],
    }


def test_a_path_that_is_no_mailbox_is_a_clear_error(vault: Vault) -> None:
    not_mail = vault.write("../notes.txt", "just some text\n")
    result = vault.run("import", "mail", str(not_mail))
    assert result.exit_code == 1
    assert "not an mbox file (it does not start with a 'From ' line)" in result.output
    folder = vault.root.parent / "folder"
    folder.mkdir()
    result = vault.run("import", "mail", str(folder))
    assert result.exit_code == 1
    assert "not a Maildir (it has no cur/ or new/ folder)" in result.output
    assert "Traceback" not in result.output


def test_your_other_addresses_come_from_your_own_config(
    activity_vault: Vault, user_dirs: Path
) -> None:
    message = (
        "From: Sam <sam@private.example>\nTo: ada.okafor@example.com\nSubject: x\n"
        "Date: Mon, 16 Nov 2026 12:00:00 +0000\n\nbody\n"
    )
    box = activity_vault.root.parent / "sent.mbox"
    box.write_bytes(b"From sam Mon Nov 16 12:00:00 2026\n" + message.encode())
    data = activity_vault.json("import", "mail", str(box), "--dry-run")
    assert data["messages"]["skipped"]["no-contact"] == 1
    config = user_dirs / "xdg_config_home" / "netvault" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[owner]\nemails = ["Sam@Private.example"]\n', encoding="utf-8")
    data = activity_vault.json("import", "mail", str(box), "--dry-run")
    assert data["notes"][0]["logged"] == ["- 2026-11-16 (email) e-mail to them"]


def test_a_shared_address_goes_to_the_person_the_display_name_names() -> None:
    john = Contact("John Smith", "people/John Smith.md", emails=("family@smith.example",))
    jane = Contact("Jane Smith", "people/Jane Smith.md", aliases=("Janie",),
                   emails=("Family@Smith.example",))
    book = AddressBook([john, jane])
    assert book.match("family@smith.example", "Janie") == (jane,)
    assert book.match("FAMILY@smith.example", "The Smiths") == (john, jane)
    assert book.match("family+school@smith.example") == (john, jane)
    assert book.match("nobody@smith.example") == ()


def test_owner_addresses_include_the_mailbox_they_deliver_to(vault: Vault) -> None:
    vault.write(".netvault.toml", '[owner]\nemail = "Sam.Rivera@gmail.com"\n')
    index = load_index(vault.root)
    owner = owner_addresses(index, {"owner": {"emails": ["work@example.org", 42]}})
    assert owner == frozenset({"sam.rivera@gmail.com", "samrivera@gmail.com",
                               "work@example.org"})


_NAMES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
    max_size=30,
).map(lambda s: " ".join(s.split())).filter(bool)


@settings(max_examples=60, deadline=None)
@given(name=_NAMES)
def test_encoded_display_names_decode_to_what_was_encoded(name: str) -> None:
    encoded = Header(name, "utf-8").encode()
    head = f"From: {encoded} <ada@example.com>\nDate: Mon, 16 Nov 2026 12:00:00 +0000\n"
    found = parse_headers(head.encode("ascii"))
    assert [(a.email, a.name) for a in found.senders] == [("ada@example.com", name)]


@pytest.fixture(scope="session")
def big_mailboxes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """A 10,000-message mbox and a 2,000-message Maildir, generated once per session."""
    folder = tmp_path_factory.mktemp("mail")
    people = [f"person{n}@example.com" for n in range(60)]
    names = {address: f"Pérsön {n}" for n, address in enumerate(people) if n % 3 == 0}
    write_mbox(folder / "big.mbox", generated_messages(10_000, people, ACTIVITY_OWNER,
                                                       date(2026, 11, 24)), names)
    write_maildir(folder / "Maildir", generated_messages(2_000, people, ACTIVITY_OWNER,
                                                         date(2026, 11, 24), seed=12), names)
    return folder / "big.mbox", folder / "Maildir", people


@pytest.mark.parametrize("which", ["mbox", "Maildir"])
def test_a_generated_mailbox_of_10000_messages(
    vault: Vault,
    big_mailboxes: tuple[Path, Path, list[str]],
    local_zone: Callable[[str], None],
    which: str,
) -> None:
    local_zone("UTC")
    mbox, maildir, people = big_mailboxes
    for number, address in enumerate(people):
        vault.write(f"people/Person {number:02d}.md", f"---\nemail: {address}\n---\n")
    vault.write(".netvault.toml", f'[owner]\nemail = "{ACTIVITY_OWNER}"\n')
    count, seed, path = (10_000, 11, mbox) if which == "mbox" else (2_000, 12, maildir)
    messages = generated_messages(count, people, ACTIVITY_OWNER, date(2026, 11, 24), seed)
    expected: dict[str, set[date]] = {}
    for message in messages:
        if message.bulk:
            continue
        others = message.recipients if message.sender == ACTIVITY_OWNER else (message.sender,)
        for address in others:
            expected.setdefault(address, set()).add(message.day)
    data = vault.json("import", "mail", str(path))
    assert data["messages"]["read"] == count
    assert data["messages"]["skipped"]["mailing-list"] == sum(m.bulk for m in messages)
    assert data["interactions"]["logged"] == sum(len(days) for days in expected.values())
    note = (vault.root / "people/Person 07.md").read_text(encoding="utf-8")
    logged = {date.fromisoformat(line[2:12]) for line in note.splitlines() if "(email)" in line}
    assert logged == expected["person7@example.com"]
    before = vault.snapshot()
    again = vault.json("import", "mail", str(path))
    assert vault.snapshot() == before
    assert again["interactions"]["logged"] == 0


def test_message_bytes_are_about_4_kb() -> None:
    people = ["a@example.com", "b@example.com", "c@example.com"]
    sample = generated_messages(3, people, ACTIVITY_OWNER, date(2026, 11, 24))
    sizes = [len(message_bytes(m, n, {})) for n, m in enumerate(sample)]
    assert all(3_800 <= size <= 4_400 for size in sizes), sizes
