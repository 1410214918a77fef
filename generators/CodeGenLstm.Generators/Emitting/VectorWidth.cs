namespace CodeGenLstm.Generators.Emitting;

/// <summary>
/// One of the three vector widths the kernels are emitted for, with the register-blocking factors
/// of its matrix-product micro-kernels.
/// </summary>
internal sealed class VectorWidth
{
    public static readonly VectorWidth V512 = new(512, rowBlock: 4, vectorBlock: 4);
    public static readonly VectorWidth V256 = new(256, rowBlock: 4, vectorBlock: 2);
    public static readonly VectorWidth V128 = new(128, rowBlock: 4, vectorBlock: 2);

    /// <summary>Widest first: the order in which the kernels test for hardware support.</summary>
    public static readonly VectorWidth[] All = { V512, V256, V128 };

    private VectorWidth(int bits, int rowBlock, int vectorBlock)
    {
        Bits = bits;
        RowBlock = rowBlock;
        VectorBlock = vectorBlock;
    }

    public int Bits { get; }

    /// <summary>Floats per vector.</summary>
    public int Lanes => Bits / 32;

    /// <summary>Rows of the output a micro-kernel computes at once (each loaded B vector is used this many times).</summary>
    public int RowBlock { get; }

    /// <summary>Vectors per row a micro-kernel keeps in registers (each broadcast A element is used this many times).</summary>
    public int VectorBlock { get; }

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
