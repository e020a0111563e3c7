#!/usr/bin/env bash
# Gatehouse benchmark: ./bench/run.sh [--quick] [--tuning] [--url http://localhost:PORT --no-start] ...
#                      ./bench/run.sh --peer keycloak   (against Keycloak, bench/peer.py)
# Needs JAVA_HOME = JDK 25 (as ./mvnw does), wrk and psql (apt-get install wrk postgresql-client), python3.
# See bench/README.md. Every load run is bounded in time; only loopback addresses are loaded.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk psql python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install wrk postgresql-client python3" >&2; exit 1; }
done
# 5,000 keep-alive connections need more than the usual 1,024 open files, in wrk and in the server
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" -ge 12000 ] || echo "warning: open-file limit $(ulimit -n); scenario 6 needs about 11,000" >&2
export PATH="${JAVA_HOME:+$JAVA_HOME/bin:}$PATH"
if [ "${1:-}" = "--peer" ]; then
  # Gatehouse against another identity server (bench/peer.py): about 15 min; SIGTERM lets it stop both servers
  exec timeout -k 120 2400 python3 bench/peer.py "$@"
fi
exec timeout 3600 python3 bench/gatehouse_bench.py "$@"
