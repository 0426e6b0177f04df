"""Imports keep every person, exactly (issue 13): each reproduction is a fixture in
tests/fixtures/import/ (made-up people), imported through the CLI twice. The notes are read
back with PyYAML (YAML 1.1) and ruamel.yaml in YAML 1.2 mode: both must see the same values."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from conftest import Vault
from ruamel.yaml import YAML

from netvault.index import load_index
from netvault.parse import parse_note

FIXTURES = Path(__file__).parent / "fixtures"
REPRO = FIXTURES / "import"
_YAML12 = YAML(typ="safe", pure=True)
_YAML12.version = (1, 2)
# What every imported person starts with; `people()` leaves these out of its dicts.
STARTS_WITH = {"tie": 1, "met_in_person": False, "share-contact": "ask", "introductions": "ask"}


def front_matter(path: Path) -> dict[str, Any]:
    """The note's front-matter, the same under YAML 1.1 and YAML 1.2 readers."""
    text = path.read_text(encoding="utf-8")
    block = text.split("---\n", 2)[1]
    old, new = yaml.safe_load(block), _YAML12.load(io.StringIO(block))
    assert old == new, path.name
    return dict(old)


def people(vault: Vault) -> dict[str, dict[str, Any]]:
    """File name -> front-matter (without the keys every import starts with)."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted((vault.root / "people").glob("*.md")):
        data = front_matter(path)
        for key, value in STARTS_WITH.items():
            assert data.pop(key) == value, (path.name, key)
        if data.get("aliases") == []:  # the template writes the key, empty, for Obsidian
            del data["aliases"]
        found[path.name] = data
    return found


def run_import(vault: Vault, kind: str, *files: str, args: tuple[str, ...] = ()) -> Result:
    return vault.run("import", kind, *(str(REPRO / name) for name in files), *args)


def summary(result: Result) -> str:
    return result.stdout.splitlines()[-1]


def summary_of(records: int, created: int = 0, notes: int = 0, updated: int = 0,
               unchanged: int = 0, changed: int = 0, conflicted: int = 0, skipped: int = 0,
               problems: int = 0) -> str:
    assert created + updated + unchanged + changed + conflicted + skipped == records
    plural = "" if notes == 1 else "s"
    return (
        f"{records} records: {created} created ({notes} new note{plural}), {updated} updated, "
        f"{unchanged} unchanged, {changed} changed, {conflicted} conflicted, {skipped} skipped; "
        f"{problems} problem{'' if problems == 1 else 's'}"
    )


def imported_twice(vault: Vault, kind: str, *files: str, first: str, exit_code: int = 0,
                   problems: int = 0, again_exit_code: int | None = None) -> Result:
    """Import, check the summary; import again: nothing changes on disk, all unchanged."""
    result = run_import(vault, kind, *files)
    assert result.exit_code == exit_code, result.output
    assert summary(result) == first
    before = vault.snapshot()
    again = run_import(vault, kind, *files)
    assert again.exit_code == (exit_code if again_exit_code is None else again_exit_code)
    records = int(first.split(" ", 1)[0])
    skipped = int(first.split(" skipped")[0].rsplit(" ", 1)[1])
    assert summary(again) == summary_of(
        records, unchanged=records - skipped, skipped=skipped, problems=problems
    )
    assert vault.snapshot() == before
    return result


# ---- 1. different people with the same name ----------------------------------------------


def test_repro1_two_linkedin_connections_of_one_name_are_two_notes(vault: Vault) -> None:
    source = "linkedin:repro1-linkedin-same-name.csv"
    result = imported_twice(
        vault, "linkedin", "repro1-linkedin-same-name.csv", first=summary_of(2, 2, 2)
    )
    assert "Created:\n  people/Sam Lee.md" in result.stdout
    assert people(vault) == {
        "Sam Lee (Globex).md": {
            "name": "Sam Lee", "company": "Globex", "role": "Recruiter",
            "links": ["https://www.linkedin.com/in/sam-lee-222"],
            "connected_on": date(2009, 9, 4), "source": source,
        },
        "Sam Lee.md": {
            "name": "Sam Lee", "company": "Acme", "role": "Designer",
            "links": ["https://www.linkedin.com/in/sam-lee-111"],
            "connected_on": date(2013, 8, 13), "source": source,
        },
    }  # fmt: skip
    # The file name is the identity: each one finds its own person; the shared name alone
    # is ambiguous and lists both file names (exit 2).
    shown = vault.run("show", "Sam Lee (Globex)", "--json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["company"] == "Globex"
    ambiguous = vault.run("show", "Sam Lee")
    assert ambiguous.exit_code == 2
    assert "people/Sam Lee (Globex).md" in ambiguous.output
    assert "people/Sam Lee.md" in ambiguous.output
    # Two people of one name are information for `check`, not an error, nor a duplicate.
    check = [p for p in vault.json("check")["problems"] if p["path"].startswith("people/")]
    assert [(p["path"], p["severity"], p["code"]) for p in check] == [
        ("people/Sam Lee (Globex).md", "info", "same-name")
    ]


def test_repro1_google_rows_of_one_name_keep_both_numbers(vault: Vault) -> None:
    imported_twice(vault, "google", "repro1-google-same-name.csv", first=summary_of(2, 2, 2))
    source = "google:repro1-google-same-name.csv"
    assert people(vault) == {
        "Manu (2nd).md": {"name": "Manu", "phone": ["+34 600 333 444"], "source": source},
        "Manu.md": {"name": "Manu", "phone": ["+34 600 111 222"], "source": source},
    }


# ---- 2. names a file name cannot hold ----------------------------------------------------


def test_repro2_names_with_reserved_characters_are_kept_exactly(vault: Vault) -> None:
    imported_twice(
        vault, "linkedin", "repro2-linkedin-special-names.csv", first=summary_of(12, 12, 12)
    )
    found = people(vault)
    assert {file: data["name"] for file, data in found.items()} == {
        "(Gus) Hale.md": "[Gus] Hale",
        "Ana (Ops).md": "Ana <Ops>",
        "Bo - Design.md": "Bo | Design",
        "C- Developer.md": "C# Developer",
        "C-O Office.md": "C/O Office",
        "Cy Wu.md": "Cy Wu?",
        "Di- Moss.md": "Di* Moss",
        "Ed - Admin.md": "Ed \\ Admin",
        "Fay-2 Kim.md": "Fay^2 Kim",
        "Hal- CTO.md": "Hal: CTO",
        "James 'JT' Ortiz.md": 'James "JT" Ortiz',
        "Joel Park (he-him).md": "Joel Park (he/him)",
    }
    assert all("aliases" not in d and d["company"] == "Umbra Works" for d in found.values())
    # The real name finds the person, and so does the file name.
    index = load_index(vault.root)
    assert index.lookup("Joel Park (he/him)").path == "people/Joel Park (he-him).md"
    assert index.lookup("Joel Park (he-him)").name == "Joel Park (he/him)"
    assert [p for p in index.problems if p.severity != "info"] == []


# ---- 3. different people sharing one e-mail ----------------------------------------------


def test_repro3_people_sharing_an_address_stay_two_people(vault: Vault) -> None:
    imported_twice(vault, "google", "repro3-google-shared-email.csv", first=summary_of(2, 2, 2))
    source = "google:repro3-google-shared-email.csv"
    assert people(vault) == {
        "Jane Smith.md": {
            "name": "Jane Smith", "email": ["family@smith.example"],
            "phone": ["+1 202 555 0177"], "birthday": date(1984, 2, 29), "source": source,
        },
        "John Smith.md": {"name": "John Smith", "email": ["family@smith.example"],
                          "source": source},
    }  # fmt: skip
    # Nor does `check` call them duplicates of each other.
    assert [p for p in vault.json("check")["problems"] if p["path"].startswith("people/")] == []


def test_repro3_a_shared_address_in_the_vault_does_not_swallow_a_new_person(vault: Vault) -> None:
    john = "---\nname: John Smith\ntie: 4\nemail: family@smith.example\n---\n"
    vault.write("people/John Smith.md", john)
    result = run_import(vault, "google", "repro3-google-shared-email.csv")
    assert summary(result) == summary_of(2, created=1, notes=1, updated=1)
    assert "Merged:\n  repro3-google-shared-email.csv:2 John Smith: merged into " \
        "people/John Smith.md by e-mail\n" in result.stdout
    # John's note only gains where he came from; Jane is a person of her own.
    assert (vault.root / "people/John Smith.md").read_text(encoding="utf-8") == (
        "---\nname: John Smith\ntie: 4\nemail: family@smith.example\n"
        "source: google:repro3-google-shared-email.csv\n---\n"
    )
    assert front_matter(vault.root / "people/Jane Smith.md")["phone"] == ["+1 202 555 0177"]


# ---- 4. an e-mail address or a phone number as the name ----------------------------------


def test_repro4_an_address_is_no_name_when_another_row_has_one(vault: Vault) -> None:
    result = imported_twice(
        vault, "google", "repro4-google-email-as-name.csv", first=summary_of(2, 2, 1)
    )
    assert "repro4-google-email-as-name.csv:2 (no name): merged into people/Kit Ito.md by e-mail" \
        in result.stdout
    assert people(vault) == {
        "Kit Ito.md": {"name": "Kit Ito", "email": ["kit@example.com"],
                       "source": "google:repro4-google-email-as-name.csv"},
    }
    assert vault.run("show", "Kit Ito").exit_code == 0


def test_repro4_cards_named_by_an_address_or_number_never_show_it(vault: Vault) -> None:
    result = imported_twice(
        vault, "vcard", "repro4-address-as-name.vcf",
        first=summary_of(3, 3, 3, problems=1), exit_code=1, again_exit_code=0,
    )
    assert f"{REPRO / 'repro4-address-as-name.vcf'}:7: no name (it has +44 7700 900987); " \
        "imported as people/Unnamed contact 1.md: give it a name there" in result.stdout
    source = "vcard:repro4-address-as-name.vcf"
    assert people(vault) == {
        "Initech.md": {"name": "Initech", "company": "Initech",
                       "email": ["ops@initech.example"], "source": source},
        "Jane Private.md": {"name": "Jane Private", "email": ["jane.private@example.net"],
                            "source": source},
        "Unnamed contact 1.md": {"name": "Unnamed contact 1", "phone": ["+44 7700 900987"],
                                 "source": source},
    }  # fmt: skip
    # Consent is `ask`: no default output shows the address or the number.
    private = ("jane.private", "ops@initech", "900987")
    outputs = [
        vault.run("export", "csv").stdout,
        vault.run("graph").stdout,
        vault.run("report", "--format", "html", "--out", str(vault.root.parent / "r.html"))
        .stdout,
        (vault.root.parent / "r.html").read_text(encoding="utf-8"),
    ]
    for output in outputs:
        assert output and not any(secret in output for secret in private)


# ---- 5. LinkedIn's older layout -------------------------------------------------------------


def test_repro5_the_2018_layout_dates_and_member_urns(vault: Vault) -> None:
    result = imported_twice(
        vault, "linkedin", "repro5-linkedin-2018.csv",
        first=summary_of(5, 5, 5, problems=1), exit_code=1, problems=1,
    )
    assert "repro5-linkedin-2018.csv:6: Email Address 'n/a' is not an e-mail address; left out" \
        in result.stdout
    source = "linkedin:repro5-linkedin-2018.csv"
    assert people(vault) == {
        "Ola Berg.md": {"name": "Ola Berg", "connected_on": date(2016, 3, 3), "source": source},
        "Ravi Menon.md": {
            "name": "Ravi Menon", "company": "Orbital Labs", "role": "Engineer",
            "connected_on": date(2018, 1, 8), "linkedin_urn": "urn:li:member:664293716",
            "source": source,
        },
        "Sam Lee (Globex).md": {"name": "Sam Lee", "company": "Globex", "role": "Recruiter",
                                "connected_on": date(2009, 9, 4), "source": source},
        "Sam Lee.md": {"name": "Sam Lee", "company": "Acme", "role": "Designer",
                       "connected_on": date(2013, 8, 13), "source": source},
        "Tess Noor.md": {
            "name": "Tess Noor", "company": "Beacon", "role": "Analyst",
            "email": ["tess.noor@example.org"], "connected_on": date(2017, 12, 31),
            "source": source,
        },
    }  # fmt: skip
    # The URN is no e-mail: it leaves nothing in an e-mail export column.
    exported = vault.run("export", "csv", "--include-private").stdout
    assert "urn:li:member:664293716" not in exported.split("LinkedIn URN", 1)[1].split(
        "Ravi Menon", 1)[1].split(",")[5]


def test_repro5_the_older_layout_finds_the_people_the_newer_one_made(vault: Vault) -> None:
    assert run_import(vault, "linkedin", "repro1-linkedin-same-name.csv").exit_code == 0
    result = vault.json("import", "linkedin", str(REPRO / "repro5-linkedin-2018.csv"))
    sams = [o for o in result["outcomes"] if o["name"] == "Sam Lee"]
    # No URL in 2018: the name and the day you connected are the evidence.
    assert [(o["outcome"], o["detail"]) for o in sams] == [
        ("unchanged", "merged into people/Sam Lee.md by name and connected_on"),
        ("unchanged", "merged into people/Sam Lee (Globex).md by name and connected_on"),
    ]
    assert sorted(people(vault)) == [
        "Ola Berg.md", "Ravi Menon.md", "Sam Lee (Globex).md", "Sam Lee.md", "Tess Noor.md",
    ]  # fmt: skip


# ---- 6. organisations and places --------------------------------------------------------------


def test_repro6_organisations_groups_and_places_are_skipped_with_their_reason(
    vault: Vault,
) -> None:
    result = imported_twice(
        vault, "vcard", "repro6-kinds.vcf", first=summary_of(6, 2, 2, skipped=4)
    )
    assert "Skipped:\n" in result.stdout
    for line in (
        "repro6-kinds.vcf:1 Acme Corporation: KIND:org is an organisation, not a person",
        'repro6-kinds.vcf:8 Kite spot "Zandmotor": KIND:location is a place, not a person',
        "repro6-kinds.vcf:13 Book club: KIND:group is a group, not a person",
        "repro6-kinds.vcf:19 Lamplight Plumbing: X-ABShowAs:COMPANY marks an organisation's "
        "card, not a person",
    ):
        assert line in result.stdout
    assert sorted(people(vault)) == ["Omar Said.md", "Rosa Diaz.md"]


# ---- 7. values YAML readers disagree about -------------------------------------------------


def test_repro7_values_read_back_the_same_in_yaml_1_1_and_1_2(vault: Vault) -> None:
    imported_twice(vault, "vcard", "repro7-yaml-values.vcf", first=summary_of(3, 3, 3))
    source = "vcard:repro7-yaml-values.vcf"
    assert people(vault) == {  # front_matter() checked both readers agree
        "Ivo True.md": {"name": "Ivo True", "email": ["ivo@example.org"],
                        "links": ["https://ivo.example/a?b=c#d"], "birthday": "--03-14",
                        "source": source},
        "No.md": {"name": "No", "aliases": ["Null"], "location": "2026-11-03",
                  "phone": ["+49 30 1234567"], "source": source},
        "Noor Haddad.md": {"name": "Noor Haddad", "company": "Yes", "role": "0x1F",
                           "email": ["noor@example.nl"],
                           "phone": ["0612345678", "+31612345678"], "source": source},
    }  # fmt: skip
    text = (vault.root / "people/Noor Haddad.md").read_text(encoding="utf-8")
    assert "phone: ['0612345678', '+31612345678']\n" in text


def test_repro7_a_list_key_written_as_text_becomes_a_list(vault: Vault) -> None:
    vault.write(
        "people/Ivo True.md",
        "---\nname: Ivo True\ntie: 3  # kept\nemail: ivo@example.org\n"
        "links: https://old.example\n---\n# Ivo\n",
    )
    result = run_import(vault, "vcard", "repro7-yaml-values.vcf")
    assert result.exit_code == 0, result.output
    text = (vault.root / "people/Ivo True.md").read_text(encoding="utf-8")
    # Only what changed is rewritten: the text `links` becomes a list; `email` is untouched.
    assert text == (
        "---\nname: Ivo True\ntie: 3  # kept\nemail: ivo@example.org\n"
        "links: ['https://old.example', 'https://ivo.example/a?b=c#d']\nbirthday: --03-14\n"
        "source: vcard:repro7-yaml-values.vcf\n---\n# Ivo\n"
    )
    assert front_matter(vault.root / "people/Ivo True.md")["links"] == [
        "https://old.example", "https://ivo.example/a?b=c#d",
    ]  # fmt: skip


# ---- 8. the round trip -------------------------------------------------------------------


def _imported_vault(make_vault: Callable[[str], Vault]) -> Vault:
    source = make_vault("source")
    for kind, names in (
        ("linkedin", ("repro1-linkedin-same-name.csv", "repro5-linkedin-2018.csv")),
        ("google", ("repro3-google-shared-email.csv", "repro4-google-email-as-name.csv")),
        ("vcard", ("repro4-address-as-name.vcf", "repro7-yaml-values.vcf")),
    ):
        assert run_import(source, kind, *names).exit_code in (0, 1)
    source.write(  # a card's note, as an import writes it
        "people/Kit Ito.md",
        (source.root / "people/Kit Ito.md").read_text(encoding="utf-8").replace(
            "## Log\n", "> Met at the Lisbon meetup.\n> Likes: dbt, #sql\n\n## Log\n"
        ),
    )
    return source


def _same_notes(source: Vault, target: Vault) -> None:
    theirs = sorted(p.relative_to(source.root) for p in (source.root / "people").glob("*.md"))
    mine = sorted(p.relative_to(target.root) for p in (target.root / "people").glob("*.md"))
    assert mine == theirs
    for relpath in theirs:
        assert front_matter(target.root / relpath) == front_matter(source.root / relpath)
        body = parse_note(str(relpath), (source.root / relpath).read_bytes()).note.body
        assert parse_note(str(relpath), (target.root / relpath).read_bytes()).note.body == body


@pytest.mark.parametrize(("fmt", "kind"), [("vcard", "vcard"), ("csv", "google")])
def test_repro8_a_private_export_imports_back_to_the_same_notes(
    make_vault: Callable[[str], Vault], tmp_path: Path, fmt: str, kind: str
) -> None:
    source, target = _imported_vault(make_vault), make_vault("target")
    out = tmp_path / f"backup.{fmt}"
    assert source.run("export", fmt, "--out", str(out), "--include-private").exit_code == 0
    if fmt == "vcard":
        text = out.read_bytes().decode("utf-8")
        assert "KIND:individual\r\n" in text and "X-NETVAULT-CONNECTED-ON:2013-08-13\r\n" in text
        assert "NICKNAME:Null\r\n" in text
        assert "NOTE:Met at the Lisbon meetup.\\nLikes: dbt\\, #sql" in text
    assert target.run("import", kind, str(out)).exit_code in (0, 1)
    _same_notes(source, target)


def test_repro8_a_default_export_leaves_out_notes_and_urns(
    make_vault: Callable[[str], Vault],
) -> None:
    source = _imported_vault(make_vault)
    for fmt in ("vcard", "csv"):
        text = source.run("export", fmt).stdout
        assert "Lisbon" not in text and "urn:li:member" not in text
        assert "kit@example.com" not in text and "0612345678" not in text


# ---- 9. the summary adds up ----------------------------------------------------------------


def test_repro9_every_record_has_one_outcome_that_says_where_it_went(vault: Vault) -> None:
    vault.write("people/Sam Lee.md", "---\nname: Sam Lee\ncompany: Acme\n"
                "links: [https://www.linkedin.com/in/sam-lee-111]\n---\n")
    data = vault.json(
        "import", "linkedin",
        *(str(REPRO / name) for name in ("repro1-linkedin-same-name.csv",
                                         "repro2-linkedin-special-names.csv",
                                         "repro5-linkedin-2018.csv")),
    )  # fmt: skip
    assert data["records"] == 2 + 12 + 5 == len(data["outcomes"])
    counts = data["summary"]
    assert sum(counts[k] for k in ("created", "updated", "unchanged", "changed", "conflicted",
                                   "skipped")) == data["records"]
    assert counts["notes_created"] == len(data["created"]) == 1 + 12 + 3
    for outcome in data["outcomes"]:
        if outcome["outcome"] == "skipped":
            assert outcome["path"] is None and outcome["detail"]
        elif outcome["detail"] != "new note":
            assert outcome["detail"].startswith(f"merged into {outcome['path']} by ")
    first = data["outcomes"][0]
    assert (first["outcome"], first["detail"]) == (
        "updated", "merged into people/Sam Lee.md by profile URL"
    )


# ---- job changes (issue 15) ----------------------------------------------------------------


def test_a_new_company_on_reimport_is_a_job_change_recorded_only_on_request(
    vault: Vault, tmp_path: Path
) -> None:
    assert run_import(vault, "linkedin", "repro1-linkedin-same-name.csv").exit_code == 0
    later = tmp_path / "Connections.csv"
    later.write_bytes(
        (REPRO / "repro1-linkedin-same-name.csv").read_bytes().replace(
            b"Acme,Designer", b"Initech,Lead Designer"
        )
    )
    before = vault.snapshot()
    listed = vault.run("import", "linkedin", str(later))
    assert listed.exit_code == 0, listed.output
    assert listed.stdout == (
        "Merged:\n"
        "  Connections.csv:5 Sam Lee: merged into people/Sam Lee.md by profile URL\n"
        "Job changes (import --accept-changes records them):\n"
        "  people/Sam Lee.md: company: 'Acme' -> 'Initech' (Connections.csv:5)\n"
        "  people/Sam Lee.md: role: 'Designer' -> 'Lead Designer' (Connections.csv:5)\n"
        + summary_of(2, unchanged=1, changed=1) + "\n"
    )
    assert vault.snapshot() == before  # a change is listed, never written unasked

    accepted = vault.run("import", "linkedin", str(later), "--accept-changes", today="2026-11-20")
    assert accepted.exit_code == 0, accepted.output
    assert "Job changes (recorded under ## Career):" in accepted.stdout
    assert summary(accepted) == summary_of(2, unchanged=1, changed=1)
    text = (vault.root / "people/Sam Lee.md").read_text(encoding="utf-8")
    assert "company: Initech\nrole: Lead Designer\n" in text
    assert text.endswith(
        "## Log\n\n## Career\n- 2026-11-20 moved from Acme to Initech "
        "(now Lead Designer, was Designer)\n"
    )
    note = parse_note("people/Sam Lee.md", text.encode()).note
    assert note.contact is not None
    assert [(m.date, m.text) for m in note.contact.moves] == [
        (date(2026, 11, 20), "moved from Acme to Initech (now Lead Designer, was Designer)")
    ]
    assert note.interactions == ()  # a move is no interaction
    index = load_index(vault.root)
    assert index.interactions(index.lookup("Sam Lee (Globex)")) == []

    settled = vault.snapshot()
    again = vault.run("import", "linkedin", str(later), "--accept-changes", today="2026-11-21")
    assert summary(again) == summary_of(2, unchanged=2)
    assert vault.snapshot() == settled


def test_a_role_change_alone_and_the_json_of_changes(vault: Vault, tmp_path: Path) -> None:
    assert run_import(vault, "linkedin", "repro1-linkedin-same-name.csv").exit_code == 0
    later = tmp_path / "Connections.csv"
    later.write_bytes(
        (REPRO / "repro1-linkedin-same-name.csv").read_bytes().replace(
            b"Globex,Recruiter", b"Globex,Head of Talent"
        )
    )
    data = vault.json("import", "linkedin", str(later), "--accept-changes")
    assert data["changes_accepted"] is True
    assert data["changes"] == [{
        "name": "Sam Lee", "path": "people/Sam Lee (Globex).md", "key": "role",
        "old": "Recruiter", "new": "Head of Talent", "file": str(later), "line": 6,
    }]  # fmt: skip
    text = (vault.root / "people/Sam Lee (Globex).md").read_text(encoding="utf-8")
    assert "role: Head of Talent\n" in text
    assert text.endswith("## Career\n- 2026-11-25 role changed from Recruiter to Head of Talent\n")
