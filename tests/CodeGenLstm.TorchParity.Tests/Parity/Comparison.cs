using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace CodeGenLstm.TorchParity.Tests.Parity;

public enum QuantityKind
{
    /// <summary>Output, h_n, c_n: bounded by an absolute difference.</summary>
    Forward,

    /// <summary>Parameter and input gradients: bounded relative to the element, with a floor relative to the tensor's largest element.</summary>
    Gradient,
}

/// <summary>How one quantity (an output, a state, one tensor's gradient) of ours compares with libtorch's.</summary>
/// <param name="MaxAbsolute">Largest |ours - torch| over the elements.</param>
/// <param name="Scale">Largest |torch| over the elements.</param>
/// <param name="MaxRelative">Largest |ours - torch| / |torch| over the elements with |torch| at least a tenth of Scale (where a relative error means something).</param>
/// <param name="WorstRatio">Largest difference over what the bound allows for that element: the quantity passes when this is at most 1.</param>
public sealed record QuantityResult(string Name, QuantityKind Kind, int Count, double MaxAbsolute, double Scale, double MaxRelative,
    double WorstRatio, string Worst)
{
    public bool Passed => WorstRatio <= 1 && !double.IsNaN(WorstRatio);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name} ({Kind}, {Count} values): max |diff| {MaxAbsolute:E2}, scale {Scale:E2}, max rel {MaxRelative:E2}, {WorstRatio:F3} of the bound{(Passed ? "" : "; worst " + Worst)}");
}

public static class Comparison
{
    /// <summary>Output or state: |ours - torch| within <see cref="Bounds.Forward"/> * max(1, |torch|).</summary>
    public static QuantityResult Forward(string name, ReadOnlySpan<float> ours, ReadOnlySpan<float> torch) =>
        Compare(name, QuantityKind.Forward, ours, torch, e => Bounds.Forward * Math.Max(1, Math.Abs(e)));

    /// <summary>
    /// A gradient: |ours - torch| within <see cref="Bounds.GradientRelative"/> * |torch| +
    /// <see cref="Bounds.GradientFloor"/> * <paramref name="cellScale"/> (the largest |torch gradient| of the
    /// tensor's cell, see <see cref="Bounds"/>).
    /// </summary>
    public static QuantityResult Gradient(string name, ReadOnlySpan<float> ours, ReadOnlySpan<float> torch, double cellScale)
    {
        double floor = Bounds.GradientFloor * Math.Max(cellScale, Bounds.GradientMinimumScale);
        return Compare(name, QuantityKind.Gradient, ours, torch, e => Bounds.GradientRelative * Math.Abs(e) + floor);
    }

    /// <summary>The cell of a tensor: its name without weight/bias and ih/hh ("lstm.weight_hh_l1_reverse" -> "lstm.*_l1_reverse").</summary>
    public static string CellOf(string tensorName) => Regex.Replace(tensorName, @"\.(weight|bias)(_ih|_hh)?", ".*");

    /// <summary>Largest |value| of each cell over the given gradients.</summary>
    public static Dictionary<string, double> CellScales(IEnumerable<(string Name, float[] Values)> gradients)
    {
        var scales = new Dictionary<string, double>();
        foreach ((string name, float[] values) in gradients)
        {
            string cell = CellOf(name);
            double largest = scales.GetValueOrDefault(cell);
            foreach (float v in values) largest = Math.Max(largest, Math.Abs(v));
            scales[cell] = largest;
        }

        return scales;
    }

    private static QuantityResult Compare(string name, QuantityKind kind, ReadOnlySpan<float> ours, ReadOnlySpan<float> torch,
        Func<double, double> allowed)
    {
        if (ours.Length != torch.Length)
            return new QuantityResult(name, kind, ours.Length, double.NaN, double.NaN, double.NaN, double.PositiveInfinity,
                $"{ours.Length} values against libtorch's {torch.Length}");

        double scale = 0;
        foreach (float e in torch) scale = Math.Max(scale, Math.Abs(e));
        double maxAbsolute = 0, maxRelative = 0, worstRatio = 0;
        string worst = "";
        for (int i = 0; i < ours.Length; i++)
        {
            double a = ours[i], e = torch[i];
            double difference = Math.Abs(a - e);
            if (double.IsNaN(difference)) difference = double.PositiveInfinity;
            maxAbsolute = Math.Max(maxAbsolute, difference);
            if (Math.Abs(e) >= 0.1 * scale && e != 0) maxRelative = Math.Max(maxRelative, difference / Math.Abs(e));
            double ratio = difference / allowed(e);
            if (ratio > worstRatio || double.IsNaN(ratio))
            {
                worstRatio = double.IsNaN(ratio) ? double.PositiveInfinity : ratio;
                worst = string.Create(CultureInfo.InvariantCulture, $"[{i}] ours {a:R}, libtorch {e:R}");
            }
        }

        return new QuantityResult(name, kind, ours.Length, maxAbsolute, scale, maxRelative, worstRatio, worst);
    }

    public static string Describe(IEnumerable<QuantityResult> results) => string.Join(Environment.NewLine, results.Select(r => "  " + r));
}
