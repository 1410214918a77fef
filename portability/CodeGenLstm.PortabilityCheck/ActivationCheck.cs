using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;

namespace CodeGenLstm.PortabilityCheck;

/// <summary>
/// The gate nonlinearities alone: the vector forms of <see cref="Activations"/> at each accelerated width against
/// their scalar forms (MathF, i.e. this platform's C library) on a dense grid and at the edges of the float range.
/// Activations.cs promises an absolute difference below 1e-6 everywhere; a failure here points at the vector
/// exponential of this platform rather than at a kernel.
/// </summary>
internal static class ActivationCheck
{
    public const double Tolerance = 1e-6;

    /// <summary>The grid: [-30, 30] in steps of 2^-12 (245,761 points), then special values.</summary>
    public static float[] Points()
    {
        var points = new List<float>();
        for (int i = -30 * 4096; i <= 30 * 4096; i++) points.Add(i / 4096f);
        points.AddRange([0f, -0f, float.Epsilon, -float.Epsilon, 1e-30f, -1e-30f, 44f, -44f, 87.5f, -87.5f, 88.8f, -88.8f,
                         89f, -89f, 104f, -104f, 1e10f, -1e10f, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity]);
        while (points.Count % 16 != 0) points.Add(0.5f);
        return [.. points];
    }

    /// <summary>
    /// Max |vector - scalar| / tolerance over the points for sigmoid and tanh at <paramref name="width"/> bits (infinite when a
    /// result is NaN), and the first point out of tolerance (-1: none). <paramref name="offset"/> is added to the vector results (--perturb).
    /// </summary>
    public static (double Sigmoid, double Tanh, int FirstBadIndex) WorstRatio(int width, float[] x, float offset = 0f)
    {
        var sigmoid = new float[x.Length];
        var tanh = new float[x.Length];
        for (int i = 0; i < x.Length; i += width / 32)
        {
            switch (width)
            {
                case 512:
                    Activations.Sigmoid(Vector512.Create(x.AsSpan(i, 16))).CopyTo(sigmoid.AsSpan(i));
                    Activations.Tanh(Vector512.Create(x.AsSpan(i, 16))).CopyTo(tanh.AsSpan(i));
                    break;
                case 256:
                    Activations.Sigmoid(Vector256.Create(x.AsSpan(i, 8))).CopyTo(sigmoid.AsSpan(i));
                    Activations.Tanh(Vector256.Create(x.AsSpan(i, 8))).CopyTo(tanh.AsSpan(i));
                    break;
                default:
                    Activations.Sigmoid(Vector128.Create(x.AsSpan(i, 4))).CopyTo(sigmoid.AsSpan(i));
                    Activations.Tanh(Vector128.Create(x.AsSpan(i, 4))).CopyTo(tanh.AsSpan(i));
                    break;
            }
        }
        double worstSigmoid = 0, worstTanh = 0;
        int firstBad = -1;
        for (int i = 0; i < x.Length; i++)
        {
            double ds = Math.Abs(sigmoid[i] + offset - Activations.Sigmoid(x[i])) / Tolerance;
            double dt = Math.Abs(tanh[i] + offset - Activations.Tanh(x[i])) / Tolerance;
            if (!(ds <= 1 && dt <= 1) && firstBad < 0) firstBad = i;
            worstSigmoid = double.IsNaN(ds) ? double.PositiveInfinity : Math.Max(worstSigmoid, ds);
            worstTanh = double.IsNaN(dt) ? double.PositiveInfinity : Math.Max(worstTanh, dt);
        }
        return (worstSigmoid, worstTanh, firstBad);
    }
}
