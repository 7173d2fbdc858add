#!/usr/bin/env bash
# Run the service with its embedded defaults and the operator console on this machine.
# The service stops when the console closes. Usage: scripts/start.sh [console options]
set -euo pipefail
cd "$(dirname "$0")/.."
url="http://127.0.0.1:${GTV_PORT:-8080}"

.venv/bin/gtvision-service run &
service=$!
trap 'kill "$service" 2>/dev/null; wait "$service" 2>/dev/null || true' EXIT

for _ in $(seq 120); do  # first start initialises PostgreSQL: allow a minute
    if .venv/bin/python -c "import httpx,sys; sys.exit(httpx.get('$url/healthz').status_code != 200)" 2>/dev/null; then
        break
    fi
    kill -0 "$service" 2>/dev/null || { echo "the service stopped; see its log above" >&2; exit 1; }
    sleep 0.5
done
.venv/bin/gtvision-console --server "$url" "$@"
