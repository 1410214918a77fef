using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.Generators.Emitting.Cells;
using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting;

/// <summary>
/// Writes the members of the model class: the public surface of docs/api.md, the workspace,
/// and one forward and one backward method per stage (in ClassWriter.*.cs by kind of stage).
/// </summary>
internal sealed partial class ClassWriter
{
    // global:: prefixes keep user types named Span, Array or NamedTensor from capturing ours.
    internal const string Span = "global::System.Span<float>";
    internal const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";
    private const string IntSpan = "global::System.ReadOnlySpan<int>";
    private const string Support = "global::CodeGenLstm.Generated.ModelSupport";

    // The stage methods carry no AggressiveOptimization, unlike the kernels they call (KernelEmitter.Optimized). Their
    // first calls run at the JIT's first tier, which costs little: the kernels, compiled fully optimised from the
    // start, do the work. Tiered compilation then recompiles them with the running model's profile (dynamic PGO),
    // which AggressiveOptimization gives up: with the attribute, LSTM H=64 B=1 training ran 5% slower (Zen 5, builds
    // compared in one process), and call 1 was no faster (it compiled the stage methods fully optimised instead).

    /// <summary>
    /// The documentation of a member whose text is the same for every model: written once, on the runtime
    /// interface the model implements (ISequenceModel), and shown from there by IntelliSense.
    /// </summary>
    private const string InheritDoc = "/// <inheritdoc/>";

    private const string GeneratedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"CodeGenLstm.Generators\", \"" + ModelEmitter.Version + "\")]";

    private readonly SourceWriter _w;
    private readonly ModelLayout _layout;
    private readonly ModelSpec _spec;
    private readonly string _kernels;

    public ClassWriter(SourceWriter writer, ModelLayout layout, string kernels)
    {
        _w = writer;
        _layout = layout;
        _spec = layout.Spec;
        _kernels = kernels;
    }

    private int StageCount => _layout.Stages.Count;
    private Stage Last => _layout.Stages[StageCount - 1];

    /// <summary>Whether any stage has weights of its own (all but Embedding), so packs them and compares them before use.</summary>
    private bool HasWeightedStages => _layout.Stages.Any(s => s.Kind != LayerKind.Embedding);

    /// <summary>The lines of Forward and Backward that read, once per call, whether the stages compare their weights.</summary>
    private string ReadWeightFacts => HasWeightedStages
        ? "    _callLent = _parametersLent;  // whether the stages compare their weights: see _parametersLent\n    _callEpoch = _parametersEpoch;\n"
        : "";

    private static string I(int value) => Literals.Int(value);

    /// <summary>
    /// The first statement of every public call: one call at a time per instance (see CallGuard), left when the
    /// scope ends, as a try/finally would. No generated parameter or local is named call.
    /// </summary>
    private string EnterCall => $"using global::CodeGenLstm.Generated.CallScope call = global::CodeGenLstm.Generated.CallGuard.Scope(ref _callThread, {Literals.String(_spec.ClassName)});";

    /// <summary>The expression for activation i as a span of rows: the input of stage i.</summary>
    private string Activation(int i, string rows = "rows") => $"_activation{i}.AsSpan(0, {Terms.Times(rows, _layout.ActivationWidth(i))})";

    private string OutputShape => _spec.LastStep ? "batch * OutputSize" : "batch * steps * OutputSize";
    private string OutputShapeText => _spec.LastStep ? "[batch, OutputSize]" : "[batch, steps, OutputSize]";

    // ----------------------------------------------------------------------------------------------
    // Constants
    // ----------------------------------------------------------------------------------------------

    public void EmitConstants()
    {
        _w.Line($"""
            /// <summary>Features per step of the input{(_spec.TakesTokens ? " (1: a token id)" : "")}.</summary>
            public const int InputSize = {I(_spec.InputSize)};

            /// <summary>Features of the output {(_spec.LastStep ? "per sequence (Readout.LastStep)" : "per step")}.</summary>
            public const int OutputSize = {I(_spec.OutputSize)};

            /// <summary>Number of floats in <see cref="Parameters"/> and <see cref="Gradients"/>.</summary>
            public const int ParameterCount = {I(_layout.ParameterCount)};

            /// <summary>Hidden-state floats per sequence: the sum over recurrent layers of layers * directions * hidden (see <see cref="SetInitialState"/>).</summary>
            public const int StateSize = {I(_layout.StateSize)};

            /// <summary>Cell-state floats per sequence, over the LSTM layers only.</summary>
            public const int CellStateSize = {I(_layout.CellStateSize)};

            // The sizes again, for code written against the ISequenceModel interface.
            int global::CodeGenLstm.ISequenceModel.InputSize => InputSize;
            int global::CodeGenLstm.ISequenceModel.OutputSize => OutputSize;
            bool global::CodeGenLstm.ISequenceModel.OutputPerSequence => {(_spec.LastStep ? "true" : "false")};
            int global::CodeGenLstm.ISequenceModel.ParameterCount => ParameterCount;
            int global::CodeGenLstm.ISequenceModel.StateSize => StateSize;
            int global::CodeGenLstm.ISequenceModel.CellStateSize => CellStateSize;
            """);
        if (_spec.TakesTokens)
            _w.Line($"int global::CodeGenLstm.ITokenSequenceModel.VocabularySize => {I(_spec.Layers[0].VocabularySize)};");
        _w.Line();
        _w.Line("// Where each tensor starts in Parameters (PyTorch state_dict order, each row-major).");
        foreach (TensorInfo tensor in _layout.Tensors)
            _w.Line($"private const int {OffsetName(tensor)} = {I(tensor.Offset)};  // {tensor.Name} [{string.Join(", ", tensor.Shape)}]");
        _w.Line();
        _w.Line("/// <summary>The tensors, in the order ExportParameters returns them.</summary>");
        _w.Line("private static readonly global::CodeGenLstm.Generated.TensorSlot[] s_tensors =");
        _w.Line("{");
        foreach (TensorInfo tensor in _layout.Tensors)
            _w.Line($"    new({Literals.String(tensor.Name)}, new[] {{ {string.Join(", ", tensor.Shape.Select(I))} }}, {OffsetName(tensor)}),");
        _w.Line("};");
        _w.Line();
    }

    private readonly Dictionary<TensorInfo, string> _offsetNames = new();

    /// <summary>A constant name for a tensor's offset, from its PyTorch name made an identifier, unique.</summary>
    private string OffsetName(TensorInfo tensor)
    {
        if (_offsetNames.TryGetValue(tensor, out string? name)) return name;
        var text = new System.Text.StringBuilder("Offset_");
        foreach (char ch in tensor.Name) text.Append(char.IsLetterOrDigit(ch) && ch < 128 ? ch : '_');
        name = text.ToString();
        if (_offsetNames.ContainsValue(name)) name += "_" + I(_offsetNames.Count);
        _offsetNames[tensor] = name;
        return name;
    }

    // ----------------------------------------------------------------------------------------------
    // Fields
    // ----------------------------------------------------------------------------------------------

    public void EmitFields()
    {
        _w.Line("""
            // The weights and their gradients: the only source of truth for every kernel.
            private readonly float[] _parameters = new float[ParameterCount];
            private readonly float[] _gradients = new float[ParameterCount];

            // Seed of the constructor, and how many training calls have run: together they fix every dropout mask.
            private readonly long _seed;
            private long _trainingCalls;

            // The last Forward: its shape, its vector width, its mode, and what a Backward may do now (run, or say
            // why not: no Forward yet, an inference Forward, Backward already ran); the parts of every stage read
            // the call's arguments from here.
            private int _batch, _steps, _width = -1;
            private global::CodeGenLstm.Generated.BackwardReadiness _backward;

            // The managed thread id of the public call running now, 0 when none: a second call at once throws (CallGuard).
            private int _callThread;

            // Threads: the work handed to the worker threads (created by the first call), and the least work a thread
            // must get for a stage to be split (about 20 microseconds of one core; less would not pay for waking it).
            private StageWork? _work;
            private const long ParallelMinimumFlops = 2_000_000;

            // Recurrent state: the initial state of the next Forward (batch 0: zeros for any batch) and the final state of the last.
            private float[] _initialH = global::System.Array.Empty<float>(), _initialC = global::System.Array.Empty<float>();
            private int _initialBatch;
            private float[] _finalH = global::System.Array.Empty<float>(), _finalC = global::System.Array.Empty<float>();
            private int _finalBatch;

            """);
        if (_layout.HasRecurrent || _layout.Stages.Any(s => s.DropoutSite >= 0))
            _w.Line("private bool _training;  // the last Forward's mode");
        if (!_spec.TakesTokens)
            _w.Line("private bool _wantInputGradient;  // whether the running Backward writes dL/d(input)");
        if (_layout.HasRecurrent)
            _w.Line("""
                // ||dL/dh_t|| of the top recurrent layer for each step of the last Backward.
                private float[] _stepNorms = global::System.Array.Empty<float>();
                private int _stepNormCount;
                """);
        _w.Line();
    }

    // ----------------------------------------------------------------------------------------------
    // Constructors: PyTorch's initialisation, in state_dict order, from one seeded generator
    // ----------------------------------------------------------------------------------------------

    public void EmitConstructors()
    {
        _w.Line($$"""
            /// <summary>Creates the model with weights initialised as PyTorch initialises them (see the layer attributes), seed 0.</summary>
            {{GeneratedCode}}
            public {{Literals.Identifier(_spec.ClassName)}}() : this(0) { }

            /// <summary>Creates the model with weights drawn from <paramref name="seed"/>: the same seed gives the same weights on every machine.</summary>
            {{GeneratedCode}}
            public {{Literals.Identifier(_spec.ClassName)}}(int seed)
            {
                _seed = seed;
                global::CodeGenLstm.Rng rng = new global::CodeGenLstm.Rng(seed);
                {{Span}} p = _parameters;
            """);
        if (_layout.Stages.Any(s => s.Kind == LayerKind.Dense)) _w.Line("    float bound;");
        foreach (Stage stage in _layout.Stages)
        {
            LayerSpec layer = stage.Layer;
            _w.Line($"    // {stage.Title}");
            switch (stage.Kind)
            {
                case LayerKind.Embedding:
                    _w.Line($"    global::CodeGenLstm.Initializers.Normal(p.Slice({Offset(stage, TensorRole.Weight)}, {I(stage.Tensor(TensorRole.Weight).Length)}), 1f, rng);  // N(0, 1), as nn.Embedding");
                    break;
                case LayerKind.Dense:
                    _w.Line($"""
                            bound = 1f / global::System.MathF.Sqrt({I(stage.InputWidth)});  // nn.Linear: U(-1/sqrt(in), 1/sqrt(in)) for weight and bias
                            global::CodeGenLstm.Initializers.Uniform(p.Slice({Offset(stage, TensorRole.Weight)}, {I(stage.Tensor(TensorRole.Weight).Length)}), bound, rng);
                            global::CodeGenLstm.Initializers.Uniform(p.Slice({Offset(stage, TensorRole.Bias)}, {I(stage.Tensor(TensorRole.Bias).Length)}), bound, rng);
                        """);
                    break;
                default:
                    RecurrentCell cell = stage.Cell;
                    int forget = cell.GateIndex("f");
                    _w.Line($"    // As {cell.TorchModule}: {RecurrentInitText(layer, $"U(-1/sqrt({I(stage.Hidden)}), 1/sqrt({I(stage.Hidden)}))")}{(forget >= 0 ? $"; ForgetBias = {Literals.Float(layer.ForgetBias)} in the forget-gate slice of bias_ih, 0 in that of bias_hh (Jozefowicz et al. 2015)" : "")}.");
                    for (int d = 0; d < stage.Directions; d++)
                    {
                        string offsets = string.Join(", ", new[] { TensorRole.WeightIh, TensorRole.WeightHh, TensorRole.BiasIh, TensorRole.BiasHh }.Select(role => Offset(stage, role, d)));
                        _w.Line($"    global::CodeGenLstm.Generated.RecurrentInitialization.Direction(p, {offsets}, input: {I(stage.InputWidth)}, hidden: {I(stage.Hidden)}, gates: {I(layer.Gates)},");
                        _w.Line($"        global::CodeGenLstm.RecurrentInit.{layer.Init}, gain: {Literals.Float(layer.InitGain)}, forgetGate: {I(forget)}, forgetBias: {Literals.Float(layer.ForgetBias)}, rng);");
                    }
                    break;
            }
        }
        _w.Line("}");
        _w.Line();
    }

    /// <summary>How a recurrent stage's tensors are initialised, for the comment above its initialisation.</summary>
    private static string RecurrentInitText(LayerSpec layer, string uniform)
    {
        string gain = Literals.Float(layer.InitGain), others = $"weight_ih and the biases {uniform}, weight_hh";
        return layer.Init switch
        {
            InitKind.XavierUniform => $"{others} Glorot uniform over the whole matrix times {gain}",
            InitKind.Orthogonal => $"{others} each gate's block orthogonal times {gain} (every singular value equals the gain)",
            InitKind.Identity => $"{others} {gain} * I (IRNN, Le et al. 2015)",
            _ => layer.InitGain == 1f ? $"every tensor {uniform}" : $"every tensor {uniform}, weight_hh's bound times {gain} (InitGain)",
        };
    }

    private string Offset(Stage stage, TensorRole role, int direction = 0) => OffsetName(stage.Tensor(role, direction));

    // ----------------------------------------------------------------------------------------------
    // Properties
    // ----------------------------------------------------------------------------------------------

    public void EmitProperties()
    {
        _w.Line($$"""
            {{InheritDoc}}
            {{GeneratedCode}}
            public {{Span}} Parameters
            {
                get
                {
                    {{(HasWeightedStages ? "_parametersLent = true;  // a span may be kept and written at any time: from now on every call compares" : "")}}
                    return _parameters;
                }
            }

            /// <summary>Gradients of the weights, accumulated by <see cref="Backward"/>; same length and order as <see cref="Parameters"/>.</summary>
            {{GeneratedCode}}
            public {{Span}} Gradients => _gradients;

            /// <summary>Sets every gradient to zero.</summary>
            {{GeneratedCode}}
            public void ZeroGradients()
            {
                {{EnterCall}}
                global::System.Array.Clear(_gradients);
            }

            {{InheritDoc}}
            {{GeneratedCode}}
            public {{ReadOnlySpan}} StepGradientNorms => {{(_layout.HasRecurrent ? "_stepNorms.AsSpan(0, _stepNormCount)" : "default")}};

            /// <summary>Carry the final state of one Forward into the next (truncated backpropagation through time).</summary>
            {{GeneratedCode}}
            public bool Stateful { get; set; }

            /// <summary>Run the scalar reference kernels instead of the vector ones: slower; the oracle the vector paths are tested against.</summary>
            {{GeneratedCode}}
            public bool UseScalarKernels { get; set; }

            /// <summary>The kernels the last Forward or Backward ran: "Vector512", "Vector256", "Vector128" or "Scalar" ("None" before any).</summary>
            {{GeneratedCode}}
            public string KernelPath => _width < 0 ? "None" : global::CodeGenLstm.Simd.PathName(_width);

            """);
    }

    // ----------------------------------------------------------------------------------------------
    // Forward
    // ----------------------------------------------------------------------------------------------

    public void EmitForward()
    {
        bool tokens = _spec.TakesTokens;
        string inputName = tokens ? "tokens" : "input";
        _w.Line($$"""
            /// <summary>Runs the model over a batch of sequences{{(tokens ? " of token ids" : "")}}.</summary>
            /// <param name="{{inputName}}">{{(tokens ? "Token ids [batch, steps], batch first; ids at padded steps are not read." : "[batch, steps, InputSize] row-major, batch first.")}}</param>
            /// <param name="batch">Sequences in the batch, at least 1.</param>
            /// <param name="steps">Steps per sequence (the longest, when lengths are given), at least 1.</param>
            /// <param name="output">Receives {{OutputShapeText}}{{(_spec.LastStep ? "" : "; padded steps are zero")}}.</param>
            /// <param name="lengths">Empty, or each sequence's valid steps in 1..steps; later steps are padding.</param>
            /// <param name="training">Keep what <see cref="Backward"/> needs, and apply dropout.</param>
            /// <exception cref="global::System.ArgumentException">A span of the wrong length, batch or steps below 1, a length outside 1..steps{{(tokens ? ", a token id outside the vocabulary" : "")}}.</exception>
            /// <exception cref="global::System.InvalidOperationException">The initial state was set (or carried, when Stateful) for another batch size.</exception>
            {{GeneratedCode}}
            public void Forward({{(tokens ? IntSpan : ReadOnlySpan)}} {{inputName}}, int batch, int steps, {{Span}} output, {{IntSpan}} lengths = default, bool training = false)
            {
                {{EnterCall}}
                // Every argument is checked before any work, so that a bad call changes nothing.
                {{Support}}.CheckBatchAndSteps(batch, steps, lengths);
                {{Support}}.CheckLength(nameof({{inputName}}), {{inputName}}.Length, (long)batch * steps{{(tokens ? "" : " * InputSize")}}, "{{(tokens ? "batch * steps" : "batch * steps * InputSize")}}");
                {{Support}}.CheckLength(nameof(output), output.Length, (long){{OutputShape}}, "{{OutputShape}}");
            """);
        if (tokens)
            _w.Line($"    {Support}.CheckTokens(tokens, lengths, batch, steps, {I(_spec.Layers[0].VocabularySize)});");
        _w.Line($$"""
                global::CodeGenLstm.Generated.RecurrentState.CheckBatch(_initialBatch, batch, Stateful);
                // The workspace's sizes are checked, and it grows, before any state changes: rejected here, the call changes nothing.
                EnsureWorkspace(batch, steps);

                // The call's shape, vector width and mode, where every part of every stage reads them.
                _batch = batch;
                _steps = steps;
                _width = UseScalarKernels ? 0 : global::CodeGenLstm.Simd.ActiveWidth;
                {{(_layout.HasRecurrent || _layout.Stages.Any(s => s.DropoutSite >= 0) ? "_training = training;" : "")}}
                _backward = global::CodeGenLstm.Generated.BackwardReadiness.ForwardInterrupted;  // until this call completes
            {{ReadWeightFacts}}    long rows = (long)batch * steps;
                {{Support}}.FillLengths(_lengths.AsSpan(0, batch), lengths, steps);
            """);
        if (tokens)
            _w.Line("""
                    // The token ids are kept: the embedding reads them, and its backward adds each step's gradient to its row of the table.
                    tokens.CopyTo(_tokens);
                """);
        else
            _w.Line($$"""
                    // The input, padded steps zeroed, into the workspace (worker threads cannot see a span; backward reads
                    // it again) in time-major order: every activation inside is [steps, batch, width], a step's rows together.
                    {{KernelEmitter.SharedClass}}.ToTimeMajor(input, _activation0, _lengths.AsSpan(0, batch), steps, InputSize);
                """);
        _w.Line();
        _w.Line("    // The stages, bottom to top, each on as many threads as its work pays for.");
        for (int i = 0; i < StageCount; i++)
            _w.Line($"    RunStage({I(i)}, backward: false, rows * {Literals.Int(StageFlopsPerRow(_layout.Stages[i]))}L);  // {_layout.Stages[i].Title}");
        _w.Line($$"""
                {{(_spec.LastStep ? $"_activation{I(StageCount)}.AsSpan(0, output.Length).CopyTo(output);" : $"{KernelEmitter.SharedClass}.ToBatchMajor(_activation{I(StageCount)}, output, batch, steps, OutputSize);")}}

                _backward = training ? global::CodeGenLstm.Generated.BackwardReadiness.Ready : global::CodeGenLstm.Generated.BackwardReadiness.AfterInference;
                _finalBatch = batch;
                if (training) _trainingCalls++;
                if (Stateful) CarryFinalState(batch);
            }

            /// <summary>
            /// Runs a stage's pass on as many threads as its work pays for (a thread's share must exceed
            /// ParallelMinimumFlops), at most <see cref="global::CodeGenLstm.Parallelism.MaxThreads"/>.
            /// </summary>
            private void RunStage(int stage, bool backward, long flops)
            {
                StageWork work = _work ??= new StageWork(this);
                work.Stage = stage;
                work.Backward = backward;
                int parts = (int)global::System.Math.Clamp(flops / ParallelMinimumFlops, 1, global::CodeGenLstm.Parallelism.MaxThreads);
                global::CodeGenLstm.Generated.WorkerTeam.Run(work, parts);
            }

            /// <summary>Part <paramref name="part"/> of a stage's pass (see <see cref="StageWork"/>).</summary>
            private void ExecuteStage(int stage, bool backward, int part, int parts, global::CodeGenLstm.Generated.WorkerTeam team)
            {
                switch (stage)
                {
            """);
        for (int i = 0; i < StageCount; i++)
            _w.Line($"            case {I(i)}: if (backward) BackwardStage{I(i)}(part, parts, team); else ForwardStage{I(i)}(part, parts, team); break;");
        _w.Line("""
                    default: throw new global::System.ArgumentOutOfRangeException(nameof(stage));
                }
            }

            """);
    }

    /// <summary>Forward FLOPs of a stage per sequence step (its backward is about twice that).</summary>
    private static long StageFlopsPerRow(Stage stage) => stage.Kind switch
    {
        LayerKind.Embedding => 0,
        LayerKind.Dense => 2L * stage.InputWidth * stage.Hidden,
        _ => 2L * stage.GateWidth * (stage.InputWidth + stage.Hidden) * stage.Directions,
    };

    // ----------------------------------------------------------------------------------------------
    // Backward
    // ----------------------------------------------------------------------------------------------

    public void EmitBackward()
    {
        bool tokens = _spec.TakesTokens;
        _w.Line($$"""
            /// <summary>
            /// Backpropagation through time for the last Forward (which must have had training: true): adds the
            /// gradient of every weight to <see cref="Gradients"/>, and writes the input's gradient when
            /// <paramref name="inputGradient"/> is not empty.
            /// </summary>
            /// <param name="outputGradient">dL/d(output), {{OutputShapeText}}{{(_spec.LastStep ? "" : "; values at padded steps are ignored")}}.</param>
            /// <param name="inputGradient">{{(tokens ? "Must be empty: token ids have no gradient." : "Empty, or receives dL/d(input) [batch, steps, InputSize] (zero at padded steps).")}}</param>
            /// <exception cref="global::System.InvalidOperationException">No training Forward precedes this call, or Backward already ran for it.</exception>
            /// <exception cref="global::System.ArgumentException">A span of the wrong length.</exception>
            {{GeneratedCode}}
            public void Backward({{ReadOnlySpan}} outputGradient, {{Span}} inputGradient = default)
            {
                {{EnterCall}}
                // Which of the cases it is (no Forward yet, an inference Forward, Backward already ran), and what to do.
                if (_backward != global::CodeGenLstm.Generated.BackwardReadiness.Ready) throw {{Support}}.BackwardNotReady(_backward);
                int batch = _batch, steps = _steps;
                long rows = (long)batch * steps;
                {{Support}}.CheckLength(nameof(outputGradient), outputGradient.Length, (long){{OutputShape}}, "{{OutputShape}}");
            """);
        if (tokens)
            _w.Line("""
                    if (!inputGradient.IsEmpty)
                        throw new global::System.ArgumentException("inputGradient must be empty: this model's input is token ids, which have no gradient.", nameof(inputGradient));
                """);
        else
            _w.Line($"    {Support}.CheckOptionalLength(nameof(inputGradient), inputGradient.Length, (long)batch * steps * InputSize, \"batch * steps * InputSize\");");
        _w.Line($$"""
                _backward = global::CodeGenLstm.Generated.BackwardReadiness.Done;  // once per training Forward
            {{ReadWeightFacts}}{{(tokens ? "" : "    _wantInputGradient = !inputGradient.IsEmpty;\n")}}
                // Padded outputs are constant zeros, so their gradient is dropped here, once.
                {{Span}} dy = _activationGradient{{I(StageCount)}}.AsSpan(0, {{(_spec.LastStep ? "batch" : "(int)rows")}} * OutputSize);
            """);
        _w.Line(_spec.LastStep
            ? "    outputGradient.CopyTo(dy);"
            : $"    {KernelEmitter.SharedClass}.ToTimeMajor(outputGradient, dy, _lengths.AsSpan(0, batch), steps, OutputSize);");
        _w.Line();
        _w.Line("    // The stages, top to bottom, each on as many threads as its work pays for.");
        for (int i = StageCount - 1; i >= 0; i--)
            _w.Line($"    RunStage({I(i)}, backward: true, rows * {Literals.Int(2 * StageFlopsPerRow(_layout.Stages[i]))}L);  // {_layout.Stages[i].Title}");
        if (!tokens)
            _w.Line($"    if (_wantInputGradient) {KernelEmitter.SharedClass}.ToBatchMajor(_activationGradient0, inputGradient, batch, steps, InputSize);");
        if (TopStage is { } top) EmitStepNorms(top);
        _w.Line("}");
        _w.Line();
    }

    /// <summary>
    /// The end of Backward: ||dL/dh_t|| of the top recurrent layer from its partial sums, [directions, steps, batch,
    /// chunks], added in that fixed order by the runtime (StepNorms).
    /// </summary>
    private void EmitStepNorms(Stage top)
    {
        _w.Line($"""

                // ||dL/dh_t|| of the top recurrent layer: its partial sums [directions, steps, batch, chunks] added in that order.
                global::CodeGenLstm.Generated.StepNorms.FromSquares(_stepSquares, {I(top.Directions)}, steps, batch, {I(Chunks(top))}, _stepNorms);
                _stepNormCount = steps;
            """);
    }

    // ----------------------------------------------------------------------------------------------
    // Recurrent state
    // ----------------------------------------------------------------------------------------------

    public void EmitState()
    {
        // The bodies are the runtime's (RecurrentState): the same for every model but for StateSize and CellStateSize.
        const string State = "global::CodeGenLstm.Generated.RecurrentState";
        _w.Line($$"""
            /// <summary>
            /// Sets the initial state of the next Forward, in PyTorch's layout [layers * directions, batch, hidden]
            /// for each recurrent layer, concatenated in declaration order ({{StateLayoutText(cell: false)}}).
            /// c0 covers the LSTM layers only{{(_layout.HasLstm ? $" ({StateLayoutText(cell: true)})" : " (this model has none: c0 must be empty)")}}.
            /// An empty span means zeros.
            /// </summary>
            {{GeneratedCode}}
            public void SetInitialState({{ReadOnlySpan}} h0, {{ReadOnlySpan}} c0 = default)
            {
                {{EnterCall}}
                {{State}}.SetInitial(h0, c0, StateSize, CellStateSize, ref _initialH, ref _initialC, ref _initialBatch);
            }

            {{InheritDoc}}
            {{GeneratedCode}}
            public void GetFinalState({{Span}} hN, {{Span}} cN = default)
            {
                {{EnterCall}}
                {{State}}.GetFinal(hN, cN, StateSize, CellStateSize, _finalH, _finalC, _finalBatch);
            }

            /// <summary>Forgets any initial or carried state: the next Forward starts from zeros, with any batch size.</summary>
            {{GeneratedCode}}
            public void ResetState()
            {
                {{EnterCall}}
                _initialBatch = 0;
            }

            private void CarryFinalState(int batch) =>
                {{State}}.Carry(batch, StateSize, CellStateSize, _finalH, _finalC, ref _initialH, ref _initialC, ref _initialBatch);

            """);
    }

    private string StateLayoutText(bool cell)
    {
        var parts = _layout.RecurrentLayers
            .Where(l => !cell || RecurrentCell.Of(l).HasCellState)
            .Select(l => $"{l.Name}: [{l.StackedLayers * l.Directions}, batch, {l.Units}]");
        string text = string.Join(", then ", parts);
        return text.Length == 0 ? "this model has no recurrent layer" : text;
    }

    // ----------------------------------------------------------------------------------------------
    // Named tensors
    // ----------------------------------------------------------------------------------------------

    public void EmitTensors()
    {
        _w.Line($$"""
            /// <summary>The weights as tensors with PyTorch's state_dict names, shapes and gate order, in state_dict order: {{string.Join(", ", _layout.Tensors.Take(4).Select(t => t.Name))}}{{(_layout.Tensors.Count > 4 ? ", ..." : "")}}.</summary>
            {{GeneratedCode}}
            public global::System.Collections.Generic.IReadOnlyList<global::CodeGenLstm.NamedTensor> ExportParameters()
            {
                {{EnterCall}}
                return {{Support}}.Export(_parameters, s_tensors);
            }

            /// <summary>The gradients, named and shaped as <see cref="ExportParameters"/>.</summary>
            {{GeneratedCode}}
            public global::System.Collections.Generic.IReadOnlyList<global::CodeGenLstm.NamedTensor> ExportGradients()
            {
                {{EnterCall}}
                return {{Support}}.Export(_gradients, s_tensors);
            }

            {{InheritDoc}}
            {{GeneratedCode}}
            public void ImportParameters(global::System.Collections.Generic.IEnumerable<global::CodeGenLstm.NamedTensor> tensors)
            {
                {{EnterCall}}
                {{Support}}.ImportParameters(tensors, s_tensors, _parameters);
                {{(HasWeightedStages ? "_parametersEpoch++;  // every stage compares its weights on its next call" : "")}}
            }

            {{InheritDoc}}
            {{GeneratedCode}}
            public void ImportParameters(global::System.Collections.Generic.IEnumerable<global::CodeGenLstm.NamedTensor> tensors, string prefix)
            {
                {{EnterCall}}
                {{Support}}.ImportParameters(tensors, prefix, s_tensors, _parameters);
                {{(HasWeightedStages ? "_parametersEpoch++;  // every stage compares its weights on its next call" : "")}}
            }

            """);
    }
}
