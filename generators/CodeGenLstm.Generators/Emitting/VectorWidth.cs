namespace CodeGenLstm.Generators.Emitting;

/// <summary>
/// One of the three vector widths the cells' kernels are emitted for. The register-blocked micro-kernels
/// (the matrix products', the recurrent term's) and their blocking factors are the runtime's
/// (SharedKernels.GemmFamily.cs, RecurrenceKernels.Rows.cs).
/// </summary>
internal sealed class VectorWidth
{
    public static readonly VectorWidth V512 = new(512);
    public static readonly VectorWidth V256 = new(256);
    public static readonly VectorWidth V128 = new(128);

    /// <summary>Widest first: the order in which the kernels test for hardware support.</summary>
    public static readonly VectorWidth[] All = { V512, V256, V128 };

    /// <summary>
    /// Work is split between threads in chunks of this many columns (or hidden units): a multiple of
    /// every panel width, so that a chunk is computed the same way whichever thread computes it.
    /// </summary>
    public const int Chunk = 64;

    private VectorWidth(int bits)
    {
        Bits = bits;
    }

    public int Bits { get; }

    /// <summary>Floats per vector.</summary>
    public int Lanes => Bits / 32;

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
