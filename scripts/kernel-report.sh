#!/usr/bin/env bash
# Kernel report: GB/s of every SmolLM2-135M mat-vec per encoding and thread count beside the read roofline, the
# per-token decode estimate they add up to, and the prefill mat-mul cost. Takes several minutes.
# Usage: scripts/kernel-report.sh [kernels, default F16,BF16,Q8_0,Q4_0] [threads, default 1,2] [JVM flags...]
# Kernels may name a path: Q4_0/int8, Q4_0/float, Q8_0/scalar. Example: scripts/kernel-report.sh Q4_0 2 -XX:UseAVX=2
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/find-java.sh
orchard_find_java || exit 1
mvn -q -B -ntp -pl bench -am package -DskipTests >&2
# Other JMH runs on a shared machine hold /tmp/jmh.lock; ours does not need it.
exec java -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.orchard.bench.KernelReport "$@"
