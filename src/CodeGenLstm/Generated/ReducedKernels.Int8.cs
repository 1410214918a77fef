using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace CodeGenLstm.Generated;

// The int8 recurrent term. Weights: int8, one symmetric scale per row (per gate and hidden unit), built once per
// weights version. The state h: quantized at every step, one symmetric scale per sequence, max|h_b| / 127. Why a
// dynamic scale rather than the fixed 1/127 that |h| < 1 would allow: h is often far from +-1 (|h| <= |tanh(c)| times
// an output gate that is often near 0.5), and a fixed scale would leave most of the 255 levels unused; finding the
// largest |h_b| is one read of H floats against the G x H weights the step reads anyway (PyTorch's dynamic
// quantization also takes the activations' range at run time). Products are summed in int32, exactly, so every
// path (AVX-VNNI, AVX-512BW's and AVX2's widening multiply-add, ARM64's sdot or NEON widening multiply, scalar) gives
// the same bits.
internal static partial class ReducedKernels
{
    /// <summary>Bytes of one quantized row: whole 32-byte vectors, padded with zero weights.</summary>
    internal static int Int8Stride(int columns) => (columns + 31) / 32 * 32;

    /// <summary>
    /// The longest row the int8 kernels take: the largest W_hh a float array holds (H = 23,170). Its int32 sums cannot
    /// overflow (255 * 127 per column), and one quantized row of it fits the kernels' stack blocks. A longer W_ih row
    /// (an input of more columns) keeps its float32 product.
    /// </summary>
    internal const int Int8MaxColumns = 23170;

    /// <summary>
    /// The int8 path this machine runs at <paramref name="width"/>: "AvxVnni", "Avx512BW" (width 512 only), "Avx2",
    /// "Dp" (ARM64 sdot), "AdvSimd" (ARM64 without the dot-product extension) or "Scalar". The order is
    /// <see cref="Dot"/>'s. The recurrent term of the "AvxVnni" path runs from panels of 8 units
    /// (<c>Int8VnniPanelRows</c>), the "Avx512BW" and "Avx2" paths' from panels of 16 (<c>Int8PanelRows</c>),
    /// the others' row by row (<c>Int8Rows</c>).
    /// </summary>
    internal static string Int8Path(int width) =>
        width <= 0 ? "Scalar"
        : AvxVnni.IsSupported ? "AvxVnni"
        : UsesAvx512BW(width) ? "Avx512BW"
        : Avx2.IsSupported ? "Avx2"
        : Dp.IsSupported ? "Dp"
        : AdvSimd.IsSupported ? "AdvSimd"
        : "Scalar";

    // 512-bit widening only when the model runs 512-bit vectors: a CPU that .NET flags as throttling at 512 bits
    // (Skylake-X, Cascade Lake) keeps the 256-bit path unless the user asked for 512 bits.
    private static bool UsesAvx512BW(int width) => width == 512 && Avx512BW.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>
    /// Quantizes one weight row: scale = max|w| / 127 (0 for a zero row), q = round(w / scale) in [-127, 127], and the
    /// row's sum of q, which the u8 x s8 product needs (see <c>Int8Rows</c>). Columns past the row stay 0.
    /// </summary>
    internal static void QuantizeRow(ReadOnlySpan<float> row, Span<sbyte> q, out float scale, out int sum)
    {
        float max = 0f;
        foreach (float v in row) max = MathF.Max(max, MathF.Abs(v));
        scale = max / 127f;
        float inverse = max > 0f ? 127f / max : 0f;
        sum = 0;
        for (int k = 0; k < row.Length; k++)
        {
            int value = (int)Math.Clamp(MathF.Round(row[k] * inverse), -127f, 127f);
            q[k] = (sbyte)value;
            sum += value;
        }
        q.Slice(row.Length).Clear();
    }

    /// <summary>
    /// Quantizes one sequence's h to unsigned bytes for VNNI: q = round(h / scale) in [-127, 127], stored as q + 128
    /// (so 1..255), scale = max|h| / 127 (1 for h = 0, whose bytes are all 128). Columns past h get 128 (q = 0).
    /// A NaN or infinite h gives scale NaN, so that the step's output is NaN as float32's would be.
    /// </summary>
    internal static float QuantizeState(ReadOnlySpan<float> h, Span<byte> q, int width = 0)
    {
        int n = h.Length, k = 0;
        ref float x = ref MemoryMarshal.GetReference(h);
        float max = 0f;
        bool nan = false;
        if (width > 0 && Vector256.IsHardwareAccelerated && n >= 8)
        {
            // The largest magnitude is the same whatever the order; a NaN is looked for apart, since a vector max may drop it.
            // So the max can be the machine's own (MaxNative: no IEEE NaN and -0 fix-ups, which Abs's values never need).
            Vector256<float> largest = Vector256<float>.Zero;
            Vector256<float> unordered = Vector256<float>.Zero;
            for (; k + 8 <= n; k += 8)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref x, (nuint)k);
                largest = Vector256.MaxNative(largest, Vector256.Abs(v));
                unordered |= ~Vector256.Equals(v, v);
            }
            Vector128<float> half = Vector128.MaxNative(largest.GetLower(), largest.GetUpper());
            half = Vector128.MaxNative(half, Vector128.Shuffle(half, Vector128.Create(2, 3, 0, 1)));
            max = MathF.Max(half.GetElement(0), half.GetElement(1));
            nan = unordered != Vector256<float>.Zero;
        }
        for (; k < n; k++) max = MathF.Max(max, MathF.Abs(Unsafe.Add(ref x, k)));
        if (nan || !float.IsFinite(max))
        {
            q.Fill(128);
            return float.NaN;
        }
        if (max == 0f)
        {
            q.Fill(128);
            return 1f;
        }
        float inverse = 127f / max;
        k = 0;
        if (width > 0 && Vector256.IsHardwareAccelerated && n >= 8)
        {
            // The scalar loop's operations exactly: one multiply (not fused), round half to even, clamp, + 128. h is finite
            // and |h| <= max here, so the products are finite: the machine's min, max and conversion (the Native forms,
            // without IEEE NaN, -0 and overflow fix-ups) give the same levels.
            Vector256<float> scale = Vector256.Create(inverse), low = Vector256.Create(-127f), high = Vector256.Create(127f);
            ref byte target = ref MemoryMarshal.GetReference(q);
            for (; k + 8 <= n; k += 8)
            {
                Vector256<float> v = Vector256.Round(Vector256.LoadUnsafe(ref x, (nuint)k) * scale);
                Vector256<int> levels = Vector256.ConvertToInt32Native(Vector256.MinNative(Vector256.MaxNative(v, low), high)) + Vector256.Create(128);
                // Levels are 1..255, so narrowing (truncating) keeps them: 8 bytes in one store, not 8 extractions.
                Vector128<byte> bytes;
                if (Avx512F.VL.IsSupported) bytes = Avx512F.VL.ConvertToVector128Byte(levels);
                else
                {
                    Vector128<short> words = Vector128.Narrow(levels.GetLower(), levels.GetUpper());
                    bytes = Vector128.Narrow(words.AsUInt16(), words.AsUInt16());
                }
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref target, k), bytes.AsUInt64().ToScalar());
            }
        }
        for (; k < n; k++)
            q[k] = (byte)((int)Math.Clamp(MathF.Round(h[k] * inverse), -127f, 127f) + 128);
        q.Slice(n).Fill(128);
        return max / 127f;
    }

    /// <summary>
    /// c[b, row] = start + (W[row, :] . h[b, :]) for the weight rows g * columns + [unitStart, unitEnd) of every gate g
    /// and the sequences [b0, b1), in int8 (each sequence's h quantized once for all of them):
    /// W[row, :] ~ scales[row] * qw[row, :] and h[b, :] ~ hScale_b * qh[b, :], so the dot product is
    /// scales[row] * hScale_b * sum_k qw[row, k] qh[b, k], the sum exact in int32. start is bias[row] when bias is
    /// not empty, else c itself.
    /// <para>
    /// VNNI multiplies unsigned bytes by signed bytes, so h goes in as u = qh + 128 (1..255), and the sum it gives is
    /// sum_k u_k qw_k = sum_k qh_k qw_k + 128 sum_k qw_k: the row's sum of weights (<paramref name="sums"/>, computed
    /// when the row was quantized) times 128 is taken off again. No overflow: |u qw| &lt;= 255 * 127, and a row of at most
    /// 23,170 columns (the largest W_hh a float array holds) sums to under 2^30.
    /// </para>
    /// </summary>
    internal static void Int8Rows(int width, ReadOnlySpan<sbyte> weights, ReadOnlySpan<float> scales, ReadOnlySpan<int> sums, int columns, int gates,
        ReadOnlySpan<float> h, ReadOnlySpan<float> bias, Span<float> c, int ldc, int unitStart, int unitEnd, int b0, int b1) =>
        Int8Rows(width, weights, scales, sums, columns, columns, gates, h, bias, c, ldc, unitStart, unitEnd, b0, b1);

    /// <summary>
    /// The other overload
    /// for a weight matrix [gates * units, columns] whose rows need not be as long as a gate is tall (W_ih: columns is
    /// the input size): row g * units + j, and h[b, :] of <paramref name="columns"/> values from b * columns.
    /// </summary>
    internal static void Int8Rows(int width, ReadOnlySpan<sbyte> weights, ReadOnlySpan<float> scales, ReadOnlySpan<int> sums, int units, int columns, int gates,
        ReadOnlySpan<float> h, ReadOnlySpan<float> bias, Span<float> c, int ldc, int unitStart, int unitEnd, int b0, int b1)
    {
        if (unitEnd <= unitStart || b1 <= b0 || gates <= 0) return;
        int stride = Int8Stride(columns), rowEnd = (gates - 1) * units + unitEnd;
        if (columns <= 0 || columns > Int8MaxColumns || unitStart < 0 || unitEnd > units || b0 < 0 || weights.Length < (long)rowEnd * stride || scales.Length < rowEnd || sums.Length < rowEnd
            || h.Length < (long)b1 * columns || ldc < rowEnd || c.Length < (long)(b1 - 1) * ldc + rowEnd || (!bias.IsEmpty && bias.Length < rowEnd))
            SharedKernels.ThrowExtent(nameof(Int8Rows));
        // The sequences in blocks whose quantized states fit in 16 KiB of stack (a whole W_hh row is at most 23,200 bytes).
        int block = Math.Max(1, 16384 / stride);
        Span<byte> states = stackalloc byte[Math.Min(block, b1 - b0) * stride];
        Span<float> stateScales = stackalloc float[Math.Min(block, b1 - b0)];
        Span<int> dots = stackalloc int[4];
        Span<int> dots16 = stackalloc int[16];
        for (int first = b0; first < b1; first += block)
        {
            int count = Math.Min(block, b1 - first);
            for (int b = 0; b < count; b++)
                stateScales[b] = QuantizeState(h.Slice((first + b) * columns, columns), states.Slice(b * stride, stride), width);
            for (int g = 0; g < gates; g++)
            {
                for (int row = g * units + unitStart, end = g * units + unitEnd; row < end; row += 4)
                {
                    int rows = Math.Min(4, end - row);
                    int b = 0;
                    if (rows == 4 && width > 0 && AvxVnni.IsSupported)
                    {
                        // Four rows by four sequences: each weight vector loaded is used four times (batches of 4 and more).
                        for (; b + 4 <= count; b += 4)
                        {
                            Dot4x4(weights.Slice(row * stride, 4 * stride), states.Slice(b * stride, 4 * stride), stride, dots16);
                            for (int q = 0; q < 4; q++) Finish(dots16.Slice(4 * q, 4), row, rows, scales, sums, stateScales[b + q], bias, c, (first + b + q) * ldc);
                        }
                    }
                    for (; b < count; b++)
                    {
                        Dot(width, weights.Slice(row * stride, rows * stride), stride, rows, states.Slice(b * stride, stride), sums.Slice(row, rows), dots);
                        Finish(dots, row, rows, scales, sums, stateScales[b], bias, c, (first + b) * ldc);
                    }

                }
            }
        }
    }

    /// <summary>c[at + row + r] = start + (exact sum of row + r) * row scale * state scale, for the rows of one block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(ReadOnlySpan<int> dots, int row, int rows, ReadOnlySpan<float> scales, ReadOnlySpan<int> sums, float stateScale,
        ReadOnlySpan<float> bias, Span<float> c, int at)
    {
        for (int r = 0; r < rows; r++)
        {
            int w = row + r;
            float start = bias.IsEmpty ? c[at + w] : bias[w];
            int exact = dots[r] - 128 * sums[w];  // the +128 offset of h taken off again
            c[at + w] = start + exact * (scales[w] * stateScale);
        }
    }

    /// <summary>
    /// sum_k u[q, k] w[r, k] for four rows r and four sequences q, into dots[4 q + r]: sixteen chains of vpdpbusd, each
    /// weight vector and each state vector loaded once for four. The same int32 sums as <see cref="Dot"/>, exactly.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x4(ReadOnlySpan<sbyte> w, ReadOnlySpan<byte> u, int stride, Span<int> dots)
    {
        if (w.Length < 4 * stride || u.Length < 4 * stride || dots.Length < 16) SharedKernels.ThrowExtent(nameof(Dot4x4));
        ref sbyte w0 = ref MemoryMarshal.GetReference(w);
        ref sbyte w1 = ref Unsafe.Add(ref w0, stride), w2 = ref Unsafe.Add(ref w0, 2 * stride), w3 = ref Unsafe.Add(ref w0, 3 * stride);
        ref byte x0 = ref MemoryMarshal.GetReference(u);
        ref byte x1 = ref Unsafe.Add(ref x0, stride), x2 = ref Unsafe.Add(ref x0, 2 * stride), x3 = ref Unsafe.Add(ref x0, 3 * stride);
        Vector256<int> a00 = default, a01 = default, a02 = default, a03 = default, a10 = default, a11 = default, a12 = default, a13 = default;
        Vector256<int> a20 = default, a21 = default, a22 = default, a23 = default, a30 = default, a31 = default, a32 = default, a33 = default;
        for (int k = 0; k < stride; k += 32)
        {
            Vector256<byte> u0 = Vector256.LoadUnsafe(ref x0, (nuint)k), u1 = Vector256.LoadUnsafe(ref x1, (nuint)k);
            Vector256<byte> u2 = Vector256.LoadUnsafe(ref x2, (nuint)k), u3 = Vector256.LoadUnsafe(ref x3, (nuint)k);
            Vector256<sbyte> v = Vector256.LoadUnsafe(ref w0, (nuint)k);
            a00 = AvxVnni.MultiplyWideningAndAdd(a00, u0, v); a10 = AvxVnni.MultiplyWideningAndAdd(a10, u1, v);
            a20 = AvxVnni.MultiplyWideningAndAdd(a20, u2, v); a30 = AvxVnni.MultiplyWideningAndAdd(a30, u3, v);
            v = Vector256.LoadUnsafe(ref w1, (nuint)k);
            a01 = AvxVnni.MultiplyWideningAndAdd(a01, u0, v); a11 = AvxVnni.MultiplyWideningAndAdd(a11, u1, v);
            a21 = AvxVnni.MultiplyWideningAndAdd(a21, u2, v); a31 = AvxVnni.MultiplyWideningAndAdd(a31, u3, v);
            v = Vector256.LoadUnsafe(ref w2, (nuint)k);
            a02 = AvxVnni.MultiplyWideningAndAdd(a02, u0, v); a12 = AvxVnni.MultiplyWideningAndAdd(a12, u1, v);
            a22 = AvxVnni.MultiplyWideningAndAdd(a22, u2, v); a32 = AvxVnni.MultiplyWideningAndAdd(a32, u3, v);
            v = Vector256.LoadUnsafe(ref w3, (nuint)k);
            a03 = AvxVnni.MultiplyWideningAndAdd(a03, u0, v); a13 = AvxVnni.MultiplyWideningAndAdd(a13, u1, v);
            a23 = AvxVnni.MultiplyWideningAndAdd(a23, u2, v); a33 = AvxVnni.MultiplyWideningAndAdd(a33, u3, v);
        }
        dots[0] = Vector256.Sum(a00); dots[1] = Vector256.Sum(a01); dots[2] = Vector256.Sum(a02); dots[3] = Vector256.Sum(a03);
        dots[4] = Vector256.Sum(a10); dots[5] = Vector256.Sum(a11); dots[6] = Vector256.Sum(a12); dots[7] = Vector256.Sum(a13);
        dots[8] = Vector256.Sum(a20); dots[9] = Vector256.Sum(a21); dots[10] = Vector256.Sum(a22); dots[11] = Vector256.Sum(a23);
        dots[12] = Vector256.Sum(a30); dots[13] = Vector256.Sum(a31); dots[14] = Vector256.Sum(a32); dots[15] = Vector256.Sum(a33);
    }

    /// <summary>
    /// sum_k u[k] w[r, k] for the <paramref name="rows"/> (1 to 4) rows, u unsigned and w signed bytes, in int32.
    /// Paths that multiply signed by signed bytes (ARM64: sdot, smull) take q = u - 128 instead, and give
    /// sum_k q[k] w[r, k] + 128 * <paramref name="sums"/>[r]: the same integer, since u = q + 128.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Dot(int width, ReadOnlySpan<sbyte> w, int stride, int rows, ReadOnlySpan<byte> u, ReadOnlySpan<int> sums, Span<int> dots)
    {
        if (stride <= 0 || stride % 32 != 0 || rows < 1 || w.Length < rows * stride || u.Length < stride || sums.Length < rows || dots.Length < rows) SharedKernels.ThrowExtent(nameof(Dot));
        if (width > 0 && AvxVnni.IsSupported)
            DotAvxVnni(w, stride, rows, u, dots);
        else if (width > 0 && UsesAvx512BW(width))
            DotAvx512BW(w, stride, rows, u, dots);
        else if (width > 0 && Avx2.IsSupported)
            DotAvx2(w, stride, rows, u, dots);
        else if (width > 0 && (Dp.IsSupported || AdvSimd.IsSupported))
            DotArm64(w, stride, rows, u, sums, dots);
        else
            DotScalar(w, stride, rows, u, dots);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotAvxVnni(ReadOnlySpan<sbyte> w, int stride, int rows, ReadOnlySpan<byte> u, Span<int> dots)
    {
        ref sbyte w0 = ref MemoryMarshal.GetReference(w);
        ref byte x = ref MemoryMarshal.GetReference(u);
        if (rows == 4)
        {
            // Four rows at once: four independent chains of vpdpbusd, each u vector loaded once for the four.
            ref sbyte w1 = ref Unsafe.Add(ref w0, stride), w2 = ref Unsafe.Add(ref w0, 2 * stride), w3 = ref Unsafe.Add(ref w0, 3 * stride);
            Vector256<int> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int k = 0; k < stride; k += 32)
            {
                Vector256<byte> xk = Vector256.LoadUnsafe(ref x, (nuint)k);
                a0 = AvxVnni.MultiplyWideningAndAdd(a0, xk, Vector256.LoadUnsafe(ref w0, (nuint)k));
                a1 = AvxVnni.MultiplyWideningAndAdd(a1, xk, Vector256.LoadUnsafe(ref w1, (nuint)k));
                a2 = AvxVnni.MultiplyWideningAndAdd(a2, xk, Vector256.LoadUnsafe(ref w2, (nuint)k));
                a3 = AvxVnni.MultiplyWideningAndAdd(a3, xk, Vector256.LoadUnsafe(ref w3, (nuint)k));
            }
            dots[0] = Vector256.Sum(a0); dots[1] = Vector256.Sum(a1); dots[2] = Vector256.Sum(a2); dots[3] = Vector256.Sum(a3);
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            ref sbyte wr = ref Unsafe.Add(ref w0, r * stride);
            Vector256<int> a = default;
            for (int k = 0; k < stride; k += 32)
                a = AvxVnni.MultiplyWideningAndAdd(a, Vector256.LoadUnsafe(ref x, (nuint)k), Vector256.LoadUnsafe(ref wr, (nuint)k));
            dots[r] = Vector256.Sum(a);
        }
    }

    /// <summary>
    /// Without VNNI, 512 bits: 32 bytes of u and of each row widened to 16 bits (zero- and sign-extended), then
    /// vpmaddwd sums pairs of products into 16 int32 lanes, exactly (2 * 255 * 127 fits easily). Not vpmaddubsw,
    /// which multiplies the bytes directly but saturates its pair sums at 32,767 (u = 255, w = 127 twice gives
    /// 64,770). u is widened once for the rows of the block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotAvx512BW(ReadOnlySpan<sbyte> w, int stride, int rows, ReadOnlySpan<byte> u, Span<int> dots)
    {
        ref sbyte w0 = ref MemoryMarshal.GetReference(w);
        ref byte x = ref MemoryMarshal.GetReference(u);
        if (rows == 4)
        {
            ref sbyte w1 = ref Unsafe.Add(ref w0, stride), w2 = ref Unsafe.Add(ref w0, 2 * stride), w3 = ref Unsafe.Add(ref w0, 3 * stride);
            Vector512<int> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int k = 0; k < stride; k += 32)  // stride is a multiple of 32
            {
                Vector512<short> xs = Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref x, (nuint)k));
                a0 += Avx512BW.MultiplyAddAdjacent(xs, Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref w0, (nuint)k)));
                a1 += Avx512BW.MultiplyAddAdjacent(xs, Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref w1, (nuint)k)));
                a2 += Avx512BW.MultiplyAddAdjacent(xs, Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref w2, (nuint)k)));
                a3 += Avx512BW.MultiplyAddAdjacent(xs, Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref w3, (nuint)k)));
            }
            dots[0] = Vector512.Sum(a0); dots[1] = Vector512.Sum(a1); dots[2] = Vector512.Sum(a2); dots[3] = Vector512.Sum(a3);
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            ref sbyte wr = ref Unsafe.Add(ref w0, r * stride);
            Vector512<int> a = default;
            for (int k = 0; k < stride; k += 32)
                a += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref x, (nuint)k)),
                                                  Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref wr, (nuint)k)));
            dots[r] = Vector512.Sum(a);
        }
    }

    /// <summary>
    /// Without VNNI: bytes widened to 16 bits (u as unsigned, w as signed), then vpmaddwd sums pairs of products into
    /// int32 lanes, exactly (255 * 127 * 2 fits easily).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotAvx2(ReadOnlySpan<sbyte> w, int stride, int rows, ReadOnlySpan<byte> u, Span<int> dots)
    {
        ref sbyte w0 = ref MemoryMarshal.GetReference(w);
        ref byte x = ref MemoryMarshal.GetReference(u);
        for (int r = 0; r < rows; r++)
        {
            ref sbyte wr = ref Unsafe.Add(ref w0, r * stride);
            Vector256<int> a = default;
            for (int k = 0; k < stride; k += 16)
            {
                Vector256<short> xs = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref x, (nuint)k));
                Vector256<short> ws = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref wr, (nuint)k));
                a = Avx2.Add(a, Avx2.MultiplyAddAdjacent(xs, ws));
            }
            dots[r] = Vector256.Sum(a);
        }
    }

    /// <summary>
    /// ARM64. .NET exposes sdot (signed x signed) and udot (unsigned x unsigned) but not usdot (unsigned x signed, an
    /// optional extension), so h goes in as q = u - 128 (u xor 0x80, in -127..127) and sdot sums four products of
    /// signed bytes into each int32 lane. Without the dot-product extension: smull / smull2 (products of at most
    /// 127 * 127 = 16,129 fit in int16), then sadalp adds their pairs into int32 lanes. Both exact; the 128 * sum of
    /// the row that q leaves out is added back, so the result is the u . w of the other paths.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotArm64(ReadOnlySpan<sbyte> w, int stride, int rows, ReadOnlySpan<byte> u, ReadOnlySpan<int> sums, Span<int> dots)
    {
        ref sbyte w0 = ref MemoryMarshal.GetReference(w);
        ref byte x = ref MemoryMarshal.GetReference(u);
        Vector128<byte> offset = Vector128.Create((byte)0x80);
        if (rows == 4 && Dp.IsSupported)
        {
            // Four rows at once: each state vector loaded and shifted to signed once for the four.
            ref sbyte w1 = ref Unsafe.Add(ref w0, stride), w2 = ref Unsafe.Add(ref w0, 2 * stride), w3 = ref Unsafe.Add(ref w0, 3 * stride);
            Vector128<int> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int k = 0; k < stride; k += 16)
            {
                Vector128<sbyte> q = (Vector128.LoadUnsafe(ref x, (nuint)k) ^ offset).AsSByte();
                a0 = Dp.DotProduct(a0, q, Vector128.LoadUnsafe(ref w0, (nuint)k));
                a1 = Dp.DotProduct(a1, q, Vector128.LoadUnsafe(ref w1, (nuint)k));
                a2 = Dp.DotProduct(a2, q, Vector128.LoadUnsafe(ref w2, (nuint)k));
                a3 = Dp.DotProduct(a3, q, Vector128.LoadUnsafe(ref w3, (nuint)k));
            }
            dots[0] = Vector128.Sum(a0) + 128 * sums[0]; dots[1] = Vector128.Sum(a1) + 128 * sums[1];
            dots[2] = Vector128.Sum(a2) + 128 * sums[2]; dots[3] = Vector128.Sum(a3) + 128 * sums[3];
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            ref sbyte wr = ref Unsafe.Add(ref w0, r * stride);
            Vector128<int> a = default;
            for (int k = 0; k < stride; k += 16)
            {
                Vector128<sbyte> q = (Vector128.LoadUnsafe(ref x, (nuint)k) ^ offset).AsSByte();
                Vector128<sbyte> v = Vector128.LoadUnsafe(ref wr, (nuint)k);
                if (Dp.IsSupported)
                {
                    a = Dp.DotProduct(a, q, v);
                }
                else
                {
                    a = AdvSimd.AddPairwiseWideningAndAdd(a, AdvSimd.MultiplyWideningLower(q.GetLower(), v.GetLower()));
                    a = AdvSimd.AddPairwiseWideningAndAdd(a, AdvSimd.MultiplyWideningUpper(q, v));
                }
            }
            dots[r] = Vector128.Sum(a) + 128 * sums[r];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotScalar(ReadOnlySpan<sbyte> w, int stride, int rows, ReadOnlySpan<byte> u, Span<int> dots)
    {
        ref sbyte w0 = ref MemoryMarshal.GetReference(w);
        ref byte x = ref MemoryMarshal.GetReference(u);
        for (int r = 0; r < rows; r++)
        {
            ref sbyte wr = ref Unsafe.Add(ref w0, r * stride);
            int sum = 0;
            for (int k = 0; k < stride; k++) sum += Unsafe.Add(ref x, k) * Unsafe.Add(ref wr, k);
            dots[r] = sum;
        }
    }
}
