"""The team's shared git repository, driven with git itself and trusting none of it.

    refs/heads/team                  one commit holding team.json: the team key
    refs/heads/members/<member-id>   one orphan commit holding <member-id>.json: a digest

Every conversation goes through a throwaway repository (a temporary GIT_DIR, created without
templates): git reads no user or system config (no hooks, aliases, helpers or identity of
yours), speaks only the transports a team uses (never ext::), and runs no hook. When the
shared repository is a path or file:// URL, git runs its receive-pack and upload-pack on this
machine, inside a folder others can write to: they get `core.hooksPath=/dev/null` too, so a
hook planted on a file share never runs. Commits are authored as the vault's `[owner]`.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Annotated, Literal

import msgspec

from ..errors import NetvaultError
from .digest import MEMBER_ID_PATTERN, clean_text
from .settings import TRANSPORTS, Remote

TEAM_REF = "refs/heads/team"
MEMBER_REFS = "refs/heads/members/"
TEAM_FILE = "team.json"
MAX_MEMBERS = 500
MAX_TEAM_FILE_BYTES = 4096
GIT_TIMEOUT_SECONDS = 300

_SAFE_CONFIG = (
    "core.hooksPath=/dev/null",
    "core.fsmonitor=false",
    "gc.auto=0",
    "maintenance.auto=false",
    "transfer.fsckObjects=true",
    "protocol.allow=never",
    *(f"protocol.{name}.allow=always" for name in TRANSPORTS),
)
# Run by git, through a shell, in the shared repository when it is on this machine.
_REMOTE_SAFE = "git -c core.hooksPath=/dev/null -c core.alternateRefsCommand=true"
_RECEIVE_PACK = f"{_REMOTE_SAFE} -c receive.autogc=false receive-pack"
# No delta search for a repository on this machine: it costs seconds on digests of 10,000
# people and saves no network.
_UPLOAD_PACK = f"{_REMOTE_SAFE} -c pack.window=0 upload-pack"
# The user's own environment for reaching a host (ssh keys, a password prompt program) stays;
# every other GIT_* variable (GIT_DIR, GIT_CONFIG_*, GIT_EXEC_PATH, ...) is dropped.
_KEPT_GIT_VARIABLES = frozenset(
    {"GIT_SSH", "GIT_SSH_COMMAND", "GIT_SSH_VARIANT", "GIT_ASKPASS", "GIT_SSL_CAINFO"}
)


class TeamRepoError(NetvaultError):
    """git could not talk to the shared repository, or it holds something unusable."""


@dataclass(frozen=True, slots=True)
class Identity:
    """Who commits: the vault's `[owner]`, never the user's git identity."""

    name: str
    email: str


@dataclass(frozen=True, slots=True)
class MemberFile:
    """One member's ref as fetched: the file's bytes, or why it was not read."""

    member_id: str
    commit: str
    data: bytes | None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    team_key: bytes | None
    members: tuple[MemberFile, ...]
    problems: tuple[str, ...]


class _TeamKeyFile(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    format: Literal["netvault-team"]
    version: Literal[1]
    key: Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{64}$")]


class SharedRepo:
    """`with SharedRepo(remote) as repo:` one conversation with the shared repository."""

    def __init__(self, remote: Remote) -> None:
        self.remote = remote
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.git_dir = ""

    def __enter__(self) -> SharedRepo:
        self._tmp = tempfile.TemporaryDirectory(prefix="netvault-team-")
        self.git_dir = os.path.join(self._tmp.name, "git")
        self._git(["init", "--quiet", "--bare", "--template=", self.git_dir])
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    # ---- git ------------------------------------------------------------------------------

    def _git(
        self,
        args: Sequence[str],
        stdin: bytes | None = None,
        identity: Identity | None = None,
    ) -> bytes:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("GIT_") or k in _KEPT_GIT_VARIABLES
        }
        env.update(
            GIT_CONFIG_NOSYSTEM="1",
            GIT_CONFIG_GLOBAL=os.devnull,
            GIT_TERMINAL_PROMPT="0",
            GIT_NO_REPLACE_OBJECTS="1",
            LC_ALL="C",
        )
        if self.git_dir:
            env["GIT_DIR"] = self.git_dir
        if identity is not None:
            env.update(
                GIT_AUTHOR_NAME=identity.name,
                GIT_AUTHOR_EMAIL=identity.email,
                GIT_COMMITTER_NAME=identity.name,
                GIT_COMMITTER_EMAIL=identity.email,
            )
        command = ["git", *(part for item in _SAFE_CONFIG for part in ("-c", item)), *args]
        cwd = self._tmp.name if self._tmp is not None else None
        try:
            done = subprocess.run(
                command,
                input=stdin,
                capture_output=True,
                env=env,
                cwd=cwd,
                check=False,
                timeout=GIT_TIMEOUT_SECONDS,
            )
        except FileNotFoundError:
            raise TeamRepoError("git is not installed (or not on PATH)") from None
        except subprocess.TimeoutExpired:
            raise TeamRepoError(
                f"git {args[0]} with {self.remote.url} took over {GIT_TIMEOUT_SECONDS} s; stopped"
            ) from None
        if done.returncode != 0:
            lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
            last = clean_text(lines[-1]) if lines else f"exit status {done.returncode}"
            raise TeamRepoError(f"git {args[0]} with {self.remote.url} failed: {last}")
        return done.stdout

    def _pack_program(self, option: Literal["--upload-pack", "--receive-pack"]) -> list[str]:
        if not self.remote.local:
            return []
        return [f"{option}={_UPLOAD_PACK if option == '--upload-pack' else _RECEIVE_PACK}"]

    def remote_refs(self) -> dict[str, str]:
        """Ref name -> object id, of every branch of the shared repository."""
        output = self._git(
            ["ls-remote", "--heads", *self._pack_program("--upload-pack"), "--", self.remote.url]
        )
        refs: dict[str, str] = {}
        for line in output.decode("utf-8", "replace").splitlines():
            sha, _, ref = line.partition("\t")
            refs[ref] = sha
        return refs

    def _fetch(self, refspecs: Mapping[str, str]) -> None:
        """Fetch remote refs (keys) into local refs (values)."""
        if not refspecs:
            return
        self._git(
            [
                "fetch",
                "--quiet",
                "--no-tags",
                "--no-write-fetch-head",
                *self._pack_program("--upload-pack"),
                "--",
                self.remote.url,
                *(f"+{remote}:{local}" for remote, local in refspecs.items()),
            ]
        )

    def _push(self, commit: str, ref: str, *, force: bool) -> None:
        refspec = f"{'+' if force else ''}{commit}:{ref}"
        self._git(
            ["push", "--quiet", *self._pack_program("--receive-pack"), "--", self.remote.url,
             refspec]
        )

    def _commit_file(self, name: str, data: bytes, identity: Identity, message: str) -> str:
        """An orphan commit whose tree is the one file `name`."""
        blob = self._git(["hash-object", "-w", "--stdin"], stdin=data).decode().strip()
        tree = self._git(["mktree"], stdin=f"100644 blob {blob}\t{name}\n".encode())
        return (
            self._git(
                ["commit-tree", tree.decode().strip(), "-m", message], identity=identity
            )
            .decode()
            .strip()
        )

    def _single_file(self, ref: str, name: str, limit: int) -> bytes:
        """The one file of the commit at `ref`, which must be `name` and at most `limit` bytes."""
        listing = self._git(["ls-tree", "-l", "-z", "--", ref]).split(b"\0")
        entries = [entry.decode("utf-8", "replace") for entry in listing if entry]
        if len(entries) != 1:
            raise TeamRepoError(f"holds {len(entries)} files, not only {name}")
        meta, _, found = entries[0].partition("\t")
        _mode, kind, blob, size = [*meta.split(), "", "", "", ""][:4]
        if found != name or kind != "blob":
            raise TeamRepoError(f"holds {clean_text(found)!r}, not {name}")
        if not size.isdigit() or int(size) > limit:
            raise TeamRepoError(f"its {name} has {size} bytes, more than {limit:,}")
        return self._git(["cat-file", "blob", blob])

    # ---- the team key -----------------------------------------------------------------------

    def team_key(self, identity: Identity | None = None) -> bytes | None:
        """The team's key from refs/heads/team; with an `identity`, created if missing."""
        if TEAM_REF not in self.remote_refs():
            if identity is None:
                return None
            key = secrets.token_hex(32)
            data = msgspec.json.encode(_TeamKeyFile(format="netvault-team", version=1, key=key))
            commit = self._commit_file(TEAM_FILE, data + b"\n", identity, "netvault team key")
            try:
                self._push(commit, TEAM_REF, force=False)
                return bytes.fromhex(key)
            except TeamRepoError:
                if TEAM_REF not in self.remote_refs():
                    raise
                # Another member created it at the same moment: theirs is the team's.
        self._fetch({TEAM_REF: "refs/team"})
        return self._read_team_key()

    def _read_team_key(self) -> bytes:
        try:
            data = self._single_file("refs/team", TEAM_FILE, MAX_TEAM_FILE_BYTES)
            found = msgspec.json.decode(data, type=_TeamKeyFile)
        except (TeamRepoError, msgspec.DecodeError) as exc:
            raise TeamRepoError(
                f"{TEAM_REF} of {self.remote.url} holds no valid team key ({exc}); "
                "whoever looks after the shared repository must repair or delete it"
            ) from None
        return bytes.fromhex(found.key)

    # ---- members ------------------------------------------------------------------------------

    def publish(self, member_id: str, data: bytes, identity: Identity, message: str) -> str:
        """Replace the member's digest with one new orphan commit; returns its id."""
        commit = self._commit_file(f"{member_id}.json", data, identity, message)
        self._push(commit, MEMBER_REFS + member_id, force=True)
        return commit

    def remove(self, member_id: str) -> bool:
        """Delete the member's ref; False when there was none."""
        if MEMBER_REFS + member_id not in self.remote_refs():
            return False
        self._git(
            ["push", "--quiet", *self._pack_program("--receive-pack"), "--", self.remote.url,
             f":{MEMBER_REFS}{member_id}"]
        )
        return True

    def snapshot(self, max_bytes: int) -> Snapshot:
        """Every member's file (at most `max_bytes` each) and the team key, fetched once."""
        problems: list[str] = []
        members: dict[str, str] = {}
        refs = self.remote_refs()
        for ref in sorted(refs):
            if not ref.startswith(MEMBER_REFS):
                continue
            member_id = ref[len(MEMBER_REFS) :]
            if not re.match(MEMBER_ID_PATTERN, member_id):
                problems.append(f"{clean_text(ref)}: not a member id; skipped")
            elif len(members) >= MAX_MEMBERS:
                problems.append(f"{ref}: more than {MAX_MEMBERS} members; skipped")
            else:
                members[member_id] = ref
        wanted = {ref: f"refs/members/{member_id}" for member_id, ref in members.items()}
        if TEAM_REF in refs:
            wanted[TEAM_REF] = "refs/team"
        self._fetch(wanted)
        files: list[MemberFile] = []
        for member_id in members:
            local = f"refs/members/{member_id}"
            try:
                data = self._single_file(local, f"{member_id}.json", max_bytes)
            except TeamRepoError as exc:
                files.append(MemberFile(member_id, refs[members[member_id]], None, str(exc)))
                continue
            files.append(MemberFile(member_id, refs[members[member_id]], data))
        team_key = None
        if TEAM_REF in refs:
            try:
                team_key = self._read_team_key()
            except TeamRepoError as exc:
                # Digests still read; only finding one person by address needs the key.
                problems.append(str(exc))
        return Snapshot(team_key, tuple(files), tuple(problems))

