using System;
using System.Linq;
using CodeGenLstm.Samples;
using ScottPlot;

namespace LongRange;

/// <summary>The sample's two pictures, drawn with ScottPlot (axes and series through the samples' <see cref="SamplePlots"/>).</summary>
internal static class LongRangePlots
{
    private static readonly Color LstmColor = new(0x1f, 0x77, 0xb4), RnnColor = new(0xd6, 0x27, 0x28);

    // A quick run's picture says so, on a second line: its models are too short-trained to show the story.
    private static string QuickNote(bool quick) => quick ? "\nquick run (--quick): too few updates to learn" : "";

    /// <summary>||dL/dh_t|| / ||dL/dh_T|| against t on a logarithmic axis.</summary>
    public static void GradientFlow(string path, string[] names, double[][] flows, int steps, bool quick)
    {
        var plot = new Plot();
        double[] xs = new double[steps];
        for (int t = 0; t < steps; t++) xs[t] = t + 1;
        var allYs = new System.Collections.Generic.List<double>();
        for (int p = 0; p < names.Length; p++)
        {
            // A norm that underflowed float's range (below about 1e-38) is 0: the line stops there.
            int first = steps - 1;
            while (first > 0 && flows[p][first - 1] > 0) first--;
            double[] ys = new double[steps - first];
            for (int t = first; t < steps; t++) ys[t - first] = Math.Log10(flows[p][t]);
            allYs.AddRange(ys);
            bool lstm = names[p].StartsWith("LSTM", StringComparison.Ordinal);
            var line = SamplePlots.Series(plot, xs[first..], ys, names[p], lstm ? LstmColor : RnnColor, lstm ? MarkerShape.FilledCircle : MarkerShape.FilledSquare, markersUpTo: 1);
            if (names[p].Contains("initial", StringComparison.Ordinal)) line.LinePattern = LinePattern.Dashed;
        }
        SamplePlots.FitX(plot, xs, integer: true, ticksAt: [1, .. Enumerable.Range(1, steps / 10).Select(k => 10.0 * k)]);
        SamplePlots.FitY(plot, allYs, minSpan: 2);
        var ticks = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => y == 0 ? "1" : $"1e{y:0}",
        };
        plot.Axes.Left.TickGenerator = ticks;
        plot.Title($"Gradient flow: the share of the loss's gradient that reaches step t (adding problem, T = {steps}){QuickNote(quick)}");
        plot.XLabel("step t  (a line ends where the norm underflows float's range to 0)");
        plot.YLabel("||dL/dh_t|| / ||dL/dh_T||");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 1000, 560);
    }

    /// <summary>Accuracy against distance for both tasks, side by side.</summary>
    public static void Accuracy(string path, int[] lengths, double[] addingLstm, double[] addingRnn,
                                int[] distances, double[] agreementLstm, double[] agreementRnn, bool quick)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        Panel(multiplot.GetPlot(0), $"Adding problem: solved within 0.04{QuickNote(quick)}", "sequence length T", lengths, addingLstm, addingRnn, chance: null);
        Panel(multiplot.GetPlot(1), $"Subject-verb agreement: accuracy{QuickNote(quick)}", "words between subject and verb", distances, agreementLstm, agreementRnn, chance: 0.5);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        multiplot.SavePng(path, 1200, 480);
    }

    private static void Panel(Plot plot, string title, string xLabel, int[] xs, double[] lstm, double[] rnn, double? chance)
    {
        double[] x = Array.ConvertAll(xs, v => (double)v);
        // The LSTM's line is drawn wider, under the RNN's: where both are right (1.0) both stay visible.
        SamplePlots.Series(plot, x, lstm, "LSTM", LstmColor, MarkerShape.FilledCircle, lineWidth: 5, markerSize: 11);
        SamplePlots.Series(plot, x, rnn, "RNN", RnnColor, MarkerShape.FilledSquare, lineWidth: 2, markerSize: 6);
        if (chance is double c)
        {
            var line = plot.Add.HorizontalLine(c);
            line.LinePattern = LinePattern.Dotted;
            line.Color = Colors.Gray;
            line.LegendText = "chance";
        }
        // The distances trained and tested are the ticks; the share right runs from 0 to 1 whatever the data.
        SamplePlots.FitX(plot, x, integer: true, ticksAt: x);
        plot.Axes.SetLimitsY(-0.03, 1.05);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("share right");
        plot.ShowLegend(Edge.Bottom);
    }
}
