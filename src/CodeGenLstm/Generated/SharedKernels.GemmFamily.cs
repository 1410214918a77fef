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

/// <summary>
/// The family of one width, its members forwarding to the micro-kernels instantiated with that width's ops: one
/// struct for every width (the JIT compiles a copy per ops struct, with the forwarders inlined). The widths are named
/// below: 512-bit vectors make panels of 64 columns (4 vectors), 256-bit of 16 (2 vectors), 128-bit (SSE, NEON) of 8
/// (2 vectors).
/// </summary>
internal readonly struct GemmFamily<TOps, TVec> : IGemmFamily where TOps : struct, IKernelOps<TVec> where TVec : struct
{
    public static int Lanes => TOps.Count;
    public static int PanelWidth => SharedKernels.PanelVectors<TOps, TVec>() * TOps.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows6(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias) =>
        SharedKernels.GemmRowBlock<Six, TOps, TVec>(ref a, lda, ref b, k, ref c, ldc, init, ref bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows4(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias) =>
        SharedKernels.GemmRowBlock<Four, TOps, TVec>(ref a, lda, ref b, k, ref c, ldc, init, ref bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows2(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias) =>
        SharedKernels.GemmRowBlock<Two, TOps, TVec>(ref a, lda, ref b, k, ref c, ldc, init, ref bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows1(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias) =>
        SharedKernels.GemmRowBlock<One, TOps, TVec>(ref a, lda, ref b, k, ref c, ldc, init, ref bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposedWide6(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m) =>
        SharedKernels.GemmTransposedARowBlock<Six, Four, TOps, TVec>(ref a, lda, ref b, ldb, ref c, ldc, m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposedWide1(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m) =>
        SharedKernels.GemmTransposedARowBlock<One, Four, TOps, TVec>(ref a, lda, ref b, ldb, ref c, ldc, m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposedNarrow6(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m) =>
        SharedKernels.GemmTransposedARowBlock<Six, One, TOps, TVec>(ref a, lda, ref b, ldb, ref c, ldc, m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposedNarrow1(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m) =>
        SharedKernels.GemmTransposedA_Rows1_Vector<TOps, TVec>(ref a, lda, ref b, ldb, ref c, ldc, m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddVector(ref float destination, ref float source, nuint index) =>
        TOps.Store(TOps.Add(TOps.Load(ref destination, (int)index), TOps.Load(ref source, (int)index)), ref destination, (int)index);
}
