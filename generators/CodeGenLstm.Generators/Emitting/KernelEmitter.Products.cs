using System;
using System.Collections.Generic;
using System.Linq;

namespace CodeGenLstm.Generators.Emitting;

internal static partial class KernelEmitter
{
    /// <summary>Reduction terms per block in C = A B when K is large: a 512 x 64 panel block (128 KiB) stays in L2.</summary>
    private const int ProductKBlock = 512;

    /// <summary>Rows of A per cache block of C = A B: about 192 KiB of A (one block's rows) stays in L2 while every panel passes.</summary>
    private const int ProductRowBytes = 192 * 1024;

    /// <summary>Rows of A and B per block in C += A^T B: a 256-row block of a 64-column B panel (64 KiB) stays in L2.</summary>
    private const int TransposedBlock = 256;

    // ------------------------------------------------------------------------------------------
    // C[m, N] = start + A[m, K] B[K, N]: one driver per shape, calling the runtime's micro-kernels (any K)
    // ------------------------------------------------------------------------------------------

    private static string Gemm(VectorWidth v, int rows) => $"Gemm_{v.Class}_Rows{rows}";

    /// <summary>
    /// A loop over rows [start, end) in blocks: as many of the largest variant as fit, then at most one of
    /// each smaller one (each variant is at least half the one before, so that is enough). When the largest
    /// is 6 and 4 is a variant, 8 or 9 rows left go as 4 + 4 (+ 1) rather than 6 + 2 (+ 1): the two-row kernel
    /// uses each weight vector it loads only twice and ran at 73% of the others' speed (LSTM H = 256,
    /// Vector512), so 6 + 2 rows took 9% longer than 4 + 4 (batch 16 on two cores is 8 rows per core).
    /// </summary>
    private static void EmitRowLoop(SourceWriter w, string index, string start, string end, int[] variants, System.Func<int, string> call)
    {
        w.Line($"int {index} = {start};");
        if (variants[0] == 6 && variants.Contains(4))
        {
            w.Line($"int {index}Sixes = {end} - ({end} - {start}) % 6;  // where the blocks of 6 stop");
            w.Line($"if (({end} - {start}) % 6 is 2 or 3 && {end} - {start} >= 8) {index}Sixes -= 6;  // 6 + 2 (+ 1) rows go as 4 + 4 (+ 1)");
            w.Line($"for (; {index} < {index}Sixes; {index} += 6)");
            w.Line("    " + call(6));
            w.Line($"for (; {index} + 4 <= {end}; {index} += 4)");
            w.Line("    " + call(4));
            variants = variants.Where(r => r < 4).ToArray();
        }
        else
        {
            w.Line($"for (; {index} + {variants[0]} <= {end}; {index} += {variants[0]})");
            w.Line("    " + call(variants[0]));
            variants = variants.Skip(1).ToArray();
        }
        foreach (int rows in variants)
        {
            if (rows == 1)
            {
                w.Line($"if ({index} < {end})");
                w.Line("    " + call(1));
            }
            else
            {
                w.Line($"if ({index} + {rows} <= {end})");
                w.Line("{");
                w.Line("    " + call(rows));
                w.Line($"    {index} += {rows};");
                w.Line("}");
            }
        }
    }

    /// <summary>", 16" after a ref for an element offset, nothing for 0.</summary>
    private static string Off(int offset) => offset == 0 ? "" : $", {offset}";

    private static void EmitProduct(SourceWriter w, int k, int n)
    {
        string name = KernelSet.ProductName(k, n);
        int kBlock = k > 2 * ProductKBlock ? ProductKBlock : k;
        w.Line($"""
            /// <summary>
            /// C[m, {n}] = start + A[m, {k}] B[{k}, {n}] for rows [rowStart, rowEnd) and columns [columnStart, columnEnd)
            /// (columnStart a multiple of {VectorWidth.Chunk}); start is C itself when accumulate, else the bias when given, else 0.
            /// A has row stride lda, C row stride ldc; B is packed by PackPanels for this width, the bias by PackBias.
            /// Cache blocking: rows in blocks whose A rows stay in L2 while each weight panel ([{kBlock}, NR], in L2) serves
            /// all of them{(kBlock < k ? $"; K in blocks of {kBlock}" : "")}.
            /// </summary>
            """);
        w.Line(Optimized);
        using (w.Block($"internal static void {name}(int width, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> packed, ReadOnlySpan<float> bias, Span<float> c, int ldc, int rowStart, int rowEnd, int columnStart, int columnEnd, bool accumulate)"))
        {
            w.Line($"""
                const int K = {I(k)}, N = {I(n)};
                if (rowEnd <= rowStart || columnEnd <= columnStart) return;
                int nr = PanelWidth(width), paddedN = (N + nr - 1) / nr * nr;
                if (lda < K || ldc < N || rowStart < 0 || columnStart < 0 || columnEnd > N || columnStart % nr != 0
                    || a.Length < (long)(rowEnd - 1) * lda + K || packed.Length < (long)paddedN * K || c.Length < (long)(rowEnd - 1) * ldc + N
                    || (!bias.IsEmpty && bias.Length < paddedN))
                    ThrowExtent(nameof({name}));
                int init = accumulate ? 1 : bias.IsEmpty ? 0 : 2;
                ref float a0 = ref MemoryMarshal.GetReference(a);
                ref float b0 = ref MemoryMarshal.GetReference(packed);
                ref float bias0 = ref MemoryMarshal.GetReference(bias);
                ref float c0 = ref MemoryMarshal.GetReference(c);
                """);
            foreach (VectorWidth v in VectorWidth.All)
            {
                using (w.Block($"if ({v.Condition})"))
                    EmitProductBody(w, v, k, n, kBlock);
            }
            w.Line("""
                // Scalar reference: every C[i, j] sums its K terms in order, as the vector bodies do. With NR = 1
                // a panel is one column of B, contiguous.
                for (int i = rowStart; i < rowEnd; i++)
                {
                    ReadOnlySpan<float> ai = a.Slice(i * lda, K);
                    for (int j = columnStart; j < columnEnd; j++)
                    {
                        ReadOnlySpan<float> bj = packed.Slice(j * K, K);
                        float sum = init == 1 ? c[i * ldc + j] : init == 2 ? bias[j] : 0f;
                        for (int kk = 0; kk < K; kk++) sum += ai[kk] * bj[kk];
                        c[i * ldc + j] = sum;
                    }
                }
                """);
        }
        w.Line();
    }

    private static void EmitProductBody(SourceWriter w, VectorWidth v, int k, int n, int kBlock)
    {
        int mr = v.GemmRows, nr = v.PanelWidth;
        int rowBlock = Math.Max(mr, ProductRowBytes / 4 / kBlock / mr * mr);
        bool partial = n % nr != 0;
        bool kBlocked = kBlock < k;
        if (partial)
            w.Line($"Span<float> tile = stackalloc float[{I(mr * nr)}];  // the last, partial panel goes through whole vectors here");
        string kLoop = kBlocked ? $"for (int k0 = 0; k0 < K; k0 += {I(kBlock)})" : "";
        if (kBlocked)
        {
            w.Line(kLoop);
            w.Line("{");
            w.Indented(1, () => w.Line($"int kc = Math.Min({I(kBlock)}, K - k0), start = k0 == 0 ? init : 1;"));
        }
        w.Indented(kBlocked ? 1 : 0, () =>
        {
            string k0 = kBlocked ? "k0" : "0";
            string kc = kBlocked ? "kc" : "K";
            string start = kBlocked ? "start" : "init";
            w.Line($"for (int i0 = rowStart; i0 < rowEnd; i0 += {I(rowBlock)})");
            w.Line("{");
            w.Indented(1, () =>
            {
                w.Line($"int i1 = Math.Min(rowEnd, i0 + {I(rowBlock)});");
                using (w.Block($"for (int j = columnStart; j < columnEnd; j += {I(nr)})"))
                {
                    w.Line($"ref float panel = ref Unsafe.Add(ref b0, j * K{(kBlocked ? $" + k0 * {I(nr)}" : "")});");
                    w.Line("ref float biasJ = ref Unsafe.Add(ref bias0, j);");
                    void Whole() => EmitRowLoop(w, "i", "i0", "i1", VectorWidth.RowVariants(mr), rows =>
                        $"{Gemm(v, rows)}(ref Unsafe.Add(ref a0, i * lda{(kBlocked ? " + k0" : "")}), lda, ref panel, {kc}, ref Unsafe.Add(ref c0, i * ldc + j), ldc, {start}, ref biasJ);");
                    if (!partial) Whole();
                    else
                    {
                        using (w.Block($"if (j + {I(nr)} <= N)")) Whole();
                        using (w.Block("else"))
                        {
                            w.Line($$"""
                                // The last panel has N - j < {{nr}} columns: C's rows go through the tile, {{nr}} floats apart.
                                int columns = N - j;
                                ref float t0 = ref MemoryMarshal.GetReference(tile);
                                for (int i = i0; i < i1; i += {{mr}})
                                {
                                    int rows = Math.Min({{mr}}, i1 - i);
                                    if ({{start}} == 1)
                                        for (int q = 0; q < rows; q++) c.Slice((i + q) * ldc + j, columns).CopyTo(tile.Slice(q * {{nr}}));
                                    if (rows == {{mr}})
                                        {{Gemm(v, mr)}}(ref Unsafe.Add(ref a0, i * lda{{(kBlocked ? " + k0" : "")}}), lda, ref panel, {{kc}}, ref t0, {{nr}}, {{start}}, ref biasJ);
                                    else
                                        for (int q = 0; q < rows; q++)
                                            {{Gemm(v, 1)}}(ref Unsafe.Add(ref a0, (i + q) * lda{{(kBlocked ? " + k0" : "")}}), lda, ref panel, {{kc}}, ref Unsafe.Add(ref t0, q * {{nr}}), {{nr}}, {{start}}, ref biasJ);
                                    for (int q = 0; q < rows; q++) tile.Slice(q * {{nr}}, columns).CopyTo(c.Slice((i + q) * ldc + j));
                                }
                                """);
                        }
                    }
                }
            });
            w.Line("}");
            _ = k0;
        });
        if (kBlocked) w.Line("}");
        w.Line("return;");
    }

    // ------------------------------------------------------------------------------------------
    // C[N1, N2] += A[m, N1]^T B[m, N2]   (weight gradients: a sum over every sequence and step)
    // ------------------------------------------------------------------------------------------

    private static string GemmT(VectorWidth v, int rows, int vectors) => $"GemmTransposedA_{v.Class}_Rows{rows}_Vectors{vectors}";

    private static void EmitTransposedProduct(SourceWriter w, int n1, int n2)
    {
        string name = KernelSet.TransposedProductName(n1, n2);
        w.Line($"""
            /// <summary>
            /// C[{n1}, {n2}] += A[m, {n1}]^T B[m, {n2}] for the rows [rowStart, rowEnd) of C: the sum over m rows of outer
            /// products; A and B have row strides lda and ldb. The m rows go in blocks of {TransposedBlock}, in order, so that a
            /// block of B's columns stays in L2 while every row block of C uses it.
            /// </summary>
            """);
        w.Line(Optimized);
        using (w.Block($"internal static void {name}(int width, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int m, int rowStart, int rowEnd)"))
        {
            w.Line($"""
                const int N1 = {I(n1)}, N2 = {I(n2)};
                if (m <= 0 || rowEnd <= rowStart) return;
                if (lda < N1 || ldb < N2 || rowStart < 0 || rowEnd > N1 || a.Length < (long)(m - 1) * lda + N1 || b.Length < (long)(m - 1) * ldb + N2 || c.Length < N1 * N2)
                    ThrowExtent(nameof({name}));
                ref float a0 = ref MemoryMarshal.GetReference(a);
                ref float b0 = ref MemoryMarshal.GetReference(b);
                ref float c0 = ref MemoryMarshal.GetReference(c);
                """);
            foreach (VectorWidth v in VectorWidth.All)
            {
                using (w.Block($"if ({v.Condition})"))
                {
                    int mr = v.GemmRows, nr = v.PanelWidth, lanes = v.Lanes;
                    int tail = n2 % lanes;
                    if (tail != 0)
                        w.Line($"""
                            // The last {tail} column{(tail > 1 ? "s" : "")}, fewer than a vector, go through whole vectors: B's rows copied here, C's through the tile.
                            Span<float> bTail = stackalloc float[{I(TransposedBlock * lanes)}];
                            Span<float> cTile = stackalloc float[{I(mr * lanes)}];
                            ref float bt = ref MemoryMarshal.GetReference(bTail);
                            ref float ct = ref MemoryMarshal.GetReference(cTile);
                            """);
                    using (w.Block($"for (int p0 = 0; p0 < m; p0 += {TransposedBlock})"))
                    {
                        w.Line($"""
                            int pc = Math.Min({TransposedBlock}, m - p0);
                            ref float ap = ref Unsafe.Add(ref a0, p0 * lda);
                            ref float bp = ref Unsafe.Add(ref b0, p0 * ldb);
                            int j = 0;
                            """);
                        var blocks = new List<int>();
                        if (n2 >= nr) blocks.Add(v.GemmVectors);
                        if (n2 % nr >= lanes && v.GemmVectors > 1) blocks.Add(1);
                        foreach (int vectors in blocks)
                        {
                            int step = vectors * lanes;
                            w.Line($$"""
                                for (; j + {{step}} <= N2; j += {{step}})
                                {
                                    int r = rowStart;
                                    for (; r + {{mr}} <= rowEnd; r += {{mr}})
                                        {{GemmT(v, mr, vectors)}}(ref Unsafe.Add(ref ap, r), lda, ref Unsafe.Add(ref bp, j), ldb, ref Unsafe.Add(ref c0, r * N2 + j), N2, pc);
                                    for (; r < rowEnd; r++)
                                        {{GemmT(v, 1, vectors)}}(ref Unsafe.Add(ref ap, r), lda, ref Unsafe.Add(ref bp, j), ldb, ref Unsafe.Add(ref c0, r * N2 + j), N2, pc);
                                }
                                """);
                        }
                        if (tail != 0)
                            w.Line($$"""
                                int columns = N2 - j;
                                for (int p = 0; p < pc; p++) b.Slice((p0 + p) * ldb + j, columns).CopyTo(bTail.Slice(p * {{lanes}}, columns));
                                for (int r = rowStart; r < rowEnd; r += {{mr}})
                                {
                                    int rows = Math.Min({{mr}}, rowEnd - r);
                                    for (int q = 0; q < rows; q++) c.Slice((r + q) * N2 + j, columns).CopyTo(cTile.Slice(q * {{lanes}}));
                                    if (rows == {{mr}})
                                        {{GemmT(v, mr, 1)}}(ref Unsafe.Add(ref ap, r), lda, ref bt, {{lanes}}, ref ct, {{lanes}}, pc);
                                    else
                                        for (int q = 0; q < rows; q++)
                                            {{GemmT(v, 1, 1)}}(ref Unsafe.Add(ref ap, r + q), lda, ref bt, {{lanes}}, ref Unsafe.Add(ref ct, q * {{lanes}}), {{lanes}}, pc);
                                    for (int q = 0; q < rows; q++) cTile.Slice(q * {{lanes}}, columns).CopyTo(c.Slice((r + q) * N2 + j));
                                }
                                """);
                    }
                    w.Line("return;");
                }
            }
            w.Line("""
                // Scalar reference: every C[r, j] adds its m terms in order, as the vector bodies do.
                for (int p = 0; p < m; p++)
                {
                    ReadOnlySpan<float> bp = b.Slice(p * ldb, N2);
                    for (int r = rowStart; r < rowEnd; r++)
                    {
                        float apr = a[p * lda + r];
                        Span<float> cr = c.Slice(r * N2, N2);
                        for (int j = 0; j < N2; j++) cr[j] += apr * bp[j];
                    }
                }
                """);
        }
        w.Line();
    }

    // ------------------------------------------------------------------------------------------
    // sums[j] += sum over rows of A[p, j]   (bias gradients)
    // ------------------------------------------------------------------------------------------

    private static void EmitColumnSums(SourceWriter w, int n)
    {
        string name = KernelSet.ColumnSumName(n);
        w.Line($"/// <summary>sums[j] += A[0, j] + A[1, j] + ... + A[m - 1, j] for j in [columnStart, columnEnd) of {n}; A has row stride lda. Rows in order, each read once.</summary>");
        w.Line(Optimized);
        using (w.Block($"internal static void {name}(int width, ReadOnlySpan<float> a, int lda, int m, Span<float> sums, int columnStart, int columnEnd)"))
        {
            w.Line($"""
                const int N = {I(n)};
                if (m <= 0 || columnEnd <= columnStart) return;
                if (lda < N || columnStart < 0 || columnEnd > N || a.Length < (long)(m - 1) * lda + N || sums.Length < N) ThrowExtent(nameof({name}));
                ref float a0 = ref MemoryMarshal.GetReference(a);
                ref float s0 = ref MemoryMarshal.GetReference(sums);
                int vectorEnd = columnStart;
                """);
            bool first = true;
            foreach (VectorWidth v in VectorWidth.All)
            {
                if (n < v.Lanes) continue;
                using (w.Block($"{(first ? "" : "else ")}if ({v.Condition})"))
                {
                    w.Line(v.Apply("""
                        vectorEnd = columnStart + (columnEnd - columnStart) / {L} * {L};
                        for (int p = 0; p < m; p++)
                        {
                            ref float ap = ref Unsafe.Add(ref a0, p * lda);
                            for (int j = columnStart; j < vectorEnd; j += {L})
                                ({V}.LoadUnsafe(ref s0, (nuint)j) + {V}.LoadUnsafe(ref ap, (nuint)j)).StoreUnsafe(ref s0, (nuint)j);
                        }
                        """));
                }
                first = false;
            }
            w.Line("""
                for (int j = vectorEnd; j < columnEnd; j++)
                {
                    float sum = sums[j];
                    for (int p = 0; p < m; p++) sum += a[p * lda + j];
                    sums[j] = sum;
                }
                """);
        }
        w.Line();
    }
}
