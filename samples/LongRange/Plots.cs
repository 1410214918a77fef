using System;
using ScottPlot;

namespace LongRange;

/// <summary>The sample's two pictures, drawn with ScottPlot.</summary>
internal static class LongRangePlots
{
    private static readonly Color LstmColor = new(0x1f, 0x77, 0xb4), RnnColor = new(0xd6, 0x27, 0x28);

    /// <summary>||dL/dh_t|| / ||dL/dh_T|| against t on a logarithmic axis.</summary>
    public static void GradientFlow(string path, string[] names, double[][] flows, int steps)
    {
        var plot = new Plot();
        double[] xs = new double[steps];
        for (int t = 0; t < steps; t++) xs[t] = t + 1;
        for (int p = 0; p < names.Length; p++)
        {
            // A norm that underflowed float's range (below about 1e-38) is 0: the line stops there.
            int first = steps - 1;
            while (first > 0 && flows[p][first - 1] > 0) first--;
            double[] ys = new double[steps - first];
            for (int t = first; t < steps; t++) ys[t - first] = Math.Log10(flows[p][t]);
            var line = plot.Add.Scatter(xs[first..], ys);
            line.LegendText = names[p];
            line.MarkerSize = 0;
            line.LineWidth = 2.5f;
            line.Color = names[p].StartsWith("LSTM", StringComparison.Ordinal) ? LstmColor : RnnColor;
            if (names[p].Contains("initial", StringComparison.Ordinal)) line.LinePattern = LinePattern.Dashed;
        }
        var ticks = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => y == 0 ? "1" : $"1e{y:0}",
        };
        plot.Axes.Left.TickGenerator = ticks;
        plot.Title($"Gradient flow: the share of the loss's gradient that reaches step t (adding problem, T = {steps})");
        plot.XLabel("step t");
        plot.YLabel("||dL/dh_t|| / ||dL/dh_T||  (a line ends where it underflows to 0)");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 1000, 560);
    }

    /// <summary>Accuracy against distance for both tasks, side by side.</summary>
    public static void Accuracy(string path, int[] lengths, double[] addingLstm, double[] addingRnn,
                                int[] distances, double[] agreementLstm, double[] agreementRnn)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        Panel(multiplot.GetPlot(0), "Adding problem: solved within 0.04", "sequence length T", lengths, addingLstm, addingRnn, chance: null);
        Panel(multiplot.GetPlot(1), "Subject-verb agreement: accuracy", "words between subject and verb", distances, agreementLstm, agreementRnn, chance: 0.5);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        multiplot.SavePng(path, 1200, 480);
    }

    private static void Panel(Plot plot, string title, string xLabel, int[] xs, double[] lstm, double[] rnn, double? chance)
    {
        double[] x = Array.ConvertAll(xs, v => (double)v);
        var a = plot.Add.Scatter(x, lstm);
        a.LegendText = "LSTM";
        a.Color = LstmColor;
        a.LineWidth = 2.5f;
        a.MarkerSize = 7;
        var b = plot.Add.Scatter(x, rnn);
        b.LegendText = "RNN";
        b.Color = RnnColor;
        b.LineWidth = 2.5f;
        b.MarkerSize = 7;
        if (chance is double c)
        {
            var line = plot.Add.HorizontalLine(c);
            line.LinePattern = LinePattern.Dotted;
            line.Color = Colors.Gray;
            line.LegendText = "chance";
        }
        plot.Axes.SetLimitsY(0, 1.05);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("share right");
        plot.ShowLegend(Alignment.LowerLeft);
    }
}
