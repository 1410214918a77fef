# The README's first command: the main sample runs to the end.
MAIN_SAMPLE=$(grep -m1 -E '^dotnet run ' README.md)
read -r -a SAMPLE_ARGS <<< "$MAIN_SAMPLE"
ci_check "main sample (README command): $MAIN_SAMPLE" "${SAMPLE_ARGS[@]}"
