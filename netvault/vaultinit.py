"""The files `netvault init` writes. Existing files are always kept as they are."""

from __future__ import annotations

import os
from pathlib import Path

from .config import CONFIG_NAME
from .vaultfs import UnsafePath, read_vault_file
from .write import Replace, Target, WriteRefused, make_folder, write_file

DEFAULT_CONFIG = """\
# netvault settings; every key is optional (see docs/vault-format.md).
[owner]
name = "me"
# email = "me@example.org"

[vault]
contacts = "people"
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


def init_vault(root: Path) -> tuple[list[str], list[str]]:
    created: list[str] = []
    kept: list[str] = []
    make_folder(Target.typed(None, root))
    for folder in ("people", "intros", ".netvault/templates"):
        if (root / folder).is_dir():
            kept.append(folder + "/")
        else:
            make_folder(Target.inside(root, folder))
            created.append(folder + "/")
    for relpath, text in (
        (CONFIG_NAME, DEFAULT_CONFIG),
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
    return created, kept
