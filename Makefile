# Two commands on a fresh machine with Python 3.11 and make: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint goldens fuzz bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The filter silences setuptools' note on editable installs (a warning about nothing).
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The main job on a fresh copy of sample-vault/ (so it runs again and again; sample-vault/ is
# never changed): summary, today, oaks, a warm path, suggestions, an intro with its drafts,
# the HTML report, and check on the planted problems.
demo: $(STAMP)
	@$(BIN)/python scripts/demo.py

# The benchmarks and the demo script are checked too: a broken call must fail here, not in `make bench`.
lint: $(STAMP)
	$(BIN)/ruff check netvault tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/mypy benchmarks scripts

test: lint
	$(BIN)/pytest

# Rewrite the report and brief goldens (tests/golden/) after an intended change; review with git diff.
goldens: $(STAMP)
	NETVAULT_UPDATE_GOLDENS=1 $(BIN)/pytest tests/test_report.py tests/test_brief.py tests/test_team.py -k "report or schema or brief"

# Coverage-guided fuzzing (atheris) of the parser and the safe editor, a fixed time each.
# Failing inputs land in tests/adversarial/crashes/, which `make test` replays.
FUZZ_SECONDS ?= 120
FUZZ_ARGS ?= -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -print_final_stats=1
fuzz: $(STAMP)
	$(BIN)/python -m pip install --quiet 'atheris>=2.3'
	$(BIN)/python fuzz/fuzz_parse.py $(FUZZ_ARGS)
	$(BIN)/python fuzz/fuzz_edit.py $(FUZZ_ARGS)

# Timings on generated vaults (1,000 / 10,000 / 50,000 contacts); BENCH_ARGS="--sizes 1000 --runs 3".
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
