"""Every input the fuzzers (fuzz/, `make fuzz`) ever failed on, replayed with their checks.

libFuzzer writes a failing input to tests/adversarial/crashes/ named after its target
(`parse-...` for fuzz/fuzz_parse.py, `edit-...` for fuzz/fuzz_edit.py); once fixed it stays
here as a regression test.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
CRASHES = Path(__file__).parent / "crashes"


def harness(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"fuzz_{name}", ROOT / "fuzz" / f"fuzz_{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CASES = sorted(CRASHES.iterdir()) if CRASHES.is_dir() else []


def test_every_kept_input_names_its_target() -> None:
    assert CASES, "the kept crash inputs are missing"
    assert all(path.name.split("-", 1)[0] in ("parse", "edit") for path in CASES)


@pytest.mark.parametrize("path", CASES, ids=[path.name for path in CASES])
def test_kept_fuzzer_input_passes_its_checks(path: Path) -> None:
    check = harness(path.name.split("-", 1)[0]).check
    started = time.process_time()
    check(path.read_bytes())
    assert time.process_time() - started < 2.0


@pytest.mark.parametrize("name", ["parse", "edit"])
def test_the_fuzzers_seeds_pass_their_checks(name: str) -> None:
    """The same checks over the seed corpus, so a broken harness shows up in `make test`."""
    module = harness(name)
    seeds = module.seeds()
    assert len(seeds) > 50
    for data in seeds:
        module.check(data)
