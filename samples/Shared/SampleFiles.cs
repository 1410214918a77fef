using System;
using System.IO;

namespace CodeGenLstm.Samples;

/// <summary>Where samples write their pictures and checkpoints, and where they find the shared data sets.</summary>
public static class SampleFiles
{
    /// <summary>Creates (if needed) and returns the output folder.</summary>
    public static string OutputFolder(string? given, string sample)
    {
        string folder = Path.GetFullPath(given ?? Path.Combine("out", sample));
        Directory.CreateDirectory(folder);
        return folder;
    }

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
