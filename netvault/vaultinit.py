"""The files `netvault init` writes. Existing files are always kept as they are."""

from __future__ import annotations

import os
from pathlib import Path

from .config import CONFIG_NAME

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


def ensure_gitignore(root: Path) -> bool:
    """Add netvault's state folders to the vault's .gitignore; True if the file changed."""
    path = root / ".gitignore"
    existing = path.read_text(encoding="utf-8") if path.is_file() else ""
    present = {line.strip() for line in existing.splitlines()}
    missing = [line for line in GITIGNORE_LINES if line not in present]
    if not missing:
        return False
    prefix = existing if not existing or existing.endswith("\n") else existing + "\n"
    from .edit import atomic_write

    atomic_write(path, (prefix + "\n".join(missing) + "\n").encode("utf-8"))
    return True


def init_vault(root: Path) -> tuple[list[str], list[str]]:
    created: list[str] = []
    kept: list[str] = []
    root.mkdir(parents=True, exist_ok=True)
    for folder in ("people", "intros", ".netvault/templates"):
        target = root / folder
        if target.is_dir():
            kept.append(folder + "/")
        else:
            target.mkdir(parents=True)
            created.append(folder + "/")
    for relpath, text in (
        (CONFIG_NAME, DEFAULT_CONFIG),
        (".netvault/templates/README.md", TEMPLATES_README),
    ):
        target = root / relpath
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            kept.append(relpath)
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        created.append(relpath)
    if ensure_gitignore(root):
        created.append(".gitignore (netvault lines)")
    else:
        kept.append(".gitignore")
    return created, kept
