"""Issue 11, items 9 and 10: `merge` never takes another contact's name, and no edit loses a
comment: not in a block list that gets an item, not in OTHER's front matter on a merge."""

from __future__ import annotations

import pytest
from conftest import Vault

from netvault.index import load_index

BEN = "---\ntie: 3\nemail: ben@example.com\n---\n## Log\n- 2026-01-05 (call) catch-up\n"
ADA = "---\ntie: 5\nemail: ada@example.com\n---\n## Log\n- 2026-01-04 (call) hello\n"
DAILY = "- 2026-11-20 (call) with [[Ben Carter]] about the role\n"


@pytest.mark.parametrize("other", ["people/Ada O.md", "people/Zed Okafor.md"])
def test_merge_never_takes_another_contacts_name(vault: Vault, other: str) -> None:
    vault.write("people/Ada Okafor.md", ADA)
    vault.write("people/Ben Carter.md", BEN)
    vault.write(other, "---\nname: Ada O.\naliases: [Ben Carter, A. O.]\n---\n")
    vault.write("daily/2026-11-20.md", DAILY)
    result = vault.run("merge", "Ada Okafor", other.removesuffix(".md"))
    assert result.exit_code == 0, result.output
    assert "conflict aliases: kept people/Ben Carter.md (that name leads to another contact)" in (
        result.output
    )
    index = load_index(vault.root)
    assert index.lookup("Ada Okafor").aliases == ("Ada O.", "A. O.")
    assert index.resolve("Ben Carter") == "people/Ben Carter.md"
    assert (vault.root / "daily/2026-11-20.md").read_text(encoding="utf-8") == DAILY
    assert vault.json("show", "Ben Carter")["path"] == "people/Ben Carter.md"
    logged = vault.run("log", "Ben Carter", "coffee")
    assert logged.exit_code == 0, logged.output
    assert "coffee" in (vault.root / "people/Ben Carter.md").read_text(encoding="utf-8")


BLOCK_LIST = (
    "---\nname: Ada Okafor\nemail:\n  - keep@work.example   # work\n"
    "  # old address bounced\n  - home@example.org   # personal\ntie: 3\n---\n"
)


def test_adding_an_email_to_a_block_list_keeps_every_comment(vault: Vault) -> None:
    note = vault.write("people/Ada Okafor.md", BLOCK_LIST)
    card = vault.root.parent / "ada.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Okafor\r\nEMAIL:keep@work.example\r\n"
        "EMAIL:new@example.net\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    result = vault.run("import", "vcard", str(card))
    assert result.exit_code == 0, result.output
    assert note.read_text(encoding="utf-8") == BLOCK_LIST.replace(
        "  - home@example.org   # personal\n",
        "  - home@example.org   # personal\n  - new@example.net\n",
    ).replace("tie: 3\n", "tie: 3\nsource: vcard:ada.vcf\n")


OTHER_WITH_COMMENTS = (
    "---\n# met at the Berlin meetup\nname: A. Okafor\n"
    'phone: "+49 151 5550 2231"  # prefers Signal, never call before 10am\n---\n'
)


def test_merge_keeps_others_front_matter_comments_once(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", ADA)
    vault.write("people/A. Okafor.md", OTHER_WITH_COMMENTS)
    vault.write("people/A. Okafor (conflicted copy).md", OTHER_WITH_COMMENTS)
    result = vault.run("merge", "Ada Okafor", "people/A. Okafor")
    assert result.exit_code == 0, result.output
    assert "comments: 2 comments from A. Okafor's front matter kept" in result.output
    text = (vault.root / "people/Ada Okafor.md").read_text(encoding="utf-8")
    assert (
        "# merged from A. Okafor:\n# met at the Berlin meetup\n"
        '# phone: "+49 151 5550 2231"  # prefers Signal, never call before 10am\n---\n'
    ) in text
    # The same comments again (a copy of the same note) are not added twice.
    again = vault.run("merge", "Ada Okafor", "people/A. Okafor (conflicted copy)")
    assert again.exit_code == 0, again.output
    assert (vault.root / "people/Ada Okafor.md").read_text(encoding="utf-8").count(
        "prefers Signal"
    ) == 1
    assert load_index(vault.root).lookup("Ada Okafor").phones == ("+49 151 5550 2231",)
