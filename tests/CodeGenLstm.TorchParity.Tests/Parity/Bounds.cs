namespace CodeGenLstm.TorchParity.Tests.Parity;

/// <summary>
/// How close our float32 numbers must be to libtorch's float32 numbers. docs/pytorch-interop.md gives
/// the measured worst cases these were chosen from.
/// </summary>
/// <remarks>
/// Both sides compute in float32 with different summation orders (libtorch: MKL/oneDNN GEMMs and its
/// own gate kernels; ours: vector fused multiply-adds) and different tanh/sigmoid/exp approximations, so
/// they cannot agree bit for bit; they differ by accumulated rounding, a few units of 2^-24 times the
/// magnitudes involved.
/// <para>Forward (output, h_n, c_n): |ours - torch| &lt;= 1e-5 * max(1, |torch|): 1e-5 absolute for values
/// of order one (the bound), relative for the larger values a ReLU RNN reaches.</para>
/// <para>Gradients: |ours - torch| &lt;= 1e-4 * |torch| + 1e-5 * S, where S is the largest |torch gradient|
/// of the cell the tensor belongs to (one stacked layer in one direction: weight_ih, weight_hh,
/// bias_ih, bias_hh together; a Dense's weight and bias; the embedding table; the input gradient
/// alone). A gradient is a sum over batch and steps, and its rounding error is relative to the size of
/// the terms summed, not to the sum: a bias gradient that cancels to 0.0085 from terms of size one
/// carries the rounding of terms of size one. The cell's largest gradient (its weight_ih, a sum of the
/// same terms times inputs) measures that size; the tensor's own largest element does not.</para>
/// </remarks>
public static class Bounds
{
    public const double Forward = 1e-5;
    public const double GradientRelative = 1e-4;
    public const double GradientFloor = 1e-5;

    /// <summary>S is at least this, so that an all-zero gradient still has a (tiny) tolerance.</summary>
    public const double GradientMinimumScale = 1e-3;
}
