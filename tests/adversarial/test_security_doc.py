"""docs/security.md names the test that holds each promise: every one it names exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAMED = re.compile(r"`(?:(test_\w+\.py))?::(test_\w+)`")


def test_every_test_the_threat_model_names_exists() -> None:
    text = (ROOT / "docs/security.md").read_text(encoding="utf-8")
    named: list[tuple[str, str]] = []
    current = ""
    for match in NAMED.finditer(text):
        current = match.group(1) or current
        named.append((current, match.group(2)))
    assert len(named) > 40
    missing = []
    for filename, test in named:
        source = (ROOT / "tests/adversarial" / filename).read_text(encoding="utf-8")
        defined = {
            node.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.FunctionDef)
        }
        if test not in defined:
            missing.append(f"{filename}::{test}")
    assert missing == []
