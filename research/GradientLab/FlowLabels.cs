using System;

namespace GradientLab;

/// <summary>What the gradients of one unit did: the ratio r = ||dL/dh_0|| / ||dL/dh_(T-1)|| and the global norm before clipping, at update 1 and after 20 updates.</summary>
public sealed record FlowMeasurement(double RatioAtStart, double RatioAfter, double NormAtStart, double NormAfter, bool NonFinite);

/// <summary>The label rule of gradient-validation.md ("Label"), fixed before the run.</summary>
public static class FlowLabels
{
    public const string Exploded = "exploded";
    public const string Vanished = "vanished";
    public const string Healthy = "healthy";

    /// <summary>Updates between the two measurements.</summary>
    public const int Updates = 20;

    public const double VanishedRatio = 1e-3;
    public const double ExplodedRatio = 1e3;
    public const double ExplodedNormGrowth = 1e3;

    public static bool IsPositive(string label) => label is Exploded or Vanished;

    public static string Label(FlowMeasurement m)
    {
        if (m.NonFinite || !double.IsFinite(m.RatioAtStart) || !double.IsFinite(m.RatioAfter) || !double.IsFinite(m.NormAtStart) || !double.IsFinite(m.NormAfter))
            return Exploded;
        if (m.NormAtStart > 0 && m.NormAfter > ExplodedNormGrowth * m.NormAtStart) return Exploded;
        if (m.RatioAtStart > ExplodedRatio || m.RatioAfter > ExplodedRatio) return Exploded;
        if (m.RatioAtStart < VanishedRatio && m.RatioAfter < VanishedRatio) return Vanished;
        return Healthy;
    }

    /// <summary>r from a profile of step norms (oldest first); 0 when the last step's norm is 0 and the first is too.</summary>
    public static double Ratio(ReadOnlySpan<float> stepNorms)
    {
        if (stepNorms.Length < 2) return double.NaN;
        double first = stepNorms[0], last = stepNorms[^1];
        if (last == 0) return first == 0 ? 0 : double.PositiveInfinity;
        return first / last;
    }
}
