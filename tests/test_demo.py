"""`make demo` (scripts/demo.py): runs on a fresh copy, shows an intro and its drafts, writes the
HTML report, prints nothing on stderr, and leaves sample-vault/ as it was."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def test_the_demo_runs_on_a_copy_without_warnings(tmp_path: Path) -> None:
    before = tree_digest(REPO / "sample-vault")
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    env.pop("NETVAULT_TODAY", None)
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "demo.py")],
        capture_output=True, text=True, env=env, check=False, timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, "")
    out = done.stdout
    intro = "2026-11-25 Lucía Fernández -- Kenji Watanabe"
    for expected in (
        "$ netvault summary",
        "$ netvault intro 'Lucía Fernández' 'Kenji Watanabe' --why",
        f"--- {intro} - ask Kenji Watanabe.eml ---",
        "Subject: Would an introduction to Lucía Fernández help?",
        f"--- {intro} - connect Kenji Watanabe.eml ---",
        "You can reach Lucía here:\n- e-mail: lucia.fernandez@example.org",
        "6 of 63 notes had problems: 4 errors, 2 warnings (48 contacts)",
    ):
        assert expected in out, expected
    (copy,) = tmp_path.glob("netvault-demo-*")
    assert (copy / "network.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    assert f"Wrote {copy / 'network.html'}: 45 contacts" in out
    assert tree_digest(REPO / "sample-vault") == before
