using System;

namespace CodeGenLstm.Onnx.Tests.Harness;

/// <summary>
/// Elementwise agreement of two float32 computations of the same function: |ours - peer| &lt;= Absolute +
/// Relative * |peer|. Both sides round each product and sum to float32 in different orders (our vector kernels
/// with or without FMA, ONNX Runtime's MLAS); through a few steps and layers of tanh/sigmoid cells such
/// differences stay a few ulps of values of order 1, so 2e-6 absolute + 2e-6 relative (about 17 ulps at 1)
/// leaves room for the rounding while any wrong weight, gate or step (changes of 1e-3 and more) fails.
/// </summary>
public static class Agreement
{
    public const double Absolute = 2e-6, Relative = 2e-6;

    /// <summary>Null when every element agrees, else the worst element, for the assertion message.</summary>
    public static string? Disagreement(ReadOnlySpan<float> ours, ReadOnlySpan<float> peer, out double worstExcess)
    {
        worstExcess = 0;
        if (ours.Length != peer.Length) return $"{peer.Length} values, ours {ours.Length}";
        string? message = null;
        for (int i = 0; i < ours.Length; i++)
        {
            double difference = Math.Abs((double)ours[i] - peer[i]), bound = Absolute + Relative * Math.Abs(peer[i]);
            double excess = difference / bound;
            if (!(excess <= worstExcess)) // NaN counts as the worst
            {
                worstExcess = double.IsNaN(excess) ? double.PositiveInfinity : excess;
                if (excess > 1 || double.IsNaN(excess)) message = $"element {i}: ours {ours[i]:R}, ONNX Runtime {peer[i]:R}, difference {difference:E2} > bound {bound:E2}";
            }
        }
        return message;
    }
}
