using System;
using System.Runtime.Intrinsics;

namespace CodeGenLstm.Tests.Runtime;

/// <summary>
/// The vectorized sigmoid and tanh of <see cref="Activations"/> against the scalar forms (MathF) on a
/// dense grid over the whole useful range and beyond: the documented bound is 1e-6 absolute.
/// </summary>
[Trait("Category", "Numerical")]
public class ActivationsTests
{
    private const double Bound = 1e-6;

    private static float[] Grid()
    {
        var points = new System.Collections.Generic.List<float>();
        for (double x = -30; x <= 30; x += 1.0 / 4096) points.Add((float)x);
        points.AddRange(new[] { 0f, -0f, 1e-30f, -1e-30f, 88f, -88f, 89f, -104f, 1e10f, -1e10f, float.MaxValue, float.MinValue, float.Epsilon });
        while (points.Count % 16 != 0) points.Add(0.5f);
        return points.ToArray();
    }

    [Fact]
    public void EveryWidthStaysWithinTheBound()
    {
        float[] x = Grid();
        double worstSigmoid = 0, worstTanh = 0;
        for (int i = 0; i < x.Length; i += 16)
        {
            Vector512<float> v512 = Vector512.Create(x.AsSpan(i, 16));
            Vector256<float> v256 = Vector256.Create(x.AsSpan(i, 8));
            Vector128<float> v128 = Vector128.Create(x.AsSpan(i, 4));
            Vector512<float> s512 = Activations.Sigmoid(v512), t512 = Activations.Tanh(v512);
            Vector256<float> s256 = Activations.Sigmoid(v256), t256 = Activations.Tanh(v256);
            Vector128<float> s128 = Activations.Sigmoid(v128), t128 = Activations.Tanh(v128);
            for (int lane = 0; lane < 16; lane++)
            {
                float xi = x[i + lane];
                double sigmoid = 1.0 / (1.0 + Math.Exp(-xi)), tanh = Math.Tanh(xi);
                worstSigmoid = Math.Max(worstSigmoid, Math.Abs(s512[lane] - sigmoid));
                worstTanh = Math.Max(worstTanh, Math.Abs(t512[lane] - tanh));
                if (lane < 8)
                {
                    worstSigmoid = Math.Max(worstSigmoid, Math.Abs(s256[lane] - sigmoid));
                    worstTanh = Math.Max(worstTanh, Math.Abs(t256[lane] - tanh));
                }
                if (lane < 4)
                {
                    worstSigmoid = Math.Max(worstSigmoid, Math.Abs(s128[lane] - sigmoid));
                    worstTanh = Math.Max(worstTanh, Math.Abs(t128[lane] - tanh));
                }
                Assert.True(Math.Abs(Activations.Sigmoid(xi) - sigmoid) <= Bound, $"scalar sigmoid({xi})");
                Assert.True(Math.Abs(Activations.Tanh(xi) - tanh) <= Bound, $"scalar tanh({xi})");
            }
        }
        Assert.True(worstSigmoid <= Bound, $"sigmoid: worst error {worstSigmoid:E2}");
        Assert.True(worstTanh <= Bound, $"tanh: worst error {worstTanh:E2}");
    }

    [Fact]
    public void TheyAreExactAtTheSaturationsAndPropagateNaN()
    {
        var x = Vector128.Create(float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0f);
        Vector128<float> s = Activations.Sigmoid(x), t = Activations.Tanh(x);
        Assert.Equal(1f, s[0]);
        Assert.Equal(0f, s[1]);
        Assert.True(float.IsNaN(s[2]));
        Assert.Equal(0.5f, s[3]);
        Assert.Equal(1f, t[0]);
        Assert.Equal(-1f, t[1]);
        Assert.True(float.IsNaN(t[2]));
        Assert.Equal(0f, t[3]);
    }
}
