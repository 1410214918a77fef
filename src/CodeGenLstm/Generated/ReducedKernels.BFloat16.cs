using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CodeGenLstm.Generated;

// The bfloat16 recurrent term: weights stored as the upper 16 bits of float32, in pairs per 32-bit lane (Position), made
// floats again by a 16-bit shift (the low one) or a mask (the high one)
// (exact: every bfloat16 is a float32), multiplied and summed in float32.
internal static partial class ReducedKernels
{
    /// <summary>
    /// float32 to bfloat16, rounded to nearest, ties to even (as PyTorch's and oneDNN's conversion): add 0x7FFF plus
    /// the lowest kept bit, then keep the upper 16 bits. A NaN stays a (quiet) NaN instead of rounding into infinity.
    /// </summary>
    internal static ushort ToBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x0040);
        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
    }

    /// <summary>bfloat16 to float32: exact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float FromBFloat16(ushort value) => BitConverter.UInt32BitsToSingle((uint)value << 16);

    /// <summary>
    /// Where column k of a row is stored. In each whole block of 32 columns the weights go in pairs: pair i holds columns
    /// i (low half) and 16 + i (high half), so that a vector of pairs read as 32-bit lanes becomes two float vectors by a
    /// shift and a mask (no widening shuffle), matching h's columns i.. and 16 + i..; the columns past the last whole
    /// block (from <paramref name="full"/>) are stored in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Position(int k, int full)
    {
        if (k >= full) return k;
        int i = k & 31;
        return (k & ~31) + (i < 16 ? 2 * i : 2 * i - 31);
    }

    /// <summary>
    /// c[b, row] = start + W[row, :] . h[b, :] for the weight rows [rowStart, rowEnd) and sequences [b0, b1), W in
    /// bfloat16 rows of <paramref name="stride"/> (at least <paramref name="columns"/>); start is bias[row] when bias
    /// is not empty, else c itself. <paramref name="width"/> 0 runs the scalar reference (the terms in order).
    /// </summary>
    internal static void BFloat16Rows(int width, ReadOnlySpan<ushort> weights, int stride, int columns, ReadOnlySpan<float> h,
        ReadOnlySpan<float> bias, Span<float> c, int ldc, int rowStart, int rowEnd, int b0, int b1)
    {
        if (rowEnd <= rowStart || b1 <= b0) return;
        if (rowStart < 0 || b0 < 0 || stride < columns || weights.Length < (long)rowEnd * stride || h.Length < (long)b1 * columns
            || ldc < rowEnd || c.Length < (long)(b1 - 1) * ldc + rowEnd || (!bias.IsEmpty && bias.Length < rowEnd))
            SharedKernels.ThrowExtent(nameof(BFloat16Rows));
        int row = rowStart;
        // Four weight rows at a time: four independent sums, and each h vector loaded once for the four.
        Span<float> sums = stackalloc float[16];
        for (; row + 4 <= rowEnd; row += 4)
        {
            int b = b0;
            if (width == 512 && Vector512.IsHardwareAccelerated && columns >= 32)
            {
                // Four rows by four sequences: each weight vector widened once for four (batches of 4 and more). Each sum
                // takes the same operations in the same order as in Dot4, so a result does not depend on the blocking.
                for (; b + 4 <= b1; b += 4)
                {
                    for (int q = 0; q < 4; q++)
                        for (int r = 0; r < 4; r++) sums[4 * q + r] = Start(bias, c, (b + q) * ldc, row + r);
                    Dot4x4(weights.Slice(row * stride), stride, h.Slice(b * columns, 4 * columns), columns, sums);
                    for (int q = 0; q < 4; q++) sums.Slice(4 * q, 4).CopyTo(c.Slice((b + q) * ldc + row, 4));
                }
            }
            for (; b < b1; b++)
            {
                ReadOnlySpan<float> hb = h.Slice(b * columns, columns);
                ref float cb = ref c[b * ldc + row];
                float s0 = Start(bias, c, b * ldc, row), s1 = Start(bias, c, b * ldc, row + 1);
                float s2 = Start(bias, c, b * ldc, row + 2), s3 = Start(bias, c, b * ldc, row + 3);
                Dot4(width, weights.Slice(row * stride), stride, hb, ref s0, ref s1, ref s2, ref s3);
                cb = s0;
                Unsafe.Add(ref cb, 1) = s1;
                Unsafe.Add(ref cb, 2) = s2;
                Unsafe.Add(ref cb, 3) = s3;
            }
        }
        for (; row < rowEnd; row++)
            for (int b = b0; b < b1; b++)
            {
                float s = Start(bias, c, b * ldc, row);
                Dot1(width, weights.Slice(row * stride, columns), h.Slice(b * columns, columns), ref s);
                c[b * ldc + row] = s;
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Start(ReadOnlySpan<float> bias, Span<float> c, int at, int row) => bias.IsEmpty ? c[at + row] : bias[row];

    /// <summary>Adds four rows' dot products with h to s0..s3: the vector part first, then the columns past it in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4(int width, ReadOnlySpan<ushort> w, int stride, ReadOnlySpan<float> h, ref float s0, ref float s1, ref float s2, ref float s3)
    {
        int n = h.Length, k = 0;
        ref ushort w0 = ref MemoryMarshal.GetReference(w);
        ref ushort w1 = ref Unsafe.Add(ref w0, stride);
        ref ushort w2 = ref Unsafe.Add(ref w0, 2 * stride);
        ref ushort w3 = ref Unsafe.Add(ref w0, 3 * stride);
        ref float x = ref MemoryMarshal.GetReference(h);
        if (width == 512 && Vector512.IsHardwareAccelerated && n >= 32)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; k + 32 <= n; k += 32)
            {
                Vector512<float> xLow = Vector512.LoadUnsafe(ref x, (nuint)k), xHigh = Vector512.LoadUnsafe(ref x, (nuint)(k + 16));
                a0 = Accumulate512(Vector512.LoadUnsafe(ref w0, (nuint)k), xLow, xHigh, a0);
                a1 = Accumulate512(Vector512.LoadUnsafe(ref w1, (nuint)k), xLow, xHigh, a1);
                a2 = Accumulate512(Vector512.LoadUnsafe(ref w2, (nuint)k), xLow, xHigh, a2);
                a3 = Accumulate512(Vector512.LoadUnsafe(ref w3, (nuint)k), xLow, xHigh, a3);
            }
            s0 += Vector512.Sum(a0); s1 += Vector512.Sum(a1); s2 += Vector512.Sum(a2); s3 += Vector512.Sum(a3);
        }
        else if (width == 256 && Vector256.IsHardwareAccelerated && n >= 32)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; k + 32 <= n; k += 32)
                for (int half = 0; half < 16; half += 8)  // a block's pairs 0-7 hold columns 0-7 and 16-23; pairs 8-15, 8-15 and 24-31
                {
                    Vector256<float> xLow = Vector256.LoadUnsafe(ref x, (nuint)(k + half)), xHigh = Vector256.LoadUnsafe(ref x, (nuint)(k + 16 + half));
                    a0 = Accumulate256(Vector256.LoadUnsafe(ref w0, (nuint)(k + 2 * half)), xLow, xHigh, a0);
                    a1 = Accumulate256(Vector256.LoadUnsafe(ref w1, (nuint)(k + 2 * half)), xLow, xHigh, a1);
                    a2 = Accumulate256(Vector256.LoadUnsafe(ref w2, (nuint)(k + 2 * half)), xLow, xHigh, a2);
                    a3 = Accumulate256(Vector256.LoadUnsafe(ref w3, (nuint)(k + 2 * half)), xLow, xHigh, a3);
                }
            s0 += Vector256.Sum(a0); s1 += Vector256.Sum(a1); s2 += Vector256.Sum(a2); s3 += Vector256.Sum(a3);
        }
        else if (width == 128 && Vector128.IsHardwareAccelerated && n >= 32)
        {
            Vector128<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; k + 32 <= n; k += 32)
                for (int quarter = 0; quarter < 16; quarter += 4)  // pairs q..q+3 of a block hold columns q..q+3 and 16+q..16+q+3
                {
                    Vector128<float> xLow = Vector128.LoadUnsafe(ref x, (nuint)(k + quarter)), xHigh = Vector128.LoadUnsafe(ref x, (nuint)(k + 16 + quarter));
                    a0 = Accumulate128(Vector128.LoadUnsafe(ref w0, (nuint)(k + 2 * quarter)), xLow, xHigh, a0);
                    a1 = Accumulate128(Vector128.LoadUnsafe(ref w1, (nuint)(k + 2 * quarter)), xLow, xHigh, a1);
                    a2 = Accumulate128(Vector128.LoadUnsafe(ref w2, (nuint)(k + 2 * quarter)), xLow, xHigh, a2);
                    a3 = Accumulate128(Vector128.LoadUnsafe(ref w3, (nuint)(k + 2 * quarter)), xLow, xHigh, a3);
                }
            s0 += Vector128.Sum(a0); s1 += Vector128.Sum(a1); s2 += Vector128.Sum(a2); s3 += Vector128.Sum(a3);
        }
        int full = n / 32 * 32;
        for (; k < n; k++)
        {
            float xk = Unsafe.Add(ref x, k);
            int at = Position(k, full);
            s0 += FromBFloat16(Unsafe.Add(ref w0, at)) * xk;
            s1 += FromBFloat16(Unsafe.Add(ref w1, at)) * xk;
            s2 += FromBFloat16(Unsafe.Add(ref w2, at)) * xk;
            s3 += FromBFloat16(Unsafe.Add(ref w3, at)) * xk;
        }
    }

    /// <summary>
    /// Four rows' dot products with four sequences' h (each <paramref name="columns"/> long, one after the other), added to
    /// s[4 q + r], at 512 bits: per row and sequence the operations of <see cref="Dot4"/>'s 512-bit body, in its order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x4(ReadOnlySpan<ushort> w, int stride, ReadOnlySpan<float> h, int columns, Span<float> s)
    {
        if (w.Length < 3 * stride + columns || h.Length < 4 * columns || s.Length < 16) SharedKernels.ThrowExtent(nameof(Dot4x4));
        ref ushort w0 = ref MemoryMarshal.GetReference(w);
        ref float x = ref MemoryMarshal.GetReference(h);
        // Sixteen sums in registers, named a{sequence}{row}.
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
        int k = 0;
        for (; k + 32 <= columns; k += 32)
        {
            ref float x0 = ref Unsafe.Add(ref x, 0 * columns + k);
            ref float x1 = ref Unsafe.Add(ref x, 1 * columns + k);
            ref float x2 = ref Unsafe.Add(ref x, 2 * columns + k);
            ref float x3 = ref Unsafe.Add(ref x, 3 * columns + k);
            Vector512<float> xLow0 = Vector512.LoadUnsafe(ref x0), xHigh0 = Vector512.LoadUnsafe(ref x0, 16), xLow1 = Vector512.LoadUnsafe(ref x1), xHigh1 = Vector512.LoadUnsafe(ref x1, 16);
            Vector512<float> xLow2 = Vector512.LoadUnsafe(ref x2), xHigh2 = Vector512.LoadUnsafe(ref x2, 16), xLow3 = Vector512.LoadUnsafe(ref x3), xHigh3 = Vector512.LoadUnsafe(ref x3, 16);
            Vector512<ushort> w0k = Vector512.LoadUnsafe(ref Unsafe.Add(ref w0, 0 * stride), (nuint)k);
            Vector512<float> low0 = Low(w0k), high0 = High(w0k);
            a00 = Vector512.MultiplyAddEstimate(high0, xHigh0, Vector512.MultiplyAddEstimate(low0, xLow0, a00));
            a10 = Vector512.MultiplyAddEstimate(high0, xHigh1, Vector512.MultiplyAddEstimate(low0, xLow1, a10));
            a20 = Vector512.MultiplyAddEstimate(high0, xHigh2, Vector512.MultiplyAddEstimate(low0, xLow2, a20));
            a30 = Vector512.MultiplyAddEstimate(high0, xHigh3, Vector512.MultiplyAddEstimate(low0, xLow3, a30));
            Vector512<ushort> w1k = Vector512.LoadUnsafe(ref Unsafe.Add(ref w0, 1 * stride), (nuint)k);
            Vector512<float> low1 = Low(w1k), high1 = High(w1k);
            a01 = Vector512.MultiplyAddEstimate(high1, xHigh0, Vector512.MultiplyAddEstimate(low1, xLow0, a01));
            a11 = Vector512.MultiplyAddEstimate(high1, xHigh1, Vector512.MultiplyAddEstimate(low1, xLow1, a11));
            a21 = Vector512.MultiplyAddEstimate(high1, xHigh2, Vector512.MultiplyAddEstimate(low1, xLow2, a21));
            a31 = Vector512.MultiplyAddEstimate(high1, xHigh3, Vector512.MultiplyAddEstimate(low1, xLow3, a31));
            Vector512<ushort> w2k = Vector512.LoadUnsafe(ref Unsafe.Add(ref w0, 2 * stride), (nuint)k);
            Vector512<float> low2 = Low(w2k), high2 = High(w2k);
            a02 = Vector512.MultiplyAddEstimate(high2, xHigh0, Vector512.MultiplyAddEstimate(low2, xLow0, a02));
            a12 = Vector512.MultiplyAddEstimate(high2, xHigh1, Vector512.MultiplyAddEstimate(low2, xLow1, a12));
            a22 = Vector512.MultiplyAddEstimate(high2, xHigh2, Vector512.MultiplyAddEstimate(low2, xLow2, a22));
            a32 = Vector512.MultiplyAddEstimate(high2, xHigh3, Vector512.MultiplyAddEstimate(low2, xLow3, a32));
            Vector512<ushort> w3k = Vector512.LoadUnsafe(ref Unsafe.Add(ref w0, 3 * stride), (nuint)k);
            Vector512<float> low3 = Low(w3k), high3 = High(w3k);
            a03 = Vector512.MultiplyAddEstimate(high3, xHigh0, Vector512.MultiplyAddEstimate(low3, xLow0, a03));
            a13 = Vector512.MultiplyAddEstimate(high3, xHigh1, Vector512.MultiplyAddEstimate(low3, xLow1, a13));
            a23 = Vector512.MultiplyAddEstimate(high3, xHigh2, Vector512.MultiplyAddEstimate(low3, xLow2, a23));
            a33 = Vector512.MultiplyAddEstimate(high3, xHigh3, Vector512.MultiplyAddEstimate(low3, xLow3, a33));
        }
        s[0] += Vector512.Sum(a00); s[1] += Vector512.Sum(a01); s[2] += Vector512.Sum(a02); s[3] += Vector512.Sum(a03);
        s[4] += Vector512.Sum(a10); s[5] += Vector512.Sum(a11); s[6] += Vector512.Sum(a12); s[7] += Vector512.Sum(a13);
        s[8] += Vector512.Sum(a20); s[9] += Vector512.Sum(a21); s[10] += Vector512.Sum(a22); s[11] += Vector512.Sum(a23);
        s[12] += Vector512.Sum(a30); s[13] += Vector512.Sum(a31); s[14] += Vector512.Sum(a32); s[15] += Vector512.Sum(a33);
        for (int q = 0; q < 4; q++)
            for (int r = 0; r < 4; r++)
            {
                float sum = s[4 * q + r];
                for (int j = k; j < columns; j++) sum += FromBFloat16(Unsafe.Add(ref w0, r * stride + Position(j, k))) * Unsafe.Add(ref x, q * columns + j);
                s[4 * q + r] = sum;
            }
    }

    /// <summary>
    /// One row's dot product with h added to s: the same operations in the same order as each row of <see cref="Dot4"/>
    /// (its four sums are independent), so that a row's result does not depend on whether it fell in a block of four.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot1(int width, ReadOnlySpan<ushort> w, ReadOnlySpan<float> h, ref float s)
    {
        int n = h.Length, k = 0;
        ref ushort w0 = ref MemoryMarshal.GetReference(w);
        ref float x = ref MemoryMarshal.GetReference(h);
        if (width == 512 && Vector512.IsHardwareAccelerated && n >= 32)
        {
            Vector512<float> a0 = default;
            for (; k + 32 <= n; k += 32)
                a0 = Accumulate512(Vector512.LoadUnsafe(ref w0, (nuint)k), Vector512.LoadUnsafe(ref x, (nuint)k), Vector512.LoadUnsafe(ref x, (nuint)(k + 16)), a0);
            s += Vector512.Sum(a0);
        }
        else if (width == 256 && Vector256.IsHardwareAccelerated && n >= 32)
        {
            Vector256<float> a0 = default;
            for (; k + 32 <= n; k += 32)
                for (int half = 0; half < 16; half += 8)
                    a0 = Accumulate256(Vector256.LoadUnsafe(ref w0, (nuint)(k + 2 * half)), Vector256.LoadUnsafe(ref x, (nuint)(k + half)), Vector256.LoadUnsafe(ref x, (nuint)(k + 16 + half)), a0);
            s += Vector256.Sum(a0);
        }
        else if (width == 128 && Vector128.IsHardwareAccelerated && n >= 32)
        {
            Vector128<float> a0 = default;
            for (; k + 32 <= n; k += 32)
                for (int quarter = 0; quarter < 16; quarter += 4)
                    a0 = Accumulate128(Vector128.LoadUnsafe(ref w0, (nuint)(k + 2 * quarter)), Vector128.LoadUnsafe(ref x, (nuint)(k + quarter)), Vector128.LoadUnsafe(ref x, (nuint)(k + 16 + quarter)), a0);
            s += Vector128.Sum(a0);
        }
        for (int full = n / 32 * 32; k < n; k++) s += FromBFloat16(Unsafe.Add(ref w0, Position(k, full))) * Unsafe.Add(ref x, k);
    }

    // Each 32-bit lane holds a pair of bfloat16 (see Position): the low one becomes a float by a 16-bit shift, the high
    // one by clearing the low 16 bits; multiplied with the matching columns of h and added to the sum.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Low(Vector512<ushort> w) => Vector512.ShiftLeft(w.AsUInt32(), 16).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> High(Vector512<ushort> w) => (w.AsUInt32() & Vector512.Create(0xFFFF0000u)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Accumulate512(Vector512<ushort> w, Vector512<float> xLow, Vector512<float> xHigh, Vector512<float> sum)
    {
        Vector512<float> low = Vector512.ShiftLeft(w.AsUInt32(), 16).AsSingle();
        Vector512<float> high = (w.AsUInt32() & Vector512.Create(0xFFFF0000u)).AsSingle();
        return Vector512.MultiplyAddEstimate(high, xHigh, Vector512.MultiplyAddEstimate(low, xLow, sum));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Accumulate256(Vector256<ushort> w, Vector256<float> xLow, Vector256<float> xHigh, Vector256<float> sum)
    {
        Vector256<float> low = Vector256.ShiftLeft(w.AsUInt32(), 16).AsSingle();
        Vector256<float> high = (w.AsUInt32() & Vector256.Create(0xFFFF0000u)).AsSingle();
        return Vector256.MultiplyAddEstimate(high, xHigh, Vector256.MultiplyAddEstimate(low, xLow, sum));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Accumulate128(Vector128<ushort> w, Vector128<float> xLow, Vector128<float> xHigh, Vector128<float> sum)
    {
        Vector128<float> low = Vector128.ShiftLeft(w.AsUInt32(), 16).AsSingle();
        Vector128<float> high = (w.AsUInt32() & Vector128.Create(0xFFFF0000u)).AsSingle();
        return Vector128.MultiplyAddEstimate(high, xHigh, Vector128.MultiplyAddEstimate(low, xLow, sum));
    }
}
