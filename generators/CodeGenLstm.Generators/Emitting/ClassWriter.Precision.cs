using System.Linq;
using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting;

/// <summary>
/// Reduced-precision inference: the InferencePrecision property, and the three places a recurrent stage meets it
/// (the reduced copy of W_hh built in the packing protocol, recorded with the panels, and read by the recurrence
/// instead of the float32 kernel). The copy and its kernels are runtime code (ReducedRecurrentWeights).
/// </summary>
internal sealed partial class ClassWriter
{
    private const string Precision = "global::CodeGenLstm.InferencePrecision";

    /// <summary>The field behind the property, and the property.</summary>
    public void EmitPrecision()
    {
        string prepare = string.Join("\n", _layout.Stages.Where(s => s.IsRecurrent).Select(s =>
            $"foreach (global::CodeGenLstm.Generated.RecurrentBuffers buffers in _stage{I(s.Index)}) buffers.ReducedHh.Prepare(value, {I(s.GateWidth)}, {I(s.Hidden)});"));
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

    /// <summary>The packing step of the reduced copy of W_hh (each part its share of rows), when stale.</summary>
    private string BuildReduced(Stage stage) => $$"""
        if (precision != {{Precision}}.Float32 && buffers.ReducedHh.IsStale(version, precision))
            buffers.ReducedHh.Build(precision, p.Slice({{Pick(stage, TensorRole.WeightHh)}}, G * H), part, parts);
        """;

    /// <summary>The record of the reduced copy, with the stamps, by part 0 after a barrier.</summary>
    private const string RecordReduced = $"if (precision != {Precision}.Float32) buffers.ReducedHh.Record(version, precision);";

    /// <summary>The recurrent term of one step: the reduced copy in reduced-precision inference, else the float32 kernel call.</summary>
    private static string RecurrentTerm(string bias, string target, string float32Call) => $$"""
        if (precision != {{Precision}}.Float32) buffers.ReducedHh.AddRecurrentTerm(precision, width, hPrev, {{bias}}, {{target}}, G, b0, b1, j0, j1);
        else {{float32Call}}
        """;
}
