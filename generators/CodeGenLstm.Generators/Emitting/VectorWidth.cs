using System.Linq;

namespace CodeGenLstm.Generators.Emitting;

/// <summary>
/// One of the three vector widths the kernels are emitted for, with the register-blocking factors of
/// its micro-kernels. The factors fit the register file: AVX-512 has 32 vector registers, AVX2 and
/// SSE/NEON 16 (and Vector256 code may run where only AVX2 exists).
/// </summary>
internal sealed class VectorWidth
{
    // 512: 6 x 4 accumulators + 4 B vectors + 1 broadcast = 29 of 32 registers (the recurrent step too: 6 sequences x 4 gates).
    // 256 and 128: 6 x 2 + 2 + 1 = 15 of 16 (the recurrent step: 2 sequences x up to 4 gates + 4 + 1 = 13).
    public static readonly VectorWidth V512 = new(512, gemmRows: 6, gemmVectors: 4, stepRows: 6);
    public static readonly VectorWidth V256 = new(256, gemmRows: 6, gemmVectors: 2, stepRows: 2);
    public static readonly VectorWidth V128 = new(128, gemmRows: 6, gemmVectors: 2, stepRows: 2);

    /// <summary>Widest first: the order in which the kernels test for hardware support.</summary>
    public static readonly VectorWidth[] All = { V512, V256, V128 };

    /// <summary>
    /// Work is split between threads in chunks of this many columns (or hidden units): a multiple of
    /// every panel width, so that a chunk is computed the same way whichever thread computes it.
    /// </summary>
    public const int Chunk = 64;

    private VectorWidth(int bits, int gemmRows, int gemmVectors, int stepRows)
    {
        Bits = bits;
        GemmRows = gemmRows;
        GemmVectors = gemmVectors;
        StepRows = stepRows;
    }

    public int Bits { get; }

    /// <summary>Floats per vector.</summary>
    public int Lanes => Bits / 32;

    /// <summary>Rows of C a matrix-product micro-kernel computes at once (each loaded B vector is used this many times).</summary>
    public int GemmRows { get; }

    /// <summary>Vectors per row a matrix-product micro-kernel keeps in registers (each broadcast A element is used this many times).</summary>
    public int GemmVectors { get; }

    /// <summary>Columns of a packed weight panel: GemmVectors vectors.</summary>
    public int PanelWidth => GemmVectors * Lanes;

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
