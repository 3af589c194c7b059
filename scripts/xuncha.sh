#!/usr/bin/env bash
# Any xuncha command, with the project's virtual environment made or reused first: `bash scripts/xuncha.sh build`.
# (After the first run, `.venv/bin/xuncha …` or, in a shell that ran `source .venv/bin/activate`, `xuncha …` is the same.)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
exec "$root/.venv/bin/xuncha" "$@"
