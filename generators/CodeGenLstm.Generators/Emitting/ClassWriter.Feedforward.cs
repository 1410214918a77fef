using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting;

internal sealed partial class ClassWriter
{
    private void EmitEmbeddingForward(Stage stage)
    {
        int dimension = stage.Hidden;
        string i = I(stage.Index);
        _w.Line($$"""
            /// <summary>Stage {{i}} forward: {{stage.Title}}, y[t, b] = weight[tokens[b, t]] ({{I(dimension)}} features; the tokens as given, batch first); padded steps are zero. One part.</summary>
            private void ForwardStage{{i}}(int part, int parts, {{Team}} team)
            {
                const int D = {{I(dimension)}};
                if (part != 0) return;
                int batch = _batch, steps = _steps, rows = batch * steps;
                global::System.ReadOnlySpan<int> lengths = _lengths.AsSpan(0, batch);
                global::System.ReadOnlySpan<int> tokens = _tokens.AsSpan(0, batch * steps);
                {{Span}} y = {{Activation(stage.Index + 1)}};
                {{ReadOnlySpan}} weight = (({{ReadOnlySpan}})_parameters).Slice({{Offset(stage, TensorRole.Weight)}}, {{I(stage.Tensor(TensorRole.Weight).Length)}});
                _ = parts;
                _ = team;
                for (int b = 0; b < batch; b++)
                {
                    for (int t = 0; t < steps; t++)
                    {
                        int row = t * batch + b;  // activations are time-major; tokens are as given, batch first
                        if (t < lengths[b]) weight.Slice(tokens[b * steps + t] * D, D).CopyTo(y.Slice(row * D, D));
                        else y.Slice(row * D, D).Clear();
                    }
                }
            }

            /// <summary>Stage {{i}} backward: each valid step's gradient is added to its token's row of the table. One part.</summary>
            private void BackwardStage{{i}}(int part, int parts, {{Team}} team)
            {
                const int D = {{I(dimension)}};
                if (part != 0) return;
                int batch = _batch, steps = _steps, rows = batch * steps;
                _ = parts;
                _ = team;
                global::System.ReadOnlySpan<int> lengths = _lengths.AsSpan(0, batch);
                {{ReadOnlySpan}} dy = _activationGradient{{I(stage.Index + 1)}}.AsSpan(0, rows * D);
                {{Span}} grad = ((global::System.Span<float>)_gradients).Slice({{Offset(stage, TensorRole.Weight)}}, {{I(stage.Tensor(TensorRole.Weight).Length)}});
                for (int b = 0; b < batch; b++)
                {
                    for (int t = 0; t < lengths[b]; t++)
                    {
                        {{KernelEmitter.SharedClass}}.Add(_width, dy.Slice((t * batch + b) * D, D), grad.Slice(_tokens[b * steps + t] * D, D));
                    }
                }
            }

            """);
    }

    private void EmitEmbeddingBackward(Stage stage)
    {
        // Written with the forward pass: the two read best side by side.
    }

    private void EmitDenseForward(Stage stage)
    {
        int input = stage.InputWidth, output = stage.Hidden;
        string i = I(stage.Index);
        string panels = $"""
            {KernelEmitter.SharedClass}.PackPanels(width, p.Slice({Offset(stage, TensorRole.Weight)}, Out * In), Out, In, nMajor: true, _packed{i}, part, parts);
            if (part == 0) {KernelEmitter.SharedClass}.PackBias(width, p.Slice({Offset(stage, TensorRole.Bias)}, Out), default, _packedBias{i});
            """;
        string pack = $$"""
            // The weights in panels and the bias padded, packed again (each part packing panels in turn) when
            // Parameters differs from the weights they were packed from, or the vector width changed.
            {{CheckWeights(stage)}}
            {{PackIfStale($"_packedFrom{i}", panels)}}
            """;
        string stamp = RecordPacking(stage, Record($"_packedFrom{i}"));
        if (!stage.LastStep)
        {
            _w.Line($$"""
                {{DenseStageHead(stage, forward: true, $"{stage.Title}, y[t, b] = W x[t, b] + b at every valid step (padded steps are zero)", "rows = batch * steps")}}
                    {{ReadOnlySpan}} x = {{Activation(stage.Index)}};
                    {{Span}} y = {{Activation(stage.Index + 1)}};
                    {{Indent(pack, 1)}}
                    team.Barrier();
                    // Every sequence and step in one product, starting from the bias; the parts take columns (or rows) in turn.
                    {{KernelEmitter.SharedClass}}.SplitProduct(rows, Out, part, parts, out int r0, out int r1, out int c0, out int c1);
                    {{KernelEmitter.SharedClass}}.MatMul(width, In, Out, x, In, _packed{{i}}, _packedBias{{i}}, y, Out, r0, r1, c0, c1, accumulate: false);
                    team.Barrier();
                    {{Indent(stamp, 1)}}
                    if (part == 0) {{KernelEmitter.SharedClass}}.ZeroPaddedSteps(y, _lengths.AsSpan(0, batch), steps, Out);
                }

                """);
            return;
        }

        string gather = stage.BelowIsBidirectional
            ? """
                        // PyTorch's h_n of the bidirectional layer below: its forward half at the last valid step,
                        // its reverse half at step 0 (where the reverse direction ends).
                        x.Slice((last * batch + b) * In, In / 2).CopyTo(z.Slice(b * In, In / 2));
                        x.Slice(b * In + In / 2, In / 2).CopyTo(z.Slice(b * In + In / 2, In / 2));
            """
            : """
                        x.Slice((last * batch + b) * In, In).CopyTo(z.Slice(b * In, In));
            """;
        _w.Line($$"""
            {{DenseStageHead(stage, forward: true, $"{stage.Title}, y[b] = W z[b] + b with z[b] the input at sequence b's last valid step", "rows = batch * steps")}}
                {{ReadOnlySpan}} x = {{Activation(stage.Index)}};
                {{Span}} y = _activation{{I(stage.Index + 1)}}.AsSpan(0, batch * Out);
                {{Span}} z = _lastSteps{{i}}.AsSpan(0, batch * In);
                if (part == 0)
                {
                    global::System.ReadOnlySpan<int> lengths = _lengths.AsSpan(0, batch);
                    for (int b = 0; b < batch; b++)
                    {
                        int last = lengths[b] - 1;
            {{gather.TrimEnd()}}
                    }
                }
                {{Indent(pack, 1)}}
                team.Barrier();
                {{KernelEmitter.SharedClass}}.SplitProduct(batch, Out, part, parts, out int r0, out int r1, out int c0, out int c1);
                {{KernelEmitter.SharedClass}}.MatMul(width, In, Out, z, In, _packed{{i}}, _packedBias{{i}}, y, Out, r0, r1, c0, c1, accumulate: false);
                _ = rows;
                team.Barrier();
                {{Indent(stamp, 1)}}
            }

            """);
    }

    private void EmitDenseBackward(Stage stage)
    {
        int input = stage.InputWidth, output = stage.Hidden;
        string i = I(stage.Index);
        string wantDx = stage.Index == 0 ? "_wantInputGradient" : "true";
        string gradients = $$"""
            // dW += dy^T z (the parts take rows of dW in turn), db += the rows of dy (chunks of columns in turn).
            {{KernelEmitter.SharedClass}}.Split(Out, 1, part, parts, out int g0, out int g1);
            {{KernelEmitter.SharedClass}}.Split(Out, {{VectorWidth.Chunk}}, part, parts, out int n0, out int n1);
            {{KernelEmitter.SharedClass}}.MatMulTransposedA(width, Out, In, dy, Out, z, In, grad.Slice({{Offset(stage, TensorRole.Weight)}}, Out * In), m, g0, g1);
            {{KernelEmitter.SharedClass}}.AddColumnSums(width, Out, dy, Out, m, grad.Slice({{Offset(stage, TensorRole.Bias)}}, Out), n0, n1);
            if (!wantDx) return;
            // dx = dy W: W as B = W, [Out, In], in panels of its columns, packed again when Parameters differs from
            // the weights they were packed from, or the vector width changed.
            {{CheckWeights(stage)}}
            {{PackIfStale($"_packedTFrom{i}", $"{KernelEmitter.SharedClass}.PackPanels(width, p.Slice({Offset(stage, TensorRole.Weight)}, Out * In), In, Out, nMajor: false, _packedT{i}, part, parts);")}}
            team.Barrier();
            {{RecordPacking(stage, Record($"_packedTFrom{i}"))}}
            """;
        if (!stage.LastStep)
        {
            _w.Line($$"""
                {{DenseStageHead(stage, forward: false, "dW += dy^T x, db += the rows of dy, dx = dy W", "m = batch * steps")}}
                    {{Span}} grad = _gradients;
                    {{ReadOnlySpan}} z = {{Activation(stage.Index, "m")}};
                    {{ReadOnlySpan}} dy = _activationGradient{{I(stage.Index + 1)}}.AsSpan(0, m * Out);
                    {{Span}} dx = _activationGradient{{i}}.AsSpan(0, m * In);
                    bool wantDx = {{wantDx}};
                    {{Indent(gradients, 1)}}
                    {{KernelEmitter.SharedClass}}.SplitProduct(m, In, part, parts, out int r0, out int r1, out int c0, out int c1);
                    {{KernelEmitter.SharedClass}}.MatMul(width, Out, In, dy, Out, _packedT{{i}}, default, dx, In, r0, r1, c0, c1, accumulate: false);
                }

                """);
            return;
        }

        string scatter = stage.BelowIsBidirectional
            ? """
                        dz.Slice(b * In, In / 2).CopyTo(dx.Slice((last * batch + b) * In, In / 2));
                        dz.Slice(b * In + In / 2, In / 2).CopyTo(dx.Slice(b * In + In / 2, In / 2));
            """
            : """
                        dz.Slice(b * In, In).CopyTo(dx.Slice((last * batch + b) * In, In));
            """;
        _w.Line($$"""
            {{DenseStageHead(stage, forward: false, "dW += dy^T z, db += the rows of dy; dz = dy W goes back to the steps z was read from", "m = batch")}}
                {{Span}} grad = _gradients;
                {{ReadOnlySpan}} z = _lastSteps{{i}}.AsSpan(0, batch * In);
                {{ReadOnlySpan}} dy = _activationGradient{{I(stage.Index + 1)}}.AsSpan(0, batch * Out);
                {{Span}} dx = _activationGradient{{i}}.AsSpan(0, batch * steps * In);
                bool wantDx = {{wantDx}};
                {{Indent(gradients, 1)}}
                {{Span}} dz = _lastStepsGradient{{i}}.AsSpan(0, batch * In);
                {{KernelEmitter.SharedClass}}.SplitProduct(batch, In, part, parts, out int r0, out int r1, out int c0, out int c1);
                {{KernelEmitter.SharedClass}}.MatMul(width, Out, In, dy, Out, _packedT{{i}}, default, dz, In, r0, r1, c0, c1, accumulate: false);
                team.Barrier();
                if (part != 0) return;
                dx.Clear();
                global::System.ReadOnlySpan<int> lengths = _lengths.AsSpan(0, batch);
                for (int b = 0; b < batch; b++)
                {
                    int last = lengths[b] - 1;
            {{scatter.TrimEnd()}}
                }
            }

            """);
    }

    /// <summary>
    /// The head of a dense stage's method, forward or backward, all steps or the last only: its summary, the
    /// method's signature, the sizes as constants, the run's extents (<paramref name="rows"/> names the
    /// product's rows) and the parameters. The body follows at the head's indentation plus one level.
    /// </summary>
    private string DenseStageHead(Stage stage, bool forward, string summary, string rows)
    {
        string i = I(stage.Index), direction = forward ? "forward" : "backward", method = forward ? "Forward" : "Backward";
        return $$"""
            /// <summary>Stage {{i}} {{direction}}: {{summary}}; part <paramref name="part"/> of <paramref name="parts"/>.</summary>
            private void {{method}}Stage{{i}}(int part, int parts, {{Team}} team)
            {
                const int In = {{I(stage.InputWidth)}}, Out = {{I(stage.Hidden)}};
                int width = _width, batch = _batch, steps = _steps, {{rows}};
                {{ReadOnlySpan}} p = _parameters;
            """;
    }

    /// <summary>Indents every line but the first of a multi-line text by <paramref name="levels"/> levels (the first takes the template's).</summary>
    private static string Indent(string text, int levels)
    {
        string pad = new(' ', 4 * levels);
        return text.TrimEnd().Replace("\n", "\n" + pad);
    }
}
