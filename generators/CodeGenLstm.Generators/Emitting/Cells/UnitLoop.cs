namespace CodeGenLstm.Generators.Emitting.Cells;

/// <summary>The loop over hidden units that every pointwise cell kernel is written in.</summary>
internal static class UnitLoop
{
    public static void Emit(SourceWriter w, int hidden, string vectorBody, string scalarBody, string? vectorPrologue = null, string? vectorEpilogue = null)
    {
        w.Line("int j = j0;");
        bool first = true;
        foreach (VectorWidth v in VectorWidth.All)
        {
            if (hidden < v.Lanes) continue;
            using (w.Block($"{(first ? "" : "else ")}if ({v.Condition})"))
            {
                if (vectorPrologue is not null) w.Line(v.Apply(vectorPrologue));
                using (w.Block(v.Apply("for (; j + {L} <= j1; j += {L})")))
                    w.Line(v.Apply(vectorBody));
                if (vectorEpilogue is not null) w.Line(v.Apply(vectorEpilogue));
            }
            first = false;
        }
        using (w.Block("for (; j < j1; j++)"))
            w.Line(scalarBody);
    }

    /// <summary><see cref="Emit"/> one level deeper, inside a method whose braces the caller writes as text.</summary>
    public static void EmitIndented(SourceWriter w, int hidden, string vectorBody, string scalarBody, string? vectorPrologue = null, string? vectorEpilogue = null)
    {
        var inner = new SourceWriter();
        Emit(inner, hidden, vectorBody, scalarBody, vectorPrologue, vectorEpilogue);
        foreach (string line in inner.ToString().TrimEnd('\n').Split('\n'))
            w.Line(line.Length == 0 ? "" : "    " + line);
    }

    /// <summary>
    /// The unit loop of a backward kernel, and its end: dh = dhAbove + dhRecurrent is formed first and its squares
    /// summed (vector lanes, then across them), as every cell's backward returns them; the bodies follow with dh in
    /// scope. Writes the method's closing brace.
    /// </summary>
    public static void EmitGradient(SourceWriter w, int hidden, string vectorBody, string scalarBody)
    {
        w.Line("    float squares = 0f;");
        EmitIndented(w, hidden,
            vectorPrologue: "{T} squareSum = {T}.Zero;",
            vectorBody: """
                {T} dh = {V}.LoadUnsafe(ref up, (nuint)j) + {V}.LoadUnsafe(ref rec, (nuint)j);
                squareSum = {V}.MultiplyAddEstimate(dh, dh, squareSum);

                """ + vectorBody,
            vectorEpilogue: "squares = {V}.Sum(squareSum);",
            scalarBody: """
                float dh = dhAbove[j] + dhRecurrent[j];
                squares += dh * dh;

                """ + scalarBody);
        w.Line("    return squares;");
        w.Line("}");
        w.Line();
    }
}
