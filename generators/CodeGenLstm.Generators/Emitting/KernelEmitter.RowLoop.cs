using System.Linq;

namespace CodeGenLstm.Generators.Emitting;

// Helpers of the recurrence kernels' text: the row loop over a family of micro-kernels, element offsets.
internal static partial class KernelEmitter
{
    /// <summary>
    /// A loop over rows [start, end) in blocks: as many of the largest variant as fit, then at most one of
    /// each smaller one (each variant is at least half the one before, so that is enough). When the largest
    /// is 6 and 4 is a variant, 8 or 9 rows left go as 4 + 4 (+ 1) rather than 6 + 2 (+ 1): the two-row kernel
    /// uses each weight vector it loads only twice and ran at 73% of the others' speed (LSTM H = 256,
    /// Vector512), so 6 + 2 rows took 9% longer than 4 + 4 (batch 16 on two cores is 8 rows per core).
    /// </summary>
    private static void EmitRowLoop(SourceWriter w, string index, string start, string end, int[] variants, System.Func<int, string> call)
    {
        w.Line($"int {index} = {start};");
        if (variants[0] == 6 && variants.Contains(4))
        {
            w.Line($"int {index}Sixes = {end} - ({end} - {start}) % 6;  // where the blocks of 6 stop");
            w.Line($"if (({end} - {start}) % 6 is 2 or 3 && {end} - {start} >= 8) {index}Sixes -= 6;  // 6 + 2 (+ 1) rows go as 4 + 4 (+ 1)");
            w.Line($"for (; {index} < {index}Sixes; {index} += 6)");
            w.Line("    " + call(6));
            w.Line($"for (; {index} + 4 <= {end}; {index} += 4)");
            w.Line("    " + call(4));
            variants = variants.Where(r => r < 4).ToArray();
        }
        else
        {
            w.Line($"for (; {index} + {variants[0]} <= {end}; {index} += {variants[0]})");
            w.Line("    " + call(variants[0]));
            variants = variants.Skip(1).ToArray();
        }
        foreach (int rows in variants)
        {
            if (rows == 1)
            {
                w.Line($"if ({index} < {end})");
                w.Line("    " + call(1));
            }
            else
            {
                w.Line($"if ({index} + {rows} <= {end})");
                w.Line("{");
                w.Line("    " + call(rows));
                w.Line($"    {index} += {rows};");
                w.Line("}");
            }
        }
    }

    /// <summary>", 16" after a ref for an element offset, nothing for 0.</summary>
    private static string Off(int offset) => offset == 0 ? "" : $", {offset}";
}
