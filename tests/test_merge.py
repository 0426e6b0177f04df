"""Merging duplicate contacts, and rewriting the links to the one that goes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netvault.merge as merge_module
from netvault.index import load_index
from netvault.merge import (
    LogEntry,
    MergeRefused,
    interleave_log,
    merge_contacts,
    split_other,
)
from netvault.relink import relink

KEEP = """---
name: Ada Okafor
aliases: [Ada O.]
tags: [globex, oak]
tie: 5
first_met: 2017-03-06
last_met: 2026-11-20
company: Contoso Cloud
email: ada@example.org
consent:
  share-contact: yes
  introductions: yes
---
# Ada Okafor

Runs the data platform group.

## Log
- 2019-11-08 (in person) covered my on-call week #got
- 2024-09-12 (in person) dinner at Cocolo
- 2026-11-20 (in person) coffee at The Barn

## Follow-ups
- [ ] send Ada the benchmark 📅 2026-11-22
"""

OTHER = """---
name: A. Okafor
aliases: [Ada K.]
tags: [Globex, berlin]
tie: 3
first_met: 2015-06-01
last_met: 2025-01-10
company: Globex
email: [ADA@example.org, ada.k@home.example]
phone: "+49 30 5550 1742"
pronouns: she/her
consent:
  share-contact: no
---
# A. Okafor

Old card from the Globex days.

## Log
- 2015-06-01 (in person) first met at the Globex offsite
- 2024-09-12 (in person) dinner at Cocolo
- 2025-01-10 (call) talked about [[A. Okafor|her]] move
  - she might leave Globex

## Follow-ups
- [ ] ask about the Berlin half marathon
"""

MERGED = """---
name: Ada Okafor
aliases: [Ada O., A. Okafor, Ada K.]
tags: [globex, oak, berlin]
tie: 5
first_met: 2015-06-01
last_met: 2026-11-20
company: Contoso Cloud
email: [ada@example.org, ada.k@home.example]
consent:
  share-contact: 'no'
  introductions: ask
phone: [+49 30 5550 1742]
pronouns: she/her
---
# Ada Okafor

Runs the data platform group.

## Log
- 2015-06-01 (in person) first met at the Globex offsite
- 2019-11-08 (in person) covered my on-call week #got
- 2024-09-12 (in person) dinner at Cocolo
- 2025-01-10 (call) talked about [[Ada Okafor|her]] move
  - she might leave Globex
- 2026-11-20 (in person) coffee at The Barn

## Follow-ups
- [ ] send Ada the benchmark 📅 2026-11-22

## Merged from A. Okafor
Old card from the Globex days.

## Follow-ups
- [ ] ask about the Berlin half marathon
"""

DAILY = """Met [[A. Okafor]] and [[A. Okafor|Ada]], see [[A. Okafor#Log]] and [[Ada K.]].
- (in person) ![[A. Okafor]], [[people/A. Okafor]] and `[[A. Okafor]]` in code.

| who | note |
| --- | --- |
| [[A. Okafor]] | [[A. Okafor\\|Ada]] |

```
[[A. Okafor]]
```
"""

DAILY_AFTER = (
    "Met [[Ada Okafor|A. Okafor]] and [[Ada Okafor|Ada]], see [[Ada Okafor#Log|A. Okafor]] "
    "and [[Ada Okafor|Ada K.]].\n"
    + """- (in person) ![[Ada Okafor]], [[Ada Okafor|people/A. Okafor]] and `[[A. Okafor]]` in code.

| who | note |
| --- | --- |
| [[Ada Okafor]] | [[Ada Okafor\\|Ada]] |

```
[[A. Okafor]]
```
"""
)

INTRO = '---\ntype: intro\na: "[[A. Okafor]]"\nb: "[[Ben Carter]]"\nstatus: asked\n---\n# Intro\n'
BEN = '---\nname: Ben Carter\nintroduced_by: "[[Ada K.]]"\n---\n# Ben\n'


def write(root: Path, relpath: str, text: str) -> None:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def read(root: Path, relpath: str) -> str:
    return (root / relpath).read_bytes().decode("utf-8")


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    write(root, "people/Ada Okafor.md", KEEP)
    write(root, "people/A. Okafor.md", OTHER)
    write(root, "daily/2026-11-21.md", DAILY)
    write(root, "intros/2026-09-02 Ada -- Ben.md", INTRO)
    write(root, "people/Ben Carter.md", BEN)
    return root


def merge(root: Path, dry_run: bool = False) -> merge_module.MergeResult:
    index = load_index(root)
    return merge_contacts(
        index, index.lookup("Ada Okafor"), index.lookup("A. Okafor"), dry_run=dry_run
    )


def test_merge_unites_lists_keeps_scalars_interleaves_logs_and_removes_other(vault: Path) -> None:
    result = merge(vault)
    assert read(vault, "people/Ada Okafor.md") == MERGED
    assert not (vault / "people/A. Okafor.md").exists()
    assert [(c.key, c.kept, c.dropped, c.dropped_from) for c in result.conflicts] == [
        ("tie", 5, 3, "other"),
        ("company", "Contoso Cloud", "Globex", "other"),
        (
            "consent",
            {"share-contact": "no", "introductions": "ask"},
            {"share-contact": "yes", "introductions": "yes"},
            "keep",
        ),
    ]
    assert [k for k, _ in result.set_keys] == [
        "aliases", "tags", "first_met", "email", "phone", "pronouns", "consent",
    ]  # fmt: skip
    assert (result.log_lines, result.merged_text, result.removed) == (3, True, True)


def test_every_link_to_other_now_leads_to_keep(vault: Path) -> None:
    result = merge(vault)
    assert read(vault, "daily/2026-11-21.md") == DAILY_AFTER
    assert read(vault, "intros/2026-09-02 Ada -- Ben.md") == INTRO.replace(
        "[[A. Okafor]]", "[[Ada Okafor]]"
    )
    assert read(vault, "people/Ben Carter.md") == BEN.replace("[[Ada K.]]", "[[Ada Okafor]]")
    # The links in OTHER's moved text are rewritten too, but only other notes are counted.
    assert [(r.path, r.links) for r in result.relinked] == [
        ("daily/2026-11-21.md", 8),
        ("intros/2026-09-02 Ada -- Ben.md", 1),
        ("people/Ben Carter.md", 1),
    ]
    index = load_index(vault)
    # netvault's parser does not read a table's escaped `\|` yet; every other link resolves.
    broken = [p for p in index.problems if p.code == "broken-link"]
    assert [p.message.split(" matches")[0] for p in broken if "\\]]" not in p.message] == []
    ada = index.lookup("Ada Okafor")
    assert index.lookup("A. Okafor") == ada and index.lookup("Ada K.") == ada
    assert index.lookup("Ben Carter").introduced_by == "Ada Okafor"
    assert "daily/2026-11-21.md" in index.backlinks(ada.path)
    assert [i.date.isoformat() for i in index.interactions(ada)][:2] == ["2015-06-01", "2019-11-08"]


def test_dry_run_reports_the_same_merge_and_writes_nothing(vault: Path) -> None:
    before = snapshot(vault)
    planned = merge(vault, dry_run=True)
    assert snapshot(vault) == before
    assert (planned.dry_run, planned.removed) == (True, False)
    done = merge(vault)
    assert (planned.set_keys, planned.conflicts, planned.relinked, planned.log_lines) == (
        done.set_keys,
        done.conflicts,
        done.relinked,
        done.log_lines,
    )


def test_a_note_that_cannot_be_edited_stops_the_merge_before_any_write(vault: Path) -> None:
    write(vault, "projects/List.md", "---\n- not\n- a mapping\n---\nAsk [[A. Okafor]].\n")
    before = snapshot(vault)
    with pytest.raises(MergeRefused, match=r"projects/List\.md: front matter is not a mapping"):
        merge(vault)
    assert snapshot(vault) == before


def test_an_interrupted_merge_finishes_when_run_again(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(root: Path, relpath: str, expected: bytes) -> None:
        raise MergeRefused("disk unplugged")

    monkeypatch.setattr(merge_module, "_remove", fail)
    with pytest.raises(MergeRefused):
        merge(vault)
    assert (vault / "people/A. Okafor.md").exists()
    monkeypatch.undo()
    # Both notes now share names: the index reports it, and the merge still finds OTHER.
    index = load_index(vault)
    other = index.contact_at("people/A. Okafor.md")
    assert other is not None
    result = merge_contacts(index, index.lookup("Ada Okafor"), other)
    assert read(vault, "people/Ada Okafor.md") == MERGED
    assert read(vault, "daily/2026-11-21.md") == DAILY_AFTER
    assert result.log_lines == 0 and not result.merged_text
    assert not (vault / "people/A. Okafor.md").exists()


def test_other_changed_on_disk_is_kept(vault: Path) -> None:
    path = vault / "people/A. Okafor.md"
    with pytest.raises(MergeRefused, match="changed on disk"):
        merge_module._remove(vault, "people/A. Okafor.md", b"what it was when read")
    assert path.exists()


def test_merging_a_note_into_itself_is_refused(vault: Path) -> None:
    index = load_index(vault)
    ada = index.lookup("Ada Okafor")
    with pytest.raises(MergeRefused, match="same note"):
        merge_contacts(index, ada, index.lookup("Ada O."))


# ---- the text operations -------------------------------------------------------------------


def test_log_lines_interleave_by_date_in_crlf_notes() -> None:
    keep = "---\r\nname: A\r\n---\r\n## Log\r\n- 2020-01-01 a\r\n- 2022-01-01 c\r\n\r\n## Next\r\n"
    text, added = interleave_log(
        keep,
        [LogEntry("2023-01-01", ("- 2023-01-01 d",)), LogEntry("2021-01-01", ("- 2021-01-01 b",))],
    )
    assert added == 2
    assert text == (
        "---\r\nname: A\r\n---\r\n## Log\r\n- 2020-01-01 a\r\n- 2021-01-01 b\r\n- 2022-01-01 c\r\n"
        "- 2023-01-01 d\r\n\r\n## Next\r\n"
    )


def test_a_note_without_a_log_gets_one() -> None:
    text, added = interleave_log(
        "---\nname: A\n---\n# A\n\nHello.\n", [LogEntry("2021-01-01", ("- 2021-01-01 b",))]
    )
    assert (text, added) == ("---\nname: A\n---\n# A\n\nHello.\n\n## Log\n- 2021-01-01 b\n", 1)


def test_split_other_separates_log_from_the_rest() -> None:
    log, rest = split_other(OTHER)
    assert [e.day for e in log] == ["2015-06-01", "2024-09-12", "2025-01-10"]
    assert log[2].lines == (
        "- 2025-01-10 (call) talked about [[A. Okafor|her]] move",
        "  - she might leave Globex",
    )
    assert rest == (
        "Old card from the Globex days.\n\n## Follow-ups\n- [ ] ask about the Berlin half marathon"
    )


_pieces = st.lists(
    st.sampled_from(
        [
            "[[Other]]", "[[other|x]]", "[[Other#h]]", "![[Other]]", "[[Keep]]", "[[Else]]",
            "`[[Other]]`", "\n```\n[[Other]]\n```\n", "| [[Other]] |", "text ", "\n", "[[", "]]",
        ]
    ),
    max_size=12,
)  # fmt: skip


@given(_pieces)
def test_relinking_twice_changes_nothing_more_and_leaves_no_link_behind(pieces: list[str]) -> None:
    text = "".join(pieces)
    once = relink(text, {"other"}, "Keep")
    assert relink(once.text, {"other"}, "Keep").text == once.text
    unrelated = relink(text, {"nobody"}, "Keep")
    assert (unrelated.text, unrelated.count) == (text, 0)
    # Outside code, no link to Other is left.
    assert relink(once.text, {"other"}, "Keep").count == 0


def test_a_note_without_consent_never_widens_the_kept_consent(tmp_path: Path) -> None:
    root = tmp_path / "v"
    write(root, "people/Ada Okafor.md", "---\nconsent:\n  share-contact: yes\n"
          "  introductions: yes\n---\n")
    write(root, "people/A. Okafor.md", "---\ntie: 2\n---\n")
    merge(root)
    contact = load_index(root).lookup("Ada Okafor")
    assert (contact.consent.share_contact, contact.consent.introductions) == ("ask", "ask")
