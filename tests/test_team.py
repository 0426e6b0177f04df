"""The team digest: what may leave a vault, keyed hashes, the schema, remotes, the store."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netvault.config import config_from_mapping
from netvault.errors import UsageProblem
from netvault.index import load_index
from netvault.paths import RELATIONSHIP_KINDS, TIE_BUCKETS
from netvault.team.digest import (
    FORMAT,
    KEY_CHARS,
    MAX_KEYS_PER_PERSON,
    BadDigest,
    Digest,
    Person,
    build_digest,
    city_of,
    clean_text,
    describe,
    digest_schema,
    encode_digest,
    keyed_hash,
    normalise_email,
    normalise_profile_url,
    read_digest,
)
from netvault.team.doors import team_doors
from netvault.team.repo import SharedRepo, TeamRepoError
from netvault.team.settings import Remote, approve, membership, resolve_remote
from netvault.team.store import PulledDigest, open_store, store_path, write_store

TODAY = date(2026, 11, 25)
KEY = bytes(range(32))
MEMBER = "0123456789abcdef"
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "docs" / "team-digest.schema.json"


def write(vault: Path, relpath: str, text: str) -> None:
    (vault / relpath).parent.mkdir(parents=True, exist_ok=True)
    (vault / relpath).write_text(text, encoding="utf-8")


def digest_of(vault: Path) -> Digest:
    return build_digest(load_index(vault), member=MEMBER, name="Sam", team_key=KEY, today=TODAY)


# ---- normalising and hashing ------------------------------------------------------------------


def test_e_mail_addresses_normalise_to_one_form() -> None:
    assert normalise_email(" Mailto:Ada.Okafor@Example.ORG ") == "ada.okafor@example.org"
    assert normalise_email("ada.okafor@example.org") == "ada.okafor@example.org"
    for bad in ("Ada Okafor", "ada@", "@example.org", "a@b@c", "ada @example.org"):
        assert normalise_email(bad) is None


def test_profile_urls_normalise_and_a_bare_domain_is_nobodys_profile() -> None:
    for written in ("https://www.linkedin.com/in/Ada-Okafor/", "linkedin.com/in/ada-okafor",
                    "http://linkedin.com/in/ada-okafor?trk=public#top"):
        assert normalise_profile_url(written) == "linkedin.com/in/ada-okafor"
    for bad in ("https://contoso.example", "https://contoso.example/", "ftp://x.org/ada",
                "http://[::1/ada", "mailto:ada@example.org"):
        assert normalise_profile_url(bad) is None


def test_one_address_gives_one_key_per_team_and_another_team_key_gives_another() -> None:
    key = keyed_hash(KEY, "email", "ada@example.org")
    assert len(key) == KEY_CHARS and int(key, 16) >= 0
    assert key == keyed_hash(KEY, "email", "ada@example.org")
    assert key != keyed_hash(bytes(32), "email", "ada@example.org")
    assert key != keyed_hash(KEY, "url", "ada@example.org")


def test_only_a_city_leaves_never_a_street_or_postcode() -> None:
    assert city_of("Berlin, Germany") == "Berlin"
    assert city_of("12 Rue Oberkampf, 75011 Paris, France") == "France"
    assert city_of("10115") is None
    assert city_of(None) is None
    assert city_of("  São   Paulo ") == "São Paulo"


def test_text_that_could_rewrite_a_terminal_is_cleaned() -> None:
    assert clean_text("Acme\x1b[2J\u202eCorp\n") == "Acme [2J Corp"
    assert clean_text("\x00\u200b ") is None
    assert clean_text("x" * 500) == "x" * 200


def test_a_person_without_a_published_name_is_described_by_role_and_company() -> None:
    assert describe(Person(tie="strong", role="Partner", company="Fabrikam")) == (
        "a Partner at Fabrikam"
    )
    assert describe(Person(tie="strong", role="Engineer")) == "an Engineer"
    assert describe(Person(tie="strong", company="Fabrikam")) == "someone at Fabrikam"
    assert describe(Person(tie="strong")) == "someone"


# ---- what a digest holds ----------------------------------------------------------------------


def test_the_digest_keeps_only_shareable_people_and_only_the_published_fields(
    tmp_path: Path,
) -> None:
    write(tmp_path, ".netvault.toml", '[owner]\nname = "Sam Rivera"\n[team]\nmin_tie = 3\n')
    write(tmp_path, "people/Victor Huang.md",
          "---\ntie: 5\nrelationship: [ex-coworker, friend]\ncompany: Fabrikam\nrole: Partner\n"
          "location: Berlin, Germany\nemail: [victor@fabrikam.example, v@home.example]\n"
          "phone: '+49 30 5550 1234'\nlinks: [https://www.linkedin.com/in/victor-h/, "
          "https://fabrikam.example]\nconsent:\n  introductions: yes\n---\n"
          "## Log\n- 2025-02-03 (call) talked about funds\n")
    write(tmp_path, "people/Nia Brooks.md",
          "---\ntie: trusted\nrelationship: [therapist]\ncompany: Northwind\n---\nPrivate words.\n")
    write(tmp_path, "people/No Consent.md",
          "---\ntie: 5\nconsent:\n  introductions: no\ncompany: Secret Co\n---\n")
    write(tmp_path, "people/Weak Tie.md", "---\ntie: 2\ncompany: Weak Co\n---\n")
    write(tmp_path, "people/Tagged.md", "---\ntie: 5\ntags: ['#Private/family']\n---\n")
    write(tmp_path, "people/No Tie.md", "---\ncompany: Untied Co\n---\n")
    write(tmp_path, "people/Sam Rivera.md", "---\ntie: 5\ncompany: Myself Inc\n---\n")

    digest = digest_of(tmp_path)

    assert digest.format == FORMAT and digest.member == MEMBER and digest.published == TODAY
    assert [msgspec.structs.asdict(p) for p in digest.people] == [
        {"tie": "strong", "relationship": "former colleague", "company": "Fabrikam",
         "role": "Partner", "city": "Berlin", "last_in_touch": 2025,
         "keys": sorted([keyed_hash(KEY, "email", "victor@fabrikam.example"),
                         keyed_hash(KEY, "email", "v@home.example"),
                         keyed_hash(KEY, "url", "linkedin.com/in/victor-h")]),
         "name": "Victor Huang"},
        {"tie": "strong", "relationship": "other", "company": "Northwind", "role": None,
         "city": None, "last_in_touch": None, "keys": [], "name": None},
    ]
    data = encode_digest(digest)
    for secret in (b"victor@", b"5550", b"Private words", b"therapist", b"Nia", b"Secret",
                   b"Weak", b"Myself", b"funds", b"ex-coworker"):
        assert secret not in data


def test_team_min_tie_raises_the_bar(tmp_path: Path) -> None:
    write(tmp_path, ".netvault.toml", "[team]\nmin_tie = 4\n")
    write(tmp_path, "people/Three.md", "---\ntie: 3\ncompany: A\n---\n")
    write(tmp_path, "people/Four.md", "---\ntie: 4\ncompany: B\n---\n")

    assert [p.company for p in digest_of(tmp_path).people] == ["B"]


def test_hidden_names_do_not_decide_the_order_of_the_digest(tmp_path: Path) -> None:
    digests = []
    for hidden in ("Aaron Abbott", "Zoe Zuniga"):
        vault = tmp_path / hidden
        write(vault, "people/Mia Named.md",
              "---\ntie: 3\ncompany: Same Co\nconsent:\n  introductions: yes\n---\n")
        write(vault, f"people/{hidden}.md", "---\ntie: 3\ncompany: Same Co\n---\n")
        digests.append(encode_digest(digest_of(vault)))

    assert digests[0] == digests[1]


def test_a_person_has_at_most_eight_keys(tmp_path: Path) -> None:
    emails = ", ".join(f"a{n}@example.org" for n in range(12))
    write(tmp_path, "people/Many.md", f"---\ntie: 4\nemail: [{emails}]\n---\n")

    (person,) = digest_of(tmp_path).people

    assert len(person.keys) == MAX_KEYS_PER_PERSON == 8


# ---- reading a stranger's digest --------------------------------------------------------------

_safe_text = st.text(
    st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp")), min_size=1, max_size=30
).filter(lambda t: t.strip() == t and t != "")
_people = st.builds(
    Person,
    tie=st.sampled_from(sorted(TIE_BUCKETS)),
    relationship=st.none() | st.sampled_from(RELATIONSHIP_KINDS),
    company=st.none() | _safe_text,
    role=st.none() | _safe_text,
    city=st.none() | _safe_text,
    last_in_touch=st.none() | st.integers(1900, 9999),
    keys=st.lists(st.text("0123456789abcdef", min_size=32, max_size=32), max_size=8),
    name=st.none() | _safe_text,
)


@settings(max_examples=40, deadline=None)
@given(st.lists(_people, max_size=5), _safe_text)
def test_a_valid_digest_reads_back_the_same(people: list[Person], name: str) -> None:
    digest = Digest(format=FORMAT, version=1, member=MEMBER, name=name, published=TODAY,
                    people=people)

    assert read_digest(encode_digest(digest), MEMBER) == digest


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200) | st.builds(lambda v: json.dumps(v).encode(), st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=8)))
def test_any_other_bytes_are_a_bad_digest_never_a_crash(data: bytes) -> None:
    with pytest.raises(BadDigest):
        read_digest(data, MEMBER)


def test_the_documented_json_schema_is_the_one_the_code_enforces() -> None:
    expected = json.dumps(digest_schema(), indent=2, ensure_ascii=False) + "\n"
    if os.environ.get("NETVAULT_UPDATE_GOLDENS"):
        SCHEMA_FILE.write_text(expected, encoding="utf-8")
    assert SCHEMA_FILE.read_text(encoding="utf-8") == expected, "run `make goldens`"


# ---- config, remotes, approval ----------------------------------------------------------------


def test_team_config_keys_are_read_and_checked() -> None:
    config, problems = config_from_mapping({"team": {"remote": " ../team.git ", "min_tie": 4}})
    assert (config.team_remote, config.team_min_tie, problems) == ("../team.git", 4, [])

    config, problems = config_from_mapping({"team": {"remote": "", "min_tie": 2}})
    assert (config.team_remote, config.team_min_tie) == (None, 3)
    assert [p.message for p in problems] == [
        "remote must be a non-empty string",
        "min_tie must be a whole number from 3 to 5",
    ]


def test_remotes_resolve_and_command_running_transports_are_refused(tmp_path: Path) -> None:
    assert resolve_remote("../team.git", tmp_path / "vault") == Remote(
        str((tmp_path / "team.git").resolve()), local=True
    )
    assert resolve_remote("git@example.org:team/digests.git", tmp_path) == Remote(
        "git@example.org:team/digests.git", local=False
    )
    assert resolve_remote("file:///srv/team.git/", tmp_path) == Remote(
        "file:///srv/team.git", local=True
    )
    for bad in ("ext::sh -c 'touch x'", "fd::3", "-oProxyCommand=x:y", "gopher://x/y", " "):
        with pytest.raises(UsageProblem):
            resolve_remote(bad, tmp_path)


def test_git_itself_refuses_the_ext_transport(tmp_path: Path) -> None:
    marker = tmp_path / "ran"

    with SharedRepo(Remote(f"ext::sh -c 'touch {marker}'", local=False)) as repo, \
            pytest.raises(TeamRepoError, match="ls-remote"):
        repo.remote_refs()

    assert not marker.exists()


def test_approval_keeps_one_member_id_per_remote_in_the_users_config() -> None:
    first, second = Remote("/srv/a.git", True), Remote("/srv/b.git", True)
    assert membership(first.url) is None

    approved = approve(first, TODAY)

    assert approve(first, TODAY) == approved == membership(first.url)
    assert approved.approved == TODAY and len(approved.member_id) == 16
    assert approve(second, TODAY).member_id != approved.member_id


# ---- the store --------------------------------------------------------------------------------


def test_a_damaged_store_counts_as_not_pulled(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    people = [Person(tie="strong", company="Acme Robotics", name="Ada")]
    digest = Digest(format=FORMAT, version=1, member=MEMBER, name="Sam", published=TODAY,
                    people=people)
    write_store(vault, remote="/srv/t.git", team_key=KEY, pulled=TODAY,
                digests=[PulledDigest(digest, "c" * 40, 100)], problems=[])
    store = open_store(vault)
    assert store is not None
    assert [e.person.name for e in store.at_company("acme")] == ["Ada"]
    assert store.at_company("acme rob") == []
    assert [e.person.name for e in store.at_company("acme robotics gmbh")] == ["Ada"]
    store.close()

    store_path(vault).write_bytes(b"not a database")

    assert open_store(vault) is None


def test_without_git_the_team_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(TeamRepoError, match="git is not installed"), \
            SharedRepo(Remote(str(tmp_path), True)):
        pass


def test_members_showing_the_same_name_or_you_are_told_apart_by_their_id(
    tmp_path: Path,
) -> None:
    vault = tmp_path / "vault"
    write(vault, "people/Own Contact.md", "---\ntie: 3\nrole: Data Engineer\n---\n")
    digests = []
    for member, name in (("a" * 16, "Bea"), ("b" * 16, "Bea"), ("c" * 16, "You")):
        people = [Person(tie="knows-my-work", role="Senior Data Engineer", company="Acme")]
        digests.append(PulledDigest(Digest(format=FORMAT, version=1, member=member, name=name,
                                           published=TODAY, people=people), "c" * 40, 100))
    write_store(vault, remote="/srv/t.git", team_key=KEY, pulled=TODAY, digests=digests,
                problems=[])
    store = open_store(vault)
    assert store is not None

    result = team_doors(load_index(vault), store, "data engineer", TODAY, me=None)

    assert result.kind == "role"
    assert [(d.member_name, d.person, d.path.score) for d in result.doors] == [
        ("you", "Own Contact", 11.5),  # other 1 + tie 3, + 7.5 (nothing else recorded)
        ("Bea [aaaaaaaa]", "a Senior Data Engineer at Acme", 11.5),
        ("Bea [bbbbbbbb]", "a Senior Data Engineer at Acme", 11.5),
        ("You [cccccccc]", "a Senior Data Engineer at Acme", 11.5),
    ]
    store.close()
