"""Publishing your digest, pulling the team's, leaving: the steps between vault, repo and store.

The caller has the user's approval of the remote (`settings.approve`) before calling any of
these: nothing here asks, and nothing here reads where to send from the vault.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..config import Config
from ..errors import NetvaultError, UsageProblem
from ..index import Index
from ..parse import fold
from .digest import (
    MAX_DIGEST_BYTES,
    BadDigest,
    build_digest,
    clean_text,
    encode_digest,
    read_digest,
)
from .repo import Identity, SharedRepo
from .settings import Membership, Remote, forget
from .store import PulledDigest, remove_store, write_store

_UNSET_OWNER = fold(Config().owner_name)  # the default, "me": nobody on a team is called that


@dataclass(frozen=True, slots=True)
class Published:
    remote: str
    member_id: str
    name: str
    people: int
    named: int
    size: int
    commit: str


@dataclass(frozen=True, slots=True)
class Pulled:
    remote: str
    members: int
    people: int
    problems: tuple[str, ...]
    store: Path


def people_text(count: int) -> str:
    return f"{count:,} {'person' if count == 1 else 'people'}"


def owner_identity(index: Index) -> Identity:
    """The vault's `[owner]` as the author of commits; teammates see this name."""
    config = index.config
    name = clean_text(config.owner_name.replace("<", " ").replace(">", " "))
    if name is None or fold(name) == _UNSET_OWNER:
        raise UsageProblem(
            "set your name in .netvault.toml ([owner] name = \"...\"): teammates see it beside "
            "your digest"
        )
    email = clean_text((config.owner_email or "").replace("<", " ").replace(">", " ")) or ""
    return Identity(name, email)


def publish(index: Index, remote: Remote, member: Membership, today: date) -> Published:
    """Replace your digest in the shared repository (creating the team key if it has none)."""
    identity = owner_identity(index)
    with SharedRepo(remote) as repo:
        team_key = repo.team_key(identity)
        assert team_key is not None  # created when missing, since an identity was given
        digest = build_digest(
            index, member=member.member_id, name=identity.name, team_key=team_key, today=today
        )
        data = encode_digest(digest)
        if len(data) > MAX_DIGEST_BYTES:
            raise NetvaultError(
                f"your digest would be {len(data):,} bytes, more than a teammate accepts "
                f"({MAX_DIGEST_BYTES:,}); raise [team] min_tie in .netvault.toml"
            )
        count = len(digest.people)
        commit = repo.publish(
            member.member_id, data, identity, f"netvault team digest: {people_text(count)}"
        )
    return Published(
        remote=remote.url,
        member_id=member.member_id,
        name=identity.name,
        people=count,
        named=sum(1 for p in digest.people if p.name),
        size=len(data),
        commit=commit,
    )


def pull(root: Path, remote: Remote, today: date) -> Pulled:
    """Fetch every member's digest; a bad one is reported and skipped, the rest are stored."""
    with SharedRepo(remote) as repo:
        snapshot = repo.snapshot(MAX_DIGEST_BYTES)
    problems = list(snapshot.problems)
    digests: list[PulledDigest] = []
    for found in snapshot.members:
        if found.data is None:
            problems.append(f"member {found.member_id}: {found.problem}; skipped")
            continue
        try:
            digest = read_digest(found.data, found.member_id)
        except BadDigest as exc:
            problems.append(f"member {found.member_id}: {exc}; skipped")
            continue
        digests.append(PulledDigest(digest, found.commit, len(found.data)))
    path = write_store(
        root,
        remote=remote.url,
        team_key=snapshot.team_key,
        pulled=today,
        digests=digests,
        problems=problems,
    )
    return Pulled(
        remote=remote.url,
        members=len(digests),
        people=sum(len(d.digest.people) for d in digests),
        problems=tuple(problems),
        store=path,
    )


def leave(root: Path, remote: Remote, member: Membership) -> bool:
    """Delete your digest's ref, your approval and member id, and the pulled digests.
    Returns whether the shared repository had a digest of yours."""
    with SharedRepo(remote) as repo:
        removed = repo.remove(member.member_id)
    forget(remote)
    remove_store(root)
    return removed
