using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// What a child process of the first-call modes measured, as one line of its standard output:
/// <c>RESULT key=value ...</c>, milliseconds, invariant culture, round-trip precision. Keys: <c>construct</c> (building
/// the model or the peer), <c>quantise</c> (the first reduced-precision quantisation), <c>calls</c> (each of the first
/// calls, in order, comma-separated), <c>steady</c> (a steady-state time), <c>check</c> (<c>right</c>, <c>wrong</c> or
/// <c>unchecked</c>: whether what was timed agreed with its oracle after timing). Every key is optional; a child prints
/// those it measured. The child prints, the parent parses: both sides are here, so that they cannot drift apart.
/// </summary>
public sealed record ChildResult
{
    public const string Prefix = "RESULT ";

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public double? Construct { get; init; }

    public double? Quantise { get; init; }

    public IReadOnlyList<double> Calls { get; init; } = Array.Empty<double>();

    public double? Steady { get; init; }

    public string Check { get; init; } = "unchecked";

    public bool Wrong => Check == "wrong";

    /// <summary>Call 1 (NaN when no call was timed).</summary>
    public double First => Calls.Count > 0 ? Calls[0] : double.NaN;

    /// <summary>Calls 1 to 10 together (NaN when fewer were timed).</summary>
    public double FirstTen => Calls.Count >= 10 ? Calls.Take(10).Sum() : double.NaN;

    /// <summary>The median of calls 3 to 9: two warm-up calls, then the median of seven, as a user times it (NaN when fewer were timed).</summary>
    public double MedianOfThreeToNine => Calls.Count >= 9 ? Calls.Skip(2).Take(7).OrderBy(t => t).ElementAt(3) : double.NaN;

    /// <summary>The line the child prints.</summary>
    public string Format()
    {
        var fields = new List<string>();
        if (Construct is { } construct) fields.Add("construct=" + construct.ToString("R", C));
        if (Quantise is { } quantise) fields.Add("quantise=" + quantise.ToString("R", C));
        if (Calls.Count > 0) fields.Add("calls=" + string.Join(",", Calls.Select(t => t.ToString("R", C))));
        if (Steady is { } steady) fields.Add("steady=" + steady.ToString("R", C));
        fields.Add("check=" + Check);
        return Prefix + string.Join(" ", fields);
    }

    /// <summary>
    /// The result in a child's standard output (its first line that starts with <see cref="Prefix"/>); null when there
    /// is none, or when it has an unknown key, a value that is not a finite number, or a check other than the three.
    /// </summary>
    public static ChildResult? Parse(string output)
    {
        string? line = output.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        if (line is null) return null;
        var result = new ChildResult();
        foreach (string field in line[Prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = field.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) return null;
            string key = field[..equals], value = field[(equals + 1)..];
            switch (key)
            {
                case "construct" when Number(value) is { } v: result = result with { Construct = v }; break;
                case "quantise" when Number(value) is { } v: result = result with { Quantise = v }; break;
                case "steady" when Number(value) is { } v: result = result with { Steady = v }; break;
                case "calls":
                    double?[] calls = value.Split(',').Select(Number).ToArray();
                    if (calls.Length == 0 || calls.Any(t => t is null)) return null;
                    result = result with { Calls = calls.Select(t => t!.Value).ToArray() };
                    break;
                case "check" when value is "right" or "wrong" or "unchecked": result = result with { Check = value }; break;
                default: return null;
            }
        }
        return result;
    }

    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, C, out double value) && double.IsFinite(value) ? value : null;
}
