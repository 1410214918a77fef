using System;
using System.Globalization;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// The first-call table that --precision and --streaming print after their own: one row per case (or model) and path,
/// the child process's construction, quantisation, call 1 and calls 1 to 10 beside the steady state the parent timed
/// (its least time, from the table above it), all in milliseconds. Markdown, as docs/benchmarks.md shows it.
/// </summary>
public static class FirstCallTable
{
    /// <summary>The columns, in order; the first is named by the caller ("case", or "model" for streaming).</summary>
    public static string[] Columns(string first) =>
        new[] { first, "path", "construct ms", "quantise ms", "call 1 ms", "calls 1-10 ms", "steady ms", "call 1 / steady" };

    /// <summary>The header line and the alignment line (text columns left, numbers right).</summary>
    public static string Header(string first)
    {
        string[] columns = Columns(first);
        string alignment = "| " + string.Join(" | ", Array.ConvertAll(columns, c => c is "path" || c == first ? "---" : "---:")) + " |";
        return "| " + string.Join(" | ", columns) + " |" + Environment.NewLine + alignment;
    }

    /// <summary>
    /// One row. <paramref name="result"/> null: the child failed. <paramref name="notTimed"/> not null: the path was found
    /// wrong before timing and no child ran. <paramref name="steady"/>: the parent's least time in ms (NaN: none).
    /// </summary>
    public static string Row(string name, string path, ChildResult? result, double steady, string? notTimed = null)
    {
        string[] cells = new string[Columns("").Length];
        cells[0] = name;
        cells[1] = path;
        if (notTimed is not null || result is null)
        {
            cells[2] = notTimed ?? "failed";
            for (int i = 3; i < cells.Length; i++) cells[i] = "";
        }
        else
        {
            if (result.Wrong) cells[1] += " (WRONG result)";
            cells[2] = Figure(result.Construct);
            cells[3] = Figure(result.Quantise);
            cells[4] = Figure(result.Calls.Count > 0 ? result.First : null);
            cells[5] = Figure(result.Calls.Count >= FirstCallTimer.Calls ? result.FirstTen : null);
            cells[6] = Figure(double.IsNaN(steady) ? null : steady);
            cells[7] = result.Calls.Count > 0 && steady > 0 ? (result.First / steady).ToString("F1", CultureInfo.InvariantCulture) + "x" : "";
        }
        return "| " + string.Join(" | ", cells) + " |";
    }

    /// <summary>Three significant figures without an exponent (0.0266, 1.23, 412); empty when there is no value.</summary>
    public static string Figure(double? value)
    {
        if (value is not { } v || !double.IsFinite(v)) return "";
        double magnitude = Math.Abs(v);
        int decimals = magnitude == 0 ? 0 : Math.Clamp(2 - (int)Math.Floor(Math.Log10(magnitude)), 0, 6);
        return Math.Round(v, decimals).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
