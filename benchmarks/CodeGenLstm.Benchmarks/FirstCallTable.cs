using System;
using System.Collections.Generic;
using System.Globalization;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// The first-call table that --precision and --streaming print after their own: one row per case (or model) and path,
/// the child process's construction, (for --precision) quantisation, call 1 and calls 1 to 10 beside the steady state
/// the parent timed (its least time, from the table above it), all in milliseconds. Markdown, as docs/benchmarks.md
/// shows it.
/// </summary>
public sealed class FirstCallTable
{
    private readonly bool _quantise;

    /// <param name="first">The first column's name: "case", or "model" for streaming.</param>
    /// <param name="quantise">Whether the table has the quantise column (--precision: ours in bfloat16 and int8).</param>
    public FirstCallTable(string first, bool quantise)
    {
        _quantise = quantise;
        var columns = new List<string> { first, "path", "construct ms" };
        if (quantise) columns.Add("quantise ms");
        columns.AddRange(new[] { "call 1 ms", "calls 1-10 ms", "steady ms", "call 1 / steady" });
        Columns = columns;
    }

    /// <summary>The columns, in order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The header line and the alignment line (the two text columns left, numbers right).</summary>
    public string Header()
    {
        var alignment = new string[Columns.Count];
        for (int i = 0; i < alignment.Length; i++) alignment[i] = i < 2 ? "---" : "---:";
        return Line(Columns) + Environment.NewLine + Line(alignment);
    }

    /// <summary>
    /// One row. <paramref name="result"/> null: the child failed. <paramref name="notTimed"/> not null: the path was found
    /// wrong before timing and no child ran. <paramref name="steady"/>: the parent's least time in ms (NaN: none).
    /// </summary>
    public string Row(string name, string path, ChildResult? result, double steady, string? notTimed = null)
    {
        var cells = new List<string> { name, path };
        if (notTimed is not null || result is null)
        {
            cells.Add(notTimed ?? "failed");
            while (cells.Count < Columns.Count) cells.Add("");
            return Line(cells);
        }
        if (result.Wrong) cells[1] += " (WRONG result)";
        cells.Add(Figure(result.Construct));
        if (_quantise) cells.Add(Figure(result.Quantise));
        cells.Add(Figure(result.Calls.Count > 0 ? result.First : null));
        cells.Add(Figure(result.Calls.Count >= FirstCallTimer.Calls ? result.FirstTen : null));
        cells.Add(Figure(double.IsNaN(steady) ? null : steady));
        cells.Add(result.Calls.Count > 0 && steady > 0 ? (result.First / steady).ToString("F1", CultureInfo.InvariantCulture) + "x" : "");
        return Line(cells);
    }

    /// <summary>Three significant figures without an exponent (0.0266, 1.23, 412); empty when there is no value.</summary>
    public static string Figure(double? value)
    {
        if (value is not { } v || !double.IsFinite(v)) return "";
        double magnitude = Math.Abs(v);
        int decimals = magnitude == 0 ? 0 : Math.Clamp(2 - (int)Math.Floor(Math.Log10(magnitude)), 0, 6);
        return Math.Round(v, decimals).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static string Line(IEnumerable<string> cells) => "| " + string.Join(" | ", cells) + " |";
}
