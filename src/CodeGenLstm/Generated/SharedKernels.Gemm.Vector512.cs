using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CodeGenLstm.Generated;

// The register-blocked micro-kernels of the matrix products, 512-bit vectors. Internal: they take refs and check
// nothing; their only callers, the drivers in SharedKernels.Products*.cs, check whole spans first.
public static partial class SharedKernels
{
    /// <summary>
    /// 6 rows x 64 columns of C (Vector512): C = start + A[6, k] B[k, 64], B one packed panel (64 floats
    /// per k), start 0 (init 0), C itself (1) or the panel's bias (2). 24 accumulators stay in
    /// registers for the whole reduction; each B vector loaded is used 6 times.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Gemm_Vector512_Rows6(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias)
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
        Vector512<float> s0 = init == 2 ? Vector512.LoadUnsafe(ref bias) : Vector512<float>.Zero;
        Vector512<float> s1 = init == 2 ? Vector512.LoadUnsafe(ref bias, 16) : Vector512<float>.Zero;
        Vector512<float> s2 = init == 2 ? Vector512.LoadUnsafe(ref bias, 32) : Vector512<float>.Zero;
        Vector512<float> s3 = init == 2 ? Vector512.LoadUnsafe(ref bias, 48) : Vector512<float>.Zero;
        Vector512<float> c00 = init == 1 ? Vector512.LoadUnsafe(ref c) : s0;
        Vector512<float> c01 = init == 1 ? Vector512.LoadUnsafe(ref c, 16) : s1;
        Vector512<float> c02 = init == 1 ? Vector512.LoadUnsafe(ref c, 32) : s2;
        Vector512<float> c03 = init == 1 ? Vector512.LoadUnsafe(ref c, 48) : s3;
        Vector512<float> c10 = init == 1 ? Vector512.LoadUnsafe(ref c1) : s0;
        Vector512<float> c11 = init == 1 ? Vector512.LoadUnsafe(ref c1, 16) : s1;
        Vector512<float> c12 = init == 1 ? Vector512.LoadUnsafe(ref c1, 32) : s2;
        Vector512<float> c13 = init == 1 ? Vector512.LoadUnsafe(ref c1, 48) : s3;
        Vector512<float> c20 = init == 1 ? Vector512.LoadUnsafe(ref c2) : s0;
        Vector512<float> c21 = init == 1 ? Vector512.LoadUnsafe(ref c2, 16) : s1;
        Vector512<float> c22 = init == 1 ? Vector512.LoadUnsafe(ref c2, 32) : s2;
        Vector512<float> c23 = init == 1 ? Vector512.LoadUnsafe(ref c2, 48) : s3;
        Vector512<float> c30 = init == 1 ? Vector512.LoadUnsafe(ref c3) : s0;
        Vector512<float> c31 = init == 1 ? Vector512.LoadUnsafe(ref c3, 16) : s1;
        Vector512<float> c32 = init == 1 ? Vector512.LoadUnsafe(ref c3, 32) : s2;
        Vector512<float> c33 = init == 1 ? Vector512.LoadUnsafe(ref c3, 48) : s3;
        Vector512<float> c40 = init == 1 ? Vector512.LoadUnsafe(ref c4) : s0;
        Vector512<float> c41 = init == 1 ? Vector512.LoadUnsafe(ref c4, 16) : s1;
        Vector512<float> c42 = init == 1 ? Vector512.LoadUnsafe(ref c4, 32) : s2;
        Vector512<float> c43 = init == 1 ? Vector512.LoadUnsafe(ref c4, 48) : s3;
        Vector512<float> c50 = init == 1 ? Vector512.LoadUnsafe(ref c5) : s0;
        Vector512<float> c51 = init == 1 ? Vector512.LoadUnsafe(ref c5, 16) : s1;
        Vector512<float> c52 = init == 1 ? Vector512.LoadUnsafe(ref c5, 32) : s2;
        Vector512<float> c53 = init == 1 ? Vector512.LoadUnsafe(ref c5, 48) : s3;
        for (int kk = 0; kk < k; kk++)
        {
            ref float bk = ref Unsafe.Add(ref b, kk * 64);
            Vector512<float> b0 = Vector512.LoadUnsafe(ref bk);
            Vector512<float> b1 = Vector512.LoadUnsafe(ref bk, 16);
            Vector512<float> b2 = Vector512.LoadUnsafe(ref bk, 32);
            Vector512<float> b3 = Vector512.LoadUnsafe(ref bk, 48);
            Vector512<float> x = Vector512.Create(Unsafe.Add(ref a, kk));
            c00 = Vector512.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector512.MultiplyAddEstimate(x, b1, c01);
            c02 = Vector512.MultiplyAddEstimate(x, b2, c02);
            c03 = Vector512.MultiplyAddEstimate(x, b3, c03);
            x = Vector512.Create(Unsafe.Add(ref a1, kk));
            c10 = Vector512.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector512.MultiplyAddEstimate(x, b1, c11);
            c12 = Vector512.MultiplyAddEstimate(x, b2, c12);
            c13 = Vector512.MultiplyAddEstimate(x, b3, c13);
            x = Vector512.Create(Unsafe.Add(ref a2, kk));
            c20 = Vector512.MultiplyAddEstimate(x, b0, c20);
            c21 = Vector512.MultiplyAddEstimate(x, b1, c21);
            c22 = Vector512.MultiplyAddEstimate(x, b2, c22);
            c23 = Vector512.MultiplyAddEstimate(x, b3, c23);
            x = Vector512.Create(Unsafe.Add(ref a3, kk));
            c30 = Vector512.MultiplyAddEstimate(x, b0, c30);
            c31 = Vector512.MultiplyAddEstimate(x, b1, c31);
            c32 = Vector512.MultiplyAddEstimate(x, b2, c32);
            c33 = Vector512.MultiplyAddEstimate(x, b3, c33);
            x = Vector512.Create(Unsafe.Add(ref a4, kk));
            c40 = Vector512.MultiplyAddEstimate(x, b0, c40);
            c41 = Vector512.MultiplyAddEstimate(x, b1, c41);
            c42 = Vector512.MultiplyAddEstimate(x, b2, c42);
            c43 = Vector512.MultiplyAddEstimate(x, b3, c43);
            x = Vector512.Create(Unsafe.Add(ref a5, kk));
            c50 = Vector512.MultiplyAddEstimate(x, b0, c50);
            c51 = Vector512.MultiplyAddEstimate(x, b1, c51);
            c52 = Vector512.MultiplyAddEstimate(x, b2, c52);
            c53 = Vector512.MultiplyAddEstimate(x, b3, c53);
        }
        c00.StoreUnsafe(ref c);
        c01.StoreUnsafe(ref c, 16);
        c02.StoreUnsafe(ref c, 32);
        c03.StoreUnsafe(ref c, 48);
        c10.StoreUnsafe(ref c1);
        c11.StoreUnsafe(ref c1, 16);
        c12.StoreUnsafe(ref c1, 32);
        c13.StoreUnsafe(ref c1, 48);
        c20.StoreUnsafe(ref c2);
        c21.StoreUnsafe(ref c2, 16);
        c22.StoreUnsafe(ref c2, 32);
        c23.StoreUnsafe(ref c2, 48);
        c30.StoreUnsafe(ref c3);
        c31.StoreUnsafe(ref c3, 16);
        c32.StoreUnsafe(ref c3, 32);
        c33.StoreUnsafe(ref c3, 48);
        c40.StoreUnsafe(ref c4);
        c41.StoreUnsafe(ref c4, 16);
        c42.StoreUnsafe(ref c4, 32);
        c43.StoreUnsafe(ref c4, 48);
        c50.StoreUnsafe(ref c5);
        c51.StoreUnsafe(ref c5, 16);
        c52.StoreUnsafe(ref c5, 32);
        c53.StoreUnsafe(ref c5, 48);
    }

    /// <summary>
    /// 4 rows x 64 columns of C (Vector512): C = start + A[4, k] B[k, 64], B one packed panel (64 floats
    /// per k), start 0 (init 0), C itself (1) or the panel's bias (2). 16 accumulators stay in
    /// registers for the whole reduction; each B vector loaded is used 4 times.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Gemm_Vector512_Rows4(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias)
    {
        ref float a1 = ref Unsafe.Add(ref a, lda);
        ref float a2 = ref Unsafe.Add(ref a, 2 * lda);
        ref float a3 = ref Unsafe.Add(ref a, 3 * lda);
        ref float c1 = ref Unsafe.Add(ref c, ldc);
        ref float c2 = ref Unsafe.Add(ref c, 2 * ldc);
        ref float c3 = ref Unsafe.Add(ref c, 3 * ldc);
        Vector512<float> s0 = init == 2 ? Vector512.LoadUnsafe(ref bias) : Vector512<float>.Zero;
        Vector512<float> s1 = init == 2 ? Vector512.LoadUnsafe(ref bias, 16) : Vector512<float>.Zero;
        Vector512<float> s2 = init == 2 ? Vector512.LoadUnsafe(ref bias, 32) : Vector512<float>.Zero;
        Vector512<float> s3 = init == 2 ? Vector512.LoadUnsafe(ref bias, 48) : Vector512<float>.Zero;
        Vector512<float> c00 = init == 1 ? Vector512.LoadUnsafe(ref c) : s0;
        Vector512<float> c01 = init == 1 ? Vector512.LoadUnsafe(ref c, 16) : s1;
        Vector512<float> c02 = init == 1 ? Vector512.LoadUnsafe(ref c, 32) : s2;
        Vector512<float> c03 = init == 1 ? Vector512.LoadUnsafe(ref c, 48) : s3;
        Vector512<float> c10 = init == 1 ? Vector512.LoadUnsafe(ref c1) : s0;
        Vector512<float> c11 = init == 1 ? Vector512.LoadUnsafe(ref c1, 16) : s1;
        Vector512<float> c12 = init == 1 ? Vector512.LoadUnsafe(ref c1, 32) : s2;
        Vector512<float> c13 = init == 1 ? Vector512.LoadUnsafe(ref c1, 48) : s3;
        Vector512<float> c20 = init == 1 ? Vector512.LoadUnsafe(ref c2) : s0;
        Vector512<float> c21 = init == 1 ? Vector512.LoadUnsafe(ref c2, 16) : s1;
        Vector512<float> c22 = init == 1 ? Vector512.LoadUnsafe(ref c2, 32) : s2;
        Vector512<float> c23 = init == 1 ? Vector512.LoadUnsafe(ref c2, 48) : s3;
        Vector512<float> c30 = init == 1 ? Vector512.LoadUnsafe(ref c3) : s0;
        Vector512<float> c31 = init == 1 ? Vector512.LoadUnsafe(ref c3, 16) : s1;
        Vector512<float> c32 = init == 1 ? Vector512.LoadUnsafe(ref c3, 32) : s2;
        Vector512<float> c33 = init == 1 ? Vector512.LoadUnsafe(ref c3, 48) : s3;
        for (int kk = 0; kk < k; kk++)
        {
            ref float bk = ref Unsafe.Add(ref b, kk * 64);
            Vector512<float> b0 = Vector512.LoadUnsafe(ref bk);
            Vector512<float> b1 = Vector512.LoadUnsafe(ref bk, 16);
            Vector512<float> b2 = Vector512.LoadUnsafe(ref bk, 32);
            Vector512<float> b3 = Vector512.LoadUnsafe(ref bk, 48);
            Vector512<float> x = Vector512.Create(Unsafe.Add(ref a, kk));
            c00 = Vector512.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector512.MultiplyAddEstimate(x, b1, c01);
            c02 = Vector512.MultiplyAddEstimate(x, b2, c02);
            c03 = Vector512.MultiplyAddEstimate(x, b3, c03);
            x = Vector512.Create(Unsafe.Add(ref a1, kk));
            c10 = Vector512.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector512.MultiplyAddEstimate(x, b1, c11);
            c12 = Vector512.MultiplyAddEstimate(x, b2, c12);
            c13 = Vector512.MultiplyAddEstimate(x, b3, c13);
            x = Vector512.Create(Unsafe.Add(ref a2, kk));
            c20 = Vector512.MultiplyAddEstimate(x, b0, c20);
            c21 = Vector512.MultiplyAddEstimate(x, b1, c21);
            c22 = Vector512.MultiplyAddEstimate(x, b2, c22);
            c23 = Vector512.MultiplyAddEstimate(x, b3, c23);
            x = Vector512.Create(Unsafe.Add(ref a3, kk));
            c30 = Vector512.MultiplyAddEstimate(x, b0, c30);
            c31 = Vector512.MultiplyAddEstimate(x, b1, c31);
            c32 = Vector512.MultiplyAddEstimate(x, b2, c32);
            c33 = Vector512.MultiplyAddEstimate(x, b3, c33);
        }
        c00.StoreUnsafe(ref c);
        c01.StoreUnsafe(ref c, 16);
        c02.StoreUnsafe(ref c, 32);
        c03.StoreUnsafe(ref c, 48);
        c10.StoreUnsafe(ref c1);
        c11.StoreUnsafe(ref c1, 16);
        c12.StoreUnsafe(ref c1, 32);
        c13.StoreUnsafe(ref c1, 48);
        c20.StoreUnsafe(ref c2);
        c21.StoreUnsafe(ref c2, 16);
        c22.StoreUnsafe(ref c2, 32);
        c23.StoreUnsafe(ref c2, 48);
        c30.StoreUnsafe(ref c3);
        c31.StoreUnsafe(ref c3, 16);
        c32.StoreUnsafe(ref c3, 32);
        c33.StoreUnsafe(ref c3, 48);
    }

    /// <summary>
    /// 2 rows x 64 columns of C (Vector512): C = start + A[2, k] B[k, 64], B one packed panel (64 floats
    /// per k), start 0 (init 0), C itself (1) or the panel's bias (2). 8 accumulators stay in
    /// registers for the whole reduction; each B vector loaded is used 2 times.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Gemm_Vector512_Rows2(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias)
    {
        ref float a1 = ref Unsafe.Add(ref a, lda);
        ref float c1 = ref Unsafe.Add(ref c, ldc);
        Vector512<float> s0 = init == 2 ? Vector512.LoadUnsafe(ref bias) : Vector512<float>.Zero;
        Vector512<float> s1 = init == 2 ? Vector512.LoadUnsafe(ref bias, 16) : Vector512<float>.Zero;
        Vector512<float> s2 = init == 2 ? Vector512.LoadUnsafe(ref bias, 32) : Vector512<float>.Zero;
        Vector512<float> s3 = init == 2 ? Vector512.LoadUnsafe(ref bias, 48) : Vector512<float>.Zero;
        Vector512<float> c00 = init == 1 ? Vector512.LoadUnsafe(ref c) : s0;
        Vector512<float> c01 = init == 1 ? Vector512.LoadUnsafe(ref c, 16) : s1;
        Vector512<float> c02 = init == 1 ? Vector512.LoadUnsafe(ref c, 32) : s2;
        Vector512<float> c03 = init == 1 ? Vector512.LoadUnsafe(ref c, 48) : s3;
        Vector512<float> c10 = init == 1 ? Vector512.LoadUnsafe(ref c1) : s0;
        Vector512<float> c11 = init == 1 ? Vector512.LoadUnsafe(ref c1, 16) : s1;
        Vector512<float> c12 = init == 1 ? Vector512.LoadUnsafe(ref c1, 32) : s2;
        Vector512<float> c13 = init == 1 ? Vector512.LoadUnsafe(ref c1, 48) : s3;
        for (int kk = 0; kk < k; kk++)
        {
            ref float bk = ref Unsafe.Add(ref b, kk * 64);
            Vector512<float> b0 = Vector512.LoadUnsafe(ref bk);
            Vector512<float> b1 = Vector512.LoadUnsafe(ref bk, 16);
            Vector512<float> b2 = Vector512.LoadUnsafe(ref bk, 32);
            Vector512<float> b3 = Vector512.LoadUnsafe(ref bk, 48);
            Vector512<float> x = Vector512.Create(Unsafe.Add(ref a, kk));
            c00 = Vector512.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector512.MultiplyAddEstimate(x, b1, c01);
            c02 = Vector512.MultiplyAddEstimate(x, b2, c02);
            c03 = Vector512.MultiplyAddEstimate(x, b3, c03);
            x = Vector512.Create(Unsafe.Add(ref a1, kk));
            c10 = Vector512.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector512.MultiplyAddEstimate(x, b1, c11);
            c12 = Vector512.MultiplyAddEstimate(x, b2, c12);
            c13 = Vector512.MultiplyAddEstimate(x, b3, c13);
        }
        c00.StoreUnsafe(ref c);
        c01.StoreUnsafe(ref c, 16);
        c02.StoreUnsafe(ref c, 32);
        c03.StoreUnsafe(ref c, 48);
        c10.StoreUnsafe(ref c1);
        c11.StoreUnsafe(ref c1, 16);
        c12.StoreUnsafe(ref c1, 32);
        c13.StoreUnsafe(ref c1, 48);
    }

    /// <summary>
    /// 1 row x 64 columns of C (Vector512): C = start + A[1, k] B[k, 64], B one packed panel (64 floats
    /// per k), start 0 (init 0), C itself (1) or the panel's bias (2). 4 accumulators stay in
    /// registers for the whole reduction.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Gemm_Vector512_Rows1(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias)
    {
        Vector512<float> s0 = init == 2 ? Vector512.LoadUnsafe(ref bias) : Vector512<float>.Zero;
        Vector512<float> s1 = init == 2 ? Vector512.LoadUnsafe(ref bias, 16) : Vector512<float>.Zero;
        Vector512<float> s2 = init == 2 ? Vector512.LoadUnsafe(ref bias, 32) : Vector512<float>.Zero;
        Vector512<float> s3 = init == 2 ? Vector512.LoadUnsafe(ref bias, 48) : Vector512<float>.Zero;
        Vector512<float> c00 = init == 1 ? Vector512.LoadUnsafe(ref c) : s0;
        Vector512<float> c01 = init == 1 ? Vector512.LoadUnsafe(ref c, 16) : s1;
        Vector512<float> c02 = init == 1 ? Vector512.LoadUnsafe(ref c, 32) : s2;
        Vector512<float> c03 = init == 1 ? Vector512.LoadUnsafe(ref c, 48) : s3;
        for (int kk = 0; kk < k; kk++)
        {
            ref float bk = ref Unsafe.Add(ref b, kk * 64);
            Vector512<float> b0 = Vector512.LoadUnsafe(ref bk);
            Vector512<float> b1 = Vector512.LoadUnsafe(ref bk, 16);
            Vector512<float> b2 = Vector512.LoadUnsafe(ref bk, 32);
            Vector512<float> b3 = Vector512.LoadUnsafe(ref bk, 48);
            Vector512<float> x = Vector512.Create(Unsafe.Add(ref a, kk));
            c00 = Vector512.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector512.MultiplyAddEstimate(x, b1, c01);
            c02 = Vector512.MultiplyAddEstimate(x, b2, c02);
            c03 = Vector512.MultiplyAddEstimate(x, b3, c03);
        }
        c00.StoreUnsafe(ref c);
        c01.StoreUnsafe(ref c, 16);
        c02.StoreUnsafe(ref c, 32);
        c03.StoreUnsafe(ref c, 48);
    }

    /// <summary>
    /// 6 rows x 64 columns of C (Vector512): C += A[m, 6]^T B[m, 64], the sum over m rows of
    /// outer products; A and B have row strides lda and ldb, C ldc. 24 accumulators stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void GemmTransposedA_Vector512_Rows6_Vectors4(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m)
    {
        ref float c1 = ref Unsafe.Add(ref c, ldc);
        ref float c2 = ref Unsafe.Add(ref c, 2 * ldc);
        ref float c3 = ref Unsafe.Add(ref c, 3 * ldc);
        ref float c4 = ref Unsafe.Add(ref c, 4 * ldc);
        ref float c5 = ref Unsafe.Add(ref c, 5 * ldc);
        Vector512<float> c00 = Vector512.LoadUnsafe(ref c);
        Vector512<float> c01 = Vector512.LoadUnsafe(ref c, 16);
        Vector512<float> c02 = Vector512.LoadUnsafe(ref c, 32);
        Vector512<float> c03 = Vector512.LoadUnsafe(ref c, 48);
        Vector512<float> c10 = Vector512.LoadUnsafe(ref c1);
        Vector512<float> c11 = Vector512.LoadUnsafe(ref c1, 16);
        Vector512<float> c12 = Vector512.LoadUnsafe(ref c1, 32);
        Vector512<float> c13 = Vector512.LoadUnsafe(ref c1, 48);
        Vector512<float> c20 = Vector512.LoadUnsafe(ref c2);
        Vector512<float> c21 = Vector512.LoadUnsafe(ref c2, 16);
        Vector512<float> c22 = Vector512.LoadUnsafe(ref c2, 32);
        Vector512<float> c23 = Vector512.LoadUnsafe(ref c2, 48);
        Vector512<float> c30 = Vector512.LoadUnsafe(ref c3);
        Vector512<float> c31 = Vector512.LoadUnsafe(ref c3, 16);
        Vector512<float> c32 = Vector512.LoadUnsafe(ref c3, 32);
        Vector512<float> c33 = Vector512.LoadUnsafe(ref c3, 48);
        Vector512<float> c40 = Vector512.LoadUnsafe(ref c4);
        Vector512<float> c41 = Vector512.LoadUnsafe(ref c4, 16);
        Vector512<float> c42 = Vector512.LoadUnsafe(ref c4, 32);
        Vector512<float> c43 = Vector512.LoadUnsafe(ref c4, 48);
        Vector512<float> c50 = Vector512.LoadUnsafe(ref c5);
        Vector512<float> c51 = Vector512.LoadUnsafe(ref c5, 16);
        Vector512<float> c52 = Vector512.LoadUnsafe(ref c5, 32);
        Vector512<float> c53 = Vector512.LoadUnsafe(ref c5, 48);
        for (int p = 0; p < m; p++)
        {
            ref float ap = ref Unsafe.Add(ref a, p * lda);
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            Vector512<float> b0 = Vector512.LoadUnsafe(ref bp);
            Vector512<float> b1 = Vector512.LoadUnsafe(ref bp, 16);
            Vector512<float> b2 = Vector512.LoadUnsafe(ref bp, 32);
            Vector512<float> b3 = Vector512.LoadUnsafe(ref bp, 48);
            Vector512<float> x = Vector512.Create(ap);
            c00 = Vector512.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector512.MultiplyAddEstimate(x, b1, c01);
            c02 = Vector512.MultiplyAddEstimate(x, b2, c02);
            c03 = Vector512.MultiplyAddEstimate(x, b3, c03);
            x = Vector512.Create(Unsafe.Add(ref ap, 1));
            c10 = Vector512.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector512.MultiplyAddEstimate(x, b1, c11);
            c12 = Vector512.MultiplyAddEstimate(x, b2, c12);
            c13 = Vector512.MultiplyAddEstimate(x, b3, c13);
            x = Vector512.Create(Unsafe.Add(ref ap, 2));
            c20 = Vector512.MultiplyAddEstimate(x, b0, c20);
            c21 = Vector512.MultiplyAddEstimate(x, b1, c21);
            c22 = Vector512.MultiplyAddEstimate(x, b2, c22);
            c23 = Vector512.MultiplyAddEstimate(x, b3, c23);
            x = Vector512.Create(Unsafe.Add(ref ap, 3));
            c30 = Vector512.MultiplyAddEstimate(x, b0, c30);
            c31 = Vector512.MultiplyAddEstimate(x, b1, c31);
            c32 = Vector512.MultiplyAddEstimate(x, b2, c32);
            c33 = Vector512.MultiplyAddEstimate(x, b3, c33);
            x = Vector512.Create(Unsafe.Add(ref ap, 4));
            c40 = Vector512.MultiplyAddEstimate(x, b0, c40);
            c41 = Vector512.MultiplyAddEstimate(x, b1, c41);
            c42 = Vector512.MultiplyAddEstimate(x, b2, c42);
            c43 = Vector512.MultiplyAddEstimate(x, b3, c43);
            x = Vector512.Create(Unsafe.Add(ref ap, 5));
            c50 = Vector512.MultiplyAddEstimate(x, b0, c50);
            c51 = Vector512.MultiplyAddEstimate(x, b1, c51);
            c52 = Vector512.MultiplyAddEstimate(x, b2, c52);
            c53 = Vector512.MultiplyAddEstimate(x, b3, c53);
        }
        c00.StoreUnsafe(ref c);
        c01.StoreUnsafe(ref c, 16);
        c02.StoreUnsafe(ref c, 32);
        c03.StoreUnsafe(ref c, 48);
        c10.StoreUnsafe(ref c1);
        c11.StoreUnsafe(ref c1, 16);
        c12.StoreUnsafe(ref c1, 32);
        c13.StoreUnsafe(ref c1, 48);
        c20.StoreUnsafe(ref c2);
        c21.StoreUnsafe(ref c2, 16);
        c22.StoreUnsafe(ref c2, 32);
        c23.StoreUnsafe(ref c2, 48);
        c30.StoreUnsafe(ref c3);
        c31.StoreUnsafe(ref c3, 16);
        c32.StoreUnsafe(ref c3, 32);
        c33.StoreUnsafe(ref c3, 48);
        c40.StoreUnsafe(ref c4);
        c41.StoreUnsafe(ref c4, 16);
        c42.StoreUnsafe(ref c4, 32);
        c43.StoreUnsafe(ref c4, 48);
        c50.StoreUnsafe(ref c5);
        c51.StoreUnsafe(ref c5, 16);
        c52.StoreUnsafe(ref c5, 32);
        c53.StoreUnsafe(ref c5, 48);
    }

    /// <summary>
    /// 6 rows x 16 columns of C (Vector512): C += A[m, 6]^T B[m, 16], the sum over m rows of
    /// outer products; A and B have row strides lda and ldb, C ldc. 6 accumulators stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void GemmTransposedA_Vector512_Rows6_Vectors1(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m)
    {
        ref float c1 = ref Unsafe.Add(ref c, ldc);
        ref float c2 = ref Unsafe.Add(ref c, 2 * ldc);
        ref float c3 = ref Unsafe.Add(ref c, 3 * ldc);
        ref float c4 = ref Unsafe.Add(ref c, 4 * ldc);
        ref float c5 = ref Unsafe.Add(ref c, 5 * ldc);
        Vector512<float> c00 = Vector512.LoadUnsafe(ref c);
        Vector512<float> c10 = Vector512.LoadUnsafe(ref c1);
        Vector512<float> c20 = Vector512.LoadUnsafe(ref c2);
        Vector512<float> c30 = Vector512.LoadUnsafe(ref c3);
        Vector512<float> c40 = Vector512.LoadUnsafe(ref c4);
        Vector512<float> c50 = Vector512.LoadUnsafe(ref c5);
        for (int p = 0; p < m; p++)
        {
            ref float ap = ref Unsafe.Add(ref a, p * lda);
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            Vector512<float> b0 = Vector512.LoadUnsafe(ref bp);
            Vector512<float> x = Vector512.Create(ap);
            c00 = Vector512.MultiplyAddEstimate(x, b0, c00);
            x = Vector512.Create(Unsafe.Add(ref ap, 1));
            c10 = Vector512.MultiplyAddEstimate(x, b0, c10);
            x = Vector512.Create(Unsafe.Add(ref ap, 2));
            c20 = Vector512.MultiplyAddEstimate(x, b0, c20);
            x = Vector512.Create(Unsafe.Add(ref ap, 3));
            c30 = Vector512.MultiplyAddEstimate(x, b0, c30);
            x = Vector512.Create(Unsafe.Add(ref ap, 4));
            c40 = Vector512.MultiplyAddEstimate(x, b0, c40);
            x = Vector512.Create(Unsafe.Add(ref ap, 5));
            c50 = Vector512.MultiplyAddEstimate(x, b0, c50);
        }
        c00.StoreUnsafe(ref c);
        c10.StoreUnsafe(ref c1);
        c20.StoreUnsafe(ref c2);
        c30.StoreUnsafe(ref c3);
        c40.StoreUnsafe(ref c4);
        c50.StoreUnsafe(ref c5);
    }

    /// <summary>
    /// 1 row x 64 columns of C (Vector512): C += A[m, 1]^T B[m, 64], the sum over m rows of
    /// outer products; A and B have row strides lda and ldb, C ldc. 4 accumulators stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void GemmTransposedA_Vector512_Rows1_Vectors4(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m)
    {
        Vector512<float> c00 = Vector512.LoadUnsafe(ref c);
        Vector512<float> c01 = Vector512.LoadUnsafe(ref c, 16);
        Vector512<float> c02 = Vector512.LoadUnsafe(ref c, 32);
        Vector512<float> c03 = Vector512.LoadUnsafe(ref c, 48);
        for (int p = 0; p < m; p++)
        {
            ref float ap = ref Unsafe.Add(ref a, p * lda);
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            Vector512<float> b0 = Vector512.LoadUnsafe(ref bp);
            Vector512<float> b1 = Vector512.LoadUnsafe(ref bp, 16);
            Vector512<float> b2 = Vector512.LoadUnsafe(ref bp, 32);
            Vector512<float> b3 = Vector512.LoadUnsafe(ref bp, 48);
            Vector512<float> x = Vector512.Create(ap);
            c00 = Vector512.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector512.MultiplyAddEstimate(x, b1, c01);
            c02 = Vector512.MultiplyAddEstimate(x, b2, c02);
            c03 = Vector512.MultiplyAddEstimate(x, b3, c03);
        }
        c00.StoreUnsafe(ref c);
        c01.StoreUnsafe(ref c, 16);
        c02.StoreUnsafe(ref c, 32);
        c03.StoreUnsafe(ref c, 48);
    }

    /// <summary>
    /// 1 row x 16 columns of C (Vector512): C += A[m, 1]^T B[m, 16], the sum over m rows of
    /// outer products; A and B have row strides lda and ldb, C ldc. 1 accumulator stays in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void GemmTransposedA_Vector512_Rows1_Vectors1(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m)
    {
        Vector512<float> c00 = Vector512.LoadUnsafe(ref c);
        for (int p = 0; p < m; p++)
        {
            ref float ap = ref Unsafe.Add(ref a, p * lda);
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            Vector512<float> b0 = Vector512.LoadUnsafe(ref bp);
            Vector512<float> x = Vector512.Create(ap);
            c00 = Vector512.MultiplyAddEstimate(x, b0, c00);
        }
        c00.StoreUnsafe(ref c);
    }
}
