using System;
using System.ComponentModel;

namespace CodeGenLstm.Generated;

/// <summary>
/// The end of a generated model's Backward: StepGradientNorms, ||dL/dh_t|| of the top recurrent layer for each
/// step, from the partial sums of squares its backward wrote, [directions, steps, batch, chunks] (one per 64
/// hidden units, each part of a call its own). Each step's sum is added in that fixed order (direction,
/// sequence, chunk), whatever the number of threads, so the norms are the same bits on every run.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class StepNorms
{
    /// <summary>
    /// Writes norms[t] = sqrt(sum over d, b, chunk of squares[((d * steps + t) * batch + b) * chunks + chunk])
    /// for t in 0..steps.
    /// </summary>
    public static void FromSquares(ReadOnlySpan<float> squares, int directions, int steps, int batch, int chunks, Span<float> norms)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(directions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunks, 1);
        if ((long)directions * steps * batch * chunks > squares.Length)
            throw new ArgumentException($"squares has {squares.Length} elements; directions * steps * batch * chunks is {(long)directions * steps * batch * chunks}.", nameof(squares));
        if (norms.Length < steps)
            throw new ArgumentException($"norms has {norms.Length} elements; expected at least steps ({steps}).", nameof(norms));
        for (int t = 0; t < steps; t++)
        {
            float sum = 0f;
            for (int d = 0; d < directions; d++)
            {
                for (int b = 0; b < batch; b++)
                {
                    int at = ((d * steps + t) * batch + b) * chunks;
                    for (int chunk = 0; chunk < chunks; chunk++) sum += squares[at + chunk];
                }
            }
            norms[t] = MathF.Sqrt(sum);
        }
    }
}
