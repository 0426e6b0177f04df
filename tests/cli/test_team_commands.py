"""`netvault team ...` end to end: three member vaults, a bare git repository on disk, the CLI.

Each member has their own user folders (XDG config and cache), as on their own machine. git
runs with no global or system config here (GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM), so the
tests pass on a machine without a git identity; netvault authors its commits as `[owner]`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from netvault.cli import COMMANDS, cli

TODAY = "2026-11-25"
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Test Runner",
    "GIT_AUTHOR_EMAIL": "runner@example.org",
    "GIT_COMMITTER_NAME": "Test Runner",
    "GIT_COMMITTER_EMAIL": "runner@example.org",
}


def git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    done = subprocess.run(
        ["git", "--git-dir", str(repo), *args],
        input=stdin,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        check=True,
    )
    return done.stdout


def contact(
    name: str,
    *,
    tie: int,
    relationship: str,
    company: str,
    role: str = "",
    email: str = "",
    phone: str = "",
    introductions: str = "ask",
    last_met: str = "",
    first_met: str = "",
    location: str = "",
    tags: str = "",
    body: str = "",
) -> str:
    lines = ["---", f"name: {name}", f"tie: {tie}", f"relationship: [{relationship}]",
             f"company: {company}"]
    for key, value in (("role", role), ("email", email), ("location", location),
                       ("last_met", last_met), ("first_met", first_met), ("tags", tags)):
        if value:
            lines.append(f"{key}: {value}")
    if phone:
        lines.append(f'phone: "{phone}"')
    lines += ["consent:", f"  introductions: {introductions}", "---", body, ""]
    return "\n".join(lines)


class Member:
    """One teammate: a vault, their own user folders, the CLI run as them."""

    def __init__(self, base: Path, slug: str, owner: str, remote: Path) -> None:
        self.root = base / slug / "vault"
        self.home = base / slug / "user"
        (self.root / "people").mkdir(parents=True)
        (self.root / ".netvault.toml").write_text(
            f'[owner]\nname = "{owner}"\nemail = "{slug}@team.example"\n\n'
            f'[team]\nremote = "{os.path.relpath(remote, self.root)}"\n',
            encoding="utf-8",
        )

    def add(self, name: str, text: str) -> None:
        (self.root / "people" / f"{name}.md").write_text(text, encoding="utf-8")

    def env(self) -> dict[str, str]:
        return {
            "NETVAULT_TODAY": TODAY,
            "XDG_CONFIG_HOME": str(self.home / "config"),
            "XDG_CACHE_HOME": str(self.home / "cache"),
            "XDG_STATE_HOME": str(self.home / "state"),
        }

    def run(self, *args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(
            cli, ["--vault", str(self.root), "team", *args], env=self.env(), input=input
        )

    def json(self, *args: str) -> Any:
        result = self.run(*args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    def user_config(self) -> str:
        return (self.home / "config" / "netvault" / "config.toml").read_text(encoding="utf-8")


class Team:
    def __init__(self, base: Path) -> None:
        self.remote = base / "shared.git"
        subprocess.run(["git", "init", "--quiet", "--bare", str(self.remote)], check=True,
                       env={**os.environ, **GIT_ENV})
        self.ada = Member(base, "ada", "Ada Owner", self.remote)
        self.bea = Member(base, "bea", "Bea Lind", self.remote)
        self.cem = Member(base, "cem", "Cem Aydın", self.remote)
        self.members = (self.ada, self.bea, self.cem)

    def sync(self) -> None:
        for member in self.members:
            result = member.run("publish", "--yes")
            assert result.exit_code == 0, result.output
        for member in self.members:
            result = member.run("pull", "--yes")
            assert result.exit_code == 0, result.output

    def objects(self) -> bytes:
        """Every object of the shared repository, reachable or not, as one byte string."""
        return git(self.remote, "cat-file", "--batch-all-objects", "--batch")

    def reachable(self) -> bytes:
        names = git(self.remote, "rev-list", "--objects", "--all").decode().split("\n")
        wanted = "".join(line.split(" ")[0] + "\n" for line in names if line)
        return git(self.remote, "cat-file", "--batch", stdin=wanted.encode())


def build_team(base: Path) -> Team:
    """Victor: only Bea knows him well. Northwind: Bea and Cem know someone there, and so does
    Ada. Dana: Bea (named) and Cem (name withheld, same address). Zed: only Cem, who has
    `introductions: no` for him."""
    team = Team(base)
    team.ada.add("Pat Quinn", contact(
        "Pat Quinn", tie=4, relationship="colleague", company="Northwind Traders",
        email="pat.quinn@northwind.example", first_met="2020-01-15", last_met="2026-11-01",
        body="Pat still owes me the ski chalet booking.",
    ))
    team.ada.add("Lou Low", contact(
        "Lou Low", tie=2, relationship="event", company="Northwind Traders",
        email="lou@northwind.example", body="Met once at a trade fair stand.",
    ))
    team.bea.add("Victor Huang", contact(
        "Victor Huang", tie=5, relationship="former-colleague", company="Fabrikam Capital",
        role="Partner", location="Berlin, Germany", email="victor.huang@fabrikam.example",
        phone="+49 30 5550 1234", introductions="yes", last_met="2026-10-01",
        body="Victor coaches his daughter's football team on Saturdays.",
    ))
    team.bea.add("Nia Brooks", contact(
        "Nia Brooks", tie=3, relationship="client", company="Northwind Traders",
        role="Head of Data", email="nia.brooks@northwind.example", phone="+44 20 7946 0018",
        last_met="2025-06-01", body="Nia is quietly interviewing elsewhere.",
    ))
    team.bea.add("Dana Whitfield", contact(
        "Dana Whitfield", tie=4, relationship="mentor", company="Contoso", role="CTO",
        email="dana@contoso.example", introductions="yes", last_met="2026-09-15",
        body="Dana mentored me through the platform migration.",
    ))
    team.bea.add("Pia Private", contact(
        "Pia Private", tie=5, relationship="former-colleague", company="Fabrikam Capital",
        email="pia@fabrikam.example", introductions="yes", tags="[private]",
        body="Pia asked me to keep our contact off the record.",
    ))
    team.cem.add("Victor Huang", contact(
        "Victor Huang", tie=2, relationship="friend", company="Fabrikam Capital",
        email="victor.huang@fabrikam.example", introductions="yes",
        body="We sat together at a wedding once.",
    ))
    team.cem.add("Omar Said", contact(
        "Omar Said", tie=4, relationship="former-colleague", company="Northwind Traders",
        role="Engineering Manager", email="omar.said@northwind.example",
        phone="+1 415 555 0142", last_met="2026-11-20",
        body="Omar's team is about to be reorganised.",
    ))
    team.cem.add("Dana W", contact(
        "Dana W", tie=3, relationship="friend", company="Contoso", role="CTO",
        email="DANA@contoso.example", last_met="2026-03-02",
        body="Dana and I run together on Sundays.",
    ))
    team.cem.add("Zed Zimmer", contact(
        "Zed Zimmer", tie=5, relationship="former-colleague", company="Obscura Labs",
        email="zed@obscura.example", introductions="no", last_met="2026-11-01",
        body="Zed never wants to be introduced to anyone.",
    ))
    return team


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return build_team(tmp_path)


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Team:
    """Published and pulled once, for the tests that only read."""
    team = build_team(tmp_path_factory.mktemp("team"))
    team.sync()
    return team


def ranking(data: Any) -> list[tuple[str, tuple[str, ...], float, str]]:
    return [
        (p["member"]["name"], tuple(p["hops"]), p["score"], p["matched_by"]) for p in data["paths"]
    ]


# ---- Done when: the end-to-end ranking -------------------------------------------------------


def test_three_members_publish_pull_and_rank_doors_by_the_vouching_rules(team: Team) -> None:
    team.sync()  # each of the three publishes, then each pulls

    # Only Bea knows Victor well (Cem's tie 2 never leaves Cem's machine).
    victor = team.ada.json("path", "Victor Huang")
    assert victor["kind"] == "person"
    assert ranking(victor) == [
        ("Bea Lind", ("Bea Lind", "Victor Huang"), 16.7, "name"),  # 5 + 4 + 0.2, + 7.5
    ]
    assert victor["paths"][0]["reasons"] == [
        "Bea Lind knows Victor Huang",
        "Victor Huang is a former colleague (can vouch for Bea Lind's work)",
        "strong tie",
        "last in touch in 2026",
        "found by name alone",
        f"from Bea Lind's digest of {TODAY}",
    ]

    # Two teammates know someone at Northwind; Ada's own door comes first all the same.
    northwind = team.ada.json("path", "Northwind")
    assert northwind["target"] == "Northwind Traders"
    assert northwind["kind"] == "company"
    assert ranking(northwind) == [
        ("you", ("Pat Quinn", "Northwind Traders"), 14.7, "you"),  # 4 + 4 + 0.3 + 0.4, + 6
        ("Cem Aydın", ("Cem Aydın", "an Engineering Manager at Northwind Traders",
                       "Northwind Traders"), 15.2, "company"),  # 5 + 4 + 0.2, + 6
        ("Bea Lind", ("Bea Lind", "a Head of Data at Northwind Traders", "Northwind Traders"),
         12.0, "company"),  # 3 + 3 + 0 (last in touch 2025), + 6
    ]
    assert [p["source"] for p in northwind["paths"]] == ["your vault", "digest", "digest"]

    # Two teammates know Dana: Bea by name, Cem withholds the name; one address joins them.
    dana = team.ada.json("path", "dana whitfield")
    assert ranking(dana) == [
        ("Bea Lind", ("Bea Lind", "Dana Whitfield"), 13.7, "name"),  # 2 + 4 + 0.2, + 7.5
        ("Cem Aydın", ("Cem Aydın", "a CTO at Contoso"), 10.7, "address"),  # 0 + 3 + 0.2, + 7.5
    ]

    # Zed is known only through a contact whose consent is no: the team cannot find him.
    for query in ("Zed Zimmer", "Obscura Labs"):
        result = team.ada.run("path", query)
        assert result.exit_code == 1
        assert f"no person, company or role matches {query!r}" in result.output

    # Bea's own door to Victor comes first for Bea; nobody else published one.
    assert ranking(team.bea.json("path", "Victor Huang")) == [
        ("you", ("Victor Huang",), 17.9, "you"),  # 5 + 5 + 0.4 (55 days ago), + 7.5
    ]


def test_human_output_says_which_digest_each_line_came_from(synced: Team) -> None:
    result = synced.ada.run("path", "Northwind Traders")

    assert result.exit_code == 0, result.output
    numbered = [line for line in result.stdout.splitlines() if re.match(r"\d+\. ", line)]
    assert numbered == [
        "1. You -> Pat Quinn -> Northwind Traders  (score 14.7 = vouch 8.7 + knows target 6)"
        "  [your vault]",
        "2. You -> Cem Aydın -> an Engineering Manager at Northwind Traders -> Northwind Traders"
        f"  (score 15.2 = vouch 9.2 + knows target 6)  [Cem Aydın's digest, {TODAY}]",
        "3. You -> Bea Lind -> a Head of Data at Northwind Traders -> Northwind Traders"
        f"  (score 12 = vouch 6 + knows target 6)  [Bea Lind's digest, {TODAY}]",
    ]


# ---- privacy ---------------------------------------------------------------------------------


def vault_secrets(team: Team) -> list[str]:
    """Every e-mail, phone and note sentence of the three vaults."""
    found: list[str] = []
    for member in team.members:
        for note in (member.root / "people").glob("*.md"):
            text = note.read_text(encoding="utf-8")
            found += re.findall(r"^email: (.+)$", text, re.M)
            found += re.findall(r'^phone: "(.+)"$', text, re.M)
            found += [line for line in text.split("---")[-1].splitlines() if line.strip()]
    return found


def test_no_email_phone_or_note_sentence_is_in_any_object_of_the_shared_repository(
    synced: Team,
) -> None:
    everything = synced.objects()
    secrets = vault_secrets(synced)
    assert len(secrets) == 23  # 10 e-mails, 3 phones, 10 note sentences

    leaked = [s for s in secrets if s.encode() in everything or s.lower().encode() in everything]

    assert leaked == []
    # The grep sees digests: the names published with consent are there, the others are not.
    assert b"Victor Huang" in everything and b"Dana Whitfield" in everything
    for withheld in ("Nia Brooks", "Omar Said", "Zed Zimmer", "Pia Private", "Lou Low",
                     "Pat Quinn", "Obscura"):
        assert withheld.encode() not in everything


def test_a_contact_who_changes_to_introductions_no_is_gone_after_the_next_publish(
    team: Team,
) -> None:
    team.sync()
    assert b"Victor Huang" in team.reachable()
    note = team.bea.root / "people" / "Victor Huang.md"
    note.write_text(note.read_text(encoding="utf-8").replace(
        "introductions: yes", "introductions: no"), encoding="utf-8")

    assert team.bea.run("publish").exit_code == 0
    assert team.ada.run("pull").exit_code == 0

    assert b"Victor Huang" not in team.reachable()
    assert b"Fabrikam" not in team.reachable()  # the whole entry left, not just the name
    result = team.ada.run("path", "Victor Huang")
    assert result.exit_code == 1
    assert "no person, company or role matches 'Victor Huang'" in result.output


def test_each_publish_is_one_orphan_commit_authored_as_the_owner(team: Team) -> None:
    team.sync()
    bea_id = team.bea.json("members")["members"]
    (bea,) = [m for m in bea_id if m["you"]]
    ref = f"refs/heads/members/{bea['id']}"

    team.bea.add("Nia Brooks", "---\ntie: 1\n---\n")  # she drops out of the digest
    assert team.bea.run("publish").exit_code == 0

    assert git(team.remote, "rev-list", "--count", ref).strip() == b"1"
    assert git(team.remote, "log", "-1", "--format=%an <%ae>|%P|%s", ref).decode().strip() == (
        "Bea Lind <bea@team.example>||netvault team digest: 2 people"
    )
    files = git(team.remote, "ls-tree", "--name-only", ref).decode().split()
    assert files == [f"{bea['id']}.json"]
    digest = json.loads(git(team.remote, "cat-file", "blob", f"{ref}:{files[0]}"))
    assert digest["format"] == "netvault-team-digest" and digest["version"] == 1
    assert digest["member"] == bea["id"] and digest["name"] == "Bea Lind"
    assert sorted(p.get("company", "") for p in digest["people"]) == [
        "Contoso", "Fabrikam Capital"]


# ---- approval of the remote ------------------------------------------------------------------


def test_the_first_publish_needs_a_terminal_or_yes_and_the_answer_stays_outside_the_vault(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = team.ada.run("publish")
    assert refused.exit_code == 2
    assert "is not one of your team remotes yet" in refused.output
    assert git(team.remote, "for-each-ref") == b""

    monkeypatch.setattr("netvault.cli.team._on_terminal", lambda: True)
    declined = team.ada.run("publish", input="n\n")
    assert declined.exit_code == 1
    assert "Publish a digest of 1 person" in declined.output
    assert git(team.remote, "for-each-ref") == b""

    before = sorted(p.name for p in team.ada.root.rglob("*"))
    approved = team.ada.run("publish", input="y\n")
    assert approved.exit_code == 0, approved.output
    assert sorted(p.name for p in team.ada.root.rglob("*")) == before
    config = team.ada.user_config()
    assert f'[team.remotes."{team.remote.resolve()}"]' in config
    assert re.search(r'member_id = "[0-9a-f]{16}"', config)
    assert team.ada.run("publish").exit_code == 0  # approved once: no question again


def test_a_vault_naming_another_remote_cannot_send_there_without_approval(
    team: Team, tmp_path: Path
) -> None:
    assert team.ada.run("publish", "--yes").exit_code == 0
    elsewhere = tmp_path / "strangers.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(elsewhere)], check=True)
    config = team.ada.root / ".netvault.toml"
    config.write_text(config.read_text().replace("../../shared.git", str(elsewhere)))

    result = team.ada.run("publish")

    assert result.exit_code == 2
    assert f"{elsewhere} is not one of your team remotes yet" in result.output
    assert git(elsewhere, "for-each-ref") == b""


# ---- untrusted member files ------------------------------------------------------------------


def plant(team: Team, member_id: str, files: dict[str, bytes]) -> None:
    """A commit pushed by hand to a member ref, as a careless or hostile teammate might."""
    entries = ""
    for name, data in files.items():
        blob = git(team.remote, "hash-object", "-w", "--stdin", stdin=data).decode().strip()
        entries += f"100644 blob {blob}\t{name}\n"
    tree = git(team.remote, "mktree", stdin=entries.encode()).decode().strip()
    commit = git(team.remote, "commit-tree", tree, "-m", "planted").decode().strip()
    git(team.remote, "update-ref", f"refs/heads/members/{member_id}", commit)


def digest_bytes(member: str, **changes: Any) -> bytes:
    digest: dict[str, Any] = {
        "format": "netvault-team-digest", "version": 1, "member": member, "name": "Eve",
        "published": TODAY,
        "people": [{"tie": "strong", "company": "Fabrikam Capital", "name": "Victor Huang"}],
    }
    digest.update(changes)
    return json.dumps(digest).encode()


def test_bad_member_files_are_reported_and_skipped_and_the_rest_still_counts(
    team: Team,
) -> None:
    team.sync()
    ids = ["e" * 16, "f" * 16, "d" * 16, "c" * 16, "b" * 16, "a" * 16]
    plant(team, ids[0], {f"{ids[0]}.json": digest_bytes(ids[1])})  # carries another id
    plant(team, ids[1], {f"{ids[1]}.json": b"{not json"})
    plant(team, ids[2], {f"{ids[2]}.json": digest_bytes(ids[2], name="Eve\x1b[2J")})
    plant(team, ids[3], {f"{ids[3]}.json": digest_bytes(ids[3], version=2)})
    plant(team, ids[4], {f"{ids[4]}.json": digest_bytes(ids[4]), "notes.md": b"x"})
    plant(team, ids[5], {f"{ids[5]}.json": digest_bytes(ids[5], extra=1)})
    plant(team, "not-a-member", {"x.json": digest_bytes("0" * 16)})

    result = team.ada.run("pull", "--json")

    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert len(problems) == 7
    text = "\n".join(problems)
    refused = f"member {ids[0]}: the file carries member id '{ids[1]}', not '{ids[0]}': refused"
    assert refused in text
    assert f"member {ids[1]}: not a netvault digest" in text
    assert f"member {ids[2]}: Expected `str` matching regex" in text and "$.name" in text
    assert f"member {ids[3]}: digest version 2; this netvault reads version 1" in text
    assert f"member {ids[4]}: holds 2 files, not only {ids[4]}.json" in text
    assert f"member {ids[5]}: Object contains unknown field `extra`" in text
    assert "refs/heads/members/not-a-member: not a member id; skipped" in text
    assert "\x1b" not in result.stdout
    # The three real members are still there, and Eve's planted Victor is nowhere.
    members = json.loads(team.ada.run("members", "--json").stdout)  # exit 1: files skipped
    assert sorted(m["name"] for m in members["members"]) == ["Ada Owner", "Bea Lind", "Cem Aydın"]
    assert [p["member"]["name"] for p in team.ada.json("path", "Victor Huang")["paths"]] == [
        "Bea Lind"]


def test_a_digest_larger_than_the_bound_is_skipped_unread(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    team.sync()
    monkeypatch.setattr("netvault.team.sync.MAX_DIGEST_BYTES", 300)

    result = team.ada.run("pull")

    assert result.exit_code == 1
    assert re.search(r"member [0-9a-f]{16}: its [0-9a-f]{16}\.json has \d+ bytes, more than 300",
                     result.output)


# ---- git runs no code of the shared repository or of the user's git config ------------------


def test_hooks_of_the_shared_repository_and_the_users_git_config_never_run(
    team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "hook-ran"
    hook = f"#!/bin/sh\necho $0 >> {marker}\n"
    for name in ("pre-receive", "update", "post-receive", "post-update", "reference-transaction",
                 "pre-push", "push-to-checkout"):
        path = team.remote / "hooks" / name
        path.write_text(hook)
        path.chmod(0o755)
    hooks = tmp_path / "user-hooks"
    hooks.mkdir()
    (hooks / "pre-push").write_text(hook)
    (hooks / "pre-push").chmod(0o755)
    decoy = tmp_path / "decoy.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(decoy)], check=True,
                   env={**os.environ, **GIT_ENV})
    user_git = tmp_path / "gitconfig"
    user_git.write_text(f"[user]\n\tname = Leaky\n\temail = leak@example.org\n"
                        f"[core]\n\thooksPath = {hooks}\n[commit]\n\tgpgSign = true\n"
                        f'[url "{decoy}"]\n\tinsteadOf = {team.remote.resolve()}\n')
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(user_git))
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".gitconfig").write_text(user_git.read_text())

    team.sync()

    assert not marker.exists()
    assert git(decoy, "for-each-ref") == b""
    authors = git(team.remote, "log", "--all", "--format=%an <%ae>").decode().split("\n")
    assert "Leaky" not in "\n".join(authors)
    assert set(filter(None, authors)) <= {"Ada Owner <ada@team.example>",
                                          "Bea Lind <bea@team.example>",
                                          "Cem Aydın <cem@team.example>"}


# ---- who, members, leave -----------------------------------------------------------------------


def test_who_lists_coverage_by_member_and_counts_people_once(synced: Team) -> None:
    data = synced.ada.json("who", "northwind traders")

    assert data["company"] == "Northwind Traders"
    assert (data["people"], data["distinct_people"]) == (3, 3)
    assert [(m["member"]["name"], [p["person"] for p in m["people"]]) for m in data["members"]] == [
        ("you", ["Pat Quinn"]),
        ("Cem Aydın", ["an Engineering Manager at Northwind Traders"]),
        ("Bea Lind", ["a Head of Data at Northwind Traders"]),
    ]
    text = synced.ada.run("who", "Contoso")
    assert text.exit_code == 0
    assert text.stdout.splitlines()[0] == (
        "Contoso: 2 doors through 2 members, to 1 person (doors sharing an address lead to one "
        "person)"
    )
    assert synced.ada.run("who", "Obscura Labs").exit_code == 1


def test_members_shows_each_digest_with_its_date_and_size(synced: Team) -> None:
    data = synced.cem.json("members")

    rows = {m["name"]: (m["you"], m["published"], m["people"], m["named"]) for m in
            data["members"]}
    assert rows == {
        "Ada Owner": (False, TODAY, 1, 0),
        "Bea Lind": (False, TODAY, 3, 2),
        "Cem Aydın": (True, TODAY, 2, 0),
    }
    assert all(m["bytes"] > 100 for m in data["members"])
    assert data["problems"] == []


def test_leaving_deletes_your_ref_member_id_and_pulled_digests(team: Team) -> None:
    team.sync()

    result = team.cem.run("leave", "--yes")

    assert result.exit_code == 0, result.output
    refs = git(team.remote, "for-each-ref", "--format=%(refname)").decode().split()
    assert len([r for r in refs if r.startswith("refs/heads/members/")]) == 2
    assert "member_id" not in team.cem.user_config()
    assert team.cem.run("members").exit_code == 1
    assert team.ada.run("pull").exit_code == 0
    assert [m["name"] for m in team.ada.json("members")["members"]] == ["Ada Owner", "Bea Lind"]


def test_team_is_a_registered_command_group() -> None:
    assert COMMANDS["team"][0] == "team"
    result = CliRunner().invoke(cli, ["team", "--help"])
    for sub in ("publish", "pull", "path", "who", "members", "leave"):
        assert f"  {sub} " in result.stdout


def test_a_broken_team_key_stops_publishing_but_not_pulling(team: Team) -> None:
    team.sync()
    blob = git(team.remote, "hash-object", "-w", "--stdin", stdin=b'{"key": "short"}')
    tree = git(team.remote, "mktree", stdin=f"100644 blob {blob.decode().strip()}\tteam.json\n"
               .encode()).decode().strip()
    commit = git(team.remote, "commit-tree", tree, "-m", "broken").decode().strip()
    git(team.remote, "update-ref", "refs/heads/team", commit)

    published = team.bea.run("publish")
    pulled = team.ada.run("pull")

    assert published.exit_code == 1
    assert "refs/heads/team of" in published.output
    assert "holds no valid team key" in published.output
    assert pulled.exit_code == 1
    assert "holds no valid team key" in pulled.output
    assert [p["member"]["name"] for p in team.ada.json("path", "Victor Huang")["paths"]] == [
        "Bea Lind"]


def test_publishing_from_a_second_vault_replaces_your_digest_and_says_so(
    team: Team, tmp_path: Path
) -> None:
    second = Member(tmp_path, "ada-side", "Ada Owner", team.remote)
    second.home = team.ada.home  # the same person, on the same machine
    assert team.ada.run("publish", "--yes").exit_code == 0

    result = second.run("publish")

    assert result.exit_code == 0, result.output
    assert f"this replaced the digest you published from {team.ada.root.resolve()}" in (
        result.stderr
    )
    refs = git(team.remote, "for-each-ref", "--format=%(refname)", "refs/heads/members/")
    assert len(refs.split()) == 1
