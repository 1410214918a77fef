using CodeGenLstm.Generators.Emitting.Cells;
using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting;

internal sealed partial class ClassWriter
{
    private const string Team = "global::CodeGenLstm.Generated.WorkerTeam";

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

    /// <summary>Chunks of <see cref="VectorWidth.Chunk"/> hidden units of a stage: the grain of the gradient-norm partial sums.</summary>
    private static int Chunks(Stage stage) => (stage.Hidden + VectorWidth.Chunk - 1) / VectorWidth.Chunk;

    /// <summary>Where one of a direction's tensors starts in Parameters (d is in scope when there are two directions).</summary>
    private string Pick(Stage stage, TensorRole role) => stage.Directions == 1
        ? Offset(stage, role)
        : $"d == 0 ? {Offset(stage, role)} : {Offset(stage, role, 1)}";

    /// <summary>
    /// Where the weight gradients of a direction go: with two directions, locals the loop body sets (see
    /// <see cref="DirectionOffsets"/>); with one, the tensors' offsets themselves.
    /// </summary>
    private string GradientAt(Stage stage, TensorRole role, string local) => stage.Directions == 1 ? Offset(stage, role) : local;

    /// <summary>The direction-dependent offsets of a bidirectional stage's four tensors, as locals (nothing for one direction).</summary>
    private string DirectionOffsets(Stage stage) => stage.Directions == 1 ? "" : $"""
        // Where this direction's tensors start in Parameters.
        int weightIhAt = {Pick(stage, TensorRole.WeightIh)};
        int weightHhAt = {Pick(stage, TensorRole.WeightHh)};
        int biasIhAt = {Pick(stage, TensorRole.BiasIh)};
        int biasHhAt = {Pick(stage, TensorRole.BiasHh)};

        """;

    /// <summary>
    /// Writes <paramref name="body"/> for each direction of a recurrent stage, <c>buffers</c> being that direction's:
    /// a loop over d for two; for one, the body alone, <c>buffers</c> declared once at the top of the method
    /// (<see cref="DeclareBuffers"/>).
    /// </summary>
    private void EachDirection(Stage stage, string body) => _w.Line(ForEachDirection(stage, body));

    /// <summary>The text <see cref="EachDirection"/> writes.</summary>
    private static string ForEachDirection(Stage stage, string body) => stage.Directions == 1 ? body.TrimEnd() : $$"""
        for (int d = 0; d < {{I(stage.Directions)}}; d++)
        {
            global::CodeGenLstm.Generated.RecurrentBuffers buffers = _stage{{I(stage.Index)}}[d];
            {{Indent(body, 1)}}
        }
        """;

    /// <summary>The one direction's buffers, as a local of the whole method (nothing with two directions: each loop declares its own).</summary>
    private string DeclareBuffers(Stage stage) => stage.Directions == 1 ? $"global::CodeGenLstm.Generated.RecurrentBuffers buffers = _stage{I(stage.Index)}[0];" : "";

    /// <summary>Where a direction's state starts in a state array of [layers * directions, batch, H] blocks.</summary>
    private static string StateAt(Stage stage, int offset) => stage.Directions == 1
        ? Terms.Times("batch", offset)
        : offset == 0 ? "d * H * batch" : $"({I(offset)} + d * H) * batch";

    /// <summary>The direction parameter of the recurrence methods: "int d, " with two directions, nothing with one.</summary>
    private static string DirectionParameter(Stage stage) => stage.Directions == 1 ? "" : "int d, ";

    /// <summary>Where one step of one sequence keeps its |dh|^2 partial sums, one per chunk of hidden units.</summary>
    private static string SquaresAt(Stage stage) => Chunks(stage) == 1
        ? "squares[t * batch + b]"
        : $"squares[(t * batch + b) * {I(Chunks(stage))} + j / {VectorWidth.Chunk}]";

    /// <summary>The part's share of a recurrence, as comments and locals: split, b0, b1, j0, j1, units.</summary>
    private string RecurrenceShare(Stage stage) => $$"""
        // This part's share: whole sequences (no synchronisation), or hidden units in chunks of {{VectorWidth.Chunk}} (a barrier
        // per step), or everything (part 0 alone); see RecurrenceSplit.
        int split = {{KernelEmitter.SharedClass}}.RecurrenceSplit(batch, H, G, parts);
        if (split == 0 && part > 0) return;
        int b0 = 0, b1 = batch, j0 = 0, j1 = H;
        if (split == 1) {{KernelEmitter.SharedClass}}.Split(batch, 1, part, parts, out b0, out b1);
        else if (split == 2) {{KernelEmitter.SharedClass}}.Split(H, {{VectorWidth.Chunk}}, part, parts, out j0, out j1);
        int units = j1 - j0;
        """;

    /// <summary>The runtime's packing of the stage's W_hh into the recurrent term's panels, for the stage's shape.</summary>
    private static string PackRecurrence(Stage stage) => $"{KernelEmitter.RecurrenceClass}.Pack<{KernelEmitter.Shape(stage.Kind, stage.Hidden)}>";

    /// <summary>The runtime's recurrent term W_hh h_{t-1} of one step, for the stage's shape.</summary>
    private static string AddRecurrentTerm(Stage stage) => $"{KernelEmitter.RecurrenceClass}.AddRecurrentTerm<{KernelEmitter.Shape(stage.Kind, stage.Hidden)}>";

    private void EmitRecurrentForward(Stage stage)
    {
        RecurrentCell cell = stage.Cell;
        int h = stage.Hidden, g = stage.GateWidth, input = stage.InputWidth, output = stage.OutputWidth, d = stage.Directions;
        string i = I(stage.Index);

        _w.Line($$"""
            /// <summary>
            /// Stage {{i}} forward: {{stage.Title}} ({{cell.Title}}), {{I(input)}} inputs -&gt; {{(d == 2 ? $"2 directions x {I(h)}" : I(h))}} per step;
            /// part <paramref name="part"/> of <paramref name="parts"/> running at once. The cell's equations{{(cell.Gates > 1 ? $", gates in PyTorch's order ({string.Join(", ", cell.GateOrder)})" : "")}}:
            {{cell.EquationComment()}}
            /// </summary>
            private void ForwardStage{{i}}(int part, int parts, {{Team}} team)
            {
                const int In = {{I(input)}}, H = {{I(h)}}, G = {{I(g)}};
                int width = _width, batch = _batch, steps = _steps, rows = batch * steps;
                {{ReadOnlySpan}} p = _parameters;
                {{ReadOnlySpan}} x = {{Activation(stage.Index)}};
                {{PrecisionLocals}}
            """);
        _w.Indented(1, () =>
        {
            if (d == 1) _w.Line(DeclareBuffers(stage));
            _w.Line($$"""

                // 1. The weights in the panels the kernels read, and the initial state. Parameters is the only source of
                //    truth: the panels are packed again (the parts packing panels in turn) whenever this stage's weights
                //    differ from those they were packed from, or the vector width changed.
                {{CheckWeights(stage)}}
                """);
            string packBias = cell.RecurrentTermApart
                ? $"if (part == 0) {KernelEmitter.SharedClass}.PackBias(width, p.Slice({Pick(stage, TensorRole.BiasIh)}, G), default, buffers.PackedBias);  // b_hh stays out: the reset gate scales the recurrent term of n, its bias included"
                : $"if (part == 0) {KernelEmitter.SharedClass}.PackBias(width, p.Slice({Pick(stage, TensorRole.BiasIh)}, G), p.Slice({Pick(stage, TensorRole.BiasHh)}, G), buffers.PackedBias);  // b_ih + b_hh";
            string cellState = !cell.HasCellState ? "" : $$"""

                    {{Span}} c0 = buffers.CState.AsSpan(0, batch * H);
                    if (_initialBatch == 0) c0.Clear(); else _initialC.AsSpan({{StateAt(stage, stage.CellStateOffset)}}, batch * H).CopyTo(c0);
                """.TrimEnd();
            string pack = $$"""
                {{KernelEmitter.SharedClass}}.PackPanels(width, p.Slice({{Pick(stage, TensorRole.WeightIh)}}, G * In), G, In, nMajor: true, buffers.PackedIh, part, parts);
                {{PackRecurrence(stage)}}(width, p.Slice({{Pick(stage, TensorRole.WeightHh)}}, G * H), buffers.PackedHh, part, parts);
                {{packBias}}
                """;
            EachDirection(stage, $$"""
                {{PackIfStale("buffers.PackedFrom", pack)}}
                {{BuildReduced(stage)}}
                if (part == 0)
                {
                    // The initial state: zeros, or what SetInitialState (or Stateful) left for this batch.
                    {{Span}} h0 = buffers.HState.AsSpan(0, batch * H);
                    if (_initialBatch == 0) h0.Clear(); else _initialH.AsSpan({{StateAt(stage, stage.StateOffset)}}, batch * H).CopyTo(h0);{{cellState}}
                }
                """);
            _w.Line("team.Barrier();");
            _w.Line();
            _w.Line(cell.RecurrentTermApart
                ? $"// 2. The input projection of every step and sequence, {(d == 2 ? "one product per direction" : "one product")}: gates[t, b] = W_ih x[t, b] + b_ih."
                : $"// 2. The input projection of every step and sequence, {(d == 2 ? "one product per direction" : "one product")}: gates[t, b] = W_ih x[t, b] + b_ih + b_hh.");
            _w.Line($$"""
                if ({{Int8Input(stage)}})
                {
                    {{Indent(Int8InputShare(stage), 1)}}
                    {{Indent(ForEachDirection(stage, Int8InputProjection), 1)}}
                }
                else
                {
                    {{KernelEmitter.SharedClass}}.SplitProduct(rows, G, part, parts, out int r0, out int r1, out int n0, out int n1);
                    {{Indent(ForEachDirection(stage, $"{KernelEmitter.SharedClass}.MatMul(width, In, G, x, In, buffers.PackedIh, buffers.PackedBias, buffers.Gates.AsSpan(0, rows * G), G, r0, r1, n0, n1, accumulate: false);"), 1)}}
                }
                """);
            _w.Line("team.Barrier();");
            _w.Line(RecordPacking(stage, Record("buffers.PackedFrom") + "\n" + RecordReduced(stage)));
            _w.Line();
            if (d == 2)
                _w.Line($$"""
                    // 3. The recurrence: with two parts, the two directions at once, one on each; else one after the other.
                    if (parts >= 2)
                    {
                        if (part < 2) ForwardRecurrence{{i}}(part, 0, 1, team);
                    }
                    else
                    {
                        ForwardRecurrence{{i}}(0, 0, 1, team);
                        ForwardRecurrence{{i}}(1, 0, 1, team);
                    }
                    team.Barrier();
                    """);
            else
                _w.Line($$"""
                    // 3. The recurrence, the parts sharing it (see RecurrenceSplit).
                    ForwardRecurrence{{i}}(part, parts, team);
                    team.Barrier();
                    """);
            _w.Line("""

                // 4. The final state, PyTorch's h_n (c_n), then what follows the layer; part 0 alone.
                if (part != 0) return;
                """);
            EachDirection(stage, $$"""
                // The last step wrote h_t into HNext when it was an even step, else into HState.
                ((steps & 1) == 1 ? buffers.HNext : buffers.HState).AsSpan(0, batch * H).CopyTo(_finalH.AsSpan({{StateAt(stage, stage.StateOffset)}}, batch * H));
                {{(cell.HasCellState ? $"buffers.CState.AsSpan(0, batch * H).CopyTo(_finalC.AsSpan({StateAt(stage, stage.CellStateOffset)}, batch * H));" : "")}}
                """);
            EmitResidualAndDropoutForward(stage);
        });
        _w.Line("}");
        _w.Line();
        EmitForwardRecurrence(stage);
    }

    private void EmitForwardRecurrence(Stage stage)
    {
        RecurrentCell cell = stage.Cell;
        int h = stage.Hidden, g = stage.GateWidth, output = stage.OutputWidth, d = stage.Directions;
        string i = I(stage.Index);
        _w.Line($$"""
            /// <summary>
            /// Stage {{i}}'s recurrence{{(d == 2 ? " in direction <paramref name=\"d\"/>" : "")}}, one step at a time: this part's share of the
            /// recurrent term, then of the {{cell.Title}} cell of each sequence. In training it keeps, at every step, what
            /// backward reads: the gates' activations (Gates), h_{t-1} (HPrev){{(cell.KeptForBackward.Count == 0 ? "" : ", " + string.Join(", ", cell.KeptForBackward))}}.
            /// </summary>
            private void ForwardRecurrence{{i}}({{DirectionParameter(stage)}}int part, int parts, {{Team}} team)
            {
                const int H = {{I(h)}}, G = {{I(g)}}, Out = {{I(output)}};
                int width = _width, batch = _batch, steps = _steps;
                bool training = _training;
                {{PrecisionLocals}}
                global::System.ReadOnlySpan<int> lengths = _lengths.AsSpan(0, batch);
                global::CodeGenLstm.Generated.RecurrentBuffers buffers = _stage{{i}}[{{(d == 2 ? "d" : "0")}}];
                {{ReadOnlySpan}} weightHh = (({{ReadOnlySpan}})_parameters).Slice({{Pick(stage, TensorRole.WeightHh)}}, G * H);
            """);
        _w.Indented(1, () =>
        {
            string locals = cell.ForwardLocals(Pick(stage, TensorRole.BiasHh));
            if (locals.Length > 0) _w.Line(locals);
            _w.Line($$"""
                {{Span}} gates = buffers.Gates.AsSpan(0, batch * steps * G);
                {{Span}} y = {{Activation(stage.Index + 1, "batch * steps")}};
                """);
            _w.Line(RecurrenceShare(stage));
            if (d == 2) _w.Line("bool reverse = d == 1;  // the reverse direction reads each sequence from its last valid step back to step 0");
            using (_w.Block("for (int s = 0; s < steps; s++)"))
            {
                _w.Line($$"""
                    int t = {{(d == 2 ? "reverse ? steps - 1 - s : s" : "s")}};
                    // h_{t-1} and h_t alternate between two buffers: every part reads all of h_{t-1} while it writes its share of h_t.
                    {{Span}} hPrev = ((s & 1) == 0 ? buffers.HState : buffers.HNext).AsSpan(0, batch * H);
                    {{Span}} h = ((s & 1) == 0 ? buffers.HNext : buffers.HState).AsSpan(0, batch * H);

                    """);
                _w.Line(cell.RecurrentTermApart
                    ? $$"""
                        // The recurrent term with its bias, kept apart: hiddenTerm[b] = W_hh h_{t-1}[b] + b_hh.
                        {{RecurrentTerm("biasHh", "hiddenTerm", $"{AddRecurrentTerm(stage)}(width, hPrev, buffers.PackedHh, weightHh, biasHh, hiddenTerm, G, b0, b1, j0, j1);")}}
                        """
                    : $$"""
                        // The recurrent term: gates[t, b] += W_hh h_{t-1}[b].
                        {{RecurrentTerm("default", "gates.Slice(t * batch * G)", $"{AddRecurrentTerm(stage)}(width, hPrev, buffers.PackedHh, weightHh, default, gates.Slice(t * batch * G), G, b0, b1, j0, j1);")}}
                        """);
                _w.Line();
                _w.Line("// The cell of each sequence, on this part's units.");
                using (_w.Block("for (int b = b0; b < b1; b++)"))
                {
                    _w.Line($$"""
                        int row = t * batch + b;  // time-major: a step's rows are contiguous
                        {{Span}} yb = y.Slice(row * Out + {{(d == 2 ? "d * H + " : "")}}j0, units);
                        if (t >= lengths[b])
                        {
                            // Padding: the state waits (forward: it is final; reverse: it has not started); the output is zero.
                            hPrev.Slice(b * H + j0, units).CopyTo(h.Slice(b * H + j0, units));
                            yb.Clear();
                            if (training) buffers.HPrev.AsSpan(row * H + j0, units).Clear();
                            continue;
                        }
                        if (training) hPrev.Slice(b * H + j0, units).CopyTo(buffers.HPrev.AsSpan(row * H + j0, units));
                        """);
                    _w.Line(cell.ForwardCall(_kernels, cell.KernelName(h, forward: true)));
                    _w.Line("h.Slice(b * H + j0, units).CopyTo(yb);");
                }
                _w.Line("if (split == 2) team.Barrier();  // every part's share of h_t is written before any part reads it");
            }
        });
        _w.Line("}");
        _w.Line();
    }

    private void EmitResidualAndDropoutForward(Stage stage)
    {
        if (stage.Residual)
        {
            _w.Line($$"""

                // Residual connection (GNMT): the stage's input is added to its output (both are zero at padded steps).
                {{KernelEmitter.SharedClass}}.Add(width, x, {{Activation(stage.Index + 1)}});
                """);
        }
        if (stage.DropoutSite >= 0)
        {
            _w.Line($$"""

                // Dropout between stacked layers, in training only: each unit kept with probability 1 - p and scaled by 1 / (1 - p).
                if (_training)
                {
                    {{Span}} mask = _mask{{I(stage.Index)}}.AsSpan(0, rows * {{I(stage.OutputWidth)}});
                    global::CodeGenLstm.DropoutMask.Fill(mask, _seed, _trainingCalls, site: {{I(stage.DropoutSite)}}, probability: {{Literals.Float(stage.Layer.Dropout)}});
                    {{KernelEmitter.SharedClass}}.MultiplyMask(width, mask, {{Activation(stage.Index + 1)}}, batch, steps, {{I(stage.OutputWidth)}});
                }
                """);
        }
    }

    private void EmitRecurrentBackward(Stage stage)
    {
        bool apart = stage.Cell.RecurrentTermApart;
        int h = stage.Hidden, g = stage.GateWidth, input = stage.InputWidth, output = stage.OutputWidth, d = stage.Directions;
        string i = I(stage.Index);
        string wantDx = stage.Index == 0 ? "_wantInputGradient" : "true";
        string recurrentGradient = apart ? "dHidden" : "dGates";  // the gradient of W_hh h_{t-1} (+ b_hh)

        _w.Line($$"""
            /// <summary>
            /// Stage {{i}} backward: backpropagation through time for {{stage.Title}}, part <paramref name="part"/> of
            /// <paramref name="parts"/>. Reads dL/d(output) from the workspace, adds the weights' gradients to Gradients
            /// and writes dL/d(input) to the workspace{{(stage.Index == 0 ? " (when the caller wants it)" : "")}}.
            /// </summary>
            private void BackwardStage{{i}}(int part, int parts, {{Team}} team)
            {
                const int In = {{I(input)}}, H = {{I(h)}}, G = {{I(g)}};
                int width = _width, batch = _batch, steps = _steps, rows = batch * steps;
                {{ReadOnlySpan}} p = _parameters;
                {{Span}} grad = _gradients;
                {{ReadOnlySpan}} x = {{Activation(stage.Index)}};
                {{Span}} dx = _activationGradient{{i}}.AsSpan(0, rows * In);
                bool wantDx = {{wantDx}};
            """);
        _w.Indented(1, () =>
        {
            if (d == 1) _w.Line(DeclareBuffers(stage));
            if (stage.DropoutSite >= 0)
                _w.Line($$"""

                    // Dropout: the gradient flows through the kept units only, scaled as they were.
                    if (part == 0) {{KernelEmitter.SharedClass}}.MultiplyMask(width, _mask{{i}}.AsSpan(0, rows * {{I(output)}}), _activationGradient{{I(stage.Index + 1)}}.AsSpan(0, rows * {{I(output)}}), batch, steps, {{I(output)}});
                    """);
            _w.Line($$"""

                // 1. W_hh in panels for dL/dh_{t-1} = dG W_hh and W_ih for dx = dG W_ih, packed again (the parts packing
                //    panels in turn) when Parameters differs from the weights they were packed from.
                {{CheckWeights(stage)}}
                """);
            EachDirection(stage, $$"""
                {{PackIfStale("buffers.PackedHhTFrom", $"{KernelEmitter.SharedClass}.PackPanels(width, p.Slice({Pick(stage, TensorRole.WeightHh)}, G * H), H, G, nMajor: false, buffers.PackedHhT, part, parts);")}}
                {{PackIfStale("buffers.PackedIhTFrom", $"{KernelEmitter.SharedClass}.PackPanels(width, p.Slice({Pick(stage, TensorRole.WeightIh)}, G * In), In, G, nMajor: false, buffers.PackedIhT, part, parts);", when: "wantDx")}}
                """);
            _w.Line("team.Barrier();");
            _w.Line();
            if (d == 2)
                _w.Line($$"""
                    // 2. Through time: with two parts, the two directions at once, one on each; else one after the other.
                    if (parts >= 2)
                    {
                        if (part < 2) BackwardRecurrence{{i}}(part, 0, 1, team);
                    }
                    else
                    {
                        BackwardRecurrence{{i}}(0, 0, 1, team);
                        BackwardRecurrence{{i}}(1, 0, 1, team);
                    }
                    team.Barrier();
                    """);
            else
                _w.Line($$"""
                    // 2. Through time, the parts sharing the recurrence (see RecurrenceSplit).
                    BackwardRecurrence{{i}}(part, parts, team);
                    team.Barrier();
                    """);
            _w.Line(RecordPacking(stage, $$"""
                {{Record("buffers.PackedHhTFrom")}}
                if (wantDx) {{Record("buffers.PackedIhTFrom")}}
                """));
            _w.Line($$"""

                // 3. The weights' gradients, each one product over every sequence and step; the parts take rows of
                //    the weight gradients, and chunks of the bias gradients, in turn.
                {{KernelEmitter.SharedClass}}.Split(G, 1, part, parts, out int g0, out int g1);
                {{KernelEmitter.SharedClass}}.Split(G, {{VectorWidth.Chunk}}, part, parts, out int n0, out int n1);
                """);
            EachDirection(stage, $$"""
                {{DirectionOffsets(stage)}}{{ReadOnlySpan}} dGates = buffers.DGates.AsSpan(0, rows * G);
                {{(!apart ? "" : $"{ReadOnlySpan} dHidden = buffers.DHidden.AsSpan(0, rows * G);  // the recurrent term's own gradient\n")}}{{KernelEmitter.SharedClass}}.MatMulTransposedA(width, G, In, dGates, G, x, In, grad.Slice({{GradientAt(stage, TensorRole.WeightIh, "weightIhAt")}}, G * In), rows, g0, g1);
                {{KernelEmitter.SharedClass}}.MatMulTransposedA(width, G, H, {{recurrentGradient}}, G, buffers.HPrev.AsSpan(0, rows * H), H, grad.Slice({{GradientAt(stage, TensorRole.WeightHh, "weightHhAt")}}, G * H), rows, g0, g1);
                {{KernelEmitter.SharedClass}}.AddColumnSums(width, G, dGates, G, rows, grad.Slice({{GradientAt(stage, TensorRole.BiasIh, "biasIhAt")}}, G), n0, n1);
                {{KernelEmitter.SharedClass}}.AddColumnSums(width, G, {{recurrentGradient}}, G, rows, grad.Slice({{GradientAt(stage, TensorRole.BiasHh, "biasHhAt")}}, G), n0, n1);
                """);
            _w.Line($$"""

                // 4. The input's gradient{{(d == 2 ? ", summed over the directions in order" : "")}}: dx = d(pre-activations) W_ih.
                if (!wantDx) return;
                {{KernelEmitter.SharedClass}}.SplitProduct(rows, In, part, parts, out int r0, out int r1, out int c0, out int c1);
                """);
            EachDirection(stage,
                $"{KernelEmitter.SharedClass}.MatMul(width, G, In, buffers.DGates.AsSpan(0, rows * G), G, buffers.PackedIhT, default, dx, In, r0, r1, c0, c1, accumulate: {(d == 2 ? "d > 0" : "false")});");
            if (stage.Residual)
                _w.Line($$"""

                    // Residual connection: the output's gradient reaches the input unchanged as well.
                    team.Barrier();
                    if (part == 0) {{KernelEmitter.SharedClass}}.Add(width, _activationGradient{{I(stage.Index + 1)}}.AsSpan(0, rows * {{I(output)}}), dx);
                    """);
        });
        _w.Line("}");
        _w.Line();
        EmitBackwardRecurrence(stage);
    }

    /// <summary>
    /// The method that tells whether a stage's weights changed since its panels were packed: an exact
    /// comparison of bytes with the copy kept at the last packing (one read of the weights, at memory speed,
    /// the parts each reading a share).
    /// </summary>
    public void EmitWeightCheck(Stage stage)
    {
        if (stage.Kind == LayerKind.Embedding) return;
        int start = stage.Tensors[0].Offset, end = stage.Tensors[stage.Tensors.Count - 1].End;
        string i = I(stage.Index);
        _w.Line($$"""
            // Stage {{i}}'s weights (Parameters[{{I(start)}}..{{I(end)}})) against the copy its panels were packed from: the weights'
            // version, one more when they changed (WeightCheck.Compare; every part returns the same).
            private int CheckWeights{{i}}(int part, int parts, {{Team}} team) => global::CodeGenLstm.Generated.WeightCheck.Compare(
                (({{ReadOnlySpan}})_parameters).Slice({{I(start)}}, {{I(end - start)}}), _weightsPacked{{i}}, ref _checkedEpoch{{i}}, _weightsVersion{{i}},
                _callEpoch, _callLent, _weightsChanged, part, parts, team);

            """);
    }

    private void EmitBackwardRecurrence(Stage stage)
    {
        RecurrentCell cell = stage.Cell;
        int h = stage.Hidden, g = stage.GateWidth, output = stage.OutputWidth, d = stage.Directions;
        string i = I(stage.Index);
        bool top = stage.Index == _layout.TopRecurrentStage;
        string recurrentGradient = cell.RecurrentTermApart ? "dHidden" : "dGates";
        int chunks = Chunks(stage);
        _w.Line($$"""
            /// <summary>
            /// Stage {{i}}'s backpropagation through time{{(d == 2 ? " in direction <paramref name=\"d\"/>" : "")}}, from the last step to the
            /// first: this part's share of the {{cell.Title}} cell's gradient for each sequence, then of dL/dh_{t-1}.
            /// </summary>
            private void BackwardRecurrence{{i}}({{DirectionParameter(stage)}}int part, int parts, {{Team}} team)
            {
                const int H = {{I(h)}}, G = {{I(g)}}, Out = {{I(output)}};
                int width = _width, batch = _batch, steps = _steps;
                global::System.ReadOnlySpan<int> lengths = _lengths.AsSpan(0, batch);
                global::CodeGenLstm.Generated.RecurrentBuffers buffers = _stage{{i}}[{{(d == 2 ? "d" : "0")}}];
                {{Span}} dy = _activationGradient{{I(stage.Index + 1)}}.AsSpan(0, batch * steps * Out);
                {{Span}} dGates = buffers.DGates.AsSpan(0, batch * steps * G);
                {{Span}} dh = buffers.DhRecurrent.AsSpan(0, batch * H);
            """);
        _w.Indented(1, () =>
        {
            if (cell.BackwardLocals.Length > 0) _w.Line(cell.BackwardLocals);
            if (top)
                _w.Line($$"""
                    // |dh|^2 per step, sequence and chunk of {{VectorWidth.Chunk}} units: summed in a fixed order afterwards, so that
                    // StepGradientNorms does not depend on how the parts shared the work.
                    {{Span}} squares = _stepSquares.AsSpan({{(d == 2 ? Terms.Times("d * steps * batch", chunks) : "0")}}, {{Terms.Times("steps * batch", chunks)}});
                    """);
            _w.Line(RecurrenceShare(stage));
            if (d == 2) _w.Line("bool reverse = d == 1;");
            _w.Line("// The final state receives no gradient from outside.");
            using (_w.Block("for (int b = b0; b < b1; b++)"))
            {
                _w.Line("dh.Slice(b * H + j0, units).Clear();");
                if (cell.HasCellState) _w.Line("dc.Slice(b * H + j0, units).Clear();");
            }
            _w.Line();
            using (_w.Block("for (int s = steps - 1; s >= 0; s--)"))
            {
                _w.Line($"int t = {(d == 2 ? "reverse ? steps - 1 - s : s" : "s")};");
                using (_w.Block("for (int b = b0; b < b1; b++)"))
                {
                    _w.Line("int row = t * batch + b;");
                    using (_w.Block("if (t >= lengths[b])"))
                    {
                        _w.Line($"// Padding: nothing happened at this step; {cell.PaddedGradients} pass through unchanged.");
                        string clear = cell.RecurrentTermApart
                            ? "dGates.Slice(row * G + gate * H + j0, units).Clear();\ndHidden.Slice(row * G + gate * H + j0, units).Clear();"
                            : "dGates.Slice(row * G + gate * H + j0, units).Clear();";
                        if (g == h)
                            _w.Line(clear.Replace("gate * H + ", ""));
                        else
                            using (_w.Block($"for (int gate = 0; gate < {I(g / h)}; gate++)"))
                                _w.Line(clear);
                        if (top) _w.Line($"for (int j = j0; j < j1; j += {VectorWidth.Chunk}) {SquaresAt(stage)} = 0f;");
                        _w.Line("continue;");
                    }
                    using (_w.Block($"for (int j = j0; j < j1; j += {VectorWidth.Chunk})"))
                    {
                        string common = $"width, j, global::System.Math.Min(j + {VectorWidth.Chunk}, j1), dy.Slice(row * Out{(d == 2 ? " + d * H" : "")}, H), dh.Slice(b * H, H)";
                        string call = cell.BackwardCall(_kernels, cell.KernelName(h, forward: false), common);
                        _w.Line($"float sum = {call};");
                        _w.Line(top
                            ? $"{SquaresAt(stage)} = sum;"
                            : "_ = sum;  // reported for the top recurrent layer only");
                    }
                }
                _w.Line($$"""
                    if (split == 2) team.Barrier();  // every part's share of the step's gate gradients is written before any part reads them
                    // dL/dh_{t-1} of this part's sequences and units: dh += d(pre-activations) W_hh.
                    {{KernelEmitter.SharedClass}}.MatMul(width, G, H, {{recurrentGradient}}.Slice(t * batch * G), G, buffers.PackedHhT, default, dh, H, b0, b1, j0, j1, accumulate: true);
                    """);
            }
        });
        _w.Line("}");
        _w.Line();
    }
}
