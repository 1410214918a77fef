using System.Runtime.CompilerServices;

namespace CodeGenLstm.Generated;

// What the panel kernels of both reduced formats share (ReducedKernels.Int8Panels.cs, ReducedKernels.Int8Vnni.cs,
// ReducedKernels.BFloat16.cs).
internal static partial class ReducedKernels
{
    /// <summary>
    /// The sizes of one call: the units per gate (H; a gate's rows start units apart), gates, the column blocks of a panel
    /// (int8: pairs of columns, or groups of 4 with VNNI; 0 for bfloat16, whose W_hh has H columns), and c's row length.
    /// </summary>
    private readonly record struct PanelShape(int Units, int Gates, int Pairs, int Ldc);

    /// <summary>A panel's first hidden unit and the lanes [Lo, Hi) that are the call's share.</summary>
    private readonly record struct PanelTarget(int Unit, int Lo, int Hi);

    /// <summary>The sums of a register block, kept in memory while they are finished (see Block and BFloat16Block).</summary>
    [InlineArray(24)]
    private struct Sums24<T>
    {
        private T _first;
    }

    [InlineArray(8)]
    private struct Sums8<T>
    {
        private T _first;
    }

    /// <summary>The constant 3 (a GRU's gates), for the panel kernels' gate count.</summary>
    private readonly struct Three : IConstant
    {
        public static int Value => 3;
    }
}
