# Sourced by ./touchpoint and ./test: finds a JDK of version 21 or newer without trusting
# the caller's JAVA_HOME blindly (a machine's default java may be older).
# Order: $TOUCHPOINT_JAVA_HOME, $JAVA_HOME, the java on PATH, then the newest JDK under
# the usual install folders. Exports JAVA_HOME and JAVA.

tp_java_major() {
  # prints the feature version of the given java binary, e.g. 17 or 25
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

tp_find_jdk() {
  local candidates=() home major best="" best_major=0
  [ -n "${TOUCHPOINT_JAVA_HOME:-}" ] && candidates+=("$TOUCHPOINT_JAVA_HOME")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for home in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/*; do
    [ -d "$home" ] && candidates+=("$home")
  done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    major=$(tp_java_major "$home/bin/java")
    [ -n "$major" ] && [ "$major" -ge 21 ] || continue
    # the first explicit choice that qualifies wins; otherwise the newest found
    if [ "$home" = "${TOUCHPOINT_JAVA_HOME:-}" ] || [ "$home" = "${JAVA_HOME:-}" ]; then
      best="$home"; break
    fi
    if [ "$major" -gt "$best_major" ]; then best="$home"; best_major="$major"; fi
  done
  if [ -z "$best" ]; then
    echo "touchpoint: no JDK 21 or newer found; install one or set TOUCHPOINT_JAVA_HOME" >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export JAVA="$best/bin/java"
}
