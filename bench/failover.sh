#!/usr/bin/env bash
# Gatehouse failover test: ./bench/failover.sh [--instances 2|3] [--no-build]
# 2-3 Payara Micro instances on one PostgreSQL behind HAProxy, all on loopback, under a mixed load: a rolling
# restart of every instance, then a kill -9 of one; prints the table (bench/README.md, "Failover").
# Needs JAVA_HOME = JDK 25, haproxy, psql, pg_isready, openssl, python3. Bounded: 25 minutes at most; everything
# it starts is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in haproxy psql pg_isready openssl python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install haproxy postgresql-client openssl python3" >&2; exit 1; }
done
[ -x "${JAVA_HOME:-}/bin/java" ] || { echo "set JAVA_HOME to a JDK 25" >&2; exit 1; }
mkdir -p bench/results/tmp
if [ "${1:-}" = "--no-build" ]; then
  shift
else
  # the WAR and Payara Micro (target/), and the class path of the embedded database's launcher
  ./mvnw -B -ntp -q package dependency:build-classpath -DskipTests \
    -Dmdep.includeScope=test -Dmdep.outputFile=bench/results/tmp/classpath.txt
fi
exec timeout 1500 python3 bench/failover.py "$@"
