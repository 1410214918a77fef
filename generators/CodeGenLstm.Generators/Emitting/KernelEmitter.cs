using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting;

/// <summary>
/// Emits the numerical kernels of one model into a file-local static class: matrix products
/// specialised on their compile-time sizes (with register-blocked micro-kernels per vector width that
/// read weights packed into panels), the recurrent term of each cell with its packing, and the
/// pointwise gate computations. Every kernel has a vector body per width (512, 256, 128 bits, chosen
/// by the caller's <c>width</c> and by the JIT's <c>IsHardwareAccelerated</c>, which it folds to a
/// constant) and a scalar body, the reference that the vector bodies are tested against.
/// Split into KernelEmitter.*.cs by kind of kernel.
/// </summary>
internal static partial class KernelEmitter
{
    public static void Emit(SourceWriter w, ModelLayout layout, string kernelsClass)
    {
        var kernels = new KernelSet(layout);
        w.Line($"/// <summary>The numerical kernels of the model {layout.Spec.ClassName}, specialised on its sizes.</summary>");
        w.Line("/// <remarks>");
        w.Line("/// Every kernel takes <c>width</c>, the vector width in bits the model chose for this call (512, 256,");
        w.Line("/// 128, or 0 for the scalar reference), and runs the widest body that is both asked for and");
        w.Line("/// accelerated; the JIT removes the bodies this machine cannot run. Multiply-adds use");
        w.Line("/// MultiplyAddEstimate: one fused instruction where the hardware has FMA, multiply then add where not.");
        w.Line("/// Each kernel first checks that its spans are long enough for what it will touch, so that the");
        w.Line("/// unchecked vector loads inside can never leave them. The vector bodies compute tanh and sigmoid");
        w.Line("/// with FastTanh and FastSigmoid (largest error 3e-7 and 1.7e-7); the scalar reference with MathF.");
        w.Line("/// Kernels that several threads run at once");
        w.Line("/// take the share of rows, columns or hidden units to compute; every number is computed the same");
        w.Line("/// way whatever the share, so results do not depend on the number of threads.");
        w.Line("/// </remarks>");
        w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"CodeGenLstm.Generators\", \"" + ModelEmitter.Version + "\")]");
        using (w.Block($"file static class {kernelsClass}"))
        {
            // The kernels that do not depend on sizes (helpers, packing, micro-kernels) are in the runtime's
            // SharedKernels, written by EmitShared below; only the size-specialised ones are emitted per model.
            foreach (var (k, n) in kernels.Products) EmitProduct(w, k, n);
            foreach (var (n1, n2) in kernels.TransposedProducts) EmitTransposedProduct(w, n1, n2);
            foreach (int n in kernels.ColumnSums) EmitColumnSums(w, n);
            foreach (var (kind, hidden) in kernels.Recurrences) EmitRecurrence(w, kind, hidden);
            foreach (var (kind, hidden, activation) in kernels.Cells)
            {
                switch (kind)
                {
                    case LayerKind.Lstm: EmitLstm(w, hidden); break;
                    case LayerKind.Gru: EmitGru(w, hidden); break;
                    default: EmitRnn(w, hidden, activation); break;
                }
            }
        }
    }

    /// <summary>
    /// Written above every kernel: compile it fully optimised at its first call. Without it the JIT's first tier
    /// compiles a kernel without optimisation (its loops later replaced on the stack), and a model's first calls run
    /// several times slower than the same calls a second later, once tiered compilation has caught up. These methods
    /// are hot from the first call on and gain nothing from the first tier's profile, so they skip it.
    /// </summary>
    internal const string Optimized = "[MethodImpl(MethodImplOptions.AggressiveOptimization)]";

    /// <summary>The runtime class that holds the kernels every model shares (src/CodeGenLstm/Generated/SharedKernels.g.cs).</summary>
    public const string SharedClass = "global::CodeGenLstm.Generated.SharedKernels";

    /// <summary>
    /// The text of src/CodeGenLstm/Generated/SharedKernels.g.cs: the kernels that do not depend on a model's sizes
    /// (helpers, weight packing, the products' register-blocked micro-kernels), once in the runtime instead of in
    /// every generated model. Written by this emitter so that there is one source; a test keeps the checked-in
    /// file equal to it (SharedKernelsTests).
    /// </summary>
    public static string EmitShared()
    {
        var body = new SourceWriter();
        EmitHelpers(body);
        EmitPacking(body);
        foreach (VectorWidth v in VectorWidth.All) EmitProductMicroKernels(body, v);
        foreach (VectorWidth v in VectorWidth.All) EmitTransposedMicroKernels(body, v);
        // Generated models call these from their own assembly: every member is public here.
        string members = System.Text.RegularExpressions.Regex.Replace(body.ToString(), @"^(\s*)(?:private|internal) static ", "$1public static ",
            System.Text.RegularExpressions.RegexOptions.Multiline);

        var w = new SourceWriter();
        w.Line($$"""
            // <auto-generated/>
            // Written by CodeGenLstm.Generators' KernelEmitter.EmitShared: change the emitter, then rerun the generator
            // tests with CODEGENLSTM_ACCEPT_SNAPSHOTS=1 (SharedKernelsTests rewrites this file).
            #nullable enable
            #pragma warning disable CS1591 // the members are documented where it helps; they are not for users

            namespace CodeGenLstm.Generated
            {
                using System;
                using System.ComponentModel;
                using System.Runtime.CompilerServices;
                using System.Runtime.InteropServices;
                using System.Runtime.Intrinsics;

                /// <summary>
                /// The kernels that every generated model shares, whatever its sizes: helpers, weight packing and the
                /// register-blocked micro-kernels of the matrix products. A model's own kernels class holds what is
                /// specialised on its sizes and calls these. Not for direct use.
                /// </summary>
                [EditorBrowsable(EditorBrowsableState.Never)]
                [global::System.CodeDom.Compiler.GeneratedCode("CodeGenLstm.Generators", "{{ModelEmitter.Version}}")]
                public static class SharedKernels
                {
            """);
        w.Indented(2, () => w.Line(members.TrimEnd('\n', '\r')));
        w.Line("""
                }
            }
            """);
        return w.ToString();
    }

    private static string I(int value) => Literals.Int(value);

    // ------------------------------------------------------------------------------------------
    // Helpers that do not depend on sizes.
    // ------------------------------------------------------------------------------------------

    private static void EmitHelpers(SourceWriter w)
    {
        w.Line($$"""
            [MethodImpl(MethodImplOptions.NoInlining)]
            private static void ThrowExtent(string kernel) =>
                throw new InvalidOperationException($"CodeGenLstm internal error: {kernel} was given a buffer too short for its sizes.");

            /// <summary>
            /// Columns of a packed weight panel at this width: the register block of the matrix products
            /// ({{VectorWidth.V512.PanelWidth}}, {{VectorWidth.V256.PanelWidth}} or {{VectorWidth.V128.PanelWidth}} floats), 1 for the scalar reference.
            /// </summary>
            internal static int PanelWidth(int width) =>
                width == 512 && Vector512.IsHardwareAccelerated ? {{VectorWidth.V512.PanelWidth}} :
                width == 256 && Vector256.IsHardwareAccelerated ? {{VectorWidth.V256.PanelWidth}} :
                width == 128 && Vector128.IsHardwareAccelerated ? {{VectorWidth.V128.PanelWidth}} : 1;

            /// <summary>
            /// Part <paramref name="part"/>'s share [start, end) of <paramref name="count"/> items cut in whole
            /// chunks of <paramref name="chunk"/> (the last chunk may be short): shares differ by at most one chunk.
            /// </summary>
            internal static void Split(int count, int chunk, int part, int parts, out int start, out int end)
            {
                long chunks = (count + chunk - 1) / chunk;
                start = (int)Math.Min(count, chunks * part / parts * chunk);
                end = (int)Math.Min(count, chunks * (part + 1) / parts * chunk);
            }

            /// <summary>
            /// Part <paramref name="part"/>'s share of a product with <paramref name="rows"/> rows and
            /// <paramref name="columns"/> columns: whole chunks of {{VectorWidth.Chunk}} columns when there is at least one per
            /// part (each part then reads only its panels of the weights), else rows.
            /// </summary>
            internal static void SplitProduct(int rows, int columns, int part, int parts, out int rowStart, out int rowEnd, out int columnStart, out int columnEnd)
            {
                if ((columns + {{VectorWidth.Chunk - 1}}) / {{VectorWidth.Chunk}} >= parts)
                {
                    rowStart = 0;
                    rowEnd = rows;
                    Split(columns, {{VectorWidth.Chunk}}, part, parts, out columnStart, out columnEnd);
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
            /// part gets at least two; 2, hidden units in chunks of {{VectorWidth.Chunk}} (one barrier per step) when a step
            /// is big enough to pay for the barrier; 0, part 0 alone.
            /// </summary>
            internal static int RecurrenceSplit(int batch, int hidden, int gates, int parts) =>
                parts <= 1 ? 0 :
                batch >= 2 * parts ? 1 :
                hidden >= 2 * {{VectorWidth.Chunk}} && (long)gates * hidden * hidden * batch >= 131072 ? 2 : 0;

            /// <summary>
            /// [batch, steps, width] rows (the caller's layout) into [steps, batch, width] rows (the workspace's: a
            /// step's rows together), zeros at the padded steps t &gt;= lengths[b].
            /// </summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            internal static void ToTimeMajor(ReadOnlySpan<float> source, Span<float> destination, ReadOnlySpan<int> lengths, int steps, int width)
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
            internal static void ToBatchMajor(ReadOnlySpan<float> source, Span<float> destination, int batch, int steps, int width)
            {
                if (source.Length < (long)batch * steps * width || destination.Length < (long)batch * steps * width) ThrowExtent(nameof(ToBatchMajor));
                for (int b = 0; b < batch; b++)
                    for (int t = 0; t < steps; t++)
                        source.Slice((t * batch + b) * width, width).CopyTo(destination.Slice((b * steps + t) * width, width));
            }

            /// <summary>Zeros at the padded steps (t &gt;= lengths[b]) of [steps, batch, width] rows.</summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            internal static void ZeroPaddedSteps(Span<float> data, ReadOnlySpan<int> lengths, int steps, int width)
            {
                int batch = lengths.Length;
                for (int t = 0; t < steps; t++)
                    for (int b = 0; b < batch; b++)
                        if (t >= lengths[b]) data.Slice((t * batch + b) * width, width).Clear();
            }

            /// <summary>y *= mask for [steps, batch, width] rows y and a [batch, steps, width] mask (dropout, as DropoutMask lays it out).</summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            internal static void MultiplyMask(int width, ReadOnlySpan<float> mask, Span<float> y, int batch, int steps, int rowWidth)
            {
                if (mask.Length < (long)batch * steps * rowWidth || y.Length < (long)batch * steps * rowWidth) ThrowExtent(nameof(MultiplyMask));
                for (int t = 0; t < steps; t++)
                    for (int b = 0; b < batch; b++)
                        Multiply(width, mask.Slice((b * steps + t) * rowWidth, rowWidth), y.Slice((t * batch + b) * rowWidth, rowWidth));
            }

            """);
        foreach (VectorWidth v in VectorWidth.All)
            w.Line(v.Apply("""
                /// <summary>
                /// tanh(x), {L} lanes, as a rational function: an odd degree-13 polynomial over an even degree-6 one
                /// (Eigen's fast tanh), x clamped to +-7.90531 where tanh(x) rounds to +-1, and tanh(x) = x below
                /// |x| = 0.0004. Largest error, absolute and relative, measured over every float: 2.92e-7 with fused
                /// multiply-add, 4.10e-7 without (FastActivationTests checks 3e-7 and 4.2e-7). NaN stays NaN. Two to six
                /// times faster than 1 - 2 / (e^2x + 1) with the runtime's vector exponential, which works in double.
                /// </summary>
                [MethodImpl(MethodImplOptions.AggressiveInlining)]
                private static {T} FastTanh({T} a)
                {
                    {T} x = {V}.Clamp(a, {V}.Create(-7.90531110763549805f), {V}.Create(7.90531110763549805f));
                    {T} x2 = x * x;
                    {T} p = {V}.MultiplyAddEstimate(x2, {V}.Create(-2.76076847742355e-16f), {V}.Create(2.00018790482477e-13f));
                    p = {V}.MultiplyAddEstimate(x2, p, {V}.Create(-8.60467152213735e-11f));
                    p = {V}.MultiplyAddEstimate(x2, p, {V}.Create(5.12229709037114e-08f));
                    p = {V}.MultiplyAddEstimate(x2, p, {V}.Create(1.48572235717979e-05f));
                    p = {V}.MultiplyAddEstimate(x2, p, {V}.Create(6.37261928875436e-04f));
                    p = {V}.MultiplyAddEstimate(x2, p, {V}.Create(4.89352455891786e-03f)) * x;
                    {T} q = {V}.MultiplyAddEstimate(x2, {V}.Create(1.19825839466702e-06f), {V}.Create(1.18534705686654e-04f));
                    q = {V}.MultiplyAddEstimate(x2, q, {V}.Create(2.26843463243900e-03f));
                    q = {V}.MultiplyAddEstimate(x2, q, {V}.Create(4.89352518554385e-03f));
                    return {V}.ConditionalSelect({V}.LessThan({V}.Abs(a), {V}.Create(0.0004f)), a, p / q);
                }

                /// <summary>sigmoid(x) = 1 / (1 + e^-x) = 0.5 + 0.5 tanh(x / 2), {L} lanes, with <see cref="FastTanh({V}{float})"/>: largest absolute error over every float 1.69e-7 with fused multiply-add, 2.27e-7 without.</summary>
                [MethodImpl(MethodImplOptions.AggressiveInlining)]
                private static {T} FastSigmoid({T} x) =>
                    {V}.MultiplyAddEstimate({V}.Create(0.5f), FastTanh(x * 0.5f), {V}.Create(0.5f));

                """));
        w.Line($$"""
            /// <summary>y += x, element by element.</summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            internal static void Add(int width, ReadOnlySpan<float> x, Span<float> y)
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
            internal static void Multiply(int width, ReadOnlySpan<float> mask, Span<float> y)
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

            """);
    }
}
