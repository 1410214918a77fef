using System.Collections.Generic;
using CodeGenLstm.Generators.Emitting.Cells;
using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting;

/// <summary>The distinct size-specialised kernels one model needs: its cells and recurrent terms, each emitted once.</summary>
internal sealed class KernelSet
{
    public KernelSet(ModelLayout layout)
    {
        foreach (Stage stage in layout.Stages)
        {
            switch (stage.Kind)
            {
                case LayerKind.Embedding:
                case LayerKind.Dense:
                    break;  // their products are the runtime's, for any sizes
                default:
                    Cells.Add((stage.Kind, stage.Hidden, stage.Cell.Activation));
                    if (RecurrenceInRuntime(stage.Kind)) Shapes.Add((stage.Kind, stage.Hidden));
                    else Recurrences.Add((stage.Kind, stage.Hidden));
                    break;
            }
        }
    }

    /// <summary>(cell kind, H, activation) of the pointwise cell kernels (<see cref="RecurrentCell.EmitKernels"/>).</summary>
    public SortedSet<(LayerKind Kind, int Hidden, ActivationKind Activation)> Cells { get; } = new(
        Comparer<(LayerKind Kind, int Hidden, ActivationKind Activation)>.Create((x, y) =>
            x.Kind != y.Kind ? x.Kind.CompareTo(y.Kind) : x.Hidden != y.Hidden ? x.Hidden.CompareTo(y.Hidden) : x.Activation.CompareTo(y.Activation)));

    /// <summary>(cell kind, H) of the recurrent term W_hh h_{t-1}: its packing and its micro-kernels.</summary>
    public SortedSet<(LayerKind Kind, int Hidden)> Recurrences { get; } = new();

    /// <summary>
    /// (cell kind, H) of the file-local shape structs the runtime's RecurrenceKernels are called with: the recurrent
    /// term depends on the stage only through H and the gate count.
    /// </summary>
    public SortedSet<(LayerKind Kind, int Hidden)> Shapes { get; } = new();

    /// <summary>Whether the runtime's RecurrenceKernels compute this kind's recurrent term (else it is emitted).</summary>
    public static bool RecurrenceInRuntime(LayerKind kind) => kind == LayerKind.Lstm;

    /// <summary>"LstmShape32": the file-local struct that gives RecurrenceKernels H = 32 and the LSTM's 4 gates.</summary>
    public static string ShapeName(LayerKind kind, int hidden) => $"{kind}Shape{Literals.Int(hidden)}";

    public static string RecurrenceName(LayerKind kind, int hidden) => $"{kind}Recurrence_H{hidden}";
    public static string PackRecurrenceName(LayerKind kind, int hidden) => $"Pack{kind}Recurrence_H{hidden}";
}
