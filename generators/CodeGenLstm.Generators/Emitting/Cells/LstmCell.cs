using System.Collections.Generic;
using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting.Cells;

/// <summary>
/// The LSTM cell (Hochreiter and Schmidhuber 1997, with the forget gate of Gers et al. 2000), as nn.LSTM:
/// gates i, f, g, o; a cell state c beside h.
/// </summary>
internal sealed class LstmCell : RecurrentCell
{
    private static readonly string[] s_gates = { "i", "f", "g", "o" };
    private static readonly string[] s_equations =
    {
        "a = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh, in the gates' blocks a_i, a_f, a_g, a_o",
        "i = sigmoid(a_i)   f = sigmoid(a_f)   g = tanh(a_g)   o = sigmoid(a_o)",
        "c_t = f * c_{t-1} + i * g",
        "h_t = o * tanh(c_t)",
    };
    private static readonly string[] s_kept = { "c_{t-1} (CPrev)", "tanh(c_t) (TanhC)" };

    public override LayerKind Kind => LayerKind.Lstm;
    public override IReadOnlyList<string> GateOrder => s_gates;
    public override string Title => "LSTM";
    public override string TorchModule => "nn.LSTM";
    public override IReadOnlyList<string> Equations => s_equations;
    public override bool HasCellState => true;
    public override IReadOnlyList<string> KeptForBackward => s_kept;
    public override string PaddedGradients => "dL/dh and dL/dc";

    public override string ForwardLocals(string biasHhOffset) => $"{ClassWriter.Span} c = buffers.CState.AsSpan(0, batch * H);";

    public override string ForwardCall(string kernels, string kernel) => $$"""
        {{ClassWriter.Span}} cb = c.Slice(b * H, H);
        if (training) cb.Slice(j0, units).CopyTo(buffers.CPrev.AsSpan(row * H + j0, units));
        {{kernels}}.{{kernel}}(width, j0, j1, gates.Slice(row * G, G), cb, h.Slice(b * H, H), training ? buffers.TanhC.AsSpan(row * H, H) : default);
        """;

    public override string BackwardLocals => $"{ClassWriter.Span} dc = buffers.DcRecurrent.AsSpan(0, batch * H);";

    public override string BackwardCall(string kernels, string kernel, string common) =>
        $"{kernels}.{kernel}({common}, dc.Slice(b * H, H),\n    buffers.Gates.AsSpan(row * G, G), buffers.CPrev.AsSpan(row * H, H), buffers.TanhC.AsSpan(row * H, H), dGates.Slice(row * G, G))";

    public override void EmitKernels(SourceWriter w, int hidden)
    {
        string forward = KernelName(hidden, forward: true), backward = KernelName(hidden, forward: false);
        KernelHead.Emit(w, hidden, $"""
            /// One LSTM step for one sequence (Hochreiter and Schmidhuber 1997; PyTorch's gate order i, f, g, o):
            {EquationComment()}
            /// gates holds the pre-activations a (input projection plus recurrent term) and receives the
            /// activations i, f, g, o, which backward needs; c holds c_prev and receives c; h receives h;
            /// tanhC (empty in inference) receives tanh(c). Only the hidden units [j0, j1) are computed.
            """, "void", forward,
            "Span<float> gates, Span<float> c, Span<float> h, Span<float> tanhC",
            "gates.Length < 4 * H || c.Length < H || h.Length < H || (!tanhC.IsEmpty && tanhC.Length < H)",
            new[] { ("ga", "gates"), ("cr", "c"), ("hr", "h"), ("tr", "tanhC") },
            state: "bool keepTanhC = !tanhC.IsEmpty;");
        const string forwardParameters = "ref float ga, ref float cr, ref float hr, ref float tr, bool keepTanhC";
        UnitLoop.EmitDispatch(w, hidden, VectorBodyName(hidden, forward: true), UnitLoop.Arguments(forwardParameters), scalarBody: """
            float inputGate = Activations.Sigmoid(gates[j]);
            float forgetGate = Activations.Sigmoid(gates[H + j]);
            float candidate = Activations.Tanh(gates[2 * H + j]);
            float outputGate = Activations.Sigmoid(gates[3 * H + j]);
            float cell = forgetGate * c[j] + inputGate * candidate;
            float tanhCell = Activations.Tanh(cell);
            gates[j] = inputGate;
            gates[H + j] = forgetGate;
            gates[2 * H + j] = candidate;
            gates[3 * H + j] = outputGate;
            c[j] = cell;
            h[j] = outputGate * tanhCell;
            if (keepTanhC) tanhC[j] = tanhCell;
            """);
        w.Line("}");
        w.Line();
        UnitLoop.EmitVectorBody(w, hidden, forward, VectorBodyName(hidden, forward: true), forwardParameters, """
            TVec inputGate = TOps.FastSigmoid(TOps.Load(ref ga, j));
            TVec forgetGate = TOps.FastSigmoid(TOps.Load(ref ga, H + j));
            TVec candidate = TOps.FastTanh(TOps.Load(ref ga, 2 * H + j));
            TVec outputGate = TOps.FastSigmoid(TOps.Load(ref ga, 3 * H + j));
            TVec cell = TOps.MultiplyAdd(forgetGate, TOps.Load(ref cr, j), TOps.Multiply(inputGate, candidate));
            TVec tanhCell = TOps.FastTanh(cell);
            TOps.Store(inputGate, ref ga, j);
            TOps.Store(forgetGate, ref ga, H + j);
            TOps.Store(candidate, ref ga, 2 * H + j);
            TOps.Store(outputGate, ref ga, 3 * H + j);
            TOps.Store(cell, ref cr, j);
            TOps.Store(TOps.Multiply(outputGate, tanhCell), ref hr, j);
            if (keepTanhC) TOps.Store(tanhCell, ref tr, j);
            """);

        KernelHead.EmitBackward(w, hidden, """
            /// Backpropagates one LSTM step for one sequence. With dh the whole gradient reaching h_t (from
            /// above, dhAbove, plus from step t + 1, dhRecurrent) and dc the gradient reaching c_t from step t + 1:
            /// <code>
            ///   do = dh * tanh(c)                 dc += dh * o * (1 - tanh(c)^2)
            ///   di = dc * g    dg = dc * i    df = dc * c_prev    dc_prev = dc * f
            ///   da_i = di * i (1 - i)   da_f = df * f (1 - f)   da_g = dg * (1 - g^2)   da_o = do * o (1 - o)
            /// </code>
            /// dGates receives da (i, f, g, o); dc receives dc_prev; dhRecurrent is reset to 0, ready for
            /// the caller to accumulate dG W_hh into it. Only the hidden units [j0, j1) are computed; returns
            /// their sum of dh^2, for the gradient-flow report.
            """, backward,
            "Span<float> dc,\n    ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> tanhC, Span<float> dGates",
            "dc.Length < H || gates.Length < 4 * H || cPrev.Length < H || tanhC.Length < H || dGates.Length < 4 * H",
            new[] { ("dcr", "dc"), ("ga", "gates"), ("cp", "cPrev"), ("tc", "tanhC"), ("dg", "dGates") },
            throwOnNextLine: true);
        UnitLoop.EmitGradient(w, hidden, backward, VectorBodyName(hidden, forward: false),
            "ref float dcr, ref float ga, ref float cp, ref float tc, ref float dg",
            vectorBody: """
                TVec inputGate = TOps.Load(ref ga, j);
                TVec forgetGate = TOps.Load(ref ga, H + j);
                TVec candidate = TOps.Load(ref ga, 2 * H + j);
                TVec outputGate = TOps.Load(ref ga, 3 * H + j);
                TVec tanhCell = TOps.Load(ref tc, j);
                TVec dOutput = TOps.Multiply(dh, tanhCell);
                TVec dCell = TOps.MultiplyAdd(TOps.Multiply(dh, outputGate), TOps.Subtract(TOps.One, TOps.Multiply(tanhCell, tanhCell)), TOps.Load(ref dcr, j));
                TOps.Store(TOps.Multiply(TOps.Multiply(TOps.Multiply(dCell, candidate), inputGate), TOps.Subtract(TOps.One, inputGate)), ref dg, j);
                TOps.Store(TOps.Multiply(TOps.Multiply(TOps.Multiply(dCell, TOps.Load(ref cp, j)), forgetGate), TOps.Subtract(TOps.One, forgetGate)), ref dg, H + j);
                TOps.Store(TOps.Multiply(TOps.Multiply(dCell, inputGate), TOps.Subtract(TOps.One, TOps.Multiply(candidate, candidate))), ref dg, 2 * H + j);
                TOps.Store(TOps.Multiply(TOps.Multiply(dOutput, outputGate), TOps.Subtract(TOps.One, outputGate)), ref dg, 3 * H + j);
                TOps.Store(TOps.Multiply(dCell, forgetGate), ref dcr, j);
                TOps.Store(TOps.Zero, ref rec, j);
                """,
            scalarBody: """
                float inputGate = gates[j], forgetGate = gates[H + j], candidate = gates[2 * H + j], outputGate = gates[3 * H + j];
                float tanhCell = tanhC[j];
                float dOutput = dh * tanhCell;
                float dCell = dh * outputGate * (1f - tanhCell * tanhCell) + dc[j];
                dGates[j] = dCell * candidate * inputGate * (1f - inputGate);
                dGates[H + j] = dCell * cPrev[j] * forgetGate * (1f - forgetGate);
                dGates[2 * H + j] = dCell * inputGate * (1f - candidate * candidate);
                dGates[3 * H + j] = dOutput * outputGate * (1f - outputGate);
                dc[j] = dCell * forgetGate;
                dhRecurrent[j] = 0f;
                """);
    }
}
