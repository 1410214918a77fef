namespace CodeGenLstm.Generated;

/// <summary>
/// What the vector tanh and sigmoid need besides <see cref="IKernelOps{TVec}"/>, so that they are written once for
/// every width (<see cref="SharedKernels.FastTanh(System.Runtime.Intrinsics.Vector512{float})"/>). Each operation is one
/// intrinsic, inlined, as <see cref="IKernelOps{TVec}"/>'s are, so the one body computes the bits the per-width bodies did.
/// </summary>
internal interface IActivationOps<TVec> : IKernelOps<TVec>
    where TVec : struct
{
    /// <summary>value limited to [min, max], lane by lane (the vector type's Clamp).</summary>
    static abstract TVec Clamp(TVec value, TVec min, TVec max);

    /// <summary>|value|, lane by lane.</summary>
    static abstract TVec Abs(TVec value);

    /// <summary>left / right, lane by lane.</summary>
    static abstract TVec Divide(TVec left, TVec right);

    /// <summary>Where left &lt; right, the lane of ifLess; elsewhere (NaN included) the lane of otherwise.</summary>
    static abstract TVec WhereLess(TVec left, TVec right, TVec ifLess, TVec otherwise);
}
