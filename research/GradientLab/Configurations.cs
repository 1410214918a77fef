using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CodeGenLstm;

namespace GradientLab;

/// <summary>The recurrent cell of a configuration: a plain RNN with its activation, or a gated cell.</summary>
public enum Cell { RnnTanh, RnnRelu, RnnSigmoid, Gru, Lstm }

/// <summary>How the gradients are clipped.</summary>
public enum Clipping { None, Norm, Value }

/// <summary>
/// One point of the experiment: everything the analyzers reason about (cell, T, H, depth, initialisation,
/// forget bias, clipping, optimizer and learning rate). A task adds its input and output layer.
/// </summary>
public sealed record LabConfig(
    int Id,
    string Origin,
    Cell Cell,
    int SequenceLength,
    int Hidden,
    int Depth,
    bool Residual,
    RecurrentInit Init,
    float InitGain,
    float ForgetBias,
    Clipping Clipping,
    float ClipThreshold,
    Optimizer Optimizer,
    float LearningRate)
{
    public string Name => $"C{Id:D3}";

    public bool IsControl => Origin.StartsWith("control", StringComparison.Ordinal);

    public string Attribute => Cell switch
    {
        Cell.Gru => "Gru",
        Cell.Lstm => "Lstm",
        _ => "Rnn",
    };

    /// <summary>Relative cost of one update per sequence (steps x depth x gate rows x row length).</summary>
    public double Cost
    {
        get
        {
            int gates = Cell switch { Cell.Lstm => 4, Cell.Gru => 3, _ => 1 };
            return (double)SequenceLength * Depth * gates * Hidden * (2.0 * Hidden + 10) + SequenceLength * 200.0;
        }
    }

    /// <summary>
    /// The model's declaration for <paramref name="task"/>, with the [Training] facts a user would state:
    /// this is what the generator and the analyzers see.
    /// </summary>
    public string Declaration(TaskKind task, string className)
    {
        var c = CultureInfo.InvariantCulture;
        var layer = new StringBuilder();
        layer.Append(c, $"[{Attribute}(inputSize: {Tasks.InputSize(task)}, hiddenSize: {Hidden}");
        if (Depth > 1) layer.Append(c, $", layers: {Depth}");
        if (Cell == Cell.RnnRelu) layer.Append(", Activation = Activation.Relu");
        if (Cell == Cell.RnnSigmoid) layer.Append(", Activation = Activation.Sigmoid");
        if (Init != RecurrentInit.Uniform) layer.Append(c, $", Init = RecurrentInit.{Init}");
        if (InitGain != 1f) layer.Append(", InitGain = ").Append(Literal(InitGain));
        if (Cell == Cell.Lstm && ForgetBias != 1f) layer.Append(", ForgetBias = ").Append(Literal(ForgetBias));
        if (Residual) layer.Append(", Residual = true");
        layer.Append(")]");
        string readout = Tasks.LastStep(task) ? ", Readout = Readout.LastStep" : "";
        var training = new StringBuilder();
        training.Append(c, $"[Training(SequenceLength = {SequenceLength}, Optimizer = Optimizer.{Optimizer}, LearningRate = {Literal(LearningRate)}");
        if (Clipping == Clipping.Norm) training.Append(", ClipNorm = ").Append(Literal(ClipThreshold));
        if (Clipping == Clipping.Value) training.Append(", ClipValue = ").Append(Literal(ClipThreshold));
        training.Append(")]");
        return $"{layer}\n[Dense(outputSize: {Tasks.OutputSize(task)}{readout})]\n{training}\npublic partial class {className};\n";
    }

    /// <summary>A C# float literal that round-trips.</summary>
    public static string Literal(float value) => value.ToString("R", CultureInfo.InvariantCulture) + "f";

    public static readonly string[] CsvHeader =
    {
        "config", "origin", "cell", "T", "hidden", "depth", "residual", "init", "gain", "forget_bias", "clipping", "clip", "optimizer", "lr",
    };

    public string[] CsvFields()
    {
        var c = CultureInfo.InvariantCulture;
        return new[]
        {
            Name, Origin, Cell.ToString(), SequenceLength.ToString(c), Hidden.ToString(c), Depth.ToString(c), Residual ? "1" : "0",
            Init.ToString(), InitGain.ToString("R", c), ForgetBias.ToString("R", c), Clipping.ToString(), ClipThreshold.ToString("R", c),
            Optimizer.ToString(), LearningRate.ToString("R", c),
        };
    }

    public static LabConfig FromCsv(IReadOnlyDictionary<string, string> row)
    {
        var c = CultureInfo.InvariantCulture;
        return new LabConfig(
            int.Parse(row["config"].AsSpan(1), c), row["origin"], Enum.Parse<Cell>(row["cell"]), int.Parse(row["T"], c), int.Parse(row["hidden"], c),
            int.Parse(row["depth"], c), row["residual"] == "1", Enum.Parse<RecurrentInit>(row["init"]), float.Parse(row["gain"], c),
            float.Parse(row["forget_bias"], c), Enum.Parse<Clipping>(row["clipping"]), float.Parse(row["clip"], c),
            Enum.Parse<Optimizer>(row["optimizer"]), float.Parse(row["lr"], c));
    }
}

/// <summary>Draws the configurations of a run: random ones across every axis, then the designed ones.</summary>
public static class ConfigurationSampler
{
    /// <summary>
    /// The published recipes, at this lab's sizes: none of them may raise a CGL1 warning.
    /// </summary>
    public static IEnumerable<LabConfig> NegativeControls(int firstId)
    {
        int id = firstId;
        // PyTorch defaults with clipping: pytorch/examples word_language_model (2-layer LSTM, bptt 35, SGD lr 20,
        // clip_grad_norm_ 0.25, PyTorch's uniform init), 200 units reduced to 64. Forget bias: this library's
        // default 1 (PyTorch's own effective forget bias is ~0; that variant is drawn separately, "pytorch-fb0").
        yield return new LabConfig(id++, "control:pytorch-word-lm", Cell.Lstm, 35, 64, 2, false, RecurrentInit.Uniform, 1f, 1f,
            Clipping.Norm, 0.25f, Optimizer.Sgd, 20f);
        // PyTorch's nn.RNN defaults (tanh, uniform) on short sequences with norm clipping (the names tutorial).
        yield return new LabConfig(id++, "control:pytorch-rnn-short", Cell.RnnTanh, 19, 64, 1, false, RecurrentInit.Uniform, 1f, 1f,
            Clipping.Norm, 3f, Optimizer.Sgd, 0.15f);
        // karpathy/char-rnn: 2 x 512 LSTM, seq_length 50, RMSprop 2e-3, grad_clip 5 (element-wise), forget bias 1,
        // weights uniform +-0.08. Reduced to 2 x 64 for this machine, keeping +-0.08 (InitGain = 0.08 * sqrt(64)).
        yield return new LabConfig(id++, "control:char-rnn", Cell.Lstm, 50, 64, 2, false, RecurrentInit.Uniform, 0.64f, 1f,
            Clipping.Value, 5f, Optimizer.RmsProp, 2e-3f);
        // Keras defaults: LSTM with orthogonal recurrent init, unit_forget_bias, Adam 1e-3, no clipping, maxlen 80.
        yield return new LabConfig(id++, "control:keras-lstm", Cell.Lstm, 80, 64, 1, false, RecurrentInit.Orthogonal, 1f, 1f,
            Clipping.None, 0f, Optimizer.Adam, 1e-3f);
        // Keras GRU defaults, maxlen 200.
        yield return new LabConfig(id++, "control:keras-gru", Cell.Gru, 200, 64, 1, false, RecurrentInit.Orthogonal, 1f, 1f,
            Clipping.None, 0f, Optimizer.Adam, 1e-3f);
    }

    /// <summary>
    /// Designed points that the random draw may miss: the textbook failures and successes each rule is about.
    /// </summary>
    public static IEnumerable<LabConfig> Designed(int firstId)
    {
        int id = firstId;
        // PyTorch's LSTM as it really initialises (effective forget bias ~0), with clipping.
        yield return new LabConfig(id++, "designed:pytorch-fb0", Cell.Lstm, 100, 32, 1, false, RecurrentInit.Uniform, 1f, 0f,
            Clipping.Norm, 5f, Optimizer.Adam, 1e-3f);
        // IRNN (Le et al. 2015) on long sequences.
        yield return new LabConfig(id++, "designed:irnn", Cell.RnnRelu, 150, 64, 1, false, RecurrentInit.Identity, 1f, 1f,
            Clipping.Norm, 1f, Optimizer.Adam, 1e-3f);
        // The LongRange sample's two models at T = 50.
        yield return new LabConfig(id++, "designed:longrange-lstm", Cell.Lstm, 50, 32, 1, false, RecurrentInit.Uniform, 1f, 1f,
            Clipping.Norm, 1f, Optimizer.Adam, 1e-2f);
        yield return new LabConfig(id++, "designed:longrange-rnn", Cell.RnnTanh, 50, 32, 1, false, RecurrentInit.Uniform, 1f, 1f,
            Clipping.Norm, 1f, Optimizer.Adam, 1e-2f);
        // A deep plain stack and its residual twin (GNMT).
        yield return new LabConfig(id++, "designed:deep-plain", Cell.Lstm, 40, 32, 8, false, RecurrentInit.Uniform, 1f, 1f,
            Clipping.Norm, 5f, Optimizer.Adam, 1e-3f);
        yield return new LabConfig(id++, "designed:deep-residual", Cell.Lstm, 40, 32, 8, true, RecurrentInit.Uniform, 1f, 1f,
            Clipping.Norm, 5f, Optimizer.Adam, 1e-3f);
    }

    /// <summary>
    /// <paramref name="count"/> configurations drawn across every axis from <paramref name="seed"/>. The draw
    /// is meant to cover each rule's region and its complement, not to mimic what users write.
    /// </summary>
    public static List<LabConfig> Random(int count, int seed, int firstId, int maxT)
    {
        var random = new Rng(seed);
        T Pick<T>(params T[] values) => values[random.NextInt(values.Length)];
        float LogUniform(double low, double high) => (float)Math.Exp(Math.Log(low) + random.NextDouble() * (Math.Log(high) - Math.Log(low)));
        var list = new List<LabConfig>();
        for (int i = 0; i < count; i++)
        {
            Cell cell = Pick(Cell.RnnTanh, Cell.RnnRelu, Cell.RnnSigmoid, Cell.Gru, Cell.Lstm, Cell.Lstm, Cell.Gru, Cell.RnnTanh);
            int t = (int)Math.Round(LogUniform(10, maxT));
            int depth = Pick(1, 1, 1, 1, 2, 2, 3, 4, 5, 6, 8);
            // Deep stacks and long sequences at small widths: the machine has two cores.
            int hidden = depth >= 4 || t > 150 ? Pick(16, 32) : Pick(16, 32, 64);
            bool residual = depth > 1 && random.NextInt(3) == 0;
            RecurrentInit init = cell is Cell.RnnTanh or Cell.RnnRelu or Cell.RnnSigmoid
                ? Pick(RecurrentInit.Uniform, RecurrentInit.XavierUniform, RecurrentInit.Orthogonal, RecurrentInit.Identity)
                : Pick(RecurrentInit.Uniform, RecurrentInit.XavierUniform, RecurrentInit.Orthogonal);
            float gain = Pick(1f, 1f, 1f, 0.5f, 0.8f, 1.2f, 1.5f, 2f, 3f);
            float forgetBias = cell == Cell.Lstm ? Pick(1f, 1f, 0f, -1f, 0.25f, 0.5f, 2f, 3f) : 1f;
            Clipping clipping = Pick(Clipping.None, Clipping.Norm, Clipping.Norm, Clipping.Value);
            float threshold = clipping switch
            {
                Clipping.Norm => Pick(0.25f, 1f, 5f),
                Clipping.Value => Pick(0.5f, 5f),
                _ => 0f,
            };
            Optimizer optimizer = Pick(Optimizer.Adam, Optimizer.Adam, Optimizer.AdamW, Optimizer.RmsProp, Optimizer.Sgd, Optimizer.SgdMomentum);
            float rate = optimizer is Optimizer.Sgd or Optimizer.SgdMomentum
                ? Round(LogUniform(1e-2, 3))
                : Round(LogUniform(1e-4, 1e-1));
            list.Add(new LabConfig(firstId + i, "random", cell, t, hidden, depth, residual, init, gain, forgetBias, clipping, threshold, optimizer, rate));
        }
        return list;
    }

    /// <summary>Two significant digits, so that the declaration reads like one a person writes.</summary>
    private static float Round(float value)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)) - 1);
        return (float)(Math.Round(value / magnitude) * magnitude);
    }

    /// <summary>Textbook-healthy gated cells at a long T: how many updates does the budget need? (timing pilot)</summary>
    public static List<LabConfig> Pilot(int steps) => new()
    {
        new(801, "pilot", Cell.Lstm, steps, 32, 1, false, RecurrentInit.Uniform, 1f, 1f, Clipping.Norm, 1f, Optimizer.Adam, 1e-2f),
        new(802, "pilot", Cell.Gru, steps, 32, 1, false, RecurrentInit.Uniform, 1f, 1f, Clipping.Norm, 1f, Optimizer.Adam, 1e-2f),
    };

    /// <summary>The fast mode's handful: one of each cell family, one control, one designed failure, short sequences.</summary>
    public static List<LabConfig> Fast()
    {
        return new List<LabConfig>
        {
            new(1, "fast", Cell.Lstm, 20, 16, 1, false, RecurrentInit.Uniform, 1f, 1f, Clipping.Norm, 1f, Optimizer.Adam, 1e-2f),
            new(2, "fast", Cell.RnnSigmoid, 30, 16, 1, false, RecurrentInit.Uniform, 1f, 1f, Clipping.Norm, 1f, Optimizer.Adam, 1e-2f),
            new(3, "fast", Cell.RnnRelu, 25, 16, 1, false, RecurrentInit.Identity, 2f, 1f, Clipping.None, 0f, Optimizer.Sgd, 0.5f),
            new(4, "fast", Cell.Gru, 20, 16, 2, true, RecurrentInit.Orthogonal, 1f, 1f, Clipping.Value, 5f, Optimizer.RmsProp, 2e-3f),
            new(5, "control:keras-lstm", Cell.Lstm, 20, 16, 1, false, RecurrentInit.Orthogonal, 1f, 1f, Clipping.None, 0f, Optimizer.Adam, 1e-3f),
        };
    }
}
