using System;
using System.Collections.Generic;
using System.Linq;

namespace CodeGenLstm.Benchmarks;

public enum Cell { Lstm, Gru, Rnn }

/// <summary>One cell of the grid: a model configuration and a batch size.</summary>
public sealed class Case
{
    public required string Row { get; init; }
    public required Cell Cell { get; init; }
    public required int Input { get; init; }
    public required int Hidden { get; init; }
    public int Layers { get; init; } = 1;
    public bool Bidirectional { get; init; }
    /// <summary>0: the recurrent output at every step; else a Dense read-out of the last step with this many classes.</summary>
    public int Classes { get; init; }
    public required int Batch { get; init; }
    public required int Steps { get; init; }
    public required Func<IFloatSequenceModel> Create { get; init; }

    public int Gates => Cell switch { Cell.Lstm => 4, Cell.Gru => 3, _ => 1 };
    public int Directions => Bidirectional ? 2 : 1;
    public int OutputSize => Classes > 0 ? Classes : Directions * Hidden;
    public int OutputLength => Classes > 0 ? Batch * Classes : Batch * Steps * OutputSize;

    /// <summary>Forward FLOPs: 2 * gates * B * H * (in + H) per step, layer and direction (8 B H (I + H) for an LSTM), plus the read-out.</summary>
    public double ForwardFlops
    {
        get
        {
            double flops = 0;
            for (int layer = 0; layer < Layers; layer++)
            {
                int input = layer == 0 ? Input : Directions * Hidden;
                flops += 2.0 * Gates * Batch * Hidden * (input + Hidden) * Steps * Directions;
            }
            if (Classes > 0) flops += 2.0 * Batch * Classes * Directions * Hidden;
            return flops;
        }
    }

    /// <summary>Backward is counted as twice the forward, as the issue defines it: the weights' gradients and the input's (which the training cells compute, ours and torch's).</summary>
    public double TrainingFlops => 3 * ForwardFlops;

    /// <summary>Bytes of recurrent weights one step reads (per direction and layer, summed): what B = 1 streams.</summary>
    public double RecurrentWeightBytes => 4.0 * Gates * Hidden * Hidden * Layers * Directions;

    public override string ToString() => $"{Row} B={Batch}";

    public static IReadOnlyList<Case> All { get; } = Build();

    private static List<Case> Build()
    {
        const int T = 64;
        var cases = new List<Case>();
        void Row(string row, Cell cell, int hidden, Func<IFloatSequenceModel> create, int layers = 1, bool bidirectional = false)
        {
            foreach (int batch in new[] { 1, 16, 64 })
                cases.Add(new Case
                {
                    Row = row, Cell = cell, Input = hidden, Hidden = hidden, Layers = layers, Bidirectional = bidirectional,
                    Batch = batch, Steps = T, Create = create,
                });
        }
        Row("LSTM H=64", Cell.Lstm, 64, () => new Lstm64(1));
        Row("LSTM H=256", Cell.Lstm, 256, () => new Lstm256(1));
        Row("LSTM H=1024", Cell.Lstm, 1024, () => new Lstm1024(1));
        Row("BiLSTM 2x H=256", Cell.Lstm, 256, () => new BiLstm256x2(1), layers: 2, bidirectional: true);
        Row("GRU H=256", Cell.Gru, 256, () => new Gru256(1));
        Row("RNN H=256", Cell.Rnn, 256, () => new Rnn256(1));
        cases.Add(new Case
        {
            Row = "Braun LSTM 125-320 +Dense10", Cell = Cell.Lstm, Input = 125, Hidden = 320, Classes = 10,
            Batch = 64, Steps = 100, Create = () => new Braun320(1),
        });
        return cases;
    }

    /// <summary>Deterministic inputs in [-1, 1].</summary>
    public float[] Inputs(int seed = 7)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Batch * Steps * Input).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>Deterministic output gradient.</summary>
    public float[] OutputGradient(int seed = 11)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, OutputLength).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }
}
