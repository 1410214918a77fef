using System;
using System.Collections.Generic;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// One case of the precision table, untimed: ours in float32, bfloat16 and int8 on the same weights and inputs, each
/// reduced precision's largest output error against our float32, and ONNX Runtime's DynamicQuantizeLSTM fed our int8
/// W_hh, checked against our float32 within <see cref="Int8PeerFactor"/> times our own int8 error.
/// </summary>
public sealed class PrecisionRuns : IDisposable
{
    /// <summary>
    /// How far ONNX Runtime's int8 LSTM may be from our float32, as a multiple of our int8's distance from it. Both
    /// round W_hh to the same int8 values and h to 8 bits at every step, but ONNX Runtime also quantizes the input
    /// projection (W per column, and X with one scale for all steps and sequences; ours keeps W_ih and x in float32)
    /// and takes one scale for h over the sequences a thread computes (ours one per sequence): about twice the rounding
    /// sources, so an error about twice ours is expected, and 4x leaves room for the coarser shared scales (2.5x and
    /// 3.0x over the four cases of the table with 2 threads, 2.8x at H = 256, B = 16 with one thread). A wrong layout (gate order, a transposed R) is off by 0.1 and more, far outside
    /// (the negative control of <see cref="NegativeControlRefused"/> shows it on every case).
    /// </summary>
    public const double Int8PeerFactor = StreamingChecks.Int8PeerFactor;  // one value for --precision and --streaming

    public PrecisionRuns(Case c, int threads)
    {
        Case = c;
        foreach (InferencePrecision precision in new[] { InferencePrecision.Float32, InferencePrecision.BFloat16, InferencePrecision.Int8 })
        {
            var ours = new Ours(c);
            ours.Model.InferencePrecision = precision;
            ours.Inference();
            Ours.Add(ours);
            Outputs.Add((float[])ours.Y.Clone());
        }
        BFloat16Error = LargestError(Outputs[0], Outputs[1]);
        Int8Error = LargestError(Outputs[0], Outputs[2]);

        Int8Peer = new OnnxInt8Peer(c, Ours[2].Model, threads);
        Int8PeerError = LargestError(Outputs[0], Int8Peer.InferenceOutput());
        double bound = Int8PeerFactor * Int8Error;
        Int8PeerWrong = Int8PeerError <= bound ? null
            : $"ONNX Runtime DynamicQuantizeLSTM is {Int8PeerError:E2} from our float32, over {Int8PeerFactor} x our int8's {Int8Error:E2}";
    }

    public Case Case { get; }

    /// <summary>Ours in float32, bfloat16 and int8, each after one inference call.</summary>
    public List<Ours> Ours { get; } = new();

    /// <summary>Their first outputs, in the same order.</summary>
    public List<float[]> Outputs { get; } = new();

    public double BFloat16Error { get; }

    public double Int8Error { get; }

    public OnnxInt8Peer Int8Peer { get; }

    public double Int8PeerError { get; }

    /// <summary>Null when ONNX Runtime's int8 LSTM is within its bound, else why it is not timed.</summary>
    public string? Int8PeerWrong { get; }

    /// <summary>
    /// Whether the check refuses the same peer built with the gate blocks left in PyTorch's order: it must, or the
    /// bound would let a wrong computation be timed.
    /// </summary>
    public bool NegativeControlRefused(int threads, out double error)
    {
        using var wrong = new OnnxInt8Peer(Case, Ours[2].Model, threads, keepTorchGateOrder: true);
        error = LargestError(Outputs[0], wrong.InferenceOutput());
        return !(error <= Int8PeerFactor * Int8Error);
    }

    /// <summary>Largest |a - b|; NaN when a value is NaN (so that a NaN is never within a bound).</summary>
    public static double LargestError(float[] expected, float[] actual)
    {
        if (expected.Length != actual.Length) return double.NaN;
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs((double)expected[i] - actual[i]);
            if (double.IsNaN(difference)) return double.NaN;
            worst = Math.Max(worst, difference);
        }
        return worst;
    }

    public void Dispose() => Int8Peer.Dispose();
}
