# Lobby Kiosk: the two README commands (demo, test) plus lint, soak, bench and translations.
# Every target sets up .venv itself, so a fresh clone needs nothing but Python 3.11+.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TS     := $(wildcard resources/translations/*.ts)
QM     := $(TS:.ts=.qm)
PYTEST_ARGS ?=

.PHONY: demo test soak lint bench bundle bundle-check translations catalogs tour clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $(STAMP)

resources/translations/%.qm: resources/translations/%.ts $(STAMP)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

translations: $(QM)

# The e-mail letters' words: extract them from the templates and update every catalog in
# central/mail/locale/ (then translate the new entries). The server compiles the .po files
# itself when it first needs them, so no .mo file is built or kept.
catalogs: $(STAMP)
	mkdir -p build
	$(BIN)/pybabel extract -F central/mail/babel.cfg --no-location -o build/messages.pot .
	$(BIN)/pybabel update -i build/messages.pot -d central/mail/locale -w 96

demo: $(STAMP) translations
	scripts/qt-system-libs.sh
	$(BIN)/python -m kiosk --demo

tour: $(STAMP) translations
	$(BIN)/python -m kiosk --tour build/tour

# Tests run with Qt offscreen. When D-Bus and gnome-keyring are installed, the whole run
# sits inside a private D-Bus session with an unlocked Secret Service, so keyring tests use
# the real thing; without them those tests are skipped and say why. The 20 slowest tests
# are listed before the summary, to keep the run inside CI's time.
test: $(STAMP) translations
	scripts/with-keyring.sh $(BIN)/pytest --durations=20 $(PYTEST_ARGS)

# A lobby's long day in one kiosk process: thousands of family sessions against a real
# central API, printing the memory and live-object curve (make test runs a short version).
SOAK_SESSIONS ?= 3000
# Rounds of SIGKILL-after-approval per database, SQLite and PostgreSQL (make test runs 2).
# PostgreSQL is the one in KIOSK_TEST_PG_URL, else a throwaway cluster when it is installed.
CRASH_ROUNDS ?= 20
soak: $(STAMP) translations
	scripts/with-keyring.sh $(BIN)/python -m tests.endurance.kiosk_sessions \
	  --sessions $(SOAK_SESSIONS) --curve-every 250 --json soak-results.json
	LOBBY_CRASH_ROUNDS=$(CRASH_ROUNDS) scripts/with-postgres.sh \
	  $(BIN)/pytest -q -rs tests/central/test_crash_recovery.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Speed goals, as ratios to a floor measured in the same run; misses print MISSED and are
# recorded with "ok": false in bench-results.json, they never fail the build.
bench: $(STAMP) translations
	rm -f bench-results.json
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.benchmarks.kiosk_ui --json bench-results.json
	QT_QPA_PLATFORM=offscreen scripts/with-keyring.sh $(BIN)/python -m tests.benchmarks.kiosk_start \
	  --json bench-results.json
	$(BIN)/python -m tests.benchmarks.api_load --json bench-results.json
	$(BIN)/python -m tests.benchmarks.renewals --json bench-results.json
	$(BIN)/python -m tests.benchmarks.sync_drain --json bench-results.json
	@echo "results: bench-results.json"

# The kiosk as a one-folder bundle (PyInstaller; only the Qt parts it uses), and CI's check
# that the bundle starts headless and passes --self-check against a real central API.
bundle: $(STAMP) translations
	$(BIN)/python -m pip install --quiet -e '.[installer]'
	$(BIN)/pyinstaller installer/lobby-kiosk.spec --noconfirm --log-level WARN \
	  --distpath build/dist --workpath build/pyinstaller

bundle-check: bundle
	scripts/with-keyring.sh installer/check-bundle.sh

clean:
	rm -rf $(VENV) $(QM) .mypy_cache .ruff_cache .pytest_cache
