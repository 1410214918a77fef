using System;

namespace CodeGenLstm;

/// <summary>
/// Gradient clipping, the standard guard against exploding gradients in recurrent networks
/// (Pascanu et al. 2013). Call it between the model's Backward and the optimizer's Step, on the whole
/// flat <c>Gradients</c> span so that the norm is the global one, as PyTorch's clip_grad_norm_ over
/// all parameters.
/// </summary>
/// <remarks>
/// Norms are accumulated in double (each square of a float is exact in double, only the additions
/// round), so they stay accurate to float precision for any realistic number of parameters, and a
/// single huge gradient (up to float.MaxValue) does not overflow the sum. Nothing here allocates.
/// </remarks>
public static class Clip
{
    /// <summary>
    /// PyTorch's clip_grad_norm_ divides by norm + 1e-6 rather than by the norm, so that a clipped
    /// gradient's norm is a hair below maxNorm; this does the same, so the results match PyTorch's.
    /// </summary>
    public const double NormEpsilon = 1e-6;

    /// <summary>
    /// Scales <paramref name="gradients"/> so that their L2 norm is at most <paramref name="maxNorm"/>
    /// and returns the norm before clipping (log it: it is the best early sign of exploding or
    /// vanishing gradients). When the norm exceeds maxNorm every element is multiplied by
    /// maxNorm / (norm + <see cref="NormEpsilon"/>), as PyTorch; otherwise nothing changes.
    /// If the norm is not finite (a NaN or infinite gradient) it is returned and the gradients are left
    /// untouched: scaling could not repair them, and the caller decides, typically by skipping the step.
    /// </summary>
    /// <param name="gradients">The gradients, clipped in place.</param>
    /// <param name="maxNorm">The largest allowed norm; above 0 (+inf turns clipping off), else <see cref="ArgumentOutOfRangeException"/>.</param>
    /// <returns>
    /// The L2 norm before clipping, rounded to float. In the corner where finite gradients have a norm
    /// above float.MaxValue it is +inf, yet the gradients are scaled, from the norm kept in double.
    /// </returns>
    public static float GlobalNorm(Span<float> gradients, float maxNorm)
    {
        if (!(maxNorm > 0f))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The largest norm must be above 0.");
        double norm = Math.Sqrt(TrainingKernels.SumOfSquares(Simd.ActiveWidth, gradients));
        if (double.IsFinite(norm) && norm > maxNorm)
            TrainingKernels.Scale(Simd.ActiveWidth, gradients, (float)(maxNorm / (norm + NormEpsilon)));
        return (float)norm;
    }

    /// <summary>
    /// Clamps every gradient to [-maxAbs, maxAbs] (char-rnn's and Keras' clipvalue way, which bounds each
    /// element without changing the others) and returns the largest |g| before clamping. NaN elements
    /// stay NaN and make the result NaN, so a caller can detect them as with <see cref="GlobalNorm"/>.
    /// </summary>
    /// <param name="gradients">The gradients, clamped in place.</param>
    /// <param name="maxAbs">The bound; above 0, else <see cref="ArgumentOutOfRangeException"/>.</param>
    /// <returns>The largest absolute gradient before clamping (0 for an empty span).</returns>
    public static float Value(Span<float> gradients, float maxAbs)
    {
        if (!(maxAbs > 0f))
            throw new ArgumentOutOfRangeException(nameof(maxAbs), maxAbs, "The bound must be above 0.");
        return TrainingKernels.ClampMaxAbs(Simd.ActiveWidth, gradients, maxAbs);
    }

    /// <summary>
    /// The L2 norm of <paramref name="values"/>, accumulated in double: for monitoring gradients or
    /// parameters without changing them. NaN if any value is NaN, +inf if any is infinite (or if the
    /// norm exceeds float.MaxValue).
    /// </summary>
    public static float Norm(ReadOnlySpan<float> values) =>
        (float)Math.Sqrt(TrainingKernels.SumOfSquares(Simd.ActiveWidth, values));
}
