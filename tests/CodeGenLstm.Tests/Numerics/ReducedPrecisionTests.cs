using System;
using System.Collections.Generic;
using System.Linq;
using Xunit.Abstractions;

namespace CodeGenLstm.Tests.Numerics;

// Grid-sized LSTMs (H = 256 and 1024, as the benchmarks' grid), and the other cells with sizes that leave tails.
[Lstm(inputSize: 64, hiddenSize: 256)] public partial class ReducedLstm256;
[Lstm(inputSize: 64, hiddenSize: 1024)] public partial class ReducedLstm1024;
[Gru(inputSize: 16, hiddenSize: 100, bidirectional: true)] public partial class ReducedBiGru;
[Rnn(inputSize: 8, hiddenSize: 70, layers: 2)][Dense(outputSize: 5)] public partial class ReducedRnnDense;

/// <summary>
/// Reduced-precision inference (InferencePrecision) on whole models: its largest output error against float32 within a
/// bound per path, float32 left exactly as it was for training, Backward and ExportParameters, a change of the weights
/// seen by the reduced copy, the same bits on any number of threads, and no allocation after the first call.
/// </summary>
[Collection(nameof(ParallelTests))]  // one test changes Parallelism.MaxThreads
[Trait("Category", "Numerical")]
public class ReducedPrecisionTests(ITestOutputHelper output)
{
    private static IFloatSequenceModel Create(string name, int seed) => name switch
    {
        nameof(ReducedLstm256) => new ReducedLstm256(seed),
        nameof(ReducedLstm1024) => new ReducedLstm1024(seed),
        nameof(ReducedBiGru) => new ReducedBiGru(seed),
        nameof(ReducedRnnDense) => new ReducedRnnDense(seed),
        _ => throw new ArgumentException(name),
    };

    private static float[] Infer(IFloatSequenceModel model, float[] x, int batch, int steps)
    {
        float[] y = new float[batch * steps * model.OutputSize];
        model.Forward(x, batch, steps, y);
        return y;
    }

    private static float[] Input(IFloatSequenceModel model, int batch, int steps, int seed) =>
        NumericalCheck.RandomFloats(new Random(seed), batch * steps * model.InputSize, 1);

    // The bounds: the largest |reduced - float32| over every output, at PyTorch's initialisation, inputs uniform in
    // (-1, 1). Measured on Zen 5 (Vector512, AVX-VNNI), rows in the order below: bf16 2.7e-4, 1.9e-4; int8 8.4e-4,
    // 6.8e-4; bf16 8.6e-5; int8 3.7e-4, 1.8e-4; GRU bf16 1.2e-4, int8 4.7e-4; RNN + Dense bf16 3.0e-4, int8 1.4e-3.
    // The bounds, 1e-3 (bf16) and 4e-3 (int8), leave about 3x for the other vector paths. The kernels' own tests hold
    // each dot product to the error its format allows; these check the wiring (the right copy, built, at the right step).
    [Theory]
    [InlineData(nameof(ReducedLstm256), InferencePrecision.BFloat16, 1, 40, 1e-3)]
    [InlineData(nameof(ReducedLstm256), InferencePrecision.BFloat16, 16, 10, 1e-3)]
    [InlineData(nameof(ReducedLstm256), InferencePrecision.Int8, 1, 40, 4e-3)]
    [InlineData(nameof(ReducedLstm256), InferencePrecision.Int8, 16, 10, 4e-3)]
    [InlineData(nameof(ReducedLstm1024), InferencePrecision.BFloat16, 1, 12, 1e-3)]
    [InlineData(nameof(ReducedLstm1024), InferencePrecision.Int8, 1, 12, 4e-3)]
    [InlineData(nameof(ReducedLstm1024), InferencePrecision.Int8, 4, 4, 4e-3)]
    [InlineData(nameof(ReducedBiGru), InferencePrecision.BFloat16, 3, 9, 1e-3)]
    [InlineData(nameof(ReducedBiGru), InferencePrecision.Int8, 3, 9, 4e-3)]
    [InlineData(nameof(ReducedRnnDense), InferencePrecision.BFloat16, 2, 7, 1e-3)]
    [InlineData(nameof(ReducedRnnDense), InferencePrecision.Int8, 2, 7, 4e-3)]
    public void ReducedInferenceStaysNearFloat32(string name, InferencePrecision precision, int batch, int steps, double bound)
    {
        IFloatSequenceModel model = Create(name, seed: 2);
        float[] x = Input(model, batch, steps, seed: 6);
        float[] float32 = Infer(model, x, batch, steps);
        model.InferencePrecision = precision;
        float[] reduced = Infer(model, x, batch, steps);
        double largest = float32.Zip(reduced, (a, b) => Math.Abs((double)a - b)).Max();
        output.WriteLine($"{name} {precision} batch {batch} steps {steps}: largest |error| {largest:E2} (outputs up to {float32.Max(Math.Abs):F3}), kernels {model.KernelPath}");
        Assert.True(largest <= bound, $"largest error {largest:E2} > {bound:E2}");
        Assert.True(largest > 0, "the reduced path did not run: the output is float32's to the bit");
    }

    [Theory]
    [InlineData(nameof(ReducedLstm256), InferencePrecision.BFloat16)]
    [InlineData(nameof(ReducedLstm256), InferencePrecision.Int8)]
    [InlineData(nameof(ReducedBiGru), InferencePrecision.Int8)]
    [InlineData(nameof(ReducedRnnDense), InferencePrecision.BFloat16)]
    public void VectorKernelsAgreeWithTheScalarKernelsInReducedPrecision(string name, InferencePrecision precision)
    {
        IFloatSequenceModel vector = Create(name, seed: 4), scalar = Create(name, seed: 4);
        vector.InferencePrecision = scalar.InferencePrecision = precision;
        scalar.UseScalarKernels = true;
        float[] x = Input(vector, 3, 8, seed: 1);
        float[] expected = Infer(scalar, x, 3, 8), actual = Infer(vector, x, 3, 8);
        // The float32 parts differ in rounding order (fused multiply-add, the fast activations); int8's sums do not,
        // but a state that differs in its last bits can quantize one level apart: 1e-4 covers both.
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4, $"[{i}]: scalar {expected[i]:R}, vector {actual[i]:R}");
    }

    [Theory]
    [InlineData(InferencePrecision.BFloat16)]
    [InlineData(InferencePrecision.Int8)]
    public void TrainingBackwardAndExportStayFloat32(InferencePrecision precision)
    {
        IFloatSequenceModel reduced = Create(nameof(ReducedBiGru), seed: 3), float32 = Create(nameof(ReducedBiGru), seed: 3);
        reduced.InferencePrecision = precision;
        float[] x = Input(reduced, 2, 5, seed: 9);
        float[] dy = NumericalCheck.RandomFloats(new Random(10), 2 * 5 * reduced.OutputSize, 1);
        List<float[]> before = reduced.ExportParameters().Select(t => t.Data.ToArray()).ToList();
        Infer(reduced, x, 2, 5);  // builds the reduced copy
        var results = new List<(float[] Y, float[] Gradients, float[] Dx)>();
        foreach (IFloatSequenceModel model in new[] { reduced, float32 })
        {
            float[] y = new float[dy.Length], dx = new float[x.Length];
            model.Forward(x, 2, 5, y, training: true);
            model.Backward(dy, dx);
            results.Add((y, model.Gradients.ToArray(), dx));
        }
        Assert.Equal(results[1].Y, results[0].Y);
        Assert.Equal(results[1].Gradients, results[0].Gradients);
        Assert.Equal(results[1].Dx, results[0].Dx);
        List<float[]> after = reduced.ExportParameters().Select(t => t.Data.ToArray()).ToList();
        Assert.Equal(before.Count, after.Count);
        for (int i = 0; i < before.Count; i++) Assert.Equal(before[i], after[i]);
        Assert.Equal(precision, reduced.InferencePrecision);
    }

    [Fact]
    public void AChangeOfWeightsOrPrecisionReachesTheNextInferenceCall()
    {
        IFloatSequenceModel model = Create(nameof(ReducedLstm256), seed: 5);
        float[] x = Input(model, 1, 6, seed: 2);
        model.InferencePrecision = InferencePrecision.Int8;
        Infer(model, x, 1, 6);

        // Written through Parameters after the copy was built: W_hh halved.
        var hh = model.ExportParameters().Single(t => t.Name == "lstm.weight_hh_l0");
        int at = Offset(model, hh.Name);
        Span<float> p = model.Parameters;
        for (int i = 0; i < hh.Data.Length; i++) p[at + i] *= 0.5f;
        float[] afterWrite = Infer(model, x, 1, 6);
        Assert.Equal(Fresh(model, InferencePrecision.Int8, x), afterWrite);

        // Imported.
        IFloatSequenceModel other = Create(nameof(ReducedLstm256), seed: 6);
        model.ImportParameters(other.ExportParameters());
        Assert.Equal(Fresh(model, InferencePrecision.Int8, x), Infer(model, x, 1, 6));

        // Another precision, and back.
        model.InferencePrecision = InferencePrecision.BFloat16;
        Assert.Equal(Fresh(model, InferencePrecision.BFloat16, x), Infer(model, x, 1, 6));
        model.InferencePrecision = InferencePrecision.Float32;
        Assert.Equal(Fresh(model, InferencePrecision.Float32, x), Infer(model, x, 1, 6));
        model.InferencePrecision = InferencePrecision.Int8;
        Assert.Equal(Fresh(model, InferencePrecision.Int8, x), Infer(model, x, 1, 6));
    }

    // A new model holding the same weights at that precision: what the changed model must compute.
    private static float[] Fresh(IFloatSequenceModel model, InferencePrecision precision, float[] x)
    {
        IFloatSequenceModel fresh = Create(nameof(ReducedLstm256), seed: 99);
        fresh.ImportParameters(model.ExportParameters());
        fresh.InferencePrecision = precision;
        return Infer(fresh, x, 1, 6);
    }

    private static int Offset(ISequenceModel model, string name)
    {
        int offset = 0;
        foreach (NamedTensor t in model.ExportParameters())
        {
            if (t.Name == name) return offset;
            offset += t.Data.Length;
        }
        throw new ArgumentException(name);
    }

    [Fact]
    public void AnUnknownPrecisionIsRejectedAndChangesNothing()
    {
        IFloatSequenceModel model = Create(nameof(ReducedRnnDense), seed: 1);
        model.InferencePrecision = InferencePrecision.BFloat16;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.InferencePrecision = (InferencePrecision)7);
        Assert.Equal("value", e.ParamName);
        Assert.Equal(InferencePrecision.BFloat16, model.InferencePrecision);
    }

    [Theory]
    [InlineData(InferencePrecision.BFloat16)]
    [InlineData(InferencePrecision.Int8)]
    public void EveryThreadCountGivesTheSameBits(InferencePrecision precision)
    {
        // Batch 1 at H = 1024 splits the hidden units between threads (a barrier per step); batch 4 splits sequences.
        foreach (int batch in new[] { 1, 4 })
        {
            var results = new List<float[]>();
            int saved = Parallelism.MaxThreads;
            try
            {
                foreach (int threads in new[] { 1, 2, 3 })
                {
                    Parallelism.MaxThreads = threads;
                    IFloatSequenceModel model = Create(nameof(ReducedLstm1024), seed: 7);
                    model.InferencePrecision = precision;
                    results.Add(Infer(model, Input(model, batch, 3, seed: 4), batch, 3));
                }
            }
            finally
            {
                Parallelism.MaxThreads = saved;
            }
            Assert.Equal(results[0], results[1]);
            Assert.Equal(results[0], results[2]);
        }
    }

    [Theory]
    [InlineData(InferencePrecision.BFloat16)]
    [InlineData(InferencePrecision.Int8)]
    public void CallsAfterTheFirstAllocateNothing(InferencePrecision precision)
    {
        IFloatSequenceModel model = Create(nameof(ReducedRnnDense), seed: 2);
        model.InferencePrecision = precision;
        float[] x = Input(model, 2, 5, seed: 3), y = new float[2 * 5 * model.OutputSize];
        model.Forward(x, 2, 5, y);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++) model.Forward(x, 2, 5, y);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
