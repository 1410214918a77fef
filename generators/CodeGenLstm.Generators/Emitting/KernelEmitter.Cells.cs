using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting;

internal static partial class KernelEmitter
{
    // ------------------------------------------------------------------------------------------
    // Pointwise cell kernels: one sequence at one step, vectorized across the hidden units.
    // ------------------------------------------------------------------------------------------

    /// <summary>
    /// Writes a loop over the hidden units j in [j0, j1): a vector body per width, then the scalar body
    /// for the remaining units (all of them on the scalar path). Templates use {V}, {T}, {L}; "H" and
    /// "j" are in scope.
    /// </summary>
    private static void EmitUnitLoop(SourceWriter w, int hidden, string vectorBody, string scalarBody, string? vectorPrologue = null, string? vectorEpilogue = null)
    {
        w.Line("int j = j0;");
        bool first = true;
        foreach (VectorWidth v in VectorWidth.All)
        {
            if (hidden < v.Lanes) continue;
            using (w.Block($"{(first ? "" : "else ")}if ({v.Condition})"))
            {
                if (vectorPrologue is not null) w.Line(v.Apply(vectorPrologue));
                using (w.Block(v.Apply("for (; j + {L} <= j1; j += {L})")))
                    w.Line(v.Apply(vectorBody));
                if (vectorEpilogue is not null) w.Line(v.Apply(vectorEpilogue));
            }
            first = false;
        }
        using (w.Block("for (; j < j1; j++)"))
            w.Line(scalarBody);
    }

    private static void EmitLstm(SourceWriter w, int hidden)
    {
        string h = hidden.ToString(System.Globalization.CultureInfo.InvariantCulture);
        w.Line($$"""
            /// <summary>
            /// One LSTM step for one sequence (Hochreiter and Schmidhuber 1997; PyTorch's gate order i, f, g, o):
            /// <code>
            ///   i = sigmoid(a_i)   f = sigmoid(a_f)   g = tanh(a_g)   o = sigmoid(a_o)
            ///   c = f * c_prev + i * g
            ///   h = o * tanh(c)
            /// </code>
            /// gates holds the pre-activations a (input projection plus recurrent term) and receives the
            /// activations i, f, g, o, which backward needs; c holds c_prev and receives c; h receives h;
            /// tanhC (empty in inference) receives tanh(c). Only the hidden units [j0, j1) are computed.
            /// </summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            internal static void LstmForward_H{{h}}(int width, int j0, int j1, Span<float> gates, Span<float> c, Span<float> h, Span<float> tanhC)
            {
                const int H = {{h}};
                if (j0 < 0 || j1 > H || gates.Length < 4 * H || c.Length < H || h.Length < H || (!tanhC.IsEmpty && tanhC.Length < H)) ThrowExtent(nameof(LstmForward_H{{h}}));
                bool keepTanhC = !tanhC.IsEmpty;
                ref float ga = ref MemoryMarshal.GetReference(gates);
                ref float cr = ref MemoryMarshal.GetReference(c);
                ref float hr = ref MemoryMarshal.GetReference(h);
                ref float tr = ref MemoryMarshal.GetReference(tanhC);
            """);
        EmitUnitLoopIndented(w, hidden,
            vectorBody: """
                {T} inputGate = FastSigmoid({V}.LoadUnsafe(ref ga, (nuint)j));
                {T} forgetGate = FastSigmoid({V}.LoadUnsafe(ref ga, (nuint)(H + j)));
                {T} candidate = FastTanh({V}.LoadUnsafe(ref ga, (nuint)(2 * H + j)));
                {T} outputGate = FastSigmoid({V}.LoadUnsafe(ref ga, (nuint)(3 * H + j)));
                {T} cell = {V}.MultiplyAddEstimate(forgetGate, {V}.LoadUnsafe(ref cr, (nuint)j), inputGate * candidate);
                {T} tanhCell = FastTanh(cell);
                inputGate.StoreUnsafe(ref ga, (nuint)j);
                forgetGate.StoreUnsafe(ref ga, (nuint)(H + j));
                candidate.StoreUnsafe(ref ga, (nuint)(2 * H + j));
                outputGate.StoreUnsafe(ref ga, (nuint)(3 * H + j));
                cell.StoreUnsafe(ref cr, (nuint)j);
                (outputGate * tanhCell).StoreUnsafe(ref hr, (nuint)j);
                if (keepTanhC) tanhCell.StoreUnsafe(ref tr, (nuint)j);
                """,
            scalarBody: """
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

        w.Line($$"""
            /// <summary>
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
            /// </summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            internal static float LstmBackward_H{{h}}(int width, int j0, int j1, ReadOnlySpan<float> dhAbove, Span<float> dhRecurrent, Span<float> dc,
                ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> tanhC, Span<float> dGates)
            {
                const int H = {{h}};
                if (j0 < 0 || j1 > H || dhAbove.Length < H || dhRecurrent.Length < H || dc.Length < H || gates.Length < 4 * H || cPrev.Length < H || tanhC.Length < H || dGates.Length < 4 * H)
                    ThrowExtent(nameof(LstmBackward_H{{h}}));
                ref float up = ref MemoryMarshal.GetReference(dhAbove);
                ref float rec = ref MemoryMarshal.GetReference(dhRecurrent);
                ref float dcr = ref MemoryMarshal.GetReference(dc);
                ref float ga = ref MemoryMarshal.GetReference(gates);
                ref float cp = ref MemoryMarshal.GetReference(cPrev);
                ref float tc = ref MemoryMarshal.GetReference(tanhC);
                ref float dg = ref MemoryMarshal.GetReference(dGates);
                float squares = 0f;
            """);
        EmitUnitLoopIndented(w, hidden,
            vectorPrologue: "{T} squareSum = {T}.Zero;",
            vectorBody: """
                {T} dh = {V}.LoadUnsafe(ref up, (nuint)j) + {V}.LoadUnsafe(ref rec, (nuint)j);
                squareSum = {V}.MultiplyAddEstimate(dh, dh, squareSum);
                {T} inputGate = {V}.LoadUnsafe(ref ga, (nuint)j);
                {T} forgetGate = {V}.LoadUnsafe(ref ga, (nuint)(H + j));
                {T} candidate = {V}.LoadUnsafe(ref ga, (nuint)(2 * H + j));
                {T} outputGate = {V}.LoadUnsafe(ref ga, (nuint)(3 * H + j));
                {T} tanhCell = {V}.LoadUnsafe(ref tc, (nuint)j);
                {T} dOutput = dh * tanhCell;
                {T} dCell = {V}.MultiplyAddEstimate(dh * outputGate, {T}.One - tanhCell * tanhCell, {V}.LoadUnsafe(ref dcr, (nuint)j));
                (dCell * candidate * inputGate * ({T}.One - inputGate)).StoreUnsafe(ref dg, (nuint)j);
                (dCell * {V}.LoadUnsafe(ref cp, (nuint)j) * forgetGate * ({T}.One - forgetGate)).StoreUnsafe(ref dg, (nuint)(H + j));
                (dCell * inputGate * ({T}.One - candidate * candidate)).StoreUnsafe(ref dg, (nuint)(2 * H + j));
                (dOutput * outputGate * ({T}.One - outputGate)).StoreUnsafe(ref dg, (nuint)(3 * H + j));
                (dCell * forgetGate).StoreUnsafe(ref dcr, (nuint)j);
                {T}.Zero.StoreUnsafe(ref rec, (nuint)j);
                """,
            vectorEpilogue: "squares = {V}.Sum(squareSum);",
            scalarBody: """
                float dh = dhAbove[j] + dhRecurrent[j];
                squares += dh * dh;
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
        w.Line("    return squares;");
        w.Line("}");
        w.Line();
    }

    private static void EmitGru(SourceWriter w, int hidden)
    {
        string h = hidden.ToString(System.Globalization.CultureInfo.InvariantCulture);
        w.Line($$"""
            /// <summary>
            /// One GRU step for one sequence (Cho et al. 2014, PyTorch's form with gate order r, z, n):
            /// <code>
            ///   r = sigmoid(x_r + h_r)    z = sigmoid(x_z + h_z)    n = tanh(x_n + r * h_n)
            ///   h = (1 - z) * n + z * h_prev  =  n + z * (h_prev - n)
            /// </code>
            /// where x = W_ih x + b_ih (in gates) and h_* = W_hh h_prev + b_hh (in hiddenTerm): the reset
            /// gate scales the whole recurrent term of n, bias included. gates receives r, z, n; hPrev holds
            /// h_prev and h receives h; hiddenN (empty in inference) receives h_n, which backward needs. Only
            /// the hidden units [j0, j1) are computed.
            /// </summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            internal static void GruForward_H{{h}}(int width, int j0, int j1, Span<float> gates, ReadOnlySpan<float> hiddenTerm, ReadOnlySpan<float> hPrev, Span<float> h, Span<float> hiddenN)
            {
                const int H = {{h}};
                if (j0 < 0 || j1 > H || gates.Length < 3 * H || hiddenTerm.Length < 3 * H || hPrev.Length < H || h.Length < H || (!hiddenN.IsEmpty && hiddenN.Length < H)) ThrowExtent(nameof(GruForward_H{{h}}));
                bool keep = !hiddenN.IsEmpty;
                ref float ga = ref MemoryMarshal.GetReference(gates);
                ref float ht = ref MemoryMarshal.GetReference(hiddenTerm);
                ref float hp = ref MemoryMarshal.GetReference(hPrev);
                ref float hr = ref MemoryMarshal.GetReference(h);
                ref float hn = ref MemoryMarshal.GetReference(hiddenN);
            """);
        EmitUnitLoopIndented(w, hidden,
            vectorBody: """
                {T} reset = FastSigmoid({V}.LoadUnsafe(ref ga, (nuint)j) + {V}.LoadUnsafe(ref ht, (nuint)j));
                {T} update = FastSigmoid({V}.LoadUnsafe(ref ga, (nuint)(H + j)) + {V}.LoadUnsafe(ref ht, (nuint)(H + j)));
                {T} hiddenNew = {V}.LoadUnsafe(ref ht, (nuint)(2 * H + j));
                {T} candidate = FastTanh({V}.MultiplyAddEstimate(reset, hiddenNew, {V}.LoadUnsafe(ref ga, (nuint)(2 * H + j))));
                {T} previous = {V}.LoadUnsafe(ref hp, (nuint)j);
                reset.StoreUnsafe(ref ga, (nuint)j);
                update.StoreUnsafe(ref ga, (nuint)(H + j));
                candidate.StoreUnsafe(ref ga, (nuint)(2 * H + j));
                {V}.MultiplyAddEstimate(update, previous - candidate, candidate).StoreUnsafe(ref hr, (nuint)j);
                if (keep) hiddenNew.StoreUnsafe(ref hn, (nuint)j);
                """,
            scalarBody: """
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

        w.Line($$"""
            /// <summary>
            /// Backpropagates one GRU step for one sequence. With dh = dhAbove + dhRecurrent:
            /// <code>
            ///   dn = dh * (1 - z)     dz = dh * (h_prev - n)     dh_prev (direct) = dh * z
            ///   da_n = dn * (1 - n^2)    da_r = da_n * h_n * r (1 - r)    da_z = dz * z (1 - z)
            /// </code>
            /// dInput receives (da_r, da_z, da_n), the gradient of W_ih x + b_ih; dHidden receives
            /// (da_r, da_z, da_n * r), the gradient of W_hh h_prev + b_hh; dhRecurrent receives the direct
            /// term dh * z, onto which the caller accumulates dHidden W_hh. Only the hidden units [j0, j1) are
            /// computed; returns their sum of dh^2.
            /// </summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            internal static float GruBackward_H{{h}}(int width, int j0, int j1, ReadOnlySpan<float> dhAbove, Span<float> dhRecurrent,
                ReadOnlySpan<float> gates, ReadOnlySpan<float> hPrev, ReadOnlySpan<float> hiddenN, Span<float> dInput, Span<float> dHidden)
            {
                const int H = {{h}};
                if (j0 < 0 || j1 > H || dhAbove.Length < H || dhRecurrent.Length < H || gates.Length < 3 * H || hPrev.Length < H || hiddenN.Length < H || dInput.Length < 3 * H || dHidden.Length < 3 * H)
                    ThrowExtent(nameof(GruBackward_H{{h}}));
                ref float up = ref MemoryMarshal.GetReference(dhAbove);
                ref float rec = ref MemoryMarshal.GetReference(dhRecurrent);
                ref float ga = ref MemoryMarshal.GetReference(gates);
                ref float hp = ref MemoryMarshal.GetReference(hPrev);
                ref float hn = ref MemoryMarshal.GetReference(hiddenN);
                ref float di = ref MemoryMarshal.GetReference(dInput);
                ref float dhh = ref MemoryMarshal.GetReference(dHidden);
                float squares = 0f;
            """);
        EmitUnitLoopIndented(w, hidden,
            vectorPrologue: "{T} squareSum = {T}.Zero;",
            vectorBody: """
                {T} dh = {V}.LoadUnsafe(ref up, (nuint)j) + {V}.LoadUnsafe(ref rec, (nuint)j);
                squareSum = {V}.MultiplyAddEstimate(dh, dh, squareSum);
                {T} reset = {V}.LoadUnsafe(ref ga, (nuint)j);
                {T} update = {V}.LoadUnsafe(ref ga, (nuint)(H + j));
                {T} candidate = {V}.LoadUnsafe(ref ga, (nuint)(2 * H + j));
                {T} dCandidate = dh * ({T}.One - update) * ({T}.One - candidate * candidate);
                {T} dReset = dCandidate * {V}.LoadUnsafe(ref hn, (nuint)j) * reset * ({T}.One - reset);
                {T} dUpdate = dh * ({V}.LoadUnsafe(ref hp, (nuint)j) - candidate) * update * ({T}.One - update);
                dReset.StoreUnsafe(ref di, (nuint)j);
                dUpdate.StoreUnsafe(ref di, (nuint)(H + j));
                dCandidate.StoreUnsafe(ref di, (nuint)(2 * H + j));
                dReset.StoreUnsafe(ref dhh, (nuint)j);
                dUpdate.StoreUnsafe(ref dhh, (nuint)(H + j));
                (dCandidate * reset).StoreUnsafe(ref dhh, (nuint)(2 * H + j));
                (dh * update).StoreUnsafe(ref rec, (nuint)j);
                """,
            vectorEpilogue: "squares = {V}.Sum(squareSum);",
            scalarBody: """
                float dh = dhAbove[j] + dhRecurrent[j];
                squares += dh * dh;
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
        w.Line("    return squares;");
        w.Line("}");
        w.Line();
    }

    private static void EmitRnn(SourceWriter w, int hidden, ActivationKind activation)
    {
        string h = hidden.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string forward = KernelSet.CellName(LayerKind.Rnn, hidden, activation, forward: true);
        string backward = KernelSet.CellName(LayerKind.Rnn, hidden, activation, forward: false);
        (string equation, string vectorAct, string scalarAct, string derivative, string vectorDerivative, string scalarDerivative) = activation switch
        {
            ActivationKind.Relu => ("h = max(0, a)", "{V}.Max(a, {T}.Zero)", "MathF.Max(a, 0f)",
                "dh * (h > 0 ? 1 : 0)", "{V}.ConditionalSelect({V}.GreaterThan(y, {T}.Zero), dh, {T}.Zero)", "y > 0f ? dh : 0f"),
            ActivationKind.Sigmoid => ("h = sigmoid(a)", "FastSigmoid(a)", "Activations.Sigmoid(a)",
                "dh * h (1 - h)", "dh * y * ({T}.One - y)", "dh * y * (1f - y)"),
            _ => ("h = tanh(a)", "FastTanh(a)", "Activations.Tanh(a)",
                "dh * (1 - h^2)", "dh * ({T}.One - y * y)", "dh * (1f - y * y)"),
        };
        w.Line($$"""
            /// <summary>
            /// One plain (Elman) RNN step for one sequence: <c>{{equation}}</c> with a = W_ih x + b_ih + W_hh h_prev + b_hh.
            /// gates holds a and receives the new h (which backward needs); h receives it too. Only the hidden
            /// units [j0, j1) are computed.
            /// </summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            internal static void {{forward}}(int width, int j0, int j1, Span<float> gates, Span<float> h)
            {
                const int H = {{h}};
                if (j0 < 0 || j1 > H || gates.Length < H || h.Length < H) ThrowExtent(nameof({{forward}}));
                ref float ga = ref MemoryMarshal.GetReference(gates);
                ref float hr = ref MemoryMarshal.GetReference(h);
            """);
        EmitUnitLoopIndented(w, hidden,
            vectorBody: $$"""
                {T} a = {V}.LoadUnsafe(ref ga, (nuint)j);
                {T} y = {{vectorAct}};
                y.StoreUnsafe(ref ga, (nuint)j);
                y.StoreUnsafe(ref hr, (nuint)j);
                """,
            scalarBody: $$"""
                float a = gates[j];
                float y = {{scalarAct}};
                gates[j] = y;
                h[j] = y;
                """);
        w.Line("}");
        w.Line();
        w.Line($$"""
            /// <summary>
            /// Backpropagates one plain RNN step: with dh = dhAbove + dhRecurrent, da = {{derivative}},
            /// read from the stored h. dGates receives da; dhRecurrent is reset to 0 for the caller to
            /// accumulate da W_hh into it. Only the hidden units [j0, j1) are computed; returns their sum of dh^2.
            /// </summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            internal static float {{backward}}(int width, int j0, int j1, ReadOnlySpan<float> dhAbove, Span<float> dhRecurrent, ReadOnlySpan<float> gates, Span<float> dGates)
            {
                const int H = {{h}};
                if (j0 < 0 || j1 > H || dhAbove.Length < H || dhRecurrent.Length < H || gates.Length < H || dGates.Length < H) ThrowExtent(nameof({{backward}}));
                ref float up = ref MemoryMarshal.GetReference(dhAbove);
                ref float rec = ref MemoryMarshal.GetReference(dhRecurrent);
                ref float ga = ref MemoryMarshal.GetReference(gates);
                ref float dg = ref MemoryMarshal.GetReference(dGates);
                float squares = 0f;
            """);
        EmitUnitLoopIndented(w, hidden,
            vectorPrologue: "{T} squareSum = {T}.Zero;",
            vectorBody: $$"""
                {T} dh = {V}.LoadUnsafe(ref up, (nuint)j) + {V}.LoadUnsafe(ref rec, (nuint)j);
                squareSum = {V}.MultiplyAddEstimate(dh, dh, squareSum);
                {T} y = {V}.LoadUnsafe(ref ga, (nuint)j);
                ({{vectorDerivative}}).StoreUnsafe(ref dg, (nuint)j);
                {T}.Zero.StoreUnsafe(ref rec, (nuint)j);
                """,
            vectorEpilogue: "squares = {V}.Sum(squareSum);",
            scalarBody: $$"""
                float dh = dhAbove[j] + dhRecurrent[j];
                squares += dh * dh;
                float y = gates[j];
                dGates[j] = {{scalarDerivative}};
                dhRecurrent[j] = 0f;
                """);
        w.Line("    return squares;");
        w.Line("}");
        w.Line();
    }

    /// <summary><see cref="EmitUnitLoop"/> one level deeper, inside a method whose braces the caller writes as text.</summary>
    private static void EmitUnitLoopIndented(SourceWriter w, int hidden, string vectorBody, string scalarBody, string? vectorPrologue = null, string? vectorEpilogue = null)
    {
        var inner = new SourceWriter();
        EmitUnitLoop(inner, hidden, vectorBody, scalarBody, vectorPrologue, vectorEpilogue);
        foreach (string line in inner.ToString().TrimEnd('\n').Split('\n'))
            w.Line(line.Length == 0 ? "" : "    " + line);
    }
}
