using System.Runtime.Intrinsics;

namespace CodeGenLstm;

/// <summary>Which vector width the generated kernels use on this machine.</summary>
public static class Simd
{
    /// <summary>
    /// "Vector512", "Vector256", "Vector128" or "Scalar": the widest vector type the JIT accelerates,
    /// tested in the same order as the generated kernels test it. Environment variables such as
    /// DOTNET_EnableAVX512=0 or DOTNET_PreferredVectorBitWidth change the answer, as they change the kernels.
    /// </summary>
    public static string ActivePath => PathName(ActiveWidth);

    /// <summary>The active vector width in bits: 512, 256, 128, or 0 for the scalar path.</summary>
    public static int ActiveWidth =>
        Vector512.IsHardwareAccelerated ? 512 :
        Vector256.IsHardwareAccelerated ? 256 :
        Vector128.IsHardwareAccelerated ? 128 : 0;

    /// <summary>The name of a vector width in bits, as <see cref="ActivePath"/> spells it.</summary>
    public static string PathName(int widthInBits) => widthInBits switch
    {
        512 => "Vector512",
        256 => "Vector256",
        128 => "Vector128",
        _ => "Scalar",
    };
}
