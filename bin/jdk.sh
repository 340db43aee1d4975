# Sourced by bin/test and bin/tour: points JAVA_HOME at a JDK 22 or newer, finding one when the
# default java is older (as it is on machines whose default is 17 with a newer JDK beside it).
pyjama_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

pyjama_find_jdk() {
  local best="" best_major=0 candidate major java_bin
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  java_bin=$(command -v java 2>/dev/null || true)
  [ -n "$java_bin" ] && candidates+=("$(dirname "$(dirname "$(readlink -f "$java_bin")")")")
  for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/* "$HOME"/.sdkman/candidates/java/* \
                   /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$candidate" ] && candidates+=("$candidate")
  done
  for candidate in "${candidates[@]}"; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(pyjama_java_major "$candidate")
    [ -n "$major" ] || continue
    # Prefer the configured JDK when it is new enough; otherwise the newest one found.
    if [ "$candidate" = "${JAVA_HOME:-}" ] && [ "$major" -ge 22 ]; then
      best="$candidate"; best_major=$major; break
    fi
    if [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major=$major
    fi
  done
  if [ -z "$best" ] || [ "$best_major" -lt 22 ]; then
    echo "pyjama needs a JDK 22 or newer; none found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm)." >&2
    echo "Install one (for example Temurin 25) and set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}

pyjama_require_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "pyjama builds with Apache Maven (3.8+); mvn is not on PATH. Install it (Debian: apt-get install maven)." >&2
    return 1
  fi
}
