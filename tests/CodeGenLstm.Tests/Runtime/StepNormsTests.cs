using System;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Runtime;

/// <summary>
/// StepGradientNorms from the partial sums of squares a top recurrent stage's backward writes, [directions,
/// steps, batch, chunks]: each step's norm is the square root of its sum over directions, sequences and chunks.
/// </summary>
public class StepNormsTests
{
    [Fact]
    public void EachStepSumsItsDirectionsSequencesAndChunks()
    {
        const int directions = 2, steps = 3, batch = 2, chunks = 2;
        float[] squares = new float[directions * steps * batch * chunks];
        // squares[d, t, b, c] = (t + 1) * (1 + d + 2b + 4c): a hand sum per step is (t + 1) * sum over d, b, c.
        for (int d = 0; d < directions; d++)
            for (int t = 0; t < steps; t++)
                for (int b = 0; b < batch; b++)
                    for (int c = 0; c < chunks; c++)
                        squares[((d * steps + t) * batch + b) * chunks + c] = (t + 1) * (1 + d + 2 * b + 4 * c);
        // Over d, b, c in {0, 1}: 8 terms, 8 + 4 * (1 + 2 + 4) = 36.
        float[] norms = new float[steps + 1];
        norms[steps] = -1f;
        StepNorms.FromSquares(squares, directions, steps, batch, chunks, norms);
        Assert.Equal(MathF.Sqrt(36f), norms[0]);
        Assert.Equal(MathF.Sqrt(72f), norms[1]);
        Assert.Equal(MathF.Sqrt(108f), norms[2]);
        Assert.Equal(-1f, norms[steps]);  // nothing past steps is written
    }

    [Fact]
    public void OneDirectionAndOneChunkReadEachSequenceOnce()
    {
        float[] squares = { 9, 16, 1, 3 };  // [steps 2, batch 2]
        float[] norms = new float[2];
        StepNorms.FromSquares(squares, 1, 2, 2, 1, norms);
        Assert.Equal(new float[] { 5, 2 }, norms);
    }

    [Fact]
    public void ShortSpansAreRejected()
    {
        Assert.Throws<ArgumentException>(() => StepNorms.FromSquares(new float[3], 1, 2, 2, 1, new float[2]));
        Assert.Throws<ArgumentException>(() => StepNorms.FromSquares(new float[4], 1, 2, 2, 1, new float[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => StepNorms.FromSquares(new float[4], 0, 2, 2, 1, new float[2]));
    }
}
