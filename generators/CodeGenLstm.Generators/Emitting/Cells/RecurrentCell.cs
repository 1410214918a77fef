using System.Collections.Generic;
using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting.Cells;

/// <summary>
/// Everything the generator knows about one kind of recurrent cell, in one place: its gates in PyTorch's
/// order (the order of the gate blocks in weight_ih, weight_hh and the biases), its equations (written into
/// the stage's and the kernel's comments), what its forward step keeps for backward, its pointwise forward and
/// backward kernels, and how the recurrence calls them. Its recurrent term W_hh h_{t-1} is the runtime's
/// RecurrenceKernels, which need only H and the gate count (the model's <see cref="Gates"/>).
/// The model layout, the kernel set and the class writer ask the cell instead of branching on the layer kind.
/// </summary>
internal abstract class RecurrentCell
{
    private static readonly RecurrentCell s_lstm = new LstmCell();
    private static readonly RecurrentCell s_gru = new GruCell();
    private static readonly RecurrentCell s_rnnTanh = new RnnCell(ActivationKind.Tanh);
    private static readonly RecurrentCell s_rnnRelu = new RnnCell(ActivationKind.Relu);
    private static readonly RecurrentCell s_rnnSigmoid = new RnnCell(ActivationKind.Sigmoid);

    /// <summary>The cell of a recurrent layer kind; <paramref name="activation"/> matters for a plain RNN only.</summary>
    public static RecurrentCell Of(LayerKind kind, ActivationKind activation = ActivationKind.Tanh) => kind switch
    {
        LayerKind.Lstm => s_lstm,
        LayerKind.Gru => s_gru,
        LayerKind.Rnn => activation switch
        {
            ActivationKind.Relu => s_rnnRelu,
            ActivationKind.Sigmoid => s_rnnSigmoid,
            _ => s_rnnTanh,
        },
        _ => throw new System.ArgumentOutOfRangeException(nameof(kind), kind, "not a recurrent layer"),
    };

    /// <summary>The cell of a recurrent layer.</summary>
    public static RecurrentCell Of(LayerSpec layer) => Of(layer.Kind, layer.Activation);

    public abstract LayerKind Kind { get; }

    /// <summary>The nonlinearity of the output (tanh for LSTM and GRU, the declared one for a plain RNN).</summary>
    public virtual ActivationKind Activation => ActivationKind.Tanh;

    /// <summary>
    /// The gates in PyTorch's order, each a block of H rows of weight_ih, weight_hh, bias_ih and bias_hh:
    /// LSTM i, f, g, o; GRU r, z, n; a plain RNN has one block (its pre-activation), named h.
    /// </summary>
    public abstract IReadOnlyList<string> GateOrder { get; }

    /// <summary>Gate blocks of the weights, G = Gates * H: a fact of the model (<see cref="LayerSpec.GatesOf"/>), which <see cref="GateOrder"/> names.</summary>
    public int Gates => LayerSpec.GatesOf(Kind);

    /// <summary>The block of a gate in <see cref="GateOrder"/>, -1 when the cell has no such gate.</summary>
    public int GateIndex(string gate)
    {
        for (int i = 0; i < GateOrder.Count; i++)
            if (GateOrder[i] == gate) return i;
        return -1;
    }

    /// <summary>Its name in comments and class summaries: "LSTM", "GRU", "RNN (tanh)".</summary>
    public abstract string Title { get; }

    /// <summary>The PyTorch module with the same parameters, initialisation and equations: "nn.LSTM".</summary>
    public abstract string TorchModule { get; }

    /// <summary>
    /// The cell's equations for one step, one line each, with a = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh split
    /// into the gates' blocks: the text of the stage's comment and of the forward kernel's.
    /// </summary>
    public abstract IReadOnlyList<string> Equations { get; }

    /// <summary>The equations as a &lt;code&gt; block of a documentation comment, for the kernel's and the stage's summaries.</summary>
    public string EquationComment()
    {
        var text = new System.Text.StringBuilder("/// <code>\n");
        foreach (string line in Equations) text.Append("///   ").Append(line).Append('\n');
        return text.Append("/// </code>").ToString();
    }

    /// <summary>True when the cell carries a second state c (LSTM): c0, c_n, CellStateSize.</summary>
    public virtual bool HasCellState => false;

    /// <summary>
    /// True when the recurrent term keeps its own bias apart from the input projection (GRU: the reset gate scales
    /// W_hn h_{t-1} + b_hn), so that it has its own buffer each step (HiddenTerm) and its own gradient (DHidden).
    /// </summary>
    public virtual bool RecurrentTermApart => false;

    /// <summary>What forward keeps at every step for backward besides the gates' activations and h_{t-1}: each a value and its RecurrentBuffers field.</summary>
    public abstract IReadOnlyList<string> KeptForBackward { get; }

    /// <summary>"Lstm", "Gru", "RnnTanh": the stem of the pointwise kernels' names.</summary>
    protected virtual string KernelStem => Kind.ToString();

    /// <summary>The pointwise forward or backward kernel of this cell for H hidden units.</summary>
    public string KernelName(int hidden, bool forward) =>
        KernelStem + (forward ? "Forward" : "Backward") + "_H" + Literals.Int(hidden);

    /// <summary>The vector body of that kernel, written once for every width (<see cref="UnitLoop.EmitVectorBody"/>).</summary>
    protected string VectorBodyName(int hidden, bool forward) =>
        KernelStem + (forward ? "Forward" : "Backward") + "Vectors_H" + Literals.Int(hidden);

    // ---- The pointwise kernels and their calls ----

    /// <summary>Writes the forward and backward kernels of one step for H hidden units, equations in their comments.</summary>
    public abstract void EmitKernels(SourceWriter w, int hidden);

    /// <summary>
    /// The statements of the recurrence that run one sequence's cell at step t (after h_{t-1} is kept for
    /// backward): kernels, the kernels class; kernel, the forward kernel. b, row, j0, j1, units, h, hPrev, gates,
    /// buffers and training are in scope, with the locals of <see cref="ForwardLocals"/>.
    /// </summary>
    public abstract string ForwardCall(string kernels, string kernel);

    /// <summary>Locals of the forward recurrence method this cell's call needs (spans of its own buffers).</summary>
    public virtual string ForwardLocals(string weightHhOffset) => "";

    /// <summary>
    /// The call of the backward kernel for one sequence and chunk: <paramref name="common"/> holds the arguments every
    /// cell takes (width, the units, dy, dh); row, b, buffers and dGates are in scope, with <see cref="BackwardLocals"/>.
    /// </summary>
    public abstract string BackwardCall(string kernels, string kernel, string common);

    /// <summary>Locals of the backward recurrence method this cell's call needs.</summary>
    public virtual string BackwardLocals => "";

    /// <summary>The states besides h whose gradient passes through a padded step unchanged ("dL/dc"), for the comment.</summary>
    public virtual string PaddedGradients => "dL/dh";
}
