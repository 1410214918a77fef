# GradientLab fast mode (docs/diagnostics/validation.md): five configurations compiled in memory through the real
# generator and analyzers, loaded in a collectible AssemblyLoadContext, trained on the adding, copy, temporal-order and
# agreement tasks with three seeds, labelled and scored, and the gradient-flow plot drawn. It checks that the pipeline works
# (the program exits non-zero otherwise), not how well the rules predict: the full run measures that.
# 16 s on the 2-core machine with the solution built. Output in artifacts/gradientlab/.
GRADIENTLAB_START=$(date +%s)
ci_check "GradientLab fast mode (generator, analyzers, load, train, label, score)" \
  dotnet run -c Release --project samples/GradientLab -- run --fast
echo "GradientLab fast mode took $(( $(date +%s) - GRADIENTLAB_START )) s"
