using System;
using System.Linq;
using static CodeGenLstm.Tests.Training.TrainingTestData;

namespace CodeGenLstm.Tests.Training;

/// <summary>
/// Every vector width of the training kernels (512, 256, 128 and the scalar path, 0) against
/// straightforward double computations, whatever this machine accelerates: a VectorXXX the hardware
/// lacks is emulated, correctly if slowly. The public API runs only the active width; these tests make
/// sure the others are right too, and that sizes around each width (main loop plus tail) are handled.
/// </summary>
[Trait("Category", "Numerical")]
public sealed class KernelPathTests
{
    public static TheoryData<int> Widths() => [0, 128, 256, 512];

    private static readonly int[] Sizes = [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 47, 100];

    [Theory]
    [MemberData(nameof(Widths))]
    public void SumOfSquares(int width)
    {
        foreach (int n in Sizes)
        {
            float[] x = Uniform(n, 5f, n);
            double expected = x.Sum(v => (double)v * v);
            // Squares of floats are exact in double; only ~n additions round, at 1e-16 each.
            Close(expected, TrainingKernels.SumOfSquares(width, x), 1e-300, 1e-14, $"width {width} n={n}");
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void ScaleIsOneRoundingPerElement(int width)
    {
        foreach (int n in Sizes)
        {
            float[] x = Uniform(n, 5f, n);
            float[] expected = x.Select(v => (float)(v * (double)0.37f)).ToArray(); // the exact product, rounded once
            TrainingKernels.Scale(width, x, 0.37f);
            BitEqual(expected, x, $"width {width} n={n}");
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void ClampMaxAbs(int width)
    {
        foreach (int n in Sizes)
        {
            float[] x = Uniform(n, 4f, n);
            float[] expected = x.Select(v => Math.Min(2f, Math.Max(-2f, v))).ToArray();
            float largest = n == 0 ? 0f : x.Max(Math.Abs);
            Assert.Equal(largest, TrainingKernels.ClampMaxAbs(width, x, 2f));
            BitEqual(expected, x, $"width {width} n={n}");
        }
        // A NaN in any lane position survives the clamp and reaches the result.
        for (int at = 0; at < 33; at++)
        {
            float[] x = Uniform(33, 4f, at);
            x[at] = float.NaN;
            Assert.True(float.IsNaN(TrainingKernels.ClampMaxAbs(width, x, 2f)), $"width {width} NaN at {at}");
            Assert.True(float.IsNaN(x[at]));
            Assert.All(x.Where((_, i) => i != at), v => Assert.InRange(v, -2f, 2f));
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void MaxAndExpSum(int width)
    {
        foreach (int n in Sizes.Where(s => s > 0))
        {
            float[] x = Uniform(n, 10f, n);
            float max = x.Max();
            Assert.Equal(max, TrainingKernels.Max(width, x));

            var e = new float[n];
            float sum = TrainingKernels.ExpSum(width, x, max, e);
            // The argument x - max is rounded to float first (an error of up to 1e-6 relative in exp for
            // arguments near -16, harmless in a softmax); exp of it is then within a few float ulps.
            double[] expected = x.Select(v => Math.Exp(v - max)).ToArray();
            Close(expected, e, 1e-30, 5e-7, $"exp width {width} n={n}");
            Close(expected.Sum(), sum, 0, 1e-6, $"sum width {width} n={n}");
            Assert.Equal(sum, TrainingKernels.ExpSum(width, x, max, []));
        }
        Assert.Equal(float.NegativeInfinity, TrainingKernels.Max(width, []));
        for (int at = 0; at < 33; at++)
        {
            float[] x = Uniform(33, 1f, at);
            x[at] = float.NaN;
            Assert.True(float.IsNaN(TrainingKernels.Max(width, x)), $"width {width} NaN at {at}");
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void SquaredError(int width)
    {
        foreach (int n in Sizes)
        {
            float[] p = Uniform(n, 3f, n), t = Uniform(n, 3f, 1000 + n);
            var g = new float[n];
            double sum = TrainingKernels.SquaredError(width, p, t, g, 0.25f);
            double[] d = p.Select((v, i) => (double)v - t[i]).ToArray();
            // p - t is rounded once in float: 6e-8 relative, 1.2e-7 once squared.
            Close(d.Sum(v => v * v), sum, 1e-300, 1.3e-7, $"sum width {width} n={n}");
            Close(d.Select(v => v * 0.25).ToArray(), g, 0, 1.3e-7, $"gradient width {width} n={n}");
        }
    }

    /// <summary>
    /// The optimizer kernels for 5 steps, with the per-step scalars derived here from the equations, against
    /// the double references. Tolerance as in <see cref="OptimizerTests.MatchesDoubleReference"/>.
    /// </summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void OptimizerKernels(int width)
    {
        foreach (int n in Sizes)
        {
            float[] pSgd = Uniform(n, 1f, n), pAdam = pSgd.ToArray(), pAdamW = pSgd.ToArray(), pRms = pSgd.ToArray();
            double[] rSgd = ToDouble(pSgd), rAdam = ToDouble(pSgd), rAdamW = ToDouble(pSgd), rRms = ToDouble(pSgd);
            var sgd = new ReferenceSgd(n, 0.05f, 0.9f, true, 0.01f);
            var adam = new ReferenceAdam(n, 0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, false);
            var adamW = new ReferenceAdam(n, 0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, true);
            var rms = new ReferenceRmsProp(n, 0.01f, 0.9f, 1e-8f, 0.01f, 0.5f, true);
            float[] buf = new float[n], m = new float[n], v = new float[n], mW = new float[n], vW = new float[n];
            float[] sq = new float[n], gAvg = new float[n], rBuf = new float[n];
            for (int t = 1; t <= 5; t++)
            {
                float[] g = Uniform(n, 1f, 77 * t + n);
                TrainingKernels.Sgd(width, pSgd, g, buf, 0.05f, 0.01f, 0.9f, nesterov: true, firstStep: t == 1);
                sgd.Step(rSgd, g);

                double bc1 = 1 - Math.Pow(0.9f, t), bc2 = 1 - Math.Pow(0.999f, t);
                var c = new TrainingKernels.AdamCoefficients(0.1f, 1f, (float)(1 - 0.9f), 0.999f, (float)(1 - 0.999f),
                                                             (float)Math.Sqrt(bc2), 1e-8f, (float)(-0.01f / bc1));
                TrainingKernels.Adam(width, pAdam, g, m, v, c);
                adam.Step(rAdam, g);
                TrainingKernels.Adam(width, pAdamW, g, mW, vW, c with { L2 = 0f, Decay = (float)(1 - 0.01f * (double)0.1f) });
                adamW.Step(rAdamW, g);

                var r = new TrainingKernels.RmsPropCoefficients(0.01f, 0.9f, (float)(1 - 0.9f), 1e-8f, 0.01f, 0.5f);
                TrainingKernels.RmsProp(width, pRms, g, sq, gAvg, rBuf, r);
                rms.Step(rRms, g);
            }
            Close(rSgd, pSgd, 1e-5, 1e-5, $"sgd width {width} n={n}");
            Close(rAdam, pAdam, 1e-5, 1e-5, $"adam width {width} n={n}");
            Close(rAdamW, pAdamW, 1e-5, 1e-5, $"adamw width {width} n={n}");
            Close(rRms, pRms, 1e-5, 1e-5, $"rmsprop width {width} n={n}");
        }
    }

    /// <summary>The public API takes the widest accelerated path, as the generated kernels do.</summary>
    [Fact]
    public void PublicApiUsesTheActiveWidth()
    {
        // Each width groups the additions differently, so bit equality with the kernel called at
        // Simd.ActiveWidth shows that this is the width Clip used. (.ci/run repeats the Numerical tests
        // under DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0 and DOTNET_EnableHWIntrinsic=0.)
        Assert.Contains(Simd.ActiveWidth, new[] { 0, 128, 256, 512 });
        float[] x = Uniform(1000, 1f, 1);
        Assert.Equal((float)Math.Sqrt(TrainingKernels.SumOfSquares(Simd.ActiveWidth, x)), Clip.Norm(x));
    }
}
