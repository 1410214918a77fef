using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CodeGenLstm.Generated;

// The vector bodies of the matrix products, written once for every width (IGemmFamily): cache blocking, the
// row loop over the micro-kernels, and the partial panels and columns that go through a tile. Their callers
// (SharedKernels.Products.cs) have checked every span against the sizes, so the refs below stay inside them.
public static partial class SharedKernels
{
    /// <summary>Reduction terms per block in C = A B when k is large: a 512 x 64 panel block (128 KiB) stays in L2.</summary>
    private const int ProductKBlock = 512;

    /// <summary>Rows of A per cache block of C = A B: about 192 KiB of A (one block's rows) stays in L2 while every panel passes.</summary>
    private const int ProductRowBytes = 192 * 1024;

    /// <summary>Rows of A and B per block in C += A^T B: a 256-row block of a 64-column B panel (64 KiB) stays in L2.</summary>
    private const int TransposedBlock = 256;

    /// <summary>Rows of C every width's largest micro-kernel computes at once.</summary>
    private const int GemmRows = 6;

    /// <summary>
    /// <see cref="MatMul"/> on vectors: rows in blocks whose A rows stay in L2 while each weight panel serves all of
    /// them; k in blocks of <see cref="ProductKBlock"/> when it is more than twice that (a later block starts from C).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MatMulVector<T>(int k, int n, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> packed, ReadOnlySpan<float> bias,
        Span<float> c, int ldc, int rowStart, int rowEnd, int columnStart, int columnEnd, int init)
        where T : struct, IGemmFamily
    {
        int nr = T.PanelWidth;
        int kBlock = k > 2 * ProductKBlock ? ProductKBlock : k;
        int rowBlock = Math.Max(GemmRows, ProductRowBytes / 4 / kBlock / GemmRows * GemmRows);
        // The last, partial panel goes through whole vectors here; no tile when every panel is whole.
        Span<float> tile = n % nr != 0 ? stackalloc float[GemmRows * T.PanelWidth] : default;
        ref float a0 = ref MemoryMarshal.GetReference(a);
        ref float b0 = ref MemoryMarshal.GetReference(packed);
        ref float bias0 = ref MemoryMarshal.GetReference(bias);
        ref float c0 = ref MemoryMarshal.GetReference(c);
        ref float t0 = ref MemoryMarshal.GetReference(tile);
        for (int k0 = 0; k0 < k; k0 += kBlock)
        {
            int kc = Math.Min(kBlock, k - k0), start = k0 == 0 ? init : 1;
            ref float ak = ref Unsafe.Add(ref a0, k0);
            for (int i0 = rowStart; i0 < rowEnd; i0 += rowBlock)
            {
                int i1 = Math.Min(rowEnd, i0 + rowBlock);
                for (int j = columnStart; j < columnEnd; j += nr)
                {
                    ref float panel = ref Unsafe.Add(ref b0, j * k + k0 * nr);
                    ref float biasJ = ref Unsafe.Add(ref bias0, j);
                    if (j + nr <= n)
                    {
                        PanelRows<T>(ref ak, lda, ref panel, kc, ref Unsafe.Add(ref c0, j), ldc, i0, i1, start, ref biasJ);
                        continue;
                    }
                    // The last panel has n - j < nr columns: C's rows go through the tile, nr floats apart.
                    int columns = n - j;
                    for (int i = i0; i < i1; i += GemmRows)
                    {
                        int rows = Math.Min(GemmRows, i1 - i);
                        if (start == 1)
                            for (int q = 0; q < rows; q++) c.Slice((i + q) * ldc + j, columns).CopyTo(tile.Slice(q * nr));
                        if (rows == GemmRows)
                            T.Rows6(ref Unsafe.Add(ref ak, i * lda), lda, ref panel, kc, ref t0, nr, start, ref biasJ);
                        else
                            for (int q = 0; q < rows; q++)
                                T.Rows1(ref Unsafe.Add(ref ak, (i + q) * lda), lda, ref panel, kc, ref Unsafe.Add(ref t0, q * nr), nr, start, ref biasJ);
                        for (int q = 0; q < rows; q++) tile.Slice(q * nr, columns).CopyTo(c.Slice((i + q) * ldc + j));
                    }
                }
            }
        }
    }

    /// <summary>
    /// Rows [i0, i1) of one whole panel of C: as many blocks of 6 as fit, then 4, 2 and 1 for the rest. 8 or 9 rows
    /// left go as 4 + 4 (+ 1) rather than 6 + 2 (+ 1): the two-row kernel uses each weight vector it loads only twice
    /// and ran at 73% of the others' speed (LSTM H = 256, Vector512), so 6 + 2 rows took 9% longer than 4 + 4
    /// (batch 16 on two cores is 8 rows per core).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PanelRows<T>(ref float a, int lda, ref float panel, int k, ref float c, int ldc, int i0, int i1, int init, ref float bias)
        where T : struct, IGemmFamily
    {
        int i = i0;
        int sixesEnd = i1 - (i1 - i0) % 6;
        if ((i1 - i0) % 6 is 2 or 3 && i1 - i0 >= 8) sixesEnd -= 6;
        for (; i < sixesEnd; i += 6)
            T.Rows6(ref Unsafe.Add(ref a, i * lda), lda, ref panel, k, ref Unsafe.Add(ref c, i * ldc), ldc, init, ref bias);
        for (; i + 4 <= i1; i += 4)
            T.Rows4(ref Unsafe.Add(ref a, i * lda), lda, ref panel, k, ref Unsafe.Add(ref c, i * ldc), ldc, init, ref bias);
        if (i + 2 <= i1)
        {
            T.Rows2(ref Unsafe.Add(ref a, i * lda), lda, ref panel, k, ref Unsafe.Add(ref c, i * ldc), ldc, init, ref bias);
            i += 2;
        }
        if (i < i1)
            T.Rows1(ref Unsafe.Add(ref a, i * lda), lda, ref panel, k, ref Unsafe.Add(ref c, i * ldc), ldc, init, ref bias);
    }

    /// <summary>
    /// <see cref="MatMulTransposedA"/> on vectors: the m rows in blocks of <see cref="TransposedBlock"/>, in order, so that
    /// a block of B's columns stays in L2 while every row block of C uses it; whole panels of columns, then single
    /// vectors, then the last columns (fewer than a vector) through a copy of B's rows and a tile of C.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MatMulTransposedAVector<T>(int n2, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int m, int rowStart, int rowEnd)
        where T : struct, IGemmFamily
    {
        int lanes = T.Lanes, nr = T.PanelWidth, tail = n2 % lanes;
        Span<float> bTail = tail != 0 ? stackalloc float[TransposedBlock * T.Lanes] : default;
        Span<float> cTile = tail != 0 ? stackalloc float[GemmRows * T.Lanes] : default;
        ref float bt = ref MemoryMarshal.GetReference(bTail);
        ref float ct = ref MemoryMarshal.GetReference(cTile);
        ref float a0 = ref MemoryMarshal.GetReference(a);
        ref float b0 = ref MemoryMarshal.GetReference(b);
        ref float c0 = ref MemoryMarshal.GetReference(c);
        for (int p0 = 0; p0 < m; p0 += TransposedBlock)
        {
            int pc = Math.Min(TransposedBlock, m - p0);
            ref float ap = ref Unsafe.Add(ref a0, p0 * lda);
            ref float bp = ref Unsafe.Add(ref b0, p0 * ldb);
            int j = 0;
            for (; j + nr <= n2; j += nr)
                TransposedRows<T>(wide: true, ref ap, lda, ref Unsafe.Add(ref bp, j), ldb, ref Unsafe.Add(ref c0, j), n2, pc, rowStart, rowEnd);
            for (; j + lanes <= n2; j += lanes)
                TransposedRows<T>(wide: false, ref ap, lda, ref Unsafe.Add(ref bp, j), ldb, ref Unsafe.Add(ref c0, j), n2, pc, rowStart, rowEnd);
            if (tail == 0) continue;
            int columns = n2 - j;
            for (int p = 0; p < pc; p++) b.Slice((p0 + p) * ldb + j, columns).CopyTo(bTail.Slice(p * lanes, columns));
            for (int r = rowStart; r < rowEnd; r += GemmRows)
            {
                int rows = Math.Min(GemmRows, rowEnd - r);
                for (int q = 0; q < rows; q++) c.Slice((r + q) * n2 + j, columns).CopyTo(cTile.Slice(q * lanes));
                if (rows == GemmRows)
                    T.TransposedNarrow6(ref Unsafe.Add(ref ap, r), lda, ref bt, lanes, ref ct, lanes, pc);
                else
                    for (int q = 0; q < rows; q++)
                        T.TransposedNarrow1(ref Unsafe.Add(ref ap, r + q), lda, ref bt, lanes, ref Unsafe.Add(ref ct, q * lanes), lanes, pc);
                for (int q = 0; q < rows; q++) cTile.Slice(q * lanes, columns).CopyTo(c.Slice((r + q) * n2 + j));
            }
        }
    }

    /// <summary>
    /// Rows [rowStart, rowEnd) of C += A^T B for one block of columns: a whole panel (<paramref name="wide"/>) or one
    /// vector, 6 rows at a time, then one by one. <paramref name="wide"/> is a constant at each call, so the JIT keeps
    /// one branch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposedRows<T>(bool wide, ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m, int rowStart, int rowEnd)
        where T : struct, IGemmFamily
    {
        int r = rowStart;
        for (; r + GemmRows <= rowEnd; r += GemmRows)
        {
            if (wide) T.TransposedWide6(ref Unsafe.Add(ref a, r), lda, ref b, ldb, ref Unsafe.Add(ref c, r * ldc), ldc, m);
            else T.TransposedNarrow6(ref Unsafe.Add(ref a, r), lda, ref b, ldb, ref Unsafe.Add(ref c, r * ldc), ldc, m);
        }
        for (; r < rowEnd; r++)
        {
            if (wide) T.TransposedWide1(ref Unsafe.Add(ref a, r), lda, ref b, ldb, ref Unsafe.Add(ref c, r * ldc), ldc, m);
            else T.TransposedNarrow1(ref Unsafe.Add(ref a, r), lda, ref b, ldb, ref Unsafe.Add(ref c, r * ldc), ldc, m);
        }
    }
}
