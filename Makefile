# Lobby Kiosk: the two README commands (demo, test) plus lint, bench and translations.
# Every target sets up .venv itself, so a fresh clone needs nothing but Python 3.11+.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TS     := $(wildcard resources/translations/*.ts)
QM     := $(TS:.ts=.qm)
PYTEST_ARGS ?=

.PHONY: demo test lint bench translations tour clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $(STAMP)

resources/translations/%.qm: resources/translations/%.ts $(STAMP)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

translations: $(QM)

demo: $(STAMP) translations
	$(BIN)/python -m kiosk --demo

tour: $(STAMP) translations
	$(BIN)/python -m kiosk --tour build/tour

# Tests run with Qt offscreen. When D-Bus and gnome-keyring are installed, the whole run
# sits inside a private D-Bus session with an unlocked Secret Service, so keyring tests use
# the real thing; without them those tests are skipped and say why.
test: $(STAMP) translations
	@if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then \
	  keyring_home=$$(mktemp -d); \
	  QT_QPA_PLATFORM=offscreen XDG_DATA_HOME=$$keyring_home/data XDG_RUNTIME_DIR=$$keyring_home \
	  dbus-run-session -- sh -c 'printf kiosk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec $(BIN)/pytest $(PYTEST_ARGS)'; \
	  status=$$?; rm -rf $$keyring_home; exit $$status; \
	else \
	  QT_QPA_PLATFORM=offscreen $(BIN)/pytest $(PYTEST_ARGS); \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	@echo "make bench: no benchmarks yet. Speed and memory goals get pytest-benchmark suites"
	@echo "under tests/benchmarks/ with the benchmark issue; nothing is measured today."

clean:
	rm -rf $(VENV) $(QM) .mypy_cache .ruff_cache .pytest_cache
