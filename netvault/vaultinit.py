"""The files `netvault init` writes. Existing files are always kept as they are."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .config import CONFIG_NAME
from .vaultfs import UnsafePath, read_vault_file
from .write import Replace, Target, WriteRefused, make_folder, write_file

CONFIG_TEMPLATE = """\
# netvault settings; every key is optional (see docs/vault-format.md).
[owner]
{owner}

[vault]
{contacts}
intros = "intros"

[ties]
intro_min = 3   # introduce only people you know at least this well
path_min = 3    # ask introductions only of people who know you at least this well

[cadence]       # keep-in-touch interval per tie (tie 1: none)
"5" = "30d"
"4" = "60d"
"3" = "90d"
"2" = "180d"

[oaks]
max = 12
min_years = 3

[intros]
max_per_30_days = 3

[report]
path = "Reports/Network.md"
"""

TEMPLATES_README = """\
# Your template overrides

Copy a built-in template here under the same file name (for example `intro-ask.md.j2`) and
edit it: netvault uses this folder first, then its built-ins. Undefined variables are errors,
so a misspelt name fails loudly instead of leaving a blank in an e-mail.
"""

# Machine state that should not be versioned with the notes.
GITIGNORE_LINES = (".netvault/cache/", ".netvault/lock", ".netvault/outbox/")
MAX_GITIGNORE_BYTES = 1024 * 1024


def ensure_gitignore(root: Path) -> bool:
    """Add netvault's state folders to the vault's .gitignore; True if the file changed.
    A .gitignore that is a symlink is neither read nor replaced (WriteRefused)."""
    target = Target.inside(root, ".gitignore")
    try:
        existing_bytes: bytes | None = read_vault_file(root, ".gitignore", MAX_GITIGNORE_BYTES)
    except FileNotFoundError:
        existing_bytes = None
    except UnsafePath as exc:
        raise WriteRefused(target.path, exc.message_for(".gitignore")) from None
    existing = (existing_bytes or b"").decode("utf-8", "surrogateescape")
    present = {line.strip() for line in existing.splitlines()}
    missing = [line for line in GITIGNORE_LINES if line not in present]
    if not missing:
        return False
    prefix = existing if not existing or existing.endswith("\n") else existing + "\n"
    data = (prefix + "\n".join(missing) + "\n").encode("utf-8", "surrogateescape")

    def unchanged() -> None:
        if read_vault_file(root, ".gitignore", MAX_GITIGNORE_BYTES) != existing_bytes:
            raise WriteRefused(target.path, "changed on disk meanwhile; nothing written")

    if existing_bytes is None:
        write_file(target, data, replace=Replace.NEVER)
    else:
        write_file(target, data, replace=Replace.EDIT, before_commit=unchanged)
    return True


@dataclass(frozen=True, slots=True)
class DailyNotes:
    """Obsidian's daily-notes settings, as `.obsidian/daily-notes.json` has them."""

    folder: str
    format: str

    @property
    def dated(self) -> bool:
        """Whether the file names are ISO dates, which is how netvault dates a daily note."""
        return self.format.rsplit("/", 1)[-1] == "YYYY-MM-DD"


@dataclass(frozen=True, slots=True)
class InitResult:
    created: list[str]
    kept: list[str]
    contacts_folder: str
    daily_notes: DailyNotes | None


def contacts_folder_in(root: Path) -> str | None:
    """An existing top-level folder called `people` in any case (`People/`), if there is one."""
    if not root.is_dir():
        return None
    found = sorted(
        entry.name
        for entry in root.iterdir()
        if entry.is_dir() and not entry.is_symlink() and entry.name.casefold() == "people"
    )
    return found[0] if found else None


def obsidian_daily_notes(root: Path) -> DailyNotes | None:
    """Obsidian's daily-notes folder and file-name format, when the core plugin has them."""
    path = root / ".obsidian" / "daily-notes.json"
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    folder = data.get("folder") if isinstance(data.get("folder"), str) else ""
    fmt = data.get("format") if isinstance(data.get("format"), str) else ""
    return DailyNotes(str(folder).strip("/"), str(fmt).strip() or "YYYY-MM-DD")


def config_text(contacts_folder: str, owner_name: str | None, owner_email: str | None) -> str:
    """The `.netvault.toml` `init` writes; an owner left out stays a comment, never "me"."""
    import tomli_w

    owner = []
    if owner_name:
        owner.append(tomli_w.dumps({"name": owner_name}).strip())
    else:
        owner.append('# name = "Your Name"   # signs intro drafts; check warns while unset')
    if owner_email:
        owner.append(tomli_w.dumps({"email": owner_email}).strip())
    else:
        owner.append('# email = "you@example.org"')
    contacts = tomli_w.dumps({"contacts": contacts_folder}).strip()
    return CONFIG_TEMPLATE.format(owner="\n".join(owner), contacts=contacts)


def init_vault(
    root: Path, owner_name: str | None = None, owner_email: str | None = None
) -> InitResult:
    created: list[str] = []
    kept: list[str] = []
    make_folder(Target.typed(None, root))
    contacts = contacts_folder_in(root) or "people"
    for folder in (contacts, "intros", ".netvault/templates"):
        if (root / folder).is_dir():
            kept.append(folder + "/")
        else:
            make_folder(Target.inside(root, folder))
            created.append(folder + "/")
    for relpath, text in (
        (CONFIG_NAME, config_text(contacts, owner_name, owner_email)),
        (".netvault/templates/README.md", TEMPLATES_README),
    ):
        if os.path.lexists(root / relpath):
            kept.append(relpath)
            continue
        write_file(
            Target.inside(root, relpath), text.encode("utf-8"), replace=Replace.NEVER, mode=0o644
        )
        created.append(relpath)
    if ensure_gitignore(root):
        created.append(".gitignore (netvault lines)")
    else:
        kept.append(".gitignore")
    return InitResult(created, kept, contacts, obsidian_daily_notes(root))
