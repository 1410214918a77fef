using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;

namespace CodeGenLstm.TorchParity.Tests.Declarations;

/// <summary>One layer of a declared model, with its input size and tensor-name prefix resolved.</summary>
public abstract record Layer(string Name, int Input, int Output);

public sealed record EmbeddingLayer(string Name, int Vocabulary, int Dimension) : Layer(Name, 1, Dimension);

public enum Cell
{
    Lstm,
    Gru,
    Rnn,
}

public sealed record RecurrentLayer(string Name, Cell Cell, int Input, int Hidden, int Layers, bool Bidirectional,
    Activation Activation, float Dropout, bool Residual)
    : Layer(Name, Input, Hidden * (Bidirectional ? 2 : 1))
{
    public int Directions => Bidirectional ? 2 : 1;

    /// <summary>Rows of the h_n (and c_n) block of this layer per sequence: layers * directions * hidden.</summary>
    public int StatePerSequence => Layers * Directions * Hidden;
}

public sealed record DenseLayer(string Name, int Input, int Output, Readout Readout) : Layer(Name, Input, Output);

/// <summary>
/// A model class's declaration read back from its layer attributes (which the compiler keeps in source
/// order), with sizes and names resolved as docs/api.md says. The PyTorch twin is built from
/// this, so the twin and the generated model come from the same declaration; the strict
/// <c>ImportParameters</c> of the twin's state_dict then checks that both sides agree on every tensor.
/// </summary>
public sealed class Declaration
{
    private Declaration(Type type, IReadOnlyList<Layer> layers)
    {
        Type = type;
        Layers = layers;
    }

    public Type Type { get; }

    public IReadOnlyList<Layer> Layers { get; }

    public string Name => Type.Name;

    public bool TokenInput => Layers[0] is EmbeddingLayer;

    public IEnumerable<RecurrentLayer> Recurrent => Layers.OfType<RecurrentLayer>();

    public bool HasDropout => Recurrent.Any(r => r.Dropout > 0);

    /// <summary>A new instance of the generated model, initialised by our generator from <paramref name="seed"/>.</summary>
    public ISequenceModel CreateModel(int seed = 0) => (ISequenceModel)Activator.CreateInstance(Type, seed)!;

    public static Declaration Of(Type type)
    {
        var layers = new List<Layer>();
        var used = new Dictionary<string, int>();
        int input = 0;

        string NameOf(string? explicitName, string kind)
        {
            int seen = used.GetValueOrDefault(kind);
            used[kind] = seen + 1;
            return explicitName ?? (seen == 0 ? kind : $"{kind}_{seen}");
        }

        foreach (Attribute attribute in type.GetCustomAttributes(inherit: false))
        {
            switch (attribute)
            {
                case EmbeddingAttribute e:
                    layers.Add(new EmbeddingLayer(NameOf(e.Name, "embedding"), e.VocabularySize, e.Dimension));
                    input = e.Dimension;
                    break;
                case RecurrentLayerAttribute r:
                    (Cell cell, string kind, Activation activation) = r switch
                    {
                        LstmAttribute => (Cell.Lstm, "lstm", Activation.Tanh),
                        GruAttribute => (Cell.Gru, "gru", Activation.Tanh),
                        RnnAttribute rnn => (Cell.Rnn, "rnn", rnn.Activation),
                        _ => throw new NotSupportedException(r.GetType().Name),
                    };
                    var layer = new RecurrentLayer(NameOf(r.Name, kind), cell, r.InputSize > 0 ? r.InputSize : input,
                        r.HiddenSize, r.Layers, r.Bidirectional, activation, r.Dropout, r.Residual);
                    layers.Add(layer);
                    input = layer.Output;
                    break;
                case DenseAttribute d:
                    layers.Add(new DenseLayer(NameOf(d.Name, "dense"), input, d.OutputSize, d.Readout));
                    input = d.OutputSize;
                    break;
            }
        }

        if (layers.Count == 0) throw new ArgumentException($"{type.Name} has no layer attributes", nameof(type));
        return new Declaration(type, layers);
    }

    /// <summary>The declaration in <see cref="SeededDraw"/>'s notation.</summary>
    public string Canonical()
    {
        var parts = new List<string>();
        foreach (Layer layer in Layers)
        {
            parts.Add(layer switch
            {
                EmbeddingLayer e => string.Create(CultureInfo.InvariantCulture, $"[Embedding({e.Vocabulary}, {e.Dimension})]"),
                RecurrentLayer r => SeededDraw.Recurrent(
                    r.Cell == Cell.Rnn ? (r.Activation == Activation.Relu ? "RnnRelu" : "RnnTanh") : r.Cell.ToString(),
                    ReferenceEquals(layer, Layers[0]) ? r.Input : 0, r.Hidden, r.Layers, r.Bidirectional,
                    string.Equals(r.Name, r.Cell.ToString(), StringComparison.OrdinalIgnoreCase) ? null : r.Name),
                DenseLayer d => string.Create(CultureInfo.InvariantCulture, $"[Dense({d.Output}{(d.Readout == Readout.LastStep ? ", LastStep" : "")})]"),
                _ => throw new NotSupportedException(layer.GetType().Name),
            });
        }

        return $"{Name}: {string.Join(" ", parts)}";
    }
}
