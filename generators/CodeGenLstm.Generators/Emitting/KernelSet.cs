using System.Collections.Generic;
using CodeGenLstm.Generators.Emitting.Cells;
using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting;

/// <summary>
/// The distinct size-specialised code one model needs, each written once: its cells' pointwise kernels, and the shapes
/// of its recurrent terms, which the runtime's RecurrenceKernels compute.
/// </summary>
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
                    Shapes.Add((stage.Kind, stage.Hidden));
                    break;
            }
        }
    }

    /// <summary>(cell kind, H, activation) of the pointwise cell kernels (<see cref="RecurrentCell.EmitKernels"/>).</summary>
    public SortedSet<(LayerKind Kind, int Hidden, ActivationKind Activation)> Cells { get; } = new(
        Comparer<(LayerKind Kind, int Hidden, ActivationKind Activation)>.Create((x, y) =>
            x.Kind != y.Kind ? x.Kind.CompareTo(y.Kind) : x.Hidden != y.Hidden ? x.Hidden.CompareTo(y.Hidden) : x.Activation.CompareTo(y.Activation)));

    /// <summary>
    /// (cell kind, H) of the file-local shape structs the runtime's RecurrenceKernels are called with: the recurrent
    /// term depends on the stage only through H and the gate count.
    /// </summary>
    public SortedSet<(LayerKind Kind, int Hidden)> Shapes { get; } = new();

    /// <summary>"LstmShape32": the file-local struct that gives RecurrenceKernels H = 32 and the LSTM's 4 gates.</summary>
    public static string ShapeName(LayerKind kind, int hidden) => $"{kind}Shape{Literals.Int(hidden)}";

}
