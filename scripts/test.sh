#!/usr/bin/env bash
# The whole test suite, with its setup, on a fresh machine: `bash scripts/test.sh` (extra args go to pytest).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"

# Browser tests drive Debian's Chromium (never a downloaded browser) with CJK fonts. The accessibility tests need npm:
# tests/conftest.py installs the pinned axe-core from the npm registry into .cache/axe on first use (no CDN).
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk npm >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk npm >/dev/null
  fi
fi

python3 -m ruff check xuncha_site tests bench
python3 -m ruff format --check xuncha_site
python3 -m mypy
# Default suite: everything except the seed import tests (need ../shared) and the long property-based runs.
python3 -m pytest -m "not seeds and not long" "$@"
