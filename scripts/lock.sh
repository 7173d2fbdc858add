#!/usr/bin/env bash
# Refresh requirements/*.txt, the exact versions (with hashes) that scripts/bootstrap.sh and CI
# install, from the ranges in pyproject.toml. Run after changing a dependency, then run the tests
# (tests/test_lock.py checks that pyproject.toml and every lock agree). Needs PyPI.
# Usage: scripts/lock.sh [--upgrade] (default: keep every pin that still satisfies its range).
set -euo pipefail
cd "$(dirname "$0")/.."

uv_version=0.13.8
tool=.lock-venv
if ! [ -x "$tool/bin/uv" ] || [ "$("$tool/bin/uv" --version | cut -d' ' -f2)" != "$uv_version" ]; then
    python3 -m venv "$tool"
    "$tool/bin/python" -m pip install -q "uv==$uv_version"
fi

find_links=()
for dir in ${GTV_FIND_LINKS:-/opt/wheels}; do
    [ -d "$dir" ] && find_links+=(--find-links "$dir")
done

# lock NAME EXTRA...: one file per bootstrap target.
lock() {
    local name="$1"; shift
    local extras=()
    for extra in "$@"; do extras+=(--extra "$extra"); done
    "$tool/bin/uv" pip compile --quiet pyproject.toml requirements/build.in "${extras[@]}" \
        --python-version 3.11 --generate-hashes --no-header --annotation-style line \
        --override requirements/overrides.txt --constraint requirements/constraints.txt \
        "${find_links[@]}" ${upgrade:+--upgrade} -o "requirements/$name.txt"
}

upgrade=""
[ "${1:-}" = --upgrade ] && upgrade=1
lock service service
lock console console
lock all service console
lock cuda service cuda
lock dev dev train
