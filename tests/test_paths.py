"""Warm paths: who may introduce you, how they are ranked, and why."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from netvault.index import load_index
from netvault.paths import HOP_PENALTY, PathResult, warm_paths

TODAY = date(2026, 11, 25)


def write_note(vault: Path, relpath: str, text: str) -> None:
    (vault / relpath).parent.mkdir(parents=True, exist_ok=True)
    (vault / relpath).write_text(text, encoding="utf-8")


def person(
    vault: Path,
    name: str,
    *,
    tie: int | None = 3,
    relationship: str = "former-colleague",
    company: str | None = None,
    role: str | None = None,
    first_met: str = "2019-03-01",
    last_met: str = "2026-11-01",
    extra: str = "",
    body: str = "",
) -> None:
    lines = ["---", f"name: {name}"]
    if tie is not None:
        lines.append(f"tie: {tie}")
    lines += [f"first_met: {first_met}", f"last_met: {last_met}"]
    if relationship:
        lines.append(f"relationship: [{relationship}]")
    if company:
        lines.append(f"company: {company}")
    if role:
        lines.append(f"role: {role}")
    if extra:
        lines.append(extra)
    lines += ["---", f"# {name}", "", body, ""]
    write_note(vault, f"people/{name}.md", "\n".join(lines))


def paths_to(vault: Path, target: str, min_tie: int | None = None) -> PathResult:
    return warm_paths(load_index(vault), target, TODAY, min_tie)


def hops(result: PathResult) -> list[tuple[str, ...]]:
    return [p.hops for p in result.paths]


def test_a_tie_2_contact_who_knows_the_target_is_excluded(tmp_path: Path) -> None:
    person(tmp_path, "Tara Target", tie=1, relationship="event")
    person(tmp_path, "Lena Low", tie=2, body="Close to [[Tara Target]].")
    person(tmp_path, "Hugo High", tie=3, body="Plays chess with [[Tara Target]].")
    person(tmp_path, "Una Unrelated", tie=2)

    result = paths_to(tmp_path, "Tara Target")

    assert result.kind == "person"
    assert hops(result) == [("Hugo High", "Tara Target")]
    assert [(e.name, e.reason) for e in result.excluded] == [
        (
            "Lena Low",
            "links to Tara Target in their note, but your tie is only 2 (contact); "
            "an introducer needs 3 or more",
        )
    ]


def test_a_contact_without_a_tie_is_never_an_introducer(tmp_path: Path) -> None:
    person(tmp_path, "Tara Target", tie=1)
    person(tmp_path, "Nia Notie", tie=None, body="Knows [[Tara Target]].")

    result = paths_to(tmp_path, "Tara Target")

    assert result.paths == ()
    assert [(e.name, e.reason) for e in result.excluded] == [
        (
            "Nia Notie",
            "links to Tara Target in their note, but no tie is recorded; "
            "an introducer needs 3 or more",
        )
    ]


def test_a_former_colleague_outranks_a_closer_friend_who_knows_the_target_as_well(
    tmp_path: Path,
) -> None:
    person(tmp_path, "Tara Target", tie=1)
    person(tmp_path, "Fred Friend", tie=5, relationship="friend", body="[[Tara Target]]")
    person(tmp_path, "Cora Colleague", tie=3, body="[[Tara Target]]")

    result = paths_to(tmp_path, "Tara Target")

    assert hops(result) == [("Cora Colleague", "Tara Target"), ("Fred Friend", "Tara Target")]
    colleague, friend = result.paths
    assert colleague.reasons[0] == "Cora Colleague is a former colleague (can vouch for your work)"
    assert friend.reasons[0] == "Fred Friend is a friend (a friend cannot vouch for your work)"
    assert colleague.knows_target == friend.knows_target
    assert colleague.score > friend.score


def test_vouching_order_former_colleague_colleague_client_mentor_friend(tmp_path: Path) -> None:
    person(tmp_path, "Tara Target", tie=1)
    for name, relationship in [
        ("Amy Family", "family"),
        ("Bea Friend", "friend"),
        ("Cid Mentor", "mentor"),
        ("Dot Client", "client"),
        ("Eve Colleague", "colleague"),
        ("Fay Former", "ex-colleague"),
    ]:
        person(tmp_path, name, relationship=relationship, body="[[Tara Target]]")

    result = paths_to(tmp_path, "Tara Target")

    assert [p.hops[0] for p in result.paths] == [
        "Fay Former",
        "Eve Colleague",
        "Dot Client",
        "Cid Mentor",
        "Amy Family",
        "Bea Friend",
    ]


def test_then_tie_then_years_known_then_recency(tmp_path: Path) -> None:
    person(tmp_path, "Tara Target", tie=1)
    person(tmp_path, "Ann Recent", tie=3, first_met="2016-01-01", body="[[Tara Target]]")
    person(
        tmp_path,
        "Bob Stale",
        tie=3,
        first_met="2016-01-01",
        last_met="2024-01-01",
        body="[[Tara Target]]",
    )
    person(tmp_path, "Cy Newer", tie=3, first_met="2025-01-01", body="[[Tara Target]]")
    person(tmp_path, "Di Closer", tie=4, first_met="2025-06-01", body="[[Tara Target]]")

    result = paths_to(tmp_path, "Tara Target")

    assert [p.hops[0] for p in result.paths] == ["Di Closer", "Ann Recent", "Bob Stale", "Cy Newer"]
    ann = result.paths[1]
    assert ann.reasons[1:4] == ("tie 3 knows-my-work", "known 10 years", "last in touch 2026-11-01")
    assert result.paths[0].reasons[2] == "known 1 year"


def test_a_link_beats_a_mention_beats_a_same_company_guess(tmp_path: Path) -> None:
    person(tmp_path, "Tara Target", tie=1, company="Acme Robotics")
    person(tmp_path, "Gus Guess", company="acme robotics")
    person(tmp_path, "Lou Link", company="Globex", body="Five-a-side with [[Tara Target]].")
    person(tmp_path, "Mo Mention", company="Initech", body="Climbs with Tara Target on Tuesdays.")

    result = paths_to(tmp_path, "tara target")

    assert [p.hops[0] for p in result.paths] == ["Lou Link", "Mo Mention", "Gus Guess"]
    link, mention, guess = result.paths
    assert link.reasons[-1] == "links to Tara Target in their note"
    assert mention.reasons[-1] == "mentions Tara Target in their note"
    assert guess.reasons[-1] == "works at acme robotics now, like Tara Target"
    assert link.score > mention.score > guess.score


def test_a_link_in_the_targets_note_counts_both_ways_and_pronouns_are_used(
    tmp_path: Path,
) -> None:
    person(tmp_path, "Tara Target", tie=1, body="Old friend of [[Ada Okafor]].")
    person(tmp_path, "Ada Okafor", extra="pronouns: she/her")
    person(tmp_path, "Ben Carter", extra="pronouns: he/him", body="Met [[Tara Target]] once.")

    result = paths_to(tmp_path, "Tara Target")

    reasons = {p.hops[0]: p.reasons[-1] for p in result.paths}
    assert reasons == {
        "Ada Okafor": "is linked from Tara Target's note",
        "Ben Carter": "links to Tara Target in his note",
    }


def test_a_shared_former_employer_is_the_weakest_sign(tmp_path: Path) -> None:
    person(
        tmp_path, "Tara Target", tie=1, company="Ledgerline", body="Worked at Northwind 2019-2021."
    )
    person(tmp_path, "Nora North", company="Northwind Analytics")
    person(tmp_path, "Pia Past", company="Initech", extra="former_companies: [Northwind]")
    person(tmp_path, "Xan Stranger", company="Initech")

    result = paths_to(tmp_path, "Tara Target")

    assert [(p.hops[0], p.reasons[-1]) for p in result.paths] == [
        ("Nora North", "works at Northwind Analytics now, where Tara Target worked before"),
        ("Pia Past", "worked at Northwind, as Tara Target did"),
    ]
    assert {p.knows_target for p in result.paths} == {1.5}


def test_two_hop_path_ranks_below_an_equally_strong_one_hop(tmp_path: Path) -> None:
    person(tmp_path, "Tara Target", tie=1)
    person(tmp_path, "Ivy Inside", tie=1, relationship="event", body="Reports to [[Tara Target]].")
    person(tmp_path, "Ada Direct", body="Knows [[Tara Target]] well.")
    person(tmp_path, "Bo Twohop", body="Shared a flat with [[Ivy Inside]].")

    result = paths_to(tmp_path, "Tara Target")

    assert hops(result) == [
        ("Ada Direct", "Tara Target"),
        ("Bo Twohop", "Ivy Inside", "Tara Target"),
    ]
    one, two = result.paths
    assert two.introducers == ("Bo Twohop",)
    assert one.vouch == two.vouch
    assert one.knows_target == two.knows_target
    assert two.score == round(one.score - HOP_PENALTY, 2)
    assert two.reasons[-3:] == (
        "links to Ivy Inside in their note",
        "Ivy Inside links to Tara Target in their note",
        "one more hop: Ivy Inside has to pass you on (-1.5)",
    )
    # The intermediary is not an introducer: she barely knows you.
    assert [e.name for e in result.excluded] == ["Ivy Inside"]


def test_no_detour_through_someone_you_could_ask_yourself(tmp_path: Path) -> None:
    person(tmp_path, "Tara Target", tie=1)
    person(tmp_path, "Ada Direct", body="Knows [[Tara Target]] well.")
    person(tmp_path, "Bo Friend", body="Lunch with [[Ada Direct]] and [[Tara Target]].")
    person(tmp_path, "Cy Other", body="Went to school with [[Ada Direct]].")

    result = paths_to(tmp_path, "Tara Target")

    assert hops(result) == [("Ada Direct", "Tara Target"), ("Bo Friend", "Tara Target")]


def test_more_than_two_hops_is_not_a_path(tmp_path: Path) -> None:
    person(tmp_path, "Tara Target", tie=1)
    person(tmp_path, "Mia Middle", tie=1, body="[[Tara Target]]")
    person(tmp_path, "Ned Next", tie=1, body="[[Mia Middle]]")
    person(tmp_path, "Ola Outer", body="[[Ned Next]]")

    result = paths_to(tmp_path, "Tara Target")

    assert result.paths == ()
    assert [e.name for e in result.excluded] == ["Mia Middle"]


def test_a_person_you_know_well_gets_a_direct_path_first(tmp_path: Path) -> None:
    person(tmp_path, "Tara Target", tie=3, relationship="friend")
    person(tmp_path, "Zoe Zealous", tie=5, body="[[Tara Target]]")
    # No detour through a stranger to someone you can simply call.
    person(tmp_path, "Sid Stranger", tie=1, body="[[Tara Target]]")
    person(tmp_path, "Kai Known", tie=4, body="[[Sid Stranger]]")

    result = paths_to(tmp_path, "Tara Target")

    assert hops(result) == [("Tara Target",), ("Zoe Zealous", "Tara Target")]
    direct = result.paths[0]
    assert direct.introducers == ()
    assert direct.reasons[0] == "you know Tara Target directly"
    assert direct.score < result.paths[1].score


def test_a_target_you_barely_know_gets_no_direct_path(tmp_path: Path) -> None:
    person(tmp_path, "Tara Target", tie=2)

    assert paths_to(tmp_path, "Tara Target").paths == ()
    assert hops(paths_to(tmp_path, "Tara Target", min_tie=2)) == [("Tara Target",)]


def test_company_target_insiders_alumni_and_two_hops(tmp_path: Path) -> None:
    person(tmp_path, "Ann Now", company="Acme Robotics")
    person(tmp_path, "Bea Before", extra="former_companies: [ACME Robotics]", company="Globex")
    person(tmp_path, "Cal Text", company="Initech", body="Formerly at Acme Robotics, then Initech.")
    person(tmp_path, "Dev Ex", company="Initech", body="Dev (ex-Acme) runs the platform team.")
    person(tmp_path, "Eli Linked", company="Globex", body="Coached [[Ivo Insider]] for a year.")
    person(tmp_path, "Ivo Insider", tie=1, relationship="event", company="Acme Robotics")
    person(tmp_path, "Lia Low", tie=2, company="Acme Robotics")
    person(tmp_path, "Zed Elsewhere", company="Globex")

    result = paths_to(tmp_path, "acme robotics")

    assert result.kind == "company"
    assert result.target == "Acme Robotics"
    assert hops(result) == [
        ("Ann Now", "Acme Robotics"),
        ("Eli Linked", "Ivo Insider", "Acme Robotics"),
        ("Bea Before", "Acme Robotics"),
        ("Cal Text", "Acme Robotics"),
        ("Dev Ex", "Acme Robotics"),
    ]
    assert result.paths[0].reasons[-1] == "works at Acme Robotics now"
    assert result.paths[1].reasons[-2] == "Ivo Insider works at Acme Robotics now"
    assert [p.reasons[-1] for p in result.paths[2:]] == [
        "worked at ACME Robotics before",
        "worked at Acme Robotics before",
        "worked at Acme before",
    ]
    assert result.matches == (
        "Ann Now",
        "Ivo Insider",
        "Lia Low",
        "Bea Before",
        "Cal Text",
        "Dev Ex",
    )
    assert [e.name for e in result.excluded] == ["Ivo Insider", "Lia Low"]


def test_company_names_match_without_case_accents_or_suffix(tmp_path: Path) -> None:
    person(tmp_path, "Ann Now", company="Café Ñandú GmbH")

    for query in ("cafe nandu gmbh", "CAFÉ ÑANDÚ", "Café Ñandú GmbH"):
        result = paths_to(tmp_path, query)
        assert (result.kind, result.target, hops(result)) == (
            "company",
            "Café Ñandú GmbH",
            [("Ann Now", "Café Ñandú GmbH")],
        ), query
    assert paths_to(tmp_path, "Café").kind == "company"
    assert paths_to(tmp_path, "Caf").kind is None


def test_freelance_is_not_an_employer(tmp_path: Path) -> None:
    person(tmp_path, "Tara Target", tie=1, company="Freelance")
    person(tmp_path, "Fay Free", company="Freelance")

    assert paths_to(tmp_path, "Tara Target").paths == ()
    assert paths_to(tmp_path, "Freelance").kind is None


def test_role_target_by_role_words_and_by_relationship(tmp_path: Path) -> None:
    person(tmp_path, "Cat Cto", tie=1, role="CTO and co-founder", company="Fieldnote")
    person(tmp_path, "Fra Fractional", tie=4, relationship="mentor", role="Fractional CTO")
    person(tmp_path, "Hal Hiring", tie=1, relationship="hiring manager", role="Head of Data")
    person(tmp_path, "Vic Victor", tie=1, role="Director of CTOs office")
    person(tmp_path, "Ada Intro", body="Introduced me to [[Hal Hiring]]; knows [[Cat Cto]].")

    cto = paths_to(tmp_path, "cto")
    assert cto.kind == "role"
    assert cto.target == "cto"
    assert cto.matches == ("Cat Cto", "Fra Fractional")
    assert hops(cto) == [("Fra Fractional",), ("Ada Intro", "Cat Cto")]

    hiring = paths_to(tmp_path, "Hiring Manager")
    assert hiring.kind == "role"
    assert hops(hiring) == [("Ada Intro", "Hal Hiring")]


def test_target_kind_is_person_then_company_then_role(tmp_path: Path) -> None:
    person(tmp_path, "Acme", tie=1, relationship="event", company="Acme", role="Founder")
    person(tmp_path, "Globe Person", tie=1, company="Founder Labs", role="Founder")
    person(tmp_path, "Ada Intro", body="[[Acme]] [[Globe Person]]")

    assert paths_to(tmp_path, "acme").kind == "person"
    assert paths_to(tmp_path, "Founder Labs").kind == "company"
    # "Founder" is also both people's role: a company match wins.
    assert paths_to(tmp_path, "founder").kind == "company"


def test_unknown_target_gets_suggestions(tmp_path: Path) -> None:
    person(tmp_path, "Ben Carter", company="Ledgerline", role="Head of Data")
    person(tmp_path, "Dana Lee", company="Northwind Analytics")

    result = paths_to(tmp_path, "Ben Cartr")
    assert result.kind is None
    assert result.suggestions[0] == "Ben Carter"
    assert paths_to(tmp_path, "Northwnd Analytics").suggestions[0] == "Northwind Analytics"
    assert paths_to(tmp_path, "zzzz qqqq").suggestions == ()


def test_min_tie_from_argument_and_from_config(tmp_path: Path) -> None:
    person(tmp_path, "Tara Target", tie=1)
    person(tmp_path, "Lena Low", tie=2, body="[[Tara Target]]")
    person(tmp_path, "Hugo High", tie=4, body="[[Tara Target]]")

    assert [p.hops[0] for p in paths_to(tmp_path, "Tara Target").paths] == ["Hugo High"]
    assert [p.hops[0] for p in paths_to(tmp_path, "Tara Target", min_tie=2).paths] == [
        "Hugo High",
        "Lena Low",
    ]
    assert paths_to(tmp_path, "Tara Target", min_tie=5).paths == ()

    write_note(tmp_path, ".netvault.toml", "[ties]\npath_min = 2\n")
    result = paths_to(tmp_path, "Tara Target")
    assert result.min_tie == 2
    assert [p.hops[0] for p in result.paths] == ["Hugo High", "Lena Low"]


def test_equal_paths_are_ordered_by_name_and_repeatably(tmp_path: Path) -> None:
    person(tmp_path, "Tara Target", tie=1)
    for name in ("Zoë Zed", "Ana Alpha", "émile Echo", "Mia Mid"):
        person(tmp_path, name, body="[[Tara Target]]")

    first = paths_to(tmp_path, "Tara Target")
    again = paths_to(tmp_path, "Tara Target")

    assert [p.hops[0] for p in first.paths] == ["Ana Alpha", "émile Echo", "Mia Mid", "Zoë Zed"]
    assert len({p.score for p in first.paths}) == 1
    assert first == again


def test_the_owners_own_note_is_never_a_hop(tmp_path: Path) -> None:
    write_note(tmp_path, ".netvault.toml", '[owner]\nname = "Sam Rivera"\n')
    person(tmp_path, "Tara Target", tie=1)
    person(tmp_path, "Sam Rivera", tie=5, body="Me. I met [[Tara Target]].")
    person(tmp_path, "Ada Intro", body="[[Sam Rivera]]")

    assert paths_to(tmp_path, "Tara Target").paths == ()
    assert paths_to(tmp_path, "Sam Rivera").kind is None
