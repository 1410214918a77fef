using System.Collections.Generic;
using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting.Cells;

/// <summary>
/// The plain (Elman) RNN cell, as nn.RNN: one block, h_t = act(a), with tanh, relu or sigmoid (the last not in PyTorch).
/// </summary>
internal sealed class RnnCell : RecurrentCell
{
    private static readonly string[] s_gates = { "h" };
    private static readonly string[] s_kept = System.Array.Empty<string>();
    private readonly ActivationKind _activation;
    private readonly string[] _equations;

    public RnnCell(ActivationKind activation)
    {
        _activation = activation;
        _equations = new[] { $"h_t = {Name(activation)}(W_ih x_t + b_ih + W_hh h_{{t-1}} + b_hh)" };
    }

    private static string Name(ActivationKind activation) => activation.ToString().ToLowerInvariant();

    public override LayerKind Kind => LayerKind.Rnn;
    public override ActivationKind Activation => _activation;
    public override IReadOnlyList<string> GateOrder => s_gates;
    public override string Title => $"RNN ({Name(_activation)})";
    public override string TorchModule => "nn.RNN";
    public override IReadOnlyList<string> Equations => _equations;
    public override IReadOnlyList<string> KeptForBackward => s_kept;
    protected override string KernelStem => $"Rnn{_activation}";

    public override string ForwardCall(string kernels, string kernel) =>
        $"{kernels}.{kernel}(width, j0, j1, gates.Slice(row * G, G), h.Slice(b * H, H));";

    public override string BackwardCall(string kernels, string kernel, string common) =>
        $"{kernels}.{kernel}({common}, buffers.Gates.AsSpan(row * G, G), dGates.Slice(row * G, G))";

    public override void EmitKernels(SourceWriter w, int hidden)
    {
        string forward = KernelName(hidden, forward: true), backward = KernelName(hidden, forward: false);
        (string vectorAct, string scalarAct, string derivative, string vectorDerivative, string scalarDerivative) = _activation switch
        {
            ActivationKind.Relu => ("TOps.Max(a, TOps.Zero)", "MathF.Max(a, 0f)",
                "dh * (h > 0 ? 1 : 0)", "TOps.WherePositive(y, dh)", "y > 0f ? dh : 0f"),
            ActivationKind.Sigmoid => ("TOps.FastSigmoid(a)", "Activations.Sigmoid(a)",
                "dh * h (1 - h)", "TOps.Multiply(TOps.Multiply(dh, y), TOps.Subtract(TOps.One, y))", "dh * y * (1f - y)"),
            _ => ("TOps.FastTanh(a)", "Activations.Tanh(a)",
                "dh * (1 - h^2)", "TOps.Multiply(dh, TOps.Subtract(TOps.One, TOps.Multiply(y, y)))", "dh * (1f - y * y)"),
        };
        KernelHead.Emit(w, hidden, $"""
            /// One plain (Elman) RNN step for one sequence:
            {EquationComment()}
            /// gates holds the pre-activation a (input projection plus recurrent term) and receives the new h (which
            /// backward needs); h receives it too. Only the hidden units [j0, j1) are computed.
            """, "void", forward,
            "Span<float> gates, Span<float> h",
            "gates.Length < H || h.Length < H",
            new[] { ("ga", "gates"), ("hr", "h") });
        const string forwardParameters = "ref float ga, ref float hr";
        UnitLoop.EmitDispatch(w, hidden, VectorBodyName(hidden, forward: true), UnitLoop.Arguments(forwardParameters), scalarBody: $$"""
            float a = gates[j];
            float y = {{scalarAct}};
            gates[j] = y;
            h[j] = y;
            """);
        w.Line("}");
        w.Line();
        UnitLoop.EmitVectorBody(w, hidden, forward, VectorBodyName(hidden, forward: true), forwardParameters, $$"""
            TVec a = TOps.Load(ref ga, j);
            TVec y = {{vectorAct}};
            TOps.Store(y, ref ga, j);
            TOps.Store(y, ref hr, j);
            """);
        KernelHead.EmitBackward(w, hidden, $"""
            /// Backpropagates one plain RNN step: with dh = dhAbove + dhRecurrent, da = {derivative},
            /// read from the stored h. dGates receives da; dhRecurrent is reset to 0 for the caller to
            /// accumulate da W_hh into it. Only the hidden units [j0, j1) are computed; returns their sum of dh^2.
            """, backward,
            "ReadOnlySpan<float> gates, Span<float> dGates",
            "gates.Length < H || dGates.Length < H",
            new[] { ("ga", "gates"), ("dg", "dGates") });
        UnitLoop.EmitGradient(w, hidden, backward, VectorBodyName(hidden, forward: false), "ref float ga, ref float dg",
            vectorBody: $$"""
                TVec y = TOps.Load(ref ga, j);
                TOps.Store({{vectorDerivative}}, ref dg, j);
                TOps.Store(TOps.Zero, ref rec, j);
                """,
            scalarBody: $$"""
                float y = gates[j];
                dGates[j] = {{scalarDerivative}};
                dhRecurrent[j] = 0f;
                """);
    }
}
