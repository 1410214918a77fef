using System;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace CodeGenLstm.Generators.Tests.Analyzers;

/// <summary>
/// The diagnostics as a user meets them: a small project outside the repository references the runtime
/// and the generator the way Directory.Build.targets does for UseCodeGenLstmGenerator (the generator as
/// an analyzer), is built with `dotnet build`, and the test reads the build output. Its .editorconfig
/// silences one id and raises another to an error, which only the real compiler pipeline applies.
/// </summary>
[Trait("Category", "Slow")]
public sealed class BuildOutputTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cgl-build-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static string RepoRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CodeGenLstm.sln"))) return dir.FullName;
        throw new InvalidOperationException("CodeGenLstm.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Release or Debug: the configuration this test assembly (and so the referenced projects) was built in.</summary>
    private static string Configuration() =>
        AppContext.BaseDirectory.Replace('\\', '/').Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    [Fact]
    public void TheWarningReachesTheBuildOutput()
    {
        string root = RepoRoot();
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "Sample.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{root}/src/CodeGenLstm/CodeGenLstm.csproj" />
                <ProjectReference Include="{root}/generators/CodeGenLstm.Generators/CodeGenLstm.Generators.csproj"
                                  OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(_directory, "Models.cs"), """
            using CodeGenLstm;

            namespace Sample;

            [Rnn(inputSize: 2, hiddenSize: 32)]
            [Dense(outputSize: 1, Readout = Readout.LastStep)]
            [Training(SequenceLength = 100, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, ClipNorm = 1f)]
            public partial class AddingRnn;

            [Lstm(inputSize: 8, hiddenSize: 16, ForgetBias = 0f)]
            [Training(SequenceLength = 20)]
            public partial class Leaky;

            [Gru(inputSize: 8, hiddenSize: 16, layers: 6)]
            public partial class Deep;

            public static class Use
            {
                public static int Parameters => AddingRnn.ParameterCount + Leaky.ParameterCount + Deep.ParameterCount;
            }
            """);
        File.WriteAllText(Path.Combine(_directory, ".editorconfig"), """
            root = true

            [*.cs]
            dotnet_diagnostic.CGL1011.severity = none
            dotnet_diagnostic.CGL1014.severity = error
            """);

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The referenced projects are already built (this test assembly references them); do not rebuild
        // them concurrently with the test run. No build servers are left behind.
        foreach (string argument in new[]
                 {
                     "build", "-c", Configuration(), "-p:BuildProjectReferences=false", "-p:UseSharedCompilation=false",
                     "-nodeReuse:false", "-nologo", "-v:minimal",
                 })
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        var output = new StringBuilder();
        using (var process = new Process { StartInfo = start })
        {
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("dotnet build did not finish in 5 minutes:\n" + output);
            }
            process.WaitForExit();
            string text = output.ToString();

            // The default severity: a warning with its message and numbers, on the attribute's line.
            Assert.Contains("Models.cs(5,2): warning CGL1001: 'rnn' is a plain tanh RNN over sequences of T = 100 steps (>= 50)", text, StringComparison.Ordinal);
            // Raised to an error in .editorconfig: the build fails on it.
            Assert.Contains("Models.cs(14,2): error CGL1014: 'Deep' stacks 6 recurrent layers, 6 of them without a residual connection (> 4)", text, StringComparison.Ordinal);
            Assert.NotEqual(0, process.ExitCode);
            // Silenced in .editorconfig.
            Assert.DoesNotContain("CGL1011", text, StringComparison.Ordinal);
            // Nothing else went wrong: the generated models compiled.
            Assert.DoesNotContain("error CS", text, StringComparison.Ordinal);
        }
    }
}
