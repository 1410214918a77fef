using System.Collections.Generic;
using System.Linq;

namespace CodeGenLstm.Tests.Numerics;

/// <summary>
/// Every generated gradient against central finite differences of the independent double-precision
/// reference: LSTM, GRU and RNN at layers {1, 2, 3} x bidirectional {no, yes} x {equal, variable
/// lengths} x batch {1, 3}, then whole graphs with embeddings, dropout, residual connections and
/// read-outs. Runs under every vector path in CI (Category=Numerical).
/// </summary>
[Trait("Category", "Numerical")]
public class GradientCheckTests
{
    public static IEnumerable<object[]> Grid()
    {
        foreach (string cell in new[] { "Lstm", "Gru", "Rnn" })
            foreach (int layers in new[] { 1, 2, 3 })
                foreach (bool bidirectional in new[] { false, true })
                    foreach (bool variable in new[] { false, true })
                        foreach (int batch in new[] { 1, 3 })
                            yield return new object[] { $"{cell}{layers}{(bidirectional ? "Bi" : "")}", variable, batch };
    }

    private static int[]? Lengths(bool variable, int batch, int steps) =>
        !variable ? null : batch == 1 ? new[] { steps - 2 } : new[] { steps, 1, steps - 3 };

    [Theory]
    [MemberData(nameof(Grid))]
    public void RecurrentLayers(string model, bool variableLengths, int batch)
    {
        const int steps = 6;
        var (generated, reference) = Catalogue.Create(model, seed: 11);
        new NumericalCheck
        {
            Model = generated, Reference = reference, Batch = batch, Steps = steps,
            Lengths = Lengths(variableLengths, batch, steps), Seed = 5, ModelSeed = 11,
        }.Run();
    }

    [Theory]
    [InlineData("RnnRelu", false, 3)]
    [InlineData("RnnRelu", true, 3)]
    [InlineData("RnnSigmoid", true, 3)]
    [InlineData("TokenLstmLastStep", false, 3)]
    [InlineData("TokenLstmLastStep", true, 3)]
    [InlineData("TokenLstmLastStep", true, 1)]
    [InlineData("TokenGruEachStep", true, 3)]
    [InlineData("MixedStack", false, 2)]
    [InlineData("MixedStack", true, 3)]
    public void WholeGraphs(string model, bool variableLengths, int batch)
    {
        const int steps = 6;
        var (generated, reference) = Catalogue.Create(model, seed: 23);
        new NumericalCheck
        {
            Model = generated, Reference = reference, Batch = batch, Steps = steps,
            Lengths = Lengths(variableLengths, batch, steps), Seed = 9, ModelSeed = 23,
        }.Run();
    }

    [Theory]
    [InlineData("WideLstm")]
    [InlineData("WideGru")]
    [InlineData("WideRnnDense")]
    public void WideModelsOnASampleOfParameters(string model)
    {
        // Too many parameters to perturb them all: 400 drawn across every tensor.
        const int steps = 5, batch = 5;
        var (generated, reference) = Catalogue.Create(model, seed: 3);
        var random = new System.Random(17);
        int[] sample = Enumerable.Range(0, 400).Select(_ => random.Next(generated.ParameterCount)).Distinct().OrderBy(i => i).ToArray();
        new NumericalCheck
        {
            Model = generated, Reference = reference, Batch = batch, Steps = steps,
            Lengths = new[] { 5, 2, 4, 1, 5 }, Seed = 4, ModelSeed = 3, ParameterSample = sample,
        }.Run(checkInputGradient: true, checkStepNorms: false);
    }
}
