using System.Linq;

namespace CodeGenLstm.Generators.Emitting.Cells;

/// <summary>
/// The loop over hidden units that every pointwise cell kernel is written in. A kernel's vector body is written
/// once, as a method generic over the runtime's <c>IKernelOps&lt;TVec&gt;</c> (<see cref="EmitVectorBody"/>); the
/// kernel calls it with the ops of the width it runs at, then finishes the units left over (all of them on the
/// scalar path, the reference) with its scalar body (<see cref="EmitDispatch"/>). The JIT compiles the generic
/// method once per width, with the width's intrinsics inlined, as if the body had been written for each.
/// </summary>
internal static class UnitLoop
{
    // The kernels class is in namespace CodeGenLstm.Generated, beside the runtime's ops (src/CodeGenLstm/Generated/KernelOps.cs).

    /// <summary>The runtime's vector operations at one width, a struct per width.</summary>
    public static string Ops(VectorWidth v) => $"KernelOps{v.Bits}";

    /// <summary>The constraint of a vector body's type parameters.</summary>
    private const string Constraint = "where TOps : struct, IKernelOps<TVec> where TVec : struct";

    /// <summary>
    /// The unit loop of a kernel, one level inside the method whose braces the caller writes as text: j from j0,
    /// the vector body <paramref name="vectorMethod"/> at each width that has whole vectors of H units (it advances j
    /// over the whole vectors of [j, j1)), then <paramref name="scalarBody"/> for the units left.
    /// <paramref name="arguments"/> are the vector body's after <c>ref j, j1</c>; <paramref name="result"/>, when
    /// given, receives its value.
    /// </summary>
    public static void EmitDispatch(SourceWriter w, int hidden, string vectorMethod, string arguments, string scalarBody, string? result = null)
    {
        w.Indented(1, () =>
        {
            w.Line("int j = j0;");
            bool first = true;
            foreach (VectorWidth v in VectorWidth.All)
            {
                if (hidden < v.Lanes) continue;
                w.Line($"{(first ? "" : "else ")}if ({v.Condition}) {(result is null ? "" : result + " = ")}{vectorMethod}<{Ops(v)}, {v.Type}>(ref j, j1, {arguments});");
                first = false;
            }
            using (w.Block("for (; j < j1; j++)"))
                w.Line(scalarBody);
        });
    }

    /// <summary>
    /// A kernel's vector body, once for every width: a method generic over the ops, inlined into each of the kernel's
    /// calls, that runs <paramref name="body"/> for the whole vectors of [j, j1) (j, a multiple of TOps.Count from j0,
    /// in scope) and leaves j after the last. <paramref name="parameters"/> follow <c>ref int j, int j1</c>.
    /// </summary>
    public static void EmitVectorBody(SourceWriter w, int hidden, string kernel, string method, string parameters, string body,
        string returnType = "void", string? prologue = null, string? epilogue = null)
    {
        if (hidden < VectorWidth.V128.Lanes) return;  // no width has a whole vector of units: the kernel is scalar only
        w.Line($"/// <summary>The vector body of {kernel}, written once: the JIT compiles it for each width's ops.</summary>");
        w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        w.Line($"private static {returnType} {method}<TOps, TVec>(ref int j, int j1, {parameters})");
        using (w.Block("    " + Constraint))
        {
            // A plain RNN's body has one gate and needs no offsets, hence no H.
            if (System.Text.RegularExpressions.Regex.IsMatch(body, @"\bH\b")) w.Line($"const int H = {Literals.Int(hidden)};");
            if (prologue is not null) w.Line(prologue);
            using (w.Block("for (; j + TOps.Count <= j1; j += TOps.Count)"))
                w.Line(body);
            if (epilogue is not null) w.Line(epilogue);
        }
        w.Line();
    }

    /// <summary>The arguments that pass <paramref name="parameters"/> through: "ref float ga, bool keep" gives "ref ga, keep".</summary>
    public static string Arguments(string parameters) => string.Join(", ", parameters.Split(',')
        .Select(p => p.Trim().Split(' '))
        .Select(p => p[0] == "ref" ? "ref " + p[p.Length - 1] : p[p.Length - 1]));

    /// <summary>
    /// The unit loop of a backward kernel, and its end: dh = dhAbove + dhRecurrent is formed first and its squares
    /// summed (vector lanes, then across them), as every cell's backward returns them; the bodies follow with dh in
    /// scope. Writes the method's closing brace, then the vector body (<paramref name="vectorMethod"/>, which
    /// takes <c>ref float up, ref float rec</c> then <paramref name="parameters"/>).
    /// </summary>
    public static void EmitGradient(SourceWriter w, int hidden, string kernel, string vectorMethod, string parameters, string vectorBody, string scalarBody)
    {
        parameters = "ref float up, ref float rec, " + parameters;
        w.Line("    float squares = 0f;");
        EmitDispatch(w, hidden, vectorMethod, Arguments(parameters), result: "squares", scalarBody: """
            float dh = dhAbove[j] + dhRecurrent[j];
            squares += dh * dh;

            """ + scalarBody);
        w.Line("    return squares;");
        w.Line("}");
        w.Line();
        EmitVectorBody(w, hidden, kernel, vectorMethod, parameters, returnType: "float",
            prologue: "TVec squareSum = TOps.Zero;",
            body: """
                TVec dh = TOps.Add(TOps.Load(ref up, j), TOps.Load(ref rec, j));
                squareSum = TOps.MultiplyAdd(dh, dh, squareSum);

                """ + vectorBody,
            epilogue: "return TOps.Sum(squareSum);");
    }
}
