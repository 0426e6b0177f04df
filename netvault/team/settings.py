"""Which shared repositories the user approved, and who they are in each: the user's own config.

A vault arrives from strangers, so its `[team] remote` only names a repository; netvault sends
nothing there (and fetches nothing) until the user approved that repository, on a terminal or
with `--yes`. The approval and the member id live in the user's config file:

    [team.remotes."/srv/share/team.git"]
    member_id = "3f2a9c1e5b7d4a60"
    approved = 2026-11-25

One member id per repository: teams cannot link your memberships by it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import UsageProblem
from ..userdirs import load_user_config, update_user_config
from .digest import MEMBER_ID_PATTERN

# The transports a team uses; never ext:: or fd::, which run commands.
TRANSPORTS = ("file", "ssh", "git", "https", "http")


@dataclass(frozen=True, slots=True)
class Remote:
    """A shared repository: `url` is what git is given and names it in the user's config."""

    url: str
    local: bool  # a path or file:// URL: git runs the repository's programs on this machine


@dataclass(frozen=True, slots=True)
class Membership:
    member_id: str
    approved: date | None


def resolve_remote(written: str, base: Path) -> Remote:
    """The remote as git should get it; a path is made absolute from `base`."""
    text = written.strip()
    if not text:
        raise UsageProblem("the team remote is empty")
    if "::" in text.split("/", 1)[0]:
        raise UsageProblem(f"team remote {text!r}: git remote helpers (ext::, fd::) are not used")
    if "://" in text:
        scheme = text.split("://", 1)[0].lower()
        if scheme not in TRANSPORTS:
            raise UsageProblem(
                f"team remote {text!r}: use a path or a {', '.join(TRANSPORTS)} URL"
            )
        return Remote(text.rstrip("/"), local=scheme == "file")
    host, colon, _ = text.partition(":")
    if colon and host and "/" not in host:  # git's scp-like syntax: host:path
        if host.startswith("-") or "@-" in host:
            raise UsageProblem(f"team remote {text!r}: a host name cannot start with '-'")
        return Remote(text, local=False)
    path = Path(text).expanduser()
    return Remote(str((base / path).resolve()), local=True)


def _remotes(config: dict[str, Any]) -> dict[str, Any]:
    team = config.setdefault("team", {})
    if not isinstance(team, dict):
        team = config["team"] = {}
    remotes = team.setdefault("remotes", {})
    if not isinstance(remotes, dict):
        remotes = team["remotes"] = {}
    return remotes


def membership(url: str) -> Membership | None:
    """Who you are in the repository (`Remote.url`), if you approved it."""
    entry = _remotes(load_user_config()).get(url)
    if not isinstance(entry, dict):
        return None
    member_id, approved = entry.get("member_id"), entry.get("approved")
    if not isinstance(member_id, str) or not re.match(MEMBER_ID_PATTERN, member_id):
        return None
    if not approved:
        return None
    return Membership(member_id, approved if isinstance(approved, date) else None)


def approve(remote: Remote, today: date) -> Membership:
    """Record the user's approval of the repository, with a new random member id."""
    found = membership(remote.url)
    if found is not None:
        return found
    member_id = secrets.token_hex(8)

    def change(config: dict[str, Any]) -> None:
        _remotes(config)[remote.url] = {"member_id": member_id, "approved": today}

    update_user_config(change)
    return Membership(member_id, today)


def note_publisher(remote: Remote, vault: Path) -> str | None:
    """Remember which vault publishes to the remote; the one before, if it was another (one
    member has one digest: publishing from a second vault replaces the first one's)."""
    real = str(vault.resolve())
    before: list[str | None] = [None]

    def change(config: dict[str, Any]) -> None:
        entry = _remotes(config).get(remote.url)
        if isinstance(entry, dict):
            previous = entry.get("vault")
            if isinstance(previous, str) and previous != real:
                before[0] = previous
            entry["vault"] = real

    update_user_config(change)
    return before[0]


def forget(remote: Remote) -> None:
    """Remove the approval and the member id (leaving the team)."""

    def change(config: dict[str, Any]) -> None:
        _remotes(config).pop(remote.url, None)

    update_user_config(change)
