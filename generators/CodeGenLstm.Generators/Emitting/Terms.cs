namespace CodeGenLstm.Generators.Emitting;

/// <summary>
/// Arithmetic written as a reader would write it: a factor of 1 or a term of 0 is left out, so that the
/// emitted code says <c>rows</c>, not <c>1 * rows</c>, and <c>from</c>, not <c>0 + from</c>.
/// </summary>
internal static class Terms
{
    /// <summary><paramref name="expression"/> times a constant: "expression" for 1, "0" for 0, else "expression * factor".</summary>
    public static string Times(string expression, long factor) => factor switch
    {
        0 => "0",
        1 => expression,
        _ => $"{expression} * {Literals.Int(factor)}",
    };

    /// <summary>A constant plus <paramref name="expression"/>: "expression" when the constant is 0, else "constant + expression".</summary>
    public static string Plus(long constant, string expression) =>
        constant == 0 ? expression : $"{Literals.Int(constant)} + {expression}";
}
