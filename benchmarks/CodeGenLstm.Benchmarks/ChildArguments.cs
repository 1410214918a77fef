using System.Collections.Generic;
using System.Globalization;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// The command lines the first-call modes give their children, in one place, so that a test can
/// parse them back with <see cref="BenchmarkOptions"/>: the parent's words and the child's reading cannot drift apart.
/// A case is named exactly (<c>--only =NAME</c>); a streaming model by its whole name, which contains no other's.
/// </summary>
public static class ChildArguments
{
    /// <summary>A child of --first-calls: <paramref name="side"/> (ours, torch) in <paramref name="mode"/> (inference, training).</summary>
    public static string[] Grid(string side, string mode, int threads, string caseName) =>
        new[] { "--first-calls-child", side, mode, "--threads", Count(threads), "--only", "=" + caseName };

    /// <summary>A child of --precision's first calls; --lent passed on when the parent has it.</summary>
    public static string[] Precision(string path, int threads, string caseName, bool lent) =>
        WithLent(new List<string> { "--precision-child", path, "--threads", Count(threads), "--only", "=" + caseName }, lent);

    /// <summary>A child of --streaming's first calls; --lent passed on when the parent has it.</summary>
    public static string[] Streaming(string path, int threads, string model, bool lent) =>
        WithLent(new List<string> { "--streaming-child", path, "--threads", Count(threads), "--only", model }, lent);

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string[] WithLent(List<string> arguments, bool lent)
    {
        if (lent) arguments.Add("--lent");
        return arguments.ToArray();
    }
}
