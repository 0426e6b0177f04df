"""`netvault team ...`: warm paths across a team, shared over git as digests (docs/team.md)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .common import Runtime, emit_json, json_option, plural, runtime

if TYPE_CHECKING:
    from ..team.doors import Door, TeamResult
    from ..team.settings import Membership, Remote
    from ..team.store import TeamStore

_KIND_TITLES = {"person": "Person", "company": "Company", "role": "Role"}


def _on_terminal() -> bool:
    return sys.stdin.isatty()


def _remote(rt: Runtime, given: str | None) -> Remote:
    """The remote typed on the command line, else the vault's `[team] remote`."""
    from ..config import load_config
    from ..errors import UsageProblem
    from ..team.settings import resolve_remote

    if given is not None:
        return resolve_remote(given, Path.cwd())
    config, _problems = load_config(rt.root)
    if config.team_remote is None:
        raise UsageProblem(
            "no team remote: pass --to/--from PATH|URL, or set [team] remote in .netvault.toml"
        )
    return resolve_remote(config.team_remote, rt.root)


def _approved(remote: Remote, yes: bool, today: date, what: str) -> Membership:
    """Your membership of the remote; its first use needs a terminal's yes, or --yes."""
    from ..errors import UsageProblem
    from ..team.settings import approve, membership
    from ..userdirs import config_path

    found = membership(remote.url)
    if found is not None:
        return found
    if not yes:
        if not _on_terminal():
            raise UsageProblem(
                f"{remote.url} is not one of your team remotes yet: run this on a terminal to "
                "approve it, or pass --yes"
            )
        click.confirm(
            f"{what}\nnetvault has not used {remote.url} before. Approve it as your team's "
            f"shared repository (kept in {config_path()})?",
            abort=True,
            err=True,
        )
    return approve(remote, today)


def _store(rt: Runtime) -> tuple[TeamStore | None, str | None]:
    """The pulled digests and your member id in them; a hint on stderr when there are none."""
    from ..team.settings import membership
    from ..team.store import open_store

    store = open_store(rt.root)
    if store is None:
        click.echo(
            "netvault: no team digests pulled yet (run `netvault team pull`); "
            "showing your own vault only",
            err=True,
        )
        return None, None
    if store.problems():
        click.echo(
            f"netvault: {len(store.problems())} member file(s) were skipped at the last pull "
            "(`netvault team members` says why)",
            err=True,
        )
    found = membership(store.remote)
    return store, found.member_id if found else None


@click.group()
def command() -> None:
    """Warm paths across your team: who can open a door, without sharing anyone's notes.

    Each member publishes a digest (company, role, city, tie bucket, relationship kind, year
    last in touch; names only with `introductions: yes` consent) to a shared git repository.
    See docs/team.md for what leaves your machine.
    """


@command.command(short_help="Publish your digest (replaces your last one).")
@click.option("--to", "to", metavar="REMOTE|PATH", help="The shared repository (default: "
              "[team] remote in .netvault.toml).")
@click.option("--yes", is_flag=True, help="Approve a remote used for the first time.")
@json_option
def publish(to: str | None, yes: bool, as_json: bool) -> None:
    """Publish your digest, replacing the one before (one orphan commit on your own ref)."""
    from ..team.digest import shareable
    from ..team.settings import note_publisher
    from ..team.sync import owner_identity, people_text
    from ..team.sync import publish as publish_digest

    rt = runtime()
    remote = _remote(rt, to)
    index = rt.index()
    identity = owner_identity(index)
    count = sum(1 for c in index.contacts if shareable(c, index.config.team_min_tie))
    member = _approved(
        remote,
        yes,
        rt.today(),
        f"Publish a digest of {people_text(count)} (company, role, city, tie bucket, relationship; "
        f"names only where introductions consent is yes) as {identity.name}.",
    )
    done = publish_digest(index, remote, member, rt.today())
    other_vault = note_publisher(remote, rt.root)
    if other_vault is not None:
        click.echo(
            f"netvault: this replaced the digest you published from {other_vault} "
            "(you have one digest per team)",
            err=True,
        )
    if as_json:
        emit_json(
            {
                "remote": done.remote,
                "member": {"id": done.member_id, "name": done.name},
                "people": done.people,
                "named": done.named,
                "bytes": done.size,
                "commit": done.commit,
            }
        )
        return
    click.echo(
        f"Published your digest to {done.remote} as {done.name} (member {done.member_id}): "
        f"{people_text(done.people)}, {done.named:,} of them named, {done.size:,} bytes."
    )


@command.command(short_help="Fetch every member's digest.")
@click.option("--from", "from_", metavar="REMOTE|PATH", help="The shared repository (default: "
              "[team] remote in .netvault.toml).")
@click.option("--yes", is_flag=True, help="Approve a remote used for the first time.")
@json_option
def pull(from_: str | None, yes: bool, as_json: bool) -> None:
    """Fetch every member's digest; a bad file is reported and skipped (exit 1)."""
    from ..team.sync import people_text
    from ..team.sync import pull as pull_digests

    rt = runtime()
    remote = _remote(rt, from_)
    _approved(remote, yes, rt.today(), "Fetch the team's digests from it.")
    done = pull_digests(rt.root, remote, rt.today())
    if as_json:
        emit_json(
            {
                "remote": done.remote,
                "members": done.members,
                "people": done.people,
                "problems": list(done.problems),
            }
        )
    else:
        for problem in done.problems:
            click.echo(f"netvault: {problem}", err=True)
        click.echo(
            f"Pulled {plural(done.members, 'digest')} ({people_text(done.people)}) "
            f"from {done.remote}."
        )
    if done.problems:
        click.get_current_context().exit(1)


def _door_json(door: Door) -> dict[str, Any]:
    return {
        "source": "your vault" if door.yours else "digest",
        "member": {"id": door.member_id, "name": door.member_name, "you": door.yours},
        "digest_published": door.published.isoformat() if door.published else None,
        "person": door.person,
        "named": door.named,
        "company": door.company,
        "role": door.role,
        "city": door.city,
        "tie": door.tie,
        "relationship": door.relationship,
        "last_in_touch": door.last_in_touch,
        "matched_by": door.matched_by,
        "hops": list(door.path.hops),
        "score": door.path.score,
        "parts": {"vouch": door.path.vouch, "knows_target": door.path.knows_target},
        "reasons": list(door.path.reasons),
    }


def _source(door: Door) -> str:
    if door.yours:
        return "[your vault]"
    assert door.published is not None
    return f"[{door.member_name}'s digest, {door.published.isoformat()}]"


def _not_found(result: TeamResult, what: str) -> click.ClickException:
    hint = ""
    if result.suggestions:
        quoted = [f"'{s}'" for s in result.suggestions]
        hint = "; did you mean " + (
            quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
        ) + "?"
    return click.ClickException(
        f"{what} matches {result.query!r} in your vault or the team's digests{hint}"
    )


def _team_json(store: TeamStore | None) -> dict[str, Any] | None:
    if store is None:
        return None
    return {
        "remote": store.remote,
        "pulled": store.pulled.isoformat(),
        "members": len(store.members()),
    }


@command.command(short_help="Who on the team to ask for a person or company.")
@click.argument("target")
@click.option(
    "--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Paths to show."
)
@json_option
def path(target: str, limit: int, as_json: bool) -> None:
    """Who on the team to ask for TARGET (a person, company or role): yours first, then each
    teammate's, ranked by the vouching rules of `netvault path`."""
    from ..team.doors import team_doors

    rt = runtime()
    index = rt.index()
    store, me = _store(rt)
    result = team_doors(index, store, target, rt.today(), me)
    if result.kind is None:
        raise _not_found(result, "no person, company or role")
    shown = result.doors[:limit]
    if as_json:
        emit_json(
            {
                "target": result.target,
                "kind": result.kind,
                "min_tie": result.min_tie,
                "team": _team_json(store),
                "total_paths": len(result.doors),
                "paths": [_door_json(d) for d in shown],
            }
        )
        return
    lines = [click.style(f"{_KIND_TITLES[result.kind]}: {result.target}", bold=True)]
    if not shown:
        lines.append(f"No door through anyone with a tie of {result.min_tie} or more.")
    for number, door in enumerate(shown, start=1):
        p = door.path
        lines.append(
            f"{number}. {' -> '.join(('You', *p.hops))}  (score {p.score:g} = vouch "
            f"{p.vouch:g} + knows target {p.knows_target:g})  {_source(door)}"
        )
        lines += [f"     {reason}" for reason in p.reasons]
    if len(result.doors) > len(shown):
        lines.append(f"... and {len(result.doors) - len(shown)} more (--limit)")
    click.echo("\n".join(lines))


@command.command(short_help="Whom each member knows at a company.")
@click.argument("company")
@json_option
def who(company: str, as_json: bool) -> None:
    """Coverage of COMPANY: whom you and each teammate know there, best placed first."""
    from ..team.doors import distinct_people, team_doors
    from ..team.sync import people_text

    rt = runtime()
    index = rt.index()
    store, me = _store(rt)
    result = team_doors(index, store, company, rt.today(), me, kind="company")
    if result.kind is None:
        raise _not_found(result, "nobody at a company")
    groups: dict[str | None, list[Door]] = {}
    for door in result.doors:
        groups.setdefault(door.member_id, []).append(door)
    distinct = distinct_people(result.doors)
    if as_json:
        emit_json(
            {
                "company": result.target,
                "team": _team_json(store),
                "people": len(result.doors),
                "distinct_people": distinct,
                "members": [
                    {
                        "member": {"id": d[0].member_id, "name": d[0].member_name,
                                   "you": d[0].yours},
                        "digest_published": d[0].published.isoformat() if d[0].published
                        else None,
                        "people": [
                            {k: v for k, v in _door_json(door).items()
                             if k not in ("source", "member", "digest_published")}
                            for door in d
                        ],
                    }
                    for d in groups.values()
                ],
            }
        )
        return
    lines = [
        click.style(
            f"{result.target}: {plural(len(result.doors), 'door')} through "
            f"{plural(len(groups), 'member')}, to {people_text(distinct)} (doors sharing an "
            "address lead to one person)",
            bold=True,
        )
    ]
    for doors in groups.values():
        first = doors[0]
        where = "your vault" if first.yours else f"digest {first.published}"
        lines.append(f"{first.member_name} ({where}): {len(doors)}")
        for door in doors:
            detail = ", ".join(x for x in (door.role, door.city) if x)
            tie = f"tie {door.tie}" if door.yours else f"{door.tie} tie"
            last = door.last_in_touch and f"last in touch {door.last_in_touch}"
            about = ", ".join(x for x in (tie, door.relationship, last) if x)
            name = door.person if not detail or not door.named else f"{door.person}, {detail}"
            lines.append(f"  {name}: {about} (score {door.path.score:g})")
    click.echo("\n".join(lines))


@command.command(short_help="Members as last pulled: digest dates and sizes.")
@json_option
def members(as_json: bool) -> None:
    """The team's members as last pulled: digest dates and sizes, and files skipped."""
    from ..errors import NetvaultError
    from ..team.settings import membership
    from ..team.store import open_store
    from ..team.sync import people_text

    rt = runtime()
    store = open_store(rt.root)
    if store is None:
        raise NetvaultError("no team digests pulled yet: run `netvault team pull`")
    found = membership(store.remote)
    me = found.member_id if found else None
    rows = store.members()
    problems = store.problems()
    if as_json:
        emit_json(
            {
                "remote": store.remote,
                "pulled": store.pulled.isoformat(),
                "members": [
                    {
                        "id": m.member_id,
                        "name": m.name,
                        "you": m.member_id == me,
                        "published": m.published.isoformat(),
                        "people": m.people,
                        "named": m.named,
                        "bytes": m.size,
                        "commit": m.commit,
                    }
                    for m in rows
                ],
                "problems": problems,
            }
        )
    else:
        lines = [
            click.style(
                f"{plural(len(rows), 'member')} of {store.remote}, pulled "
                f"{store.pulled.isoformat()}",
                bold=True,
            )
        ]
        for m in rows:
            you = "  (you)" if m.member_id == me else ""
            lines.append(
                f"  {m.name}  [{m.member_id}]  digest of {m.published.isoformat()}: "
                f"{people_text(m.people)} ({m.named:,} named), {m.size:,} bytes{you}"
            )
        lines += [f"  skipped: {problem}" for problem in problems]
        click.echo("\n".join(lines))
    if problems:
        click.get_current_context().exit(1)


@command.command(short_help="Leave the team; delete your digest.")
@click.option("--from", "from_", metavar="REMOTE|PATH", help="The shared repository (default: "
              "[team] remote in .netvault.toml).")
@click.option("--yes", is_flag=True, help="Do not ask.")
def leave(from_: str | None, yes: bool) -> None:
    """Leave the team: delete your digest's ref, your member id and the pulled digests."""
    from ..errors import NetvaultError, UsageProblem
    from ..team.settings import membership
    from ..team.sync import leave as leave_team

    rt = runtime()
    remote = _remote(rt, from_)
    member = membership(remote.url)
    if member is None:
        raise NetvaultError(f"you are not a member of {remote.url} (no member id for it)")
    if not yes:
        if not _on_terminal():
            raise UsageProblem("leaving a team deletes your digest: confirm on a terminal or "
                               "pass --yes")
        click.confirm(f"Delete your digest from {remote.url} and forget this team?", abort=True,
                      err=True)
    removed = leave_team(rt.root, remote, member)
    gone = "deleted your digest's ref" if removed else "it held no digest of yours"
    click.echo(
        f"Left {remote.url}: {gone}, and forgot your member id. Old objects stay in the shared "
        "repository until it is garbage-collected (see docs/team.md)."
    )
