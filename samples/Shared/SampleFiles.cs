using System;
using System.IO;

namespace CodeGenLstm.Samples;

/// <summary>Where samples write their pictures and checkpoints, and where they find the shared data sets.</summary>
public static class SampleFiles
{
    /// <summary>
    /// Creates (if needed) and returns the output folder: <paramref name="given"/> (--out), else out/SAMPLE, or
    /// out/SAMPLE/quick for a quick run, so that a quick run never overwrites a full run's pictures or checkpoint.
    /// </summary>
    public static string OutputFolder(string? given, string sample, bool quick)
    {
        string folder = Path.GetFullPath(given ?? DefaultFolder(sample, quick));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The default output folder, relative to the current folder: out/SAMPLE, or out/SAMPLE/quick.</summary>
    public static string DefaultFolder(string sample, bool quick) =>
        quick ? Path.Combine("out", sample, "quick") : Path.Combine("out", sample);

    /// <summary>
    /// A path relative to the current folder as it was given, else the shortest way to show it: relative
    /// when under the current folder.
    /// </summary>
    public static string Show(string path)
    {
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
