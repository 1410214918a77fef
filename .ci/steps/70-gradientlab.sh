# GradientLab fast mode (docs/diagnostics/validation.md): five configurations compiled in memory through the real
# generator and analyzers, loaded in a collectible AssemblyLoadContext, trained on the adding, copy, temporal-order and
# agreement tasks with three seeds, labelled and scored, and the gradient-flow plot drawn. It checks that the pipeline works
# (the program exits non-zero otherwise), not how well the rules predict: the full run measures that.
# 16 s on the 2-core machine with the solution built. Output in artifacts/gradientlab/; the committed runs and result
# pages (research/GradientLab/results/, linked from docs/diagnostics) are neither read nor rewritten by the fast modes.
GRADIENTLAB_START=$(date +%s)
ci_check "GradientLab fast mode (generator, analyzers, load, train, label, score)" \
  dotnet run -c Release --project research/GradientLab -- run --fast
echo "GradientLab fast mode took $(( $(date +%s) - GRADIENTLAB_START )) s"
# Flow fast mode (docs/diagnostics/gradient-validation.md): five configurations, six units (float and Embedding
# input, a bidirectional stack), measured gradient flow labelled by the committed rule; fails unless a sigmoid RNN
# at T = 60 is labelled vanished and an LSTM with forget bias 3 at T = 12 healthy. About 30 s with the build.
ci_check "GradientLab flow fast mode (measured gradient labels: a known-vanishing and a known-healthy unit)" \
  dotnet run -c Release --project research/GradientLab -- flow run --fast
# The committed result pages are generated: re-scoring the committed runs with the rules of this commit must give
# them back byte for byte (seconds, no training). A changed rule without regenerated pages fails here; regenerate with
# the four `analyze` commands in docs/diagnostics/validation.md, "Re-scored with today's rules".
gradientlab_results_current() {
  local results=research/GradientLab/results out
  out=$(mktemp -d)
  local lab=(dotnet run -c Release --no-build --project research/GradientLab -- analyze --out "$out" --images "$out")
  "${lab[@]}" > /dev/null && "${lab[@]}" --name agreement > /dev/null && "${lab[@]}" --name budget3000 > /dev/null \
    && "${lab[@]}" --name heldout-pooled --runs "$PWD/$results/validation-runs.csv,$PWD/$results/agreement-runs.csv" > /dev/null \
    || return 1
  local name status=0
  for name in validation agreement budget3000 heldout-pooled; do
    diff -u "$results/$name-results.md" "$out/$name-results.md" || { echo "$results/$name-results.md is stale"; status=1; }
  done
  rm -rf "$out"
  return $status
}
ci_check "GradientLab result pages match the committed runs scored by the current rules" gradientlab_results_current
