"""Likely duplicates: same e-mail, same phone, near-identical names, sync-tool copies."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from netvault.cli import cli
from netvault.duplicates import likely_duplicates
from netvault.index import load_index


def write(root: Path, relpath: str, text: str) -> None:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def person(name: str, *lines: str) -> str:
    return "---\n" + f"name: {name}\n" + "".join(line + "\n" for line in lines) + "---\n"


def found(root: Path) -> list[tuple[str, int, str]]:
    return [(p.path, p.line, p.message) for p in likely_duplicates(load_index(root))]


def test_same_email_and_phone_is_one_warning_on_the_weaker_note(tmp_path: Path) -> None:
    write(
        tmp_path,
        "people/Ada Okafor.md",
        person("Ada Okafor", "tie: 5", "email: Ada@X.org", 'phone: "+49 30 5550 1742"'),
    )
    write(
        tmp_path,
        "people/A. Okafor.md",
        person("A. Okafor", "tie: 1", "phone: 030 55501742", "email: [other@y.org, ada@x.org]"),
    )
    write(tmp_path, "people/Ben Carter.md", person("Ben Carter", "email: ben@y.org"))
    assert found(tmp_path) == [
        (
            "people/A. Okafor.md",
            5,  # the line of the e-mail, written as this note writes it
            "likely duplicate of people/Ada Okafor.md (same e-mail ada@x.org, same phone "
            '030 55501742); merge with: netvault merge "Ada Okafor" "A. Okafor"',
        )
    ]


def test_near_identical_names_and_aliases(tmp_path: Path) -> None:
    write(tmp_path, "people/John Smith.md", person("John Smith", "tie: 3"))
    write(tmp_path, "people/Maria Fernandez.md", person("Maria Fernandez", "tie: 3"))
    write(tmp_path, "people/Maria Fernandes.md", person("Maria Fernandes"))
    write(tmp_path, "people/Jon Smith.md", person("Jon Smith"))  # another first name
    write(tmp_path, "people/Lee Dana.md", person("Lee Dana"))
    write(tmp_path, "people/Dana Lee.md", person("Dana Lee", "tie: 2"))
    write(tmp_path, "people/Ben Carter.md", person("Ben Carter", "aliases: [Benji]"))
    write(tmp_path, "people/Benji.md", person("Benji"))
    write(tmp_path, "people/Ana Li.md", person("Ana Li"))
    write(tmp_path, "people/Ana Lee.md", person("Ana Lee"))  # not Dana Lee: another initial
    write(tmp_path, "people/John Doe II.md", person("John Doe II"))  # father and son
    write(tmp_path, "people/John Doe III.md", person("John Doe III"))
    write(tmp_path, "people/Mary Smith Jr.md", person("Mary Smith Jr"))
    write(tmp_path, "people/Mary Smith Sr.md", person("Mary Smith Sr"))
    assert [(path, message.split("; merge")[0]) for path, _, message in found(tmp_path)] == [
        (
            "people/Benji.md",
            "likely duplicate of people/Ben Carter.md ('Benji' is an alias of Ben Carter)",
        ),
        ("people/Lee Dana.md", "likely duplicate of people/Dana Lee.md (near-identical name)"),
        (
            "people/Maria Fernandes.md",
            "likely duplicate of people/Maria Fernandez.md (near-identical name)",
        ),
    ]


def test_people_who_only_look_alike_can_say_so(tmp_path: Path) -> None:
    write(tmp_path, "people/Dana Lee.md", person("Dana Lee"))
    write(tmp_path, "people/Dan Lee.md", person("Dan Lee", 'distinct_from: ["[[Dana Lee]]"]'))
    assert found(tmp_path) == []


def test_sync_conflict_copies_are_duplicates_of_the_original(tmp_path: Path) -> None:
    ada = person("Ada Okafor", "tie: 5", "email: ada@x.org")
    write(tmp_path, "people/Ada Okafor.md", ada)
    copies = [
        "people/Ada Okafor (conflicted copy).md",
        "people/Ada Okafor (Sam's conflicted copy 2026-11-20).md",
        "people/Ada Okafor (conflicted copy 2026-11-20 101010).md",
        "people/Ada Okafor 2.md",
        "people/Ada Okafor (1).md",
        "people/Ada Okafor.sync-conflict-20261120-101010-ABCDEFG.md",
    ]
    for copy in copies:
        write(tmp_path, copy, person("Ada Okafor", "tie: 1"))
    write(tmp_path, "people/Agent 47.md", person("Agent 47"))  # no "Agent" note: not a copy
    problems = found(tmp_path)
    assert sorted(path for path, _, _ in problems) == sorted(copies)
    by_path = {path: message for path, _, message in problems}
    assert by_path["people/Ada Okafor 2.md"] == (
        "likely duplicate of people/Ada Okafor.md (a sync conflict copy, same name); "
        'merge with: netvault merge "people/Ada Okafor" "people/Ada Okafor 2"'
    )


def test_the_suggested_merge_command_works(tmp_path: Path) -> None:
    write(tmp_path, "people/Ada Okafor.md", person("Ada Okafor", "tie: 5", "email: ada@x.org"))
    write(
        tmp_path,
        "people/Ada Okafor (conflicted copy).md",
        person("Ada Okafor", "tie: 5", "email: ada@x.org", "phone: 555 0100 123"),
    )
    write(tmp_path, "daily/2026-11-20.md", "- (call) with [[Ada Okafor (conflicted copy)]]\n")
    [(_, _, message)] = found(tmp_path)
    command = message.split("merge with: netvault ")[1]
    assert command == 'merge "people/Ada Okafor" "people/Ada Okafor (conflicted copy)"'
    args = ["merge", "people/Ada Okafor", "people/Ada Okafor (conflicted copy)"]
    result = CliRunner().invoke(cli, ["--vault", str(tmp_path), *args])
    assert result.exit_code == 0, result.output
    assert found(tmp_path) == []
    assert load_index(tmp_path).lookup("Ada Okafor").phones == ("555 0100 123",)
    assert (tmp_path / "daily/2026-11-20.md").read_text(encoding="utf-8") == (
        "- (call) with [[Ada Okafor|Ada Okafor (conflicted copy)]]\n"
    )
