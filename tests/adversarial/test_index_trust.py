"""The index is the user's, never the vault's: nothing in `.netvault/cache/` is read, read
commands write nothing in the vault, and an edit that hides from size and mtime is still seen.

The planted cache files below are the ones earlier netvault releases (which kept a pickle
cache in the vault) would have believed: right key, right fingerprint of the vault's stamps.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import subprocess
import sys
import types
from dataclasses import dataclass
from pathlib import Path

from conftest import Vault

import netvault
from netvault.model import Consent, Contact, Note, ParsedNote, Problem
from netvault.store import MEMORY_MAX_NOTES, index_file
from netvault.vaultfs import walk_notes

ADA = "people/Ada Okafor.md"
EMAIL = "ada@example.com"
TIMEOUT = 60  # far more than any command here needs: a planted file must not make one spin


def big_vault(vault: Vault, notes: int = MEMORY_MAX_NOTES + 50) -> Vault:
    """Enough notes for the index to be a file, and one contact who shares nothing."""
    vault.write(ADA, f"---\nname: Ada Okafor\ntie: 4\nemail: {EMAIL}\n"
                     "consent:\n  share-contact: no\n---\n## Log\n")
    for number in range(notes - 1):
        vault.write(f"people/filler/Person {number:03d}.md",
                    f"---\ntie: {number % 5 + 1}\n---\n- 2026-0{number % 9 + 1}-01 (call) x\n")
    return vault


def run(vault: Vault, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netvault", "--vault", str(vault.root), *args],
        capture_output=True, text=True, timeout=TIMEOUT, check=False,
        env={**os.environ, "NETVAULT_TODAY": "2026-11-25"},
    )


def exported_emails(vault: Vault) -> list[str]:
    done = run(vault, "export", "json")
    assert done.returncode == 0, done.stderr
    return [e for c in json.loads(done.stdout)["contacts"] for e in c.get("email", [])]


# ---- planting the old cache ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContactView:  # the shape earlier releases pickled as netvault.cache.ContactView
    contacts: list[Contact]
    problems: list[Problem]
    keys: dict[str, str]
    paths: dict[str, str]
    summaries: dict[str, tuple[tuple[int, ...], bool]]


def old_cache_key() -> str:
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return f"netvault {netvault.__version__}|format 1|python {python}|people"


def old_pickle(payload: object) -> bytes:
    """`payload` pickled as the old cache module's own classes would have been."""
    module = types.ModuleType("netvault.cache")
    module.ContactView = ContactView  # type: ignore[attr-defined]
    ContactView.__module__ = "netvault.cache"
    saved = sys.modules.get("netvault.cache")
    sys.modules["netvault.cache"] = module
    try:
        return pickle.dumps((old_cache_key(), payload), protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        if saved is None:
            del sys.modules["netvault.cache"]
        else:
            sys.modules["netvault.cache"] = saved


def plant_old_cache(vault: Vault, ada: Contact) -> None:
    """A view naming Ada as `ada` says, with a fingerprint matching the vault's files, and a
    shard holding a parsed note for her; plus a pickle that expands without end."""
    files, _ = walk_notes(vault.root)
    stamp = hashlib.blake2b(
        "\n".join(f"{f.relpath}\0{f.size}\0{f.mtime_ns}" for f in files).encode(),
        digest_size=20).digest()
    keys = {"ada okafor": ada.path}
    view = ContactView([ada], [], keys, {"people/ada okafor": ada.path}, {})
    folder = vault.root / ".netvault" / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "view.pickle").write_bytes(old_pickle((stamp, {}, view)))
    note = ParsedNote(Note(path=ada.path, title="Ada Okafor", contact=ada))
    for shard in range(64):
        (folder / f"notes-{shard:02d}.pickle").write_bytes(
            old_pickle({ADA: ((0, 0, None), pickle.dumps(note), None)}))
    # 2**60 leaves from a few hundred bytes: whoever walks it never returns.
    bomb = b"\x80\x04)" + b"\x94h\x00h\x00\x86" * 60 + b"."
    (folder / "light.pickle").write_bytes(bomb)


def test_a_planted_view_cannot_flip_a_consent(vault: Vault) -> None:
    big_vault(vault)
    assert EMAIL not in exported_emails(vault)
    flipped = Contact("Ada Okafor", ADA, tie=4, emails=(EMAIL,),
                      consent=Consent(share_contact="yes"))
    plant_old_cache(vault, flipped)
    assert EMAIL not in exported_emails(vault)
    shown = run(vault, "show", "Ada Okafor", "--json")
    assert json.loads(shown.stdout)["consent"]["share-contact"] == "no"


def test_a_planted_view_cannot_send_a_write_out_of_the_vault(vault: Vault) -> None:
    big_vault(vault)
    victim = vault.root.parent / "victim.rc"
    victim.write_text("export PATH=/usr/bin\n")
    plant_old_cache(vault, Contact("Ada Okafor", "../victim.rc", tie=4))
    done = run(vault, "log", "Ada Okafor", "coffee", "--date", "2026-11-20")
    assert done.returncode == 0, done.stderr
    assert victim.read_text() == "export PATH=/usr/bin\n"
    assert "- 2026-11-20 coffee" in (vault.root / ADA).read_text()


def test_nothing_is_read_from_the_old_cache_folder(vault: Vault) -> None:
    """Not even a file that would hang whoever unpickled it; the answers are the vault's."""
    big_vault(vault)
    expected = run(vault, "list", "--json").stdout
    index_file(vault.root).unlink()
    plant_old_cache(vault, Contact("Mallory", ADA, tie=5))
    done = run(vault, "list", "--json")
    assert (done.returncode, done.stdout) == (0, expected)


def test_a_same_size_edit_with_the_mtime_put_back_is_seen(vault: Vault) -> None:
    """`sed -i` then `touch -r`: the size and mtime say nothing changed; the index knows."""
    big_vault(vault)
    note = vault.root / ADA
    text = note.read_bytes().replace(b"share-contact: no", b"share-contact: yes")
    note.write_bytes(text)
    hour_ago = note.stat().st_mtime_ns - 3600 * 10**9
    os.utime(note, ns=(hour_ago, hour_ago))  # long settled, not "racily clean"
    assert EMAIL in exported_emails(vault)
    assert index_file(vault.root).is_file()
    withdrawn = text.replace(b"share-contact: yes", b"share-contact: no ")
    assert len(withdrawn) == len(text)
    note.write_bytes(withdrawn)
    os.utime(note, ns=(hour_ago, hour_ago))
    assert EMAIL not in exported_emails(vault)


# ---- read commands write nothing in the vault -----------------------------------------------

READ_COMMANDS = (
    ["summary"], ["list", "--json"], ["due"], ["today"], ["oaks"], ["check"], ["search", "ada"],
    ["show", "Ada Okafor"], ["export", "json"], ["report", "--json"], ["graph"], ["todo"],
    ["favors"], ["unmet"], ["hub"], ["intros"], ["path", "Ada Okafor"], ["suggest"],
)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}).stdout


def test_read_commands_leave_a_git_vault_clean(vault: Vault) -> None:
    big_vault(vault)
    vault.write(".gitignore", ".obsidian/workspace.json\n")
    git(vault.root, "init", "-q")
    git(vault.root, "add", "-A")
    git(vault.root, "commit", "-q", "-m", "notes")
    before = vault.snapshot()
    for args in READ_COMMANDS:
        done = vault.run(*args)
        assert done.exit_code in (0, 1), (args, done.output)
    assert git(vault.root, "status", "--porcelain", "--ignored") == ""
    assert vault.snapshot() == before
    assert not (vault.root / ".netvault").exists()
    assert index_file(vault.root).is_file()


def test_the_index_lives_in_the_users_cache_folder_never_in_the_vault(vault: Vault) -> None:
    big_vault(vault)
    assert run(vault, "summary").returncode == 0
    cache = Path(os.environ["XDG_CACHE_HOME"])
    assert index_file(vault.root).parent.parent == cache / "netvault"
    assert [p for p in vault.root.rglob("*") if "sqlite" in p.name] == []

