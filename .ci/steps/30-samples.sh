# The other samples, in their short CI form, on the real data sets beside the repository
# (../shared/data). Each must finish, print its summary, write its PNG, and print no terminal control
# code (CI's output is not a terminal). CharLm's checkpoint must resume exactly: 10 updates, a
# checkpoint, 10 more on resume, give the same file, bit for bit, as 20 updates in one go.
# Sourced by .ci/run; also runs alone: bash .ci/steps/30-samples.sh

if [ -z "${CI_RESULTS+x}" ]; then
  cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
  source .ci/lib.sh
  SAMPLES_STANDALONE=1
fi

# sample_run NAME EXPECTED_TEXT PNG ARGS...: runs samples/NAME, checks its output and picture.
sample_run() (
  set -euo pipefail
  local name="$1" expected="$2" png="$3"; shift 3
  local log="$CI_RESULTS/sample-$name-$(date +%s%N).log"
  local start; start=$(date +%s)
  dotnet run -c Release --project "samples/$name" -- "$@" > "$log" 2>&1 || { cat "$log"; echo "samples/$name failed"; return 1; }
  cat "$log"
  echo "($name took $(( $(date +%s) - start )) s, build included)"
  grep -q -- "$expected" "$log" || { echo "no '$expected' in the output"; return 1; }
  if grep -q $'\e' "$log"; then echo "terminal control codes in a redirected output"; return 1; fi
  [ "$(head -c 4 "$png" | od -An -tx1 | tr -d ' ')" = "89504e47" ] || { echo "$png is not a PNG"; return 1; }
)

charlm_resume() (
  set -euo pipefail
  local work; work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  local common=(--data ../shared/data/tinyshakespeare.txt --quick --temperature 0.8)
  dotnet build samples/CharLm -c Release -v:q -nologo >/dev/null
  dotnet run -c Release --no-build --project samples/CharLm -- "${common[@]}" --steps 20 --out "$work/straight" > "$work/straight.log"
  dotnet run -c Release --no-build --project samples/CharLm -- "${common[@]}" --steps 10 --out "$work/resumed" > "$work/first.log"
  dotnet run -c Release --no-build --project samples/CharLm -- "${common[@]}" --steps 10 --out "$work/resumed" --resume > "$work/second.log"
  grep "Resumed from" "$work/second.log"
  if cmp "$work/straight/checkpoint.safetensors" "$work/resumed/checkpoint.safetensors"; then
    echo "   20 updates in one run == 10 + 10 resumed: checkpoints identical ($(stat -c %s "$work/straight/checkpoint.safetensors") bytes)"
  else
    echo "resumed training differs from uninterrupted training"; return 1
  fi
)

START_SAMPLES=$(date +%s)
ci_check "CharLm --quick on tinyshakespeare" sample_run CharLm "Validation cross-entropy:" out/ci/CharLm/loss.png \
  --quick --data ../shared/data/tinyshakespeare.txt --out out/ci/CharLm
ci_check "CharLm: checkpoint resumes exactly" charlm_resume
ci_check "Sentiment --quick on the UCI sentences" sample_run Sentiment "Test accuracy" out/ci/Sentiment/validation-accuracy.png \
  --quick --data ../shared/data/sentiment --out out/ci/Sentiment
ci_check "LongRange --quick --no-timing" sample_run LongRange "== Summary ==" out/ci/LongRange/gradient-flow.png \
  --quick --no-timing --out out/ci/LongRange
echo "samples took $(( $(date +%s) - START_SAMPLES )) s"

if [ -n "${SAMPLES_STANDALONE:-}" ]; then ci_summary; [ "$CI_FAILED" -eq 0 ]; fi
