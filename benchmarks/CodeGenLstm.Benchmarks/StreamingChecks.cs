using System;
using System.Collections.Generic;
using System.Globalization;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// What --streaming checks before it times a precision, as pure functions of the outputs (no model, no peer), so that
/// a test can give them outputs that must pass and outputs that must not. In every precision, ours streamed must give
/// what ours gives on the whole sequence; in bfloat16 and int8 it must also stay as near our float32 as the whole
/// sequence does; ONNX Runtime's int8 streamed must be within <see cref="Int8PeerFactor"/> times our int8's distance
/// from our float32, the bound of the --precision mode and for the same reasons (PrecisionRuns explains it).
/// </summary>
public static class StreamingChecks
{
    /// <summary>The precisions --precisions takes, in the table's order.</summary>
    public static IReadOnlyList<string> Precisions { get; } = new[] { "fp32", "bf16", "int8" };

    /// <summary>PrecisionRuns.Int8PeerFactor (which says why 4), defined here so that this file compiles alone in the benchmark's tests.</summary>
    public const double Int8PeerFactor = 4;

    /// <summary>
    /// Ours streamed against ours on the whole sequence, in any precision: the one-row and many-row products may sum in
    /// another order (float32's input projection), so the bound of StreamingTests, 1e-6 (1 + |value|), not bit equality.
    /// </summary>
    public static bool WithinStreamingBound(float[] whole, float[] streamed)
    {
        if (whole.Length != streamed.Length) return false;
        for (int i = 0; i < whole.Length; i++)
            if (!(Math.Abs(whole[i] - streamed[i]) <= 1e-6f * (1 + Math.Abs(whole[i])))) return false;
        return true;
    }

    /// <summary>"bitwise equal", or the largest difference.</summary>
    public static string Difference(float[] a, float[] b) => a.AsSpan().SequenceEqual(b) ? "bitwise equal"
        : string.Create(CultureInfo.InvariantCulture, $"largest difference {LargestError(a, b):E2}");

    /// <summary>Largest |a - b|; NaN when a value is NaN or the lengths differ (so that it is never within a bound).</summary>
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

    /// <summary>
    /// Ours in a reduced precision: null when right, else why not. <paramref name="float32"/> is our float32 on the whole
    /// sequence, <paramref name="whole"/> and <paramref name="streamed"/> ours in the reduced precision. Streamed must be
    /// within the streaming bound of whole (the same roundings of the same values, whether the steps come in one call or
    /// in many), and no further from float32 than <paramref name="limit"/>, an error from outside ours in this precision
    /// (<see cref="Limit"/>), so that a fault shared by our streamed and whole paths is caught too.
    /// </summary>
    public static string? OursReducedWrong(string precision, float[] float32, float[] whole, float[] streamed, double limit)
    {
        if (!WithinStreamingBound(whole, streamed))
            return $"ours {precision} streamed differs from ours {precision} on the whole sequence: {Difference(whole, streamed)} (bound 1e-6 (1 + |value|))";
        double error = LargestError(float32, streamed);
        return error <= limit ? null : string.Create(CultureInfo.InvariantCulture,
            $"ours {precision} streamed is {error:E2} from our float32, over its limit {limit:E2}");
    }

    /// <summary>
    /// How far from our float32 ours in <paramref name="precision"/> may be. Int8: <see cref="Int8PeerFactor"/> times ONNX
    /// Runtime's int8 error (<paramref name="peerInt8Error"/>), an int8 LSTM computed apart from ours that rounds the same
    /// products with coarser scales, so its error is expected above ours, not 4x below. Bfloat16: our int8's error
    /// (<paramref name="oursInt8Error"/>): rounding a weight to bfloat16 moves it by at most 2^-9 of itself, at most half of
    /// what int8 moves its row's largest weight (max|w| / 254), and bfloat16 leaves h and x unrounded.
    /// </summary>
    public static double Limit(string precision, double oursInt8Error, double peerInt8Error) => precision switch
    {
        "int8" => Int8PeerFactor * peerInt8Error,
        "bf16" => oursInt8Error,
        _ => throw new ArgumentException($"no limit for {precision}", nameof(precision)),
    };

    /// <summary>
    /// ONNX Runtime's int8 streamed: null when within <see cref="Int8PeerFactor"/> times our int8's largest error
    /// (<paramref name="oursInt8"/> against <paramref name="float32"/>, both on the whole sequence), else why not.
    /// </summary>
    public static string? PeerInt8Wrong(float[] float32, float[] oursInt8, float[] peerStreamed)
    {
        double ours = LargestError(float32, oursInt8), peer = LargestError(float32, peerStreamed);
        return peer <= Int8PeerFactor * ours ? null : string.Create(CultureInfo.InvariantCulture,
            $"ONNX Runtime DynamicQuantizeLSTM streamed is {peer:E2} from our float32, over {Int8PeerFactor} x our int8's {ours:E2}");
    }
}
