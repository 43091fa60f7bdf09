#!/usr/bin/env bash
# Builds and runs the JMH benchmarks (bench module) on JDK 25. Example: scripts/jmh.sh MatVec -t 2
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/find-java.sh
orchard_find_java || exit 1
mvn -q -B -ntp -pl bench -am package -DskipTests >&2
exec java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar \
  -jvmArgsPrepend "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED" "$@"
