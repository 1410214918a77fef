using System;
using System.Linq;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Numerics;

// An input wider than the hidden state, and one narrower (int8's W_ih has as many columns as the input).
[Rnn(inputSize: 40, hiddenSize: 24)] public partial class Int8ProjectionRnnWide;
[Rnn(inputSize: 5, hiddenSize: 130)] public partial class Int8ProjectionRnnNarrow;

/// <summary>The tests that lower <see cref="ReducedRecurrentWeights.Int8InputThreshold"/> run alone: it is process-wide.</summary>
[CollectionDefinition(nameof(Int8InputThresholdCollection), DisableParallelization = true)]
public sealed class Int8InputThresholdCollection;

/// <summary>
/// Int8 inference quantizes the input projection too where W_ih is large (these models' W_ih is small, so the tests
/// lower the threshold while they run, and check the default keeps the float32 product): with W_hh = 0, an RNN's output is tanh(W_ih x_t + b_ih + b_hh)
/// of each step alone, so it must be that of the dequantized W_ih (rows at scale max|w| / 127) and x_t (each step's
/// row at scale max|x| / 127), computed here in double, to float32's rounding; and a write to W_ih after the copy was
/// built must reach the next call.
/// </summary>
[Trait("Category", "Numerical")]
[Collection(nameof(Int8InputThresholdCollection))]
public sealed class Int8InputProjectionTests : IDisposable
{
    public Int8InputProjectionTests() => ReducedRecurrentWeights.Int8InputThreshold = 0;

    public void Dispose() => ReducedRecurrentWeights.Int8InputThreshold = ReducedRecurrentWeights.MinInt8InputWeights;

    [Fact]
    public void OnlyAWeightIhPastTheCachesIsQuantized()
    {
        ReducedRecurrentWeights.Int8InputThreshold = ReducedRecurrentWeights.MinInt8InputWeights;
        Assert.True(ReducedRecurrentWeights.QuantizesInput(4 * 1024, 1024));   // LSTM H = 1024, input 1024: 16 MiB
        Assert.True(ReducedRecurrentWeights.QuantizesInput(4 * 256, 256));     // LSTM H = 256, input 256: 1 MiB exactly
        Assert.False(ReducedRecurrentWeights.QuantizesInput(4 * 256, 255));    // one column fewer
        Assert.False(ReducedRecurrentWeights.QuantizesInput(4 * 128, 128));    // LSTM H = 128, input 128: 256 KiB
        Assert.False(ReducedRecurrentWeights.QuantizesInput(64, ReducedRecurrentWeights.MaxInt8Columns + 1 + (1 << 20) / 64));
    }

    [Fact]
    public void BelowTheThresholdTheInputProjectionStaysFloat32()
    {
        // Made at the default threshold: with W_hh = 0 the int8 recurrent term is exactly 0, so the int8 output is the
        // float32 output, bit for bit, only if the input projection stayed float32.
        ReducedRecurrentWeights.Int8InputThreshold = ReducedRecurrentWeights.MinInt8InputWeights;
        var model = new Int8ProjectionRnnWide(seed: 3);
        model.ImportParameters(model.ExportParameters().Select(t => t.Name == "rnn.weight_hh_l0" ? t with { Data = new float[t.Data.Length] } : t).ToList());
        float[] x = NumericalCheck.RandomFloats(new Random(4), 2 * 5 * Int8ProjectionRnnWide.InputSize, 3);
        float[] float32 = Infer(model, x);
        model.InferencePrecision = InferencePrecision.Int8;
        Assert.Equal(float32, Infer(model, x));
        // The same model made while the threshold is 0 does quantize it (the check above can fail).
        ReducedRecurrentWeights.Int8InputThreshold = 0;
        var quantized = new Int8ProjectionRnnWide(seed: 3);
        quantized.ImportParameters(model.ExportParameters());
        quantized.InferencePrecision = InferencePrecision.Int8;
        Assert.NotEqual(float32, Infer(quantized, x));
    }

    [Theory]
    [InlineData(false, 3, 7)]
    [InlineData(true, 2, 9)]
    public void TheProjectionIsThatOfTheDequantizedWeightsAndInputs(bool narrow, int batch, int steps)
    {
        IFloatSequenceModel model = narrow ? new Int8ProjectionRnnNarrow(seed: 3) : new Int8ProjectionRnnWide(seed: 3);
        int input = model.InputSize, hidden = model.OutputSize;
        model.ImportParameters(model.ExportParameters().Select(t => t.Name == "rnn.weight_hh_l0" ? t with { Data = new float[t.Data.Length] } : t).ToList());
        var p = model.ExportParameters().ToDictionary(t => t.Name, t => t.Data);
        float[] w = p["rnn.weight_ih_l0"], bih = p["rnn.bias_ih_l0"], bhh = p["rnn.bias_hh_l0"];
        float[] x = NumericalCheck.RandomFloats(new Random(4), batch * steps * input, 3);
        model.InferencePrecision = InferencePrecision.Int8;
        float[] y = new float[batch * steps * hidden];
        model.Forward(x, batch, steps, y);

        double largestFromFloat32 = 0;
        for (int row = 0; row < batch * steps; row++)
        {
            (double xScale, int[] xLevels) = Levels(x.AsSpan(row * input, input));
            for (int i = 0; i < hidden; i++)
            {
                (double wScale, int[] wLevels) = Levels(w.AsSpan(i * input, input));
                double dot = 0, exact = 0;
                for (int k = 0; k < input; k++)
                {
                    dot += wScale * wLevels[k] * xScale * xLevels[k];
                    exact += (double)w[i * input + k] * x[row * input + k];
                }
                double expected = Math.Tanh(dot + bih[i] + bhh[i]);
                Assert.True(Math.Abs(y[row * hidden + i] - expected) <= 1e-5,
                    $"row {row}, unit {i}: {y[row * hidden + i]:R}, expected {expected:R} from the dequantized values");
                largestFromFloat32 = Math.Max(largestFromFloat32, Math.Abs(expected - Math.Tanh(exact + bih[i] + bhh[i])));
            }
        }
        // The check above would not tell the float32 projection from the int8 one if they were this close.
        Assert.True(largestFromFloat32 > 1e-4, $"the quantized projection is only {largestFromFloat32:E2} from float32's here");
    }

    [Fact]
    public void AWriteToWeightIhReachesTheNextInt8Call()
    {
        IFloatSequenceModel model = new Int8ProjectionRnnWide(seed: 5);
        float[] x = NumericalCheck.RandomFloats(new Random(2), 2 * 6 * model.InputSize, 1);
        model.InferencePrecision = InferencePrecision.Int8;
        float[] before = Infer(model, x);
        int at = 0;  // weight_ih_l0 is the first tensor
        Assert.Equal("rnn.weight_ih_l0", model.ExportParameters()[0].Name);
        Span<float> p = model.Parameters;
        for (int i = 0; i < model.ExportParameters()[0].Data.Length; i++) p[at + i] *= -0.5f;
        float[] after = Infer(model, x);
        var fresh = new Int8ProjectionRnnWide(seed: 9);
        fresh.ImportParameters(model.ExportParameters());
        fresh.InferencePrecision = InferencePrecision.Int8;
        Assert.NotEqual(before, after);
        Assert.Equal(Infer(fresh, x), after);
    }

    private static float[] Infer(IFloatSequenceModel model, float[] x)
    {
        float[] y = new float[x.Length / model.InputSize * model.OutputSize];
        model.Forward(x, 2, x.Length / model.InputSize / 2, y);
        return y;
    }

    // The documented symmetric quantization of a row: scale max|v| / 127 (1 for zeros), levels round(v * 127 / max).
    private static (double Scale, int[] Levels) Levels(ReadOnlySpan<float> v)
    {
        float max = 0f;
        foreach (float e in v) max = MathF.Max(max, MathF.Abs(e));
        int[] levels = new int[v.Length];
        if (max == 0f) return (1, levels);
        float inverse = 127f / max;
        for (int k = 0; k < v.Length; k++) levels[k] = (int)Math.Clamp(MathF.Round(v[k] * inverse), -127f, 127f);
        return (max / 127f, levels);
    }
}
