#!/usr/bin/env bash
# Sourced by ./orchard and .ci/run: sets JAVA_HOME to a JDK 25 or newer and puts it first on PATH.
# Order: $JAVA_HOME if it is 25+, then the newest JDK 25+ under /usr/lib/jvm. Fails with a clear message otherwise.

orchard_java_major() { # prints the feature version of the java binary given, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

orchard_quiet_maven() { # Maven 3.8's bundled Guava trips JDK 25's sun.misc.Unsafe warning; allow it quietly.
  case " ${MAVEN_OPTS:-} " in *unsafe-memory-access*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
}

orchard_find_java() {
  local candidate major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(orchard_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null; then
      export PATH="$JAVA_HOME/bin:$PATH"
      orchard_quiet_maven
      return 0
    fi
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -Vr); do
    candidate=${candidate%/}
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(orchard_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      orchard_quiet_maven
      return 0
    fi
  done
  echo "orchard: no JDK 25 or newer found. Set JAVA_HOME to a JDK 25+ or install one under /usr/lib/jvm (e.g. Temurin 25)." >&2
  return 1
}
