using System;
using System.Linq;
using CodeGenLstm.Tests.Reference;
using Xunit;

namespace CodeGenLstm.Tests.Numerics;

/// <summary>
/// Real-time streaming: a Stateful model fed one step per call at batch 1 gives, step by step, what one Forward over
/// the whole sequence gives, ends in the same final state, agrees with the double-precision reference, and allocates
/// nothing per call once warm.
/// </summary>
[Trait("Category", "Numerical")]
public class StreamingTests
{
    private const int Steps = 12;

    /// <summary>
    /// Streamed against whole: |a - b| &lt;= 1e-6 (1 + |b|). Both run the same cell kernels on the same state, but the
    /// input projection of a one-step call is a one-row product while the whole sequence's is a product over every step's
    /// rows at once, and a product kernel may block the rows differently (a row tail against full row blocks) and so
    /// round a sum in another order: a few units in the last place, which the recurrence carries on. Float32's unit
    /// in the last place at 1 is 1.2e-7; 1e-6 allows about eight of them and no real difference.
    /// </summary>
    private const float StreamedAgainstWhole = 1e-6f;

    [Fact]
    public void Lstm_TwoLayers() => Check(new Lstm2(3), new Lstm2(3), Catalogue.Recurrent(RefCell.Lstm, 2, false));

    [Fact]
    public void Gru_TwoLayers() => Check(new Gru2(3), new Gru2(3), Catalogue.Recurrent(RefCell.Gru, 2, false));

    [Fact]
    public void Rnn_TwoLayers() => Check(new Rnn2(3), new Rnn2(3), Catalogue.Recurrent(RefCell.Rnn, 2, false));

    private static void Check(IFloatSequenceModel streamed, IFloatSequenceModel whole, ReferenceModel reference)
    {
        int inputSize = streamed.InputSize, outputSize = streamed.OutputSize;
        float[] x = NumericalCheck.RandomFloats(new Random(41), Steps * inputSize, 1);

        // The whole sequence in one call, the model not Stateful.
        float[] expected = new float[Steps * outputSize];
        float[] expectedH = new float[streamed.StateSize], expectedC = new float[streamed.CellStateSize];
        whole.Forward(x, 1, Steps, expected);
        whole.GetFinalState(expectedH, expectedC);

        // One step per call, Stateful carrying the state; run twice, ResetState between, so the second stream starts
        // from zeros as the first did and the first is the warm-up for the allocation count.
        streamed.Stateful = true;
        float[] output = new float[Steps * outputSize];
        float[] h = new float[streamed.StateSize], c = new float[streamed.CellStateSize];
        long allocated = 0;
        for (int stream = 0; stream < 2; stream++)
        {
            streamed.ResetState();
            Array.Clear(output);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int t = 0; t < Steps; t++)
                streamed.Forward(x.AsSpan(t * inputSize, inputSize), 1, 1, output.AsSpan(t * outputSize, outputSize));
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        streamed.GetFinalState(h, c);
        Assert.Equal(0, allocated);

        AssertClose("output", expected, output);
        AssertClose("final h", expectedH, h);
        AssertClose("final c", expectedC, c);

        // And both against the independent double-precision reference on the same weights.
        double[] parameters = ReferenceMath.ToDouble(streamed.Parameters);
        RefResult oracle = reference.Forward(parameters, ReferenceMath.ToDouble(x), null, 1, Steps);
        NumericalCheck.AssertClose("streamed output", output, oracle.Output, NumericalCheck.ForwardTolerance);
        NumericalCheck.AssertClose("streamed final h", h, oracle.FinalH, NumericalCheck.ForwardTolerance);
        NumericalCheck.AssertClose("streamed final c", c, oracle.FinalC, NumericalCheck.ForwardTolerance);
    }

    private static void AssertClose(string what, float[] whole, float[] streamed)
    {
        Assert.Equal(whole.Length, streamed.Length);
        for (int i = 0; i < whole.Length; i++)
            Assert.True(Math.Abs(whole[i] - streamed[i]) <= StreamedAgainstWhole * (1 + Math.Abs(whole[i])),
                $"{what}[{i}]: whole sequence {whole[i]:R}, streamed {streamed[i]:R}");
    }
}
