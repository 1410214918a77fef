using System;
using System.IO;
using System.Linq;

namespace CodeGenLstm.Onnx.Tests;

/// <summary>docs/onnx.md's node list of the sentiment model is what Describe prints today.</summary>
public sealed class DocumentationTests
{
    private const string Marker = "<!-- not a program: OnnxFile.Describe(new BiGru(), new OnnxExportOptions { VariableLengths = true }) -->";

    [Fact]
    public void TheSentimentModelsNodeListInTheDocsIsCurrent()
    {
        string docs = File.ReadAllText(Path.Combine(Root(), "docs", "onnx.md")).ReplaceLineEndings("\n");
        int marker = docs.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(marker >= 0, "docs/onnx.md has no node list marked " + Marker);
        int start = docs.IndexOf("```text\n", marker, StringComparison.Ordinal) + "```text\n".Length;
        int end = docs.IndexOf("```", start, StringComparison.Ordinal);
        string documented = docs[start..end];

        string current = OnnxFile.Describe(new Sentiment.BiGru(), new OnnxExportOptions { VariableLengths = true });

        Assert.Equal(current, documented);
    }

    internal static string Root()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (dir.GetFiles("CodeGenLstm.sln").Length > 0) return dir.FullName;
        throw new InvalidOperationException("CodeGenLstm.sln not found above " + AppContext.BaseDirectory);
    }
}
