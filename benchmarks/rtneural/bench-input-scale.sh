#!/bin/bash
# Builds the shared RTNeural benchmark (../shared/peers/rtneural/bench.cpp) with one change: every input is multiplied
# by $INPUT_SCALE (1 when unset) at run time, as RtNeuralCases does in the benchmark project. RTNeural's xsimd tanh
# returns early, without its exponential and division, when every lane is below 0.625, so its time depends on the
# inputs (NnGen's FastMath.Tanh has no branch). Builds the xsimd backend with g++ at AVX-512 and AVX2. Usage:
#   bench-input-scale.sh RTNEURAL_GIT_DIR XSIMD_GIT_DIR [OUT]     then: INPUT_SCALE=4 OUT/bench_scaled-xsimd512 LABEL 3 e_2
# The two git dirs are what `fetch github:jatinchowdhury18/RTNeural` and `fetch github:xtensor-stack/xsimd` return.
set -e
RTN=$1; XS=$2; OUT=${3:-${TMPDIR:-/tmp}/rtneural-bench}
[ -d "$RTN" ] && [ -d "$XS" ] || { echo "usage: bench-input-scale.sh RTNEURAL_GIT_DIR XSIMD_GIT_DIR [OUT]"; exit 2; }
SHARED=$(cd "$(dirname "$0")/../../../shared/peers/rtneural" && pwd)
SRC=$OUT/src
if [ ! -f "$SRC/RTNeural/RTNeural.h" ]; then mkdir -p "$SRC"; git --git-dir="$RTN" archive HEAD | tar x -C "$SRC"; fi
if [ ! -f "$SRC/modules/xsimd/include/xsimd/xsimd.hpp" ]; then
  rm -rf "$SRC/modules/xsimd" && mkdir -p "$SRC/modules/xsimd"
  pin=$(git --git-dir="$RTN" ls-tree HEAD modules/xsimd | awk '{print $3}')   # RTNeural's pinned xsimd
  git --git-dir="$XS" archive "$pin" | tar x -C "$SRC/modules/xsimd"
fi
# The one change: makeInputs multiplies each value by the scale. The grep fails the build if bench.cpp no longer matches.
sed -e 's|^\(\s*\)v = r.next();|\1v = r.next() * (std::getenv("INPUT_SCALE") ? (float)std::atof(std::getenv("INPUT_SCALE")) : 1.0f);|' \
    -e '1i #include <cstdlib>' "$SHARED/bench.cpp" > "$OUT/bench-scaled.cpp"
grep -q 'INPUT_SCALE' "$OUT/bench-scaled.cpp" || { echo "bench.cpp changed: its makeInputs no longer reads 'v = r.next();'"; exit 1; }
COMMON="-O3 -march=native -DNDEBUG -std=c++17 -DRTNEURAL_NAMESPACE=RTNeural -I$SRC -I$SRC/modules/json"
XSIMD="-DRTNEURAL_USE_XSIMD=1 -I$SRC/modules/xsimd/include"
g++ $COMMON $XSIMD -DRTNEURAL_DEFAULT_ALIGNMENT=64 "$OUT/bench-scaled.cpp" -o "$OUT/bench_scaled-xsimd512"
g++ $COMMON -mno-avx512f $XSIMD -DRTNEURAL_DEFAULT_ALIGNMENT=32 "$OUT/bench-scaled.cpp" -o "$OUT/bench_scaled-xsimd256"
ls "$OUT"/bench_scaled-*
