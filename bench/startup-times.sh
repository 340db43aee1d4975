#!/usr/bin/env bash
# Start-up wall time with less noise than JMH's single-shot StartupBench: runs StartPyjama (libpython
# given) and the raw floor StartRaw alternately, N times each (default 21), and prints the medians
# and their ratio, both until each program printed its result and until it exited. Uses
# bench/target/benchmarks.jar as built by bin/bench.
#
#   bench/startup-times.sh [runs]
#   PYJAMA_BENCH_PYTHON=/path/to/python3 bench/startup-times.sh 31
#   PYJAMA_STARTUP_AOT=1 bench/startup-times.sh 11   # both with a JDK 24+ AOT cache, trained first
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/jdk.sh
pyjama_find_jdk

runs=${1:-21}
python="${PYJAMA_BENCH_PYTHON:-}"
if [ -z "$python" ]; then
  if [ -x "$HOME/.pyenv/versions/3.11.7/bin/python3" ]; then
    python="$HOME/.pyenv/versions/3.11.7/bin/python3"
  else
    python="$(command -v python3)"
  fi
fi
libpython=$("$python" -c "import sysconfig, os; print(os.path.join(sysconfig.get_config_var('LIBDIR'), sysconfig.get_config_var('LDLIBRARY')))")
jar=bench/target/benchmarks.jar
[ -f "$jar" ] || { echo "startup-times.sh: no $jar; run bin/bench once first" >&2; exit 1; }
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$jar")
pyjama_cmd=("${java[@]}" "-Dpyjama.python=$libpython" dev.pyjama.bench.StartPyjama)
raw_cmd=("${java[@]}" dev.pyjama.bench.StartRaw "$libpython")
if [ "${PYJAMA_STARTUP_AOT:-}" = "1" ]; then
  # One training run each writes the cache (JEP 514), which every timed run then maps.
  aot=$(mktemp -d)
  trap 'rm -rf "$aot"' EXIT
  "${java[@]}" -XX:AOTCacheOutput="$aot/pyjama.aot" "-Dpyjama.python=$libpython" dev.pyjama.bench.StartPyjama > /dev/null 2>&1
  "${java[@]}" -XX:AOTCacheOutput="$aot/raw.aot" dev.pyjama.bench.StartRaw "$libpython" > /dev/null 2>&1
  pyjama_cmd=("${java[@]}" -XX:AOTCache="$aot/pyjama.aot" "-Dpyjama.python=$libpython" dev.pyjama.bench.StartPyjama)
  raw_cmd=("${java[@]}" -XX:AOTCache="$aot/raw.aot" dev.pyjama.bench.StartRaw "$libpython")
fi

# Prints two figures for one run, in ms: until the program printed its result (the first line of
# its output: JVM start to first result, exit not counted) and until the process ended.
times() {
  local s f e
  s=$(date +%s%N)
  f=$("$@" | { read -r _; date +%s%N; cat > /dev/null; })
  e=$(date +%s%N)
  echo "$(( (f - s) / 1000000 )) $(( (e - s) / 1000000 ))"
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v p="$1" -v r="$2" 'BEGIN { printf "%.2f", p / r }'; }

pyjama_first=() pyjama_exit=() raw_first=() raw_exit=()
for _ in $(seq "$runs"); do
  read -r f e < <(times "${pyjama_cmd[@]}"); pyjama_first+=("$f"); pyjama_exit+=("$e")
  read -r f e < <(times "${raw_cmd[@]}"); raw_first+=("$f"); raw_exit+=("$e")
done
pf=$(echo "${pyjama_first[*]}" | median) pe=$(echo "${pyjama_exit[*]}" | median)
rf=$(echo "${raw_first[*]}" | median) re=$(echo "${raw_exit[*]}" | median)
echo "median of $runs runs each${PYJAMA_STARTUP_AOT:+, AOT cache} ($libpython):"
echo "  start to first result (printed): pyjama $pf ms, raw $rf ms, ratio $(ratio "$pf" "$rf")x"
echo "  start to process exit:           pyjama $pe ms, raw $re ms, ratio $(ratio "$pe" "$re")x"
