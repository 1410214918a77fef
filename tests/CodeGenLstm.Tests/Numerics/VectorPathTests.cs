using System;
using System.Linq;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CodeGenLstm.Tests.Numerics;

/// <summary>
/// The vector kernels against the scalar reference kernels of the same model, in one process, and a
/// check that the path CI asked for (through DOTNET_* variables) is the one that actually ran.
/// </summary>
[Trait("Category", "Numerical")]
public class VectorPathTests
{
    /// <summary>
    /// The path the environment asks for: DOTNET_EnableHWIntrinsic=0 leaves only scalar code,
    /// DOTNET_EnableAVX2=0 leaves 128-bit vectors, DOTNET_EnableAVX512=0 256-bit, and
    /// DOTNET_PreferredVectorBitWidth=512 makes 512-bit vectors preferred where AVX-512 exists, and
    /// 128 or 256 caps the width there (keeping FMA, unlike EnableAVX2=0).
    /// Null when nothing is forced.
    /// </summary>
    internal static string? ForcedPath()
    {
        static bool Is(string name, string value) => Environment.GetEnvironmentVariable(name) == value;
        if (Is("DOTNET_EnableHWIntrinsic", "0")) return "Scalar";
        if (Is("DOTNET_EnableAVX2", "0")) return "Vector128";
        if (Is("DOTNET_EnableAVX512", "0")) return "Vector256";
        if (Is("DOTNET_PreferredVectorBitWidth", "512") && Avx512F.IsSupported) return "Vector512";
        if (Is("DOTNET_PreferredVectorBitWidth", "256") && Avx2.IsSupported) return "Vector256";
        if (Is("DOTNET_PreferredVectorBitWidth", "128") && Sse2.IsSupported) return "Vector128";
        return null;
    }

    [Fact]
    public void TheKernelsRunTheForcedPath()
    {
        var model = new WideLstm(1);
        Assert.Equal("None", model.KernelPath);
        float[] x = new float[2 * 3 * WideLstm.InputSize], y = new float[2 * 3 * WideLstm.OutputSize];
        model.Forward(x, 2, 3, y);
        string? forced = ForcedPath();
        if (forced is not null) Assert.Equal(forced, model.KernelPath);
        Assert.Equal(Simd.ActivePath, model.KernelPath);
        if (forced is null && (Sse.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported))
            Assert.NotEqual("Scalar", model.KernelPath);

        model.UseScalarKernels = true;
        model.Forward(x, 2, 3, y);
        Assert.Equal("Scalar", model.KernelPath);
    }

    [Theory]
    [InlineData("WideLstm", 5, 7)]
    [InlineData("WideLstm", 1, 3)]
    [InlineData("WideLstm", 8, 4)]   // 8 rows: 4 + 4, not 6 + 2 (and 32 projection rows: 6 x 4 + 4 + 4)
    [InlineData("WideGru", 14, 3)]   // 14 rows: 6 + 4 + 4
    [InlineData("WideGru", 6, 9)]
    [InlineData("WideRnnDense", 4, 5)]
    [InlineData("TokenLstmLastStep", 9, 6)]
    [InlineData("Gru3Bi", 7, 4)]
    public void VectorKernelsAgreeWithTheScalarKernels(string name, int batch, int steps)
    {
        var (vector, _) = Catalogue.Create(name, seed: 8);
        var (scalar, _) = Catalogue.Create(name, seed: 8);
        scalar.UseScalarKernels = true;
        var random = new Random(31);
        int[] lengths = Enumerable.Range(0, batch).Select(b => b == 0 ? steps : random.Next(1, steps + 1)).ToArray();
        int outputLength = vector.OutputPerSequence ? batch * vector.OutputSize : batch * steps * vector.OutputSize;
        float[] r = NumericalCheck.RandomFloats(random, outputLength, 1);
        var results = new (float[] Output, float[] Gradients, float[] InputGradient, float[] Norms)[2];
        for (int i = 0; i < 2; i++)
        {
            ISequenceModel model = i == 0 ? vector : scalar;
            var run = new NumericalCheck { Model = model, Reference = null!, Batch = batch, Steps = steps, Lengths = lengths };
            var inputs = new Random(77);
            float[] x = model is ITokenSequenceModel ? Array.Empty<float>() : NumericalCheck.RandomFloats(inputs, batch * steps * model.InputSize, 1);
            int[] tokens = model is ITokenSequenceModel t ? Enumerable.Range(0, batch * steps).Select(_ => inputs.Next(t.VocabularySize)).ToArray() : Array.Empty<int>();
            float[] y = new float[outputLength], dx = new float[x.Length];
            run.Forward(x, tokens, y, training: true);
            model.Backward(r, dx);
            results[i] = (y, model.Gradients.ToArray(), dx, model.StepGradientNorms.ToArray());
        }
        Assert.Equal("Scalar", scalar.KernelPath);
        // Only the order of roundings differs (fused multiply-add, vector exponential): a few ulps per
        // operation, compounded over the steps.
        AssertNear(results[1].Output, results[0].Output, 1e-5, "output");
        AssertNear(results[1].Gradients, results[0].Gradients, 1e-4, "gradients");
        AssertNear(results[1].InputGradient, results[0].InputGradient, 1e-4, "input gradient");
        AssertNear(results[1].Norms, results[0].Norms, 1e-4, "step gradient norms");
    }

    [Theory]
    [InlineData("WideLstm", 7)]           // bidirectional, 2 layers; K = 33 and 37 (tails of k), 4 x 37 rows of W (tails of columns)
    [InlineData("WideGru", 5)]            // the GRU's recurrent term starts from b_hh
    [InlineData("WideRnnDense", 6)]
    [InlineData("TokenLstmLastStep", 6)]  // embedding, residual, dropout (off in inference), a last-step read-out
    [InlineData("MixedStack", 4)]
    public void InferenceOfOneSequenceAgreesWithTheScalarKernels(string name, int steps)
    {
        // Inference of one sequence (no training caches, hidden units split between threads when big enough),
        // which the test above, a training run, does not cover: outputs and final state against the scalar reference.
        var (vector, _) = Catalogue.Create(name, seed: 9);
        var (scalar, _) = Catalogue.Create(name, seed: 9);
        scalar.UseScalarKernels = true;
        var inputs = new Random(5);
        float[] x = vector is ITokenSequenceModel ? Array.Empty<float>() : NumericalCheck.RandomFloats(inputs, steps * vector.InputSize, 1);
        int[] tokens = vector is ITokenSequenceModel t ? Enumerable.Range(0, steps).Select(_ => inputs.Next(t.VocabularySize)).ToArray() : Array.Empty<int>();
        int outputLength = vector.OutputPerSequence ? vector.OutputSize : steps * vector.OutputSize;
        var results = new (float[] Output, float[] FinalH)[2];
        for (int i = 0; i < 2; i++)
        {
            ISequenceModel model = i == 0 ? vector : scalar;
            float[] y = new float[outputLength], hN = new float[model.StateSize];
            for (int call = 0; call < 2; call++)  // twice: the second call must not depend on the first
            {
                if (model is ITokenSequenceModel tm) tm.Forward(tokens, 1, steps, y);
                else ((IFloatSequenceModel)model).Forward(x, 1, steps, y);
            }
            model.GetFinalState(hN);
            results[i] = (y, hN);
        }
        if (ForcedPath() != "Scalar" && (Sse.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported))
            Assert.NotEqual("Scalar", vector.KernelPath);
        AssertNear(results[1].Output, results[0].Output, 1e-5, "output");
        AssertNear(results[1].FinalH, results[0].FinalH, 1e-5, "final h");
    }

    private static void AssertNear(float[] expected, float[] actual, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Select(v => (double)Math.Abs(v)).DefaultIfEmpty(0).Max();
        for (int i = 0; i < expected.Length; i++)
        {
            double allowed = relative * (Math.Abs(expected[i]) + 0.1 * scale) + 1e-7;
            Assert.True(Math.Abs(expected[i] - actual[i]) <= allowed,
                $"{what}[{i}]: scalar {expected[i]:R}, vector {actual[i]:R}, difference {Math.Abs(expected[i] - actual[i]):E2} > {allowed:E2}");
        }
    }
}
