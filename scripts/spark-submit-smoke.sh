#!/usr/bin/env bash
# Smoke test of the spark-submit application jar, cli/target/orchard-curate.jar (built here with -Pspark-submit).
# The jar runs against Spark's own jars only, taken from the local Maven repository as the dependencies of
# spark-sql and nothing else, the way a cluster's Spark would provide them. Three runs:
#   1. plain java: the shaded jar plus Spark's jars on the class path, main class dev.orchard.cli.CurateMain;
#   2. spark-submit's own entry point (org.apache.spark.deploy.SparkSubmit, what bin/spark-submit runs) with
#      --master local[2]: the run must use the master spark-submit gives it;
#   3. the same with --master local-cluster[2,1,1024]: a standalone master and two workers whose executors are
#      separate JVMs with only Spark's jars (a SPARK_HOME of links to them); they fetch the application jar from the
#      driver, as on a real cluster.
# Each run curates a few JSONL documents (kept ones, a duplicate, a profane one under profanity action: flag, extra
# fields, broken JSON) and is checked: exit status, data/, rejected/ and both reports present, accounting balanced,
# the expected master in the report, the flag and the extra fields in the output, and the same data/ bytes in all
# three. Takes a minute or two; not part of CI.
#
# Usage: scripts/spark-submit-smoke.sh [--no-build] [--keep]
#   --no-build  use the existing cli/target/orchard-curate.jar
#   --keep      keep the work directory (inputs, outputs, logs) and print where it is
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
source scripts/find-java.sh
orchard_find_java || exit 1

BUILD=1
KEEP=0
for a in "$@"; do
  case $a in
    --no-build) BUILD=0 ;;
    --keep) KEEP=1 ;;
    *) echo "usage: $0 [--no-build] [--keep]" >&2; exit 2 ;;
  esac
done

JAR=$ROOT/cli/target/orchard-curate.jar
WORK=$(mktemp -d "${TMPDIR:-/tmp}/orchard-spark-smoke.XXXXXX")
if [ $KEEP = 1 ]; then
  trap 'echo "work directory kept: $WORK"' EXIT
else
  trap 'rm -rf "$WORK"' EXIT
fi
fail() { echo "spark-submit smoke: FAILED: $*" >&2; exit 1; }

if [ $BUILD = 1 ]; then
  echo "building $JAR ..."
  mvn -B -ntp -q -Pspark-submit -pl cli -am package -DskipTests >"$WORK/build.log" 2>&1 \
    || { tail -30 "$WORK/build.log" >&2; fail "build"; }
fi
[ -f "$JAR" ] || fail "$JAR not found (build it: mvn -Pspark-submit -pl cli -am package -DskipTests)"

# Spark's jars: the dependencies of spark-sql alone, in a throwaway project, so none of Orchard's can slip in.
SPARK_SQL=$(sed -n 's|.*<artifactId>\(spark-sql_[0-9.]*\)</artifactId>.*|\1|p' data/pom.xml)
SPARK_VERSION=$(sed -n 's|.*<spark.version>\(.*\)</spark.version>.*|\1|p' data/pom.xml)
mkdir -p "$WORK/spark-deps"
cat >"$WORK/spark-deps/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>smoke</groupId><artifactId>spark-deps</artifactId><version>0</version>
  <dependencies>
    <dependency><groupId>org.apache.spark</groupId><artifactId>$SPARK_SQL</artifactId><version>$SPARK_VERSION</version></dependency>
  </dependencies>
</project>
EOF
echo "resolving $SPARK_SQL $SPARK_VERSION ..."
mvn -B -ntp -q -f "$WORK/spark-deps/pom.xml" dependency:build-classpath -Dmdep.outputFile="$WORK/spark.classpath" \
  >"$WORK/resolve.log" 2>&1 || { tail -30 "$WORK/resolve.log" >&2; fail "resolving Spark's jars"; }
SPARK_CP=$(cat "$WORK/spark.classpath")
# the same JVM options spark-submit's launcher adds on JDK 17+ (data/pom.xml keeps the list), plus native access
read -r -a JVM <<<"$(sed -n 's|.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*|\1|p' data/pom.xml) --enable-native-access=ALL-UNNAMED"

# A small corpus: four good documents (one with extra fields, one also with a profane sentence), a duplicate, and a
# broken line. The profanity stage flags rather than drops.
mkdir -p "$WORK/in"
HARBOUR="The old harbour town wakes up slowly on winter mornings. Fishermen carry their nets down to the boats while the bakers open their shutters and the smell of bread drifts along the narrow streets. Children walk to school in small groups, talking about the storm that kept them awake the night before. By nine o'clock the market square is full of people buying fish, vegetables and warm coffee. Visitors often say that the town has not changed in a hundred years, and the people who live there are proud of that. In the afternoon the light turns golden over the water and the boats come back with their catch."
PIANO="Learning to play the piano takes patience and a regular routine. Most teachers recommend practising for a short time every day rather than for hours once a week. Scales and simple exercises build the strength and independence of the fingers, while easy pieces keep the student interested. It is also important to listen carefully to the sound and to play slowly at first. Many adults who start late find that they make steady progress when they set clear goals. After a year of work, a beginner can usually play several pieces with confidence and enjoy sharing them with friends and family."
LIBRARY="The library on the hill was built more than two centuries ago by a wealthy merchant who loved books. Its reading room has tall windows, wooden shelves and a quiet atmosphere that students still appreciate today. The collection includes old maps, letters and diaries that describe the history of the region in great detail. Researchers from many countries visit every year to study these documents. The librarians have started to scan the most fragile items so that they can be read online without damaging the originals. On Sunday afternoons the building is open to the public and guided tours are offered."
TOMATOES="Growing damn tomatoes at home is a shit job, but growing tomatoes at home is easier than many people think. The plants need plenty of sunlight, rich soil and regular watering, especially during the hot weeks of summer. A simple wooden stake or cage keeps the stems from breaking under the weight of the fruit. Gardeners should remove the small shoots that grow between the main stem and the branches so that the plant puts its energy into the fruit. When the tomatoes turn deep red and feel slightly soft, they are ready to pick. Fresh tomatoes from the garden taste much better than the ones that are sold in most shops."
META='{"crawl": "2024-10", "score": 1.50, "tags": ["town", {"sea": true}]}'
cat >"$WORK/in/docs.jsonl" <<EOF
{"id": "web-0", "text": "$HARBOUR", "url": "https://example.org/harbour", "meta": $META}
{"text": "$PIANO", "source": "books", "lang": "en"}
{"text": "$LIBRARY"}
{"text": "$TOMATOES", "meta": {"n": 4}}
{"text": "$LIBRARY"}
{"text": "broken json
EOF
printf 'profanity:\n  action: flag\n' >"$WORK/config.yaml"
ARGS=(--input "$WORK/in" --config "$WORK/config.yaml" --keep-rejected --quiet)

check() { # name, output directory, the master the report must name
  local name=$1 out=$2 master=$3
  for f in report.json report.html data/part-00000.jsonl rejected/part-00000.jsonl; do
    [ -f "$out/$f" ] || fail "$name: no $f in $out"
  done
  grep -Eq '"balanced" *: *true' "$out/report.json" || fail "$name: accounting not balanced"
  grep -Fq "\"engine\" : \"spark $SPARK_VERSION $master\"" "$out/report.json" \
    || fail "$name: expected master $master, report says $(grep '"engine"' "$out/report.json")"
  [ "$(cat "$out"/data/part-*.jsonl | wc -l)" = 4 ] || fail "$name: expected 4 kept documents"
  [ "$(cat "$out"/rejected/part-*.jsonl | wc -l)" = 2 ] || fail "$name: expected 2 rejected documents"
  [ "$(grep -c '"flags":\["profanity"\]' "$out"/data/part-*.jsonl)" = 1 ] || fail "$name: expected 1 flagged document"
  grep -Fq "\"input_id\":\"web-0\",\"meta\":$META," "$out"/data/part-*.jsonl || fail "$name: extra fields not carried"
  echo "ok  $name: $(tail -1 "$WORK/$name.out")"
}

run() { # name, then the command
  local name=$1 status=0
  shift
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.log" || status=$?
  if [ $status != 0 ]; then
    tail -40 "$WORK/$name.log" >&2
    fail "$name: exit status $status"
  fi
}

echo "running $JAR against Spark's jars only ..."
run plain-java java "${JVM[@]}" -cp "$JAR:$SPARK_CP" dev.orchard.cli.CurateMain "${ARGS[@]}" --output "$WORK/out-java"
check plain-java "$WORK/out-java" 'local[*]'

run spark-submit java "${JVM[@]}" -cp "$SPARK_CP" org.apache.spark.deploy.SparkSubmit --master 'local[2]' \
  --name orchard-smoke --class dev.orchard.cli.CurateMain "$JAR" "${ARGS[@]}" --output "$WORK/out-submit"
check spark-submit "$WORK/out-submit" 'local[2]'
grep -q 'Submitted application: orchard-smoke' "$WORK/spark-submit.log" || fail "spark-submit: --name not kept"

mkdir -p "$WORK/spark-home/jars"
tr ':' '\n' <"$WORK/spark.classpath" | while read -r j; do ln -s "$j" "$WORK/spark-home/jars/"; done
run local-cluster env SPARK_HOME="$WORK/spark-home" SPARK_SCALA_VERSION=2.13 \
  java "${JVM[@]}" -cp "$WORK/spark-home/jars/*" org.apache.spark.deploy.SparkSubmit \
  --master 'local-cluster[2,1,1024]' --name orchard-smoke --class dev.orchard.cli.CurateMain "$JAR" "${ARGS[@]}" \
  --output "$WORK/out-cluster"
check local-cluster "$WORK/out-cluster" 'local-cluster[2,1,1024]'
executors=$(grep -oE '\(executor [0-9]+\)' "$WORK/local-cluster.log" | sort -u | wc -l)
[ "$executors" = 2 ] || fail "local-cluster: tasks ran on $executors executors, expected 2"

for out in out-submit out-cluster; do
  cmp -s "$WORK/out-java/data/part-00000.jsonl" "$WORK/$out/data/part-00000.jsonl" \
    || fail "$out/data differs from the plain java run's"
done
echo "spark-submit smoke test passed: the same output from all three runs"
