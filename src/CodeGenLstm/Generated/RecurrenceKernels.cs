using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CodeGenLstm.Generated;

/// <summary>
/// The recurrent term W_hh h_{t-1} of every sequence at one step, for any cell: the packing of W_hh into the panels
/// it reads, and the term itself. Written once, generic over the stage's shape (<see cref="IRecurrentShape"/>: H and
/// the gate count, constants in each instantiation), over the vector width (<see cref="IKernelOps{TVec}"/>) and,
/// inside, over the rows a micro-kernel computes at once (<see cref="IConstant"/>); the JIT compiles each
/// instantiation into the kernel written out for its sizes, with the same multiply-adds in the same order.
/// </summary>
/// <remarks>
/// <para>The panels: one per group of hidden units, [H][vectors][lanes] floats, so that one step k of the reduction
/// loads from consecutive memory one vector of units in each gate (LSTM: i, f, g, o, 4 vectors; GRU: r, z, n, 3
/// vectors) or, for a one-gate cell (a plain RNN), 4 vectors of consecutive units, so that a step still loads four.
/// Only whole panels are packed: units outside them, and every unit on the scalar path, read W_hh itself.</para>
/// <para>For generated code, not for users: hidden from IntelliSense, and outside the documented API. The public
/// members take spans and check their extents; the micro-kernels under them take refs, check nothing, and are
/// private. A generated model names <see cref="Pack{TShape}"/> and <see cref="AddRecurrentTerm{TShape}"/> with its
/// own file-local shape struct.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class RecurrenceKernels
{
    /// <summary>
    /// Packs W_hh [G * H, H] (PyTorch's layout, gate blocks in its order) into the panels
    /// <see cref="AddRecurrentTerm{TShape}"/> reads at <paramref name="width"/>; nothing on the scalar path. Part
    /// <paramref name="part"/> of <paramref name="parts"/> packs its share of whole panels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack<TShape>(int width, ReadOnlySpan<float> weightHh, Span<float> packed, int part, int parts)
        where TShape : struct, IRecurrentShape
    {
        CheckShape<TShape>();
        int H = TShape.Hidden, G = TShape.Gates * H;
        if (weightHh.Length < G * H || packed.Length < G * H) SharedKernels.ThrowExtent(nameof(Pack));
        int lanes = width == 512 && Vector512.IsHardwareAccelerated ? 16 : width == 256 && Vector256.IsHardwareAccelerated ? 8 : width == 128 && Vector128.IsHardwareAccelerated ? 4 : 0;
        if (lanes == 0) return;
        int vectors = PanelVectors<TShape>(), units = PanelUnitVectors<TShape>() * lanes, stride = vectors * lanes;
        SharedKernels.Split(H / units, 1, part, parts, out int first, out int last);
        for (int u = first; u < last; u++)
        {
            Span<float> panel = packed.Slice(u * H * stride, H * stride);
            // k in blocks of 16: each row of W_hh is read one cache line (16 floats) at a time.
            for (int k0 = 0; k0 < H; k0 += 16)
            {
                int block = Math.Min(16, H - k0);
                for (int i = 0; i < vectors; i++)
                    for (int q = 0; q < lanes; q++)
                    {
                        // Lane q of vector i: gate i's unit u * units + q, or a one-gate cell's unit u * units + i * lanes + q.
                        int column = TShape.Gates == 1 ? u * units + i * lanes + q : i * H + u * units + q;
                        ReadOnlySpan<float> row = weightHh.Slice(column * H + k0, block);
                        for (int kk = 0; kk < block; kk++) panel[(k0 + kk) * stride + i * lanes + q] = row[kk];
                    }
            }
        }
    }

    /// <summary>
    /// The recurrent term of one step: c[b, g * H + j] = start + W_hh[g * H + j, :] . h[b, :] for the sequences
    /// [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) and the hidden units [<paramref name="unitStart"/>,
    /// <paramref name="unitEnd"/>) (unitStart a multiple of 64, the chunk the worker threads share), every gate. h
    /// is the state [batch, H]; c has row stride <paramref name="ldc"/>; start is <paramref name="bias"/>[g * H + j]
    /// (b_hh, for a cell that keeps its recurrent term apart, as the GRU) or, when bias is empty, c itself (which
    /// then holds the input projection with both biases). Whole panels run the micro-kernels; units outside them
    /// (every unit on the scalar path, the reference) take W_hh's rows directly, the H terms in the same order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddRecurrentTerm<TShape>(int width, ReadOnlySpan<float> h, ReadOnlySpan<float> packed, ReadOnlySpan<float> weightHh,
        ReadOnlySpan<float> bias, Span<float> c, int ldc, int rowStart, int rowEnd, int unitStart, int unitEnd)
        where TShape : struct, IRecurrentShape
    {
        CheckShape<TShape>();
        int H = TShape.Hidden, G = TShape.Gates * H;
        if (rowEnd <= rowStart || unitEnd <= unitStart) return;
        bool fromBias = !bias.IsEmpty;
        if (rowStart < 0 || unitStart < 0 || unitEnd > H || ldc < G || h.Length < (long)rowEnd * H || packed.Length < G * H || weightHh.Length < G * H
            || c.Length < (long)(rowEnd - 1) * ldc + G || (fromBias && bias.Length < G))
            SharedKernels.ThrowExtent(nameof(AddRecurrentTerm));
        ref float h0 = ref MemoryMarshal.GetReference(h);
        ref float w0 = ref MemoryMarshal.GetReference(packed);
        ref float bias0 = ref MemoryMarshal.GetReference(bias);
        ref float c0 = ref MemoryMarshal.GetReference(c);
        int j = unitStart;
        if (width == 512 && Vector512.IsHardwareAccelerated)
            j = WholePanels<TShape, KernelOps512, Vector512<float>>(ref h0, ref w0, ref c0, ldc, ref bias0, fromBias, rowStart, rowEnd, j, unitEnd);
        else if (width == 256 && Vector256.IsHardwareAccelerated)
            j = WholePanels<TShape, KernelOps256, Vector256<float>>(ref h0, ref w0, ref c0, ldc, ref bias0, fromBias, rowStart, rowEnd, j, unitEnd);
        else if (width == 128 && Vector128.IsHardwareAccelerated)
            j = WholePanels<TShape, KernelOps128, Vector128<float>>(ref h0, ref w0, ref c0, ldc, ref bias0, fromBias, rowStart, rowEnd, j, unitEnd);

        // Units outside whole panels (every unit on the scalar path, the reference): a dot product with
        // W_hh's row per gate, the H terms in order as the micro-kernels add them.
        for (; j < unitEnd; j++)
            for (int b = rowStart; b < rowEnd; b++)
            {
                ReadOnlySpan<float> hb = h.Slice(b * H, H);
                for (int g = 0; g < TShape.Gates; g++)
                {
                    int column = g * H + j;
                    ReadOnlySpan<float> row = weightHh.Slice(column * H, H);
                    float sum = fromBias ? bias[column] : c[b * ldc + column];
                    for (int k = 0; k < H; k++) sum += hb[k] * row[k];
                    c[b * ldc + column] = sum;
                }
            }
    }

    /// <summary>Vectors one step of a panel's reduction loads: one per gate, or 4 of consecutive units for a one-gate cell.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PanelVectors<TShape>()
        where TShape : struct, IRecurrentShape =>
        TShape.Gates == 1 ? 4 : TShape.Gates;

    /// <summary>Hidden units of one panel, in vectors: 1 (one vector in each gate), or 4 for a one-gate cell.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PanelUnitVectors<TShape>()
        where TShape : struct, IRecurrentShape =>
        TShape.Gates == 1 ? 4 : 1;

    // The micro-kernels hold 3 or 4 vectors per row (their register budget, RecurrenceKernels.Rows.cs); H is at most
    // the parser's limit 2^24. A valid shape folds the test away.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckShape<TShape>()
        where TShape : struct, IRecurrentShape
    {
        if (TShape.Gates is not (1 or 3 or 4) || TShape.Hidden < 1 || TShape.Hidden > 1 << 24) ThrowShape();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowShape() =>
        throw new InvalidOperationException("CodeGenLstm internal error: a recurrent shape has 1, 3 or 4 gates and 1 to 2^24 hidden units.");
}
