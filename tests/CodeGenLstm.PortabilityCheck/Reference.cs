using System;
using System.Collections.Generic;
using System.Linq;

namespace CodeGenLstm.PortabilityCheck;

// A double-precision forward pass written from PyTorch's published equations (nn.LSTM, nn.GRU, nn.RNN,
// nn.Embedding, nn.Linear with batch_first and packed, variable-length sequences), one sequence and one
// unit at a time, for clarity rather than speed. It shares nothing with the generator; it follows
// tests/CodeGenLstm.Tests/Reference (the oracle of the x64 numerical tests) without dropout, residual
// connections or initial states, which the models of this check do not use. Gradients come from central
// finite differences of this forward pass.

/// <summary>The recurrent cell: PyTorch's gate order i, f, g, o (LSTM) and r, z, n (GRU).</summary>
internal enum Cell { Lstm, Gru, Rnn }

/// <summary>One layer attribute of a reference model.</summary>
internal abstract record Layer;

/// <summary>nn.Embedding: token id -> row of {Name}.weight [V, D]; first layer only.</summary>
internal sealed record EmbeddingLayer(int Vocabulary, int Dimension, string Name = "embedding") : Layer;

/// <summary>A recurrent attribute: <paramref name="Layers"/> stacked layers; InputSize 0 means the previous layer's output.</summary>
internal sealed record RecurrentLayer(Cell Cell, int InputSize, int Hidden, int Layers = 1, bool Bidirectional = false,
                                      Activation Activation = Activation.Tanh, string Name = "lstm") : Layer
{
    public int Gates => Cell switch { Cell.Lstm => 4, Cell.Gru => 3, _ => 1 };
    public int Directions => Bidirectional ? 2 : 1;
    public int OutputWidth => Hidden * Directions;
}

/// <summary>nn.Linear y = W x + b, W [O, in]; LastStep reads the last valid step (PyTorch's h_n rule below a bidirectional layer).</summary>
internal sealed record DenseLayer(int OutputSize, Readout Readout = Readout.EachStep, string Name = "dense") : Layer;

/// <summary>A tensor of the flat parameter vector: state_dict name, shape, start.</summary>
internal sealed record RefTensor(string Name, int[] Shape, int Offset)
{
    public int Length => Shape.Aggregate(1, (a, b) => a * b);
}

/// <summary>Output [batch, steps, O] or [batch, O]; final h and c in PyTorch's [layers * dirs, batch, H] per attribute, concatenated.</summary>
internal sealed record RefResult(double[] Output, double[] FinalH, double[] FinalC);

internal sealed class ReferenceNet
{
    private readonly Layer[] layers;
    private readonly List<RefTensor> tensors = [];
    private readonly List<int> firstTensor = [];   // per layer: index of its first tensor in the list

    public ReferenceNet(params Layer[] layers)
    {
        this.layers = layers;
        int width = 0, offset = 0;
        foreach (Layer layer in layers)
        {
            firstTensor.Add(tensors.Count);
            switch (layer)
            {
                case EmbeddingLayer e:
                    Add($"{e.Name}.weight", ref offset, e.Vocabulary, e.Dimension);
                    TakesTokens = true;
                    InputSize = 1;
                    width = e.Dimension;
                    break;
                case RecurrentLayer r:
                {
                    int inSize = r.InputSize == 0 ? width : r.InputSize;
                    if (InputSize == 0) InputSize = inSize;
                    for (int k = 0; k < r.Layers; k++)
                        for (int d = 0; d < r.Directions; d++)
                        {
                            int inK = k == 0 ? inSize : r.OutputWidth;
                            string suffix = $"_l{k}" + (d == 0 ? "" : "_reverse");
                            Add($"{r.Name}.weight_ih{suffix}", ref offset, r.Gates * r.Hidden, inK);
                            Add($"{r.Name}.weight_hh{suffix}", ref offset, r.Gates * r.Hidden, r.Hidden);
                            Add($"{r.Name}.bias_ih{suffix}", ref offset, r.Gates * r.Hidden);
                            Add($"{r.Name}.bias_hh{suffix}", ref offset, r.Gates * r.Hidden);
                        }
                    StateSize += r.Layers * r.Directions * r.Hidden;
                    if (r.Cell == Cell.Lstm) CellStateSize += r.Layers * r.Directions * r.Hidden;
                    width = r.OutputWidth;
                    break;
                }
                case DenseLayer dn:
                    Add($"{dn.Name}.weight", ref offset, dn.OutputSize, width);
                    Add($"{dn.Name}.bias", ref offset, dn.OutputSize);
                    LastStep = dn.Readout == Readout.LastStep;
                    width = dn.OutputSize;
                    break;
                default:
                    throw new ArgumentException($"Unknown layer {layer}.", nameof(layers));
            }
        }
        ParameterCount = offset;
        OutputSize = width;
    }

    public IReadOnlyList<RefTensor> Tensors => tensors;
    public int ParameterCount { get; }
    public int InputSize { get; }
    public int OutputSize { get; }
    public bool TakesTokens { get; }
    public bool LastStep { get; }
    public int StateSize { get; }
    public int CellStateSize { get; }

    private void Add(string name, ref int offset, params int[] shape)
    {
        var tensor = new RefTensor(name, shape, offset);
        tensors.Add(tensor);
        offset += tensor.Length;
    }

    /// <summary>
    /// The forward pass. <paramref name="x"/> [batch, steps, InputSize] (null for tokens), <paramref name="tokens"/>
    /// [batch, steps] (null for float input); position (b, t) is valid iff t &lt; lengths[b]; padded outputs are 0.
    /// </summary>
    public RefResult Forward(double[] p, double[]? x, int[]? tokens, int batch, int steps, int[] lengths)
    {
        var finalH = new double[batch * StateSize];
        var finalC = new double[batch * CellStateSize];
        int stateBase = 0, cellBase = 0, width = InputSize;
        double[] a = x ?? [];
        for (int li = 0; li < layers.Length; li++)
        {
            int t0 = tensors[firstTensor[li]].Offset;
            switch (layers[li])
            {
                case EmbeddingLayer e:
                    a = new double[batch * steps * e.Dimension];
                    for (int b = 0; b < batch; b++)
                        for (int t = 0; t < lengths[b]; t++)
                        {
                            int id = tokens![b * steps + t];
                            for (int j = 0; j < e.Dimension; j++)
                                a[(b * steps + t) * e.Dimension + j] = p[t0 + id * e.Dimension + j];
                        }
                    width = e.Dimension;
                    break;
                case RecurrentLayer r:
                    a = Recurrent(r, firstTensor[li], p, a, width, batch, steps, lengths, finalH, stateBase, finalC, cellBase);
                    stateBase += r.Layers * r.Directions * r.Hidden;
                    if (r.Cell == Cell.Lstm) cellBase += r.Layers * r.Directions * r.Hidden;
                    width = r.OutputWidth;
                    break;
                case DenseLayer dn:
                {
                    int w = t0, bias = t0 + dn.OutputSize * width, o = dn.OutputSize, inW = width;
                    void Affine(double[] input, int at, double[] y, int yAt)
                    {
                        for (int row = 0; row < o; row++)
                        {
                            double s = p[bias + row];
                            for (int c = 0; c < inW; c++)
                                s += p[w + row * inW + c] * input[at + c];
                            y[yAt + row] = s;
                        }
                    }
                    if (dn.Readout == Readout.EachStep)
                    {
                        var y = new double[batch * steps * o];
                        for (int b = 0; b < batch; b++)
                            for (int t = 0; t < lengths[b]; t++)
                                Affine(a, (b * steps + t) * inW, y, (b * steps + t) * o);
                        a = y;
                    }
                    else
                    {
                        // The last valid step; under a bidirectional layer, the reverse half from step 0 (where the
                        // reverse direction ends), as PyTorch's h_n.
                        int reverseFrom = li > 0 && layers[li - 1] is RecurrentLayer { Bidirectional: true } below ? below.Hidden : inW;
                        var y = new double[batch * o];
                        var z = new double[inW];
                        for (int b = 0; b < batch; b++)
                        {
                            for (int i = 0; i < inW; i++)
                                z[i] = a[(b * steps + (i < reverseFrom ? lengths[b] - 1 : 0)) * inW + i];
                            Affine(z, 0, y, b * o);
                        }
                        a = y;
                    }
                    width = o;
                    break;
                }
            }
        }
        return new RefResult(a, finalH, finalC);
    }

    private double[] Recurrent(RecurrentLayer r, int tensorIndex, double[] p, double[] x, int inSize, int batch, int steps, int[] lengths,
                               double[] finalH, int stateBase, double[] finalC, int cellBase)
    {
        int h = r.Hidden, dirs = r.Directions, outW = r.OutputWidth;
        for (int k = 0; k < r.Layers; k++)
        {
            int inW = k == 0 ? inSize : outW;
            var y = new double[batch * steps * outW];
            for (int d = 0; d < dirs; d++)
            {
                int baseTensor = tensorIndex + 4 * (k * dirs + d);
                int wih = tensors[baseTensor].Offset, whh = tensors[baseTensor + 1].Offset;
                int bih = tensors[baseTensor + 2].Offset, bhh = tensors[baseTensor + 3].Offset;
                for (int b = 0; b < batch; b++)
                {
                    var hs = new double[h];
                    var cs = new double[h];
                    for (int s = 0; s < lengths[b]; s++)
                    {
                        int t = d == 0 ? s : lengths[b] - 1 - s;   // the reverse direction starts at the last valid step
                        int xo = (b * steps + t) * inW;
                        double Wx(int row)
                        {
                            double sum = p[bih + row];
                            for (int c = 0; c < inW; c++) sum += p[wih + row * inW + c] * x[xo + c];
                            return sum;
                        }
                        double Wh(int row)
                        {
                            double sum = p[bhh + row];
                            for (int c = 0; c < h; c++) sum += p[whh + row * h + c] * hs[c];
                            return sum;
                        }
                        var hNew = new double[h];
                        for (int j = 0; j < h; j++)
                        {
                            switch (r.Cell)
                            {
                                case Cell.Lstm:
                                {
                                    double i = Sigmoid(Wx(j) + Wh(j));
                                    double f = Sigmoid(Wx(h + j) + Wh(h + j));
                                    double g = Math.Tanh(Wx(2 * h + j) + Wh(2 * h + j));
                                    double o = Sigmoid(Wx(3 * h + j) + Wh(3 * h + j));
                                    cs[j] = f * cs[j] + i * g;   // cs[j] is read only for unit j: updating in place is safe
                                    hNew[j] = o * Math.Tanh(cs[j]);
                                    break;
                                }
                                case Cell.Gru:
                                {
                                    double rr = Sigmoid(Wx(j) + Wh(j));
                                    double z = Sigmoid(Wx(h + j) + Wh(h + j));
                                    double n = Math.Tanh(Wx(2 * h + j) + rr * Wh(2 * h + j));
                                    hNew[j] = (1 - z) * n + z * hs[j];
                                    break;
                                }
                                default:
                                {
                                    double v = Wx(j) + Wh(j);
                                    hNew[j] = r.Activation switch
                                    {
                                        Activation.Tanh => Math.Tanh(v),
                                        Activation.Relu => Math.Max(0.0, v),
                                        _ => Sigmoid(v),
                                    };
                                    break;
                                }
                            }
                        }
                        hs = hNew;
                        for (int j = 0; j < h; j++)
                            y[(b * steps + t) * outW + d * h + j] = hs[j];
                    }
                    int at = batch * stateBase + ((k * dirs + d) * batch + b) * h;
                    Array.Copy(hs, 0, finalH, at, h);
                    if (r.Cell == Cell.Lstm)
                        Array.Copy(cs, 0, finalC, batch * cellBase + ((k * dirs + d) * batch + b) * h, h);
                }
            }
            x = y;
        }
        return x;
    }

    private static double Sigmoid(double v) => 1.0 / (1.0 + Math.Exp(-v));

    /// <summary>
    /// Central differences (f(x + h e_i) - f(x - h e_i)) / ((x_i + h) - (x_i - h)) along the entries <paramref name="indices"/>;
    /// x is restored exactly after each.
    /// </summary>
    public static double[] FiniteDifferences(Func<double[], double> f, double[] x, IReadOnlyList<int> indices, double step = 1e-6)
    {
        var g = new double[indices.Count];
        for (int j = 0; j < indices.Count; j++)
        {
            int i = indices[j];
            double xi = x[i], up = xi + step, down = xi - step;
            x[i] = up;
            double fUp = f(x);
            x[i] = down;
            double fDown = f(x);
            x[i] = xi;
            g[j] = (fUp - fDown) / (up - down);
        }
        return g;
    }
}
