using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CodeGenLstm.Generated;

#pragma warning disable CS1591 // members without a summary are for generated code only (see SharedKernels.cs)

// Weights packed into the panels the matrix products read.
public static partial class SharedKernels
{
    /// <summary>
    /// Packs a weight matrix into the panels the matrix products read: B[k, n] (k &lt; K, n &lt; N) as
    /// ceil(N / NR) panels of [K, NR] floats, each contiguous, the last one padded with zeros, NR being
    /// <see cref="PanelWidth"/>. With <paramref name="nMajor"/> the source is [N, K] row-major (a PyTorch
    /// weight W, and B = W^T); else it is [K, N] row-major (B = W). The parts pack whole panels each.
    /// Parameters stays the source of truth: a stage packs again whenever its weights differ from those packed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackPanels(int width, ReadOnlySpan<float> source, int n, int k, bool nMajor, Span<float> packed, int part, int parts)
    {
        int nr = PanelWidth(width), panels = (n + nr - 1) / nr;
        if (source.Length < (long)n * k || packed.Length < (long)panels * nr * k) ThrowExtent(nameof(PackPanels));
        Split(panels, 1, part, parts, out int first, out int last);
        for (int p = first; p < last; p++)
        {
            Span<float> panel = packed.Slice(p * nr * k, nr * k);
            int columns = Math.Min(nr, n - p * nr);
            if (columns < nr) panel.Clear();
            if (!nMajor)
            {
                // Each row of B gives the panel NR contiguous floats.
                for (int kk = 0; kk < k; kk++) source.Slice(kk * n + p * nr, columns).CopyTo(panel.Slice(kk * nr, columns));
                continue;
            }
            // A transpose, 16 rows of the panel at a time so that the rows written stay in L1.
            for (int k0 = 0; k0 < k; k0 += 16)
            {
                int block = Math.Min(16, k - k0);
                for (int q = 0; q < columns; q++)
                {
                    ReadOnlySpan<float> row = source.Slice((p * nr + q) * k + k0, block);
                    for (int kk = 0; kk < block; kk++) panel[(k0 + kk) * nr + q] = row[kk];
                }
            }
        }
    }

    /// <summary>packed = bias1 + bias2 (bias2 may be empty), padded with zeros to whole panels: where the products start their sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackBias(int width, ReadOnlySpan<float> bias1, ReadOnlySpan<float> bias2, Span<float> packed)
    {
        int n = bias1.Length, nr = PanelWidth(width), padded = (n + nr - 1) / nr * nr;
        if (packed.Length < padded || (!bias2.IsEmpty && bias2.Length < n)) ThrowExtent(nameof(PackBias));
        bias1.CopyTo(packed);
        if (!bias2.IsEmpty)
            for (int j = 0; j < n; j++) packed[j] += bias2[j];
        packed.Slice(n, padded - n).Clear();
    }
}
