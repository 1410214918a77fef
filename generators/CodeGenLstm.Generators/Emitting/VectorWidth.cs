using System.Linq;

namespace CodeGenLstm.Generators.Emitting;

/// <summary>
/// One of the three vector widths the kernels are emitted for, with the register-blocking factor of
/// its recurrent-step micro-kernels. The factor fits the register file: AVX-512 has 32 vector registers,
/// AVX2 and SSE/NEON 16 (and Vector256 code may run where only AVX2 exists). The matrix products' own
/// factors are the runtime's (SharedKernels.GemmFamily.cs).
/// </summary>
internal sealed class VectorWidth
{
    // 512: the recurrent step's 6 sequences x 4 gates of accumulators + 4 weight vectors + 1 broadcast = 29 of 32 registers.
    // 256 and 128: 2 sequences x up to 4 gates + 4 + 1 = 13 of 16.
    public static readonly VectorWidth V512 = new(512, stepRows: 6);
    public static readonly VectorWidth V256 = new(256, stepRows: 2);
    public static readonly VectorWidth V128 = new(128, stepRows: 2);

    /// <summary>Widest first: the order in which the kernels test for hardware support.</summary>
    public static readonly VectorWidth[] All = { V512, V256, V128 };

    /// <summary>
    /// Work is split between threads in chunks of this many columns (or hidden units): a multiple of
    /// every panel width, so that a chunk is computed the same way whichever thread computes it.
    /// </summary>
    public const int Chunk = 64;

    private VectorWidth(int bits, int stepRows)
    {
        Bits = bits;
        StepRows = stepRows;
    }

    public int Bits { get; }

    /// <summary>Floats per vector.</summary>
    public int Lanes => Bits / 32;

    /// <summary>Sequences the recurrent-step micro-kernel computes at once.</summary>
    public int StepRows { get; }

    /// <summary>
    /// The row counts of a micro-kernel family: the block, then 4, 2 and 1 for the rows left over (a batch
    /// of 16 or 64 is whole blocks of 6 and one of 4, not four single rows).
    /// </summary>
    public static int[] RowVariants(int block) =>
        new[] { block, 4, 2, 1 }.Where(r => r <= block).Distinct().ToArray();

    /// <summary>"Vector512": the static class.</summary>
    public string Class => "Vector" + Bits;

    /// <summary>"Vector512&lt;float&gt;": the type.</summary>
    public string Type => Class + "<float>";

    /// <summary>The condition under which this width's code runs: the caller asked for it and the JIT accelerates it.</summary>
    public string Condition => $"width == {Bits} && {Class}.IsHardwareAccelerated";

    /// <summary>Substitutes {V} (class), {T} (type) and {L} (lanes) in a code template.</summary>
    public string Apply(string template) => template
        .Replace("{V}", Class)
        .Replace("{T}", Type)
        .Replace("{L}", Lanes.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
