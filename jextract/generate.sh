#!/usr/bin/env bash
# Regenerates bindings/ (package dev.pyjama.ffi) whole from jextract/python.h
# and jextract/includes.txt, then records the tool and header versions in
# jextract/VERSIONS and runs jextract/check.sh. See jextract/README.md.
#
# Environment:
#   JEXTRACT          jextract launcher (default: `jextract` on PATH)
#   JEXTRACT_COMMIT   openjdk/jextract commit the launcher was built from
#                     (default: contents of <launcher dir>/../COMMIT, if present)
#   PYTHON_INCLUDE    CPython include dir (default: pyenv's 3.13.0)
#   JAVAC             javac of a JDK 22+ used for the --release 22 compile check
#                     (default: `javac` on PATH; the check is skipped if none)
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"   # all paths below are relative, so no absolute path reaches the output

JEXTRACT=${JEXTRACT:-$(command -v jextract || true)}
[ -n "$JEXTRACT" ] && [ -x "$JEXTRACT" ] \
    || { echo "generate.sh: jextract not found; set JEXTRACT or put jextract on PATH" >&2; exit 1; }
PYTHON_INCLUDE=${PYTHON_INCLUDE:-/root/.pyenv/versions/3.13.0/include/python3.13}
[ -f "$PYTHON_INCLUDE/Python.h" ] \
    || { echo "generate.sh: no Python.h in $PYTHON_INCLUDE; set PYTHON_INCLUDE" >&2; exit 1; }

if [ -z "${JEXTRACT_COMMIT:-}" ]; then
    commit_file="$(dirname "$(readlink -f "$JEXTRACT")")/../COMMIT"
    [ -f "$commit_file" ] && JEXTRACT_COMMIT=$(tr -d '[:space:]' < "$commit_file")
fi
[ -n "${JEXTRACT_COMMIT:-}" ] \
    || { echo "generate.sh: set JEXTRACT_COMMIT to the openjdk/jextract commit of $JEXTRACT" >&2; exit 1; }

# 1. delete the output and regenerate it whole
rm -rf bindings
# jextract warns about every long double macro in <math.h>; only those lines are dropped.
"$JEXTRACT" \
    -I "$PYTHON_INCLUDE" \
    --target-package dev.pyjama.ffi \
    --header-class-name LibPython \
    --output bindings \
    @jextract/includes.txt \
    jextract/python.h \
    2> >(grep -v 'type LongDouble is not supported' >&2 || true)

# 2. the one rewrite (README.md, "The JDK 22 rewrite"): SymbolLookup.findOrThrow
#    is JDK 23+; replace it by the body it has in the JDK, which JDK 22 has too.
find bindings -name '*.java' -print0 | sort -z | xargs -0 sed -i -E \
    's/SYMBOL_LOOKUP\.findOrThrow\("([A-Za-z_0-9]+)"\)/SYMBOL_LOOKUP.find("\1").orElseThrow(() -> new java.util.NoSuchElementException("Symbol not found: \1"))/g'
if grep -rnF '.findOrThrow(' bindings >&2; then
    echo "generate.sh: the findOrThrow rewrite did not match every call above" >&2
    exit 1
fi

# 3. record versions and the tree hash that check.sh verifies
version_out=$("$JEXTRACT" --version 2>&1)
jextract_version=$(sed -n 's/^jextract //p' <<<"$version_out")
jextract_jdk=$(sed -n 's/^JDK version //p' <<<"$version_out")
clang_version=$(sed -n 's/^LibClang version //p' <<<"$version_out")
python_version=$(sed -n 's/^#define PY_VERSION[[:space:]]*"\(.*\)"/\1/p' "$PYTHON_INCLUDE/patchlevel.h")
limited_api=$(sed -n 's/^#define Py_LIMITED_API //p' jextract/python.h)
tree_hash=$( (cd bindings && find . -type f | sort | xargs sha256sum) | sha256sum | cut -d' ' -f1)
cat > jextract/VERSIONS <<EOF
# Written by jextract/generate.sh; do not edit. Read by jextract/check.sh.
jextract-commit: $JEXTRACT_COMMIT
jextract-version: $jextract_version
jextract-run-on-jdk: $jextract_jdk
libclang: $clang_version
cpython-headers: $python_version
py-limited-api: $limited_api
bindings-sha256: $tree_hash
EOF

# 4. every listed symbol generated, rewrite applied, hash matches
jextract/check.sh

# 5. the project compiles with --release 22
JAVAC=${JAVAC:-$(command -v javac || true)}
if [ -n "$JAVAC" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    find bindings -name '*.java' | sort > "$tmp/sources"
    # [restricted] warnings (reinterpret, downcallHandle) are inherent to FFM bindings
    "$JAVAC" --release 22 -Xlint:all,-restricted -Werror -d "$tmp/classes" @"$tmp/sources"
    echo "generate.sh: bindings compile with $JAVAC --release 22"
else
    echo "generate.sh: warning: no javac found, skipped the --release 22 compile check" >&2
fi
echo "generate.sh: done: $(find bindings -name '*.java' | wc -l) files in bindings/"
