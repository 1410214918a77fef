using System;

namespace CodeGenLstm.Generated;

/// <summary>
/// What the bfloat16 panel kernel (ReducedKernels.BFloat16.cs) needs at one vector width beyond <see cref="IKernelOps{TVec}"/>:
/// a panel's 32-bit lanes each hold two gates' bfloat16 weights of one unit, and a bfloat16 is the upper half of a
/// float32, so the low gate widens by a shift left of 16 and the high gate by masking off the low half (both exact).
/// The pairs travel as float vectors (a reinterpretation, no instruction) so that the kernel needs one vector type.
/// </summary>
/// <remarks>
/// Each member is the intrinsic the kernel was once written out with per width, so the one generic kernel compiles
/// to the same instructions. Internal, implemented explicitly (KernelOps.BFloat16.cs), as <c>IVectorOps</c> is.
/// </remarks>
internal interface IBFloat16PanelOps<TVec> : IKernelOps<TVec>
    where TVec : struct
{
    /// <summary>The 32-bit lanes (gate pairs) at <paramref name="source"/> + <paramref name="index"/>, unchecked, loaded as uint.</summary>
    static abstract TVec LoadPairs(ref uint source, int index);

    /// <summary>Every lane 0xFFFF0000: what <see cref="HighGate"/> keeps.</summary>
    static abstract TVec HighHalves { get; }

    /// <summary>The low gate of each pair as float32: the lane shifted left by 16.</summary>
    static abstract TVec LowGate(TVec pairs);

    /// <summary>The high gate of each pair as float32: the lane and <paramref name="highHalves"/>.</summary>
    static abstract TVec HighGate(TVec pairs, TVec highHalves);

    /// <summary>The first <see cref="IKernelOps{TVec}.Count"/> floats of <paramref name="values"/> (checked).</summary>
    static abstract TVec FromSpan(ReadOnlySpan<float> values);

    /// <summary>Writes <paramref name="value"/> to the start of <paramref name="destination"/> (checked).</summary>
    static abstract void ToSpan(TVec value, Span<float> destination);

    /// <summary>Lane <paramref name="index"/> of <paramref name="value"/>.</summary>
    static abstract float GetElement(TVec value, int index);
}
