using System;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace CodeGenLstm.Tests.Kernels;

/// <summary>
/// One term of a dot product as the vector micro-kernels round it: their <c>MultiplyAddEstimate</c> is one fused,
/// once-rounded operation where the process has FMA (x86 FMA, ARM64 AdvSimd), else a rounded product then a rounded
/// sum. Summing a product's terms with this in reduction order gives the bits every vector width must give, so the
/// tests pin the order of the multiply-adds, not only a bound on their error.
/// </summary>
internal static class InOrderProducts
{
    private static readonly bool Fused = Fma.IsSupported || AdvSimd.IsSupported;

    /// <summary><paramref name="sum"/> + <paramref name="left"/> * <paramref name="right"/>, fused when the process has FMA.</summary>
    public static float MultiplyAdd(float left, float right, float sum) =>
        Fused ? MathF.FusedMultiplyAdd(left, right, sum) : left * right + sum;   // C# float arithmetic is never contracted to a fused one

    /// <summary>Whether two floats are the same bits.</summary>
    public static bool SameBits(float left, float right) => BitConverter.SingleToInt32Bits(left) == BitConverter.SingleToInt32Bits(right);
}
