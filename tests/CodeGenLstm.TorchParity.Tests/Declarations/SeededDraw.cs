using System;
using System.Collections.Generic;
using System.Globalization;

namespace CodeGenLstm.TorchParity.Tests.Declarations;

/// <summary>
/// How the sizes of the parity models were drawn, once, from a seeded generator. Model sizes are
/// compile-time constants, so the draw cannot happen at run time: it was run once, its output pasted
/// into <c>ParityModels.cs</c>, and a test checks that the declarations are still exactly this draw.
/// </summary>
/// <remarks>
/// The space (issue 3): input and hidden sizes including 1, 7 and 33 (not multiples of any vector width:
/// no whole vector, and a vector plus a tail of one) and multiples of 16 (whole 512-bit vectors only);
/// layers 1-3; one and two directions; LSTM, GRU, RNN tanh, RNN relu. Every cell kind gets all six
/// (layers, directions) pairs, and its six input sizes and six hidden sizes each contain 1, 7, 33, a
/// multiple of 16 and two sizes drawn from 2..64, shuffled onto the pairs. So every size class meets
/// every cell kind on both the input and the hidden side, each with some depth and direction.
/// System.Random with a seed is the same sequence on every .NET version (its seeded algorithm is frozen).
/// </remarks>
public static class SeededDraw
{
    public const int Seed = 20260603;

    public static readonly string[] CellKinds = { "Lstm", "Gru", "RnnTanh", "RnnRelu" };

    /// <summary>The declarations, one line per model: "ClassName: [Attribute(...)] [Attribute(...)]".</summary>
    public static List<string> Declarations()
    {
        var random = new Random(Seed);
        var lines = new List<string>();
        foreach (string kind in CellKinds)
        {
            int[] inputs = SizeSet(random), hiddens = SizeSet(random);
            int i = 0;
            for (int layers = 1; layers <= 3; layers++)
            {
                foreach (bool bidirectional in new[] { false, true })
                {
                    string name = $"{kind}L{layers}{(bidirectional ? "Bi" : "Uni")}";
                    lines.Add($"{name}: {Recurrent(kind, inputs[i], hiddens[i], layers, bidirectional)}");
                    i++;
                }
            }
        }

        // Whole models: Embedding -> recurrent -> Dense (each step and last step), a float model read
        // out at its last step, and a stack of two recurrent layers with a Dense between them.
        int Size() => Pick(random);
        int Vocabulary() => random.Next(1, 61);
        int Output() => random.Next(1, 21);
        lines.Add($"TokenLstmEachStep: [Embedding({Vocabulary()}, {Size()})] {Recurrent("Lstm", 0, Size(), 2, false)} [Dense({Output()})]");
        lines.Add($"TokenLstmBiLastStep: [Embedding({Vocabulary()}, {Size()})] {Recurrent("Lstm", 0, Size(), 2, true)} [Dense({Output()}, LastStep)]");
        lines.Add($"TokenGruBiEachStep: [Embedding({Vocabulary()}, {Size()})] {Recurrent("Gru", 0, Size(), 1, true)} [Dense({Output()})]");
        lines.Add($"TokenGruLastStep: [Embedding({Vocabulary()}, {Size()})] {Recurrent("Gru", 0, Size(), 3, false)} [Dense({Output()}, LastStep)]");
        lines.Add($"TokenRnnReluBiLastStep: [Embedding({Vocabulary()}, {Size()})] {Recurrent("RnnRelu", 0, Size(), 2, true)} [Dense({Output()}, LastStep)]");
        lines.Add($"TokenRnnTanhEachStep: [Embedding({Vocabulary()}, {Size()})] {Recurrent("RnnTanh", 0, Size(), 1, false)} [Dense({Output()})]");
        lines.Add($"FloatLstmBiLastStep: {Recurrent("Lstm", Size(), Size(), 3, true)} [Dense({Output()}, LastStep)]");
        lines.Add($"FloatGruEachStep: {Recurrent("Gru", Size(), Size(), 2, false)} [Dense({Output()})]");
        // The first layer of the stack is named "encoder", to check that Name is the tensor prefix; the second
        // Dense gets the default name dense_1.
        lines.Add($"MixedStack: {Recurrent("RnnRelu", Size(), Size(), 1, false, "encoder")} [Dense({Output()})] {Recurrent("Gru", 0, Size(), 2, true)} [Dense({Output()}, LastStep)]");
        return lines;
    }

    /// <summary>1, 7, 33, a multiple of 16 and two more from 2..64, in random order.</summary>
    private static int[] SizeSet(Random random)
    {
        int[] sizes = { 1, 7, 33, 16 * random.Next(1, 5), random.Next(2, 65), random.Next(2, 65) };
        for (int i = sizes.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (sizes[i], sizes[j]) = (sizes[j], sizes[i]);
        }

        return sizes;
    }

    /// <summary>One size for a whole model: a size class first (1, 7, 33, multiple of 16, other), then the size.</summary>
    private static int Pick(Random random) => random.Next(5) switch
    {
        0 => 1,
        1 => 7,
        2 => 33,
        3 => 16 * random.Next(1, 5),
        _ => random.Next(2, 65),
    };

    /// <summary>The canonical text of one recurrent layer declaration (input 0: from the layer below).</summary>
    public static string Recurrent(string kind, int input, int hidden, int layers, bool bidirectional, string? name = null)
    {
        string cell = kind.StartsWith("Rnn", StringComparison.Ordinal) ? "Rnn" : kind;
        return string.Create(CultureInfo.InvariantCulture,
            $"[{cell}({(input > 0 ? $"in {input}, " : "")}hidden {hidden}, layers {layers}{(bidirectional ? ", bi" : "")}{(kind == "RnnRelu" ? ", Relu" : "")}{(name is null ? "" : $", Name {name}")})]");
    }
}
