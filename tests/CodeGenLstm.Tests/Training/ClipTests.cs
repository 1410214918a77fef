using System;
using System.Linq;
using static CodeGenLstm.Tests.Training.TrainingTestData;

namespace CodeGenLstm.Tests.Training;

/// <summary>Global-norm and value clipping against double computations, and their edge cases.</summary>
[Trait("Category", "Numerical")]
public sealed class ClipTests
{
    private static double DoubleNorm(float[] x) => Math.Sqrt(x.Sum(v => (double)v * v));

    [Fact]
    public void NormMatchesDouble()
    {
        foreach (int n in OddSizes)
        {
            float[] x = Uniform(n, 3f, n);
            // The double sum is exact to ~1e-16 relative; the result is rounded to float once: 1 ulp ≈ 6e-8.
            Close(DoubleNorm(x), Clip.Norm(x), 0, 1.2e-7, $"norm n={n}");
        }
        Assert.Equal(0f, Clip.Norm([]));
        Assert.Equal(5f, Clip.Norm([3f, -4f]));
    }

    [Fact]
    public void NormIsAccurateForMillionsOfElements()
    {
        // 3,000,001 copies of 0.1f: a float running sum of squares would be off by about 1e-2 relative here
        // (each addition of 0.01 to a sum near 3e4 loses ~1e-3 of it); the double sum is exact to 1e-10.
        const int n = 3_000_001;
        var x = new float[n];
        Array.Fill(x, 0.1f);
        double expected = Math.Sqrt(n * ((double)0.1f * 0.1f));
        Close(expected, Clip.Norm(x), 0, 1.2e-7, "norm of 3M");

        // One element of 1e30 does not overflow the sum (1e60 in double) and dominates.
        x[12345] = 1e30f;
        Close(1e30, Clip.Norm(x), 0, 1.2e-7, "norm with a huge element");
    }

    [Fact]
    public void GlobalNormScalesAboveTheLimit()
    {
        foreach (int n in OddSizes)
        {
            float[] g = Uniform(n, 2f, 10 + n);
            float[] original = g.ToArray();
            double norm = DoubleNorm(original);
            float maxNorm = (float)(norm / 3);
            float returned = Clip.GlobalNorm(g, maxNorm);
            Close(norm, returned, 0, 1.2e-7, $"returned norm n={n}");

            // PyTorch's coefficient maxNorm / (norm + 1e-6), applied per element in float: 1 ulp each.
            double coefficient = maxNorm / (norm + 1e-6);
            Close(original.Select(v => v * coefficient).ToArray(), g, 0, 2.4e-7, $"clipped n={n}");
            // So the clipped norm is maxNorm * norm / (norm + 1e-6), a hair below maxNorm (up to the float rounding of each element).
            Close(maxNorm * norm / (norm + 1e-6), DoubleNorm(g), 0, 2.4e-7, $"clipped norm n={n}");
        }
    }

    [Fact]
    public void GlobalNormUsesPyTorchsEpsilon()
    {
        // norm 5, maxNorm 1: PyTorch multiplies by 1 / (5 + 1e-6), not 1/5. In float 0.6 / 5.000001 and 0.6 / 5
        // differ by 2e-7 relative, which is representable at this magnitude: 0.6f * 0.2f vs 0.6f * 0.19999996f.
        float[] g = [3f, 4f];
        Assert.Equal(5f, Clip.GlobalNorm(g, 1f));
        Assert.Equal((float)(3.0 * (1.0 / (5.0 + 1e-6))), g[0]);
        Assert.Equal((float)(4.0 * (1.0 / (5.0 + 1e-6))), g[1]);
        Assert.Equal(1e-6, Clip.NormEpsilon);
    }

    [Fact]
    public void GlobalNormLeavesGradientsBelowOrAtTheLimitUntouched()
    {
        float[] g = Uniform(33, 1f, 3);
        float[] original = g.ToArray();
        float norm = Clip.GlobalNorm(g, 1000f);
        BitEqual(original, g, "below");
        Close(DoubleNorm(original), norm, 0, 1.2e-7, "norm");

        float[] h = [3f, 4f];
        Assert.Equal(5f, Clip.GlobalNorm(h, 5f)); // equal to the limit: not clipped
        Assert.Equal([3f, 4f], h);
        Assert.Equal(5f, Clip.GlobalNorm(h, float.PositiveInfinity));
        Assert.Equal([3f, 4f], h);
        Assert.Equal(0f, Clip.GlobalNorm([], 1f));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void GlobalNormLeavesNonFiniteGradientsUntouched(float bad)
    {
        foreach (int n in OddSizes)
        {
            float[] g = Uniform(n, 100f, n);
            g[n / 2] = bad;
            float[] original = g.ToArray();
            float norm = Clip.GlobalNorm(g, 1f);
            Assert.False(float.IsFinite(norm));
            Assert.Equal(float.IsNaN(bad), float.IsNaN(norm));
            BitEqual(original, g, $"non-finite n={n}");
        }
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.NegativeInfinity)]
    public void GlobalNormAndValueRejectBadLimits(float limit)
    {
        float[] g = [1f];
        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => Clip.GlobalNorm(g, limit)).ParamName);
        Assert.Equal("maxAbs", Assert.Throws<ArgumentOutOfRangeException>(() => Clip.Value(g, limit)).ParamName);
        Assert.Equal([1f], g);
    }

    [Fact]
    public void ValueClampsAndReturnsTheLargestMagnitude()
    {
        foreach (int n in OddSizes)
        {
            float[] g = Uniform(n, 10f, 20 + n);
            float[] original = g.ToArray();
            float largest = Clip.Value(g, 5f);
            Assert.Equal(original.Max(v => Math.Abs(v)), largest);
            Assert.Equal(original.Select(v => Math.Min(5f, Math.Max(-5f, v))), g);
        }
        Assert.Equal(0f, Clip.Value([], 1f));
        float[] h = [-7f, 0.5f, 2f];
        Assert.Equal(7f, Clip.Value(h, 1f));
        Assert.Equal([-1f, 0.5f, 1f], h);
    }

    [Fact]
    public void ValueKeepsNaNAndClampsInfinity()
    {
        foreach (int n in OddSizes)
        {
            float[] g = Uniform(n, 1f, n);
            g[n - 1] = float.NegativeInfinity;
            Assert.Equal(float.PositiveInfinity, Clip.Value(g, 2f));
            Assert.Equal(-2f, g[n - 1]);

            g[0] = float.NaN;
            Assert.True(float.IsNaN(Clip.Value(g, 2f)));
            Assert.True(float.IsNaN(g[0]));
        }
    }
}
