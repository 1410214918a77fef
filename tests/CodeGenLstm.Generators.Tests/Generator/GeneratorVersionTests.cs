using System.IO;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using CodeGenLstm.Generators.Emitting;

namespace CodeGenLstm.Generators.Tests.Generator;

/// <summary>
/// The version written into every generated file ([GeneratedCode] and the header) is the version of the
/// packages that ship the generator: a user who reads a generated file learns which package wrote it.
/// </summary>
public class GeneratorVersionTests
{
    private static string Repository([CallerFilePath] string testFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(testFile)!, "..", "..", ".."));

    private static string DefaultVersion(string projectFile)
    {
        string text = File.ReadAllText(Path.Combine(Repository(), projectFile));
        Match match = Regex.Match(text, @"<Version Condition=""'\$\(Version\)' == ''"">([^<]+)</Version>");
        Assert.True(match.Success, $"{projectFile} has no default <Version>.");
        return match.Groups[1].Value;
    }

    [Theory]
    [InlineData("src/CodeGenLstm/Packaging.targets")]
    [InlineData("src/CodeGenLstm.Onnx/CodeGenLstm.Onnx.csproj")]
    public void GeneratedFilesNameThePackageVersion(string projectFile) =>
        Assert.Equal(ModelEmitter.Version, DefaultVersion(projectFile));
}
