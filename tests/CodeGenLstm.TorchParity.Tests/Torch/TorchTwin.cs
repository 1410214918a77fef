using System;
using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.TorchParity.Tests.Declarations;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CodeGenLstm.TorchParity.Tests.Torch;

/// <summary>What one forward pass of the twin gives: the output, and h_n / c_n of each recurrent layer in declaration order.</summary>
public sealed record TwinResult(Tensor Output, IReadOnlyList<Tensor> FinalH, IReadOnlyList<Tensor> FinalC);

/// <summary>
/// The PyTorch twin of a declared model, composed from libtorch's own modules: nn.Embedding, nn.LSTM /
/// nn.GRU / nn.RNN with batch_first=True, nn.Linear, registered in one module under the layers' tensor
/// prefixes, so that its state_dict has exactly the names of our ExportParameters.
/// </summary>
/// <remarks>
/// The composition is what a PyTorch user writes: variable lengths go through
/// pack_padded_sequence(enforce_sorted=False) and pad_packed_sequence(total_length=steps); a Dense read
/// out at each step is masked to zero at padded steps (our contract: padded outputs are zero); a Dense
/// read out at the last step reads h_n of the top stacked layer (both directions concatenated, forward
/// first), which is PyTorch's idiom and what API.md promises for Readout.LastStep.
/// </remarks>
public sealed class TorchTwin : IDisposable
{
    private static readonly object s_creation = new();

    private readonly Declaration _declaration;
    private readonly List<nn.Module> _modules = new();

    private TorchTwin(Declaration declaration, nn.Module module)
    {
        _declaration = declaration;
        Module = module;
    }

    /// <summary>All layers under their prefixes: its state_dict / load_state_dict / named_parameters are the whole model's.</summary>
    public nn.Module Module { get; }

    /// <summary>Creates the modules with libtorch's own initialisation from <paramref name="seed"/>.</summary>
    public static TorchTwin Create(Declaration declaration, long seed)
    {
        // torch's generator is global: seed and create under one lock so that cases running in parallel
        // still get the weights of their own seed. (Forward and backward draw no random numbers here.)
        lock (s_creation)
        {
            TorchSetup.Ensure();
            torch.manual_seed(seed);
            var modules = new List<(string, nn.Module)>();
            foreach (Layer layer in declaration.Layers)
            {
                nn.Module module = layer switch
                {
                    EmbeddingLayer e => nn.Embedding(e.Vocabulary, e.Dimension),
                    RecurrentLayer { Residual: true } => throw new NotSupportedException("Residual has no PyTorch twin"),
                    RecurrentLayer { Cell: Cell.Lstm } r => nn.LSTM(r.Input, r.Hidden, r.Layers, batchFirst: true, dropout: r.Dropout, bidirectional: r.Bidirectional),
                    RecurrentLayer { Cell: Cell.Gru } r => nn.GRU(r.Input, r.Hidden, r.Layers, batchFirst: true, dropout: r.Dropout, bidirectional: r.Bidirectional),
                    RecurrentLayer { Cell: Cell.Rnn } r => nn.RNN(r.Input, r.Hidden, r.Layers, r.Activation switch
                    {
                        Activation.Tanh => nn.NonLinearities.Tanh,
                        Activation.Relu => nn.NonLinearities.ReLU,
                        _ => throw new NotSupportedException("Activation.Sigmoid has no PyTorch twin"),
                    }, batchFirst: true, dropout: r.Dropout, bidirectional: r.Bidirectional),
                    DenseLayer d => nn.Linear(d.Input, d.Output),
                    _ => throw new NotSupportedException(layer.GetType().Name),
                };
                modules.Add((layer.Name, module));
            }

            var twin = new TorchTwin(declaration, new Composite(modules));
            twin._modules.AddRange(modules.Select(m => m.Item2));
            return twin;
        }
    }

    /// <summary>
    /// A float64 copy of this twin: the same modules, its current weights widened exactly (every float is a
    /// double), so that it computes the same function without float32's rounding. The oracle that tells
    /// whether libtorch's float32 paths are right on this machine.
    /// </summary>
    public TorchTwin Float64Copy(long seed)
    {
        TorchTwin copy = Create(_declaration, seed);
        copy.Module.load_state_dict(Module.state_dict(), strict: true);
        copy.Module.to(ScalarType.Float64);
        return copy;
    }

    /// <summary>
    /// Runs the twin. <paramref name="input"/> is float [batch, steps, features] or, for a model that
    /// starts with Embedding, int64 token ids [batch, steps]; <paramref name="initialH"/> and
    /// <paramref name="initialC"/> hold one [layers * directions, batch, hidden] tensor per recurrent layer
    /// (C: LSTM layers only), or are null for zeros.
    /// </summary>
    public TwinResult Forward(Tensor input, int[]? lengths, IReadOnlyList<Tensor>? initialH, IReadOnlyList<Tensor>? initialC)
    {
        long batch = input.shape[0], steps = input.shape[1];
        Tensor? mask = null;
        Tensor? lengthTensor = null;
        if (lengths is not null)
        {
            lengthTensor = torch.tensor(lengths.Select(l => (long)l).ToArray(), dtype: ScalarType.Int64);
            float[] m = new float[batch * steps];
            for (int b = 0; b < batch; b++)
                for (int t = 0; t < lengths[b]; t++)
                    m[b * steps + t] = 1f;
            mask = torch.tensor(m).reshape(batch, steps, 1);
        }

        var finalH = new List<Tensor>();
        var finalC = new List<Tensor>();
        Tensor x = input;
        Tensor? lastH = null;
        int recurrentIndex = 0, lstmIndex = 0;
        for (int i = 0; i < _declaration.Layers.Count; i++)
        {
            Layer layer = _declaration.Layers[i];
            nn.Module module = _modules[i];
            switch (layer)
            {
                case EmbeddingLayer:
                    x = ((Embedding)module).call(x);
                    break;
                case RecurrentLayer r:
                {
                    Tensor? h0 = initialH?[recurrentIndex];
                    Tensor? c0 = r.Cell == Cell.Lstm ? initialC?[lstmIndex] : null;
                    (Tensor y, Tensor hN, Tensor? cN) = RunRecurrent(module, r, x, lengthTensor, steps, h0, c0);
                    x = y;
                    finalH.Add(hN);
                    if (cN is not null) finalC.Add(cN);
                    lastH = hN;
                    recurrentIndex++;
                    if (r.Cell == Cell.Lstm) lstmIndex++;
                    break;
                }

                case DenseLayer { Readout: Readout.EachStep }:
                    x = ((Linear)module).call(x);
                    if (mask is not null) x = x * mask;
                    break;
                case DenseLayer { Readout: Readout.LastStep }:
                {
                    if (i == 0 || _declaration.Layers[i - 1] is not RecurrentLayer below || lastH is null)
                        throw new NotSupportedException("the twin reads out the last step only right after a recurrent layer (h_n)");
                    long top = lastH.shape[0];
                    Tensor features = below.Bidirectional
                        ? torch.cat(new[] { lastH[top - 2], lastH[top - 1] }, 1)   // forward at the last valid step, backward at step 0
                        : lastH[top - 1];
                    x = ((Linear)module).call(features);
                    break;
                }

                default:
                    throw new NotSupportedException(layer.GetType().Name);
            }
        }

        return new TwinResult(x, finalH, finalC);
    }

    private static (Tensor Output, Tensor FinalH, Tensor? FinalC) RunRecurrent(nn.Module module, RecurrentLayer layer, Tensor x,
        Tensor? lengths, long steps, Tensor? h0, Tensor? c0)
    {
        if (lengths is null)
        {
            return module switch
            {
                LSTM lstm when h0 is not null => Triple(lstm.call(x, (h0, c0!))),
                LSTM lstm => Triple(lstm.call(x)),
                GRU gru => Pair(gru.call(x, h0)),
                RNN rnn => Pair(rnn.call(x, h0)),
                _ => throw new NotSupportedException(layer.Cell.ToString()),
            };
        }

        var packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first: true, enforce_sorted: false);
        (nn.utils.rnn.PackedSequence output, Tensor hN, Tensor? cN) = module switch
        {
            LSTM lstm when h0 is not null => Widen(lstm.call(packed, (h0, c0!))),
            LSTM lstm => Widen(lstm.call(packed)),
            GRU gru => Widen(gru.call(packed, h0)),
            RNN rnn => Widen(rnn.call(packed, h0)),
            _ => throw new NotSupportedException(layer.Cell.ToString()),
        };
        (Tensor padded, _) = nn.utils.rnn.pad_packed_sequence(output, batch_first: true, total_length: steps);
        return (padded, hN, cN);
    }

    private static (Tensor, Tensor, Tensor?) Triple((Tensor, Tensor, Tensor) r) => (r.Item1, r.Item2, r.Item3);

    private static (Tensor, Tensor, Tensor?) Pair((Tensor, Tensor) r) => (r.Item1, r.Item2, null);

    private static (nn.utils.rnn.PackedSequence, Tensor, Tensor?) Widen((nn.utils.rnn.PackedSequence, Tensor, Tensor) r) => (r.Item1, r.Item2, r.Item3);

    private static (nn.utils.rnn.PackedSequence, Tensor, Tensor?) Widen((nn.utils.rnn.PackedSequence, Tensor) r) => (r.Item1, r.Item2, null);

    public void Dispose() => Module.Dispose();

    /// <summary>A module that only holds the layers under their names, as a PyTorch model's attributes do.</summary>
    private sealed class Composite : nn.Module
    {
        public Composite(IEnumerable<(string Name, nn.Module Module)> children) : base("Twin")
        {
            foreach ((string name, nn.Module module) in children) register_module(name, module);
        }
    }
}
