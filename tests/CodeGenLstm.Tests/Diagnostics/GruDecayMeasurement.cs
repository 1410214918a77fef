using System;
using System.Collections.Generic;
using System.Globalization;
using Xunit.Abstractions;

namespace CodeGenLstm.Tests.Diagnostics;

// GRUs as a user declares them, with a LastStep read-out (the loss at the last step only, so ||dL/dh_t||
// measures the gradient carried back from step T - 1 to step t): the configurations of CGL1017's measurement
// (docs/diagnostics/CGL1017.md). No T is declared, so CGL1017 itself stays silent here.
[Gru(inputSize: 4, hiddenSize: 32)]
[Dense(outputSize: 1, Readout = Readout.LastStep)]
public partial class GruDecayUniform32;

[Gru(inputSize: 4, hiddenSize: 128)]
[Dense(outputSize: 1, Readout = Readout.LastStep)]
public partial class GruDecayUniform128;

[Gru(inputSize: 4, hiddenSize: 64, Init = RecurrentInit.XavierUniform, InitGain = 1.2f)]
[Dense(outputSize: 1, Readout = Readout.LastStep)]
public partial class GruDecayXavierGain12;

[Gru(inputSize: 4, hiddenSize: 64, Init = RecurrentInit.Orthogonal, InitGain = 0.8f)]
[Dense(outputSize: 1, Readout = Readout.LastStep)]
public partial class GruDecayOrthogonalGain08;

// Where CGL1017 stays silent (Keras' default, factor 0.75): how far the gradient reaches there.
[Gru(inputSize: 4, hiddenSize: 64, Init = RecurrentInit.Orthogonal)]
[Dense(outputSize: 1, Readout = Readout.LastStep)]
public partial class GruDecayOrthogonal;

/// <summary>
/// CGL1017's claim, measured: for each configuration the per-step factor 1/2 + rho(W_hn)/4 (worked by hand from
/// the init table) and the share k^(T-1) of the gradient left after T - 1 = 39 steps, against ||dL/dh_0|| /
/// ||dL/dh_39|| from StepGradientNorms at initialisation (three seeds, 8 sequences of 40 steps, inputs uniform in
/// [-1, 1], dL/dy = 1). Where the rule would warn at T = 40 (k^39 &lt; 1e-3), the measured share must be below 1e-3.
/// Rerun with <c>dotnet test tests/CodeGenLstm.Tests -c Release --filter GruDecayMeasurement --logger "console;verbosity=detailed"</c>
/// to print the table.
/// </summary>
public sealed class GruDecayMeasurement(ITestOutputHelper output)
{
    private const int Steps = 40, Batch = 8;

    private sealed record Case(string Name, double PredictedFactor, bool Warns, Func<int, IFloatSequenceModel> Create);

    // 1/2 + rho/4 by hand: Uniform rho = 1/sqrt(3) = 0.57735 -> 0.64434 (0.64434^39 = 3.6e-8); XavierUniform over three
    // gate blocks rho = gain sqrt(2/4) = 0.84853 at gain 1.2 -> 0.71213 (1.8e-6); Orthogonal rho = gain: 0.8 -> 0.7
    // (9.1e-7), 1 -> 0.75 (not below 0.72: silent).
    private static readonly Case[] s_cases =
    [
        new("Uniform, H = 32", 0.64434, true, seed => new GruDecayUniform32(seed)),
        new("Uniform, H = 128", 0.64434, true, seed => new GruDecayUniform128(seed)),
        new("XavierUniform, InitGain 1.2, H = 64", 0.71213, true, seed => new GruDecayXavierGain12(seed)),
        new("Orthogonal, InitGain 0.8, H = 64", 0.7, true, seed => new GruDecayOrthogonalGain08(seed)),
        new("Orthogonal, H = 64 (silent)", 0.75, false, seed => new GruDecayOrthogonal(seed)),
    ];

    [Fact]
    [Trait("Category", "Numerical")]
    public void TheGradientFallsBelowOneThousandthWhereTheRuleWarns()
    {
        output.WriteLine("| configuration | predicted factor | predicted share after 39 steps | measured factor (fit), seeds 0/1/2 | measured share, seeds 0/1/2 |");
        output.WriteLine("| --- | --- | --- | --- | --- |");
        var failures = new List<string>();
        foreach (Case c in s_cases)
        {
            var factors = new List<string>();
            var shares = new List<string>();
            for (int seed = 0; seed < 3; seed++)
            {
                float[] norms = Measure(c.Create(seed), seed);
                double last = norms[Steps - 1];
                Assert.True(last > 0 && double.IsFinite(last), $"{c.Name}: no gradient at the last step");
                double share = norms[0] / last;
                factors.Add(GradientFlow.DecayRatio(norms).ToString("G3", CultureInfo.InvariantCulture));
                shares.Add(share.ToString("G2", CultureInfo.InvariantCulture));
                // The warning's words: "it falls to about k^(T-1) of its size, below 1/1000".
                if (c.Warns && !(share < 1e-3))
                    failures.Add($"{c.Name}, seed {seed}: the rule would warn at T = {Steps}, measured share {shares[^1]}");
            }
            output.WriteLine($"| {c.Name} | {c.PredictedFactor:G3} | {Math.Pow(c.PredictedFactor, Steps - 1):G2} | {string.Join(" / ", factors)} | {string.Join(" / ", shares)} |");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>StepGradientNorms after one training Forward and Backward with dL/dy = 1.</summary>
    private static float[] Measure(IFloatSequenceModel model, int seed)
    {
        var random = new Random(2000 + seed);
        var input = new float[Batch * Steps * 4];
        for (int i = 0; i < input.Length; i++) input[i] = (float)(random.NextDouble() * 2 - 1);
        var prediction = new float[Batch];
        var outputGradient = new float[Batch];
        Array.Fill(outputGradient, 1f);
        model.Forward(input, Batch, Steps, prediction, training: true);
        model.Backward(outputGradient);
        return model.StepGradientNorms.ToArray();
    }
}
