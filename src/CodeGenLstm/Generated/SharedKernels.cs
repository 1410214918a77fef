using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CodeGenLstm.Generated;

// How the work of one call is cut between the worker threads, and the helpers every kernel uses.
/// <summary>
/// The kernels that every generated model shares, whatever its sizes: how work is cut between the worker
/// threads, time-major layout and element-wise helpers, the fast activations, weight packing and the
/// matrix products (their drivers, which take the sizes as arguments, and the register-blocked micro-kernels
/// under them). A model's own kernels class (in its generated file) holds what is specialised on its sizes.
/// </summary>
/// <remarks>
/// For generated code, not for users: hidden from IntelliSense, and outside the documented API. Every public
/// member takes spans and checks their extents; the micro-kernels take <c>ref float</c> and check nothing, so
/// they are internal, called only by the product drivers once those have checked the whole spans.
/// Generated code binds to these names: a change of signature is a change of the generated code's contract,
/// made together with the generator (docs/architecture.md lists the surface).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class SharedKernels
{
    /// <summary>Thrown by a kernel whose spans are shorter than its sizes need: a bug of the caller, never of the user.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowExtent(string kernel) =>
        throw new InvalidOperationException($"CodeGenLstm internal error: {kernel} was given a buffer too short for its sizes.");

    /// <summary>
    /// Columns of a packed weight panel at this width: the register block of the matrix products
    /// (64, 16 or 8 floats), 1 for the scalar reference.
    /// </summary>
    public static int PanelWidth(int width) =>
        width == 512 && Vector512.IsHardwareAccelerated ? 64 :
        width == 256 && Vector256.IsHardwareAccelerated ? 16 :
        width == 128 && Vector128.IsHardwareAccelerated ? 8 : 1;

    /// <summary>
    /// Part <paramref name="part"/>'s share [start, end) of <paramref name="count"/> items cut in whole
    /// chunks of <paramref name="chunk"/> (the last chunk may be short): shares differ by at most one chunk.
    /// </summary>
    public static void Split(int count, int chunk, int part, int parts, out int start, out int end)
    {
        long chunks = (count + chunk - 1) / chunk;
        start = (int)Math.Min(count, chunks * part / parts * chunk);
        end = (int)Math.Min(count, chunks * (part + 1) / parts * chunk);
    }

    /// <summary>
    /// Part <paramref name="part"/>'s share of a product with <paramref name="rows"/> rows and
    /// <paramref name="columns"/> columns: whole chunks of 64 columns when there is at least one per
    /// part (each part then reads only its panels of the weights), else rows.
    /// </summary>
    public static void SplitProduct(int rows, int columns, int part, int parts, out int rowStart, out int rowEnd, out int columnStart, out int columnEnd)
    {
        if ((columns + 63) / 64 >= parts)
        {
            rowStart = 0;
            rowEnd = rows;
            Split(columns, 64, part, parts, out columnStart, out columnEnd);
        }
        else
        {
            columnStart = 0;
            columnEnd = columns;
            Split(rows, 1, part, parts, out rowStart, out rowEnd);
        }
    }

    /// <summary>
    /// How the parts share a recurrence: 1, whole sequences (no synchronisation at all) when each
    /// part gets at least two; 2, hidden units in chunks of 64 (one barrier per step) when a step
    /// is big enough to pay for the barrier; 0, part 0 alone.
    /// </summary>
    public static int RecurrenceSplit(int batch, int hidden, int gates, int parts) =>
        parts <= 1 ? 0 :
        batch >= 2 * parts ? 1 :
        hidden >= 2 * 64 && (long)gates * hidden * hidden * batch >= 131072 ? 2 : 0;
}
