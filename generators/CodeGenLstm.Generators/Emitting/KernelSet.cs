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
                    Recurrences.Add((stage.Kind, stage.Hidden));
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

    public static string RecurrenceName(LayerKind kind, int hidden) => $"{kind}Recurrence_H{hidden}";
    public static string PackRecurrenceName(LayerKind kind, int hidden) => $"Pack{kind}Recurrence_H{hidden}";
}
