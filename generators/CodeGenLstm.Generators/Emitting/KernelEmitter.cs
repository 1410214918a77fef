using CodeGenLstm.Generators.Emitting.Cells;
using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting;

/// <summary>
/// Emits the numerical kernels of one model into a file-local static class: the pointwise gate computations,
/// specialised on the model's sizes (each cell writes its own, Cells/), and beside it a file-local shape struct per
/// recurrent term. The recurrent term W_hh h_{t-1} is the runtime's (RecurrenceKernels), which the model class
/// calls with that shape struct: H and the gate count are all it depends on, and the JIT folds them as it folded
/// the constants of a per-model copy. The matrix products are the runtime's too (SharedKernels.MatMul,
/// MatMulTransposedA, AddColumnSums), called with the sizes as constants: their reductions run in micro-kernels
/// that take the length as an argument anyway, so a copy per shape would only fix a few comparisons. Every kernel
/// has a vector body per width (512, 256, 128 bits, chosen by the caller's <c>width</c> and by the JIT's
/// <c>IsHardwareAccelerated</c>, which it folds to a constant) and a scalar body, the reference that the vector
/// bodies are tested against.
/// </summary>
internal static class KernelEmitter
{
    public static void Emit(SourceWriter w, ModelLayout layout, string kernelsClass)
    {
        var kernels = new KernelSet(layout);
        EmitShapes(w, kernels);
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
            // The kernels that do not depend on sizes (helpers, packing, the matrix products) are in the runtime's
            // SharedKernels, the recurrent term in its RecurrenceKernels; only the cells' kernels are emitted per model.
            foreach (var (kind, hidden, activation) in kernels.Cells)
                RecurrentCell.Of(kind, activation).EmitKernels(w, hidden);
        }
    }

    /// <summary>
    /// The shape structs of the model's recurrent stages, one per (cell kind, H): the runtime's RecurrenceKernels read
    /// H and the gate count from them as constants of the JIT, so that one runtime kernel compiles to the kernel
    /// written out for these sizes.
    /// </summary>
    private static void EmitShapes(SourceWriter w, KernelSet kernels)
    {
        if (kernels.Shapes.Count == 0) return;
        w.Line("// The sizes of the recurrent term W_hh h_{t-1}, which the runtime's RecurrenceKernels compute with H and the gates as constants.");
        foreach (var (kind, hidden) in kernels.Shapes)
            w.Line($"file readonly struct {KernelSet.ShapeName(kind, hidden)} : IRecurrentShape {{ public static int Hidden => {I(hidden)}; public static int Gates => {I(RecurrentCell.Of(kind).Gates)}; }}");
        w.Line();
    }

    /// <summary>The shape struct of a stage's recurrent term, as the model class names it (file-local, beside the kernels).</summary>
    public static string Shape(LayerKind kind, int hidden) => "global::CodeGenLstm.Generated." + KernelSet.ShapeName(kind, hidden);

    /// <summary>
    /// The runtime class that packs W_hh and computes the recurrent term for every cell and size
    /// (src/CodeGenLstm/Generated/RecurrenceKernels*.cs), called with a shape struct.
    /// </summary>
    public const string RecurrenceClass = "global::CodeGenLstm.Generated.RecurrenceKernels";

    /// <summary>
    /// Written above every kernel: compile it fully optimised at its first call. Without it the JIT's first tier
    /// compiles a kernel without optimisation (its loops later replaced on the stack), and a model's first calls run
    /// several times slower than the same calls a second later, once tiered compilation has caught up. These methods
    /// are hot from the first call on and gain nothing from the first tier's profile, so they skip it.
    /// </summary>
    internal const string Optimized = "[MethodImpl(MethodImplOptions.AggressiveOptimization)]";

    /// <summary>
    /// The runtime class that holds the kernels every model shares (src/CodeGenLstm/Generated/SharedKernels*.cs,
    /// written by hand): the generated code calls its helpers, packing and matrix products by these names.
    /// </summary>
    public const string SharedClass = "global::CodeGenLstm.Generated.SharedKernels";

    private static string I(int value) => Literals.Int(value);
}
