using System.Linq;
using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting;

/// <summary>
/// Reduced-precision inference: the InferencePrecision property, and the three places a recurrent stage meets it
/// (the reduced copy of W_hh built in the packing protocol, recorded with the panels, and read by the recurrence
/// instead of the float32 kernel). In int8 the same for W_ih: its copy gives the input projection of every step instead
/// of the float32 product. The copies and their kernels are runtime code (ReducedRecurrentWeights).
/// </summary>
internal sealed partial class ClassWriter
{
    private const string Precision = "global::CodeGenLstm.InferencePrecision";

    /// <summary>The field behind the property, and the property.</summary>
    public void EmitPrecision()
    {
        string prepare = string.Join("\n", _layout.Stages.Where(s => s.IsRecurrent).Select(s =>
            $"foreach (global::CodeGenLstm.Generated.RecurrentBuffers buffers in _stage{I(s.Index)}) {{ buffers.ReducedHh.Prepare(value, {I(s.GateWidth)}, {I(s.Hidden)}); " +
            $"if (value == {Precision}.Int8 && global::CodeGenLstm.Generated.ReducedRecurrentWeights.QuantizesInput({I(s.GateWidth)}, {I(s.InputWidth)})) buffers.ReducedIh.Prepare(value, {I(s.GateWidth)}, {I(s.Hidden)}, {I(s.InputWidth)}); }}"));
        _w.Line($$"""
            private {{Precision}} _precision;  // what InferencePrecision says; inference calls read it, training calls never

            {{InheritDoc}}
            {{GeneratedCode}}
            public {{Precision}} InferencePrecision
            {
                get => _precision;
                set
                {
                    if (value is not ({{Precision}}.Float32 or {{Precision}}.BFloat16 or {{Precision}}.Int8))
                        throw new global::System.ArgumentOutOfRangeException(nameof(value), value, "InferencePrecision must be Float32, BFloat16 or Int8.");
                    {{EnterCall}}
                    {{Indent(prepare.Length == 0 ? "// No recurrent layer: nothing is reduced." : "// The reduced copies' storage, allocated here rather than in a call.\n" + prepare, 2)}}
                    _precision = value;
                }
            }

            """);
    }

    /// <summary>The locals of a recurrent stage's forward: the precision of this call's recurrence (float32 in training).</summary>
    private const string PrecisionLocals =
        "global::CodeGenLstm.InferencePrecision precision = _training ? global::CodeGenLstm.InferencePrecision.Float32 : _precision;";

    /// <summary>
    /// Whether the input projection runs from the int8 copy of W_ih: in int8 inference, when the setter of
    /// InferencePrecision allocated that copy, which it does where quantizing the input pays and the int8 kernels take
    /// the input (ReducedRecurrentWeights.QuantizesInput: a W_ih too large for the caches); else the float32 product.
    /// </summary>
    private static string Int8Input(Stage stage) =>
        $"precision == {Precision}.Int8 && _stage{I(stage.Index)}[0].ReducedIh.HoldsInt8";

    /// <summary>The packing step of the reduced copies of W_hh and, in int8, W_ih (each part its share of rows), when stale.</summary>
    private string BuildReduced(Stage stage) => $$"""
        if (precision != {{Precision}}.Float32 && buffers.ReducedHh.IsStale(version, precision))
            buffers.ReducedHh.Build(precision, p.Slice({{Pick(stage, TensorRole.WeightHh)}}, G * H), part, parts);
        if ({{Int8Input(stage)}} && buffers.ReducedIh.IsStale(version, precision))
            buffers.ReducedIh.Build(precision, p.Slice({{Pick(stage, TensorRole.WeightIh)}}, G * In), part, parts);
        """;

    /// <summary>The record of the reduced copies, with the stamps, by part 0 after a barrier.</summary>
    private static string RecordReduced(Stage stage) => $$"""
        if (precision != {{Precision}}.Float32) buffers.ReducedHh.Record(version, precision);
        if ({{Int8Input(stage)}}) buffers.ReducedIh.Record(version, precision);
        """;

    /// <summary>
    /// The input projection of this part's share from the int8 copy of W_ih, the rows x[t, b] in the place of h (each
    /// its own scale), PackedBias the start. The share: hidden units in chunks of 64 when there are two chunks a part
    /// (W_ih read once in all), else rows.
    /// </summary>
    private static string Int8InputShare(Stage stage) => stage.Hidden >= 128
        ? $"{KernelEmitter.SharedClass}.Split(H, 64, part, parts, out int u0, out int u1);\nint q0 = 0, q1 = rows;"
        : $"{KernelEmitter.SharedClass}.Split(rows, 1, part, parts, out int q0, out int q1);\nint u0 = 0, u1 = H;";

    /// <summary>The int8 input projection of one direction (see <see cref="Int8InputShare"/>).</summary>
    private const string Int8InputProjection =
        "buffers.ReducedIh.AddRecurrentTerm(precision, width, x, buffers.PackedBias, buffers.Gates.AsSpan(0, rows * G), G, q0, q1, u0, u1);";

    /// <summary>The recurrent term of one step: the reduced copy in reduced-precision inference, else the float32 kernel call.</summary>
    private static string RecurrentTerm(string bias, string target, string float32Call) => $$"""
        if (precision != {{Precision}}.Float32) buffers.ReducedHh.AddRecurrentTerm(precision, width, hPrev, {{bias}}, {{target}}, G, b0, b1, j0, j1);
        else {{float32Call}}
        """;
}
