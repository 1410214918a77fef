using System.Collections.Generic;
using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting.Cells;

/// <summary>
/// The GRU cell (Cho et al. 2014) in PyTorch's form, as nn.GRU: gates r, z, n, the reset gate applied to the
/// whole recurrent term of n, its bias b_hn included, so that term is kept apart from the input projection.
/// </summary>
internal sealed class GruCell : RecurrentCell
{
    private static readonly string[] s_gates = { "r", "z", "n" };
    private static readonly string[] s_equations =
    {
        "x_* = W_ih x_t + b_ih and h_* = W_hh h_{t-1} + b_hh, in the gates' blocks r, z, n",
        "r = sigmoid(x_r + h_r)    z = sigmoid(x_z + h_z)    n = tanh(x_n + r * h_n)",
        "h_t = (1 - z) * n + z * h_{t-1}  =  n + z * (h_{t-1} - n)",
    };
    private static readonly string[] s_kept = { "W_hn h_{t-1} + b_hn (HiddenN)" };

    public override LayerKind Kind => LayerKind.Gru;
    public override IReadOnlyList<string> GateOrder => s_gates;
    public override string Title => "GRU";
    public override string TorchModule => "nn.GRU";
    public override IReadOnlyList<string> Equations => s_equations;
    public override bool RecurrentTermApart => true;
    public override IReadOnlyList<string> KeptForBackward => s_kept;

    public override string ForwardLocals(string biasHhOffset) => $$"""
        {{ClassWriter.ReadOnlySpan}} biasHh = (({{ClassWriter.ReadOnlySpan}})_parameters).Slice({{biasHhOffset}}, G);
        {{ClassWriter.Span}} hiddenTerm = buffers.HiddenTerm.AsSpan(0, batch * G);
        """;

    public override string ForwardCall(string kernels, string kernel) =>
        $"{kernels}.{kernel}(width, j0, j1, gates.Slice(row * G, G), hiddenTerm.Slice(b * G, G), hPrev.Slice(b * H, H), h.Slice(b * H, H), training ? buffers.HiddenN.AsSpan(row * H, H) : default);";

    public override string BackwardLocals => $"{ClassWriter.Span} dHidden = buffers.DHidden.AsSpan(0, batch * steps * G);";

    public override string BackwardCall(string kernels, string kernel, string common) =>
        $"{kernels}.{kernel}({common},\n    buffers.Gates.AsSpan(row * G, G), buffers.HPrev.AsSpan(row * H, H), buffers.HiddenN.AsSpan(row * H, H), dGates.Slice(row * G, G), dHidden.Slice(row * G, G))";

    public override void EmitKernels(SourceWriter w, int hidden)
    {
        string forward = KernelName(hidden, forward: true), backward = KernelName(hidden, forward: false);
        KernelHead.Emit(w, hidden, $"""
            /// One GRU step for one sequence (Cho et al. 2014, PyTorch's form with gate order r, z, n):
            {EquationComment()}
            /// where x (in gates) is the input projection and h_* (in hiddenTerm) the recurrent term: the reset
            /// gate scales the whole recurrent term of n, bias included. gates receives r, z, n; hPrev holds
            /// h_prev and h receives h; hiddenN (empty in inference) receives h_n, which backward needs. Only
            /// the hidden units [j0, j1) are computed.
            """, "void", forward,
            "Span<float> gates, ReadOnlySpan<float> hiddenTerm, ReadOnlySpan<float> hPrev, Span<float> h, Span<float> hiddenN",
            "gates.Length < 3 * H || hiddenTerm.Length < 3 * H || hPrev.Length < H || h.Length < H || (!hiddenN.IsEmpty && hiddenN.Length < H)",
            new[] { ("ga", "gates"), ("ht", "hiddenTerm"), ("hp", "hPrev"), ("hr", "h"), ("hn", "hiddenN") },
            state: "bool keep = !hiddenN.IsEmpty;");
        const string forwardParameters = "ref float ga, ref float ht, ref float hp, ref float hr, ref float hn, bool keep";
        UnitLoop.EmitDispatch(w, hidden, VectorBodyName(hidden, forward: true), UnitLoop.Arguments(forwardParameters), scalarBody: """
            float reset = Activations.Sigmoid(gates[j] + hiddenTerm[j]);
            float update = Activations.Sigmoid(gates[H + j] + hiddenTerm[H + j]);
            float hiddenNew = hiddenTerm[2 * H + j];
            float candidate = Activations.Tanh(reset * hiddenNew + gates[2 * H + j]);
            float previous = hPrev[j];
            gates[j] = reset;
            gates[H + j] = update;
            gates[2 * H + j] = candidate;
            h[j] = update * (previous - candidate) + candidate;
            if (keep) hiddenN[j] = hiddenNew;
            """);
        w.Line("}");
        w.Line();
        UnitLoop.EmitVectorBody(w, hidden, forward, VectorBodyName(hidden, forward: true), forwardParameters, """
            TVec reset = TOps.FastSigmoid(TOps.Add(TOps.Load(ref ga, j), TOps.Load(ref ht, j)));
            TVec update = TOps.FastSigmoid(TOps.Add(TOps.Load(ref ga, H + j), TOps.Load(ref ht, H + j)));
            TVec hiddenNew = TOps.Load(ref ht, 2 * H + j);
            TVec candidate = TOps.FastTanh(TOps.MultiplyAdd(reset, hiddenNew, TOps.Load(ref ga, 2 * H + j)));
            TVec previous = TOps.Load(ref hp, j);
            TOps.Store(reset, ref ga, j);
            TOps.Store(update, ref ga, H + j);
            TOps.Store(candidate, ref ga, 2 * H + j);
            TOps.Store(TOps.MultiplyAdd(update, TOps.Subtract(previous, candidate), candidate), ref hr, j);
            if (keep) TOps.Store(hiddenNew, ref hn, j);
            """);

        KernelHead.EmitBackward(w, hidden, """
            /// Backpropagates one GRU step for one sequence. With dh = dhAbove + dhRecurrent:
            /// <code>
            ///   dn = dh * (1 - z)     dz = dh * (h_prev - n)     dh_prev (direct) = dh * z
            ///   da_n = dn * (1 - n^2)    da_r = da_n * h_n * r (1 - r)    da_z = dz * z (1 - z)
            /// </code>
            /// dInput receives (da_r, da_z, da_n), the gradient of W_ih x + b_ih; dHidden receives
            /// (da_r, da_z, da_n * r), the gradient of W_hh h_prev + b_hh; dhRecurrent receives the direct
            /// term dh * z, onto which the caller accumulates dHidden W_hh. Only the hidden units [j0, j1) are
            /// computed; returns their sum of dh^2.
            """, backward,
            "\n    ReadOnlySpan<float> gates, ReadOnlySpan<float> hPrev, ReadOnlySpan<float> hiddenN, Span<float> dInput, Span<float> dHidden",
            "gates.Length < 3 * H || hPrev.Length < H || hiddenN.Length < H || dInput.Length < 3 * H || dHidden.Length < 3 * H",
            new[] { ("ga", "gates"), ("hp", "hPrev"), ("hn", "hiddenN"), ("di", "dInput"), ("dhh", "dHidden") },
            throwOnNextLine: true);
        UnitLoop.EmitGradient(w, hidden, backward, VectorBodyName(hidden, forward: false),
            "ref float ga, ref float hp, ref float hn, ref float di, ref float dhh",
            vectorBody: """
                TVec reset = TOps.Load(ref ga, j);
                TVec update = TOps.Load(ref ga, H + j);
                TVec candidate = TOps.Load(ref ga, 2 * H + j);
                TVec dCandidate = TOps.Multiply(TOps.Multiply(dh, TOps.Subtract(TOps.One, update)), TOps.Subtract(TOps.One, TOps.Multiply(candidate, candidate)));
                TVec dReset = TOps.Multiply(TOps.Multiply(TOps.Multiply(dCandidate, TOps.Load(ref hn, j)), reset), TOps.Subtract(TOps.One, reset));
                TVec dUpdate = TOps.Multiply(TOps.Multiply(TOps.Multiply(dh, TOps.Subtract(TOps.Load(ref hp, j), candidate)), update), TOps.Subtract(TOps.One, update));
                TOps.Store(dReset, ref di, j);
                TOps.Store(dUpdate, ref di, H + j);
                TOps.Store(dCandidate, ref di, 2 * H + j);
                TOps.Store(dReset, ref dhh, j);
                TOps.Store(dUpdate, ref dhh, H + j);
                TOps.Store(TOps.Multiply(dCandidate, reset), ref dhh, 2 * H + j);
                TOps.Store(TOps.Multiply(dh, update), ref rec, j);
                """,
            scalarBody: """
                float reset = gates[j], update = gates[H + j], candidate = gates[2 * H + j];
                float dCandidate = dh * (1f - update) * (1f - candidate * candidate);
                float dReset = dCandidate * hiddenN[j] * reset * (1f - reset);
                float dUpdate = dh * (hPrev[j] - candidate) * update * (1f - update);
                dInput[j] = dReset;
                dInput[H + j] = dUpdate;
                dInput[2 * H + j] = dCandidate;
                dHidden[j] = dReset;
                dHidden[H + j] = dUpdate;
                dHidden[2 * H + j] = dCandidate * reset;
                dhRecurrent[j] = dh * update;
                """);
    }
}
