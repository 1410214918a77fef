using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CodeGenLstm.Generated;

// The bfloat16 panel kernel's operations at each width (IBFloat16PanelOps): implemented explicitly, so that these
// internal operations stay out of the public structs' surface. Each is the intrinsic the kernel used to be written in.

public readonly partial struct KernelOps512 : IBFloat16PanelOps<Vector512<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IBFloat16PanelOps<Vector512<float>>.LoadPairs(ref uint source, int index) =>
        Vector512.LoadUnsafe(ref source, (nuint)index).AsSingle();

    static Vector512<float> IBFloat16PanelOps<Vector512<float>>.HighHalves => Vector512.Create(0xFFFF0000u).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IBFloat16PanelOps<Vector512<float>>.LowGate(Vector512<float> pairs) =>
        Vector512.ShiftLeft(pairs.AsUInt32(), 16).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IBFloat16PanelOps<Vector512<float>>.HighGate(Vector512<float> pairs, Vector512<float> highHalves) =>
        (pairs.AsUInt32() & highHalves.AsUInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IBFloat16PanelOps<Vector512<float>>.FromSpan(ReadOnlySpan<float> values) => Vector512.Create(values);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void IBFloat16PanelOps<Vector512<float>>.ToSpan(Vector512<float> value, Span<float> destination) => value.CopyTo(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float IBFloat16PanelOps<Vector512<float>>.GetElement(Vector512<float> value, int index) => value.GetElement(index);
}

public readonly partial struct KernelOps256 : IBFloat16PanelOps<Vector256<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IBFloat16PanelOps<Vector256<float>>.LoadPairs(ref uint source, int index) =>
        Vector256.LoadUnsafe(ref source, (nuint)index).AsSingle();

    static Vector256<float> IBFloat16PanelOps<Vector256<float>>.HighHalves => Vector256.Create(0xFFFF0000u).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IBFloat16PanelOps<Vector256<float>>.LowGate(Vector256<float> pairs) =>
        Vector256.ShiftLeft(pairs.AsUInt32(), 16).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IBFloat16PanelOps<Vector256<float>>.HighGate(Vector256<float> pairs, Vector256<float> highHalves) =>
        (pairs.AsUInt32() & highHalves.AsUInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IBFloat16PanelOps<Vector256<float>>.FromSpan(ReadOnlySpan<float> values) => Vector256.Create(values);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void IBFloat16PanelOps<Vector256<float>>.ToSpan(Vector256<float> value, Span<float> destination) => value.CopyTo(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float IBFloat16PanelOps<Vector256<float>>.GetElement(Vector256<float> value, int index) => value.GetElement(index);
}

public readonly partial struct KernelOps128 : IBFloat16PanelOps<Vector128<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IBFloat16PanelOps<Vector128<float>>.LoadPairs(ref uint source, int index) =>
        Vector128.LoadUnsafe(ref source, (nuint)index).AsSingle();

    static Vector128<float> IBFloat16PanelOps<Vector128<float>>.HighHalves => Vector128.Create(0xFFFF0000u).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IBFloat16PanelOps<Vector128<float>>.LowGate(Vector128<float> pairs) =>
        Vector128.ShiftLeft(pairs.AsUInt32(), 16).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IBFloat16PanelOps<Vector128<float>>.HighGate(Vector128<float> pairs, Vector128<float> highHalves) =>
        (pairs.AsUInt32() & highHalves.AsUInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IBFloat16PanelOps<Vector128<float>>.FromSpan(ReadOnlySpan<float> values) => Vector128.Create(values);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void IBFloat16PanelOps<Vector128<float>>.ToSpan(Vector128<float> value, Span<float> destination) => value.CopyTo(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float IBFloat16PanelOps<Vector128<float>>.GetElement(Vector128<float> value, int index) => value.GetElement(index);
}
