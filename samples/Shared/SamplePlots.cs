using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ScottPlot;
using ScottPlot.Plottables;
using ScottPlot.TickGenerators;

namespace CodeGenLstm.Samples;

/// <summary>
/// What the samples' pictures share, so that they read well for a full run and for a quick one alike: a series
/// keeps a marker on each point while it has few (one point, as a quick run gives, is a marker and not an
/// invisible line), an axis that counts (epochs, steps, distances) has whole-number ticks only, and the axis
/// limits come from the data with a margin, a least span and the quantity's bounds (no negative count of
/// characters around a single point, no fractional epochs).
/// </summary>
public static class SamplePlots
{
    /// <summary>A series of more points than this is drawn as a line alone; fewer get a marker on each point.</summary>
    public const int MarkersUpTo = 30;

    /// <summary>
    /// A line through the points, with a marker on each while there are at most <paramref name="markersUpTo"/> of them
    /// (a curve sampled at every step passes 1: markers only on a lone point, which a line alone would not show).
    /// </summary>
    public static Scatter Series(Plot plot, double[] xs, double[] ys, string legend, Color color,
                                 MarkerShape marker = MarkerShape.FilledCircle, float lineWidth = 2.5f, float markerSize = 7,
                                 int markersUpTo = MarkersUpTo)
    {
        Scatter series = plot.Add.Scatter(xs, ys);
        series.LegendText = legend;
        series.Color = color;
        series.LineWidth = lineWidth;
        series.MarkerShape = marker;
        series.MarkerSize = xs.Length == 1 ? Math.Max(markerSize, 10) : xs.Length <= markersUpTo ? markerSize : 0;
        return series;
    }

    /// <summary>
    /// Sets the horizontal axis's limits around <paramref name="values"/> (see <see cref="Range"/>); with
    /// <paramref name="integer"/>, whole-number ticks only, or the ticks at <paramref name="ticksAt"/>.
    /// </summary>
    public static void FitX(Plot plot, IEnumerable<double> values, bool integer = false, double minSpan = 0,
                            double? floor = null, double? ceiling = null, double? include = null, IReadOnlyList<double>? ticksAt = null)
    {
        (double min, double max) = Range(values, integer, minSpan, floor, ceiling, include);
        plot.Axes.SetLimitsX(min, max);
        if (ticksAt is not null)
            plot.Axes.Bottom.TickGenerator = Manual(ticksAt);
        else if (integer)
            plot.Axes.Bottom.TickGenerator = Manual(IntegerTicks(min, max));
    }

    /// <summary>As <see cref="FitX"/>, for the vertical axis.</summary>
    public static void FitY(Plot plot, IEnumerable<double> values, bool integer = false, double minSpan = 0,
                            double? floor = null, double? ceiling = null, double? include = null)
    {
        (double min, double max) = Range(values, integer, minSpan, floor, ceiling, include);
        plot.Axes.SetLimitsY(min, max);
        if (integer)
            plot.Axes.Left.TickGenerator = Manual(IntegerTicks(min, max));
    }

    /// <summary>
    /// An axis range for <paramref name="values"/> (non-finite ones ignored), and <paramref name="include"/> if given:
    /// at least <paramref name="minSpan"/> wide, with a margin of 5% of the span (at least half a unit on an integer
    /// axis, so that a single value sits between two half units and the end points never on the frame),
    /// then cut to [<paramref name="floor"/>, <paramref name="ceiling"/>].
    /// </summary>
    public static (double Min, double Max) Range(IEnumerable<double> values, bool integer = false, double minSpan = 0,
                                                 double? floor = null, double? ceiling = null, double? include = null)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (include is double extra) finite.Add(extra);
        if (finite.Count == 0) finite.Add(floor ?? 0);
        double min = finite.Min(), max = finite.Max();
        if (max - min < minSpan)
        {
            double grow = minSpan - (max - min);
            // Grow away from a bound the data sits on (an accuracy of 1, a count of 0) rather than across it.
            double down = grow / 2, up = grow / 2;
            if (floor is double f && min - down < f) { down = Math.Max(0, min - f); up = grow - down; }
            if (ceiling is double c && max + up > c) { up = Math.Max(0, c - max); down = grow - up; }
            min -= down;
            max += up;
        }
        if (max - min <= 0 && !integer)
        {
            // A single value and no least span: a tenth of its size either way (or 1 around 0).
            double half = min == 0 ? 1 : Math.Abs(min) / 10;
            min -= half;
            max += half;
        }
        double margin = (max - min) * 0.05;
        if (integer) margin = Math.Max(margin, 0.5);
        min -= margin;
        max += margin;
        if (floor is double lo) min = Math.Max(min, lo);
        if (ceiling is double hi) max = Math.Min(max, hi);
        return (min, max);
    }

    /// <summary>Whole-number ticks between <paramref name="min"/> and <paramref name="max"/>, every 1, 2, 5, 10, 20, 50, ... so that there are at most 12.</summary>
    public static double[] IntegerTicks(double min, double max)
    {
        double step = 1;
        for (int k = 0; (max - min) / step > 12; k++)
            step = (k % 3) switch { 0 => 2, 1 => 5, _ => 10 } * Math.Pow(10, k / 3);
        var ticks = new List<double>();
        for (double t = Math.Ceiling(min / step) * step; t <= max; t += step)
            ticks.Add(t == 0 ? 0 : t);   // not -0
        return ticks.ToArray();
    }

    private static NumericManual Manual(IEnumerable<double> positions)
    {
        var ticks = new NumericManual();
        foreach (double p in positions)
            ticks.AddMajor(p, p.ToString("0.###", CultureInfo.InvariantCulture));
        return ticks;
    }
}
