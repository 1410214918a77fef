using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting;

/// <summary>
/// Emits the numerical kernels of one model into a file-local static class: matrix products
/// specialised on their compile-time sizes, and the pointwise gate computations of each cell.
/// Every kernel has a vector body per width (512, 256, 128 bits, chosen by the caller's
/// <c>width</c> and by the JIT's <c>IsHardwareAccelerated</c>, which it folds to a constant) and a
/// scalar body, the reference that the vector bodies are tested against.
/// </summary>
internal static class KernelEmitter
{
    public static void Emit(SourceWriter w, ModelLayout layout, string kernelsClass)
    {
        var kernels = new KernelSet(layout);
        w.Line($"/// <summary>The numerical kernels of the model {layout.Spec.ClassName}, specialised on its sizes.</summary>");
        w.Line("/// <remarks>");
        w.Line("/// Every kernel takes <c>width</c>, the vector width in bits the model chose for this call (512, 256,");
        w.Line("/// 128, or 0 for the scalar reference), and runs the widest body that is both asked for and");
        w.Line("/// accelerated; the JIT removes the bodies this machine cannot run. Multiply-adds use");
        w.Line("/// MultiplyAddEstimate: one fused instruction where the hardware has FMA, multiply then add where not.");
        w.Line("/// Each kernel first checks that its spans are long enough for what it will touch, so that the");
        w.Line("/// unchecked vector loads inside can never leave them.");
        w.Line("/// </remarks>");
        w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"CodeGenLstm.Generators\", \"" + ModelEmitter.Version + "\")]");
        using (w.Block($"file static class {kernelsClass}"))
        {
            EmitHelpers(w);
            foreach (var (k, n) in kernels.Products) EmitProduct(w, k, n);
            foreach (var (n1, n2) in kernels.TransposedProducts) EmitTransposedProduct(w, n1, n2);
            foreach (int n in kernels.ColumnSums) EmitColumnSums(w, n);
            foreach (var (kind, hidden, activation) in kernels.Cells)
            {
                switch (kind)
                {
                    case LayerKind.Lstm: EmitLstm(w, hidden); break;
                    case LayerKind.Gru: EmitGru(w, hidden); break;
                    default: EmitRnn(w, hidden, activation); break;
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Helpers that do not depend on sizes.
    // ------------------------------------------------------------------------------------------

    private static void EmitHelpers(SourceWriter w)
    {
        w.Line("""
            [MethodImpl(MethodImplOptions.NoInlining)]
            private static void ThrowExtent(string kernel) =>
                throw new InvalidOperationException($"CodeGenLstm internal error: {kernel} was given a buffer too short for its sizes.");

            /// <summary>destination[c, r] = source[r, c]: packs a [rows, cols] weight matrix as [cols, rows] for the products.</summary>
            internal static void Transpose(ReadOnlySpan<float> source, int rows, int cols, Span<float> destination)
            {
                if (source.Length < rows * cols || destination.Length < rows * cols) ThrowExtent(nameof(Transpose));
                // 8 x 8 tiles keep both the rows read and the rows written in cache.
                for (int r0 = 0; r0 < rows; r0 += 8)
                    for (int c0 = 0; c0 < cols; c0 += 8)
                        for (int r = r0; r < r0 + 8 && r < rows; r++)
                            for (int c = c0; c < c0 + 8 && c < cols; c++)
                                destination[c * rows + r] = source[r * cols + c];
            }

            /// <summary>Each of <paramref name="rows"/> rows of <paramref name="c"/> (stride <paramref name="ldc"/>) = bias1 + bias2 (bias2 may be empty).</summary>
            internal static void FillRows(ReadOnlySpan<float> bias1, ReadOnlySpan<float> bias2, Span<float> c, int ldc, int rows)
            {
                int n = bias1.Length;
                if (rows > 0 && c.Length < (rows - 1) * ldc + n) ThrowExtent(nameof(FillRows));
                Span<float> first = c.Slice(0, n);
                bias1.CopyTo(first);
                if (!bias2.IsEmpty)
                    for (int j = 0; j < n; j++) first[j] += bias2[j];
                for (int r = 1; r < rows; r++) first.CopyTo(c.Slice(r * ldc, n));
            }

            /// <summary>y += x, element by element.</summary>
            internal static void Add(int width, ReadOnlySpan<float> x, Span<float> y)
            {
                if (y.Length < x.Length) ThrowExtent(nameof(Add));
                int j = 0;
                ref float xr = ref MemoryMarshal.GetReference(x);
                ref float yr = ref MemoryMarshal.GetReference(y);
            """);
        w.Line("""
                if (width == 512 && Vector512.IsHardwareAccelerated)
                    for (; j + 16 <= x.Length; j += 16)
                        (Vector512.LoadUnsafe(ref yr, (nuint)j) + Vector512.LoadUnsafe(ref xr, (nuint)j)).StoreUnsafe(ref yr, (nuint)j);
                else if (width == 256 && Vector256.IsHardwareAccelerated)
                    for (; j + 8 <= x.Length; j += 8)
                        (Vector256.LoadUnsafe(ref yr, (nuint)j) + Vector256.LoadUnsafe(ref xr, (nuint)j)).StoreUnsafe(ref yr, (nuint)j);
                else if (width == 128 && Vector128.IsHardwareAccelerated)
                    for (; j + 4 <= x.Length; j += 4)
                        (Vector128.LoadUnsafe(ref yr, (nuint)j) + Vector128.LoadUnsafe(ref xr, (nuint)j)).StoreUnsafe(ref yr, (nuint)j);
                for (; j < x.Length; j++) y[j] += x[j];
            }

            /// <summary>y *= mask, element by element (dropout and its gradient).</summary>
            internal static void Multiply(int width, ReadOnlySpan<float> mask, Span<float> y)
            {
                if (mask.Length < y.Length) ThrowExtent(nameof(Multiply));
                int j = 0;
                ref float mr = ref MemoryMarshal.GetReference(mask);
                ref float yr = ref MemoryMarshal.GetReference(y);
                if (width == 512 && Vector512.IsHardwareAccelerated)
                    for (; j + 16 <= y.Length; j += 16)
                        (Vector512.LoadUnsafe(ref yr, (nuint)j) * Vector512.LoadUnsafe(ref mr, (nuint)j)).StoreUnsafe(ref yr, (nuint)j);
                else if (width == 256 && Vector256.IsHardwareAccelerated)
                    for (; j + 8 <= y.Length; j += 8)
                        (Vector256.LoadUnsafe(ref yr, (nuint)j) * Vector256.LoadUnsafe(ref mr, (nuint)j)).StoreUnsafe(ref yr, (nuint)j);
                else if (width == 128 && Vector128.IsHardwareAccelerated)
                    for (; j + 4 <= y.Length; j += 4)
                        (Vector128.LoadUnsafe(ref yr, (nuint)j) * Vector128.LoadUnsafe(ref mr, (nuint)j)).StoreUnsafe(ref yr, (nuint)j);
                for (; j < y.Length; j++) y[j] *= mask[j];
            }
            """);
        w.Line();
    }

    // ------------------------------------------------------------------------------------------
    // C[m, N] = A[m, K] B[K, N]
    // ------------------------------------------------------------------------------------------

    private static void EmitProduct(SourceWriter w, int k, int n)
    {
        string name = KernelSet.ProductName(k, n);
        w.Line($"/// <summary>C[m, {n}] = (accumulate ? C : 0) + A[m, {k}] B[{k}, {n}]; A has row stride lda, C row stride ldc, B is dense.</summary>");
        using (w.Block($"internal static void {name}(int width, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, Span<float> c, int ldc, int m, bool accumulate)"))
        {
            w.Line($"""
                if (m <= 0) return;
                if (lda < {k} || ldc < {n} || a.Length < (long)(m - 1) * lda + {k} || b.Length < {k * n} || c.Length < (long)(m - 1) * ldc + {n})
                    ThrowExtent(nameof({name}));
                ref float a0 = ref MemoryMarshal.GetReference(a);
                ref float b0 = ref MemoryMarshal.GetReference(b);
                ref float c0 = ref MemoryMarshal.GetReference(c);
                int i = 0;
                """);
            foreach (VectorWidth v in VectorWidth.All)
            {
                using (w.Block($"if ({v.Condition})"))
                {
                    w.Line($"// {v.RowBlock} rows at a time: each vector of B loaded is used {v.RowBlock} times.");
                    w.Line($"for (; i + {v.RowBlock} <= m; i += {v.RowBlock})");
                    w.Line($"    {name}_{v.Class}_Rows{v.RowBlock}(ref Unsafe.Add(ref a0, i * lda), lda, ref b0, ref Unsafe.Add(ref c0, i * ldc), ldc, accumulate);");
                    w.Line("for (; i < m; i++)");
                    w.Line($"    {name}_{v.Class}_Rows1(ref Unsafe.Add(ref a0, i * lda), lda, ref b0, ref Unsafe.Add(ref c0, i * ldc), ldc, accumulate);");
                    w.Line("return;");
                }
            }
            w.Line($$"""
                // Scalar reference: every C[i, j] sums its k terms in order, as the vector bodies do.
                for (; i < m; i++)
                {
                    Span<float> ci = c.Slice(i * ldc, {{n}});
                    if (!accumulate) ci.Clear();
                    for (int k = 0; k < {{k}}; k++)
                    {
                        float aik = a[i * lda + k];
                        ReadOnlySpan<float> bk = b.Slice(k * {{n}}, {{n}});
                        for (int j = 0; j < {{n}}; j++) ci[j] += aik * bk[j];
                    }
                }
                """);
        }
        w.Line();
        foreach (VectorWidth v in VectorWidth.All)
        {
            EmitMicroKernel(w, $"{name}_{v.Class}_Rows{v.RowBlock}", v, v.RowBlock, n, transposedA: false, k);
            EmitMicroKernel(w, $"{name}_{v.Class}_Rows1", v, 1, n, transposedA: false, k);
        }
    }

    // ------------------------------------------------------------------------------------------
    // C[N1, N2] += A[m, N1]^T B[m, N2]   (weight gradients: a sum over every sequence and step)
    // ------------------------------------------------------------------------------------------

    private static void EmitTransposedProduct(SourceWriter w, int n1, int n2)
    {
        string name = KernelSet.TransposedProductName(n1, n2);
        w.Line($"/// <summary>C[{n1}, {n2}] += A[m, {n1}]^T B[m, {n2}]: the sum over m rows of outer products; A and B have row strides lda, ldb.</summary>");
        using (w.Block($"internal static void {name}(int width, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int m)"))
        {
            w.Line($"""
                if (m <= 0) return;
                if (lda < {n1} || ldb < {n2} || a.Length < (long)(m - 1) * lda + {n1} || b.Length < (long)(m - 1) * ldb + {n2} || c.Length < {n1 * n2})
                    ThrowExtent(nameof({name}));
                ref float a0 = ref MemoryMarshal.GetReference(a);
                ref float b0 = ref MemoryMarshal.GetReference(b);
                ref float c0 = ref MemoryMarshal.GetReference(c);
                int r = 0;
                """);
            foreach (VectorWidth v in VectorWidth.All)
            {
                using (w.Block($"if ({v.Condition})"))
                {
                    w.Line($"// {v.RowBlock} rows of C at a time: each vector of B loaded is used {v.RowBlock} times.");
                    w.Line($"for (; r + {v.RowBlock} <= {n1}; r += {v.RowBlock})");
                    w.Line($"    {name}_{v.Class}_Rows{v.RowBlock}(ref Unsafe.Add(ref a0, r), lda, ref b0, ldb, ref Unsafe.Add(ref c0, r * {n2}), m);");
                    w.Line($"for (; r < {n1}; r++)");
                    w.Line($"    {name}_{v.Class}_Rows1(ref Unsafe.Add(ref a0, r), lda, ref b0, ldb, ref Unsafe.Add(ref c0, r * {n2}), m);");
                    w.Line("return;");
                }
            }
            w.Line($$"""
                // Scalar reference: every C[r, j] adds its m terms in order, as the vector bodies do.
                for (int p = 0; p < m; p++)
                {
                    ReadOnlySpan<float> bp = b.Slice(p * ldb, {{n2}});
                    for (r = 0; r < {{n1}}; r++)
                    {
                        float apr = a[p * lda + r];
                        Span<float> cr = c.Slice(r * {{n2}}, {{n2}});
                        for (int j = 0; j < {{n2}}; j++) cr[j] += apr * bp[j];
                    }
                }
                """);
        }
        w.Line();
        foreach (VectorWidth v in VectorWidth.All)
        {
            EmitMicroKernel(w, $"{name}_{v.Class}_Rows{v.RowBlock}", v, v.RowBlock, n2, transposedA: true, 0);
            EmitMicroKernel(w, $"{name}_{v.Class}_Rows1", v, 1, n2, transposedA: true, 0);
        }
    }

    /// <summary>
    /// A register-blocked micro-kernel: <paramref name="rows"/> rows of C by a block of vectors, the
    /// accumulators held in registers across the whole reduction. For C = A B, row q of the block
    /// reads A[q, k] and the reduction runs over the constant K; for C += A^T B, row q reads A[p, q]
    /// and the reduction runs over the m rows of A and B.
    /// </summary>
    private static void EmitMicroKernel(SourceWriter w, string name, VectorWidth v, int rows, int n, bool transposedA, int k)
    {
        int lanes = v.Lanes, block = v.VectorBlock * lanes;
        string parameters = transposedA
            ? "ref float a, int lda, ref float b, int ldb, ref float c, int m"
            : "ref float a, int lda, ref float b, ref float c, int ldc, bool accumulate";
        string loop = transposedA ? "for (int p = 0; p < m; p++)" : $"for (int k = 0; k < {k}; k++)";
        string bRow = transposedA ? "p * ldb + j" : $"k * {n} + j";
        string AElement(int q) => transposedA
            ? (q == 0 ? "Unsafe.Add(ref a, p * lda)" : $"Unsafe.Add(ref a, p * lda + {q})")
            : (q == 0 ? "Unsafe.Add(ref a, k)" : $"Unsafe.Add(ref a, {q} * lda + k)");
        string CRow(int q) => q == 0 ? "" : transposedA ? $"{q * n} + " : $"{q} * ldc + ";

        w.Line($"/// <summary>{rows} row{(rows > 1 ? "s" : "")} of C, {v.Class}: see the dispatching kernel.</summary>");
        using (w.Block($"private static void {name}({parameters})"))
        {
            w.Line("int j = 0;");
            // Columns in blocks of VectorBlock vectors, then the remaining whole vectors one at a time,
            // then the remaining floats; the sizes are constants, so only the loops that run are emitted.
            int vectorsPerRow = n / lanes;
            bool blocked = v.VectorBlock > 1 && vectorsPerRow >= v.VectorBlock;
            int singles = blocked ? vectorsPerRow % v.VectorBlock : vectorsPerRow;
            var widths = new List<int>();
            if (blocked) widths.Add(v.VectorBlock);
            if (singles > 0) widths.Add(1);
            foreach (int vectors in widths)
            {
                int step = vectors * lanes;
                w.Line(vectors > 1
                    ? $"// {vectors} vectors ({step} columns) per row: {rows * vectors} accumulators stay in registers for the whole reduction."
                    : $"// One vector ({lanes} columns) at a time.");
                using (w.Block($"for (; j + {step} <= {n}; j += {step})"))
                {
                    for (int q = 0; q < rows; q++)
                        for (int u = 0; u < vectors; u++)
                        {
                            string offset = CRow(q) + "j" + (u == 0 ? "" : $" + {u * lanes}");
                            string init = transposedA
                                ? $"{v.Class}.LoadUnsafe(ref c, (nuint)({offset}))"
                                : $"accumulate ? {v.Class}.LoadUnsafe(ref c, (nuint)({offset})) : {v.Type}.Zero";
                            w.Line($"{v.Type} c{q}{u} = {init};");
                        }
                    using (w.Block(loop))
                    {
                        w.Line($"ref float bRow = ref Unsafe.Add(ref b, {bRow});");
                        for (int u = 0; u < vectors; u++)
                            w.Line($"{v.Type} b{u} = {v.Class}.LoadUnsafe(ref bRow{(u == 0 ? "" : $", {u * lanes}")});");
                        for (int q = 0; q < rows; q++)
                        {
                            w.Line($"{v.Type} a{q} = {v.Class}.Create({AElement(q)});");
                            for (int u = 0; u < vectors; u++)
                                w.Line($"c{q}{u} = {v.Class}.MultiplyAddEstimate(a{q}, b{u}, c{q}{u});");
                        }
                    }
                    for (int q = 0; q < rows; q++)
                        for (int u = 0; u < vectors; u++)
                            w.Line($"c{q}{u}.StoreUnsafe(ref c, (nuint)({CRow(q)}j{(u == 0 ? "" : $" + {u * lanes}")}));");
                }
            }
            if (n % lanes != 0)
            {
                w.Line($"// The last {n % lanes} column{(n % lanes > 1 ? "s" : "")}, one float at a time.");
                using (w.Block($"for (; j < {n}; j++)"))
                {
                    for (int q = 0; q < rows; q++)
                    {
                        string cell = $"Unsafe.Add(ref c, {CRow(q)}j)";
                        w.Line(transposedA ? $"float s{q} = {cell};" : $"float s{q} = accumulate ? {cell} : 0f;");
                    }
                    using (w.Block(loop))
                    {
                        w.Line($"float bv = Unsafe.Add(ref b, {bRow});");
                        for (int q = 0; q < rows; q++)
                            w.Line($"s{q} += {AElement(q)} * bv;");
                    }
                    for (int q = 0; q < rows; q++)
                        w.Line($"Unsafe.Add(ref c, {CRow(q)}j) = s{q};");
                }
            }
        }
        w.Line();
    }

    // ------------------------------------------------------------------------------------------
    // sums[j] += sum over rows of A[p, j]   (bias gradients)
    // ------------------------------------------------------------------------------------------

    private static void EmitColumnSums(SourceWriter w, int n)
    {
        string name = KernelSet.ColumnSumName(n);
        w.Line($"/// <summary>sums[j] += A[0, j] + A[1, j] + ... + A[m - 1, j] for j &lt; {n}; A has row stride lda.</summary>");
        using (w.Block($"internal static void {name}(int width, ReadOnlySpan<float> a, int lda, int m, Span<float> sums)"))
        {
            w.Line($"""
                if (m <= 0) return;
                if (lda < {n} || a.Length < (long)(m - 1) * lda + {n} || sums.Length < {n}) ThrowExtent(nameof({name}));
                ref float a0 = ref MemoryMarshal.GetReference(a);
                ref float s0 = ref MemoryMarshal.GetReference(sums);
                int j = 0;
                """);
            foreach (VectorWidth v in VectorWidth.All)
            {
                if (n < v.Lanes) continue;
                using (w.Block($"if ({v.Condition})"))
                {
                    w.Line(v.Apply("""
                        for (; j + {L} <= __N__; j += {L})
                        {
                            {T} sum = {V}.LoadUnsafe(ref s0, (nuint)j);
                            for (int p = 0; p < m; p++) sum += {V}.LoadUnsafe(ref a0, (nuint)(p * lda + j));
                            sum.StoreUnsafe(ref s0, (nuint)j);
                        }
                        """).Replace("__N__", n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
            w.Line($$"""
                for (; j < {{n}}; j++)
                {
                    float sum = sums[j];
                    for (int p = 0; p < m; p++) sum += a[p * lda + j];
                    sums[j] = sum;
                }
                """);
        }
        w.Line();
    }

    // ------------------------------------------------------------------------------------------
    // Pointwise cell kernels: one sequence at one step, vectorized across the hidden units.
    // ------------------------------------------------------------------------------------------

    /// <summary>
    /// Writes a loop over the hidden units j in [0, H): a vector body per width, then the scalar body
    /// for the remaining units (all of them on the scalar path). Templates use {V}, {T}, {L}; "H" and
    /// "j" are in scope; <paramref name="vectorBody"/> may use the helper Load(ref r, offset).
    /// </summary>
    private static void EmitUnitLoop(SourceWriter w, int hidden, string vectorBody, string scalarBody, string? vectorPrologue = null, string? vectorEpilogue = null)
    {
        w.Line("int j = 0;");
        bool first = true;
        foreach (VectorWidth v in VectorWidth.All)
        {
            if (hidden < v.Lanes) continue;
            using (w.Block($"{(first ? "" : "else ")}if ({v.Condition})"))
            {
                if (vectorPrologue is not null) w.Line(v.Apply(vectorPrologue));
                using (w.Block(v.Apply("for (; j + {L} <= H; j += {L})")))
                    w.Line(v.Apply(vectorBody));
                if (vectorEpilogue is not null) w.Line(v.Apply(vectorEpilogue));
            }
            first = false;
        }
        using (w.Block("for (; j < H; j++)"))
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
            /// tanhC (empty in inference) receives tanh(c).
            /// </summary>
            internal static void LstmForward_H{{h}}(int width, Span<float> gates, Span<float> c, Span<float> h, Span<float> tanhC)
            {
                const int H = {{h}};
                if (gates.Length < 4 * H || c.Length < H || h.Length < H || (!tanhC.IsEmpty && tanhC.Length < H)) ThrowExtent(nameof(LstmForward_H{{h}}));
                bool keepTanhC = !tanhC.IsEmpty;
                ref float ga = ref MemoryMarshal.GetReference(gates);
                ref float cr = ref MemoryMarshal.GetReference(c);
                ref float hr = ref MemoryMarshal.GetReference(h);
                ref float tr = ref MemoryMarshal.GetReference(tanhC);
            """);
        EmitUnitLoopIndented(w, hidden,
            vectorBody: """
                {T} inputGate = Activations.Sigmoid({V}.LoadUnsafe(ref ga, (nuint)j));
                {T} forgetGate = Activations.Sigmoid({V}.LoadUnsafe(ref ga, (nuint)(H + j)));
                {T} candidate = Activations.Tanh({V}.LoadUnsafe(ref ga, (nuint)(2 * H + j)));
                {T} outputGate = Activations.Sigmoid({V}.LoadUnsafe(ref ga, (nuint)(3 * H + j)));
                {T} cell = {V}.MultiplyAddEstimate(forgetGate, {V}.LoadUnsafe(ref cr, (nuint)j), inputGate * candidate);
                {T} tanhCell = Activations.Tanh(cell);
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
            /// the caller to accumulate dG W_hh into it. Returns |dh|^2, for the gradient-flow report.
            /// </summary>
            internal static float LstmBackward_H{{h}}(int width, ReadOnlySpan<float> dhAbove, Span<float> dhRecurrent, Span<float> dc,
                ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> tanhC, Span<float> dGates)
            {
                const int H = {{h}};
                if (dhAbove.Length < H || dhRecurrent.Length < H || dc.Length < H || gates.Length < 4 * H || cPrev.Length < H || tanhC.Length < H || dGates.Length < 4 * H)
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
            /// gate scales the whole recurrent term of n, bias included. gates receives r, z, n; h holds
            /// h_prev and receives h; hiddenN (empty in inference) receives h_n, which backward needs.
            /// </summary>
            internal static void GruForward_H{{h}}(int width, Span<float> gates, ReadOnlySpan<float> hiddenTerm, Span<float> h, Span<float> hiddenN)
            {
                const int H = {{h}};
                if (gates.Length < 3 * H || hiddenTerm.Length < 3 * H || h.Length < H || (!hiddenN.IsEmpty && hiddenN.Length < H)) ThrowExtent(nameof(GruForward_H{{h}}));
                bool keep = !hiddenN.IsEmpty;
                ref float ga = ref MemoryMarshal.GetReference(gates);
                ref float ht = ref MemoryMarshal.GetReference(hiddenTerm);
                ref float hr = ref MemoryMarshal.GetReference(h);
                ref float hn = ref MemoryMarshal.GetReference(hiddenN);
            """);
        EmitUnitLoopIndented(w, hidden,
            vectorBody: """
                {T} reset = Activations.Sigmoid({V}.LoadUnsafe(ref ga, (nuint)j) + {V}.LoadUnsafe(ref ht, (nuint)j));
                {T} update = Activations.Sigmoid({V}.LoadUnsafe(ref ga, (nuint)(H + j)) + {V}.LoadUnsafe(ref ht, (nuint)(H + j)));
                {T} hiddenNew = {V}.LoadUnsafe(ref ht, (nuint)(2 * H + j));
                {T} candidate = Activations.Tanh({V}.MultiplyAddEstimate(reset, hiddenNew, {V}.LoadUnsafe(ref ga, (nuint)(2 * H + j))));
                {T} previous = {V}.LoadUnsafe(ref hr, (nuint)j);
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
                float previous = h[j];
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
            /// term dh * z, onto which the caller accumulates dHidden W_hh. Returns |dh|^2.
            /// </summary>
            internal static float GruBackward_H{{h}}(int width, ReadOnlySpan<float> dhAbove, Span<float> dhRecurrent,
                ReadOnlySpan<float> gates, ReadOnlySpan<float> hPrev, ReadOnlySpan<float> hiddenN, Span<float> dInput, Span<float> dHidden)
            {
                const int H = {{h}};
                if (dhAbove.Length < H || dhRecurrent.Length < H || gates.Length < 3 * H || hPrev.Length < H || hiddenN.Length < H || dInput.Length < 3 * H || dHidden.Length < 3 * H)
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
            ActivationKind.Sigmoid => ("h = sigmoid(a)", "Activations.Sigmoid(a)", "Activations.Sigmoid(a)",
                "dh * h (1 - h)", "dh * y * ({T}.One - y)", "dh * y * (1f - y)"),
            _ => ("h = tanh(a)", "Activations.Tanh(a)", "Activations.Tanh(a)",
                "dh * (1 - h^2)", "dh * ({T}.One - y * y)", "dh * (1f - y * y)"),
        };
        w.Line($$"""
            /// <summary>
            /// One plain (Elman) RNN step for one sequence: <c>{{equation}}</c> with a = W_ih x + b_ih + W_hh h_prev + b_hh.
            /// gates holds a and receives the new h (which backward needs); h receives it too.
            /// </summary>
            internal static void {{forward}}(int width, Span<float> gates, Span<float> h)
            {
                const int H = {{h}};
                if (gates.Length < H || h.Length < H) ThrowExtent(nameof({{forward}}));
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
            /// accumulate da W_hh into it. Returns |dh|^2.
            /// </summary>
            internal static float {{backward}}(int width, ReadOnlySpan<float> dhAbove, Span<float> dhRecurrent, ReadOnlySpan<float> gates, Span<float> dGates)
            {
                const int H = {{h}};
                if (dhAbove.Length < H || dhRecurrent.Length < H || gates.Length < H || dGates.Length < H) ThrowExtent(nameof({{backward}}));
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
