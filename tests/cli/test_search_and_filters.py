"""Issue 14, "who do I know in Berlin / who knows dbt?": `search` over every field that says
who someone is, what they offer, need and like, with excerpts as written and contact
details hidden; `list` filters that combine."""

from __future__ import annotations

from conftest import Vault


def berlin_vault(vault: Vault) -> Vault:
    vault.write(".netvault.toml", '[owner]\nname = "Sam Rivera"\n')
    vault.write(
        "people/Chloé Martin.md",
        "---\ntie: 4\ncompany: Datawerk\nrole: Analytics Lead\nlocation: Berlin, Germany\n"
        "tags: [data, speaker]\noffers: [dbt coaching]\nemail: chloe@example.org\n"
        "phone: +49 151 5550 2231\nlinks: [https://wa.me/4915155502231]\n"
        "consent:\n  share-contact: ask\n---\n"
        "Met at the Berlin data meetup in 2024.\n\n"
        "- [ ] Send Chloé the list of Zürich founders; her cell is +49 151 5550 2231,\n"
        "  she prefers text.\n",
    )
    vault.write(
        "people/Ana Núñez.md",
        "---\ntie: trusted\ncompany: Lakehouse\nrole: Data Engineer\nlocation: Zürich\n"
        "tags: [data]\ninterests: [jazz, DBT]\nemail: ana@example.org\n"
        "consent:\n  share-contact: yes\n---\n"
        "Write to ana@example.org, she is happy to be reached. Knows Chloé (chloe@example.org)"
        " from the Berlin meetup.\n",
    )
    vault.write(
        "people/Jonas Weber.md",
        "---\ntie: 2\ncompany: Acme\nrole: Founder\nlocation: Berlingen, Switzerland\n"
        "tags: [founder]\nneeds: [a dbt mentor]\noffers: [warm intros via jonas@weber.example]\n"
        "relationship: [former-colleague]\n---\n"
        "Building a data startup.\n",
    )
    vault.write(
        "people/Kai Berger.md",
        "---\ntie: 1\nrole: Recruiter\nlocation: berlin\ntags: [hiring, data]\n---\n"
        "Has Chloé's WhatsApp (https://wa.me/4915155502231), asks first.\n",
    )
    return vault


def hits(vault: Vault, query: str) -> list[tuple[str, float, str, str]]:
    results = vault.json("search", query)["results"]
    return [(r["name"], r["score"], r["field"], r["matched"]) for r in results]


def test_search_finds_people_by_location_offers_needs_and_interests(vault: Vault) -> None:
    berlin_vault(vault)
    assert hits(vault, "berlin") == [
        ("Chloé Martin", 85.0, "location", "Berlin, Germany"),
        ("Jonas Weber", 85.0, "location", "Berlingen, Switzerland"),
        ("Kai Berger", 85.0, "location", "berlin"),
        ("Ana Núñez", 70.0, "note", "… Chloé ([e-mail hidden]) from the Berlin meetup."),
    ]
    result = vault.run("search", "dbt")
    assert (result.exit_code, result.stdout) == (0, (
        " 85.0  Chloé Martin  [offers: dbt coaching]\n"
        " 80.0  Ana Núñez  [interests: DBT]\n"
        " 80.0  Jonas Weber  [needs: a dbt mentor]\n"
    ))
    assert hits(vault, "zurich") == [
        ("Ana Núñez", 85.0, "location", "Zürich"),
        ("Chloé Martin", 70.0, "note",
         "- [ ] Send Chloé the list of Zürich founders; her cell is [phone hidden] …"),
    ]
    # Role, company and tags still count, a typo too.
    assert hits(vault, "recruiter") == [("Kai Berger", 85.0, "role", "Recruiter")]
    assert hits(vault, "lakehose") == [("Ana Núñez", 84.7, "company", "Lakehouse")]
    assert hits(vault, "speaker") == [("Chloé Martin", 85.0, "tags", "speaker")]


def test_search_shows_the_note_as_written_and_matches_without_case_or_accents(
    vault: Vault,
) -> None:
    berlin_vault(vault)
    line = (" 70.0  Chloé Martin  [note: - [ ] Send Chloé the list of Zürich founders; her cell"
            " is [phone hidden] …]\n")
    for query in ("send chloe the list", "SEND CHLOÉ THE LIST", "Send Chloé the list"):
        result = vault.run("search", query)
        assert (result.exit_code, result.stdout) == (0, line)
    # The excerpt stays in the match's paragraph and ends on whole words.
    assert hits(vault, "data meetup") == [
        ("Chloé Martin", 70.0, "note", "Met at the Berlin data meetup in 2024."),
    ]


def test_search_hides_contact_details_unless_consent_allows(vault: Vault) -> None:
    berlin_vault(vault)
    # Ana agreed to share her details: her own address shows.
    assert hits(vault, "write to ana") == [
        ("Ana Núñez", 70.0, "note", "Write to ana@example.org, she is happy to be …"),
    ]
    # Chloé did not: her address in Ana's note is hidden, and her phone number is hidden
    # whole, whether the excerpt ends in the middle of it (Zürich, 40 characters before its
    # end) or after it.
    assert hits(vault, "knows chloe") == [
        ("Ana Núñez", 70.0, "note",
         "… she is happy to be reached. Knows Chloé ([e-mail hidden]) from the Berlin …"),
    ]
    assert hits(vault, "zurich")[1][3] == (
        "- [ ] Send Chloé the list of Zürich founders; her cell is [phone hidden] …")
    assert hits(vault, "zurich founders") == [
        ("Chloé Martin", 70.0, "note",
         "- [ ] Send Chloé the list of Zürich founders; her cell is [phone hidden], she …"),
    ]
    # A detail in a field is hidden too, and matching it shows nothing of it.
    assert hits(vault, "warm intros") == [
        ("Jonas Weber", 85.0, "offers", "warm intros via [e-mail hidden]"),
    ]
    assert hits(vault, "5550 2231") == [
        ("Chloé Martin", 70.0, "note",
         "… Zürich founders; her cell is [phone hidden], she prefers text."),
    ]
    assert "5550" not in vault.run("search", "2231").stdout
    # A contact link is known for what it is, although a web address is otherwise left be.
    assert hits(vault, "whatsapp") == [
        ("Kai Berger", 70.0, "note", "Has Chloé's WhatsApp ([contact link hidden]), asks …"),
    ]


def names(vault: Vault, *args: str) -> list[str]:
    return [c["name"] for c in vault.json("list", *args)["contacts"]]


def test_list_filters_by_location_and_exact_tie_and_they_combine(vault: Vault) -> None:
    berlin_vault(vault)
    assert names(vault, "--location", "Berlin") == ["Chloé Martin", "Kai Berger"]
    assert names(vault, "--location", "berlin, GERMANY") == ["Chloé Martin"]
    assert names(vault, "--location", "zurich") == ["Ana Núñez"]
    assert names(vault, "--location", "Berlingen") == ["Jonas Weber"]
    assert names(vault, "--tie", "trusted") == names(vault, "--tie", "4") == [
        "Ana Núñez", "Chloé Martin"]
    assert names(vault, "--tie", "knows my work") == []
    assert names(vault, "--tie", "4", "--location", "BERLIN") == ["Chloé Martin"]
    assert names(vault, "--tag", "data", "--tag", "#Speaker") == ["Chloé Martin"]
    assert names(vault, "--tag", "data", "--min-tie", "knows-my-work") == [
        "Ana Núñez", "Chloé Martin"]
    assert names(vault, "--company", "ACME", "--relationship", "former-colleague",
                 "--location", "switzerland", "--tie", "contact") == ["Jonas Weber"]
    assert names(vault, "--company", "acme", "--location", "berlin") == []
    result = vault.run("list", "--location", "berlin", "--tag", "data", "--sort", "tie")
    assert (result.exit_code, result.stdout) == (0, (
        "Chloé Martin  4 trusted        never       Analytics Lead · Datawerk\n"
        "Kai Berger    1 acquaintance   never       Recruiter\n"
        "2 contacts\n"
    ))
    assert vault.run("list", "--location", "nowhere").stdout == "No contacts match.\n"


def test_list_json_keeps_its_shape_and_bad_ties_are_usage_errors(vault: Vault) -> None:
    berlin_vault(vault)
    data = vault.json("list", "--location", "zurich")
    assert data == {"contacts": [{
        "name": "Ana Núñez", "path": "people/Ana Núñez.md", "aliases": [], "tags": ["data"],
        "tie": 4, "tie_label": "trusted", "first_met": None, "last_met": None,
        "last_contact": None, "met_in_person": False, "company": "Lakehouse",
        "role": "Data Engineer", "location": "Zürich", "relationship": [], "oak": False,
    }]}
    for option in ("--tie", "--min-tie"):
        result = vault.run("list", option, "9")
        assert result.exit_code == 2
        assert result.stderr.splitlines()[-1] == (
            f"Error: Invalid value for '{option}': '9' is not a tie (1 acquaintance, "
            "2 contact, 3 knows-my-work, 4 trusted, 5 oak)")


def test_an_excerpt_cut_through_a_detail_hides_all_of_it() -> None:
    from netvault.model import Consent, Contact
    from netvault.privacy import Masker

    chloe = Contact("Chloé", "people/Chloé.md", phones=("+49 151 5550 2231",),
                    consent=Consent("ask", "yes"))
    text = "call +49 151 5550 2231 or chloe@example.org today"
    masker = Masker.for_contacts([chloe], spare_shared=True)
    assert masker.mask_excerpt(text, 0, 12) == ("call [phone hidden]", 0, 22)
    assert masker.mask_excerpt(text, 14, 33) == ("[phone hidden] or [e-mail hidden]", 5, 43)
    assert masker.mask_excerpt(text, 44, 50) == ("today", 44, 50)


def test_an_index_made_before_location_was_searchable_is_rebuilt(vault: Vault) -> None:
    """An index of schema 1 knew nothing of location, offers, needs and interests: its
    version says so, and it is built again rather than trusted."""
    import sqlite3

    from netvault.index import load_index
    from netvault.search import search
    from netvault.store import SCHEMA_VERSION, index_file

    berlin_vault(vault)
    load_index(vault.root, use_cache=True).store.close()
    db = sqlite3.connect(index_file(vault.root.resolve()))
    db.execute("UPDATE body_text SET fields = ''")  # what schema 1 held: no location ...
    db.execute("DELETE FROM terms")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    index = load_index(vault.root, use_cache=True)
    assert [(h.contact.name, h.field) for h in search(index, "zurich")] == [
        ("Ana Núñez", "location"), ("Chloé Martin", "note")]
    index.store.close()
    db = sqlite3.connect(index_file(vault.root.resolve()))
    assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,) == (2,)
    db.close()


def test_a_changed_location_is_searched_and_listed_at_once(vault: Vault) -> None:
    berlin_vault(vault)
    assert names(vault, "--location", "hamburg") == []
    vault.write("people/Kai Berger.md",
                "---\ntie: 1\nrole: Recruiter\nlocation: Hamburg\noffers: [Kotlin jobs]\n---\n")
    assert hits(vault, "hamburg") == [("Kai Berger", 85.0, "location", "Hamburg")]
    assert hits(vault, "kotlin") == [("Kai Berger", 85.0, "offers", "Kotlin jobs")]
    assert names(vault, "--location", "hamburg") == ["Kai Berger"]
    assert names(vault, "--location", "berlin") == ["Chloé Martin"]


def test_a_note_changed_after_the_index_was_read_still_gives_an_excerpt(vault: Vault) -> None:
    """The race between reading the index and reading the note for its excerpt: the hit
    quotes the text the index holds (folded) rather than fail."""
    from netvault.index import load_index
    from netvault.search import search

    berlin_vault(vault)
    index = load_index(vault.root)
    vault.write("people/Jonas Weber.md", "---\ntie: 2\n---\nSomething else entirely.\n")
    (vault.root / "people/Kai Berger.md").unlink()
    assert [(h.contact.name, h.field, h.matched) for h in search(index, "startup")] == [
        ("Jonas Weber", "note", "building a data startup.")]
    assert [(h.contact.name, h.field, h.matched) for h in search(index, "asks first")] == [
        ("Kai Berger", "note", "… ([contact link hidden]), asks first.")]
