using System.Linq;
using CodeGenLstm.Generators.Emitting.Cells;
using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting;

internal static partial class KernelEmitter
{
    // ------------------------------------------------------------------------------------------
    // The recurrent term W_hh h_{t-1} of every sequence at one step: packing and micro-kernels
    // ------------------------------------------------------------------------------------------

    private static void EmitRecurrence(SourceWriter w, LayerKind kind, int hidden)
    {
        RecurrentCell cell = RecurrentCell.Of(kind);
        int gates = cell.Gates, vectors = cell.PanelVectors, unitVectors = cell.PanelUnitVectors;
        string name = KernelSet.RecurrenceName(kind, hidden), pack = KernelSet.PackRecurrenceName(kind, hidden);
        string h = I(hidden), g = I(gates * hidden);
        string panelText = cell.PanelText, column = cell.PanelRow;

        w.Line($$"""
            /// <summary>
            /// Packs W_hh [{{g}}, {{h}}] into the panels {{name}} reads at this width: one panel per {{(unitVectors > 1 ? $"{I(unitVectors)} vectors" : "vector")}} of hidden
            /// units (whole panels only: the scalar code reads W_hh itself), [{{h}}][{{vectors}}][lanes] floats, so that one step of the
            /// reduction loads {{panelText}} from consecutive memory. The parts pack whole panels each.
            /// </summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            internal static void {{pack}}(int width, ReadOnlySpan<float> weightHh, Span<float> packed, int part, int parts)
            {
                const int H = {{h}}, G = {{g}};
                if (weightHh.Length < G * H || packed.Length < G * H) ThrowExtent(nameof({{pack}}));
                int lanes = width == 512 && Vector512.IsHardwareAccelerated ? 16 : width == 256 && Vector256.IsHardwareAccelerated ? 8 : width == 128 && Vector128.IsHardwareAccelerated ? 4 : 0;
                if (lanes == 0) return;
                int units = {{Terms.Times("lanes", unitVectors)}}, stride = {{Terms.Times("lanes", vectors)}};
                Split(H / units, 1, part, parts, out int first, out int last);
                for (int u = first; u < last; u++)
                {
                    Span<float> panel = packed.Slice(u * H * stride, H * stride);
                    for (int k0 = 0; k0 < H; k0 += 16)
                    {
                        int block = Math.Min(16, H - k0);
                        for (int i = 0; i < {{vectors}}; i++)
                            for (int q = 0; q < lanes; q++)
                            {
                                ReadOnlySpan<float> row = weightHh.Slice(({{column}}) * H + k0, block);
                                for (int kk = 0; kk < block; kk++) panel[(k0 + kk) * stride + i * lanes + q] = row[kk];
                            }
                    }
                }
            }

            """);

        // One micro-kernel per row count, generic over the width: the widths whose panels fit in H use them.
        int[] rowCounts = VectorWidth.All.Where(v => hidden >= unitVectors * v.Lanes)
            .SelectMany(v => VectorWidth.RowVariants(v.StepRows)).Distinct().OrderByDescending(r => r).ToArray();
        foreach (int rows in rowCounts)
            EmitRecurrenceMicroKernel(w, kind, hidden, rows, vectors, unitVectors);

        string target = cell.RecurrentTermApart ? "hiddenTerm" : "gates";
        string equation = cell.RecurrentTermApart
            ? "c[b, g * H + j] = b_hh[g * H + j] + W_hh[g * H + j, :] . h[b, :] (GRU: the recurrent term and its bias stay apart from the input's)"
            : $"c[b, g * H + j] += W_hh[g * H + j, :] . h[b, :] (c holds the input projection with both biases)";
        w.Line($$"""
            /// <summary>
            /// The recurrent term of one step into {{target}}: {{equation}},
            /// for the sequences [rowStart, rowEnd) and hidden units [unitStart, unitEnd) (unitStart a multiple of {{VectorWidth.Chunk}}), every
            /// gate. h is the state [batch, {{h}}], c has row stride ldc; bias is b_hh when the sum starts there, else empty.
            /// Whole panels run the micro-kernels; units outside them (all of them on the scalar path) take W_hh's rows directly.
            /// </summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            internal static void {{name}}(int width, ReadOnlySpan<float> h, ReadOnlySpan<float> packed, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> bias,
                Span<float> c, int ldc, int rowStart, int rowEnd, int unitStart, int unitEnd)
            {
                const int H = {{h}}, G = {{g}};
                if (rowEnd <= rowStart || unitEnd <= unitStart) return;
                bool fromBias = !bias.IsEmpty;
                if (rowStart < 0 || unitStart < 0 || unitEnd > H || ldc < G || h.Length < (long)rowEnd * H || packed.Length < G * H || weightHh.Length < G * H
                    || c.Length < (long)(rowEnd - 1) * ldc + G || (fromBias && bias.Length < G))
                    ThrowExtent(nameof({{name}}));
                ref float h0 = ref MemoryMarshal.GetReference(h);
                ref float w0 = ref MemoryMarshal.GetReference(packed);
                ref float bias0 = ref MemoryMarshal.GetReference(bias);
                ref float c0 = ref MemoryMarshal.GetReference(c);
                int j = unitStart;
            """);
        w.Indented(1, () =>
        {
            bool first = true;
            foreach (VectorWidth v in VectorWidth.All)
            {
                int units = unitVectors * v.Lanes, panelFloats = hidden * vectors * v.Lanes;
                if (hidden < units) continue;
                using (w.Block($"{(first ? "" : "else ")}if ({v.Condition})"))
                {
                    w.Line($$"""
                        // Whole panels of {{units}} units, [{{h}}][{{vectors}}][{{v.Lanes}}] floats each; {{v.StepRows}} sequences at a time.
                        int end = Math.Min(unitEnd, {{I(hidden / units * units)}});
                        for (; j + {{units}} <= end; j += {{units}})
                        {
                            ref float panel = ref Unsafe.Add(ref w0, j / {{units}} * {{I(panelFloats)}});
                        """);
                    w.Indented(1, () => EmitRowLoop(w, "b", "rowStart", "rowEnd", VectorWidth.RowVariants(v.StepRows), rows =>
                        $"{name}_Rows{rows}<{UnitLoop.Ops(v)}, {v.Type}>(ref Unsafe.Add(ref h0, b * H), ref panel, ref Unsafe.Add(ref c0, b * ldc + j), ldc, ref Unsafe.Add(ref bias0, j), fromBias);"));
                    w.Line("}");
                }
                first = false;
            }
            w.Line($$"""
                // Units outside whole panels (every unit on the scalar path, the reference): a dot product with
                // W_hh's row per gate, the H terms in order as the micro-kernels add them.
                for (; j < unitEnd; j++)
                    for (int b = rowStart; b < rowEnd; b++)
                    {
                        ReadOnlySpan<float> hb = h.Slice(b * H, H);
                        for (int g = 0; g < {{gates}}; g++)
                        {
                            int column = g * H + j;
                            ReadOnlySpan<float> row = weightHh.Slice(column * H, H);
                            float sum = fromBias ? bias[column] : c[b * ldc + column];
                            for (int k = 0; k < H; k++) sum += hb[k] * row[k];
                            c[b * ldc + column] = sum;
                        }
                    }
                """);
        });
        w.Line("}");
        w.Line();
    }

    private static void EmitRecurrenceMicroKernel(SourceWriter w, LayerKind kind, int hidden, int rows, int vectors, int unitVectors)
    {
        string name = $"{KernelSet.RecurrenceName(kind, hidden)}_Rows{rows}";
        bool rnn = unitVectors > 1;  // a panel's vectors hold consecutive units (one gate), else one gate each, H apart
        string Offset(int i) => rnn ? (i == 0 ? "0" : i == 1 ? "TOps.Count" : $"{i} * TOps.Count") : i == 0 ? "0" : i == 1 ? "H" : $"{i} * H";
        string Lanes(int i) => i == 0 ? "0" : i == 1 ? "TOps.Count" : $"{i} * TOps.Count";
        w.Line($"""
            /// <summary>
            /// {rows} sequence{(rows > 1 ? "s" : "")} x one panel, {(rnn ? $"{vectors} vectors of consecutive hidden units" : $"one vector of hidden units in each of the {vectors} gates (H apart)")}, at the width of TOps:
            /// c = start + h . W_hh^T over the H terms, start c itself or the bias. {rows * vectors} accumulators stay in registers{(rows > 1 ? $"; each weight vector loaded is used {rows} times" : "")}.
            /// Written once for every width whose register file holds them; the JIT compiles it for each width's ops.
            /// </summary>
            """);
        w.Line(Optimized);
        w.Line($"private static void {name}<TOps, TVec>(ref float h, ref float panel, ref float c, int ldc, ref float bias, bool fromBias)");
        using (w.Block("    where TOps : struct, IKernelOps<TVec> where TVec : struct"))
        {
            w.Line($"const int H = {I(hidden)};");
            for (int q = 1; q < rows; q++) w.Line($"ref float h{q} = ref Unsafe.Add(ref h, {(q == 1 ? "H" : $"{q} * H")});");
            for (int q = 1; q < rows; q++) w.Line($"ref float c{q} = ref Unsafe.Add(ref c, {(q == 1 ? "ldc" : $"{q} * ldc")});");
            for (int q = 0; q < rows; q++)
                for (int i = 0; i < vectors; i++)
                {
                    string cq = q == 0 ? "c" : $"c{q}";
                    w.Line($"TVec s{q}{i} = fromBias ? TOps.Load(ref bias, {Offset(i)}) : TOps.Load(ref {cq}, {Offset(i)});");
                }
            using (w.Block("for (int k = 0; k < H; k++)"))
            {
                w.Line($"ref float wk = ref Unsafe.Add(ref panel, k * ({vectors} * TOps.Count));");
                for (int i = 0; i < vectors; i++) w.Line($"TVec w{i} = TOps.Load(ref wk, {Lanes(i)});");
                for (int q = 0; q < rows; q++)
                {
                    w.Line($"{(q == 0 ? "TVec " : "")}x = TOps.Create(Unsafe.Add(ref {(q == 0 ? "h" : $"h{q}")}, k));");
                    for (int i = 0; i < vectors; i++) w.Line($"s{q}{i} = TOps.MultiplyAdd(x, w{i}, s{q}{i});");
                }
            }
            for (int q = 0; q < rows; q++)
                for (int i = 0; i < vectors; i++)
                    w.Line($"TOps.Store(s{q}{i}, ref {(q == 0 ? "c" : $"c{q}")}, {Offset(i)});");
        }
        w.Line();
    }
}
