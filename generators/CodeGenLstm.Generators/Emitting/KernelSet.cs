using System.Collections.Generic;
using CodeGenLstm.Generators.Emitting.Cells;
using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting;

/// <summary>The distinct kernels one model needs: matrix shapes and cell sizes, each emitted once.</summary>
internal sealed class KernelSet
{
    public KernelSet(ModelLayout layout)
    {
        foreach (Stage stage in layout.Stages)
        {
            switch (stage.Kind)
            {
                case LayerKind.Embedding:
                    break;
                case LayerKind.Dense:
                    int inputs = stage.InputWidth;
                    Products.Add((inputs, stage.Hidden));          // y = x W^T + b
                    Products.Add((stage.Hidden, inputs));          // dx = dy W
                    TransposedProducts.Add((stage.Hidden, inputs)); // dW += dy^T x
                    ColumnSums.Add(stage.Hidden);                  // db += sum of dy rows
                    break;
                default:
                    int g = stage.GateWidth, h = stage.Hidden;
                    Products.Add((stage.InputWidth, g));           // input projection
                    Products.Add((g, h));                          // dh_prev = dG W_hh
                    Products.Add((g, stage.InputWidth));           // dx = dG W_ih
                    TransposedProducts.Add((g, stage.InputWidth)); // dW_ih += dG^T x
                    TransposedProducts.Add((g, h));                // dW_hh += dG^T h_prev
                    ColumnSums.Add(g);
                    Cells.Add((stage.Kind, h, stage.Cell.Activation));
                    Recurrences.Add((stage.Kind, h));
                    break;
            }
        }
    }

    /// <summary>(K, N) of C[m, N] = A[m, K] B[K, N].</summary>
    public SortedSet<(int K, int N)> Products { get; } = new();

    /// <summary>(N1, N2) of C[N1, N2] += A[m, N1]^T B[m, N2].</summary>
    public SortedSet<(int N1, int N2)> TransposedProducts { get; } = new();

    public SortedSet<int> ColumnSums { get; } = new();

    /// <summary>(cell kind, H, activation) of the pointwise cell kernels (<see cref="RecurrentCell.EmitKernels"/>).</summary>
    public SortedSet<(LayerKind Kind, int Hidden, ActivationKind Activation)> Cells { get; } = new(
        Comparer<(LayerKind Kind, int Hidden, ActivationKind Activation)>.Create((x, y) =>
            x.Kind != y.Kind ? x.Kind.CompareTo(y.Kind) : x.Hidden != y.Hidden ? x.Hidden.CompareTo(y.Hidden) : x.Activation.CompareTo(y.Activation)));

    /// <summary>(cell kind, H) of the recurrent term W_hh h_{t-1}: its packing and its micro-kernels.</summary>
    public SortedSet<(LayerKind Kind, int Hidden)> Recurrences { get; } = new();

    public static string ProductName(int k, int n) => $"MatMul_K{k}_N{n}";
    public static string TransposedProductName(int n1, int n2) => $"MatMulTransposedA_{n1}x{n2}";
    public static string ColumnSumName(int n) => $"AddColumnSums_N{n}";
    public static string RecurrenceName(LayerKind kind, int hidden) => $"{kind}Recurrence_H{hidden}";
    public static string PackRecurrenceName(LayerKind kind, int hidden) => $"Pack{kind}Recurrence_H{hidden}";
}
