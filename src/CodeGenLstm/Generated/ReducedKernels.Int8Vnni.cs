using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CodeGenLstm.Generated;

// The int8 recurrent term on x64 with AVX-VNNI, with no horizontal sum: W_hh in panels of 8 hidden units, so that the
// 8 int32 lanes of one 256-bit vector are 8 hidden units of one gate (an outer product, as the float32 recurrence).
// A panel holds, for each group of 4 columns (k..k + 3), each gate's 8 units as 32 bytes: w[j, k..k + 3] for j = 0..7.
// vpdpbusd with the 4 bytes u[k..k + 3] of a sequence's quantized state broadcast to every lane adds
// sum_{i<4} u[k + i] w[j, k + i] into lane j, exactly, in int32. Each weight vector loaded is used for 2 sequences and
// the 2 x 4 sums stay in registers (with the 4 weight vectors and a broadcast: 13 of AVX2's 16), or for 4 sequences
// where AVX-512 gives the JIT 32 registers (4 x 4 sums, 4 weight vectors, a broadcast: 21). The sums are
// Int8Rows's exact sum_k u_k w_k - 128 sum_k w_k (started at the second term), then finished as Int8Rows finishes them,
// so the results are the same bits.
// Padding: units past the last and columns past the last are zero weights, which add nothing whatever u is.
internal static partial class ReducedKernels
{
    /// <summary>Hidden units per VNNI panel: one 256-bit vector of int32 sums.</summary>
    internal const int Int8VnniUnits = 8;

    /// <summary>Whether this machine may run <c>Int8VnniPanelRows</c> at some width (x64 with AVX-VNNI).</summary>
    internal static bool Int8VnniPanelsPossible => AvxVnni.IsSupported;

    /// <summary>Whether the int8 term at <paramref name="width"/> runs from the VNNI panels (the "AvxVnni" path).</summary>
    internal static bool UsesInt8VnniPanels(int width) => width > 0 && Int8VnniPanelsPossible;

    /// <summary>Groups of 4 columns of a W_hh with <paramref name="columns"/> columns (a last group padded with zeros).</summary>
    internal static int Int8VnniGroups(int columns) => (columns + 3) / 4;

    /// <summary>Bytes of the VNNI panels of a W_hh [gates * columns, columns].</summary>
    internal static long Int8VnniPanelLength(int gates, int columns) => Int8VnniPanelLength(gates, columns, columns);

    /// <summary>Bytes of the VNNI panels of a weight matrix [gates * units, columns].</summary>
    internal static long Int8VnniPanelLength(int gates, int units, int columns) =>
        (long)((units + Int8VnniUnits - 1) / Int8VnniUnits) * Int8VnniGroups(columns) * gates * 32;

    /// <summary>
    /// Stores quantized row <paramref name="row"/> (= g * columns + j) of W_hh into the VNNI panels: column k goes to byte
    /// 4 * (j % 8) + k % 4 of gate g's 32 bytes of group k / 4 in panel j / 8, and no other row's bytes are written.
    /// Padding (units past the last, columns of a last partial group) stays 0.
    /// </summary>
    internal static void PackInt8VnniPanelRow(ReadOnlySpan<sbyte> q, int row, int gates, int columns, Span<sbyte> panels) =>
        PackInt8VnniPanelRow(q, row, gates, columns, columns, panels);

    /// <summary>As the other overload, for row g * units + j of a weight matrix [gates * units, columns].</summary>
    internal static void PackInt8VnniPanelRow(ReadOnlySpan<sbyte> q, int row, int gates, int units, int columns, Span<sbyte> panels)
    {
        int g = row / units, j = row % units, groups = Int8VnniGroups(columns);
        int panel = j / Int8VnniUnits, lane = j % Int8VnniUnits;
        if (g >= gates || q.Length < columns || panels.Length < Int8VnniPanelLength(gates, units, columns)) SharedKernels.ThrowExtent(nameof(PackInt8VnniPanelRow));
        long start = ((long)panel * groups * gates + g) * 32 + 4 * lane;
        for (int k = 0; k < columns; k++)
            panels[(int)(start + (long)(k / 4) * gates * 32 + (k & 3))] = q[k];
    }

    /// <summary>
    /// The int8 term from the VNNI panels, as <c>Int8Rows</c> (same arguments, the panels for the rows, same bits):
    /// c[b, g * columns + j] = start + scales[row] * hScale_b * (sum_k u[b, k] qw[row, k] - 128 sums[row]) for the units
    /// [unitStart, unitEnd) of every gate and the sequences [b0, b1).
    /// </summary>
    internal static void Int8VnniPanelRows(int width, ReadOnlySpan<sbyte> panels, ReadOnlySpan<float> scales, ReadOnlySpan<int> sums, int columns, int gates,
        ReadOnlySpan<float> h, ReadOnlySpan<float> bias, Span<float> c, int ldc, int unitStart, int unitEnd, int b0, int b1) =>
        Int8VnniPanelRows(width, panels, scales, sums, columns, columns, gates, h, bias, c, ldc, unitStart, unitEnd, b0, b1);

    /// <summary>As the other overload, for a weight matrix [gates * units, columns] (h[b, :]: columns values from b * columns).</summary>
    internal static void Int8VnniPanelRows(int width, ReadOnlySpan<sbyte> panels, ReadOnlySpan<float> scales, ReadOnlySpan<int> sums, int units, int columns, int gates,
        ReadOnlySpan<float> h, ReadOnlySpan<float> bias, Span<float> c, int ldc, int unitStart, int unitEnd, int b0, int b1)
    {
        if (unitEnd <= unitStart || b1 <= b0 || gates <= 0) return;
        int rows = gates * units, groups = Int8VnniGroups(columns);
        if (!UsesInt8VnniPanels(width) || columns <= 0 || columns > Int8MaxColumns || unitStart < 0 || unitEnd > units || b0 < 0
            || panels.Length < Int8VnniPanelLength(gates, units, columns)
            || scales.Length < rows || sums.Length < rows || h.Length < (long)b1 * columns || ldc < rows || c.Length < (long)(b1 - 1) * ldc + rows
            || (!bias.IsEmpty && bias.Length < rows))
            SharedKernels.ThrowExtent(nameof(Int8VnniPanelRows));
        // The sequences in blocks whose states (4 bytes a group) fit in 32 KiB of stack: every panel is read once per block.
        int block = Math.Max(1, 32768 / (4 * groups));
        Span<int> states = stackalloc int[Math.Min(block, b1 - b0) * groups];
        Span<float> stateScales = stackalloc float[Math.Min(block, b1 - b0)];
        // Every extent is checked above, once: the blocks below read and write through refs, with no bounds checks
        // (and no calls, which would make the JIT spill the sums; see BlockVnni).
        var call = new VnniCall
        {
            States = ref MemoryMarshal.GetReference(states), StateScales = ref MemoryMarshal.GetReference(stateScales),
            Scales = ref MemoryMarshal.GetReference(scales), Sums = ref MemoryMarshal.GetReference(sums),
            Bias = ref MemoryMarshal.GetReference(bias), HasBias = !bias.IsEmpty,
            Groups = groups, Step = gates * 32, Units = units, Ldc = ldc,
        };
        // With AVX-512 the JIT has 32 vector registers: 4 sequences x 4 gates of sums, 4 weight vectors and a broadcast fit.
        bool wide = Avx512F.VL.IsSupported;
        for (int first = b0; first < b1; first += block)
        {
            int count = Math.Min(block, b1 - first);
            // Int8Rows's quantization, bytes u = q + 128; columns past h get 128, which meet zero weights.
            for (int b = 0; b < count; b++)
                stateScales[b] = QuantizeState(h.Slice((first + b) * columns, columns), MemoryMarshal.AsBytes(states.Slice(b * groups, groups)), width);
            call.C = ref Unsafe.Add(ref MemoryMarshal.GetReference(c), first * ldc);
            for (int panel = unitStart / Int8VnniUnits; panel * Int8VnniUnits < unitEnd; panel++)
            {
                // Lanes [lo, hi) of this panel are the share's units.
                int lo = Math.Max(unitStart - panel * Int8VnniUnits, 0), hi = Math.Min(unitEnd - panel * Int8VnniUnits, Int8VnniUnits);
                call.Panel = ref Unsafe.Add(ref MemoryMarshal.GetReference(panels), (nint)panel * groups * gates * 32);
                var target = new PanelTarget(panel * Int8VnniUnits, lo, hi);
                for (int g0 = 0; g0 < gates; g0 += 4)
                {
                    int n = Math.Min(4, gates - g0);
                    int b = 0;
                    if (wide)
                        for (; b + 4 <= count; b += 4) GatesVnni<Four>(n, in call, g0, b, target);
                    for (; b + 2 <= count; b += 2) GatesVnni<Two>(n, in call, g0, b, target);
                    if (b < count) GatesVnni<One>(n, in call, g0, b, target);
                }
            }
        }
    }

    /// <summary>
    /// What every block of one call reads and writes, checked by Int8VnniPanelRows: the panel's weights, the block's
    /// states and their scales, the rows' scales and sums, the bias (HasBias) and c from the block's first sequence.
    /// </summary>
    private ref struct VnniCall
    {
        public ref sbyte Panel;
        public ref int States;
        public ref float StateScales;
        public ref float Scales;
        public ref int Sums;
        public ref float Bias;
        public ref float C;
        public bool HasBias;
        public int Groups, Step, Units, Ldc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GatesVnni<TSeq>(int n, scoped in VnniCall call, int g0, int b, PanelTarget target) where TSeq : struct, IConstant
    {
        switch (n)
        {
            case 4: BlockVnni<TSeq, Four>(in call, g0, b, target); break;
            case 3: BlockVnni<TSeq, Three>(in call, g0, b, target); break;
            case 2: BlockVnni<TSeq, Two>(in call, g0, b, target); break;
            default: BlockVnni<TSeq, One>(in call, g0, b, target); break;
        }
    }

    /// <summary>
    /// TSeq (1, 2 or 4) sequences (from b) by TGate gates (from g0) of one panel: per group of 4 columns, each gate's 32
    /// weight bytes loaded once and multiplied by every sequence's broadcast 4 state bytes. Sums named a{sequence}{gate}.
    /// A whole panel's sums start at -128 sums[row] (int32 arithmetic wraps, so adding it first or last gives the same
    /// exact sum) and are finished 8 at a time in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BlockVnni<TSeq, TGate>(scoped in VnniCall call, int g0, int b, PanelTarget target)
        where TSeq : struct, IConstant where TGate : struct, IConstant
    {
        int groups = call.Groups, step = call.Step, units = call.Units;
        int row = g0 * units + target.Unit;
        bool whole = target.Lo == 0 && target.Hi == Int8VnniUnits;
        ref sbyte w = ref Unsafe.Add(ref call.Panel, g0 * 32);
        ref int s0 = ref Unsafe.Add(ref call.States, b * groups);
        Vector256<int> i0 = default, i1 = default, i2 = default, i3 = default;
        if (whole)
        {
            // A whole panel's 8 rows are real (a panel past the last unit is never whole), so 8 sums can be read.
            ref int sums = ref Unsafe.Add(ref call.Sums, row);
            i0 = -(Vector256.LoadUnsafe(ref sums) << 7);
            if (TGate.Value > 1) i1 = -(Vector256.LoadUnsafe(ref sums, (nuint)units) << 7);
            if (TGate.Value > 2) i2 = -(Vector256.LoadUnsafe(ref sums, (nuint)(2 * units)) << 7);
            if (TGate.Value > 3) i3 = -(Vector256.LoadUnsafe(ref sums, (nuint)(3 * units)) << 7);
        }
        Vector256<int> a00 = i0, a01 = i1, a02 = i2, a03 = i3, a10 = i0, a11 = i1, a12 = i2, a13 = i3;
        Vector256<int> a20 = i0, a21 = i1, a22 = i2, a23 = i3, a30 = i0, a31 = i1, a32 = i2, a33 = i3;
        for (int p = 0; p < groups; p++)
        {
            Vector256<sbyte> w0 = Vector256.LoadUnsafe(ref w);
            Vector256<sbyte> w1 = TGate.Value > 1 ? Vector256.LoadUnsafe(ref w, 32) : default;
            Vector256<sbyte> w2 = TGate.Value > 2 ? Vector256.LoadUnsafe(ref w, 64) : default;
            Vector256<sbyte> w3 = TGate.Value > 3 ? Vector256.LoadUnsafe(ref w, 96) : default;
            w = ref Unsafe.Add(ref w, step);
            Vector256<byte> x = Vector256.Create(Unsafe.Add(ref s0, p)).AsByte();
            a00 = AvxVnni.MultiplyWideningAndAdd(a00, x, w0);
            if (TGate.Value > 1) a01 = AvxVnni.MultiplyWideningAndAdd(a01, x, w1);
            if (TGate.Value > 2) a02 = AvxVnni.MultiplyWideningAndAdd(a02, x, w2);
            if (TGate.Value > 3) a03 = AvxVnni.MultiplyWideningAndAdd(a03, x, w3);
            if (TSeq.Value > 1)
            {
                x = Vector256.Create(Unsafe.Add(ref s0, p + groups)).AsByte();
                a10 = AvxVnni.MultiplyWideningAndAdd(a10, x, w0);
                if (TGate.Value > 1) a11 = AvxVnni.MultiplyWideningAndAdd(a11, x, w1);
                if (TGate.Value > 2) a12 = AvxVnni.MultiplyWideningAndAdd(a12, x, w2);
                if (TGate.Value > 3) a13 = AvxVnni.MultiplyWideningAndAdd(a13, x, w3);
            }
            if (TSeq.Value > 2)
            {
                x = Vector256.Create(Unsafe.Add(ref s0, p + 2 * groups)).AsByte();
                a20 = AvxVnni.MultiplyWideningAndAdd(a20, x, w0);
                if (TGate.Value > 1) a21 = AvxVnni.MultiplyWideningAndAdd(a21, x, w1);
                if (TGate.Value > 2) a22 = AvxVnni.MultiplyWideningAndAdd(a22, x, w2);
                if (TGate.Value > 3) a23 = AvxVnni.MultiplyWideningAndAdd(a23, x, w3);
            }
            if (TSeq.Value > 3)
            {
                x = Vector256.Create(Unsafe.Add(ref s0, p + 3 * groups)).AsByte();
                a30 = AvxVnni.MultiplyWideningAndAdd(a30, x, w0);
                if (TGate.Value > 1) a31 = AvxVnni.MultiplyWideningAndAdd(a31, x, w1);
                if (TGate.Value > 2) a32 = AvxVnni.MultiplyWideningAndAdd(a32, x, w2);
                if (TGate.Value > 3) a33 = AvxVnni.MultiplyWideningAndAdd(a33, x, w3);
            }
        }
        if (whole)
        {
            FinishGatesVnni<TGate>(a00, a01, a02, a03, in call, b, row);
            if (TSeq.Value > 1) FinishGatesVnni<TGate>(a10, a11, a12, a13, in call, b + 1, row);
            if (TSeq.Value > 2) FinishGatesVnni<TGate>(a20, a21, a22, a23, in call, b + 2, row);
            if (TSeq.Value > 3) FinishGatesVnni<TGate>(a30, a31, a32, a33, in call, b + 3, row);
            return;
        }
        FinishLanesVnni<TGate>(a00, a01, a02, a03, in call, b, row, target);
        if (TSeq.Value > 1) FinishLanesVnni<TGate>(a10, a11, a12, a13, in call, b + 1, row, target);
        if (TSeq.Value > 2) FinishLanesVnni<TGate>(a20, a21, a22, a23, in call, b + 2, row, target);
        if (TSeq.Value > 3) FinishLanesVnni<TGate>(a30, a31, a32, a33, in call, b + 3, row, target);
    }

    /// <summary>
    /// Sequence b's exact sums of TGate gates of a whole panel (rows row + g * units, 8 each) finished as Int8Rows's
    /// Finish: start + exact * (scale * stateScale), a multiply and an add, never fused, so the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishGatesVnni<TGate>(Vector256<int> e0, Vector256<int> e1, Vector256<int> e2, Vector256<int> e3, scoped in VnniCall call,
        int b, int row) where TGate : struct, IConstant
    {
        int units = call.Units;
        Vector256<float> stateScale = Vector256.Create(Unsafe.Add(ref call.StateScales, b));
        ref float c = ref Unsafe.Add(ref call.C, b * call.Ldc + row);
        ref float start = ref call.HasBias ? ref Unsafe.Add(ref call.Bias, row) : ref c;
        ref float scales = ref Unsafe.Add(ref call.Scales, row);
        Finish8(e0, stateScale, ref scales, ref start, ref c, 0);
        if (TGate.Value > 1) Finish8(e1, stateScale, ref scales, ref start, ref c, units);
        if (TGate.Value > 2) Finish8(e2, stateScale, ref scales, ref start, ref c, 2 * units);
        if (TGate.Value > 3) Finish8(e3, stateScale, ref scales, ref start, ref c, 3 * units);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish8(Vector256<int> exact, Vector256<float> stateScale, ref float scales, ref float start, ref float c, int offset) =>
        (Vector256.LoadUnsafe(ref start, (nuint)offset) + Vector256.ConvertToSingle(exact) * (Vector256.LoadUnsafe(ref scales, (nuint)offset) * stateScale))
            .StoreUnsafe(ref c, (nuint)offset);

    /// <summary>
    /// The lanes [Lo, Hi) of a part of a panel, one by one as Int8Rows's Finish: the sums started at 0, so minus 128 sums[row]
    /// here (exact), then start + exact * (scale * stateScale). Only the share's rows are read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishLanesVnni<TGate>(Vector256<int> e0, Vector256<int> e1, Vector256<int> e2, Vector256<int> e3, scoped in VnniCall call,
        int b, int row, PanelTarget target) where TGate : struct, IConstant
    {
        Unsafe.SkipInit(out Sums8<Vector256<int>> dots);
        dots[0] = e0; dots[1] = e1; dots[2] = e2; dots[3] = e3;
        float stateScale = Unsafe.Add(ref call.StateScales, b);
        ref float c = ref Unsafe.Add(ref call.C, b * call.Ldc);
        for (int g = 0; g < TGate.Value; g++)
        {
            ref int lanes = ref Unsafe.As<Vector256<int>, int>(ref Unsafe.Add(ref Unsafe.As<Sums8<Vector256<int>>, Vector256<int>>(ref dots), g));
            for (int i = target.Lo; i < target.Hi; i++)
            {
                int w = row + g * call.Units + i;
                int exact = Unsafe.Add(ref lanes, i) - 128 * Unsafe.Add(ref call.Sums, w);
                float start = call.HasBias ? Unsafe.Add(ref call.Bias, w) : Unsafe.Add(ref c, w);
                Unsafe.Add(ref c, w) = start + exact * (Unsafe.Add(ref call.Scales, w) * stateScale);
            }
        }
    }
}
