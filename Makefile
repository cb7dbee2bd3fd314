# Lobby Kiosk: the two README commands (demo, test) plus lint, soak, bench and translations.
# Every target sets up .venv itself, so a fresh clone needs nothing but Python 3.11+.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TS     := $(wildcard resources/translations/*.ts)
QM     := $(TS:.ts=.qm)
PYTEST_ARGS ?=

.PHONY: demo test soak lint bench bench-full bundle bundle-check translations catalogs tour clean

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

# The demo runs as a kiosk does: with a Secret Service keyring (a private, unlocked
# gnome-keyring when it is installed, scripts/keyring-session.sh), so card payments work and
# no banner says otherwise. Without gnome-keyring the kiosk says cards are off, and they are.
demo: $(STAMP) translations
	scripts/qt-system-libs.sh
	scripts/keyring-session.sh $(BIN)/python -m kiosk --demo

tour: $(STAMP) translations
	$(BIN)/python -m kiosk --tour build/tour

# Tests run with Qt offscreen, on both cores (pytest-xdist: TEST_WORKERS processes; 0 runs
# them in this one). When D-Bus and gnome-keyring are installed, each worker has its own
# private D-Bus session with an unlocked Secret Service, so keyring tests use the real thing;
# without them those tests are skipped and say why. Tests that must not run beside each
# other share an xdist_group (docs/testing.md). The 20 slowest tests are listed before the
# summary, to keep the run inside CI's time.
# Each worker owns its keyring daemon and checks it after every test (tests/worker_keyring.py,
# docs/testing.md "A worker's keyring"). TEST_WORKERS=0 runs everything in this one process.
TEST_WORKERS ?= 2
test: $(STAMP) translations
	scripts/with-keyring.sh $(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup --durations=20 \
	  $(PYTEST_ARGS)

# A lobby's long day in one kiosk process: thousands of family sessions against a real
# central API, printing the memory and live-object curve (make test runs a short version).
SOAK_SESSIONS ?= 3000
# Schemathesis examples per operation in the soak's contract runs (make test runs 30).
SOAK_EXAMPLES ?= 150
# Rounds of SIGKILL-after-approval per database, SQLite and PostgreSQL (make test runs 2).
# PostgreSQL is the one in KIOSK_TEST_PG_URL, else a throwaway cluster when it is installed.
CRASH_ROUNDS ?= 20
soak: $(STAMP) translations
	scripts/with-keyring.sh $(BIN)/python -m tests.endurance.kiosk_sessions \
	  --sessions $(SOAK_SESSIONS) --curve-every 250 --json soak-results.json
	LOBBY_CRASH_ROUNDS=$(CRASH_ROUNDS) scripts/with-postgres.sh \
	  $(BIN)/pytest -q -rs tests/central/test_crash_recovery.py
	KIOSK_SCHEMATHESIS_EXAMPLES=$(SOAK_EXAMPLES) scripts/with-postgres.sh \
	  $(BIN)/pytest -q -rs tests/central/test_openapi_contract.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Speed goals, as ratios to a floor measured in the same run; misses print MISSED and are
# recorded with "ok": false in bench-results.json, they never fail the build.
bench: $(STAMP) translations
	$(BIN)/python -m tests.benchmarks.profiles short --json bench-results.json

# The full sizes: 100,000 renewals, 60-second load phases (hours, not minutes).
bench-full: $(STAMP) translations
	$(BIN)/python -m tests.benchmarks.profiles full --json bench-results.json

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
