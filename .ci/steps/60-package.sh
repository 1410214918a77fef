# The NuGet package as a new user meets it: `dotnet pack` it, create a console project with
# `dotnet new console` in a temporary folder, add the package from a local folder feed, build (the
# generator must run and the analyzers must report CGL1001, CGL1015 and CGL0014 where .ci/package/Program.cs
# expects them, and nothing else), check the code fixes are packed, and run. Sourced by .ci/run; also runs alone: bash .ci/steps/60-package.sh
#
# Why a CI step and not an xunit test: it packs, restores and builds three projects (about a minute)
# with the real `dotnet` CLI in a scratch folder; inside `dotnet test CodeGenLstm.sln` it would nest
# builds of the repository's own projects in the test run and slow every developer's test command.

if [ -z "${CI_RESULTS+x}" ]; then   # run alone
  cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
  source .ci/lib.sh
  PACKAGE_STANDALONE=1
fi

package_test() (
  set -euo pipefail
  local repo work version feed app build_log expected_line
  repo=$(pwd)
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  version="0.1.0-ci.$(date +%s)"      # a version no cache has seen
  feed="$work/feed"; app="$work/app"
  # A package cache of its own: nothing from ~/.nuget/packages can stand in for the package under test.
  export NUGET_PACKAGES="$work/nuget-packages"
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

  echo "-- dotnet pack (version $version)"
  dotnet pack "$repo/src/CodeGenLstm" -c Release -o "$feed" -p:Version="$version" -v:q -nologo
  local nupkg="$feed/CodeGenLstm.$version.nupkg"
  echo "-- package contents"
  python3 - "$nupkg" <<'PY'
import sys, zipfile
names = sorted(n for n in zipfile.ZipFile(sys.argv[1]).namelist()
               if not n.startswith(("_rels/", "package/", "[Content_Types]")))
for n in names: print("   ", n)
required = ["CodeGenLstm.nuspec", "README.md", "LICENSE", "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md",
            "lib/net10.0/CodeGenLstm.dll", "lib/net10.0/CodeGenLstm.xml", "analyzers/dotnet/cs/CodeGenLstm.Generators.dll"]
missing = [r for r in required if r not in names]
stray = [n for n in names if n.startswith("lib/") and "Generators" in n]
nuspec = zipfile.ZipFile(sys.argv[1]).read("CodeGenLstm.nuspec").decode("utf-8")
if missing: sys.exit(f"missing from the package: {missing}")
if stray: sys.exit(f"the generator must not be a lib asset: {stray}")
if "<dependency " in nuspec: sys.exit("the package must have no dependencies:\n" + nuspec)
print("   contents as expected")
PY

  echo "-- dotnet new console"
  dotnet new console -o "$app" -n PackageUser --framework net10.0 >/dev/null
  cat > "$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="CodeGenLstm" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML
  (cd "$app" && dotnet add package CodeGenLstm --version "$version" >/dev/null)
  cp "$repo/.ci/package/Program.cs" "$app/Program.cs"
  # As the README tells users: see the generated model.
  sed -i 's|<PropertyGroup>|<PropertyGroup>\n    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>|' "$app/PackageUser.csproj"

  echo "-- dotnet build"
  build_log="$work/build.log"
  (cd "$app" && dotnet build -c Release -nologo -clp:NoSummary) 2>&1 | tee "$build_log"
  # The warnings a user sees in the build output, each where Program.cs says: CGL1001 (gradient
  # stability, on the plain RNN's attribute) and CGL0014 (configuration), and nothing else.
  local rnn_line relu_line training_line
  rnn_line=$(grep -n '^\[Rnn(inputSize: 1, hiddenSize: 8)\]' "$app/Program.cs" | cut -d: -f1)
  relu_line=$(grep -n '^\[Rnn(inputSize: 4, hiddenSize: 256, Activation = Activation.Relu)\]' "$app/Program.cs" | cut -d: -f1)
  training_line=$(grep -n 'Training(SequenceLength = 12)' "$app/Program.cs" | cut -d: -f1)
  if ! grep -Eq "Program\.cs\($rnn_line,[0-9]+\): warning CGL1001" "$build_log"; then
    echo "expected warning CGL1001 at Program.cs line $rnn_line"; return 1
  fi
  # Without [Training]: the warning that needs no sequence length.
  if ! grep -Eq "Program\.cs\($relu_line,[0-9]+\): warning CGL1015" "$build_log"; then
    echo "expected warning CGL1015 at Program.cs line $relu_line"; return 1
  fi
  if ! grep -Eq "Program\.cs\($training_line,[0-9]+\): warning CGL0014" "$build_log"; then
    echo "expected warning CGL0014 at Program.cs line $training_line"; return 1
  fi
  if grep -E "warning CGL|error" "$build_log" | grep -v -E "Program\.cs\(($rnn_line|$relu_line|$training_line)," | grep -q .; then
    echo "unexpected diagnostics:"; grep -E "warning CGL|error" "$build_log" | grep -v -E "Program\.cs\(($rnn_line|$relu_line|$training_line),"; return 1
  fi
  echo "   CGL1001 at Program.cs line $rnn_line, CGL1015 at line $relu_line, CGL0014 at line $training_line, nothing else"
  python3 -c 'import sys, zipfile; names = zipfile.ZipFile(sys.argv[1]).namelist(); sys.exit(0 if "analyzers/dotnet/cs/CodeGenLstm.CodeFixes.dll" in names else 1)' "$nupkg" \
    || { echo "the package lacks the code fixes"; return 1; }
  local generated
  generated=$(find "$app/obj" -path '*generated/CodeGenLstm.Generators*' -name 'Echo*.g.cs' | head -n1)
  [ -n "$generated" ] || { echo "the generator did not run: no Echo*.g.cs under obj/"; return 1; }
  echo "   generated: ${generated#"$app"/} ($(wc -l < "$generated") lines)"

  echo "-- dotnet run"
  local output
  output=$(cd "$app" && dotnet run -c Release --no-build)
  echo "   $output"
  [[ "$output" == "package ok: "*", learned" ]]
)

START_PACKAGE=$(date +%s)
ci_check "NuGet package: pack, dotnet new console, restore from a folder feed, build (CGL1001, CGL1015 without [Training], CGL0014), run" package_test
echo "package test took $(( $(date +%s) - START_PACKAGE )) s"

if [ -n "${PACKAGE_STANDALONE:-}" ]; then ci_summary; [ "$CI_FAILED" -eq 0 ]; fi
