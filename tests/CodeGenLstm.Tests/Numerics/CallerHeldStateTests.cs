using System;
using Xunit;

namespace CodeGenLstm.Tests.Numerics;

/// <summary>
/// Streaming with the state held by the caller (docs/scale.md): pieces of a stream run through any pooled
/// instance, with SetInitialState before and GetFinalState after each piece, give what one Forward over the
/// whole stream gives, however the sessions interleave.
/// </summary>
[Trait("Category", "Numerical")]
public class CallerHeldStateTests
{
    private static readonly int[] PieceSteps = { 3, 1, 4, 2 };

    [Fact]
    public void InterleavedSessionsOnPooledInstancesEqualWholeStreams_Lstm() =>
        Check(() => new Lstm2(5), Lstm2.InputSize, Lstm2.OutputSize, Lstm2.StateSize, Lstm2.CellStateSize);

    [Fact]
    public void InterleavedSessionsOnPooledInstancesEqualWholeStreams_RnnWithDense() =>
        Check(() => new WideRnnDense(5), WideRnnDense.InputSize, WideRnnDense.OutputSize, WideRnnDense.StateSize, 0);

    private static void Check(Func<IFloatSequenceModel> create, int inputSize, int outputSize, int stateSize, int cellStateSize)
    {
        int steps = 0;
        foreach (int s in PieceSteps) steps += s;

        // Two sessions' whole streams, each run at once on a fresh instance: the expected outputs and final states.
        var streams = new float[2][];
        var expected = new float[2][];
        var expectedH = new float[2][];
        var expectedC = new float[2][];
        for (int session = 0; session < 2; session++)
        {
            streams[session] = NumericalCheck.RandomFloats(new Random(30 + session), steps * inputSize, 1);
            expected[session] = new float[steps * outputSize];
            expectedH[session] = new float[stateSize];
            expectedC[session] = new float[cellStateSize];
            IFloatSequenceModel whole = create();
            whole.Forward(streams[session], 1, steps, expected[session]);
            whole.GetFinalState(expectedH[session], expectedC[session]);
        }

        // A pool of two instances with the same weights; pieces alternate between sessions, and each piece goes
        // to the instance the other session used last, so every instance runs both streams.
        IFloatSequenceModel[] pool = { create(), create() };
        var h = new[] { new float[stateSize], new float[stateSize] };
        var c = new[] { new float[cellStateSize], new float[cellStateSize] };
        var outputs = new[] { new float[steps * outputSize], new float[steps * outputSize] };
        int offset = 0, call = 0;
        foreach (int pieceSteps in PieceSteps)
        {
            for (int session = 0; session < 2; session++, call++)
            {
                IFloatSequenceModel model = pool[call % 2];
                model.SetInitialState(h[session], c[session]);
                model.Forward(streams[session].AsSpan(offset * inputSize, pieceSteps * inputSize), 1, pieceSteps,
                    outputs[session].AsSpan(offset * outputSize, pieceSteps * outputSize));
                model.GetFinalState(h[session], c[session]);
            }
            offset += pieceSteps;
        }

        for (int session = 0; session < 2; session++)
        {
            AssertClose(expected[session], outputs[session], $"session {session}, outputs");
            AssertClose(expectedH[session], h[session], $"session {session}, final h");
            AssertClose(expectedC[session], c[session], $"session {session}, final c");
        }
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + Math.Abs(expected[i])),
                $"{what}[{i}]: whole stream {expected[i]}, pieces {actual[i]}");
    }
}
