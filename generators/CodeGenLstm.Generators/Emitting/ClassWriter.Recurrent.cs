using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting;

internal sealed partial class ClassWriter
{
    public void EmitStageForward(Stage stage)
    {
        switch (stage.Kind)
        {
            case LayerKind.Embedding: EmitEmbeddingForward(stage); break;
            case LayerKind.Dense: EmitDenseForward(stage); break;
            default: EmitRecurrentForward(stage); break;
        }
    }

    public void EmitStageBackward(Stage stage)
    {
        switch (stage.Kind)
        {
            case LayerKind.Embedding: EmitEmbeddingBackward(stage); break;
            case LayerKind.Dense: EmitDenseBackward(stage); break;
            default: EmitRecurrentBackward(stage); break;
        }
    }

    private static string CellTitle(Stage stage) => stage.Kind switch
    {
        LayerKind.Lstm => "LSTM",
        LayerKind.Gru => "GRU",
        _ => $"RNN ({stage.Layer.Activation.ToString().ToLowerInvariant()})",
    };

    /// <summary>The direction-dependent offsets of a recurrent stage's four tensors, as one line of locals.</summary>
    private string DirectionOffsets(Stage stage)
    {
        string Pick(TensorRole role) => stage.Directions == 1
            ? Offset(stage, role)
            : $"d == 0 ? {Offset(stage, role)} : {Offset(stage, role, 1)}";
        return $"""
            // Where this direction's tensors start in Parameters.
            int weightIhAt = {Pick(TensorRole.WeightIh)};
            int weightHhAt = {Pick(TensorRole.WeightHh)};
            int biasIhAt = {Pick(TensorRole.BiasIh)};
            int biasHhAt = {Pick(TensorRole.BiasHh)};
            """;
    }

    private void EmitRecurrentForward(Stage stage)
    {
        LayerKind kind = stage.Kind;
        int h = stage.Hidden, g = stage.GateWidth, input = stage.InputWidth, output = stage.OutputWidth, d = stage.Directions;
        string cell = KernelSet.CellName(kind, h, stage.Layer.Activation, forward: true);
        string equations = kind switch
        {
            LayerKind.Lstm => "i, f, g, o = sigmoid, sigmoid, tanh, sigmoid of (W_ih x_t + b_ih + W_hh h_{t-1} + b_hh); c_t = f * c_{t-1} + i * g; h_t = o * tanh(c_t)",
            LayerKind.Gru => "r, z = sigmoid(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh); n = tanh(W_in x_t + b_in + r * (W_hn h_{t-1} + b_hn)); h_t = (1 - z) * n + z * h_{t-1}",
            _ => $"h_t = {stage.Layer.Activation.ToString().ToLowerInvariant()}(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh)".Replace("h_(t-1)", "h_{t-1}"),
        };

        _w.Line($$"""
            /// <summary>
            /// Stage {{I(stage.Index)}} forward: {{stage.Title}} ({{CellTitle(stage)}}), {{I(input)}} inputs -&gt; {{(d == 2 ? $"2 directions x {I(h)}" : I(h))}} per step.
            /// <code>{{equations}}</code>
            /// </summary>
            private void ForwardStage{{I(stage.Index)}}(int width, {{ReadOnlySpan}} x, {{Span}} y, int batch, int steps, bool training)
            {
                const int In = {{I(input)}}, H = {{I(h)}}, G = {{I(g)}}, Out = {{I(output)}};
                int rows = batch * steps;
                global::System.ReadOnlySpan<int> lengths = _lengths.AsSpan(0, batch);
                {{ReadOnlySpan}} p = _parameters;
            """);
        _w.Indented(1, () =>
        {
            using (_w.Block($"for (int d = 0; d < {I(d)}; d++)"))
            {
                _w.Line($"RecurrentBuffers buffers = _stage{I(stage.Index)}[d];");
                if (d == 2) _w.Line("bool reverse = d == 1;  // the reverse direction reads each sequence from its last valid step back to step 0");
                _w.Line(DirectionOffsets(stage));
                _w.Line($$"""
                    {{ReadOnlySpan}} weightIh = p.Slice(weightIhAt, G * In), weightHh = p.Slice(weightHhAt, G * H);
                    {{Span}} gates = buffers.Gates.AsSpan(0, rows * G);
                    {{Span}} h = buffers.HState.AsSpan(0, batch * H);
                    """);
                if (kind == LayerKind.Lstm) _w.Line($"{Span} c = buffers.CState.AsSpan(0, batch * H);");
                if (kind == LayerKind.Gru)
                    _w.Line($$"""

                        // 1. Input projection of every sequence and step in one product: gates[b, t] = W_ih x[b, t] + b_ih.
                        //    (b_hh stays out: the reset gate scales the recurrent term of n, its bias included.)
                        {{_kernels}}.FillRows(p.Slice(biasIhAt, G), default, gates, G, rows);
                        """);
                else
                    _w.Line($$"""

                        // 1. Input projection of every sequence and step in one product: gates[b, t] = W_ih x[b, t] + b_ih + b_hh.
                        {{_kernels}}.FillRows(p.Slice(biasIhAt, G), p.Slice(biasHhAt, G), gates, G, rows);
                        """);
                _w.Line($$"""
                    {{_kernels}}.Transpose(weightIh, G, In, buffers.PackedIh);
                    {{_kernels}}.{{KernelSet.ProductName(input, g)}}(width, x, In, buffers.PackedIh, gates, G, rows, accumulate: true);
                    {{_kernels}}.Transpose(weightHh, G, H, buffers.PackedHh);

                    // 2. The initial state: zeros, or what SetInitialState (or Stateful) left for this batch.
                    int stateOffset = ({{I(stage.StateOffset)}} + d * H) * batch;
                    if (_initialBatch == 0) h.Clear(); else _initialH.AsSpan(stateOffset, batch * H).CopyTo(h);
                    """);
                if (kind == LayerKind.Lstm)
                    _w.Line($$"""
                        int cellOffset = ({{I(stage.CellStateOffset)}} + d * H) * batch;
                        if (_initialBatch == 0) c.Clear(); else _initialC.AsSpan(cellOffset, batch * H).CopyTo(c);
                        """);
                _w.Line();
                _w.Line("// 3. The recurrence, one step at a time.");
                using (_w.Block("for (int s = 0; s < steps; s++)"))
                {
                    _w.Line(d == 2 ? "int t = reverse ? steps - 1 - s : s;" : "int t = s;");
                    if (kind == LayerKind.Gru)
                        _w.Line($$"""
                            // The recurrent term of every sequence at once: hiddenTerm[b] = W_hh h_{t-1} + b_hh.
                            {{Span}} hiddenTerm = buffers.HiddenTerm.AsSpan(0, batch * G);
                            {{_kernels}}.FillRows(p.Slice(biasHhAt, G), default, hiddenTerm, G, batch);
                            {{_kernels}}.{{KernelSet.ProductName(h, g)}}(width, h, H, buffers.PackedHh, hiddenTerm, G, batch, accumulate: true);
                            """);
                    else
                        _w.Line($$"""
                            // The recurrent term of every sequence at once: gates[b, t] += W_hh h_{t-1}.
                            {{_kernels}}.{{KernelSet.ProductName(h, g)}}(width, h, H, buffers.PackedHh, gates.Slice(t * G), steps * G, batch, accumulate: true);
                            """);
                    using (_w.Block("for (int b = 0; b < batch; b++)"))
                    {
                        _w.Line($$"""
                            int row = b * steps + t;
                            {{Span}} hb = h.Slice(b * H, H);
                            if (t >= lengths[b])
                            {
                                // Padding: the state waits (forward: it is final; reverse: it has not started); the output is zero.
                                y.Slice(row * Out + d * H, H).Clear();
                                if (training) buffers.HPrev.AsSpan(row * H, H).Clear();
                                continue;
                            }
                            if (training) hb.CopyTo(buffers.HPrev.AsSpan(row * H, H));
                            """);
                        switch (kind)
                        {
                            case LayerKind.Lstm:
                                _w.Line($$"""
                                    {{Span}} cb = c.Slice(b * H, H);
                                    if (training) cb.CopyTo(buffers.CPrev.AsSpan(row * H, H));
                                    {{_kernels}}.{{cell}}(width, gates.Slice(row * G, G), cb, hb, training ? buffers.TanhC.AsSpan(row * H, H) : default);
                                    """);
                                break;
                            case LayerKind.Gru:
                                _w.Line($"{_kernels}.{cell}(width, gates.Slice(row * G, G), hiddenTerm.Slice(b * G, G), hb, training ? buffers.HiddenN.AsSpan(row * H, H) : default);");
                                break;
                            default:
                                _w.Line($"{_kernels}.{cell}(width, gates.Slice(row * G, G), hb);");
                                break;
                        }
                        _w.Line("hb.CopyTo(y.Slice(row * Out + d * H, H));");
                    }
                }
                _w.Line();
                _w.Line("// 4. The final state, PyTorch's h_n (c_n): forward after the last valid step, reverse after step 0.");
                _w.Line("h.CopyTo(_finalH.AsSpan(stateOffset, batch * H));");
                if (kind == LayerKind.Lstm) _w.Line("c.CopyTo(_finalC.AsSpan(cellOffset, batch * H));");
            }
            EmitResidualAndDropoutForward(stage);
        });
        _w.Line("}");
        _w.Line();
    }

    private void EmitResidualAndDropoutForward(Stage stage)
    {
        if (stage.Residual)
        {
            _w.Line($$"""

                // Residual connection (GNMT): the stage's input is added to its output at valid steps.
                for (int b = 0; b < batch; b++)
                    {{_kernels}}.Add(width, x.Slice(b * steps * In, lengths[b] * In), y.Slice(b * steps * Out, lengths[b] * Out));
                """);
        }
        if (stage.DropoutSite >= 0)
        {
            _w.Line($$"""

                // Dropout between stacked layers, in training only: each unit kept with probability 1 - p and scaled by 1 / (1 - p).
                if (training)
                {
                    {{Span}} mask = _mask{{I(stage.Index)}}.AsSpan(0, rows * Out);
                    global::CodeGenLstm.DropoutMask.Fill(mask, _seed, _trainingCalls, site: {{I(stage.DropoutSite)}}, probability: {{Literals.Float(stage.Layer.Dropout)}});
                    {{_kernels}}.Multiply(width, mask, y);
                }
                """);
        }
    }

    private void EmitRecurrentBackward(Stage stage)
    {
        LayerKind kind = stage.Kind;
        int h = stage.Hidden, g = stage.GateWidth, input = stage.InputWidth, output = stage.OutputWidth, d = stage.Directions;
        string cell = KernelSet.CellName(kind, h, stage.Layer.Activation, forward: false);
        bool top = stage.Index == _layout.TopRecurrentStage;

        _w.Line($$"""
            /// <summary>
            /// Stage {{I(stage.Index)}} backward: backpropagation through time for {{stage.Title}}. dy is dL/d(output) and is
            /// overwritten; dx (empty when not wanted) receives dL/d(input); the weights' gradients are added to Gradients.
            /// </summary>
            private void BackwardStage{{I(stage.Index)}}(int width, {{ReadOnlySpan}} x, {{Span}} dy, {{Span}} dx, int batch, int steps)
            {
                const int In = {{I(input)}}, H = {{I(h)}}, G = {{I(g)}}, Out = {{I(output)}};
                int rows = batch * steps;
                global::System.ReadOnlySpan<int> lengths = _lengths.AsSpan(0, batch);
                {{ReadOnlySpan}} p = _parameters;
                {{Span}} grad = _gradients;
            """);
        _w.Indented(1, () =>
        {
            if (stage.DropoutSite >= 0)
                _w.Line($$"""
                    // Dropout: the gradient flows through the kept units only, scaled as they were.
                    {{_kernels}}.Multiply(width, _mask{{I(stage.Index)}}.AsSpan(0, rows * Out), dy);
                    """);
            _w.Line($$"""
                {{Span}} dGates = _dGates.AsSpan(0, rows * G);
                {{Span}} dh = _dhRecurrent.AsSpan(0, batch * H);
                """);
            if (kind == LayerKind.Lstm) _w.Line($"{Span} dc = _dcRecurrent.AsSpan(0, batch * H);");
            if (kind == LayerKind.Gru) _w.Line($"{Span} dHidden = _dHidden.AsSpan(0, rows * G);");
            using (_w.Block($"for (int d = 0; d < {I(d)}; d++)"))
            {
                _w.Line($"RecurrentBuffers buffers = _stage{I(stage.Index)}[d];");
                if (d == 2) _w.Line("bool reverse = d == 1;");
                _w.Line(DirectionOffsets(stage));
                _w.Line("dh.Clear();  // the final state receives no gradient from outside");
                if (kind == LayerKind.Lstm) _w.Line("dc.Clear();");
                _w.Line();
                _w.Line("// 1. Through time, in the opposite order of the forward pass.");
                using (_w.Block("for (int s = steps - 1; s >= 0; s--)"))
                {
                    _w.Line(d == 2 ? "int t = reverse ? steps - 1 - s : s;" : "int t = s;");
                    _w.Line("float squares = 0f;");
                    using (_w.Block("for (int b = 0; b < batch; b++)"))
                    {
                        _w.Line($$"""
                            int row = b * steps + t;
                            if (t >= lengths[b])
                            {
                                dGates.Slice(row * G, G).Clear();
                            """);
                        if (kind == LayerKind.Gru) _w.Line("    dHidden.Slice(row * G, G).Clear();");
                        _w.Line("""
                                continue;
                            }
                            """);
                        string common = $"width, dy.Slice(row * Out + d * H, H), dh.Slice(b * H, H)";
                        switch (kind)
                        {
                            case LayerKind.Lstm:
                                _w.Line($"squares += {_kernels}.{cell}({common}, dc.Slice(b * H, H),\n    buffers.Gates.AsSpan(row * G, G), buffers.CPrev.AsSpan(row * H, H), buffers.TanhC.AsSpan(row * H, H), dGates.Slice(row * G, G));");
                                break;
                            case LayerKind.Gru:
                                _w.Line($"squares += {_kernels}.{cell}({common},\n    buffers.Gates.AsSpan(row * G, G), buffers.HPrev.AsSpan(row * H, H), buffers.HiddenN.AsSpan(row * H, H), dGates.Slice(row * G, G), dHidden.Slice(row * G, G));");
                                break;
                            default:
                                _w.Line($"squares += {_kernels}.{cell}({common}, buffers.Gates.AsSpan(row * G, G), dGates.Slice(row * G, G));");
                                break;
                        }
                    }
                    if (top) _w.Line("_stepNorms[t] += squares;");
                    else _w.Line("_ = squares;  // reported for the top recurrent layer only");
                    string recurrentGradient = kind == LayerKind.Gru ? "dHidden" : "dGates";
                    _w.Line($$"""
                        // dL/dh_{t-1} of every sequence at once: dh += d(pre-activations) W_hh.
                        {{_kernels}}.{{KernelSet.ProductName(g, h)}}(width, {{recurrentGradient}}.Slice(t * G), steps * G, p.Slice(weightHhAt, G * H), dh, H, batch, accumulate: true);
                        """);
                }
                string hiddenGradient = kind == LayerKind.Gru ? "dHidden" : "dGates";
                _w.Line($$"""

                    // 2. The weights' gradients, each one product over every sequence and step.
                    {{_kernels}}.{{KernelSet.TransposedProductName(g, input)}}(width, dGates, G, x, In, grad.Slice(weightIhAt, G * In), rows);
                    {{_kernels}}.{{KernelSet.TransposedProductName(g, h)}}(width, {{hiddenGradient}}, G, buffers.HPrev.AsSpan(0, rows * H), H, grad.Slice(weightHhAt, G * H), rows);
                    {{_kernels}}.{{KernelSet.ColumnSumName(g)}}(width, dGates, G, rows, grad.Slice(biasIhAt, G));
                    {{_kernels}}.{{KernelSet.ColumnSumName(g)}}(width, {{hiddenGradient}}, G, rows, grad.Slice(biasHhAt, G));

                    // 3. The input's gradient, summed over the directions: dx = d(pre-activations) W_ih.
                    if (!dx.IsEmpty)
                        {{_kernels}}.{{KernelSet.ProductName(g, input)}}(width, dGates, G, p.Slice(weightIhAt, G * In), dx, In, rows, accumulate: {{(d == 2 ? "d > 0" : "false")}});
                    """);
            }
            if (stage.Residual)
                _w.Line($$"""

                    // Residual connection: the output's gradient reaches the input unchanged as well.
                    if (!dx.IsEmpty) {{_kernels}}.Add(width, dy, dx);
                    """);
        });
        _w.Line("}");
        _w.Line();
    }
}
