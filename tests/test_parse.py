"""The parser on real note bytes: every broken input is a problem with a line, never a crash."""

from __future__ import annotations

from datetime import date

import frontmatter
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netvault.model import Birthday, Consent
from netvault.parse import fold, parse_note

GOOD = """---
name: Ada Okafor
aliases: Ada O.
tags: [data, "#mentor"]
tie: trusted
first_met: 2019-03-02
last_met: 2026-10-01
relationship: [former-colleague, mentor]
company: Northwind
email: [ada@example.org, ada.o@example.com]
phone: 5551234
cadence: 6w
consent:
  share-contact: yes
  introductions: no
introduced_by: "[[Ben Carter]]"
oak: false
birthday: --08-04
pronouns: she/her  # unknown keys are kept and ignored
---
# Ada

## Log
- 2026-10-01 (in person) coffee, talked about [[Dana Lee|Dana]] #gave
- 2026-09-12 (video) review of my CV #got
- 2026-08-01 plain note, no channel
- (call) not dated, not an interaction
- [ ] send the paper 📅 2026-12-01 [[Ben Carter#Work]]
- [x] done task [[Done Person]]
- [ ] undated follow-up
"""


def problems_of(relpath: str, data: bytes) -> list[str]:
    return [p.format() for p in parse_note(relpath, data).problems]


def test_full_contact_reads_every_documented_key() -> None:
    parsed = parse_note("people/Ada Okafor.md", GOOD.encode())
    assert parsed.problems == ()
    c = parsed.note.contact
    assert c is not None
    assert (c.name, c.aliases, c.tie) == ("Ada Okafor", ("Ada O.",), 4)
    assert c.tags == ("data", "mentor")
    assert (c.first_met, c.last_met) == (date(2019, 3, 2), date(2026, 10, 1))
    assert c.relationship == ("former-colleague", "mentor")
    assert c.emails == ("ada@example.org", "ada.o@example.com")
    assert c.phones == ("5551234",)
    assert c.cadence_days == 42
    assert c.consent == Consent(share_contact="yes", introductions="no")
    assert c.introduced_by == "Ben Carter"
    assert c.birthday == Birthday(8, 4, None)
    assert c.met_in_person is True  # from the in-person log line
    items = parsed.note.interactions
    assert [(i.date.isoformat(), i.channel, i.favor) for i in items] == [
        ("2026-10-01", "in person", "gave"),
        ("2026-09-12", "video", "got"),
        ("2026-08-01", None, None),
    ]
    assert items[0].line == 24 and items[0].links == ("Dana Lee",)
    tasks = parsed.note.tasks
    assert [(t.text, t.due, t.line) for t in tasks] == [
        ("send the paper [[Ben Carter#Work]]", date(2026, 12, 1), 28),
        ("undated follow-up", None, 30),
    ]
    targets = [(link.target, link.line) for link in parsed.note.links]
    assert targets == [
        ("Ben Carter", 16), ("Dana Lee", 24), ("Ben Carter", 28), ("Done Person", 29)
    ]


def test_bom_and_crlf_give_the_same_contact_and_lines() -> None:
    plain = parse_note("people/Ada Okafor.md", GOOD.encode())
    crlf = parse_note("people/Ada Okafor.md", b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    assert crlf.problems == ()
    assert crlf.note.contact == plain.note.contact
    assert crlf.note.interactions == plain.note.interactions
    # python-frontmatter alone loses the metadata of a BOM file; the parser must not.
    assert frontmatter.loads("\ufeff" + GOOD).metadata == {}


def test_invalid_yaml_is_an_error_on_its_line() -> None:
    data = b"---\nname: Bo\ntags: [a, b\nrole: x\n---\nbody\n"
    found = parse_note("people/Bo.md", data)
    assert [(p.line, p.severity, p.code) for p in found.problems] == [(4, "error", "yaml")]
    assert "flow sequence" in found.problems[0].message
    assert found.note.contact is None


def test_each_broken_input_is_reported_with_its_line() -> None:
    cases = {
        b"": [
            "people/X.md:1: warning empty-note: the note is empty; the file name is used as "
            "the name"
        ],
        b"---\nname: X\n": [
            "people/X.md:1: warning unclosed-front-matter: front-matter opened with --- on line 1 "
            "is never closed; the note is read as body"
        ],
        b"---\n- a\n- b\n---\n": [
            "people/X.md:2: error front-matter-not-mapping: front-matter must be a mapping of keys "
            "to values"
        ],
        b"---\ntie: lots\n---\n": [
            "people/X.md:2: error bad-tie: tie must be 1-5 or one of acquaintance, contact, "
            "knows-my-work, trusted, oak; got 'lots'"
        ],
        b"---\nname: X\nlast_met: 2026-02-30\n---\n": [
            "people/X.md:3: error bad-date: last_met: 2026-02-30 is not a real date"
        ],
        b"---\nname: Ren\xe9\n---\n": [
            "people/X.md:2: error encoding: not valid UTF-8 (byte 0xE9 at offset 13); "
            "re-save the note as UTF-8"
        ],
        b"---\ncadence: sometimes\n---\n": [
            "people/X.md:2: error bad-cadence: cadence: 'sometimes' is not an interval like 30d, "
            "6w, 3m or 1y"
        ],
        b"---\nconsent:\n  share-contact: maybe\n---\n": [
            "people/X.md:2: error bad-consent: consent.share-contact must be yes, ask or no, "
            "not 'maybe'"
        ],
        b"---\ntie: 2\ntie: 3\n---\n": [
            "people/X.md:3: warning duplicate-key: key 'tie' also set on line 2; the last one wins"
        ],
        b"body\n- 2026-13-01 (call) bad month\n": [
            "people/X.md:2: error bad-date: interaction date 2026-13-01 is not a real date"
        ],
    }
    for data, expected in cases.items():
        assert problems_of("people/X.md", data) == expected, data


def test_field_errors_keep_the_rest_of_the_contact() -> None:
    parsed = parse_note("people/X.md", b"---\ntie: lots\ncompany: Acme\n---\n")
    assert parsed.note.contact is not None
    assert parsed.note.contact.company == "Acme"
    assert parsed.note.contact.tie is None


def test_yaml_booleans_and_labels_are_accepted() -> None:
    data = b"---\ntie: Knows My Work\nconsent: no\nmet_in_person: yes\noak: true\n---\n"
    contact = parse_note("people/X.md", data).note.contact
    assert contact is not None
    assert contact.tie == 3
    assert contact.consent == Consent("no", "no")
    assert contact.met_in_person and contact.oak and contact.is_oak


def test_only_yaml_front_matter_is_read() -> None:
    toml = b"+++\nname = 'Nope'\n+++\nbody\n"
    parsed = parse_note("people/Toml.md", toml)
    assert parsed.note.contact is not None and parsed.note.contact.name == "Toml"


def test_contacts_are_notes_in_people_or_typed_person() -> None:
    assert parse_note("projects/P.md", b"---\nname: P\n---\n").note.contact is None
    assert parse_note("projects/P.md", b"---\ntype: person\n---\n").note.contact is not None
    assert parse_note("people/intro.md", b"---\ntype: intro\n---\n").note.contact is None


def test_daily_notes_mentions_skip_open_tasks_and_quotes() -> None:
    text = (
        "# Thursday\n"
        "- (call) with [[Ada Okafor]] about roles\n"
        "- [ ] ask [[Ben Carter]] for the deck\n"
        "> [[Cleo]] once said\n"
        "```\n[[In Code]]\n```\n"
        "Lunch with [[Dan|Danny]] and `[[not a link]]`\n"
    )
    note = parse_note("daily/2026-11-20.md", text.encode()).note
    assert note.date == date(2026, 11, 20)
    assert [link.target for link in note.mention_links] == ["Ada Okafor", "Dan"]
    assert note.mention_channels == {2: "call"}
    assert [link.target for link in note.links] == ["Ada Okafor", "Ben Carter", "Cleo", "Dan"]
    dated = parse_note("meetings/Board.md", b"---\ndate: 2026-11-02\n---\n[[Ada]]\n").note
    assert dated.date == date(2026, 11, 2)


def test_yaml_bomb_and_deep_nesting_are_refused_quickly() -> None:
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\n"
    for name, prev in zip("bcdefghij", "abcdefghi", strict=True):
        bomb += f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]\n"
    bomb += "---\n"
    codes = [p.code for p in parse_note("people/B.md", bomb.encode()).problems]
    assert codes == ["front-matter-too-complex"]
    deep = "---\nk: " + "[" * 200 + "]" * 200 + "\n---\n"
    codes = [p.code for p in parse_note("people/D.md", deep.encode()).problems]
    assert codes == ["front-matter-too-complex"]


def test_fold_ignores_case_and_accents() -> None:
    assert fold("Zoë  Ñúñez") == fold("zoe nunez") == "zoe nunez"


# ---- properties ------------------------------------------------------------------------

@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_random_bytes_never_raise_and_problems_have_lines(data: bytes) -> None:
    parsed = parse_note("people/R.md", data)
    lines = data.count(b"\n") + 1
    for problem in parsed.problems:
        assert 1 <= problem.line <= lines
        assert problem.message


fragments = st.sampled_from(
    ["---\n", "---\r\n", "name: x\n", "tie: 3\n", "tie: [\n", ": :\n", "- a\n", "\ufeff",
     "last_met: 2026-02-30\n", "  - nested\n", "[[Link]]\n", "- 2026-01-01 (call) hi\n",
     "consent: {share-contact: no}\n", "\t\n", "key: 'unterminated\n", "&a [*a]\n", "...\n"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(fragments, max_size=12))
def test_random_front_matter_shapes_never_raise(parts: list[str]) -> None:
    data = "".join(parts).encode("utf-8")
    parsed = parse_note("people/R.md", data)
    lines = data.count(b"\n") + 1
    for problem in parsed.problems:
        assert 1 <= problem.line <= lines


names = st.text(
    alphabet=st.characters(categories=["L", "N", "Zs"], exclude_characters="\x85\u2028\u2029"),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() != "")


@settings(max_examples=200, deadline=None)
@given(
    name=names,
    tie=st.integers(1, 5),
    met=st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)),
    share=st.sampled_from([True, False, "yes", "ask", "no"]),
    crlf=st.booleans(),
    bom=st.booleans(),
)
def test_front_matter_written_by_yaml_reads_back(
    name: str, tie: int, met: date, share: object, crlf: bool, bom: bool
) -> None:
    meta = {"name": name, "tie": tie, "last_met": met, "consent": {"share-contact": share}}
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\nbody\n"
    if crlf:
        text = text.replace("\n", "\r\n")
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    parsed = parse_note("people/P.md", data)
    assert parsed.problems == ()
    contact = parsed.note.contact
    assert contact is not None
    assert contact.name == " ".join(name.split())
    assert (contact.tie, contact.last_met) == (tie, met)
    expected = {True: "yes", False: "no"}.get(share, share)  # type: ignore[call-overload]
    assert contact.consent.share_contact == expected


def test_links_in_tables_use_an_escaped_alias_separator() -> None:
    table = b"| who | why |\n| --- | --- |\n| [[Ada Okafor\\|Ada]] | x |\n"
    note = parse_note("projects/T.md", table)
    assert [link.target for link in note.note.links] == ["Ada Okafor"]


def test_code_fences_follow_commonmark() -> None:
    from netvault.parse import in_code_fences

    lines = ["a", "````py", "```", "~~~~", "```` not a close", "`````", "b", "~~~", "c"]
    assert in_code_fences(lines) == [False, True, True, True, True, True, False, True, True]
