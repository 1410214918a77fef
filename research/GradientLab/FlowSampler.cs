using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CodeGenLstm;

namespace GradientLab;

/// <summary>
/// A configuration of the flow experiment: a <see cref="LabConfig"/> (its SequenceLength unused) with the input kind,
/// the direction, the lengths it is measured at and the model seed. Each (configuration, T) is one unit.
/// </summary>
public sealed record FlowConfig(LabConfig Lab, bool Embedding, bool Bidirectional, int[] Lengths, int ModelSeed)
{
    public string ClassName => $"F{Lab.Id:D4}";

    public static string UnitClassName(FlowConfig c, int steps) => $"{c.ClassName}_T{steps}";

    /// <summary>The task: the adding problem for float input, the agreement task's words for Embedding input.</summary>
    public TaskKind Task => Embedding ? TaskKind.Agreement : TaskKind.Adding;

    /// <summary>The declaration a user would write, with [Training] stating T; the loss is read at the last step.</summary>
    public string Declaration(string className, int steps)
    {
        var c = CultureInfo.InvariantCulture;
        LabConfig l = Lab;
        var text = new StringBuilder();
        if (Embedding) text.Append(c, $"[Embedding(vocabularySize: {Tasks.InputSize(Task)}, dimension: 8)]\n");
        text.Append(c, $"[{l.Attribute}(hiddenSize: {l.Hidden}");
        if (!Embedding) text.Append(c, $", inputSize: {Tasks.InputSize(Task)}");
        if (l.Depth > 1) text.Append(c, $", layers: {l.Depth}");
        if (Bidirectional) text.Append(", bidirectional: true");
        if (l.Cell == Cell.RnnRelu) text.Append(", Activation = Activation.Relu");
        if (l.Cell == Cell.RnnSigmoid) text.Append(", Activation = Activation.Sigmoid");
        if (l.Init != RecurrentInit.Uniform) text.Append(c, $", Init = RecurrentInit.{l.Init}");
        if (l.InitGain != 1f) text.Append(", InitGain = ").Append(LabConfig.Literal(l.InitGain));
        if (l.Cell == Cell.Lstm && l.ForgetBias != 1f) text.Append(", ForgetBias = ").Append(LabConfig.Literal(l.ForgetBias));
        if (l.Residual) text.Append(", Residual = true");
        text.Append(")]\n");
        text.Append(c, $"[Dense(outputSize: {Tasks.OutputSize(Task)}, Readout = Readout.LastStep)]\n");
        text.Append(c, $"[Training(SequenceLength = {steps}, Optimizer = Optimizer.{l.Optimizer}, LearningRate = {LabConfig.Literal(l.LearningRate)}");
        if (l.Clipping == Clipping.Norm) text.Append(", ClipNorm = ").Append(LabConfig.Literal(l.ClipThreshold));
        if (l.Clipping == Clipping.Value) text.Append(", ClipValue = ").Append(LabConfig.Literal(l.ClipThreshold));
        text.Append(")]\n");
        text.Append(c, $"public partial class {className};\n");
        return text.ToString();
    }
}

/// <summary>The ranges of one sampler (gradient-validation.md, "Samplers"): written down before it runs.</summary>
public sealed record FlowRanges(
    string Name, int Seed, int MinT, int MaxT, int[] Widths, int[] Depths, float[] Gains, float[] ForgetBiases,
    float[] NormClips, float[] ValueClips, (double Low, double High) AdaptiveRates, (double Low, double High) SgdRates,
    int EmbeddingOneIn, int BidirectionalOneIn, int ModelSeed)
{
    public static readonly FlowRanges Tuning = new("tuning", 2026, 10, 200, new[] { 16, 32, 64 }, new[] { 1, 1, 1, 1, 2, 3, 5, 6 },
        new[] { 0.5f, 0.8f, 1f, 1f, 1.2f, 1.5f, 2f, 3f }, new[] { -1f, 0f, 0.25f, 0.5f, 1f, 1f, 2f, 3f },
        new[] { 0.25f, 1f, 5f }, new[] { 0.5f, 5f }, (1e-4, 1e-1), (1e-2, 3), EmbeddingOneIn: 8, BidirectionalOneIn: 8, ModelSeed: 0);

    public static readonly FlowRanges HeldOut = new("heldout", 7171, 15, 300, new[] { 24, 48 }, new[] { 1, 1, 1, 2, 4, 7 },
        new[] { 0.6f, 0.9f, 1.1f, 1.3f, 1.7f, 2.5f }, new[] { -0.5f, 0.1f, 0.75f, 1.5f, 2.5f },
        new[] { 0.5f, 2f, 10f }, new[] { 1f, 10f }, (2e-4, 2e-1), (2e-2, 5), EmbeddingOneIn: 8, BidirectionalOneIn: 6, ModelSeed: 1);

    /// <summary>Held-out round 2: held-out 1 has been looked at while the rules were revised, so a third sampler with
    /// other ranges and another seed scores the revised rules (gradient-validation.md, "Held-out round 2").</summary>
    public static readonly FlowRanges HeldOut2 = new("heldout2", 9393, 12, 400, new[] { 20, 40, 56 }, new[] { 1, 1, 1, 3, 5 },
        new[] { 0.7f, 0.95f, 1.05f, 1.4f, 2f, 2.8f }, new[] { -0.25f, 0.3f, 0.6f, 1.25f, 1.8f },
        new[] { 0.3f, 3f, 20f }, new[] { 0.75f, 20f }, (3e-4, 3e-1), (5e-2, 4), EmbeddingOneIn: 6, BidirectionalOneIn: 5, ModelSeed: 2);
}

public static class FlowSampler
{
    public const int LengthsPerConfiguration = 3;

    /// <summary><paramref name="count"/> configurations drawn from <paramref name="ranges"/>, each with three lengths.</summary>
    public static List<FlowConfig> Draw(FlowRanges ranges, int count)
    {
        var random = new Rng(ranges.Seed);
        T Pick<T>(params T[] values) => values[random.NextInt(values.Length)];
        double LogUniform(double low, double high) => Math.Exp(Math.Log(low) + random.NextDouble() * (Math.Log(high) - Math.Log(low)));
        var list = new List<FlowConfig>();
        for (int i = 0; i < count; i++)
        {
            Cell cell = Pick(Cell.RnnTanh, Cell.RnnRelu, Cell.RnnSigmoid, Cell.Gru, Cell.Lstm);
            int depth = Pick(ranges.Depths);
            int hidden = Pick(ranges.Widths);
            bool residual = depth > 1 && random.NextInt(3) == 0;
            RecurrentInit init = cell is Cell.RnnTanh or Cell.RnnRelu or Cell.RnnSigmoid
                ? Pick(RecurrentInit.Uniform, RecurrentInit.XavierUniform, RecurrentInit.Orthogonal, RecurrentInit.Identity)
                : Pick(RecurrentInit.Uniform, RecurrentInit.XavierUniform, RecurrentInit.Orthogonal);
            float gain = Pick(ranges.Gains);
            float forgetBias = cell == Cell.Lstm ? Pick(ranges.ForgetBiases) : 1f;
            Clipping clipping = Pick(Clipping.None, Clipping.Norm, Clipping.Norm, Clipping.Value);
            float threshold = clipping switch { Clipping.Norm => Pick(ranges.NormClips), Clipping.Value => Pick(ranges.ValueClips), _ => 0f };
            Optimizer optimizer = Pick(Optimizer.Adam, Optimizer.Adam, Optimizer.AdamW, Optimizer.RmsProp, Optimizer.Sgd, Optimizer.SgdMomentum);
            var rates = optimizer is Optimizer.Sgd or Optimizer.SgdMomentum ? ranges.SgdRates : ranges.AdaptiveRates;
            float rate = TwoDigits(LogUniform(rates.Low, rates.High));
            bool embedding = random.NextInt(ranges.EmbeddingOneIn) == 0;
            bool bidirectional = random.NextInt(ranges.BidirectionalOneIn) == 0;
            var lengths = new SortedSet<int>();
            while (lengths.Count < LengthsPerConfiguration) lengths.Add((int)Math.Round(LogUniform(ranges.MinT, ranges.MaxT)));
            var lab = new LabConfig(i + 1, ranges.Name, cell, lengths.Min, hidden, depth, residual, init, gain, forgetBias, clipping, threshold, optimizer, rate);
            list.Add(new FlowConfig(lab, embedding, bidirectional, lengths.ToArray(), ranges.ModelSeed));
        }
        return list;
    }

    /// <summary>
    /// The fast mode (CI): a sigmoid RNN at T = 60 (gamma sigma_max ~ 0.29: its gradient vanishes), an orthogonal
    /// LSTM with forget bias 3 at T = 12 (healthy), and three more covering Embedding, bidirectional and depth.
    /// </summary>
    public static List<FlowConfig> Fast() => new()
    {
        new(new LabConfig(1, "fast", Cell.RnnSigmoid, 60, 16, 1, false, RecurrentInit.Uniform, 1f, 1f, Clipping.Norm, 1f, Optimizer.Adam, 1e-3f), false, false, new[] { 60 }, 0),
        new(new LabConfig(2, "fast", Cell.Lstm, 12, 16, 1, false, RecurrentInit.Orthogonal, 1f, 3f, Clipping.Norm, 1f, Optimizer.Adam, 1e-3f), false, false, new[] { 12 }, 0),
        new(new LabConfig(3, "fast", Cell.Gru, 20, 16, 1, false, RecurrentInit.Uniform, 1f, 1f, Clipping.None, 0f, Optimizer.Adam, 1e-3f), true, false, new[] { 20, 40 }, 0),
        new(new LabConfig(4, "fast", Cell.RnnRelu, 25, 16, 2, true, RecurrentInit.Identity, 2f, 1f, Clipping.None, 0f, Optimizer.Sgd, 0.5f), false, true, new[] { 25 }, 0),
        new(new LabConfig(5, "fast", Cell.RnnTanh, 30, 16, 1, false, RecurrentInit.Orthogonal, 1f, 1f, Clipping.Value, 5f, Optimizer.RmsProp, 2e-3f), false, false, new[] { 30 }, 0),
    };

    private static float TwoDigits(double value)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)) - 1);
        return (float)(Math.Round(value / magnitude) * magnitude);
    }
}
