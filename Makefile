# rnnlab — two commands on a fresh Debian machine:
#   make run    install missing system packages, build (release), start the REPL
#   make test   same set-up, then the whole test suite against the release build (the build users
#               get), `rnnlab check` on the lessons, a short seeded fuzz run and the notebook check
# Other targets: make build, make bench, make fuzz (the long fuzz run), make notebooks (exported
# notebooks validated by nbformat; part of make test), make deps, make test-deps (deps and the
# browser the tests use), make clean.

SYSTEM_PACKAGES := libedit-dev libopenblas-dev pkg-config
# Only the tests need these: the web book is tried in a real (headless) browser by
# BookInBrowserTests, so `make run` does not install a browser.
TEST_PACKAGES := chromium
SWIFT ?= swift
RELEASE_BIN := .build/release

# sudo only when not root. apt-get runs only when dpkg reports a package missing (install_missing,
# below), so a second `make test` makes no apt call.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test build bench fuzz deps test-deps clean notebooks

run: deps build
	@$(RELEASE_BIN)/rnnlab

# The release configuration is the one users get, so the tests run against it (Swift's checks stay
# on in release, see README "Design"; `swift test` alone runs them in debug while developing). That
# build also makes the binaries `rnnlab check` and the fuzz run use: a second `swift build` would
# compile the package again without test support, minutes for nothing.
#
# Every error message the tests, the check and the fuzz run provoke is recorded under
# .build/error-audit (RNNLAB_ERROR_AUDIT, inherited by the rnnlab processes they start), and
# `Fuzz messages` then fails the run if any of them names the Swift API instead of the language.
ERROR_AUDIT := $(CURDIR)/.build/error-audit

test: test-deps
	@rm -rf $(ERROR_AUDIT)
	RNNLAB_ERROR_AUDIT=$(ERROR_AUDIT) $(SWIFT) test -c release
	@# The lessons' check and the short fuzz run share the two cores: check is one thread, and the
	@# fuzzer runs one child at a time. The fuzz log is printed after check's.
	@export RNNLAB_ERROR_AUDIT=$(ERROR_AUDIT); \
	  $(RELEASE_BIN)/Fuzz all --quick > .build/fuzz-quick.log 2>&1 & fuzz=$$!; \
	  $(RELEASE_BIN)/rnnlab check; checked=$$?; \
	  wait $$fuzz; fuzzed=$$?; cat .build/fuzz-quick.log; \
	  [ $$checked -eq 0 ] && [ $$fuzzed -eq 0 ]
	$(RELEASE_BIN)/Fuzz messages $(ERROR_AUDIT)
	@$(MAKE) --no-print-directory notebooks

# Notebooks as Jupyter itself reads them: a scripted session (Tests/Notebooks/session.rnn) is
# exported with the release binary, and Jupyter's nbformat — in a venv made once under .build,
# from PyPI — validates every notebook, reads it back unchanged and finds each figure as SVG
# beside its text drawing (scripts/check_notebooks.py). The markdown export's SVG files too.
NB_VENV := .build/nbformat-venv
NB_DIR := .build/notebooks
notebooks:
	@[ -x $(NB_VENV)/bin/python ] || { python3 -m venv $(NB_VENV) && $(NB_VENV)/bin/pip install --quiet --disable-pip-version-check nbformat==5.10.4; }
	@rm -rf $(NB_DIR) && mkdir -p $(NB_DIR)
	sed 's#NOTEBOOK_DIR#$(NB_DIR)#' Tests/Notebooks/session.rnn | $(RELEASE_BIN)/rnnlab > $(NB_DIR)/session.log
	$(NB_VENV)/bin/python scripts/check_notebooks.py $(NB_DIR) 6

# Generated and mutated programs, .npy/.npz files and lessons against the release binary (see
# README "Robustness"): a few thousand cases, about half an hour. SEED=n picks another sequence.
SEED ?= 1
fuzz: deps
	$(SWIFT) build -c release --product rnnlab
	$(SWIFT) build -c release --product Fuzz
	$(RELEASE_BIN)/Fuzz all --seed $(SEED)

build: deps
	$(SWIFT) build -c release --product rnnlab

# The recurrent tables set PyTorch float32 beside the engine: measured now with this Python when it
# exists (../shared/bench/setup_venv.sh makes it; about 40 s more), else quoted from BASELINE.md.
# `make bench TORCH_PYTHON=/path/to/python` picks another; BENCH_ARGS=--quoted skips running it.
TORCH_PYTHON ?= ../shared/bench/.venv/bin/python
BENCH_ARGS ?=
bench: deps
	$(SWIFT) build -c release --product Bench
	OPENBLAS_NUM_THREADS=1 RNNLAB_TORCH_PYTHON=$(TORCH_PYTHON) $(RELEASE_BIN)/Bench $(BENCH_ARGS)

# Installs those of the packages $(1) that dpkg does not report installed.
define install_missing
	@missing=""; \
	for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing system packages:$$missing"; \
	  $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y $$missing; \
	fi
endef

deps:
	$(call install_missing,$(SYSTEM_PACKAGES))

test-deps:
	$(call install_missing,$(SYSTEM_PACKAGES) $(TEST_PACKAGES))

clean:
	rm -rf .build
