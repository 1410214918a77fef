using System.Linq;
using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting;

internal sealed partial class ClassWriter
{
    private const string Growth = "global::CodeGenLstm.Generated.WorkspaceGrowth";

    /// <summary>Floats of a weight packed into panels of the widest width: whole panels of 64 columns.</summary>
    private static int Padded(int columns) => (columns + VectorWidth.Chunk - 1) / VectorWidth.Chunk * VectorWidth.Chunk;

    private Stage? TopStage => _layout.TopRecurrentStage >= 0 ? _layout.Stages[_layout.TopRecurrentStage] : null;

    /// <summary>
    /// The workspace: every buffer a call needs, sized for the largest batch and steps seen so far and
    /// reused, so that calls after the first allocate nothing.
    /// </summary>
    public void EmitWorkspace()
    {
        _w.Line("// ---- Workspace: grown to the largest batch and steps seen, then reused (no allocation per call). ----");
        _w.Line("private global::CodeGenLstm.Generated.WorkspaceCapacity _capacity;  // the largest rows, batch and steps seen");
        _w.Line("private int[] _lengths = global::System.Array.Empty<int>();");
        if (_spec.TakesTokens) _w.Line("private int[] _tokens = global::System.Array.Empty<int>();");
        _w.Line("// Activation i is the input of stage i (the last one the output), time-major [steps, batch, width]: a step's rows are");
        _w.Line("// together. _activationGradient{i} is dL/d(activation i), laid out alike.");
        _w.Line("// Every stage reads and writes these, never the caller's spans, because worker threads run parts of the stages.");
        for (int i = _spec.TakesTokens ? 1 : 0; i <= StageCount; i++)
            _w.Line($"private float[] _activation{I(i)} = global::System.Array.Empty<float>();  // [{(i == StageCount && _spec.LastStep ? "batch" : "steps, batch")}, {I(_layout.ActivationWidth(i))}]");
        for (int i = _spec.TakesTokens ? 1 : 0; i <= StageCount; i++)
            _w.Line($"private float[] _activationGradient{I(i)} = global::System.Array.Empty<float>();");
        foreach (Stage stage in _layout.Stages)
        {
            if (stage.IsRecurrent)
                _w.Line($"private readonly global::CodeGenLstm.Generated.RecurrentBuffers[] _stage{I(stage.Index)} = {{ {string.Join(", ", Enumerable.Repeat("new()", stage.Directions))} }};  // {stage.Title}, one per direction");
            if (stage.Kind != LayerKind.Embedding)
            {
                int length = stage.Tensors[stage.Tensors.Count - 1].End - stage.Tensors[0].Offset;
                _w.Line($"private readonly float[] _weightsPacked{I(stage.Index)} = new float[{I(length)}];  // {stage.Title}: its weights as its panels were last packed from them");
                _w.Line($"private int _weightsVersion{I(stage.Index)};  // bumped whenever Parameters no longer matches _weightsPacked{I(stage.Index)}");
                _w.Line($"private int _checkedEpoch{I(stage.Index)} = -1;  // _parametersEpoch when this stage last compared its weights");
            }
            if (stage.Kind == LayerKind.Dense)
            {
                _w.Line($"private readonly float[] _packed{I(stage.Index)} = new float[{I(Padded(stage.Hidden) * stage.InputWidth)}];  // {stage.Layer.Name}.weight as B = W^T [{I(stage.InputWidth)}, {I(stage.Hidden)}], in panels");
                _w.Line($"private readonly float[] _packedBias{I(stage.Index)} = new float[{I(Padded(stage.Hidden))}];  // {stage.Layer.Name}.bias, padded to whole panels");
                _w.Line($"private float[] _packedT{I(stage.Index)} = global::System.Array.Empty<float>();  // {stage.Layer.Name}.weight as B = W [{I(stage.Hidden)}, {I(stage.InputWidth)}], in panels (backward)");
                _w.Line($"private {Stamp} _packedFrom{I(stage.Index)}, _packedTFrom{I(stage.Index)};  // what the panels were packed from (default: nothing yet)");
            }
            if (stage.LastStep)
                _w.Line($"private float[] _lastSteps{I(stage.Index)} = global::System.Array.Empty<float>(), _lastStepsGradient{I(stage.Index)} = global::System.Array.Empty<float>();  // [batch, {I(stage.InputWidth)}]");
            if (stage.DropoutSite >= 0)
                _w.Line($"private float[] _mask{I(stage.Index)} = global::System.Array.Empty<float>();  // [steps, batch, {I(stage.OutputWidth)}]: dropout mask after {stage.Title}");
        }
        if (HasWeightedStages)
        {
            _w.Line("private readonly bool[] _weightsChanged = new bool[global::System.Environment.ProcessorCount];  // per part: its share of some stage's weights changed");
            _w.Line("// Only two things can change the weights: a span lent by Parameters (kept and written at any time, so once one is");
            _w.Line("// lent every call compares), and the constructor or ImportParameters (which count an epoch). Neither since a stage");
            _w.Line("// last compared: its weights are those it compared, and the comparison (two reads of every weight) is skipped.");
            _w.Line("// Code in this class's other parts that writes _parameters directly must take Parameters instead, or be missed.");
            _w.Line("private bool _parametersLent;");
            _w.Line("private int _parametersEpoch;");
            _w.Line("private bool _callLent;  // the two above, read once by Forward and Backward: every part of every stage decides alike");
            _w.Line("private int _callEpoch;");
        }
        if (TopStage is { } top)
            _w.Line($"private float[] _stepSquares = global::System.Array.Empty<float>();  // [directions, steps, batch, {I(Chunks(top))} chunks]: |dh|^2 of the top recurrent layer");
        _w.Line();

        _w.Line($$"""
            // Grows all or nothing (see WorkspaceGrowth): every size is checked, then every new array allocated, then
            // all are stored; a call rejected here (too large) or out of memory leaves the model as it was.
            private void EnsureWorkspace(int batch, int steps)
            {
                if (_capacity.Holds(batch, steps)) return;
                {{Growth}} growth = _capacity.Grow(batch, steps);  // not var: a user type named var would capture it
                do GrowWorkspace(growth, growth.Rows, growth.Batch, growth.Steps); while (growth.NextPass());
                _capacity.Record(growth);
            }

            private void GrowWorkspace({{Growth}} growth, long rows, int b, int s)
            {
            """);
        _w.Line("    growth.Ensure(ref _lengths, b);");
        if (_spec.TakesTokens) _w.Line("    growth.Ensure(ref _tokens, rows);");
        for (int i = _spec.TakesTokens ? 1 : 0; i <= StageCount; i++)
        {
            string n = i == StageCount && _spec.LastStep ? "(long)b" : "rows";
            _w.Line($"    growth.Ensure(ref _activation{I(i)}, ref _activationGradient{I(i)}, {Terms.Times(n, _layout.ActivationWidth(i))});");
        }
        foreach (Stage stage in _layout.Stages)
        {
            if (stage.IsRecurrent)
            {
                string flags = $"{(stage.Cell.HasCellState ? "true" : "false")}, {(stage.Cell.RecurrentTermApart ? "true" : "false")}";
                _w.Line($"    foreach (global::CodeGenLstm.Generated.RecurrentBuffers buffers in _stage{I(stage.Index)}) buffers.Ensure(growth, rows, b, {I(stage.InputWidth)}, {I(stage.Hidden)}, {I(stage.GateWidth)}, {flags});");
            }
            if (stage.Kind == LayerKind.Dense)
                _w.Line($"    growth.Ensure(ref _packedT{I(stage.Index)}, {I(Padded(stage.InputWidth) * stage.Hidden)});");
            if (stage.LastStep)
                _w.Line($"    growth.Ensure(ref _lastSteps{I(stage.Index)}, ref _lastStepsGradient{I(stage.Index)}, (long)b * {I(stage.InputWidth)});");
            if (stage.DropoutSite >= 0)
                _w.Line($"    growth.Ensure(ref _mask{I(stage.Index)}, rows * {I(stage.OutputWidth)});");
        }
        if (TopStage is { } topStage)
            _w.Line($"    growth.Ensure(ref _stepSquares, {Terms.Times("rows", topStage.Directions * Chunks(topStage))});");
        if (_layout.HasRecurrent) _w.Line($"    growth.Ensure(ref _stepNorms, s);");
        _w.Line("""
                growth.Ensure(ref _finalH, (long)b * StateSize);
                growth.Ensure(ref _finalC, (long)b * CellStateSize);
            }
            """);
        _w.Line();
    }

    /// <summary>The nested type: the work handed to worker threads (the recurrent stages' per-direction buffers are the runtime's RecurrentBuffers).</summary>
    public void EmitBufferTypes()
    {
        string model = Literals.Identifier(_spec.ClassName);
        _w.Line($$"""
            /// <summary>Runs one stage's forward or backward pass in parts on the worker threads (one instance per model, reused).</summary>
            private sealed class StageWork : global::CodeGenLstm.Generated.ParallelWork
            {
                private readonly {{model}} _model;
                public int Stage;
                public bool Backward;

                public StageWork({{model}} model) => _model = model;

                public override void Execute(int part, int parts, {{Team}} team) => _model.ExecuteStage(Stage, Backward, part, parts, team);
            }
            """);
    }
}
