# Sourced by the other scripts: selects JDK 25 and a Maven command, or stops with one line saying what is missing.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

jdk_version() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

find_jdk25() {
  local c
  for c in "${SPARK_TTS_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    [ -n "$c" ] && [ -x "$c/bin/javac" ] || continue
    local v; v="$(jdk_version "$c")"
    if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  return 1
}

if ! JAVA_HOME="$(find_jdk25)"; then
  echo "spark-tts: no JDK 25 found (looked at \$SPARK_TTS_JAVA_HOME, \$JAVA_HOME, /usr/lib/jvm); install a JDK 25 and set JAVA_HOME" >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"

if command -v mvn >/dev/null 2>&1; then MVN=(mvn); else MVN=("$ROOT/mvnw"); fi
MVN+=(-B -ntp -f "$ROOT/pom.xml")

JVM_FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC)
