# Sourced by ./t2 and ./run-tests: sets JAVA_HOME to a JDK 25+ (JAVA_HOME if it is one, else Temurin 25's path).
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
t2_find_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    local major; major=$(java_major "$candidate")
    if [ -n "$major" ] && [ "${major%%.*}" -ge 25 ] 2>/dev/null; then export JAVA_HOME="$candidate"; return 0; fi
  done
  echo "error: t2 needs JDK 25 or newer: set JAVA_HOME to one (looked at JAVA_HOME='${JAVA_HOME:-}' and /usr/lib/jvm/temurin-25-jdk-amd64)" >&2
  return 1
}
t2_need_maven() {
  command -v mvn >/dev/null 2>&1 && return 0
  echo "error: Maven (mvn) is needed to build t2; install it (e.g. apt-get install maven)" >&2
  return 1
}
