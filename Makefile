# Two set-up commands from a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OPA_STAMP := $(VENV)/.opa-path

.PHONY: demo test lint install opa chromium postgresql clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP)

# Installs the pinned OPA (PATH, cache, go install, then release binary) and
# remembers where it is, so the suite and the demo use exactly that binary.
# The script returns at once when the pinned binary is already there.
opa: | $(STAMP)
	@bash scripts/install-opa.sh > $(OPA_STAMP).tmp && mv $(OPA_STAMP).tmp $(OPA_STAMP)

# Findings are the point of the demo: exit 1 is success here; 2 and 3 are not. The run also writes its
# audit pack (out/audit, replaced whole on the next demo). It ends with the
# committee's meeting pack for the same date (govern agenda: exit 0 when written).
demo: install opa
	@GOVERN_OPA="$$(cat $(OPA_STAMP))" $(BIN)/govern check examples/acme --as-of 2026-11-25 --format table --format audit=out/audit; \
	  rc=$$?; if [ $$rc -gt 1 ]; then echo "govern check failed with exit $$rc" >&2; exit $$rc; fi
	@echo "The audit pack of this run: out/audit (govern verify out/audit/evidence.json examples/acme; docs/audit.md)"
	@GOVERN_OPA="$$(cat $(OPA_STAMP))" $(BIN)/govern agenda examples/acme --meeting 2026-11-25 --output out/acme-agenda.html
	@echo "The committee's meeting pack for this run: out/acme-agenda.html (govern agenda examples/acme --meeting 2026-11-25; --lang en, --format markdown|json)"

# The HTML report is tested in a real headless browser (tests/test_report_html.py).
# Only `make test` needs it; CI runs as root on Debian, like this machine.
# fonts-noto-cjk: without a CJK face the report's screenshots show Chinese as boxes.
chromium:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  apt-get update && apt-get install -y chromium chromium-driver fonts-noto-cjk; \
	fi

# The history store is tested on PostgreSQL as well as SQLite (tests/history_support.py starts a throwaway
# cluster of its own with initdb, as the postgres user). Only `make test` needs it; the service is not used.
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  apt-get update && apt-get install -y postgresql; \
	fi

# The project's own gates: ruff and mypy (settings in pyproject.toml) must be clean.
lint: install
	$(BIN)/ruff check governance benchmarks tests
	$(BIN)/mypy

# PYTHONDONTWRITEBYTECODE emptied: with it set, every pytest worker rewrote the assertions of all test modules
# and every `python -m governance` the tests start compiled its modules again, on every run. The caches go to
# __pycache__ (ignored by git) and make the next run's start-ups cheap.
test: install opa chromium postgresql lint
	PYTHONDONTWRITEBYTECODE= GOVERN_OPA="$$(cat $(OPA_STAMP))" $(BIN)/python -m pytest -n auto --dist load --maxschedchunk 1

clean:
	rm -rf $(VENV) build dist *.egg-info
