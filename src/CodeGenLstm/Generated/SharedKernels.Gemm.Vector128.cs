using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CodeGenLstm.Generated;

// The register-blocked micro-kernels of the matrix products, 128-bit vectors (NEON on ARM64). Internal: they take refs and check
// nothing; their only callers, the drivers in SharedKernels.Products*.cs, check whole spans first.
public static partial class SharedKernels
{
    /// <summary>
    /// 6 rows x 8 columns of C (Vector128): C = start + A[6, k] B[k, 8], B one packed panel (8 floats
    /// per k), start 0 (init 0), C itself (1) or the panel's bias (2). 12 accumulators stay in
    /// registers for the whole reduction; each B vector loaded is used 6 times.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Gemm_Vector128_Rows6(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias)
    {
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
        Vector128<float> s0 = init == 2 ? Vector128.LoadUnsafe(ref bias) : Vector128<float>.Zero;
        Vector128<float> s1 = init == 2 ? Vector128.LoadUnsafe(ref bias, 4) : Vector128<float>.Zero;
        Vector128<float> c00 = init == 1 ? Vector128.LoadUnsafe(ref c) : s0;
        Vector128<float> c01 = init == 1 ? Vector128.LoadUnsafe(ref c, 4) : s1;
        Vector128<float> c10 = init == 1 ? Vector128.LoadUnsafe(ref c1) : s0;
        Vector128<float> c11 = init == 1 ? Vector128.LoadUnsafe(ref c1, 4) : s1;
        Vector128<float> c20 = init == 1 ? Vector128.LoadUnsafe(ref c2) : s0;
        Vector128<float> c21 = init == 1 ? Vector128.LoadUnsafe(ref c2, 4) : s1;
        Vector128<float> c30 = init == 1 ? Vector128.LoadUnsafe(ref c3) : s0;
        Vector128<float> c31 = init == 1 ? Vector128.LoadUnsafe(ref c3, 4) : s1;
        Vector128<float> c40 = init == 1 ? Vector128.LoadUnsafe(ref c4) : s0;
        Vector128<float> c41 = init == 1 ? Vector128.LoadUnsafe(ref c4, 4) : s1;
        Vector128<float> c50 = init == 1 ? Vector128.LoadUnsafe(ref c5) : s0;
        Vector128<float> c51 = init == 1 ? Vector128.LoadUnsafe(ref c5, 4) : s1;
        for (int kk = 0; kk < k; kk++)
        {
            ref float bk = ref Unsafe.Add(ref b, kk * 8);
            Vector128<float> b0 = Vector128.LoadUnsafe(ref bk);
            Vector128<float> b1 = Vector128.LoadUnsafe(ref bk, 4);
            Vector128<float> x = Vector128.Create(Unsafe.Add(ref a, kk));
            c00 = Vector128.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector128.MultiplyAddEstimate(x, b1, c01);
            x = Vector128.Create(Unsafe.Add(ref a1, kk));
            c10 = Vector128.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector128.MultiplyAddEstimate(x, b1, c11);
            x = Vector128.Create(Unsafe.Add(ref a2, kk));
            c20 = Vector128.MultiplyAddEstimate(x, b0, c20);
            c21 = Vector128.MultiplyAddEstimate(x, b1, c21);
            x = Vector128.Create(Unsafe.Add(ref a3, kk));
            c30 = Vector128.MultiplyAddEstimate(x, b0, c30);
            c31 = Vector128.MultiplyAddEstimate(x, b1, c31);
            x = Vector128.Create(Unsafe.Add(ref a4, kk));
            c40 = Vector128.MultiplyAddEstimate(x, b0, c40);
            c41 = Vector128.MultiplyAddEstimate(x, b1, c41);
            x = Vector128.Create(Unsafe.Add(ref a5, kk));
            c50 = Vector128.MultiplyAddEstimate(x, b0, c50);
            c51 = Vector128.MultiplyAddEstimate(x, b1, c51);
        }
        c00.StoreUnsafe(ref c);
        c01.StoreUnsafe(ref c, 4);
        c10.StoreUnsafe(ref c1);
        c11.StoreUnsafe(ref c1, 4);
        c20.StoreUnsafe(ref c2);
        c21.StoreUnsafe(ref c2, 4);
        c30.StoreUnsafe(ref c3);
        c31.StoreUnsafe(ref c3, 4);
        c40.StoreUnsafe(ref c4);
        c41.StoreUnsafe(ref c4, 4);
        c50.StoreUnsafe(ref c5);
        c51.StoreUnsafe(ref c5, 4);
    }

    /// <summary>
    /// 4 rows x 8 columns of C (Vector128): C = start + A[4, k] B[k, 8], B one packed panel (8 floats
    /// per k), start 0 (init 0), C itself (1) or the panel's bias (2). 8 accumulators stay in
    /// registers for the whole reduction; each B vector loaded is used 4 times.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Gemm_Vector128_Rows4(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias)
    {
        ref float a1 = ref Unsafe.Add(ref a, lda);
        ref float a2 = ref Unsafe.Add(ref a, 2 * lda);
        ref float a3 = ref Unsafe.Add(ref a, 3 * lda);
        ref float c1 = ref Unsafe.Add(ref c, ldc);
        ref float c2 = ref Unsafe.Add(ref c, 2 * ldc);
        ref float c3 = ref Unsafe.Add(ref c, 3 * ldc);
        Vector128<float> s0 = init == 2 ? Vector128.LoadUnsafe(ref bias) : Vector128<float>.Zero;
        Vector128<float> s1 = init == 2 ? Vector128.LoadUnsafe(ref bias, 4) : Vector128<float>.Zero;
        Vector128<float> c00 = init == 1 ? Vector128.LoadUnsafe(ref c) : s0;
        Vector128<float> c01 = init == 1 ? Vector128.LoadUnsafe(ref c, 4) : s1;
        Vector128<float> c10 = init == 1 ? Vector128.LoadUnsafe(ref c1) : s0;
        Vector128<float> c11 = init == 1 ? Vector128.LoadUnsafe(ref c1, 4) : s1;
        Vector128<float> c20 = init == 1 ? Vector128.LoadUnsafe(ref c2) : s0;
        Vector128<float> c21 = init == 1 ? Vector128.LoadUnsafe(ref c2, 4) : s1;
        Vector128<float> c30 = init == 1 ? Vector128.LoadUnsafe(ref c3) : s0;
        Vector128<float> c31 = init == 1 ? Vector128.LoadUnsafe(ref c3, 4) : s1;
        for (int kk = 0; kk < k; kk++)
        {
            ref float bk = ref Unsafe.Add(ref b, kk * 8);
            Vector128<float> b0 = Vector128.LoadUnsafe(ref bk);
            Vector128<float> b1 = Vector128.LoadUnsafe(ref bk, 4);
            Vector128<float> x = Vector128.Create(Unsafe.Add(ref a, kk));
            c00 = Vector128.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector128.MultiplyAddEstimate(x, b1, c01);
            x = Vector128.Create(Unsafe.Add(ref a1, kk));
            c10 = Vector128.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector128.MultiplyAddEstimate(x, b1, c11);
            x = Vector128.Create(Unsafe.Add(ref a2, kk));
            c20 = Vector128.MultiplyAddEstimate(x, b0, c20);
            c21 = Vector128.MultiplyAddEstimate(x, b1, c21);
            x = Vector128.Create(Unsafe.Add(ref a3, kk));
            c30 = Vector128.MultiplyAddEstimate(x, b0, c30);
            c31 = Vector128.MultiplyAddEstimate(x, b1, c31);
        }
        c00.StoreUnsafe(ref c);
        c01.StoreUnsafe(ref c, 4);
        c10.StoreUnsafe(ref c1);
        c11.StoreUnsafe(ref c1, 4);
        c20.StoreUnsafe(ref c2);
        c21.StoreUnsafe(ref c2, 4);
        c30.StoreUnsafe(ref c3);
        c31.StoreUnsafe(ref c3, 4);
    }

    /// <summary>
    /// 2 rows x 8 columns of C (Vector128): C = start + A[2, k] B[k, 8], B one packed panel (8 floats
    /// per k), start 0 (init 0), C itself (1) or the panel's bias (2). 4 accumulators stay in
    /// registers for the whole reduction; each B vector loaded is used 2 times.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Gemm_Vector128_Rows2(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias)
    {
        ref float a1 = ref Unsafe.Add(ref a, lda);
        ref float c1 = ref Unsafe.Add(ref c, ldc);
        Vector128<float> s0 = init == 2 ? Vector128.LoadUnsafe(ref bias) : Vector128<float>.Zero;
        Vector128<float> s1 = init == 2 ? Vector128.LoadUnsafe(ref bias, 4) : Vector128<float>.Zero;
        Vector128<float> c00 = init == 1 ? Vector128.LoadUnsafe(ref c) : s0;
        Vector128<float> c01 = init == 1 ? Vector128.LoadUnsafe(ref c, 4) : s1;
        Vector128<float> c10 = init == 1 ? Vector128.LoadUnsafe(ref c1) : s0;
        Vector128<float> c11 = init == 1 ? Vector128.LoadUnsafe(ref c1, 4) : s1;
        for (int kk = 0; kk < k; kk++)
        {
            ref float bk = ref Unsafe.Add(ref b, kk * 8);
            Vector128<float> b0 = Vector128.LoadUnsafe(ref bk);
            Vector128<float> b1 = Vector128.LoadUnsafe(ref bk, 4);
            Vector128<float> x = Vector128.Create(Unsafe.Add(ref a, kk));
            c00 = Vector128.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector128.MultiplyAddEstimate(x, b1, c01);
            x = Vector128.Create(Unsafe.Add(ref a1, kk));
            c10 = Vector128.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector128.MultiplyAddEstimate(x, b1, c11);
        }
        c00.StoreUnsafe(ref c);
        c01.StoreUnsafe(ref c, 4);
        c10.StoreUnsafe(ref c1);
        c11.StoreUnsafe(ref c1, 4);
    }

    /// <summary>
    /// 1 row x 8 columns of C (Vector128): C = start + A[1, k] B[k, 8], B one packed panel (8 floats
    /// per k), start 0 (init 0), C itself (1) or the panel's bias (2). 2 accumulators stay in
    /// registers for the whole reduction.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Gemm_Vector128_Rows1(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias)
    {
        Vector128<float> s0 = init == 2 ? Vector128.LoadUnsafe(ref bias) : Vector128<float>.Zero;
        Vector128<float> s1 = init == 2 ? Vector128.LoadUnsafe(ref bias, 4) : Vector128<float>.Zero;
        Vector128<float> c00 = init == 1 ? Vector128.LoadUnsafe(ref c) : s0;
        Vector128<float> c01 = init == 1 ? Vector128.LoadUnsafe(ref c, 4) : s1;
        for (int kk = 0; kk < k; kk++)
        {
            ref float bk = ref Unsafe.Add(ref b, kk * 8);
            Vector128<float> b0 = Vector128.LoadUnsafe(ref bk);
            Vector128<float> b1 = Vector128.LoadUnsafe(ref bk, 4);
            Vector128<float> x = Vector128.Create(Unsafe.Add(ref a, kk));
            c00 = Vector128.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector128.MultiplyAddEstimate(x, b1, c01);
        }
        c00.StoreUnsafe(ref c);
        c01.StoreUnsafe(ref c, 4);
    }

    /// <summary>
    /// 6 rows x 8 columns of C (Vector128): C += A[m, 6]^T B[m, 8], the sum over m rows of
    /// outer products; A and B have row strides lda and ldb, C ldc. 12 accumulators stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void GemmTransposedA_Vector128_Rows6_Vectors2(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m)
    {
        ref float c1 = ref Unsafe.Add(ref c, ldc);
        ref float c2 = ref Unsafe.Add(ref c, 2 * ldc);
        ref float c3 = ref Unsafe.Add(ref c, 3 * ldc);
        ref float c4 = ref Unsafe.Add(ref c, 4 * ldc);
        ref float c5 = ref Unsafe.Add(ref c, 5 * ldc);
        Vector128<float> c00 = Vector128.LoadUnsafe(ref c);
        Vector128<float> c01 = Vector128.LoadUnsafe(ref c, 4);
        Vector128<float> c10 = Vector128.LoadUnsafe(ref c1);
        Vector128<float> c11 = Vector128.LoadUnsafe(ref c1, 4);
        Vector128<float> c20 = Vector128.LoadUnsafe(ref c2);
        Vector128<float> c21 = Vector128.LoadUnsafe(ref c2, 4);
        Vector128<float> c30 = Vector128.LoadUnsafe(ref c3);
        Vector128<float> c31 = Vector128.LoadUnsafe(ref c3, 4);
        Vector128<float> c40 = Vector128.LoadUnsafe(ref c4);
        Vector128<float> c41 = Vector128.LoadUnsafe(ref c4, 4);
        Vector128<float> c50 = Vector128.LoadUnsafe(ref c5);
        Vector128<float> c51 = Vector128.LoadUnsafe(ref c5, 4);
        for (int p = 0; p < m; p++)
        {
            ref float ap = ref Unsafe.Add(ref a, p * lda);
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            Vector128<float> b0 = Vector128.LoadUnsafe(ref bp);
            Vector128<float> b1 = Vector128.LoadUnsafe(ref bp, 4);
            Vector128<float> x = Vector128.Create(ap);
            c00 = Vector128.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector128.MultiplyAddEstimate(x, b1, c01);
            x = Vector128.Create(Unsafe.Add(ref ap, 1));
            c10 = Vector128.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector128.MultiplyAddEstimate(x, b1, c11);
            x = Vector128.Create(Unsafe.Add(ref ap, 2));
            c20 = Vector128.MultiplyAddEstimate(x, b0, c20);
            c21 = Vector128.MultiplyAddEstimate(x, b1, c21);
            x = Vector128.Create(Unsafe.Add(ref ap, 3));
            c30 = Vector128.MultiplyAddEstimate(x, b0, c30);
            c31 = Vector128.MultiplyAddEstimate(x, b1, c31);
            x = Vector128.Create(Unsafe.Add(ref ap, 4));
            c40 = Vector128.MultiplyAddEstimate(x, b0, c40);
            c41 = Vector128.MultiplyAddEstimate(x, b1, c41);
            x = Vector128.Create(Unsafe.Add(ref ap, 5));
            c50 = Vector128.MultiplyAddEstimate(x, b0, c50);
            c51 = Vector128.MultiplyAddEstimate(x, b1, c51);
        }
        c00.StoreUnsafe(ref c);
        c01.StoreUnsafe(ref c, 4);
        c10.StoreUnsafe(ref c1);
        c11.StoreUnsafe(ref c1, 4);
        c20.StoreUnsafe(ref c2);
        c21.StoreUnsafe(ref c2, 4);
        c30.StoreUnsafe(ref c3);
        c31.StoreUnsafe(ref c3, 4);
        c40.StoreUnsafe(ref c4);
        c41.StoreUnsafe(ref c4, 4);
        c50.StoreUnsafe(ref c5);
        c51.StoreUnsafe(ref c5, 4);
    }

    /// <summary>
    /// 6 rows x 4 columns of C (Vector128): C += A[m, 6]^T B[m, 4], the sum over m rows of
    /// outer products; A and B have row strides lda and ldb, C ldc. 6 accumulators stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void GemmTransposedA_Vector128_Rows6_Vectors1(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m)
    {
        ref float c1 = ref Unsafe.Add(ref c, ldc);
        ref float c2 = ref Unsafe.Add(ref c, 2 * ldc);
        ref float c3 = ref Unsafe.Add(ref c, 3 * ldc);
        ref float c4 = ref Unsafe.Add(ref c, 4 * ldc);
        ref float c5 = ref Unsafe.Add(ref c, 5 * ldc);
        Vector128<float> c00 = Vector128.LoadUnsafe(ref c);
        Vector128<float> c10 = Vector128.LoadUnsafe(ref c1);
        Vector128<float> c20 = Vector128.LoadUnsafe(ref c2);
        Vector128<float> c30 = Vector128.LoadUnsafe(ref c3);
        Vector128<float> c40 = Vector128.LoadUnsafe(ref c4);
        Vector128<float> c50 = Vector128.LoadUnsafe(ref c5);
        for (int p = 0; p < m; p++)
        {
            ref float ap = ref Unsafe.Add(ref a, p * lda);
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            Vector128<float> b0 = Vector128.LoadUnsafe(ref bp);
            Vector128<float> x = Vector128.Create(ap);
            c00 = Vector128.MultiplyAddEstimate(x, b0, c00);
            x = Vector128.Create(Unsafe.Add(ref ap, 1));
            c10 = Vector128.MultiplyAddEstimate(x, b0, c10);
            x = Vector128.Create(Unsafe.Add(ref ap, 2));
            c20 = Vector128.MultiplyAddEstimate(x, b0, c20);
            x = Vector128.Create(Unsafe.Add(ref ap, 3));
            c30 = Vector128.MultiplyAddEstimate(x, b0, c30);
            x = Vector128.Create(Unsafe.Add(ref ap, 4));
            c40 = Vector128.MultiplyAddEstimate(x, b0, c40);
            x = Vector128.Create(Unsafe.Add(ref ap, 5));
            c50 = Vector128.MultiplyAddEstimate(x, b0, c50);
        }
        c00.StoreUnsafe(ref c);
        c10.StoreUnsafe(ref c1);
        c20.StoreUnsafe(ref c2);
        c30.StoreUnsafe(ref c3);
        c40.StoreUnsafe(ref c4);
        c50.StoreUnsafe(ref c5);
    }

    /// <summary>
    /// 1 row x 8 columns of C (Vector128): C += A[m, 1]^T B[m, 8], the sum over m rows of
    /// outer products; A and B have row strides lda and ldb, C ldc. 2 accumulators stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void GemmTransposedA_Vector128_Rows1_Vectors2(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m)
    {
        Vector128<float> c00 = Vector128.LoadUnsafe(ref c);
        Vector128<float> c01 = Vector128.LoadUnsafe(ref c, 4);
        for (int p = 0; p < m; p++)
        {
            ref float ap = ref Unsafe.Add(ref a, p * lda);
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            Vector128<float> b0 = Vector128.LoadUnsafe(ref bp);
            Vector128<float> b1 = Vector128.LoadUnsafe(ref bp, 4);
            Vector128<float> x = Vector128.Create(ap);
            c00 = Vector128.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector128.MultiplyAddEstimate(x, b1, c01);
        }
        c00.StoreUnsafe(ref c);
        c01.StoreUnsafe(ref c, 4);
    }

    /// <summary>
    /// 1 row x 4 columns of C (Vector128): C += A[m, 1]^T B[m, 4], the sum over m rows of
    /// outer products; A and B have row strides lda and ldb, C ldc. 1 accumulator stays in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void GemmTransposedA_Vector128_Rows1_Vectors1(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m)
    {
        Vector128<float> c00 = Vector128.LoadUnsafe(ref c);
        for (int p = 0; p < m; p++)
        {
            ref float ap = ref Unsafe.Add(ref a, p * lda);
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            Vector128<float> b0 = Vector128.LoadUnsafe(ref bp);
            Vector128<float> x = Vector128.Create(ap);
            c00 = Vector128.MultiplyAddEstimate(x, b0, c00);
        }
        c00.StoreUnsafe(ref c);
    }
}
