using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
// The matrix-product family of each width (SharedKernels.GemmFamily.cs).
using Gemm512 = CodeGenLstm.Generated.GemmFamily<CodeGenLstm.Generated.KernelOps512, System.Runtime.Intrinsics.Vector512<float>>;
using Gemm256 = CodeGenLstm.Generated.GemmFamily<CodeGenLstm.Generated.KernelOps256, System.Runtime.Intrinsics.Vector256<float>>;
using Gemm128 = CodeGenLstm.Generated.GemmFamily<CodeGenLstm.Generated.KernelOps128, System.Runtime.Intrinsics.Vector128<float>>;

namespace CodeGenLstm.Generated;

// The matrix products every stage runs, for any sizes: the checks at the edge, the choice of width, and the
// scalar reference. The vector bodies are in SharedKernels.Products.Vector.cs. Generated code passes its sizes
// as constants; inside, the reductions run in the micro-kernels, which take K as an argument anyway, so
// constant sizes here would only change a few comparisons per panel.
public static partial class SharedKernels
{
    /// <summary>
    /// C[m, n] = start + A[m, k] B[k, n] for rows [rowStart, rowEnd) and the panels of columns [columnStart, columnEnd)
    /// (columnStart a multiple of <see cref="PanelWidth"/>; the panel holding columnEnd - 1 is computed whole, up to n);
    /// start is C itself when <paramref name="accumulate"/>, else the bias when given, else 0. A has row stride
    /// <paramref name="lda"/>, C row stride <paramref name="ldc"/>; B is packed by <see cref="PackPanels"/> for this
    /// width, the bias by <see cref="PackBias"/>. Every C[i, j] sums its k terms in order, at every width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatMul(int width, int k, int n, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> packed, ReadOnlySpan<float> bias,
        Span<float> c, int ldc, int rowStart, int rowEnd, int columnStart, int columnEnd, bool accumulate)
    {
        if (k < 1 || n < 1) ThrowExtent(nameof(MatMul));
        if (rowEnd <= rowStart || columnEnd <= columnStart) return;
        int nr = PanelWidth(width);
        long paddedN = (n + (long)nr - 1) / nr * nr;
        if (lda < k || ldc < n || rowStart < 0 || columnStart < 0 || columnEnd > n || columnStart % nr != 0
            || a.Length < (long)(rowEnd - 1) * lda + k || packed.Length < paddedN * k || c.Length < (long)(rowEnd - 1) * ldc + n
            || (!bias.IsEmpty && bias.Length < paddedN))
            ThrowExtent(nameof(MatMul));
        int init = accumulate ? 1 : bias.IsEmpty ? 0 : 2;
        if (width == 512 && Vector512.IsHardwareAccelerated)
            MatMulVector<Gemm512>(k, n, a, lda, packed, bias, c, ldc, rowStart, rowEnd, columnStart, columnEnd, init);
        else if (width == 256 && Vector256.IsHardwareAccelerated)
            MatMulVector<Gemm256>(k, n, a, lda, packed, bias, c, ldc, rowStart, rowEnd, columnStart, columnEnd, init);
        else if (width == 128 && Vector128.IsHardwareAccelerated)
            MatMulVector<Gemm128>(k, n, a, lda, packed, bias, c, ldc, rowStart, rowEnd, columnStart, columnEnd, init);
        else
            MatMulScalar(k, a, lda, packed, bias, c, ldc, rowStart, rowEnd, columnStart, columnEnd, init);
    }

    /// <summary>
    /// The scalar reference of <see cref="MatMul"/>: every C[i, j] sums its k terms in order, as the vector bodies do.
    /// With a panel width of 1 a panel is one column of B, contiguous.
    /// </summary>
    private static void MatMulScalar(int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> packed, ReadOnlySpan<float> bias,
        Span<float> c, int ldc, int rowStart, int rowEnd, int columnStart, int columnEnd, int init)
    {
        for (int i = rowStart; i < rowEnd; i++)
        {
            ReadOnlySpan<float> ai = a.Slice(i * lda, k);
            for (int j = columnStart; j < columnEnd; j++)
            {
                ReadOnlySpan<float> bj = packed.Slice(j * k, k);
                float sum = init == 1 ? c[i * ldc + j] : init == 2 ? bias[j] : 0f;
                for (int kk = 0; kk < k; kk++) sum += ai[kk] * bj[kk];
                c[i * ldc + j] = sum;
            }
        }
    }

    /// <summary>
    /// C[n1, n2] += A[m, n1]^T B[m, n2] for the rows [rowStart, rowEnd) of C: the sum over m rows of outer products
    /// (weight gradients: a sum over every sequence and step). A and B have row strides <paramref name="lda"/> and
    /// <paramref name="ldb"/>, C is dense. Every C[r, j] adds its m terms in order, at every width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatMulTransposedA(int width, int n1, int n2, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int m, int rowStart, int rowEnd)
    {
        if (n1 < 1 || n2 < 1) ThrowExtent(nameof(MatMulTransposedA));
        if (m <= 0 || rowEnd <= rowStart) return;
        if (lda < n1 || ldb < n2 || rowStart < 0 || rowEnd > n1 || a.Length < (long)(m - 1) * lda + n1
            || b.Length < (long)(m - 1) * ldb + n2 || c.Length < (long)n1 * n2)
            ThrowExtent(nameof(MatMulTransposedA));
        if (width == 512 && Vector512.IsHardwareAccelerated)
            MatMulTransposedAVector<Gemm512>(n2, a, lda, b, ldb, c, m, rowStart, rowEnd);
        else if (width == 256 && Vector256.IsHardwareAccelerated)
            MatMulTransposedAVector<Gemm256>(n2, a, lda, b, ldb, c, m, rowStart, rowEnd);
        else if (width == 128 && Vector128.IsHardwareAccelerated)
            MatMulTransposedAVector<Gemm128>(n2, a, lda, b, ldb, c, m, rowStart, rowEnd);
        else
            MatMulTransposedAScalar(n2, a, lda, b, ldb, c, m, rowStart, rowEnd);
    }

    /// <summary>The scalar reference of <see cref="MatMulTransposedA"/>: every C[r, j] adds its m terms in order, as the vector bodies do.</summary>
    private static void MatMulTransposedAScalar(int n2, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int m, int rowStart, int rowEnd)
    {
        for (int p = 0; p < m; p++)
        {
            ReadOnlySpan<float> bp = b.Slice(p * ldb, n2);
            for (int r = rowStart; r < rowEnd; r++)
            {
                float apr = a[p * lda + r];
                Span<float> cr = c.Slice(r * n2, n2);
                for (int j = 0; j < n2; j++) cr[j] += apr * bp[j];
            }
        }
    }

    /// <summary>
    /// sums[j] += A[0, j] + A[1, j] + ... + A[m - 1, j] for j in [columnStart, columnEnd) of n (bias gradients);
    /// A has row stride <paramref name="lda"/>. Rows in order, each read once; the same sums at every width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddColumnSums(int width, int n, ReadOnlySpan<float> a, int lda, int m, Span<float> sums, int columnStart, int columnEnd)
    {
        if (n < 1) ThrowExtent(nameof(AddColumnSums));
        if (m <= 0 || columnEnd <= columnStart) return;
        if (lda < n || columnStart < 0 || columnEnd > n || a.Length < (long)(m - 1) * lda + n || sums.Length < n)
            ThrowExtent(nameof(AddColumnSums));
        // A width whose vector is wider than the whole row is not used: every column goes the scalar way.
        int vectorEnd = columnStart;
        if (width == 512 && Vector512.IsHardwareAccelerated && n >= Gemm512.Lanes)
            vectorEnd = AddColumnSumsVector<Gemm512>(a, lda, m, sums, columnStart, columnEnd);
        else if (width == 256 && Vector256.IsHardwareAccelerated && n >= Gemm256.Lanes)
            vectorEnd = AddColumnSumsVector<Gemm256>(a, lda, m, sums, columnStart, columnEnd);
        else if (width == 128 && Vector128.IsHardwareAccelerated && n >= Gemm128.Lanes)
            vectorEnd = AddColumnSumsVector<Gemm128>(a, lda, m, sums, columnStart, columnEnd);
        for (int j = vectorEnd; j < columnEnd; j++)
        {
            float sum = sums[j];
            for (int p = 0; p < m; p++) sum += a[p * lda + j];
            sums[j] = sum;
        }
    }

    /// <summary>The whole vectors of <see cref="AddColumnSums"/>' columns; returns where they stop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int AddColumnSumsVector<T>(ReadOnlySpan<float> a, int lda, int m, Span<float> sums, int columnStart, int columnEnd)
        where T : struct, IGemmFamily
    {
        int vectorEnd = columnStart + (columnEnd - columnStart) / T.Lanes * T.Lanes;
        ref float a0 = ref MemoryMarshal.GetReference(a);
        ref float s0 = ref MemoryMarshal.GetReference(sums);
        for (int p = 0; p < m; p++)
        {
            ref float ap = ref Unsafe.Add(ref a0, p * lda);
            for (int j = columnStart; j < vectorEnd; j += T.Lanes)
                T.AddVector(ref s0, ref ap, (nuint)j);
        }
        return vectorEnd;
    }
}
