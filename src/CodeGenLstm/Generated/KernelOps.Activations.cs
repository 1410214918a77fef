using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CodeGenLstm.Generated;

// The vector activations' operations at each width (IActivationOps): implemented explicitly, so that these internal
// operations stay out of the public structs' surface. Each is the intrinsic the activations used to be written in.

public readonly partial struct KernelOps512 : IActivationOps<Vector512<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IActivationOps<Vector512<float>>.Clamp(Vector512<float> value, Vector512<float> min, Vector512<float> max) => Vector512.Clamp(value, min, max);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IActivationOps<Vector512<float>>.Abs(Vector512<float> value) => Vector512.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IActivationOps<Vector512<float>>.Divide(Vector512<float> left, Vector512<float> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IActivationOps<Vector512<float>>.WhereLess(Vector512<float> left, Vector512<float> right, Vector512<float> ifLess, Vector512<float> otherwise) =>
        Vector512.ConditionalSelect(Vector512.LessThan(left, right), ifLess, otherwise);
}

public readonly partial struct KernelOps256 : IActivationOps<Vector256<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IActivationOps<Vector256<float>>.Clamp(Vector256<float> value, Vector256<float> min, Vector256<float> max) => Vector256.Clamp(value, min, max);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IActivationOps<Vector256<float>>.Abs(Vector256<float> value) => Vector256.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IActivationOps<Vector256<float>>.Divide(Vector256<float> left, Vector256<float> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IActivationOps<Vector256<float>>.WhereLess(Vector256<float> left, Vector256<float> right, Vector256<float> ifLess, Vector256<float> otherwise) =>
        Vector256.ConditionalSelect(Vector256.LessThan(left, right), ifLess, otherwise);
}

public readonly partial struct KernelOps128 : IActivationOps<Vector128<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IActivationOps<Vector128<float>>.Clamp(Vector128<float> value, Vector128<float> min, Vector128<float> max) => Vector128.Clamp(value, min, max);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IActivationOps<Vector128<float>>.Abs(Vector128<float> value) => Vector128.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IActivationOps<Vector128<float>>.Divide(Vector128<float> left, Vector128<float> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IActivationOps<Vector128<float>>.WhereLess(Vector128<float> left, Vector128<float> right, Vector128<float> ifLess, Vector128<float> otherwise) =>
        Vector128.ConditionalSelect(Vector128.LessThan(left, right), ifLess, otherwise);
}
