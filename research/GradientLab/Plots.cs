using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CodeGenLstm;

namespace GradientLab;

/// <summary>
/// The analyzers' quantities at initialisation, as docs/diagnostics/README.md ("The quantities") states them and
/// generators/CodeGenLstm.Generators/Analyzers/RecurrentSpectrum.cs computes them.
/// </summary>
public static class Predicted
{
    public static double Rho(LabConfig c) => c.Init switch
    {
        RecurrentInit.XavierUniform => c.InitGain * Math.Sqrt(2.0 / (Gates(c) + 1)),
        RecurrentInit.Orthogonal or RecurrentInit.Identity => c.InitGain,
        _ => c.InitGain / Math.Sqrt(3),
    };

    public static double SigmaMax(LabConfig c) => c.Init switch
    {
        RecurrentInit.XavierUniform => 2 * Rho(c),
        RecurrentInit.Orthogonal or RecurrentInit.Identity => c.InitGain,
        _ => 2 * c.InitGain / Math.Sqrt(3),
    };

    public static double Gamma(LabConfig c) => c.Cell == Cell.RnnSigmoid ? 0.25 : 1.0;

    /// <summary>sigma(b_f): the fraction of the LSTM cell kept per step at initialisation.</summary>
    public static double ForgetKeep(LabConfig c) => 1 / (1 + Math.Exp(-c.ForgetBias));

    private static int Gates(LabConfig c) => c.Cell switch { Cell.Lstm => 4, Cell.Gru => 3, _ => 1 };

    public static bool IsPlainRnn(LabConfig c) => c.Cell is Cell.RnnTanh or Cell.RnnRelu or Cell.RnnSigmoid;
}

public static class Plots
{
    /// <summary>The axes' upper end: larger measured ratios (explosions) are drawn at it.</summary>
    public const double Cap = 2.5;

    /// <summary>
    /// Measured per-step decay ratio of ||dL/dh_t|| at initialisation (GradientFlow on the first update of the
    /// adding problem, median over seeds) against the analyzers' predicted per-step factor.
    /// </summary>
    public static void DecayPlot(IReadOnlyList<RunResult> results, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var perConfig = results.Where(r => r.Task == TaskKind.Adding && double.IsFinite(r.InitialDecay))
            .GroupBy(r => r.Config.Id)
            .Select(g => (Config: g.First().Config, Measured: Median(g.Select(r => r.InitialDecay))))
            .ToList();
        double Clamp(double v) => Math.Min(Cap, v);

        var plot = new ScottPlot.Plot();
        void Series(string legend, IEnumerable<(double X, double Y)> points, ScottPlot.Color color, ScottPlot.MarkerShape shape)
        {
            var list = points.ToList();
            if (list.Count == 0) return;
            var scatter = plot.Add.Scatter(list.Select(p => Clamp(p.X)).ToArray(), list.Select(p => Clamp(p.Y)).ToArray());
            scatter.LineWidth = 0;
            scatter.MarkerSize = 9;
            scatter.MarkerShape = shape;
            scatter.Color = color;
            scatter.LegendText = legend;
        }
        var rnn = perConfig.Where(p => Predicted.IsPlainRnn(p.Config)).ToList();
        Series("plain RNN: gamma * sigma_max (Pascanu bound; CGL1003, CGL1004, CGL1008)",
            rnn.Select(p => (Predicted.Gamma(p.Config) * Predicted.SigmaMax(p.Config), p.Measured)), ScottPlot.Colors.OrangeRed, ScottPlot.MarkerShape.FilledCircle);
        Series("plain RNN: gamma * rho (long-run rate; CGL1005, CGL1007)",
            rnn.Select(p => (Predicted.Gamma(p.Config) * Predicted.Rho(p.Config), p.Measured)), ScottPlot.Colors.SteelBlue, ScottPlot.MarkerShape.OpenCircle);
        Series("LSTM: sigma(b_f) (forget gate at init; CGL1011, CGL1012)",
            perConfig.Where(p => p.Config.Cell == Cell.Lstm).Select(p => (Predicted.ForgetKeep(p.Config), p.Measured)), ScottPlot.Colors.SeaGreen, ScottPlot.MarkerShape.FilledSquare);
        var diagonal = plot.Add.Line(0, 0, Cap, Cap);
        diagonal.LineColor = ScottPlot.Colors.Gray;
        diagonal.LinePattern = ScottPlot.LinePattern.Dashed;
        diagonal.LegendText = "measured = predicted";
        plot.Title("Gradient flow at initialisation: measured vs the analyzers' prediction (adding problem)");
        plot.XLabel("predicted per-step factor of ||dL/dh_t|| going back in time");
        plot.YLabel("measured per-step decay ratio (GradientFlow, first update)");
        plot.Axes.SetLimits(0, Cap, 0, Cap);
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.SavePng(path, 1100, 800);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : 0.5 * (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]);
    }
}
