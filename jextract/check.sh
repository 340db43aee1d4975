#!/usr/bin/env bash
# Checks the committed bindings/ against jextract/includes.txt and jextract/VERSIONS.
# Needs no jextract, so CI can run it on every build:
#   1. every symbol listed in includes.txt was generated (jextract skips
#      declarations it cannot express with only a warning);
#   2. the JDK 22 rewrite was applied (no SymbolLookup.findOrThrow left);
#   3. bindings/ is byte for byte what generate.sh produced (sha256 recorded
#      in VERSIONS), i.e. nobody edited generated files by hand.
# Usage: jextract/check.sh            (from anywhere; exit status 0 = ok)
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PKG_DIR=bindings/dev/pyjama/ffi
HEADER_CLASS=LibPython

fail=0
err() { echo "check.sh: $*" >&2; fail=1; }

[ -d "$PKG_DIR" ] || { echo "check.sh: $PKG_DIR does not exist; run jextract/generate.sh" >&2; exit 1; }
# The header class (jextract may split it into LibPython, LibPython_1, ... and LibPython$shared).
header_files=$(find "$PKG_DIR" -maxdepth 1 -name "${HEADER_CLASS}*.java" | sort)
[ -n "$header_files" ] || { echo "check.sh: no ${HEADER_CLASS}*.java in $PKG_DIR" >&2; exit 1; }

# 1. every listed symbol was generated
count=0
while read -r opt name _; do
    case "$opt" in
        --include-function|--include-var)
            # functions and variables are both resolved by name through SYMBOL_LOOKUP
            grep -qF "SYMBOL_LOOKUP.find(\"$name\")" $header_files \
                || err "not generated: ${opt#--include-} $name" ;;
        --include-constant)
            grep -qE "^    public static [A-Za-z0-9_.<>]+ $name\(\) \{" $header_files \
                || err "not generated: constant $name" ;;
        --include-struct|--include-union|--include-typedef)
            [ -f "$PKG_DIR/$name.java" ] && grep -qE "^public (final )?class $name( |$)" "$PKG_DIR/$name.java" \
                || err "not generated: ${opt#--include-} $name" ;;
        ''|\#*) continue ;;
        *) err "unknown option in includes.txt: $opt"; continue ;;
    esac
    count=$((count + 1))
done < jextract/includes.txt
[ "$count" -gt 0 ] || err "includes.txt lists no symbols"

# 2. the one documented rewrite (see README.md, "The JDK 22 rewrite") was applied
if grep -rlF ".findOrThrow(" bindings >/dev/null; then
    err "bindings/ still calls SymbolLookup.findOrThrow (JDK 23+); run jextract/generate.sh"
fi

# 3. bindings/ is exactly what generate.sh wrote
tree_hash() { (cd bindings && find . -type f | sort | xargs sha256sum) | sha256sum | cut -d' ' -f1; }
recorded=$(sed -n 's/^bindings-sha256: //p' jextract/VERSIONS 2>/dev/null || true)
actual=$(tree_hash)
if [ -z "$recorded" ]; then
    err "jextract/VERSIONS has no bindings-sha256 line"
elif [ "$recorded" != "$actual" ]; then
    err "bindings/ differs from what generate.sh produced (sha256 $actual, VERSIONS says $recorded); never edit generated files, rerun jextract/generate.sh"
fi

if [ "$fail" -ne 0 ]; then
    echo "check.sh: FAILED" >&2
    exit 1
fi
echo "check.sh: ok: $count symbols from includes.txt present in $PKG_DIR, rewrite applied, tree sha256 $actual"
