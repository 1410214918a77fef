using System;

namespace CodeGenLstm;

/// <summary>
/// Weight initialisers, as PyTorch's <c>torch.nn.init</c> defines them. Generated constructors call
/// them in state_dict order with one <see cref="Rng"/>, so a seed determines every weight.
/// </summary>
public static class Initializers
{
    /// <summary>Fills <paramref name="values"/> uniformly in [-bound, bound).</summary>
    public static void Uniform(Span<float> values, float bound, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int i = 0; i < values.Length; i++)
            values[i] = rng.Uniform(-bound, bound);
    }

    /// <summary>Fills <paramref name="values"/> from N(0, std^2) (PyTorch's <c>normal_</c>; Embedding uses std 1).</summary>
    public static void Normal(Span<float> values, float std, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)(std * rng.NextNormal());
    }

    /// <summary>Glorot uniform over a [rows, cols] matrix: ±gain * sqrt(6 / (cols + rows)), as <c>xavier_uniform_</c>.</summary>
    public static void XavierUniform(Span<float> values, int rows, int cols, float gain, Rng rng)
    {
        CheckMatrix(values, rows, cols);
        Uniform(values, gain * MathF.Sqrt(6f / (rows + cols)), rng);
    }

    /// <summary>
    /// A [rows, cols] matrix with orthonormal rows (rows &lt;= cols) or columns (rows &gt; cols), times
    /// <paramref name="gain"/>: the Q of a QR decomposition of a Gaussian matrix with the signs of R's
    /// diagonal, as <c>orthogonal_</c> draws it. All its singular values equal the gain.
    /// </summary>
    public static void Orthogonal(Span<float> values, int rows, int cols, float gain, Rng rng)
    {
        CheckMatrix(values, rows, cols);
        ArgumentNullException.ThrowIfNull(rng);
        // Work on the tall orientation [n, k] with n >= k and orthonormalise its k columns.
        int n = Math.Max(rows, cols), k = Math.Min(rows, cols);
        var q = new double[n * k];
        for (int i = 0; i < q.Length; i++) q[i] = rng.NextNormal();
        // Modified Gram-Schmidt, twice per column for stability ("twice is enough", Giraud et al. 2005).
        // Its R has a positive diagonal, so Q needs no sign correction to be Haar-distributed.
        for (int j = 0; j < k; j++)
        {
            for (int pass = 0; pass < 2; pass++)
            {
                for (int p = 0; p < j; p++)
                {
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += q[i * k + p] * q[i * k + j];
                    for (int i = 0; i < n; i++) q[i * k + j] -= dot * q[i * k + p];
                }
                double norm = 0;
                for (int i = 0; i < n; i++) norm += q[i * k + j] * q[i * k + j];
                norm = Math.Sqrt(norm);
                for (int i = 0; i < n; i++) q[i * k + j] /= norm;
            }
        }
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                values[r * cols + c] = (float)(gain * (rows >= cols ? q[r * k + c] : q[c * k + r]));
    }

    /// <summary>A square matrix <paramref name="gain"/> times the identity (IRNN, Le et al. 2015).</summary>
    public static void Identity(Span<float> values, int size, float gain)
    {
        CheckMatrix(values, size, size);
        values.Clear();
        for (int i = 0; i < size; i++) values[i * size + i] = gain;
    }

    private static void CheckMatrix(Span<float> values, int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        if (values.Length != (long)rows * cols)
            throw new ArgumentException($"values has {values.Length} elements; a [{rows}, {cols}] matrix needs {(long)rows * cols}.", nameof(values));
    }
}
