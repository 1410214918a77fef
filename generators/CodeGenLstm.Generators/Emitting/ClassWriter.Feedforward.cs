using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting;

internal sealed partial class ClassWriter
{
    private void EmitEmbeddingForward(Stage stage)
    {
        int dimension = stage.Hidden;
        _w.Line($$"""
            /// <summary>Stage {{I(stage.Index)}} forward: {{stage.Title}}, y[b, t] = weight[token[b, t]] ({{I(dimension)}} features); padded steps are zero.</summary>
            private void ForwardStage{{I(stage.Index)}}({{IntSpan}} tokens, {{Span}} y, int batch, int steps)
            {
                const int D = {{I(dimension)}};
                global::System.ReadOnlySpan<int> lengths = _lengths.AsSpan(0, batch);
                {{ReadOnlySpan}} weight = ((global::System.ReadOnlySpan<float>)_parameters).Slice({{Offset(stage, TensorRole.Weight)}}, {{I(stage.Tensor(TensorRole.Weight).Length)}});
                for (int b = 0; b < batch; b++)
                {
                    for (int t = 0; t < steps; t++)
                    {
                        int row = b * steps + t;
                        if (t < lengths[b]) weight.Slice(tokens[row] * D, D).CopyTo(y.Slice(row * D, D));
                        else y.Slice(row * D, D).Clear();
                    }
                }
            }

            /// <summary>Stage {{I(stage.Index)}} backward: each valid step's gradient is added to its token's row of the table.</summary>
            private void BackwardStage{{I(stage.Index)}}({{Span}} dy, int batch, int steps)
            {
                const int D = {{I(dimension)}};
                global::System.ReadOnlySpan<int> lengths = _lengths.AsSpan(0, batch);
                {{Span}} grad = ((global::System.Span<float>)_gradients).Slice({{Offset(stage, TensorRole.Weight)}}, {{I(stage.Tensor(TensorRole.Weight).Length)}});
                for (int b = 0; b < batch; b++)
                {
                    for (int t = 0; t < lengths[b]; t++)
                    {
                        int row = b * steps + t;
                        {{_kernels}}.Add(_width, dy.Slice(row * D, D), grad.Slice(_tokens[row] * D, D));
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
        string weight = $"p.Slice({Offset(stage, TensorRole.Weight)}, Out * In)";
        string bias = $"p.Slice({Offset(stage, TensorRole.Bias)}, Out)";
        if (!stage.LastStep)
        {
            _w.Line($$"""
                /// <summary>Stage {{I(stage.Index)}} forward: {{stage.Title}}, y[b, t] = W x[b, t] + b at every valid step (padded steps are zero).</summary>
                private void ForwardStage{{I(stage.Index)}}(int width, {{ReadOnlySpan}} x, {{Span}} y, int batch, int steps, bool training)
                {
                    const int In = {{I(input)}}, Out = {{I(output)}};
                    int rows = batch * steps;
                    {{ReadOnlySpan}} p = _parameters;
                    // Every sequence and step in one product, bias first.
                    {{_kernels}}.FillRows({{bias}}, default, y, Out, rows);
                    {{_kernels}}.Transpose({{weight}}, Out, In, _packed{{I(stage.Index)}});
                    {{_kernels}}.{{KernelSet.ProductName(input, output)}}(width, x, In, _packed{{I(stage.Index)}}, y, Out, rows, accumulate: true);
                    {{Support}}.ZeroPaddedSteps(y, _lengths.AsSpan(0, batch), steps, Out);
                    _ = training;
                }

                """);
            return;
        }

        string gather = stage.BelowIsBidirectional
            ? """
                    // PyTorch's h_n of the bidirectional layer below: its forward half at the last valid step,
                    // its reverse half at step 0 (where the reverse direction ends).
                    x.Slice((b * steps + last) * In, In / 2).CopyTo(z.Slice(b * In, In / 2));
                    x.Slice(b * steps * In + In / 2, In / 2).CopyTo(z.Slice(b * In + In / 2, In / 2));
            """
            : """
                    x.Slice((b * steps + last) * In, In).CopyTo(z.Slice(b * In, In));
            """;
        _w.Line($$"""
            /// <summary>Stage {{I(stage.Index)}} forward: {{stage.Title}}, y[b] = W z[b] + b with z[b] the input at sequence b's last valid step.</summary>
            private void ForwardStage{{I(stage.Index)}}(int width, {{ReadOnlySpan}} x, {{Span}} y, int batch, int steps, bool training)
            {
                const int In = {{I(input)}}, Out = {{I(output)}};
                {{ReadOnlySpan}} p = _parameters;
                global::System.ReadOnlySpan<int> lengths = _lengths.AsSpan(0, batch);
                {{Span}} z = _lastSteps{{I(stage.Index)}}.AsSpan(0, batch * In);
                for (int b = 0; b < batch; b++)
                {
                    int last = lengths[b] - 1;
            {{gather.TrimEnd()}}
                }
                {{_kernels}}.FillRows({{bias}}, default, y, Out, batch);
                {{_kernels}}.Transpose({{weight}}, Out, In, _packed{{I(stage.Index)}});
                {{_kernels}}.{{KernelSet.ProductName(input, output)}}(width, z, In, _packed{{I(stage.Index)}}, y, Out, batch, accumulate: true);
                _ = training;
            }

            """);
    }

    private void EmitDenseBackward(Stage stage)
    {
        int input = stage.InputWidth, output = stage.Hidden;
        if (!stage.LastStep)
        {
            _w.Line($$"""
                /// <summary>Stage {{I(stage.Index)}} backward: dW += dy^T x, db += the rows of dy, dx = dy W.</summary>
                private void BackwardStage{{I(stage.Index)}}(int width, {{ReadOnlySpan}} x, {{Span}} dy, {{Span}} dx, int batch, int steps)
                {
                    const int In = {{I(input)}}, Out = {{I(output)}};
                    int rows = batch * steps;
                    {{ReadOnlySpan}} p = _parameters;
                    {{Span}} grad = _gradients;
                    {{_kernels}}.{{KernelSet.TransposedProductName(output, input)}}(width, dy, Out, x, In, grad.Slice({{Offset(stage, TensorRole.Weight)}}, Out * In), rows);
                    {{_kernels}}.{{KernelSet.ColumnSumName(output)}}(width, dy, Out, rows, grad.Slice({{Offset(stage, TensorRole.Bias)}}, Out));
                    if (!dx.IsEmpty)
                        {{_kernels}}.{{KernelSet.ProductName(output, input)}}(width, dy, Out, p.Slice({{Offset(stage, TensorRole.Weight)}}, Out * In), dx, In, rows, accumulate: false);
                }

                """);
            return;
        }

        string scatter = stage.BelowIsBidirectional
            ? """
                        dz.Slice(b * In, In / 2).CopyTo(dx.Slice((b * steps + last) * In, In / 2));
                        dz.Slice(b * In + In / 2, In / 2).CopyTo(dx.Slice(b * steps * In + In / 2, In / 2));
            """
            : """
                        dz.Slice(b * In, In).CopyTo(dx.Slice((b * steps + last) * In, In));
            """;
        _w.Line($$"""
            /// <summary>Stage {{I(stage.Index)}} backward: dW += dy^T z, db += the rows of dy; dz = dy W goes back to the steps z was read from.</summary>
            private void BackwardStage{{I(stage.Index)}}(int width, {{ReadOnlySpan}} x, {{Span}} dy, {{Span}} dx, int batch, int steps)
            {
                const int In = {{I(input)}}, Out = {{I(output)}};
                {{ReadOnlySpan}} p = _parameters;
                {{Span}} grad = _gradients;
                {{ReadOnlySpan}} z = _lastSteps{{I(stage.Index)}}.AsSpan(0, batch * In);
                {{_kernels}}.{{KernelSet.TransposedProductName(output, input)}}(width, dy, Out, z, In, grad.Slice({{Offset(stage, TensorRole.Weight)}}, Out * In), batch);
                {{_kernels}}.{{KernelSet.ColumnSumName(output)}}(width, dy, Out, batch, grad.Slice({{Offset(stage, TensorRole.Bias)}}, Out));
                _ = x;
                if (dx.IsEmpty) return;
                {{Span}} dz = _lastStepsGradient{{I(stage.Index)}}.AsSpan(0, batch * In);
                {{_kernels}}.{{KernelSet.ProductName(output, input)}}(width, dy, Out, p.Slice({{Offset(stage, TensorRole.Weight)}}, Out * In), dz, In, batch, accumulate: false);
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
}
