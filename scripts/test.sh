#!/usr/bin/env bash
# The whole test suite, with its setup, on a fresh machine: `bash scripts/test.sh` (extra args go to pytest).
# Everything runs in the project's virtual environment .venv/ (made or reused by scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --test
export VIRTUAL_ENV="$PWD/.venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"
python="$VIRTUAL_ENV/bin/python"

# Browser tests drive Debian's Chromium (never a downloaded browser) with CJK fonts. The accessibility tests need npm:
# tests/conftest.py installs the pinned axe-core from the npm registry into .cache/axe on first use (no CDN).
# Only what is missing is asked for: the machine's Node.js ships its own npm, and Debian's npm package conflicts with it.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
command -v npm >/dev/null 2>&1 || missing+=(npm)
# tests/test_reliability_server.py serves a built site with Debian's nginx and Apache and the shipped deploy/ configuration.
{ command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null 2>&1 || missing+=(nginx)
{ command -v apache2 || [ -x /usr/sbin/apache2 ]; } >/dev/null 2>&1 || missing+=(apache2)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = "0" ] || sudo="sudo"
  echo "正在安装测试需要的 Debian 软件包：${missing[*]}…" >&2
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

"$python" -m ruff check xuncha_site tests bench
"$python" -m ruff format --check xuncha_site
"$python" -m mypy
# Default suite: everything except the seed import tests (need ../shared), the long property-based runs and the
# fresh-machine set-up test (.ci/run runs those). It runs in one process per core (pytest-xdist; XUNCHA_TEST_PROCESSES=0
# runs it in this process alone).
"$python" -m pytest -n "${XUNCHA_TEST_PROCESSES:-auto}" --dist loadfile -m "not seeds and not long and not setup" "$@"
