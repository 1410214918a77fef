using System.Text;

namespace CodeGenLstm.Generators.Emitting.Cells;

/// <summary>
/// The head every pointwise cell kernel opens with, written here once so that a cell states only what is its own:
/// its summary, its spans and their extents, and the refs its vector body reads through. The head is the summary,
/// the signature (width and the units [j0, j1) before the spans), H, the extent check (which throws before any
/// unit is touched), the cell's own state locals, then a ref to each span's first element.
/// </summary>
internal static class KernelHead
{
    /// <summary>
    /// Writes the head up to the unit loop; the caller writes the loop and the closing brace.
    /// <paramref name="summary"/> is the summary's lines, each starting with "///"; <paramref name="spans"/> the
    /// parameters after <c>j1</c> (a "\n    " in it wraps the signature); <paramref name="extents"/> the
    /// conditions after <c>j1 &gt; H</c> under which the spans are too short; <paramref name="refs"/> pairs of
    /// ref name and span, in the vector body's order.
    /// </summary>
    public static void Emit(SourceWriter w, int hidden, string summary, string returnType, string name, string spans, string extents,
        (string Ref, string Span)[] refs, bool throwOnNextLine = false, string? state = null)
    {
        var text = new StringBuilder();
        text.Append("/// <summary>\n").Append(summary).Append("\n/// </summary>\n");
        text.Append("[MethodImpl(MethodImplOptions.AggressiveOptimization)]\n");
        text.Append("internal static ").Append(returnType).Append(' ').Append(name).Append("(int width, int j0, int j1, ").Append(spans).Append(")\n");
        text.Append("{\n");
        text.Append("    const int H = ").Append(Literals.Int(hidden)).Append(";\n");
        text.Append("    if (j0 < 0 || j1 > H || ").Append(extents).Append(')')
            .Append(throwOnNextLine ? "\n        " : " ").Append("ThrowExtent(nameof(").Append(name).Append("));\n");
        if (state is not null) text.Append("    ").Append(state).Append('\n');
        for (int i = 0; i < refs.Length; i++)
        {
            text.Append("    ref float ").Append(refs[i].Ref).Append(" = ref MemoryMarshal.GetReference(").Append(refs[i].Span).Append(");");
            if (i < refs.Length - 1) text.Append('\n');
        }
        w.Line(text.ToString());
    }

    /// <summary>
    /// The head of a backward kernel. Every one takes the gradient reaching h from above and from step t + 1 before its
    /// own spans, as <c>up</c> and <c>rec</c> for the vector body (<see cref="UnitLoop.EmitGradient"/> sums them into dh),
    /// and returns the sum of dh^2. <paramref name="spans"/> may start with "\n    " to wrap the signature after them.
    /// </summary>
    public static void EmitBackward(SourceWriter w, int hidden, string summary, string name, string spans, string extents,
        (string Ref, string Span)[] refs, bool throwOnNextLine = false)
    {
        var all = new (string Ref, string Span)[refs.Length + 2];
        all[0] = ("up", "dhAbove");
        all[1] = ("rec", "dhRecurrent");
        refs.CopyTo(all, 2);
        Emit(w, hidden, summary, "float", name, "ReadOnlySpan<float> dhAbove, Span<float> dhRecurrent" + (spans.StartsWith("\n") ? "," : ", ") + spans,
            "dhAbove.Length < H || dhRecurrent.Length < H || " + extents, all, throwOnNextLine);
    }
}
