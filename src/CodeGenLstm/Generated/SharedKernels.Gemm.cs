using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CodeGenLstm.Generated;

// The register-blocked micro-kernels of the matrix products, written once for every vector width over
// IKernelOps<TVec> (KernelOps512, KernelOps256, KernelOps128): the JIT and NativeAOT compile each struct
// instantiation on its own, with TOps.Count a constant, every operation inlined and the branches on the panel's
// vector count folded away, so each copy is the kernel written out for that width, with the same multiply-adds in
// the same order. The panel's third and fourth vectors (512 bits only) are guarded by
// typeof(TVec) == typeof(Vector512<float>) written at each use, not kept in a bool local: the JIT folds that test
// while it imports the method, so nothing of the other branch is left, and the machine code is instruction for
// instruction the per-width kernels' (a local, folded only later, left extra compares before the loop and
// reordered loads inside the 256- and 128-bit transposed loops). Internal: they take refs and check nothing; their
// only callers, the drivers in SharedKernels.Products*.cs (through SharedKernels.GemmFamily.cs), check whole spans
// first.
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
    /// 6 rows x one panel of C: C = start + A[6, k] B[k, panel], B one packed panel ({64, 16, 8} floats per k),
    /// start 0 (init 0), C itself (1) or the panel's bias (2). 24 (512 bits) or 12 (256, 128) accumulators stay in
    /// registers for the whole reduction; each B vector loaded is used 6 times.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Gemm_Rows6<TOps, TVec>(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias)
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
        TVec c10 = init == 1 ? TOps.Load(ref c1, 0) : s0;
        TVec c11 = init == 1 ? TOps.Load(ref c1, w) : s1;
        TVec c12 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c1, 2 * w) : s2;
        TVec c13 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c1, 3 * w) : s3;
        TVec c20 = init == 1 ? TOps.Load(ref c2, 0) : s0;
        TVec c21 = init == 1 ? TOps.Load(ref c2, w) : s1;
        TVec c22 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c2, 2 * w) : s2;
        TVec c23 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c2, 3 * w) : s3;
        TVec c30 = init == 1 ? TOps.Load(ref c3, 0) : s0;
        TVec c31 = init == 1 ? TOps.Load(ref c3, w) : s1;
        TVec c32 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c3, 2 * w) : s2;
        TVec c33 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c3, 3 * w) : s3;
        TVec c40 = init == 1 ? TOps.Load(ref c4, 0) : s0;
        TVec c41 = init == 1 ? TOps.Load(ref c4, w) : s1;
        TVec c42 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c4, 2 * w) : s2;
        TVec c43 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c4, 3 * w) : s3;
        TVec c50 = init == 1 ? TOps.Load(ref c5, 0) : s0;
        TVec c51 = init == 1 ? TOps.Load(ref c5, w) : s1;
        TVec c52 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c5, 2 * w) : s2;
        TVec c53 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c5, 3 * w) : s3;
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
            x = TOps.Create(Unsafe.Add(ref a1, kk));
            c10 = TOps.MultiplyAdd(x, b0, c10);
            c11 = TOps.MultiplyAdd(x, b1, c11);
            if (typeof(TVec) == typeof(Vector512<float>))
            {
                c12 = TOps.MultiplyAdd(x, b2, c12);
                c13 = TOps.MultiplyAdd(x, b3, c13);
            }
            x = TOps.Create(Unsafe.Add(ref a2, kk));
            c20 = TOps.MultiplyAdd(x, b0, c20);
            c21 = TOps.MultiplyAdd(x, b1, c21);
            if (typeof(TVec) == typeof(Vector512<float>))
            {
                c22 = TOps.MultiplyAdd(x, b2, c22);
                c23 = TOps.MultiplyAdd(x, b3, c23);
            }
            x = TOps.Create(Unsafe.Add(ref a3, kk));
            c30 = TOps.MultiplyAdd(x, b0, c30);
            c31 = TOps.MultiplyAdd(x, b1, c31);
            if (typeof(TVec) == typeof(Vector512<float>))
            {
                c32 = TOps.MultiplyAdd(x, b2, c32);
                c33 = TOps.MultiplyAdd(x, b3, c33);
            }
            x = TOps.Create(Unsafe.Add(ref a4, kk));
            c40 = TOps.MultiplyAdd(x, b0, c40);
            c41 = TOps.MultiplyAdd(x, b1, c41);
            if (typeof(TVec) == typeof(Vector512<float>))
            {
                c42 = TOps.MultiplyAdd(x, b2, c42);
                c43 = TOps.MultiplyAdd(x, b3, c43);
            }
            x = TOps.Create(Unsafe.Add(ref a5, kk));
            c50 = TOps.MultiplyAdd(x, b0, c50);
            c51 = TOps.MultiplyAdd(x, b1, c51);
            if (typeof(TVec) == typeof(Vector512<float>))
            {
                c52 = TOps.MultiplyAdd(x, b2, c52);
                c53 = TOps.MultiplyAdd(x, b3, c53);
            }
        }
        TOps.Store(c00, ref c, 0);
        TOps.Store(c01, ref c, w);
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c02, ref c, 2 * w);
            TOps.Store(c03, ref c, 3 * w);
        }
        TOps.Store(c10, ref c1, 0);
        TOps.Store(c11, ref c1, w);
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c12, ref c1, 2 * w);
            TOps.Store(c13, ref c1, 3 * w);
        }
        TOps.Store(c20, ref c2, 0);
        TOps.Store(c21, ref c2, w);
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c22, ref c2, 2 * w);
            TOps.Store(c23, ref c2, 3 * w);
        }
        TOps.Store(c30, ref c3, 0);
        TOps.Store(c31, ref c3, w);
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c32, ref c3, 2 * w);
            TOps.Store(c33, ref c3, 3 * w);
        }
        TOps.Store(c40, ref c4, 0);
        TOps.Store(c41, ref c4, w);
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c42, ref c4, 2 * w);
            TOps.Store(c43, ref c4, 3 * w);
        }
        TOps.Store(c50, ref c5, 0);
        TOps.Store(c51, ref c5, w);
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c52, ref c5, 2 * w);
            TOps.Store(c53, ref c5, 3 * w);
        }
    }

    /// <summary>
    /// 4 rows x one panel of C: C = start + A[4, k] B[k, panel], B one packed panel ({64, 16, 8} floats per k),
    /// start 0 (init 0), C itself (1) or the panel's bias (2). 16 (512 bits) or 8 (256, 128) accumulators stay in
    /// registers for the whole reduction; each B vector loaded is used 4 times.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Gemm_Rows4<TOps, TVec>(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias)
        where TOps : struct, IKernelOps<TVec>
        where TVec : struct
    {
        int w = TOps.Count, nr = PanelVectors<TOps, TVec>() * w;
        ref float a1 = ref Unsafe.Add(ref a, lda);
        ref float a2 = ref Unsafe.Add(ref a, 2 * lda);
        ref float a3 = ref Unsafe.Add(ref a, 3 * lda);
        ref float c1 = ref Unsafe.Add(ref c, ldc);
        ref float c2 = ref Unsafe.Add(ref c, 2 * ldc);
        ref float c3 = ref Unsafe.Add(ref c, 3 * ldc);
        TVec s0 = init == 2 ? TOps.Load(ref bias, 0) : TOps.Zero;
        TVec s1 = init == 2 ? TOps.Load(ref bias, w) : TOps.Zero;
        TVec s2 = typeof(TVec) == typeof(Vector512<float>) && init == 2 ? TOps.Load(ref bias, 2 * w) : TOps.Zero;
        TVec s3 = typeof(TVec) == typeof(Vector512<float>) && init == 2 ? TOps.Load(ref bias, 3 * w) : TOps.Zero;
        TVec c00 = init == 1 ? TOps.Load(ref c, 0) : s0;
        TVec c01 = init == 1 ? TOps.Load(ref c, w) : s1;
        TVec c02 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c, 2 * w) : s2;
        TVec c03 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c, 3 * w) : s3;
        TVec c10 = init == 1 ? TOps.Load(ref c1, 0) : s0;
        TVec c11 = init == 1 ? TOps.Load(ref c1, w) : s1;
        TVec c12 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c1, 2 * w) : s2;
        TVec c13 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c1, 3 * w) : s3;
        TVec c20 = init == 1 ? TOps.Load(ref c2, 0) : s0;
        TVec c21 = init == 1 ? TOps.Load(ref c2, w) : s1;
        TVec c22 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c2, 2 * w) : s2;
        TVec c23 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c2, 3 * w) : s3;
        TVec c30 = init == 1 ? TOps.Load(ref c3, 0) : s0;
        TVec c31 = init == 1 ? TOps.Load(ref c3, w) : s1;
        TVec c32 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c3, 2 * w) : s2;
        TVec c33 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c3, 3 * w) : s3;
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
            x = TOps.Create(Unsafe.Add(ref a1, kk));
            c10 = TOps.MultiplyAdd(x, b0, c10);
            c11 = TOps.MultiplyAdd(x, b1, c11);
            if (typeof(TVec) == typeof(Vector512<float>))
            {
                c12 = TOps.MultiplyAdd(x, b2, c12);
                c13 = TOps.MultiplyAdd(x, b3, c13);
            }
            x = TOps.Create(Unsafe.Add(ref a2, kk));
            c20 = TOps.MultiplyAdd(x, b0, c20);
            c21 = TOps.MultiplyAdd(x, b1, c21);
            if (typeof(TVec) == typeof(Vector512<float>))
            {
                c22 = TOps.MultiplyAdd(x, b2, c22);
                c23 = TOps.MultiplyAdd(x, b3, c23);
            }
            x = TOps.Create(Unsafe.Add(ref a3, kk));
            c30 = TOps.MultiplyAdd(x, b0, c30);
            c31 = TOps.MultiplyAdd(x, b1, c31);
            if (typeof(TVec) == typeof(Vector512<float>))
            {
                c32 = TOps.MultiplyAdd(x, b2, c32);
                c33 = TOps.MultiplyAdd(x, b3, c33);
            }
        }
        TOps.Store(c00, ref c, 0);
        TOps.Store(c01, ref c, w);
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c02, ref c, 2 * w);
            TOps.Store(c03, ref c, 3 * w);
        }
        TOps.Store(c10, ref c1, 0);
        TOps.Store(c11, ref c1, w);
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c12, ref c1, 2 * w);
            TOps.Store(c13, ref c1, 3 * w);
        }
        TOps.Store(c20, ref c2, 0);
        TOps.Store(c21, ref c2, w);
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c22, ref c2, 2 * w);
            TOps.Store(c23, ref c2, 3 * w);
        }
        TOps.Store(c30, ref c3, 0);
        TOps.Store(c31, ref c3, w);
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c32, ref c3, 2 * w);
            TOps.Store(c33, ref c3, 3 * w);
        }
    }

    /// <summary>
    /// 2 rows x one panel of C: C = start + A[2, k] B[k, panel], B one packed panel ({64, 16, 8} floats per k),
    /// start 0 (init 0), C itself (1) or the panel's bias (2). 8 (512 bits) or 4 (256, 128) accumulators stay in
    /// registers for the whole reduction; each B vector loaded is used 2 times.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Gemm_Rows2<TOps, TVec>(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias)
        where TOps : struct, IKernelOps<TVec>
        where TVec : struct
    {
        int w = TOps.Count, nr = PanelVectors<TOps, TVec>() * w;
        ref float a1 = ref Unsafe.Add(ref a, lda);
        ref float c1 = ref Unsafe.Add(ref c, ldc);
        TVec s0 = init == 2 ? TOps.Load(ref bias, 0) : TOps.Zero;
        TVec s1 = init == 2 ? TOps.Load(ref bias, w) : TOps.Zero;
        TVec s2 = typeof(TVec) == typeof(Vector512<float>) && init == 2 ? TOps.Load(ref bias, 2 * w) : TOps.Zero;
        TVec s3 = typeof(TVec) == typeof(Vector512<float>) && init == 2 ? TOps.Load(ref bias, 3 * w) : TOps.Zero;
        TVec c00 = init == 1 ? TOps.Load(ref c, 0) : s0;
        TVec c01 = init == 1 ? TOps.Load(ref c, w) : s1;
        TVec c02 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c, 2 * w) : s2;
        TVec c03 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c, 3 * w) : s3;
        TVec c10 = init == 1 ? TOps.Load(ref c1, 0) : s0;
        TVec c11 = init == 1 ? TOps.Load(ref c1, w) : s1;
        TVec c12 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c1, 2 * w) : s2;
        TVec c13 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c1, 3 * w) : s3;
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
            x = TOps.Create(Unsafe.Add(ref a1, kk));
            c10 = TOps.MultiplyAdd(x, b0, c10);
            c11 = TOps.MultiplyAdd(x, b1, c11);
            if (typeof(TVec) == typeof(Vector512<float>))
            {
                c12 = TOps.MultiplyAdd(x, b2, c12);
                c13 = TOps.MultiplyAdd(x, b3, c13);
            }
        }
        TOps.Store(c00, ref c, 0);
        TOps.Store(c01, ref c, w);
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c02, ref c, 2 * w);
            TOps.Store(c03, ref c, 3 * w);
        }
        TOps.Store(c10, ref c1, 0);
        TOps.Store(c11, ref c1, w);
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c12, ref c1, 2 * w);
            TOps.Store(c13, ref c1, 3 * w);
        }
    }

    /// <summary>
    /// 1 row x one panel of C: C = start + A[1, k] B[k, panel], B one packed panel ({64, 16, 8} floats per k),
    /// start 0 (init 0), C itself (1) or the panel's bias (2). 4 (512 bits) or 2 (256, 128) accumulators stay in
    /// registers for the whole reduction.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Gemm_Rows1<TOps, TVec>(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias)
        where TOps : struct, IKernelOps<TVec>
        where TVec : struct
    {
        int w = TOps.Count, nr = PanelVectors<TOps, TVec>() * w;
        TVec s0 = init == 2 ? TOps.Load(ref bias, 0) : TOps.Zero;
        TVec s1 = init == 2 ? TOps.Load(ref bias, w) : TOps.Zero;
        TVec s2 = typeof(TVec) == typeof(Vector512<float>) && init == 2 ? TOps.Load(ref bias, 2 * w) : TOps.Zero;
        TVec s3 = typeof(TVec) == typeof(Vector512<float>) && init == 2 ? TOps.Load(ref bias, 3 * w) : TOps.Zero;
        TVec c00 = init == 1 ? TOps.Load(ref c, 0) : s0;
        TVec c01 = init == 1 ? TOps.Load(ref c, w) : s1;
        TVec c02 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c, 2 * w) : s2;
        TVec c03 = typeof(TVec) == typeof(Vector512<float>) && init == 1 ? TOps.Load(ref c, 3 * w) : s3;
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
        }
        TOps.Store(c00, ref c, 0);
        TOps.Store(c01, ref c, w);
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c02, ref c, 2 * w);
            TOps.Store(c03, ref c, 3 * w);
        }
    }

    /// <summary>
    /// 6 rows x one panel (64, 16 or 8 columns) of C: C += A[m, 6]^T B[m, columns], the sum over m rows of outer
    /// products; A and B have row strides lda and ldb, C ldc. 24 (512 bits) or 12 (256, 128) accumulators stay in
    /// registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void GemmTransposedA_Rows6_Panel<TOps, TVec>(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m)
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
        TVec c01 = TOps.Load(ref c, w);
        TVec c02 = typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c, 2 * w) : TOps.Zero;
        TVec c03 = typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c, 3 * w) : TOps.Zero;
        TVec c10 = TOps.Load(ref c1, 0);
        TVec c11 = TOps.Load(ref c1, w);
        TVec c12 = typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c1, 2 * w) : TOps.Zero;
        TVec c13 = typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c1, 3 * w) : TOps.Zero;
        TVec c20 = TOps.Load(ref c2, 0);
        TVec c21 = TOps.Load(ref c2, w);
        TVec c22 = typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c2, 2 * w) : TOps.Zero;
        TVec c23 = typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c2, 3 * w) : TOps.Zero;
        TVec c30 = TOps.Load(ref c3, 0);
        TVec c31 = TOps.Load(ref c3, w);
        TVec c32 = typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c3, 2 * w) : TOps.Zero;
        TVec c33 = typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c3, 3 * w) : TOps.Zero;
        TVec c40 = TOps.Load(ref c4, 0);
        TVec c41 = TOps.Load(ref c4, w);
        TVec c42 = typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c4, 2 * w) : TOps.Zero;
        TVec c43 = typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c4, 3 * w) : TOps.Zero;
        TVec c50 = TOps.Load(ref c5, 0);
        TVec c51 = TOps.Load(ref c5, w);
        TVec c52 = typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c5, 2 * w) : TOps.Zero;
        TVec c53 = typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c5, 3 * w) : TOps.Zero;
        for (int p = 0; p < m; p++)
        {
            ref float ap = ref Unsafe.Add(ref a, p * lda);
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            TVec b0 = TOps.Load(ref bp, 0);
            TVec b1 = TOps.Load(ref bp, w);
            TVec b2 = typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref bp, 2 * w) : TOps.Zero;
            TVec b3 = typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref bp, 3 * w) : TOps.Zero;
            TVec x = TOps.Create(ap);
            c00 = TOps.MultiplyAdd(x, b0, c00);
            c01 = TOps.MultiplyAdd(x, b1, c01);
            if (typeof(TVec) == typeof(Vector512<float>))
            {
                c02 = TOps.MultiplyAdd(x, b2, c02);
                c03 = TOps.MultiplyAdd(x, b3, c03);
            }
            x = TOps.Create(Unsafe.Add(ref ap, 1));
            c10 = TOps.MultiplyAdd(x, b0, c10);
            c11 = TOps.MultiplyAdd(x, b1, c11);
            if (typeof(TVec) == typeof(Vector512<float>))
            {
                c12 = TOps.MultiplyAdd(x, b2, c12);
                c13 = TOps.MultiplyAdd(x, b3, c13);
            }
            x = TOps.Create(Unsafe.Add(ref ap, 2));
            c20 = TOps.MultiplyAdd(x, b0, c20);
            c21 = TOps.MultiplyAdd(x, b1, c21);
            if (typeof(TVec) == typeof(Vector512<float>))
            {
                c22 = TOps.MultiplyAdd(x, b2, c22);
                c23 = TOps.MultiplyAdd(x, b3, c23);
            }
            x = TOps.Create(Unsafe.Add(ref ap, 3));
            c30 = TOps.MultiplyAdd(x, b0, c30);
            c31 = TOps.MultiplyAdd(x, b1, c31);
            if (typeof(TVec) == typeof(Vector512<float>))
            {
                c32 = TOps.MultiplyAdd(x, b2, c32);
                c33 = TOps.MultiplyAdd(x, b3, c33);
            }
            x = TOps.Create(Unsafe.Add(ref ap, 4));
            c40 = TOps.MultiplyAdd(x, b0, c40);
            c41 = TOps.MultiplyAdd(x, b1, c41);
            if (typeof(TVec) == typeof(Vector512<float>))
            {
                c42 = TOps.MultiplyAdd(x, b2, c42);
                c43 = TOps.MultiplyAdd(x, b3, c43);
            }
            x = TOps.Create(Unsafe.Add(ref ap, 5));
            c50 = TOps.MultiplyAdd(x, b0, c50);
            c51 = TOps.MultiplyAdd(x, b1, c51);
            if (typeof(TVec) == typeof(Vector512<float>))
            {
                c52 = TOps.MultiplyAdd(x, b2, c52);
                c53 = TOps.MultiplyAdd(x, b3, c53);
            }
        }
        TOps.Store(c00, ref c, 0);
        TOps.Store(c01, ref c, w);
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c02, ref c, 2 * w);
            TOps.Store(c03, ref c, 3 * w);
        }
        TOps.Store(c10, ref c1, 0);
        TOps.Store(c11, ref c1, w);
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c12, ref c1, 2 * w);
            TOps.Store(c13, ref c1, 3 * w);
        }
        TOps.Store(c20, ref c2, 0);
        TOps.Store(c21, ref c2, w);
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c22, ref c2, 2 * w);
            TOps.Store(c23, ref c2, 3 * w);
        }
        TOps.Store(c30, ref c3, 0);
        TOps.Store(c31, ref c3, w);
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c32, ref c3, 2 * w);
            TOps.Store(c33, ref c3, 3 * w);
        }
        TOps.Store(c40, ref c4, 0);
        TOps.Store(c41, ref c4, w);
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c42, ref c4, 2 * w);
            TOps.Store(c43, ref c4, 3 * w);
        }
        TOps.Store(c50, ref c5, 0);
        TOps.Store(c51, ref c5, w);
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c52, ref c5, 2 * w);
            TOps.Store(c53, ref c5, 3 * w);
        }
    }

    /// <summary>
    /// 6 rows x one vector (16, 8 or 4 columns) of C: C += A[m, 6]^T B[m, columns], the sum over m rows of outer
    /// products; A and B have row strides lda and ldb, C ldc. 6 accumulators stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void GemmTransposedA_Rows6_Vector<TOps, TVec>(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m)
        where TOps : struct, IKernelOps<TVec>
        where TVec : struct
    {
        ref float c1 = ref Unsafe.Add(ref c, ldc);
        ref float c2 = ref Unsafe.Add(ref c, 2 * ldc);
        ref float c3 = ref Unsafe.Add(ref c, 3 * ldc);
        ref float c4 = ref Unsafe.Add(ref c, 4 * ldc);
        ref float c5 = ref Unsafe.Add(ref c, 5 * ldc);
        TVec c00 = TOps.Load(ref c, 0);
        TVec c10 = TOps.Load(ref c1, 0);
        TVec c20 = TOps.Load(ref c2, 0);
        TVec c30 = TOps.Load(ref c3, 0);
        TVec c40 = TOps.Load(ref c4, 0);
        TVec c50 = TOps.Load(ref c5, 0);
        for (int p = 0; p < m; p++)
        {
            ref float ap = ref Unsafe.Add(ref a, p * lda);
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            TVec b0 = TOps.Load(ref bp, 0);
            TVec x = TOps.Create(ap);
            c00 = TOps.MultiplyAdd(x, b0, c00);
            x = TOps.Create(Unsafe.Add(ref ap, 1));
            c10 = TOps.MultiplyAdd(x, b0, c10);
            x = TOps.Create(Unsafe.Add(ref ap, 2));
            c20 = TOps.MultiplyAdd(x, b0, c20);
            x = TOps.Create(Unsafe.Add(ref ap, 3));
            c30 = TOps.MultiplyAdd(x, b0, c30);
            x = TOps.Create(Unsafe.Add(ref ap, 4));
            c40 = TOps.MultiplyAdd(x, b0, c40);
            x = TOps.Create(Unsafe.Add(ref ap, 5));
            c50 = TOps.MultiplyAdd(x, b0, c50);
        }
        TOps.Store(c00, ref c, 0);
        TOps.Store(c10, ref c1, 0);
        TOps.Store(c20, ref c2, 0);
        TOps.Store(c30, ref c3, 0);
        TOps.Store(c40, ref c4, 0);
        TOps.Store(c50, ref c5, 0);
    }

    /// <summary>
    /// 1 row x one panel (64, 16 or 8 columns) of C: C += A[m, 1]^T B[m, columns], the sum over m rows of outer
    /// products; A and B have row strides lda and ldb, C ldc. 4 (512 bits) or 2 (256, 128) accumulators stay in
    /// registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void GemmTransposedA_Rows1_Panel<TOps, TVec>(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m)
        where TOps : struct, IKernelOps<TVec>
        where TVec : struct
    {
        int w = TOps.Count;
        TVec c00 = TOps.Load(ref c, 0);
        TVec c01 = TOps.Load(ref c, w);
        TVec c02 = typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c, 2 * w) : TOps.Zero;
        TVec c03 = typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref c, 3 * w) : TOps.Zero;
        for (int p = 0; p < m; p++)
        {
            ref float ap = ref Unsafe.Add(ref a, p * lda);
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            TVec b0 = TOps.Load(ref bp, 0);
            TVec b1 = TOps.Load(ref bp, w);
            TVec b2 = typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref bp, 2 * w) : TOps.Zero;
            TVec b3 = typeof(TVec) == typeof(Vector512<float>) ? TOps.Load(ref bp, 3 * w) : TOps.Zero;
            TVec x = TOps.Create(ap);
            c00 = TOps.MultiplyAdd(x, b0, c00);
            c01 = TOps.MultiplyAdd(x, b1, c01);
            if (typeof(TVec) == typeof(Vector512<float>))
            {
                c02 = TOps.MultiplyAdd(x, b2, c02);
                c03 = TOps.MultiplyAdd(x, b3, c03);
            }
        }
        TOps.Store(c00, ref c, 0);
        TOps.Store(c01, ref c, w);
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            TOps.Store(c02, ref c, 2 * w);
            TOps.Store(c03, ref c, 3 * w);
        }
    }

    /// <summary>
    /// 1 row x one vector (16, 8 or 4 columns) of C: C += A[m, 1]^T B[m, columns], the sum over m rows of outer
    /// products; A and B have row strides lda and ldb, C ldc. 1 accumulator stays in registers.
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
