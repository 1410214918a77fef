using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;

namespace CodeGenLstm.Generators.Tests.Documentation;

/// <summary>A link of a Markdown file to another file of the repository.</summary>
/// <param name="Line">1-based line of the link.</param>
/// <param name="Target">The target as written, fragment included (<c>../api.md#losses</c>).</param>
internal sealed record RelativeLink(int Line, string Target)
{
    /// <summary>The path part of the target: no fragment, no query, percent-escapes decoded.</summary>
    public string FilePath
    {
        get
        {
            int end = Target.IndexOfAny(['#', '?']);
            return Uri.UnescapeDataString(end < 0 ? Target : Target[..end]);
        }
    }
}

/// <summary>
/// Finds the relative links of a Markdown text, as a reader clicks them: inline links and images
/// (<c>[text](target "title")</c>, <c>![alt](target)</c>) and reference definitions (<c>[id]: target</c>).
/// Text inside fenced code blocks and inline code spans is not a link; neither are absolute URLs
/// (<c>https:</c>, <c>mailto:</c>) or links within the page (<c>#section</c>).
/// </summary>
internal static class MarkdownLinks
{
    private static readonly Regex Fence = new(@"^\s*(`{3,}|~{3,})", RegexOptions.CultureInvariant);

    // Inline code spans: a run of backticks, then anything up to the same run (CommonMark).
    private static readonly Regex CodeSpan = new(@"(`+)(?:(?!\1).)+?\1", RegexOptions.CultureInvariant);

    // [text](target) or [text](<target>) with an optional title; the text may hold one level of brackets (an image in a link).
    private static readonly Regex Inline = new(
        @"\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(?:<(?<target>[^>]*)>|(?<target>[^)\s]+))(?:\s+(?:""[^""]*""|'[^']*'|\([^)]*\)))?\s*\)",
        RegexOptions.CultureInvariant);

    private static readonly Regex Definition = new(@"^ {0,3}\[[^\]]+\]:\s*(?:<(?<target>[^>]*)>|(?<target>\S+))", RegexOptions.CultureInvariant);

    private static readonly Regex Scheme = new(@"^[A-Za-z][A-Za-z0-9+.\-]*:", RegexOptions.CultureInvariant);

    public static IReadOnlyList<RelativeLink> Find(string text)
    {
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var links = new List<RelativeLink>();
        string? openFence = null;
        for (int i = 0; i < lines.Length; i++)
        {
            Match fence = Fence.Match(lines[i]);
            if (openFence is null && fence.Success)
            {
                openFence = fence.Groups[1].Value;
                continue;
            }
            if (openFence is not null)
            {
                string t = lines[i].Trim();
                if (t.Length >= openFence.Length && t.Trim(openFence[0]).Length == 0) openFence = null;
                continue;
            }
            string prose = CodeSpan.Replace(lines[i], "");
            foreach (Match m in Inline.Matches(prose)) Add(links, i + 1, m.Groups["target"].Value);
            Match definition = Definition.Match(prose);
            if (definition.Success) Add(links, i + 1, definition.Groups["target"].Value);
        }
        return links;
    }

    /// <summary>
    /// The links of <paramref name="file"/> (relative to <paramref name="root"/>) that do not name a file or folder
    /// of the repository, as <c>docs/api.md:12: ../missing.md</c>. A link that leaves the repository is missing too.
    /// </summary>
    public static IEnumerable<string> Broken(string root, string file, string text)
    {
        string folder = Path.GetDirectoryName(Path.Combine(root, file))!;
        string fullRoot = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        foreach (RelativeLink link in Find(text))
        {
            string path = link.FilePath;
            // A leading slash is the repository's root, as on the forge that renders these pages.
            string full = Path.GetFullPath(path.StartsWith('/') ? Path.Combine(root, path.TrimStart('/')) : Path.Combine(folder, path));
            bool inside = (full + Path.DirectorySeparatorChar).StartsWith(fullRoot, StringComparison.Ordinal);
            if (!inside || !(File.Exists(full) || Directory.Exists(full)))
                yield return $"{file}:{link.Line}: {link.Target}";
        }
    }

    private static void Add(List<RelativeLink> links, int line, string target)
    {
        if (target.Length == 0 || target.StartsWith('#') || Scheme.IsMatch(target)) return;
        links.Add(new RelativeLink(line, target));
    }
}
