"""`make demo`: netvault's main job on a fresh copy of sample-vault/, which stays untouched.

Every command runs with today pinned to 2026-11-25 (the day the sample vault was written for)
inside that command only. Each command line is shown before its output; anything a command
writes to stderr is shown too, and the demo fails if a command exits otherwise than expected.
The copy is kept, so the drafts and the HTML report can be opened afterwards.
"""

from __future__ import annotations

import email
import email.policy
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

TODAY = "2026-11-25"
REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample-vault"
PLANTED = "broken"  # the notes with planted problems, shown by `check` at the end
INTRO = ("Lucía Fernández", "Kenji Watanabe")
WHY = (
    "Lucía wants a data engineering mentor; Kenji switched careers into data engineering "
    "last year and remembers every step."
)


def netvault(vault: Path, *args: str, expect: int = 0) -> str:
    """Run one command on the copy, print it and its output; fail on a surprise exit code."""
    shown = " ".join(shlex.quote(a) for a in args)
    print(f"\n$ netvault {shown}", flush=True)
    env = {k: v for k, v in os.environ.items() if k not in ("NETVAULT_VAULT", "NO_COLOR")}
    env["NETVAULT_TODAY"] = TODAY
    done = subprocess.run(
        [sys.executable, "-m", "netvault", "--vault", str(vault), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    print(done.stdout, end="", flush=True)
    if done.stderr:
        print(done.stderr, end="", file=sys.stderr, flush=True)
    if done.returncode != expect:
        sys.exit(f"demo: `netvault {shown}` exited {done.returncode}, expected {expect}")
    return done.stdout


def show_draft(path: Path) -> None:
    """An .eml draft as a mail client would show it: the headers that matter, then the text."""
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    print(f"\n--- {path.name} ---")
    for header in ("From", "To", "Subject"):
        print(f"{header}: {message[header]}")
    body = message.get_body(preferencelist=("plain",))
    print("\n" + (body.get_content() if body is not None else "").rstrip())
    print("---")


def main() -> None:
    vault = Path(tempfile.mkdtemp(prefix="netvault-demo-")) / "sample-vault"
    shutil.copytree(SAMPLE, vault, ignore=shutil.ignore_patterns(PLANTED, ".netvault"))
    print(f"netvault on a copy of sample-vault/ in {vault} (today pinned to {TODAY})")

    netvault(vault, "summary")
    netvault(vault, "today")
    netvault(vault, "oaks")
    netvault(vault, "path", "Acme Robotics", "--limit", "2")
    netvault(vault, "suggest", "--limit", "3")

    print("\n== An introduction, double opt-in: ask both, connect only after two yeses ==")
    netvault(vault, "intro", *INTRO, "--why", WHY)
    outbox = vault / ".netvault" / "outbox"
    intro_id = f"{TODAY} {INTRO[0]} -- {INTRO[1]}"
    show_draft(outbox / f"{intro_id} - ask {INTRO[1]}.eml")
    netvault(vault, "intro-update", intro_id, "--a", "yes", "--b", "yes", "--a-shares", "yes")
    show_draft(outbox / f"{intro_id} - connect {INTRO[1]}.eml")
    netvault(vault, "intros")

    print("\n== The whole network on one page ==")
    report = vault.parent / "network.html"
    netvault(vault, "report", "--format", "html", "--out", str(report))

    print(f"\n== check, with the planted problems of sample-vault/{PLANTED}/ copied in ==")
    shutil.copytree(SAMPLE / PLANTED, vault / PLANTED)
    netvault(vault, "check", expect=1)

    print(f"\nOpen {report} in a browser; the drafts are in {outbox}.")


if __name__ == "__main__":
    main()
