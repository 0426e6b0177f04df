"""The one error base of netvault's core.

The core never imports Click: it raises (or returns) these, and `netvault.cli` turns them into
Click errors in one place: `NetvaultError` exits 1 ("problems found or refused"),
`UsageProblem` exits 2 ("the command was called wrongly").
"""

from __future__ import annotations


class NetvaultError(Exception):
    """Something netvault refuses or cannot do; the message is one user-facing sentence."""


class UsageProblem(NetvaultError):
    """The request itself is wrong (an ambiguous name, a bad value): exit code 2."""
