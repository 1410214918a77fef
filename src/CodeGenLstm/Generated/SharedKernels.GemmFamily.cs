using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CodeGenLstm.Generated;

/// <summary>
/// The micro-kernels of one vector width (SharedKernels.Gemm.cs, written once over <see cref="IKernelOps{TVec}"/>
/// and instantiated here per width), as static members of a struct, so that the matrix-product drivers
/// (<c>SharedKernels.Products.Vector.cs</c>) are written once, generic over the width: the JIT (and NativeAOT)
/// compile a copy per struct with every forwarder below inlined, so each copy calls its width's micro-kernels
/// directly, as a driver written per width would.
/// </summary>
/// <remarks>
/// Every width blocks 6 rows of C at once (<see cref="SharedKernels"/>' row loop relies on it); the wide
/// transposed kernels cover a whole panel (<see cref="PanelWidth"/> columns), the narrow ones one vector.
/// </remarks>
internal interface IGemmFamily
{
    /// <summary>Floats per vector.</summary>
    static abstract int Lanes { get; }

    /// <summary>Columns of a packed weight panel: what <see cref="SharedKernels.PanelWidth"/> returns for this width.</summary>
    static abstract int PanelWidth { get; }

    static abstract void Rows6(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias);
    static abstract void Rows4(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias);
    static abstract void Rows2(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias);
    static abstract void Rows1(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias);

    static abstract void TransposedWide6(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m);
    static abstract void TransposedWide1(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m);
    static abstract void TransposedNarrow6(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m);
    static abstract void TransposedNarrow1(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m);

    /// <summary>destination[index..] += source[index..], one vector.</summary>
    static abstract void AddVector(ref float destination, ref float source, nuint index);
}

/// <summary>512-bit vectors: panels of 64 columns (4 vectors).</summary>
internal readonly struct Gemm512 : IGemmFamily
{
    public static int Lanes => KernelOps512.Count;
    public static int PanelWidth => SharedKernels.PanelVectors<KernelOps512, Vector512<float>>() * KernelOps512.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows6(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias) =>
        SharedKernels.GemmRowBlock<Six, KernelOps512, Vector512<float>>(ref a, lda, ref b, k, ref c, ldc, init, ref bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows4(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias) =>
        SharedKernels.GemmRowBlock<Four, KernelOps512, Vector512<float>>(ref a, lda, ref b, k, ref c, ldc, init, ref bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows2(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias) =>
        SharedKernels.GemmRowBlock<Two, KernelOps512, Vector512<float>>(ref a, lda, ref b, k, ref c, ldc, init, ref bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows1(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias) =>
        SharedKernels.GemmRowBlock<One, KernelOps512, Vector512<float>>(ref a, lda, ref b, k, ref c, ldc, init, ref bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposedWide6(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m) =>
        SharedKernels.GemmTransposedARowBlock<Six, Four, KernelOps512, Vector512<float>>(ref a, lda, ref b, ldb, ref c, ldc, m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposedWide1(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m) =>
        SharedKernels.GemmTransposedARowBlock<One, Four, KernelOps512, Vector512<float>>(ref a, lda, ref b, ldb, ref c, ldc, m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposedNarrow6(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m) =>
        SharedKernels.GemmTransposedARowBlock<Six, One, KernelOps512, Vector512<float>>(ref a, lda, ref b, ldb, ref c, ldc, m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposedNarrow1(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m) =>
        SharedKernels.GemmTransposedA_Rows1_Vector<KernelOps512, Vector512<float>>(ref a, lda, ref b, ldb, ref c, ldc, m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddVector(ref float destination, ref float source, nuint index) =>
        (Vector512.LoadUnsafe(ref destination, index) + Vector512.LoadUnsafe(ref source, index)).StoreUnsafe(ref destination, index);
}

/// <summary>256-bit vectors: panels of 16 columns (2 vectors).</summary>
internal readonly struct Gemm256 : IGemmFamily
{
    public static int Lanes => KernelOps256.Count;
    public static int PanelWidth => SharedKernels.PanelVectors<KernelOps256, Vector256<float>>() * KernelOps256.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows6(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias) =>
        SharedKernels.GemmRowBlock<Six, KernelOps256, Vector256<float>>(ref a, lda, ref b, k, ref c, ldc, init, ref bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows4(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias) =>
        SharedKernels.GemmRowBlock<Four, KernelOps256, Vector256<float>>(ref a, lda, ref b, k, ref c, ldc, init, ref bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows2(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias) =>
        SharedKernels.GemmRowBlock<Two, KernelOps256, Vector256<float>>(ref a, lda, ref b, k, ref c, ldc, init, ref bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows1(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias) =>
        SharedKernels.GemmRowBlock<One, KernelOps256, Vector256<float>>(ref a, lda, ref b, k, ref c, ldc, init, ref bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposedWide6(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m) =>
        SharedKernels.GemmTransposedARowBlock<Six, Four, KernelOps256, Vector256<float>>(ref a, lda, ref b, ldb, ref c, ldc, m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposedWide1(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m) =>
        SharedKernels.GemmTransposedARowBlock<One, Four, KernelOps256, Vector256<float>>(ref a, lda, ref b, ldb, ref c, ldc, m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposedNarrow6(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m) =>
        SharedKernels.GemmTransposedARowBlock<Six, One, KernelOps256, Vector256<float>>(ref a, lda, ref b, ldb, ref c, ldc, m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposedNarrow1(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m) =>
        SharedKernels.GemmTransposedA_Rows1_Vector<KernelOps256, Vector256<float>>(ref a, lda, ref b, ldb, ref c, ldc, m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddVector(ref float destination, ref float source, nuint index) =>
        (Vector256.LoadUnsafe(ref destination, index) + Vector256.LoadUnsafe(ref source, index)).StoreUnsafe(ref destination, index);
}

/// <summary>128-bit vectors (SSE, NEON): panels of 8 columns (2 vectors).</summary>
internal readonly struct Gemm128 : IGemmFamily
{
    public static int Lanes => KernelOps128.Count;
    public static int PanelWidth => SharedKernels.PanelVectors<KernelOps128, Vector128<float>>() * KernelOps128.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows6(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias) =>
        SharedKernels.GemmRowBlock<Six, KernelOps128, Vector128<float>>(ref a, lda, ref b, k, ref c, ldc, init, ref bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows4(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias) =>
        SharedKernels.GemmRowBlock<Four, KernelOps128, Vector128<float>>(ref a, lda, ref b, k, ref c, ldc, init, ref bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows2(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias) =>
        SharedKernels.GemmRowBlock<Two, KernelOps128, Vector128<float>>(ref a, lda, ref b, k, ref c, ldc, init, ref bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows1(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias) =>
        SharedKernels.GemmRowBlock<One, KernelOps128, Vector128<float>>(ref a, lda, ref b, k, ref c, ldc, init, ref bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposedWide6(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m) =>
        SharedKernels.GemmTransposedARowBlock<Six, Four, KernelOps128, Vector128<float>>(ref a, lda, ref b, ldb, ref c, ldc, m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposedWide1(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m) =>
        SharedKernels.GemmTransposedARowBlock<One, Four, KernelOps128, Vector128<float>>(ref a, lda, ref b, ldb, ref c, ldc, m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposedNarrow6(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m) =>
        SharedKernels.GemmTransposedARowBlock<Six, One, KernelOps128, Vector128<float>>(ref a, lda, ref b, ldb, ref c, ldc, m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposedNarrow1(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m) =>
        SharedKernels.GemmTransposedA_Rows1_Vector<KernelOps128, Vector128<float>>(ref a, lda, ref b, ldb, ref c, ldc, m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddVector(ref float destination, ref float source, nuint index) =>
        (Vector128.LoadUnsafe(ref destination, index) + Vector128.LoadUnsafe(ref source, index)).StoreUnsafe(ref destination, index);
}
