# NativeAOT: LongRange published ahead of time for x86-64-v3 (AVX2 + FMA, so the kernels use 256-bit
# vectors) prints exactly what the JIT build prints. The compared run is `--quick --no-timing`: seeded,
# and with no clock-dependent number in its output. The JIT run is held to the same vector path
# (DOTNET_EnableAVX512=0): a 512-bit run sums in another order and its last digits differ.
# Sourced by .ci/run; also runs alone: bash .ci/steps/50-nativeaot.sh

if [ -z "${CI_RESULTS+x}" ]; then
  cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
  source .ci/lib.sh
  NATIVEAOT_STANDALONE=1
fi

nativeaot_test() (
  set -euo pipefail
  local repo work
  repo=$(pwd)
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  if ! grep -qw avx2 /proc/cpuinfo || ! grep -qw fma /proc/cpuinfo; then
    echo "this machine lacks AVX2 or FMA: an x86-64-v3 binary cannot run here"; return 1
  fi
  echo "-- dotnet publish -p:PublishAot=true -p:IlcInstructionSet=x86-64-v3"
  dotnet publish "$repo/samples/LongRange" -c Release -r linux-x64 -p:PublishAot=true -p:IlcInstructionSet=x86-64-v3 -o "$work/aot" -v:q -nologo
  ls -l "$work/aot/LongRange"
  mkdir -p "$work/run-aot" "$work/run-jit"
  echo "-- NativeAOT run"
  (cd "$work/run-aot" && "$work/aot/LongRange" --quick --no-timing --out out > output.txt)
  echo "-- JIT run (DOTNET_EnableAVX512=0)"
  dotnet build "$repo/samples/LongRange" -c Release -v:q -nologo
  (cd "$work/run-jit" && DOTNET_EnableAVX512=0 dotnet run -c Release --no-build --project "$repo/samples/LongRange" -- --quick --no-timing --out out > output.txt)
  grep -q "Kernels: Vector256" "$work/run-aot/output.txt" || { echo "the NativeAOT run did not use Vector256:"; head -3 "$work/run-aot/output.txt"; return 1; }
  if diff -u "$work/run-jit/output.txt" "$work/run-aot/output.txt"; then
    echo "   identical: $(wc -l < "$work/run-aot/output.txt") lines"
    sed -n '/== Summary/,$p' "$work/run-aot/output.txt"
  else
    echo "NativeAOT output differs from JIT output"; return 1
  fi
  [ -s "$work/run-aot/out/gradient-flow.png" ] || { echo "NativeAOT run wrote no PNG"; return 1; }
)

START_NATIVEAOT=$(date +%s)
ci_check "NativeAOT LongRange: same output as JIT" nativeaot_test
echo "NativeAOT check took $(( $(date +%s) - START_NATIVEAOT )) s"

if [ -n "${NATIVEAOT_STANDALONE:-}" ]; then ci_summary; [ "$CI_FAILED" -eq 0 ]; fi
