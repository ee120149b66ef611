#!/usr/bin/env bash
# Create .venv with a Python >= 3.12 and install karstsim with its test tools.
# Usage: scripts/setup.sh [EXTRA ...]   (extras from pyproject, e.g. dev)
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
    local candidates=(python3.13 python3.12 python3 python)
    if command -v pyenv >/dev/null 2>&1; then
        local root; root=$(pyenv root)
        for v in $(ls -1 "$root/versions" 2>/dev/null | sort -rV); do
            candidates+=("$root/versions/$v/bin/python")
        done
    fi
    for c in "${candidates[@]}"; do
        local exe; exe=$(command -v "$c" 2>/dev/null) || continue
        if "$exe" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
            echo "$exe"; return 0
        fi
    done
    return 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
    PY=$(find_python) || {
        echo "karstsim setup: no Python >= 3.12 found (tried python3.13, python3.12, python3 and pyenv versions)." >&2
        echo "Install Python 3.12 or newer (e.g. 'pyenv install 3.12') and run this again." >&2
        exit 1
    }
    echo "karstsim setup: using $PY ($("$PY" --version))"
    rm -rf .venv
    "$PY" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
fi
extras=$(IFS=,; echo "$*")
target="."
[ -n "$extras" ] && target=".[${extras}]"
.venv/bin/python -m pip install --quiet -e "$target"
# Compile karstsim's modules once: where PYTHONDONTWRITEBYTECODE is set (CI machines), Python
# never caches them and compiles them again at every start (0.1–0.2 s of each command). A
# module edited later is recompiled from source as usual (its cache is out of date).
.venv/bin/python -m compileall -q karstsim >/dev/null
