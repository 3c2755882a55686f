# ocrfix: the two commands are `make run` and `make test`; each does its own set-up.
# Set-up is idempotent: system packages are installed only when missing, the
# virtualenv is rebuilt only when pyproject.toml changes.

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.ocrfix-installed
OUT ?= out/sample

# Debian packages: Tesseract with Russian data and the fonts the sample generator uses;
# fonts-dejavu-core is also the searchable PDF's text font (regenerate --pdf);
# tests add Chromium (HTML reports in a real browser) and poppler-utils (pdftotext reads the searchable PDFs back);
# benchmarks add OCRmyPDF's needs and the languages of the real typescripts in
# scripts/bench_recognition.py (Czech, Danish, German, Slovak), and Tesseract's Cyrillic script model (the second
# witness of scripts/bench_reconcile.py).
RUN_PACKAGES := tesseract-ocr tesseract-ocr-rus tesseract-ocr-eng fonts-freefont-ttf fonts-liberation fonts-dejavu-core fonts-urw-base35
TEST_PACKAGES := $(RUN_PACKAGES) chromium poppler-utils
BENCH_PACKAGES := $(TEST_PACKAGES) ghostscript unpaper pngquant tesseract-ocr-ces tesseract-ocr-dan tesseract-ocr-deu tesseract-ocr-slk tesseract-ocr-script-cyrl

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test bench setup setup-test system-run system-test system-bench clean

run: system-run $(STAMP)
	$(BIN)/ocrfix run scans/sample -o $(OUT)
	@echo "Results are in $(OUT)/ (open $(OUT)/index.html; per page: raw.txt, corrected.txt, corrections.json, diff.html, diff.json)"
	@echo "ocrfix is $(BIN)/ocrfix (or run 'source $(BIN)/activate' once, then 'ocrfix'); see 'Your own scans' in README.md"

test: system-test $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n auto --dist loadfile

bench: system-bench $(STAMP)
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python scripts/bench_preprocess.py
	$(BIN)/python scripts/bench_ocr.py
	$(BIN)/python scripts/bench_correct.py
	$(BIN)/python scripts/bench_batch.py
	$(BIN)/python scripts/bench_reconcile.py

# Install the Debian packages that are missing (apt-get update only when needed).
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

system-run:
	$(call apt_install,$(RUN_PACKAGES))

system-test:
	$(call apt_install,$(TEST_PACKAGES))

system-bench:
	$(call apt_install,$(BENCH_PACKAGES))

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,dask]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) out .pytest_cache
