# Helpers for .ci/run: every check adds to one tally, printed last as "N passed, N failed".
# Test counts come from the TRX files dotnet test writes; a non-xunit check counts as one.

CI_RESULTS="${CI_RESULTS:-$(pwd)/artifacts/ci}"
CI_PASSED=0
CI_FAILED=0
CI_FAILURES=()
mkdir -p "$CI_RESULTS"

ci_section() { printf '\n==== %s ====\n' "$*"; }

# ci_dotnet_test LABEL [VAR=VALUE ...] -- dotnet test ARGS...: runs the tests, then adds the TRX counts.
ci_dotnet_test() {
  local label="$1"; shift
  local envs=()
  while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  local dir="$CI_RESULTS/$(echo "$label" | tr -c 'A-Za-z0-9._-' '_')"
  rm -rf "$dir"; mkdir -p "$dir"
  ci_section "$label"
  env "${envs[@]}" "$@" --logger "trx" --results-directory "$dir"
  local status=$?
  local passed failed
  read -r passed failed < <(python3 - "$dir" <<'PY'
import sys, glob, re
p = f = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    text = open(path, encoding="utf-8").read()
    m = re.search(r'<Counters[^>]*>', text)
    if m:
        attrs = dict(re.findall(r'(\w+)="(\d+)"', m.group(0)))
        p += int(attrs.get("passed", 0))
        f += int(attrs.get("failed", 0)) + int(attrs.get("error", 0)) + int(attrs.get("timeout", 0)) + int(attrs.get("aborted", 0))
print(p, f)
PY
)
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # a crash or build error with no failed test still fails
  CI_PASSED=$((CI_PASSED + passed)); CI_FAILED=$((CI_FAILED + failed))
  [ "$failed" -gt 0 ] && CI_FAILURES+=("$label: $failed failed")
  echo "---- $label: $passed passed, $failed failed"
}

# ci_check LABEL COMMAND...: one check that passes when the command exits 0.
ci_check() {
  local label="$1"; shift
  ci_section "$label"
  if "$@"; then
    CI_PASSED=$((CI_PASSED + 1)); echo "---- $label: passed"
  else
    CI_FAILED=$((CI_FAILED + 1)); CI_FAILURES+=("$label"); echo "---- $label: FAILED"
  fi
}

ci_summary() {
  ci_section "summary"
  for failure in "${CI_FAILURES[@]}"; do echo "FAILED: $failure"; done
  echo "$CI_PASSED passed, $CI_FAILED failed"
}
