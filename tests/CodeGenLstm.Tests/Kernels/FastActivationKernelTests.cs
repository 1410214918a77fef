using System;
using System.Runtime.Intrinsics;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Kernels;

/// <summary>
/// The runtime's FastTanh and FastSigmoid at every vector width, called directly (a width the CPU lacks runs in
/// software), against the exact functions in double. The bounds are the documented ones without fused
/// multiply-add, which hold with it too; FastActivationTests checks the tighter fused bounds on the active path.
/// </summary>
[Trait("Category", "Numerical")]
public class FastActivationKernelTests
{
    private const double TanhBound = 4.2e-7, SigmoidBound = 2.3e-7;

    private static float[] Arguments()
    {
        var x = new float[65536 + 16];   // whole vectors of 16: the last 16 are special arguments and zeros
        for (int i = 0; i < 65536; i++) x[i] = -12f + 24f * i / 65536;
        new[] { 0f, -0f, 1e-30f, -3e-4f, 7.9f, -8f, 50f, -50f }.CopyTo(x, 65536);
        return x;
    }

    private static float[] Apply(int width, bool tanh, float[] x)
    {
        var y = new float[x.Length];
        for (int i = 0; i < x.Length; i += 16)
        {
            if (width == 512)
            {
                var v = Vector512.Create(x, i);
                (tanh ? SharedKernels.FastTanh(v) : SharedKernels.FastSigmoid(v)).CopyTo(y, i);
            }
            else if (width == 256)
                for (int h = 0; h < 16; h += 8)
                {
                    var v = Vector256.Create(x, i + h);
                    (tanh ? SharedKernels.FastTanh(v) : SharedKernels.FastSigmoid(v)).CopyTo(y, i + h);
                }
            else
                for (int h = 0; h < 16; h += 4)
                {
                    var v = Vector128.Create(x, i + h);
                    (tanh ? SharedKernels.FastTanh(v) : SharedKernels.FastSigmoid(v)).CopyTo(y, i + h);
                }
        }
        return y;
    }

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    [InlineData(128)]
    public void FastTanhAndSigmoidKeepTheirBoundsAtEveryWidth(int width)
    {
        float[] x = Arguments();
        float[] tanh = Apply(width, true, x), sigmoid = Apply(width, false, x);
        for (int i = 0; i < x.Length; i++)
        {
            double t = Math.Tanh(x[i]), s = 1 / (1 + Math.Exp(-(double)x[i]));
            Assert.True(Math.Abs(tanh[i] - t) <= TanhBound, $"width {width}: FastTanh({x[i]:R}) = {tanh[i]:R}, tanh = {t:R}");
            Assert.True(Math.Abs(sigmoid[i] - s) <= SigmoidBound, $"width {width}: FastSigmoid({x[i]:R}) = {sigmoid[i]:R}, sigmoid = {s:R}");
        }
        Assert.True(float.IsNaN(Apply(width, true, new float[16] { float.NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })[0]), "NaN stays NaN");
    }
}
