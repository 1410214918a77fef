using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CodeGenLstm.Generated;

#pragma warning disable CS1591 // members without a summary are for generated code only (see SharedKernels.cs)

// Layout changes between the models' batch-major buffers and the time-major workspace, and element-wise operations.
public static partial class SharedKernels
{
    /// <summary>
    /// [batch, steps, width] rows (the caller's layout) into [steps, batch, width] rows (the workspace's: a
    /// step's rows together), zeros at the padded steps t &gt;= lengths[b].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToTimeMajor(ReadOnlySpan<float> source, Span<float> destination, ReadOnlySpan<int> lengths, int steps, int width)
    {
        int batch = lengths.Length;
        if (source.Length < (long)batch * steps * width || destination.Length < (long)batch * steps * width) ThrowExtent(nameof(ToTimeMajor));
        for (int t = 0; t < steps; t++)
            for (int b = 0; b < batch; b++)
            {
                Span<float> row = destination.Slice((t * batch + b) * width, width);
                if (t < lengths[b]) source.Slice((b * steps + t) * width, width).CopyTo(row);
                else row.Clear();
            }
    }

    /// <summary>[steps, batch, width] rows (the workspace's layout) back into [batch, steps, width] rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToBatchMajor(ReadOnlySpan<float> source, Span<float> destination, int batch, int steps, int width)
    {
        if (source.Length < (long)batch * steps * width || destination.Length < (long)batch * steps * width) ThrowExtent(nameof(ToBatchMajor));
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
                source.Slice((t * batch + b) * width, width).CopyTo(destination.Slice((b * steps + t) * width, width));
    }

    /// <summary>Zeros at the padded steps (t &gt;= lengths[b]) of [steps, batch, width] rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ZeroPaddedSteps(Span<float> data, ReadOnlySpan<int> lengths, int steps, int width)
    {
        int batch = lengths.Length;
        for (int t = 0; t < steps; t++)
            for (int b = 0; b < batch; b++)
                if (t >= lengths[b]) data.Slice((t * batch + b) * width, width).Clear();
    }

    /// <summary>y *= mask for [steps, batch, width] rows y and a [batch, steps, width] mask (dropout, as DropoutMask lays it out).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyMask(int width, ReadOnlySpan<float> mask, Span<float> y, int batch, int steps, int rowWidth)
    {
        if (mask.Length < (long)batch * steps * rowWidth || y.Length < (long)batch * steps * rowWidth) ThrowExtent(nameof(MultiplyMask));
        for (int t = 0; t < steps; t++)
            for (int b = 0; b < batch; b++)
                Multiply(width, mask.Slice((b * steps + t) * rowWidth, rowWidth), y.Slice((t * batch + b) * rowWidth, rowWidth));
    }

    /// <summary>y += x, element by element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(int width, ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length) ThrowExtent(nameof(Add));
        int j = 0;
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        if (width == 512 && Vector512.IsHardwareAccelerated)
            for (; j + 16 <= x.Length; j += 16)
                (Vector512.LoadUnsafe(ref yr, (nuint)j) + Vector512.LoadUnsafe(ref xr, (nuint)j)).StoreUnsafe(ref yr, (nuint)j);
        else if (width == 256 && Vector256.IsHardwareAccelerated)
            for (; j + 8 <= x.Length; j += 8)
                (Vector256.LoadUnsafe(ref yr, (nuint)j) + Vector256.LoadUnsafe(ref xr, (nuint)j)).StoreUnsafe(ref yr, (nuint)j);
        else if (width == 128 && Vector128.IsHardwareAccelerated)
            for (; j + 4 <= x.Length; j += 4)
                (Vector128.LoadUnsafe(ref yr, (nuint)j) + Vector128.LoadUnsafe(ref xr, (nuint)j)).StoreUnsafe(ref yr, (nuint)j);
        for (; j < x.Length; j++) y[j] += x[j];
    }

    /// <summary>y *= mask, element by element (dropout and its gradient).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(int width, ReadOnlySpan<float> mask, Span<float> y)
    {
        if (mask.Length < y.Length) ThrowExtent(nameof(Multiply));
        int j = 0;
        ref float mr = ref MemoryMarshal.GetReference(mask);
        ref float yr = ref MemoryMarshal.GetReference(y);
        if (width == 512 && Vector512.IsHardwareAccelerated)
            for (; j + 16 <= y.Length; j += 16)
                (Vector512.LoadUnsafe(ref yr, (nuint)j) * Vector512.LoadUnsafe(ref mr, (nuint)j)).StoreUnsafe(ref yr, (nuint)j);
        else if (width == 256 && Vector256.IsHardwareAccelerated)
            for (; j + 8 <= y.Length; j += 8)
                (Vector256.LoadUnsafe(ref yr, (nuint)j) * Vector256.LoadUnsafe(ref mr, (nuint)j)).StoreUnsafe(ref yr, (nuint)j);
        else if (width == 128 && Vector128.IsHardwareAccelerated)
            for (; j + 4 <= y.Length; j += 4)
                (Vector128.LoadUnsafe(ref yr, (nuint)j) * Vector128.LoadUnsafe(ref mr, (nuint)j)).StoreUnsafe(ref yr, (nuint)j);
        for (; j < y.Length; j++) y[j] *= mask[j];
    }
}
