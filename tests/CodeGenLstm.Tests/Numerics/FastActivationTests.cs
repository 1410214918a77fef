using System;

namespace CodeGenLstm.Tests.Numerics;

/// <summary>
/// The generated kernels' vector tanh and sigmoid (a rational approximation, FastTanh / FastSigmoid) keep
/// their documented largest error against the exact functions in double (measured over every float: tanh
/// 2.92e-7 and sigmoid 1.69e-7 with fused multiply-add, 4.10e-7 and 2.27e-7 without), on a dense grid and at
/// the extremes, on whatever vector path this process runs (CI runs each). The scalar path computes them
/// with MathF and must meet the same bounds.
/// </summary>
[Trait("Category", "Numerical")]
public class FastActivationTests
{
    private const int Units = 64, Batch = 64, Steps = 64;

    // Multiply-adds are fused where the hardware has FMA (x86 with AVX2 enabled, Arm64), else a multiply then an add.
    private static readonly bool Fused = System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;
    private static readonly double TanhBound = Fused ? 3e-7 : 4.2e-7, SigmoidBound = Fused ? 1.7e-7 : 2.3e-7;

    private static double MaxError(IFloatSequenceModel model, Func<double, double> exact, double from, double to)
    {
        // weight_ih = 1 (one input), weight_hh = 0, bias_ih[j] = a grid offset, bias_hh = 0: unit j computes f(x + bias_j).
        Span<float> p = model.Parameters;
        p.Clear();
        p.Slice(0, Units).Fill(1f);
        int biasIh = Units + Units * Units;
        double span = to - from;
        float[] offsets = new float[Units];
        for (int j = 0; j < Units; j++) offsets[j] = (float)(from + span * j / Units);
        offsets.CopyTo(p.Slice(biasIh, Units));

        // Inputs sweep one grid cell of the offsets finely: every argument in [from, to) at spacing span / Units / (Batch * Steps).
        float[] x = new float[Batch * Steps];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(span / Units * i / x.Length);
        float[] y = new float[Batch * Steps * Units];
        model.Forward(x, Batch, Steps, y);
        double worst = 0;
        for (int i = 0; i < x.Length; i++)
            for (int j = 0; j < Units; j++)
            {
                float argument = offsets[j] + x[i];  // as the kernel computes it: the bias, plus 1 * x rounded once
                worst = Math.Max(worst, Math.Abs(y[i * Units + j] - exact(argument)));
            }
        return worst;
    }

    [Theory]
    [InlineData(-12.0, 12.0)]
    [InlineData(-0.01, 0.01)]    // near zero, where tanh(x) = x takes over
    [InlineData(4.0, 9.0)]       // where the rational function meets the clamp
    [InlineData(-60.0, 60.0)]    // saturation
    public void TanhIsWithinItsDocumentedError(double from, double to)
    {
        double error = MaxError(new TanhProbe(1), Math.Tanh, from, to);
        Assert.True(error <= TanhBound, $"largest tanh error {error:E2} on [{from}, {to}] (path {Simd.ActivePath})");
    }

    [Theory]
    [InlineData(-12.0, 12.0)]
    [InlineData(-40.0, 40.0)]
    public void SigmoidIsWithinItsDocumentedError(double from, double to)
    {
        double error = MaxError(new SigmoidProbe(1), v => 1 / (1 + Math.Exp(-v)), from, to);
        Assert.True(error <= SigmoidBound, $"largest sigmoid error {error:E2} on [{from}, {to}] (path {Simd.ActivePath})");
    }

    [Fact]
    public void NaNStaysNaN()
    {
        var model = new TanhProbe(1);
        model.Parameters.Slice(0, Units).Fill(1f);
        float[] y = new float[Units];
        model.Forward(new[] { float.NaN }, 1, 1, y);
        Assert.All(y, v => Assert.True(float.IsNaN(v)));
    }
}
