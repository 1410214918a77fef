using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace CodeGenLstm.Generators.Tests.Documentation;

/// <summary>One fenced code block of a Markdown file.</summary>
/// <param name="File">The file, relative to the repository root, with forward slashes.</param>
/// <param name="FenceLine">1-based line of the opening fence; the block's first line is FenceLine + 1.</param>
/// <param name="Language">The fence's info string (<c>csharp</c>, <c>bash</c>, empty, ...).</param>
/// <param name="Code">The lines between the fences, joined with '\n', the fence's indentation removed.</param>
/// <param name="Marker">The HTML comment on the nearest non-blank line above the fence, or null.</param>
internal sealed record CodeBlock(string File, int FenceLine, string Language, string Code, string? Marker)
{
    /// <summary>Where the block is, as a test case name and in failure messages: <c>README.md:11</c>.</summary>
    public string Id => $"{File}:{FenceLine}";

    public bool IsCSharp => Language is "csharp" or "cs" or "c#" or "C#";

    /// <summary>
    /// The block is not a program when the line above its fence says so: <c>&lt;!-- not a program: why --&gt;</c>.
    /// Every other C# block is a program, compiled exactly as written.
    /// </summary>
    public bool IsMarkedNotAProgram => Marker is not null && MarkdownCode.NotAProgram.IsMatch(Marker);

    public override string ToString() => Id;
}

/// <summary>
/// Reads the fenced code blocks of the user documentation: README.md, every Markdown file under docs/,
/// and the package's readme, src/CodeGenLstm/PACKAGE.md.
/// </summary>
internal static class MarkdownCode
{
    public static readonly string Root = FindRoot();

    /// <summary>The marker of a block that is not a program: a listing, a fragment, an excerpt. A reason is required.</summary>
    public static readonly Regex NotAProgram = new(@"^<!--\s*not a program:\s*\S.*-->$", RegexOptions.CultureInvariant);

    private static readonly Regex Fence = new(@"^(?<indent>\s*)(?<fence>`{3,}|~{3,})\s*(?<info>[^\s`]*)", RegexOptions.CultureInvariant);

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CodeGenLstm.sln"))) return dir.FullName;
        throw new InvalidOperationException("CodeGenLstm.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The user documentation, relative to the root, in a stable order.</summary>
    public static IReadOnlyList<string> Files()
    {
        var files = new List<string> { "README.md", "src/CodeGenLstm/PACKAGE.md" };
        files.AddRange(Directory.GetFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .OrderBy(f => f, StringComparer.Ordinal));
        return files;
    }

    public static IReadOnlyList<CodeBlock> Blocks(string file) => Parse(file, File.ReadAllText(Path.Combine(Root, file)));

    public static IReadOnlyList<CodeBlock> AllBlocks() => Files().SelectMany(Blocks).ToList();

    /// <summary>The fenced blocks of Markdown <paramref name="text"/>. An unclosed fence runs to the end, as CommonMark.</summary>
    public static IReadOnlyList<CodeBlock> Parse(string file, string text)
    {
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<CodeBlock>();
        for (int i = 0; i < lines.Length; i++)
        {
            Match open = Fence.Match(lines[i]);
            if (!open.Success) continue;
            string indent = open.Groups["indent"].Value, fence = open.Groups["fence"].Value;
            int end = i + 1;
            while (end < lines.Length && !IsClosing(lines[end], fence)) end++;
            var code = lines[(i + 1)..Math.Min(end, lines.Length)]
                .Select(l => l.StartsWith(indent, StringComparison.Ordinal) ? l[indent.Length..] : l.TrimStart());
            string? marker = null;
            for (int p = i - 1; p >= 0; p--)
            {
                string above = lines[p].Trim();
                if (above.Length == 0) continue;
                if (above.StartsWith("<!--", StringComparison.Ordinal)) marker = above;
                break;
            }
            blocks.Add(new CodeBlock(file, i + 1, open.Groups["info"].Value, string.Join("\n", code), marker));
            i = end;
        }
        return blocks;
    }

    private static bool IsClosing(string line, string fence)
    {
        string t = line.Trim();
        return t.Length >= fence.Length && t.All(c => c == fence[0]);
    }
}
