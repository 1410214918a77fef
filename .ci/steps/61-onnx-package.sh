# The ONNX package as a user meets it: pack CodeGenLstm and CodeGenLstm.Onnx at one fresh version, create a
# console project with `dotnet new console`, add CodeGenLstm.Onnx from a local folder feed (it brings
# CodeGenLstm, OnnxSharp and Google.Protobuf), build .ci/package-onnx/Program.cs, which exports a model and
# reads it back, and run it. Sourced by .ci/run; also runs alone: bash .ci/steps/61-onnx-package.sh

if [ -z "${CI_RESULTS+x}" ]; then   # run alone
  cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
  source .ci/lib.sh
  ONNX_PACKAGE_STANDALONE=1
fi

onnx_package_test() (
  set -euo pipefail
  local repo work version feed app
  repo=$(pwd)
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  version="0.1.0-ci.$(date +%s)"      # a version no cache has seen
  feed="$work/feed"; app="$work/app"
  export NUGET_PACKAGES="$work/nuget-packages"   # nothing from ~/.nuget/packages can stand in for the packages under test
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

  echo "-- dotnet pack CodeGenLstm and CodeGenLstm.Onnx (version $version)"
  dotnet pack "$repo/src/CodeGenLstm" -c Release -o "$feed" -p:Version="$version" -v:q -nologo
  dotnet pack "$repo/src/CodeGenLstm.Onnx" -c Release -o "$feed" -p:Version="$version" -v:q -nologo
  python3 - "$feed/CodeGenLstm.Onnx.$version.nupkg" "$version" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
nuspec = z.read("CodeGenLstm.Onnx.nuspec").decode("utf-8")
if "lib/net10.0/CodeGenLstm.Onnx.dll" not in names: sys.exit("lib/net10.0/CodeGenLstm.Onnx.dll missing")
for dependency in (f'id="CodeGenLstm" version="{sys.argv[2]}"', 'id="OnnxSharp"', 'id="Google.Protobuf"'):
    if dependency not in nuspec: sys.exit(f"the package must depend on {dependency}:\n{nuspec}")
print("   contents and dependencies as expected")
PY

  echo "-- dotnet new console"
  dotnet new console -o "$app" -n OnnxUser --framework net10.0 >/dev/null
  cat > "$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="CodeGenLstm" /><package pattern="CodeGenLstm.Onnx" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML
  (cd "$app" && dotnet add package CodeGenLstm.Onnx --version "$version" >/dev/null)
  cp "$repo/.ci/package-onnx/Program.cs" "$app/Program.cs"

  echo "-- dotnet build"
  (cd "$app" && dotnet build -c Release -nologo -clp:NoSummary -warnaserror)
  echo "-- dotnet run"
  local output
  output=$(cd "$app" && dotnet run -c Release --no-build)
  echo "   $output"
  [[ "$output" == "onnx package ok: "*", read back exactly" ]]
)

ci_check "NuGet package CodeGenLstm.Onnx: pack both, dotnet new console, build, export and read back" onnx_package_test

if [ -n "${ONNX_PACKAGE_STANDALONE:-}" ]; then ci_summary; [ "$CI_FAILED" -eq 0 ]; fi
