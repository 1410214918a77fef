using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting;

/// <summary>
/// Writes <c>ISequenceModel.Architecture</c>: the declared layers as the generator resolved them, for code
/// that needs the architecture at run time (the ONNX exporter). One static read-only list per class (an
/// array behind a ReadOnlyCollection, so a caller cannot change it by casting), so a call allocates nothing
/// and every instance shares the same immutable records.
/// </summary>
internal static class ArchitectureWriter
{
    public static void Emit(SourceWriter w, ModelSpec spec)
    {
        w.Line("/// <summary>The declared layers, top to bottom, as the generator resolved them.</summary>");
        w.Line("private static readonly global::System.Collections.ObjectModel.ReadOnlyCollection<global::CodeGenLstm.LayerArchitecture> s_architecture = global::System.Array.AsReadOnly(new global::CodeGenLstm.LayerArchitecture[]");
        w.Line("{");
        foreach (LayerSpec layer in spec.Layers)
            w.Line($"    new(global::CodeGenLstm.LayerType.{layer.Kind}, {Literals.String(layer.Name)}, {Literals.Int(layer.InputSize)}, {Literals.Int(layer.Units)}, " +
                   $"{Literals.Int(layer.OutputSize)}, {Literals.Int(layer.IsRecurrent ? layer.StackedLayers : 1)}, {(layer.Bidirectional ? "true" : "false")}, " +
                   $"global::CodeGenLstm.Activation.{(layer.IsRecurrent ? Cells.RecurrentCell.Of(layer).Activation : ActivationKind.Tanh)}, {(layer.Residual ? "true" : "false")}, " +
                   $"global::CodeGenLstm.Readout.{(layer.Kind == LayerKind.Dense ? layer.Readout : ReadoutKind.EachStep)}, {Literals.Float(layer.IsRecurrent ? layer.Dropout : 0f)}){InitFacts(layer)},");
        w.Line("});");
        w.Line();
        w.Line("global::System.Collections.Generic.IReadOnlyList<global::CodeGenLstm.LayerArchitecture> global::CodeGenLstm.ISequenceModel.Architecture => s_architecture;");
        w.Line();
    }

    /// <summary>
    /// The initialisation facts the gradient analyzers read (Init, InitGain, ForgetBias), for a recurrent
    /// layer; nothing for the others, which keep the record's defaults.
    /// </summary>
    private static string InitFacts(LayerSpec layer)
    {
        if (!layer.IsRecurrent) return "";
        string facts = $" {{ Init = global::CodeGenLstm.RecurrentInit.{layer.Init}, InitGain = {Literals.Float(layer.InitGain)}";
        if (layer.Kind == LayerKind.Lstm) facts += $", ForgetBias = {Literals.Float(layer.ForgetBias)}";
        return facts + " }";
    }
}
