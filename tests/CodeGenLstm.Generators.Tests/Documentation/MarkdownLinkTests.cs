using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace CodeGenLstm.Generators.Tests.Documentation;

/// <summary>
/// Every relative link of the documentation (README.md, DEVELOPERS.md, docs/**/*.md) and of the research result
/// pages it links to (research/**/*.md) names a file or folder of the repository: a page moved or renamed
/// without its links fails here, naming each link.
/// </summary>
public class MarkdownLinkTests
{
    private static IReadOnlyList<string> Files()
    {
        var files = new List<string> { "README.md", "DEVELOPERS.md" };
        foreach (string folder in new[] { "docs", "research" })
            files.AddRange(Directory.GetFiles(Path.Combine(MarkdownCode.Root, folder), "*.md", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(MarkdownCode.Root, f).Replace('\\', '/'))
                .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
                .OrderBy(f => f, StringComparer.Ordinal));
        return files;
    }

    [Fact]
    public void EveryRelativeLinkNamesAFileOfTheRepository()
    {
        IReadOnlyList<string> files = Files();
        Assert.Contains("docs/diagnostics/validation.md", files);
        List<string> broken = files
            .SelectMany(f => MarkdownLinks.Broken(MarkdownCode.Root, f, File.ReadAllText(Path.Combine(MarkdownCode.Root, f))))
            .ToList();
        Assert.True(broken.Count == 0, "Links to files that do not exist:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void TheCheckReportsBrokenLinksAndOnlyThose()
    {
        // docs/diagnostics/validation.md stands for the page: its folder is where relative links start.
        const string page = """
            # A page
            A [good link](../api.md#losses), a [folder](../images), [the index](README.md), [root](/DEVELOPERS.md).
            A [missing page](missing.md) and ![a missing image](../images/none.png "title").
            [A link out of the repository](../../../outside.md), [the web](https://example.com/a.md), [here](#a-page).
            Code is not a link: `[x](nothere.md)`.

            ```markdown
            [y](nothere-either.md)
            ```

            [reference]: ../gone.md
            """;
        List<string> broken = MarkdownLinks.Broken(MarkdownCode.Root, "docs/diagnostics/validation.md", page).ToList();
        Assert.Equal(new[]
        {
            "docs/diagnostics/validation.md:3: missing.md",
            "docs/diagnostics/validation.md:3: ../images/none.png",
            "docs/diagnostics/validation.md:4: ../../../outside.md",
            "docs/diagnostics/validation.md:11: ../gone.md",
        }, broken);
    }
}
