#!/usr/bin/env bash
# The project's test command (README quick start; .ci/run runs it too): finds a JDK 25 and runs mvn verify.
# Slow suites are tagged "slow" and run with: scripts/test.sh -Pslow
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/find-java.sh
orchard_find_java || exit 1
command -v mvn >/dev/null || { echo "test: Maven (mvn) not found; install it (apt-get install maven)." >&2; exit 1; }
exec mvn -B -ntp verify "$@"
