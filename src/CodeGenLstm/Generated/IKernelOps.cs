using System.ComponentModel;

namespace CodeGenLstm.Generated;

/// <summary>
/// The vector operations a generated cell kernel is written in, over one vector width. A generated model writes
/// each cell's forward and backward body once, as a method generic over <c>TOps : struct, IKernelOps&lt;TVec&gt;</c>,
/// and calls it with <see cref="KernelOps512"/>, <see cref="KernelOps256"/> or <see cref="KernelOps128"/>: the JIT
/// (and the NativeAOT compiler) compiles each struct instantiation on its own with every call inlined, so the one
/// body gives the same machine code, and the same bits, as a body written out for that width.
/// </summary>
/// <typeparam name="TVec">The float vector type: <c>Vector512&lt;float&gt;</c>, <c>Vector256&lt;float&gt;</c> or <c>Vector128&lt;float&gt;</c>.</typeparam>
/// <remarks>
/// For generated code, not for users: hidden from IntelliSense and outside the documented API. Each operation is
/// exactly one operation of <c>System.Runtime.Intrinsics</c> (or <see cref="SharedKernels.FastTanh(System.Runtime.Intrinsics.Vector512{float})"/>
/// and <see cref="SharedKernels.FastSigmoid(System.Runtime.Intrinsics.Vector512{float})"/>), so that a generic body performs the same
/// operations in the same order as one written with the vector types. <see cref="Load"/> and <see cref="Store"/>
/// check nothing: their callers, the generated kernels, check their whole spans once before the loop.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IKernelOps<TVec>
    where TVec : struct
{
    /// <summary>Floats per vector: 16, 8 or 4 (a constant once the JIT has specialised the caller).</summary>
    static abstract int Count { get; }

    /// <summary>Every lane 0.</summary>
    static abstract TVec Zero { get; }

    /// <summary>Every lane 1.</summary>
    static abstract TVec One { get; }

    /// <summary>Every lane <paramref name="value"/> (a broadcast).</summary>
    static abstract TVec Create(float value);

    /// <summary>The vector at <paramref name="source"/> + <paramref name="index"/> floats, unchecked (<c>LoadUnsafe</c>).</summary>
    static abstract TVec Load(ref float source, int index);

    /// <summary>Writes <paramref name="value"/> at <paramref name="destination"/> + <paramref name="index"/> floats, unchecked (<c>StoreUnsafe</c>).</summary>
    static abstract void Store(TVec value, ref float destination, int index);

    /// <summary>left + right, lane by lane.</summary>
    static abstract TVec Add(TVec left, TVec right);

    /// <summary>left - right, lane by lane.</summary>
    static abstract TVec Subtract(TVec left, TVec right);

    /// <summary>left * right, lane by lane.</summary>
    static abstract TVec Multiply(TVec left, TVec right);

    /// <summary>left * right + addend: one fused instruction where the hardware has FMA, a multiply then an add where not (<c>MultiplyAddEstimate</c>).</summary>
    static abstract TVec MultiplyAdd(TVec left, TVec right, TVec addend);

    /// <summary>The lane-wise maximum (<c>Max</c>).</summary>
    static abstract TVec Max(TVec left, TVec right);

    /// <summary><paramref name="value"/> where <paramref name="condition"/> &gt; 0, else 0, lane by lane (<c>ConditionalSelect(GreaterThan(condition, Zero), value, Zero)</c>).</summary>
    static abstract TVec WherePositive(TVec condition, TVec value);

    /// <summary>The sum of the lanes (<c>Sum</c>).</summary>
    static abstract float Sum(TVec value);

    /// <summary>tanh by <see cref="SharedKernels"/>' FastTanh at this width (largest error 3e-7).</summary>
    static abstract TVec FastTanh(TVec value);

    /// <summary>sigmoid by <see cref="SharedKernels"/>' FastSigmoid at this width (largest error 1.7e-7).</summary>
    static abstract TVec FastSigmoid(TVec value);
}
