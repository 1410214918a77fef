using System;
using System.Collections.Generic;
using System.Linq;

namespace CodeGenLstm.Tests.Reference;

/// <summary>
/// An independent double-precision forward pass of a sequential model, written from PyTorch's published
/// equations (nn.LSTM, nn.GRU, nn.RNN, nn.Embedding, nn.Linear, pack_padded_sequence). It is the test oracle
/// the generated float32 code is checked against: it is written for clarity, one sequence and one unit at a time.
/// <para>Parameters: one flat vector, tensors in PyTorch state_dict order (<see cref="Tensors"/>), each row-major.</para>
/// <para>Padding: position (b, t) is valid iff t &lt; lengths[b]; every layer writes 0 at padded positions and no
/// layer ever reads a padded position of its input (so padded input values and padded token ids are ignored).</para>
/// </summary>
public sealed class ReferenceModel
{
    private readonly List<Stage> stages = new();
    private readonly List<RefTensor> tensors = new();
    private readonly List<RefDropoutSite> dropoutSites = new();

    /// <summary>Builds and validates a model; layers are read top to bottom, each input size is the previous output size.</summary>
    public ReferenceModel(params RefLayer[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0)
            throw new ArgumentException("A model has at least one layer.", nameof(layers));

        int width = 0; // features per step flowing out of the previous layer; 0 before the first layer
        int offset = 0;
        int stateBase = 0, cellBase = 0, site = 0;
        for (int li = 0; li < layers.Length; li++)
        {
            bool first = li == 0, last = li == layers.Length - 1;
            switch (layers[li])
            {
                case RefEmbedding e:
                {
                    if (!first)
                        throw new ArgumentException($"Embedding '{e.Name}' must be the first layer.", nameof(layers));
                    if (e.VocabularySize < 1 || e.Dimension < 1)
                        throw new ArgumentException($"Embedding '{e.Name}' needs a vocabulary and a dimension >= 1.", nameof(layers));
                    var stage = new EmbeddingStage(e, AddTensor($"{e.Name}.weight", ref offset, e.VocabularySize, e.Dimension));
                    stages.Add(stage);
                    TakesTokens = true;
                    InputSize = 1;
                    width = e.Dimension;
                    break;
                }
                case RefRecurrent r:
                {
                    int inSize = r.InputSize == 0 ? width : r.InputSize;
                    if (inSize < 1)
                        throw new ArgumentException($"Recurrent layer '{r.Name}' is first: it must give its InputSize.", nameof(layers));
                    if (!first && inSize != width)
                        throw new ArgumentException($"Recurrent layer '{r.Name}' has InputSize {inSize}, the layer above outputs {width}.", nameof(layers));
                    if (r.HiddenSize < 1 || r.Layers < 1)
                        throw new ArgumentException($"Recurrent layer '{r.Name}' needs HiddenSize and Layers >= 1.", nameof(layers));
                    if (!(r.Dropout >= 0f && r.Dropout < 1f))
                        throw new ArgumentException($"Recurrent layer '{r.Name}' has dropout {r.Dropout}, outside [0, 1).", nameof(layers));
                    if (r.Cell != RefCell.Rnn && r.Activation != Activation.Tanh)
                        throw new ArgumentException($"Only an Rnn cell takes an Activation ('{r.Name}').", nameof(layers));
                    if (first)
                        InputSize = inSize;

                    int g = r.Gates, h = r.HiddenSize, dirs = r.Directions;
                    var cells = new CellTensors[r.Layers * dirs];
                    for (int k = 0; k < r.Layers; k++)
                    {
                        int inK = k == 0 ? inSize : r.OutputWidth;
                        for (int d = 0; d < dirs; d++)
                        {
                            string sfx = d == 0 ? "" : "_reverse";
                            int wih = AddTensor($"{r.Name}.weight_ih_l{k}{sfx}", ref offset, g * h, inK);
                            int whh = AddTensor($"{r.Name}.weight_hh_l{k}{sfx}", ref offset, g * h, h);
                            int bih = AddTensor($"{r.Name}.bias_ih_l{k}{sfx}", ref offset, g * h);
                            int bhh = AddTensor($"{r.Name}.bias_hh_l{k}{sfx}", ref offset, g * h);
                            cells[k * dirs + d] = new CellTensors(inK, wih, whh, bih, bhh);
                        }
                    }

                    var sites = new int[r.Layers];
                    for (int k = 0; k < r.Layers; k++)
                    {
                        sites[k] = -1;
                        if (k < r.Layers - 1 && r.Dropout > 0f)
                        {
                            sites[k] = site;
                            dropoutSites.Add(new RefDropoutSite(site, li, r.Name, k, r.OutputWidth, r.Dropout));
                            site++;
                        }
                    }

                    stages.Add(new RecurrentStage(r, cells, stateBase, r.Cell == RefCell.Lstm ? cellBase : -1, sites));
                    stateBase += r.Layers * dirs * h;
                    if (r.Cell == RefCell.Lstm)
                        cellBase += r.Layers * dirs * h;
                    width = r.OutputWidth;
                    break;
                }
                case RefDense dn:
                {
                    int inSize = dn.InputSize == 0 ? width : dn.InputSize;
                    if (inSize < 1)
                        throw new ArgumentException($"Dense layer '{dn.Name}' is first: it must give its InputSize.", nameof(layers));
                    if (!first && inSize != width)
                        throw new ArgumentException($"Dense layer '{dn.Name}' has InputSize {inSize}, the layer above outputs {width}.", nameof(layers));
                    if (dn.OutputSize < 1)
                        throw new ArgumentException($"Dense layer '{dn.Name}' needs OutputSize >= 1.", nameof(layers));
                    if (dn.Readout == Readout.LastStep && !last)
                        throw new ArgumentException($"Dense layer '{dn.Name}' with Readout.LastStep must be the last layer.", nameof(layers));
                    if (first)
                        InputSize = inSize;
                    int w = AddTensor($"{dn.Name}.weight", ref offset, dn.OutputSize, inSize);
                    int b = AddTensor($"{dn.Name}.bias", ref offset, dn.OutputSize);
                    // The LastStep rule for a bidirectional recurrent attribute directly below.
                    int bidirectionalHidden = li > 0 && layers[li - 1] is RefRecurrent { Bidirectional: true } below ? below.HiddenSize : 0;
                    stages.Add(new DenseStage(dn, inSize, w, b, bidirectionalHidden));
                    LastStep = dn.Readout == Readout.LastStep;
                    width = dn.OutputSize;
                    break;
                }
                default:
                    throw new ArgumentException($"Unknown layer {layers[li]}.", nameof(layers));
            }
        }

        var duplicate = tensors.GroupBy(t => t.Name).FirstOrDefault(grp => grp.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Tensor name '{duplicate.Key}' appears twice: give a second layer of one kind its own Name (e.g. 'lstm_1').", nameof(layers));

        ParameterCount = offset;
        OutputSize = width;
        StateSize = stateBase;
        CellStateSize = cellBase;
        var top = stages.OfType<RecurrentStage>().LastOrDefault();
        if (top is not null)
        {
            top.IsTop = true;
            TopDirections = top.Def.Directions;
            TopHiddenSize = top.Def.HiddenSize;
        }
    }

    /// <summary>The number of parameters (length of the flat vector).</summary>
    public int ParameterCount { get; }

    /// <summary>The tensors of the flat vector, in PyTorch state_dict order.</summary>
    public IReadOnlyList<RefTensor> Tensors => tensors;

    /// <summary>Dropout sites, numbered 0, 1, ... over the stacked layers k &lt; Layers - 1 of recurrent attributes with Dropout &gt; 0, in declaration order.</summary>
    public IReadOnlyList<RefDropoutSite> DropoutSites => dropoutSites;

    /// <summary>Features per step of the input (1 for a model that takes tokens).</summary>
    public int InputSize { get; }

    /// <summary>Features per step (or per sequence when <see cref="LastStep"/>) of the output.</summary>
    public int OutputSize { get; }

    /// <summary>True when the first layer is an Embedding (Forward takes tokens).</summary>
    public bool TakesTokens { get; }

    /// <summary>True when the last layer is a Dense with Readout.LastStep (output [batch, OutputSize]).</summary>
    public bool LastStep { get; }

    /// <summary>Per sequence: sum over recurrent attributes of layers * directions * H. h0 / FinalH have batch * StateSize values.</summary>
    public int StateSize { get; }

    /// <summary>Per sequence: the same sum over LSTM attributes only. c0 / FinalC have batch * CellStateSize values.</summary>
    public int CellStateSize { get; }

    /// <summary>Directions of the last stacked layer of the last recurrent attribute (0 without a recurrent layer).</summary>
    public int TopDirections { get; }

    /// <summary>Hidden size of the last recurrent attribute (0 without a recurrent layer).</summary>
    public int TopHiddenSize { get; }

    /// <summary>The tensor called <paramref name="name"/>.</summary>
    public RefTensor Tensor(string name) =>
        tensors.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"No tensor '{name}'.", nameof(name));

    /// <summary>
    /// The forward pass.
    /// </summary>
    /// <param name="parameters">ParameterCount values, tensors in <see cref="Tensors"/> order.</param>
    /// <param name="input">[batch, steps, InputSize] batch-first, for a model without Embedding; else null.</param>
    /// <param name="tokens">[batch, steps] token ids, for a model whose first layer is Embedding; else null.
    /// Ids at padded positions are not read.</param>
    /// <param name="batch">Sequences, &gt;= 1.</param>
    /// <param name="steps">Steps per sequence (the padded length), &gt;= 1.</param>
    /// <param name="lengths">null (all sequences have <paramref name="steps"/> valid steps) or one entry in 1..steps per sequence.</param>
    /// <param name="h0">null (zeros) or batch * StateSize initial hidden states (see <see cref="StateSize"/>).</param>
    /// <param name="c0">null (zeros) or batch * CellStateSize initial cell states.</param>
    /// <param name="dropoutMask">null: inference, no dropout. Else training: called once per dropout site (see
    /// <see cref="DropoutSites"/>) as dropoutMask(site, batch * steps * width); it returns the mask [batch, steps, width]
    /// whose values (0 or 1 / (1 - p)) multiply that stacked layer's output.</param>
    /// <param name="topHiddenDelta">null, or [TopDirections, batch, steps, TopHiddenSize]: added to h_t of the last stacked
    /// layer of the last recurrent attribute right after the cell computes it, before it is used anywhere (next step, output,
    /// final state). Finite differences with respect to it at 0 give the total dL/dh_t of backpropagation through time
    /// (with c_t held, for an LSTM). Values at padded positions are ignored.</param>
    public RefResult Forward(double[] parameters, double[]? input, int[]? tokens, int batch, int steps,
                             int[]? lengths = null, double[]? h0 = null, double[]? c0 = null,
                             Func<int, int, double[]>? dropoutMask = null, double[]? topHiddenDelta = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Length != ParameterCount)
            throw new ArgumentException($"Expected {ParameterCount} parameters, got {parameters.Length}.", nameof(parameters));
        if (batch < 1)
            throw new ArgumentException("batch must be >= 1.", nameof(batch));
        if (steps < 1)
            throw new ArgumentException("steps must be >= 1.", nameof(steps));
        if (TakesTokens)
        {
            if (tokens is null || tokens.Length != batch * steps)
                throw new ArgumentException($"Expected {batch * steps} token ids [batch, steps].", nameof(tokens));
            if (input is not null)
                throw new ArgumentException("A model that starts with Embedding takes tokens, not input.", nameof(input));
        }
        else
        {
            if (input is null || input.Length != batch * steps * InputSize)
                throw new ArgumentException($"Expected {batch * steps * InputSize} inputs [batch, steps, {InputSize}].", nameof(input));
            if (tokens is not null)
                throw new ArgumentException("This model takes float input, not tokens.", nameof(tokens));
        }

        if (lengths is not null && lengths.Length != batch)
            throw new ArgumentException($"Expected {batch} lengths.", nameof(lengths));
        var len = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            len[b] = lengths is null ? steps : lengths[b];
            if (len[b] < 1 || len[b] > steps)
                throw new ArgumentException($"lengths[{b}] = {len[b]} is outside 1..{steps}.", nameof(lengths));
        }
        if (h0 is not null && h0.Length != batch * StateSize)
            throw new ArgumentException($"Expected {batch * StateSize} values in h0.", nameof(h0));
        if (c0 is not null && c0.Length != batch * CellStateSize)
            throw new ArgumentException($"Expected {batch * CellStateSize} values in c0.", nameof(c0));
        if (topHiddenDelta is not null && (TopDirections == 0 || topHiddenDelta.Length != TopDirections * batch * steps * TopHiddenSize))
            throw new ArgumentException($"Expected {TopDirections * batch * steps * TopHiddenSize} values [dirs, batch, steps, H] in topHiddenDelta.", nameof(topHiddenDelta));

        var run = new Run(parameters, batch, steps, len, h0, c0, dropoutMask, topHiddenDelta)
        {
            FinalH = new double[batch * StateSize],
            FinalC = new double[batch * CellStateSize],
            TopHidden = new double[TopDirections * batch * steps * TopHiddenSize],
        };
        double[] x = input ?? Array.Empty<double>();
        foreach (var stage in stages)
            x = stage.Apply(run, x, tokens);
        return new RefResult(x, run.FinalH, run.FinalC, run.TopHidden);
    }

    /// <summary>Converts the generated model's float parameters (same order) to the reference's double vector.</summary>
    public double[] ParametersFrom(ReadOnlySpan<float> parameters)
    {
        if (parameters.Length != ParameterCount)
            throw new ArgumentException($"Expected {ParameterCount} parameters, got {parameters.Length}.", nameof(parameters));
        return ReferenceMath.ToDouble(parameters);
    }

    /// <summary>
    /// Builds the flat vector from named tensors (e.g. ExportParameters()), matched by name, whatever their order:
    /// strict, every name once with the expected shape, no extra.
    /// </summary>
    public double[] ParametersFrom(IEnumerable<NamedTensor> named)
    {
        ArgumentNullException.ThrowIfNull(named);
        var result = new double[ParameterCount];
        var seen = new HashSet<string>();
        foreach (var nt in named)
        {
            var t = tensors.FirstOrDefault(x => x.Name == nt.Name)
                ?? throw new ArgumentException($"Unexpected tensor '{nt.Name}'.", nameof(named));
            if (!seen.Add(nt.Name))
                throw new ArgumentException($"Tensor '{nt.Name}' appears twice.", nameof(named));
            if (!nt.Shape.SequenceEqual(t.Shape) || nt.Data.Length != t.Length)
                throw new ArgumentException($"Tensor '{nt.Name}' has shape [{string.Join(", ", nt.Shape)}] ({nt.Data.Length} values), expected {t.ShapeText}.", nameof(named));
            for (int i = 0; i < t.Length; i++)
                result[t.Offset + i] = nt.Data[i];
        }
        var missing = tensors.FirstOrDefault(t => !seen.Contains(t.Name));
        if (missing is not null)
            throw new ArgumentException($"Missing tensor '{missing.Name}'.", nameof(named));
        return result;
    }

    /// <summary>
    /// The masks the runtime draws in training call <paramref name="call"/> of a model seeded with <paramref name="seed"/>,
    /// as a <c>dropoutMask</c> argument: site s uses <see cref="DropoutSites"/>[s].Probability and
    /// CodeGenLstm.DropoutMask.Fill(mask, seed, call, s, p), converted to double.
    /// </summary>
    public Func<int, int, double[]> RuntimeDropoutMasks(long seed, long call) => (site, length) =>
    {
        var mask = new float[length];
        DropoutMask.Fill(mask, seed, call, site, dropoutSites[site].Probability);
        return ReferenceMath.ToDouble(mask);
    };

    private int AddTensor(string name, ref int offset, params int[] shape)
    {
        var t = new RefTensor(name, shape, offset);
        tensors.Add(t);
        offset += t.Length;
        return t.Offset;
    }

    // ---------------------------------------------------------------------------------------------
    // The stages. Each turns x [batch, steps, inWidth] into y [batch, steps, outWidth] (or [batch, O]
    // for a LastStep Dense), writing only valid positions of a zeroed array and reading only valid ones.
    // ---------------------------------------------------------------------------------------------

    private sealed class Run(double[] p, int batch, int steps, int[] len, double[]? h0, double[]? c0,
                             Func<int, int, double[]>? dropoutMask, double[]? topHiddenDelta)
    {
        public double[] P { get; } = p;
        public int Batch { get; } = batch;
        public int Steps { get; } = steps;
        public int[] Len { get; } = len;
        public double[]? H0 { get; } = h0;
        public double[]? C0 { get; } = c0;
        public Func<int, int, double[]>? DropoutMask { get; } = dropoutMask;
        public double[]? TopHiddenDelta { get; } = topHiddenDelta;
        public required double[] FinalH { get; init; }
        public required double[] FinalC { get; init; }
        public required double[] TopHidden { get; init; }

        public bool Valid(int b, int t) => t < Len[b];
    }

    private abstract class Stage
    {
        public abstract double[] Apply(Run run, double[] x, int[]? tokens);
    }

    private sealed class EmbeddingStage(RefEmbedding def, int weight) : Stage
    {
        public override double[] Apply(Run run, double[] x, int[]? tokens)
        {
            int v = def.VocabularySize, dim = def.Dimension;
            var y = new double[run.Batch * run.Steps * dim];
            for (int b = 0; b < run.Batch; b++)
            {
                for (int t = 0; t < run.Len[b]; t++)
                {
                    int id = tokens![b * run.Steps + t];
                    if (id < 0 || id >= v)
                        throw new ArgumentException($"Token id {id} at [{b}, {t}] is outside 0..{v - 1}.", nameof(tokens));
                    for (int j = 0; j < dim; j++)
                        y[(b * run.Steps + t) * dim + j] = run.P[weight + id * dim + j];
                }
            }
            return y;
        }
    }

    private sealed class DenseStage(RefDense def, int inSize, int weight, int bias, int bidirectionalHidden) : Stage
    {
        public override double[] Apply(Run run, double[] x, int[]? tokens)
        {
            int o = def.OutputSize;
            if (def.Readout == Readout.EachStep)
            {
                var y = new double[run.Batch * run.Steps * o];
                for (int b = 0; b < run.Batch; b++)
                    for (int t = 0; t < run.Len[b]; t++)
                        Affine(run.P, x, (b * run.Steps + t) * inSize, y, (b * run.Steps + t) * o);
                return y;
            }

            // LastStep: one row per sequence, from the last valid step; with a bidirectional recurrent attribute
            // directly below, forward half from the last valid step and reverse half from step 0 (PyTorch's h_n).
            var last = new double[run.Batch * o];
            var z = new double[inSize];
            for (int b = 0; b < run.Batch; b++)
            {
                int lastRow = (b * run.Steps + run.Len[b] - 1) * inSize;
                int firstRow = (b * run.Steps + 0) * inSize;
                for (int i = 0; i < inSize; i++)
                    z[i] = bidirectionalHidden > 0 && i >= bidirectionalHidden ? x[firstRow + i] : x[lastRow + i];
                Affine(run.P, z, 0, last, b * o);
            }
            return last;
        }

        // y[yo + r] = bias[r] + sum_c W[r, c] * x[xo + c], W row-major [O, in].
        private void Affine(double[] p, double[] x, int xo, double[] y, int yo)
        {
            for (int r = 0; r < def.OutputSize; r++)
            {
                double s = p[bias + r];
                for (int c = 0; c < inSize; c++)
                    s += p[weight + r * inSize + c] * x[xo + c];
                y[yo + r] = s;
            }
        }
    }

    private readonly record struct CellTensors(int InputSize, int WeightIh, int WeightHh, int BiasIh, int BiasHh);

    private sealed class RecurrentStage(RefRecurrent def, CellTensors[] cells, int stateBase, int cellBase, int[] sites) : Stage
    {
        public RefRecurrent Def { get; } = def;
        public bool IsTop { get; set; }

        public override double[] Apply(Run run, double[] x, int[]? tokens)
        {
            int h = Def.HiddenSize, dirs = Def.Directions, outW = Def.OutputWidth;
            for (int k = 0; k < Def.Layers; k++)
            {
                int inW = cells[k * dirs].InputSize;
                var y = new double[run.Batch * run.Steps * outW];
                for (int d = 0; d < dirs; d++)
                {
                    var cell = cells[k * dirs + d];
                    bool top = IsTop && k == Def.Layers - 1;
                    for (int b = 0; b < run.Batch; b++)
                    {
                        // PyTorch's state layout [layers * dirs, batch, H] of this attribute, inside the concatenation.
                        int stateAt = run.Batch * stateBase + ((k * dirs + d) * run.Batch + b) * h;
                        int cellAt = cellBase < 0 ? -1 : run.Batch * cellBase + ((k * dirs + d) * run.Batch + b) * h;
                        var hs = new double[h];
                        var cs = new double[h];
                        for (int j = 0; j < h; j++)
                        {
                            hs[j] = run.H0 is null ? 0 : run.H0[stateAt + j];
                            cs[j] = run.C0 is null || cellAt < 0 ? 0 : run.C0[cellAt + j];
                        }

                        int len = run.Len[b];
                        for (int s = 0; s < len; s++)
                        {
                            int t = d == 0 ? s : len - 1 - s; // reverse: t = len-1 down to 0, padding never seen
                            (hs, cs) = Step(run.P, cell, x, (b * run.Steps + t) * inW, hs, cs);
                            if (top && run.TopHiddenDelta is not null)
                                for (int j = 0; j < h; j++)
                                    hs[j] += run.TopHiddenDelta[((d * run.Batch + b) * run.Steps + t) * h + j];
                            for (int j = 0; j < h; j++)
                            {
                                y[(b * run.Steps + t) * outW + d * h + j] = hs[j];
                                if (top)
                                    run.TopHidden[((d * run.Batch + b) * run.Steps + t) * h + j] = hs[j];
                            }
                        }

                        for (int j = 0; j < h; j++)
                        {
                            run.FinalH[stateAt + j] = hs[j];
                            if (cellAt >= 0)
                                run.FinalC[cellAt + j] = cs[j];
                        }
                    }
                }

                // Residual: where this stacked layer's input and output sizes match, add the input (valid positions only).
                if (Def.Residual && inW == outW)
                    for (int b = 0; b < run.Batch; b++)
                        for (int t = 0; t < run.Len[b]; t++)
                            for (int j = 0; j < outW; j++)
                                y[(b * run.Steps + t) * outW + j] += x[(b * run.Steps + t) * inW + j];

                // Dropout after every stacked layer but the last, training only.
                if (sites[k] >= 0 && run.DropoutMask is not null)
                {
                    var mask = run.DropoutMask(sites[k], y.Length)
                        ?? throw new InvalidOperationException($"dropoutMask returned null for site {sites[k]}.");
                    if (mask.Length != y.Length)
                        throw new InvalidOperationException($"dropoutMask returned {mask.Length} values for site {sites[k]}, expected {y.Length}.");
                    for (int e = 0; e < y.Length; e++)
                        y[e] *= mask[e];
                }

                x = y;
            }
            return x;
        }

        // One step of the cell for one sequence: returns the new (h, c); c is unchanged for GRU and RNN.
        private (double[] H, double[] C) Step(double[] p, CellTensors cell, double[] x, int xo, double[] hPrev, double[] cPrev)
        {
            int h = Def.HiddenSize;
            var hNew = new double[h];
            var cNew = new double[h];
            // The two halves of every gate row: W_ih x + b_ih and W_hh h + b_hh (row r of the [G*H, .] weights).
            double Wx(int r)
            {
                double s = p[cell.BiasIh + r];
                for (int c = 0; c < cell.InputSize; c++)
                    s += p[cell.WeightIh + r * cell.InputSize + c] * x[xo + c];
                return s;
            }
            double Wh(int r)
            {
                double s = p[cell.BiasHh + r];
                for (int c = 0; c < h; c++)
                    s += p[cell.WeightHh + r * h + c] * hPrev[c];
                return s;
            }

            for (int j = 0; j < h; j++)
            {
                switch (Def.Cell)
                {
                    case RefCell.Lstm:
                    {
                        double i = Sigmoid(Wx(j) + Wh(j));
                        double f = Sigmoid(Wx(h + j) + Wh(h + j));
                        double g = Math.Tanh(Wx(2 * h + j) + Wh(2 * h + j));
                        double o = Sigmoid(Wx(3 * h + j) + Wh(3 * h + j));
                        cNew[j] = f * cPrev[j] + i * g;
                        hNew[j] = o * Math.Tanh(cNew[j]);
                        break;
                    }
                    case RefCell.Gru:
                    {
                        double r = Sigmoid(Wx(j) + Wh(j));
                        double z = Sigmoid(Wx(h + j) + Wh(h + j));
                        double n = Math.Tanh(Wx(2 * h + j) + r * Wh(2 * h + j));
                        hNew[j] = (1 - z) * n + z * hPrev[j];
                        break;
                    }
                    case RefCell.Rnn:
                    {
                        double a = Wx(j) + Wh(j);
                        hNew[j] = Def.Activation switch
                        {
                            Activation.Tanh => Math.Tanh(a),
                            Activation.Relu => Math.Max(0.0, a),
                            Activation.Sigmoid => Sigmoid(a),
                            _ => throw new InvalidOperationException($"Unknown activation {Def.Activation}."),
                        };
                        break;
                    }
                    default:
                        throw new InvalidOperationException($"Unknown cell {Def.Cell}.");
                }
            }
            return (hNew, Def.Cell == RefCell.Lstm ? cNew : cPrev);
        }

        private static double Sigmoid(double a) => 1.0 / (1.0 + Math.Exp(-a));
    }
}
