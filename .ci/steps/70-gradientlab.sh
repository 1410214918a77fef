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
