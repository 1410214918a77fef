using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CodeGenLstm.Generated;

// The register-blocked micro-kernels of the matrix products, written once for every vector width over
// IKernelOps<TVec> (KernelOps512, KernelOps256, KernelOps128) and for every block of rows over IConstant (One, Two,
// Four, Six): the JIT and NativeAOT compile each struct instantiation on its own, with TOps.Count and TRows.Value
// constants, every operation inlined and the branches on them folded away, so each copy is the kernel written out
// for that width and row count, with the same multiply-adds in the same order, instruction for instruction what the
// per-row-count kernels they replace compiled to (checked with DOTNET_JitDisasm at 512, 256 and 128 bits, with and
// without FMA). Rows past TRows and vectors past the width's keep accumulators that nothing reads; the JIT drops them.
// What keeps the machine code the same:
// - Panel vectors (the third and fourth exist at 512 bits only) and the transposed kernels' one-vector-or-panel choice
//   are tested on types (typeof(TVec) == typeof(Vector512<float>), typeof(TVectors) != typeof(One)), which the JIT
//   folds while it imports the method; rows on TRows.Value, folded once the getter is inlined, which was early
//   enough for the guarded statements and start values here. None of these tests is kept in a bool local: that one
//   is folded only later, and left extra compares before the loop and reordered loads in it.
// - The multiply-adds are written in the loop, not in a helper taking the accumulators by ref: through such a helper
//   the JIT swapped the operands of the multiply on the 128-bit path without FMA (x * b became b * x, the same
//   product but for which NaN's payload comes out when both are NaN).
// Internal: they take refs and check nothing; their only callers, the drivers in SharedKernels.Products*.cs
// (through SharedKernels.GemmFamily.cs), check whole spans first.
public static partial class SharedKernels
{
    /// <summary>
    /// Vectors in a packed weight panel: 4 at 512 bits (64 columns), 2 at 256 and 128 (16 and 8 columns), what
    /// <see cref="PanelWidth"/> gives divided by the lanes. A constant in each instantiation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int PanelVectors<TOps, TVec>()
        where TOps : struct, IKernelOps<TVec>
        where TVec : struct =>
        typeof(TVec) == typeof(Vector512<float>) ? 4 : 2;

    /// <summary>
    /// TRows rows (1 to 6; the drivers use 6, 4, 2 and 1) x one panel of C: C = start + A[TRows, k] B[k, panel], B one
    /// packed panel ({64, 16, 8} floats per k), start 0 (init 0), C itself (1) or the panel's bias (2). 4 (512 bits)
    /// or 2 (256, 128) accumulators a row stay in registers for the whole reduction; each B vector loaded is used
    /// TRows times.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void GemmRowBlock<TRows, TOps, TVec>(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias)
        where TRows : struct, IConstant
        where TOps : struct, IKernelOps<TVec>
        where TVec : struct
    {
        int w = TOps.Count, nr = PanelVectors<TOps, TVec>() * w;
        ref float a1 = ref Unsafe.Add(ref a, lda);
        ref float a2 = ref Unsafe.Add(ref a, 2 * lda);
        ref float a3 = ref Unsafe.Add(ref a, 3 * lda);
        ref float a4 = ref Unsafe.Add(ref a, 4 * lda);
        ref float a5 = ref Unsafe.Add(ref a, 5 * lda);
        ref float c1 = ref Unsafe.Add(ref c, ldc);
        ref float c2 = ref Unsafe.Add(ref c, 2 * ldc);
        ref float c3 = ref Unsafe.Add(ref c, 3 * ldc);
        ref float c4 = ref Unsafe.Add(ref c, 4 * ldc);
        ref float c5 = ref Unsafe.Add(ref c, 5 * ldc);
        TVec s0 = init == 2 ? TOps.Load(ref bias, 0) : TOps.Zero;
        TVec s1 = init == 2 ? TOps.Load(ref bias, w) : TOps.Zero;
        TVec s2 = typeof(TVec) == typeof(Vector512<float>) && init == 2 ? TOps.Load(ref bias, 2 * w) : TOps.Zero;
        TVec s3 = typeof(TVec) == typeof(Vector512<float>) && init == 2 ? TOps.Load(ref bias, 3 * w) : TOps.Zero;
        TVec c00 = init == 1 ? TOps.Load(ref c, 0) : s0;
        TVec c01 = init == 1 ? TOps.Load(ref c, w) : s1;
        TVec c02 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c, 2 * w) : s2;
        TVec c03 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c, 3 * w) : s3;
        TVec c10 = TRows.Value > 1 && init == 1 ? TOps.Load(ref c1, 0) : s0;
        TVec c11 = TRows.Value > 1 && init == 1 ? TOps.Load(ref c1, w) : s1;
        TVec c12 = TRows.Value > 1 && typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c1, 2 * w) : s2;
        TVec c13 = TRows.Value > 1 && typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c1, 3 * w) : s3;
        TVec c20 = TRows.Value > 2 && init == 1 ? TOps.Load(ref c2, 0) : s0;
        TVec c21 = TRows.Value > 2 && init == 1 ? TOps.Load(ref c2, w) : s1;
        TVec c22 = TRows.Value > 2 && typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c2, 2 * w) : s2;
        TVec c23 = TRows.Value > 2 && typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c2, 3 * w) : s3;
        TVec c30 = TRows.Value > 3 && init == 1 ? TOps.Load(ref c3, 0) : s0;
        TVec c31 = TRows.Value > 3 && init == 1 ? TOps.Load(ref c3, w) : s1;
        TVec c32 = TRows.Value > 3 && typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c3, 2 * w) : s2;
        TVec c33 = TRows.Value > 3 && typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c3, 3 * w) : s3;
        TVec c40 = TRows.Value > 4 && init == 1 ? TOps.Load(ref c4, 0) : s0;
        TVec c41 = TRows.Value > 4 && init == 1 ? TOps.Load(ref c4, w) : s1;
        TVec c42 = TRows.Value > 4 && typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c4, 2 * w) : s2;
        TVec c43 = TRows.Value > 4 && typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c4, 3 * w) : s3;
        TVec c50 = TRows.Value > 5 && init == 1 ? TOps.Load(ref c5, 0) : s0;
        TVec c51 = TRows.Value > 5 && init == 1 ? TOps.Load(ref c5, w) : s1;
        TVec c52 = TRows.Value > 5 && typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c5, 2 * w) : s2;
        TVec c53 = TRows.Value > 5 && typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c5, 3 * w) : s3;
        for (int kk = 0; kk < k; kk++)
        {
            ref float bk = ref Unsafe.Add(ref b, kk * nr);
            TVec b0 = TOps.Load(ref bk, 0);
            TVec b1 = TOps.Load(ref bk, w);
            TVec b2 = typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref bk, 2 * w) : TOps.Zero;
            TVec b3 = typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref bk, 3 * w) : TOps.Zero;
            TVec x = TOps.Create(Unsafe.Add(ref a, kk));
            c00 = TOps.MultiplyAdd(x, b0, c00);
            c01 = TOps.MultiplyAdd(x, b1, c01);
            if (typeof(TVec) == typeof(Vector512<float>))
            {
                c02 = TOps.MultiplyAdd(x, b2, c02);
                c03 = TOps.MultiplyAdd(x, b3, c03);
            }
            if (TRows.Value > 1)
            {
                x = TOps.Create(Unsafe.Add(ref a1, kk));
                c10 = TOps.MultiplyAdd(x, b0, c10);
                c11 = TOps.MultiplyAdd(x, b1, c11);
                if (typeof(TVec) == typeof(Vector512<float>))
                {
                    c12 = TOps.MultiplyAdd(x, b2, c12);
                    c13 = TOps.MultiplyAdd(x, b3, c13);
                }
            }
            if (TRows.Value > 2)
            {
                x = TOps.Create(Unsafe.Add(ref a2, kk));
                c20 = TOps.MultiplyAdd(x, b0, c20);
                c21 = TOps.MultiplyAdd(x, b1, c21);
                if (typeof(TVec) == typeof(Vector512<float>))
                {
                    c22 = TOps.MultiplyAdd(x, b2, c22);
                    c23 = TOps.MultiplyAdd(x, b3, c23);
                }
            }
            if (TRows.Value > 3)
            {
                x = TOps.Create(Unsafe.Add(ref a3, kk));
                c30 = TOps.MultiplyAdd(x, b0, c30);
                c31 = TOps.MultiplyAdd(x, b1, c31);
                if (typeof(TVec) == typeof(Vector512<float>))
                {
                    c32 = TOps.MultiplyAdd(x, b2, c32);
                    c33 = TOps.MultiplyAdd(x, b3, c33);
                }
            }
            if (TRows.Value > 4)
            {
                x = TOps.Create(Unsafe.Add(ref a4, kk));
                c40 = TOps.MultiplyAdd(x, b0, c40);
                c41 = TOps.MultiplyAdd(x, b1, c41);
                if (typeof(TVec) == typeof(Vector512<float>))
                {
                    c42 = TOps.MultiplyAdd(x, b2, c42);
                    c43 = TOps.MultiplyAdd(x, b3, c43);
                }
            }
            if (TRows.Value > 5)
            {
                x = TOps.Create(Unsafe.Add(ref a5, kk));
                c50 = TOps.MultiplyAdd(x, b0, c50);
                c51 = TOps.MultiplyAdd(x, b1, c51);
                if (typeof(TVec) == typeof(Vector512<float>))
                {
                    c52 = TOps.MultiplyAdd(x, b2, c52);
                    c53 = TOps.MultiplyAdd(x, b3, c53);
                }
            }
        }
        StoreRow<Four, TOps, TVec>(ref c, w, c00, c01, c02, c03);
        if (TRows.Value > 1) StoreRow<Four, TOps, TVec>(ref c1, w, c10, c11, c12, c13);
        if (TRows.Value > 2) StoreRow<Four, TOps, TVec>(ref c2, w, c20, c21, c22, c23);
        if (TRows.Value > 3) StoreRow<Four, TOps, TVec>(ref c3, w, c30, c31, c32, c33);
        if (TRows.Value > 4) StoreRow<Four, TOps, TVec>(ref c4, w, c40, c41, c42, c43);
        if (TRows.Value > 5) StoreRow<Four, TOps, TVec>(ref c5, w, c50, c51, c52, c53);
    }

    /// <summary>
    /// TRows rows (1 to 6; the drivers use 6 and 1) x TVectors vectors of C (<see cref="One"/>: one vector, 16, 8 or 4
    /// columns; <see cref="Four"/>: the whole panel, 64, 16 or 8 columns): C += A[m, TRows]^T B[m, columns], the sum
    /// over m rows of outer products; A and B have row strides lda and ldb, C ldc. TRows x (1, 4 at 512 bits or 2 at
    /// 256 and 128) accumulators stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void GemmTransposedARowBlock<TRows, TVectors, TOps, TVec>(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m)
        where TRows : struct, IConstant
        where TVectors : struct, IConstant
        where TOps : struct, IKernelOps<TVec>
        where TVec : struct
    {
        int w = TOps.Count;
        ref float c1 = ref Unsafe.Add(ref c, ldc);
        ref float c2 = ref Unsafe.Add(ref c, 2 * ldc);
        ref float c3 = ref Unsafe.Add(ref c, 3 * ldc);
        ref float c4 = ref Unsafe.Add(ref c, 4 * ldc);
        ref float c5 = ref Unsafe.Add(ref c, 5 * ldc);
        TVec c00 = TOps.Load(ref c, 0);
        TVec c01 = typeof(TVectors) != typeof(One) ? TOps.Load(ref c, w) : TOps.Zero;
        TVec c02 = typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c, 2 * w) : TOps.Zero;
        TVec c03 = typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c, 3 * w) : TOps.Zero;
        TVec c10 = TRows.Value > 1 ? TOps.Load(ref c1, 0) : TOps.Zero;
        TVec c11 = TRows.Value > 1 && typeof(TVectors) != typeof(One) ? TOps.Load(ref c1, w) : TOps.Zero;
        TVec c12 = TRows.Value > 1 && typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c1, 2 * w) : TOps.Zero;
        TVec c13 = TRows.Value > 1 && typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c1, 3 * w) : TOps.Zero;
        TVec c20 = TRows.Value > 2 ? TOps.Load(ref c2, 0) : TOps.Zero;
        TVec c21 = TRows.Value > 2 && typeof(TVectors) != typeof(One) ? TOps.Load(ref c2, w) : TOps.Zero;
        TVec c22 = TRows.Value > 2 && typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c2, 2 * w) : TOps.Zero;
        TVec c23 = TRows.Value > 2 && typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c2, 3 * w) : TOps.Zero;
        TVec c30 = TRows.Value > 3 ? TOps.Load(ref c3, 0) : TOps.Zero;
        TVec c31 = TRows.Value > 3 && typeof(TVectors) != typeof(One) ? TOps.Load(ref c3, w) : TOps.Zero;
        TVec c32 = TRows.Value > 3 && typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c3, 2 * w) : TOps.Zero;
        TVec c33 = TRows.Value > 3 && typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c3, 3 * w) : TOps.Zero;
        TVec c40 = TRows.Value > 4 ? TOps.Load(ref c4, 0) : TOps.Zero;
        TVec c41 = TRows.Value > 4 && typeof(TVectors) != typeof(One) ? TOps.Load(ref c4, w) : TOps.Zero;
        TVec c42 = TRows.Value > 4 && typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c4, 2 * w) : TOps.Zero;
        TVec c43 = TRows.Value > 4 && typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c4, 3 * w) : TOps.Zero;
        TVec c50 = TRows.Value > 5 ? TOps.Load(ref c5, 0) : TOps.Zero;
        TVec c51 = TRows.Value > 5 && typeof(TVectors) != typeof(One) ? TOps.Load(ref c5, w) : TOps.Zero;
        TVec c52 = TRows.Value > 5 && typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c5, 2 * w) : TOps.Zero;
        TVec c53 = TRows.Value > 5 && typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c5, 3 * w) : TOps.Zero;
        for (int p = 0; p < m; p++)
        {
            // B's row, then A's (between the panel's second and third vector): the order the per-width kernels' loops
            // had, written so; A's row first costs an instruction a step at 256 and 128 bits (its address is not folded).
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            TVec b0 = TOps.Load(ref bp, 0);
            TVec b1 = typeof(TVectors) != typeof(One) ? TOps.Load(ref bp, w) : TOps.Zero;
            ref float ap = ref Unsafe.Add(ref a, p * lda);
            TVec b2 = typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref bp, 2 * w) : TOps.Zero;
            TVec b3 = typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref bp, 3 * w) : TOps.Zero;
            TVec x = TOps.Create(ap);
            c00 = TOps.MultiplyAdd(x, b0, c00);
            if (typeof(TVectors) != typeof(One)) c01 = TOps.MultiplyAdd(x, b1, c01);
            if (typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>))
            {
                c02 = TOps.MultiplyAdd(x, b2, c02);
                c03 = TOps.MultiplyAdd(x, b3, c03);
            }
            if (TRows.Value > 1)
            {
                x = TOps.Create(Unsafe.Add(ref ap, 1));
                c10 = TOps.MultiplyAdd(x, b0, c10);
                if (typeof(TVectors) != typeof(One)) c11 = TOps.MultiplyAdd(x, b1, c11);
                if (typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>))
                {
                    c12 = TOps.MultiplyAdd(x, b2, c12);
                    c13 = TOps.MultiplyAdd(x, b3, c13);
                }
            }
            if (TRows.Value > 2)
            {
                x = TOps.Create(Unsafe.Add(ref ap, 2));
                c20 = TOps.MultiplyAdd(x, b0, c20);
                if (typeof(TVectors) != typeof(One)) c21 = TOps.MultiplyAdd(x, b1, c21);
                if (typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>))
                {
                    c22 = TOps.MultiplyAdd(x, b2, c22);
                    c23 = TOps.MultiplyAdd(x, b3, c23);
                }
            }
            if (TRows.Value > 3)
            {
                x = TOps.Create(Unsafe.Add(ref ap, 3));
                c30 = TOps.MultiplyAdd(x, b0, c30);
                if (typeof(TVectors) != typeof(One)) c31 = TOps.MultiplyAdd(x, b1, c31);
                if (typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>))
                {
                    c32 = TOps.MultiplyAdd(x, b2, c32);
                    c33 = TOps.MultiplyAdd(x, b3, c33);
                }
            }
            if (TRows.Value > 4)
            {
                x = TOps.Create(Unsafe.Add(ref ap, 4));
                c40 = TOps.MultiplyAdd(x, b0, c40);
                if (typeof(TVectors) != typeof(One)) c41 = TOps.MultiplyAdd(x, b1, c41);
                if (typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>))
                {
                    c42 = TOps.MultiplyAdd(x, b2, c42);
                    c43 = TOps.MultiplyAdd(x, b3, c43);
                }
            }
            if (TRows.Value > 5)
            {
                x = TOps.Create(Unsafe.Add(ref ap, 5));
                c50 = TOps.MultiplyAdd(x, b0, c50);
                if (typeof(TVectors) != typeof(One)) c51 = TOps.MultiplyAdd(x, b1, c51);
                if (typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>))
                {
                    c52 = TOps.MultiplyAdd(x, b2, c52);
                    c53 = TOps.MultiplyAdd(x, b3, c53);
                }
            }
        }
        StoreRow<TVectors, TOps, TVec>(ref c, w, c00, c01, c02, c03);
        if (TRows.Value > 1) StoreRow<TVectors, TOps, TVec>(ref c1, w, c10, c11, c12, c13);
        if (TRows.Value > 2) StoreRow<TVectors, TOps, TVec>(ref c2, w, c20, c21, c22, c23);
        if (TRows.Value > 3) StoreRow<TVectors, TOps, TVec>(ref c3, w, c30, c31, c32, c33);
        if (TRows.Value > 4) StoreRow<TVectors, TOps, TVec>(ref c4, w, c40, c41, c42, c43);
        if (TRows.Value > 5) StoreRow<TVectors, TOps, TVec>(ref c5, w, c50, c51, c52, c53);
    }

    /// <summary>Writes one row's accumulators back to C: its first vector, and with <see cref="Four"/> the panel's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TVectors, TOps, TVec>(ref float row, int w, TVec c0, TVec c1, TVec c2, TVec c3)
        where TVectors : struct, IConstant
        where TOps : struct, IKernelOps<TVec>
        where TVec : struct
    {
        TOps.Store(c0, ref row, 0);
        if (typeof(TVectors) != typeof(One))
            TOps.Store(c1, ref row, w);
        if (typeof(TVectors) != typeof(One) && typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c2, ref row, 2 * w);
            TOps.Store(c3, ref row, 3 * w);
        }
    }

    /// <summary>
    /// 1 row x one vector of C: C += A[m, 1]^T B[m, columns]. Written out rather than an instantiation of
    /// <see cref="GemmTransposedARowBlock"/>: this small a method the JIT inlines into the driver's last row, and the
    /// generic kernel's IL, guarded code included, is too large for that.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void GemmTransposedA_Rows1_Vector<TOps, TVec>(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m)
        where TOps : struct, IKernelOps<TVec>
        where TVec : struct
    {
        TVec c00 = TOps.Load(ref c, 0);
        for (int p = 0; p < m; p++)
        {
            ref float ap = ref Unsafe.Add(ref a, p * lda);
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            TVec b0 = TOps.Load(ref bp, 0);
            TVec x = TOps.Create(ap);
            c00 = TOps.MultiplyAdd(x, b0, c00);
        }
        TOps.Store(c00, ref c, 0);
    }
}
