# The benchmark grid compares like with like: every case of benchmarks/CodeGenLstm.Benchmarks has its peers (libtorch via
# TorchSharp, ONNX Runtime) loaded with our weights and checked against ours (outputs; libtorch's weight and input
# gradients too), with `--check`: no timing (timings are never asserted; docs/benchmarks.md has the measured grid).
# On the LSTM cases of the reduced-precision table (`--precision`) it also checks ONNX Runtime's int8 DynamicQuantizeLSTM,
# fed our int8 W_hh, against our float32 (within 4x our own int8 error), and that a graph with the wrong gate order is refused.
# It starts no child process (the first-call tables of --precision and --streaming are not part of it). Measured on
# 2 cores of an AMD EPYC (Zen 4) shared with other builds, 2026-12-05: 44 s at a load average of 3 to 5 (the
# LSTM H=1024 cases about three quarters of it), 526 s at a load average of 40 to 50; the step prints its own time.
# Linux x64 only (the libtorch natives restored are linux-x64's). Sourced by .ci/run; also runs alone:
# bash .ci/steps/80-benchmark-peers.sh

if [ -z "${CI_RESULTS+x}" ]; then
  cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
  source .ci/lib.sh
  BENCHMARK_PEERS_STANDALONE=1
fi

benchmark_peers_check() (
  set -euo pipefail
  if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then echo "not Linux x64: the peers' natives are not restored here"; return 1; fi
  # Inside .ci/run the solution is built already; alone, this builds the project (up to date in a second when it is).
  dotnet build benchmarks/CodeGenLstm.Benchmarks -c Release -v:q -nologo
  dotnet benchmarks/CodeGenLstm.Benchmarks/bin/Release/net10.0/linux-x64/CodeGenLstm.Benchmarks.dll --check
)

START_BENCHMARK_PEERS=$(date +%s)
ci_check "benchmark peers agree with ours on every grid case" benchmark_peers_check
echo "benchmark peer check took $(( $(date +%s) - START_BENCHMARK_PEERS )) s"

if [ -n "${BENCHMARK_PEERS_STANDALONE:-}" ]; then ci_summary; [ "$CI_FAILED" -eq 0 ]; fi
