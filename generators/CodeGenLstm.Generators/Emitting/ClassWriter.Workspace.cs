using System.Linq;
using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting;

internal sealed partial class ClassWriter
{
    private bool HasGru => _layout.Stages.Any(s => s.Kind == LayerKind.Gru);

    private int MaxGateWidth => _layout.Stages.Where(s => s.IsRecurrent).Select(s => s.GateWidth).DefaultIfEmpty(0).Max();

    private int MaxHidden => _layout.Stages.Where(s => s.IsRecurrent).Select(s => s.Hidden).DefaultIfEmpty(0).Max();

    /// <summary>
    /// The workspace: every buffer a call needs, sized for the largest batch and steps seen so far and
    /// reused, so that calls after the first allocate nothing.
    /// </summary>
    public void EmitWorkspace()
    {
        _w.Line("// ---- Workspace: grown to the largest batch and steps seen, then reused (no allocation per call). ----");
        _w.Line("private int _capacityRows, _capacityBatch, _capacitySteps;");
        _w.Line("private int[] _lengths = global::System.Array.Empty<int>();");
        if (_spec.TakesTokens) _w.Line("private int[] _tokens = global::System.Array.Empty<int>();");
        _w.Line("// Activation i is the input of stage i, [batch, steps, width]; _activationGradient{i} is dL/d(activation i).");
        for (int i = _spec.TakesTokens ? 1 : 0; i < StageCount; i++)
            _w.Line($"private float[] _activation{I(i)} = global::System.Array.Empty<float>();  // [batch, steps, {I(_layout.ActivationWidth(i))}]");
        for (int i = 1; i <= StageCount; i++)
            _w.Line($"private float[] _activationGradient{I(i)} = global::System.Array.Empty<float>();");
        foreach (Stage stage in _layout.Stages)
        {
            if (stage.IsRecurrent)
                _w.Line($"private readonly RecurrentBuffers[] _stage{I(stage.Index)} = {{ {string.Join(", ", Enumerable.Repeat("new()", stage.Directions))} }};  // {stage.Title}, one per direction");
            if (stage.Kind == LayerKind.Dense)
                _w.Line($"private readonly float[] _packed{I(stage.Index)} = new float[{I(stage.Hidden * stage.InputWidth)}];  // {stage.Layer.Name}.weight transposed, [{I(stage.InputWidth)}, {I(stage.Hidden)}]");
            if (stage.LastStep)
                _w.Line($"private float[] _lastSteps{I(stage.Index)} = global::System.Array.Empty<float>(), _lastStepsGradient{I(stage.Index)} = global::System.Array.Empty<float>();  // [batch, {I(stage.InputWidth)}]");
            if (stage.DropoutSite >= 0)
                _w.Line($"private float[] _mask{I(stage.Index)} = global::System.Array.Empty<float>();  // dropout mask after {stage.Title}");
        }
        if (_layout.HasRecurrent)
        {
            _w.Line("// Backward scratch shared by the recurrent stages (one stage runs at a time).");
            _w.Line("private float[] _dGates = global::System.Array.Empty<float>();       // [batch, steps, gates * hidden]: dL/d(pre-activations)");
            if (HasGru) _w.Line("private float[] _dHidden = global::System.Array.Empty<float>();      // [batch, steps, 3 * hidden]: GRU's dL/d(W_hh h + b_hh)");
            _w.Line("private float[] _dhRecurrent = global::System.Array.Empty<float>();  // [batch, hidden]: dL/dh_{t-1} flowing back through W_hh");
            if (_layout.HasLstm) _w.Line("private float[] _dcRecurrent = global::System.Array.Empty<float>();  // [batch, hidden]: dL/dc_{t-1}");
        }
        _w.Line();

        _w.Line("private void EnsureWorkspace(int batch, int steps)");
        _w.Line("{");
        _w.Line("""
                if ((long)batch * steps <= _capacityRows && batch <= _capacityBatch && steps <= _capacitySteps) return;
                long rows = global::System.Math.Max((long)batch * steps, _capacityRows);
                int b = global::System.Math.Max(batch, _capacityBatch), s = global::System.Math.Max(steps, _capacitySteps);
            """);
        _w.Line($"    {Support}.Ensure(ref _lengths, b);");
        if (_spec.TakesTokens) _w.Line($"    {Support}.Ensure(ref _tokens, rows);");
        for (int i = _spec.TakesTokens ? 1 : 0; i < StageCount; i++)
            _w.Line($"    {Support}.Ensure(ref _activation{I(i)}, rows * {I(_layout.ActivationWidth(i))});");
        for (int i = 1; i <= StageCount; i++)
            _w.Line($"    {Support}.Ensure(ref _activationGradient{I(i)}, {(i == StageCount && _spec.LastStep ? "b" : "rows")} * {I(_layout.ActivationWidth(i))});");
        foreach (Stage stage in _layout.Stages)
        {
            if (stage.IsRecurrent)
            {
                string flags = $"{(stage.Kind == LayerKind.Lstm ? "true" : "false")}, {(stage.Kind == LayerKind.Gru ? "true" : "false")}";
                _w.Line($"    foreach (RecurrentBuffers buffers in _stage{I(stage.Index)}) buffers.Ensure(rows, b, {I(stage.InputWidth)}, {I(stage.Hidden)}, {I(stage.GateWidth)}, {flags});");
            }
            if (stage.LastStep)
            {
                _w.Line($"    {Support}.Ensure(ref _lastSteps{I(stage.Index)}, (long)b * {I(stage.InputWidth)});");
                _w.Line($"    {Support}.Ensure(ref _lastStepsGradient{I(stage.Index)}, (long)b * {I(stage.InputWidth)});");
            }
            if (stage.DropoutSite >= 0)
                _w.Line($"    {Support}.Ensure(ref _mask{I(stage.Index)}, rows * {I(stage.OutputWidth)});");
        }
        if (_layout.HasRecurrent)
        {
            _w.Line($"    {Support}.Ensure(ref _dGates, rows * {I(MaxGateWidth)});");
            if (HasGru) _w.Line($"    {Support}.Ensure(ref _dHidden, rows * {I(MaxGateWidth)});");
            _w.Line($"    {Support}.Ensure(ref _dhRecurrent, (long)b * {I(MaxHidden)});");
            if (_layout.HasLstm) _w.Line($"    {Support}.Ensure(ref _dcRecurrent, (long)b * {I(MaxHidden)});");
        }
        if (_layout.HasRecurrent) _w.Line($"    {Support}.Ensure(ref _stepNorms, s);");
        _w.Line("""
                global::CodeGenLstm.Generated.ModelSupport.Ensure(ref _finalH, (long)b * StateSize);
                global::CodeGenLstm.Generated.ModelSupport.Ensure(ref _finalC, (long)b * CellStateSize);
                _capacityRows = (int)rows;
                _capacityBatch = b;
                _capacitySteps = s;
            }
            """);
        _w.Line();
    }

    /// <summary>The nested buffer type of the recurrent stages.</summary>
    public void EmitBufferTypes()
    {
        if (!_layout.HasRecurrent) return;
        _w.Line($$"""
            /// <summary>What one direction of one recurrent stage keeps from forward for backward.</summary>
            private sealed class RecurrentBuffers
            {
                public float[] Gates = global::System.Array.Empty<float>();      // [batch, steps, gates * H]: pre-activations, then activations
                public float[] HPrev = global::System.Array.Empty<float>();      // [batch, steps, H]: h_{t-1} at each step (zero at padding)
                public float[] CPrev = global::System.Array.Empty<float>();      // [batch, steps, H]: c_{t-1} (LSTM)
                public float[] TanhC = global::System.Array.Empty<float>();      // [batch, steps, H]: tanh(c_t) (LSTM)
                public float[] HiddenN = global::System.Array.Empty<float>();    // [batch, steps, H]: W_hn h_{t-1} + b_hn (GRU)
                public float[] HState = global::System.Array.Empty<float>();     // [batch, H]: h while stepping
                public float[] CState = global::System.Array.Empty<float>();     // [batch, H]: c while stepping (LSTM)
                public float[] HiddenTerm = global::System.Array.Empty<float>(); // [batch, 3H]: W_hh h + b_hh of one step (GRU)
                public float[] PackedIh = global::System.Array.Empty<float>();   // W_ih transposed, [in, gates * H]
                public float[] PackedHh = global::System.Array.Empty<float>();   // W_hh transposed, [H, gates * H]

                public void Ensure(long rows, int batch, int input, int hidden, int gates, bool lstm, bool gru)
                {
                    {{Support}}.Ensure(ref Gates, rows * gates);
                    {{Support}}.Ensure(ref HPrev, rows * hidden);
                    {{Support}}.Ensure(ref HState, (long)batch * hidden);
                    {{Support}}.Ensure(ref PackedIh, (long)input * gates);
                    {{Support}}.Ensure(ref PackedHh, (long)hidden * gates);
                    if (lstm)
                    {
                        {{Support}}.Ensure(ref CPrev, rows * hidden);
                        {{Support}}.Ensure(ref TanhC, rows * hidden);
                        {{Support}}.Ensure(ref CState, (long)batch * hidden);
                    }
                    if (gru)
                    {
                        {{Support}}.Ensure(ref HiddenN, rows * hidden);
                        {{Support}}.Ensure(ref HiddenTerm, (long)batch * gates);
                    }
                }
            }
            """);
    }
}
