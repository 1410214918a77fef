using System;
using System.ComponentModel;

namespace CodeGenLstm.Generated;

/// <summary>
/// What one direction of one recurrent stage of a generated model keeps: its packed weights, its state while
/// stepping, what forward keeps for backward, and backward's gradients. The same for every cell and size (the
/// sizes are arguments of <see cref="Ensure"/>), so written once here; the generated stages read and write the
/// fields directly. H is the stage's hidden size, gates * H its gate width (4H LSTM, 3H GRU, H RNN).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RecurrentBuffers
{
    /// <summary>Weights are packed in panels of up to this many columns, padded with zeros to whole panels (the generator's VectorWidth.Chunk).</summary>
    public const int PanelColumns = 64;

#pragma warning disable CS1591 // each field is described by its comment: the layout, not an API
    public float[] Gates = Array.Empty<float>();       // [steps, batch, gates * H]: pre-activations, then activations
    public float[] HPrev = Array.Empty<float>();       // [steps, batch, H]: h_{t-1} at each step (zero at padding)
    public float[] CPrev = Array.Empty<float>();       // [steps, batch, H]: c_{t-1} (LSTM)
    public float[] TanhC = Array.Empty<float>();       // [steps, batch, H]: tanh(c_t) (LSTM)
    public float[] HiddenN = Array.Empty<float>();     // [steps, batch, H]: W_hn h_{t-1} + b_hn (GRU)
    public float[] HState = Array.Empty<float>();      // [batch, H]: h while stepping, with HNext (two buffers, alternating)
    public float[] HNext = Array.Empty<float>();       // [batch, H]
    public float[] CState = Array.Empty<float>();      // [batch, H]: c while stepping (LSTM)
    public float[] HiddenTerm = Array.Empty<float>();  // [batch, 3H]: W_hh h + b_hh of one step (GRU)
    public float[] PackedIh = Array.Empty<float>();    // W_ih as B = W_ih^T [in, gates * H], in panels
    public float[] PackedBias = Array.Empty<float>();  // b_ih (+ b_hh), padded to whole panels
    public float[] PackedHh = Array.Empty<float>();    // W_hh in the recurrent kernel's panels
    public float[] PackedHhT = Array.Empty<float>();   // W_hh as B = W_hh [gates * H, H], in panels (backward)
    public float[] PackedIhT = Array.Empty<float>();   // W_ih as B = W_ih [gates * H, in], in panels (backward)
    public float[] DGates = Array.Empty<float>();      // [steps, batch, gates * H]: dL/d(pre-activations)
    public float[] DHidden = Array.Empty<float>();     // [steps, batch, 3H]: dL/d(W_hh h + b_hh) (GRU)
    public float[] DhRecurrent = Array.Empty<float>(); // [batch, H]: dL/dh_{t-1} flowing back through W_hh
    public float[] DcRecurrent = Array.Empty<float>(); // [batch, H]: dL/dc_{t-1} (LSTM)

    // What the panels were packed from: the stage's weights version and the vector width (default: nothing yet).
    public PanelStamp PackedFrom;     // PackedIh, PackedHh, PackedBias
    public PanelStamp PackedHhTFrom;  // PackedHhT
    public PanelStamp PackedIhTFrom;  // PackedIhT

    // W_hh in reduced precision for inference (InferencePrecision), built and recorded with PackedHh's protocol.
    public readonly ReducedRecurrentWeights ReducedHh = new();
    public readonly ReducedRecurrentWeights ReducedIh = new();  // int8 only: W_ih for the input projection
#pragma warning restore CS1591

    /// <summary>
    /// Grows every buffer the stage needs to hold <paramref name="rows"/> = batch * steps rows and
    /// <paramref name="batch"/> sequences, through <paramref name="growth"/> (all or nothing: see
    /// <see cref="WorkspaceGrowth"/>); the cell's own buffers only for its cell (<paramref name="lstm"/>, <paramref name="gru"/>).
    /// </summary>
    /// <param name="growth">The model's growth in progress.</param>
    /// <param name="rows">batch * steps, at least.</param>
    /// <param name="batch">Sequences, at least.</param>
    /// <param name="input">Input features per step.</param>
    /// <param name="hidden">H.</param>
    /// <param name="gates">gates * H.</param>
    /// <param name="lstm">The cell is an LSTM.</param>
    /// <param name="gru">The cell is a GRU.</param>
    public void Ensure(WorkspaceGrowth growth, long rows, int batch, int input, int hidden, int gates, bool lstm, bool gru)
    {
        ArgumentNullException.ThrowIfNull(growth);
        long padded = (gates + PanelColumns - 1) / PanelColumns * PanelColumns;
        growth.Ensure(ref PackedIh, padded * input);
        growth.Ensure(ref PackedBias, padded);
        growth.Ensure(ref PackedHh, (long)gates * hidden);
        growth.Ensure(ref PackedHhT, (long)(hidden + PanelColumns - 1) / PanelColumns * PanelColumns * gates);
        growth.Ensure(ref PackedIhT, (long)(input + PanelColumns - 1) / PanelColumns * PanelColumns * gates);
        growth.Ensure(ref Gates, rows * gates);
        growth.Ensure(ref HPrev, rows * hidden);
        growth.Ensure(ref HState, (long)batch * hidden);
        growth.Ensure(ref HNext, (long)batch * hidden);
        growth.Ensure(ref DGates, rows * gates);
        growth.Ensure(ref DhRecurrent, (long)batch * hidden);
        if (lstm)
        {
            growth.Ensure(ref CPrev, rows * hidden);
            growth.Ensure(ref TanhC, rows * hidden);
            growth.Ensure(ref CState, (long)batch * hidden);
            growth.Ensure(ref DcRecurrent, (long)batch * hidden);
        }
        if (gru)
        {
            growth.Ensure(ref HiddenN, rows * hidden);
            growth.Ensure(ref HiddenTerm, (long)batch * gates);
            growth.Ensure(ref DHidden, rows * gates);
        }
    }
}
