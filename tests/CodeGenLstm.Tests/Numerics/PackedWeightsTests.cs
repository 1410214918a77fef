using System;
using System.Linq;

namespace CodeGenLstm.Tests.Numerics;

/// <summary>
/// The kernels keep the weights packed into panels and pack them again only when Parameters changed since
/// (an exact comparison of bytes). A change to any single weight, made in place through Parameters, must
/// reach the next Forward and Backward: the model must compute exactly what a fresh model with the same
/// weights computes.
/// </summary>
[Trait("Category", "Numerical")]
public class PackedWeightsTests
{
    private static (float[] Output, float[] Gradients) Run(IFloatSequenceModel model, int batch, int steps)
    {
        var random = new Random(3);
        float[] x = NumericalCheck.RandomFloats(random, batch * steps * model.InputSize, 1);
        int outputLength = model.OutputPerSequence ? batch * model.OutputSize : batch * steps * model.OutputSize;
        float[] y = new float[outputLength], dy = NumericalCheck.RandomFloats(random, outputLength, 1);
        model.ZeroGradients();
        model.Forward(x, batch, steps, y, training: true);
        model.Backward(dy);
        return (y, model.Gradients.ToArray());
    }

    /// <summary>One sequence in inference: the output.</summary>
    private static float[] Infer(IFloatSequenceModel model, float[] x, int steps)
    {
        float[] y = new float[model.OutputPerSequence ? model.OutputSize : steps * model.OutputSize];
        model.Forward(x, 1, steps, y);
        return y;
    }

    [Theory]
    [InlineData("WideLstm")]
    [InlineData("WideGru")]
    [InlineData("WideRnnDense")]
    [InlineData("MixedStack")]
    public void AChangeToAnyWeightReachesTheNextCall(string name)
    {
        var (model, _) = Catalogue.Create(name, seed: 5);
        var floatModel = (IFloatSequenceModel)model;
        Run(floatModel, 3, 4);  // packs every panel
        foreach (NamedTensor tensor in model.ExportParameters())
        {
            // One weight of each tensor, changed in place: the first, a middle one and the last.
            int offset = 0;
            foreach (NamedTensor t in model.ExportParameters())
            {
                if (t.Name == tensor.Name) break;
                offset += t.Data.Length;
            }
            foreach (int index in new[] { 0, tensor.Data.Length / 2, tensor.Data.Length - 1 })
            {
                model.Parameters[offset + index] += 0.25f;
                var (fresh, _) = Catalogue.Create(name, seed: 5);
                fresh.ImportParameters(model.ExportParameters());
                var expected = Run((IFloatSequenceModel)fresh, 3, 4);
                var actual = Run(floatModel, 3, 4);
                Assert.True(expected.Output.AsSpan().SequenceEqual(actual.Output), $"{tensor.Name}[{index}]: output");
                Assert.True(expected.Gradients.AsSpan().SequenceEqual(actual.Gradients), $"{tensor.Name}[{index}]: gradients");
            }
        }
    }

    [Theory]
    [InlineData("WideLstm")]
    [InlineData("WideGru")]
    [InlineData("MixedStack")]
    public void InferenceOfOneSequenceAndTrainingOfABatchBothSeeEveryChange(string name)
    {
        // Calls of another shape and mode in between (one sequence, inference) must not hide a change from either
        // kind of call: each must compute what a fresh model with the same weights computes.
        var (model, _) = Catalogue.Create(name, seed: 2);
        var floatModel = (IFloatSequenceModel)model;
        const int steps = 5;
        float[] x = NumericalCheck.RandomFloats(new Random(4), steps * model.InputSize, 1);
        Run(floatModel, 3, 4);  // packs every panel
        Infer(floatModel, x, steps);
        int last = model.Parameters.Length - 1;
        foreach (int index in new[] { 0, model.Parameters.Length / 2, last })
        {
            model.Parameters[index] += 0.25f;
            var (fresh, _) = Catalogue.Create(name, seed: 2);
            fresh.ImportParameters(model.ExportParameters());
            Assert.Equal(Infer((IFloatSequenceModel)fresh, x, steps), Infer(floatModel, x, steps));
            Assert.Equal(Run((IFloatSequenceModel)fresh, 3, 4).Output, Run(floatModel, 3, 4).Output);
        }
    }

    [Theory]
    [InlineData("WideLstm")]
    [InlineData("WideGru")]
    [InlineData("WideRnnDense")]
    [InlineData("MixedStack")]
    public void ImportedWeightsReachTheNextCallOfAModelThatNeverLentParameters(string name)
    {
        // A model whose Parameters span was never taken skips the comparison with its packed copies: then the
        // only way its weights can change is ImportParameters, which must make every stage compare (and repack).
        var (model, _) = Catalogue.Create(name, seed: 11);
        var (source, _) = Catalogue.Create(name, seed: 12);
        var floatModel = (IFloatSequenceModel)model;
        const int steps = 5;
        float[] x = NumericalCheck.RandomFloats(new Random(6), steps * model.InputSize, 1);
        Run(floatModel, 3, 4);  // packs every panel from seed 11's weights
        Infer(floatModel, x, steps);
        model.ImportParameters(source.ExportParameters());
        Assert.Equal(Infer((IFloatSequenceModel)source, x, steps), Infer(floatModel, x, steps));
        var expected = Run((IFloatSequenceModel)source, 3, 4);
        var actual = Run(floatModel, 3, 4);
        Assert.Equal(expected.Output, actual.Output);
        Assert.Equal(expected.Gradients, actual.Gradients);
    }

    [Fact]
    public void ASpanTakenBeforeThePackingStillReachesTheNextCall()
    {
        var model = new WideLstm(13);
        Span<float> parameters = model.Parameters;  // lent before any call, written after the panels are packed
        var before = Run(model, 2, 3);
        parameters[0] += 0.5f;  // lstm.weight_ih_l0[0, 0]: packed into the projection's panels
        var fresh = new WideLstm(13);
        fresh.ImportParameters(model.ExportParameters());
        Assert.Equal(Run(fresh, 2, 3).Output, Run(model, 2, 3).Output);
        Assert.NotEqual(before.Output, Run(model, 2, 3).Output);
    }

    [Fact]
    public void ChangingTheVectorWidthRepacks()
    {
        var a = new WideLstm(6);
        var b = new WideLstm(6) { UseScalarKernels = true };
        var reference = Run(b, 2, 3);
        Run(a, 2, 3);                      // vector panels
        a.UseScalarKernels = true;         // the scalar kernels read panels of width 1
        var scalar = Run(a, 2, 3);
        Assert.Equal(reference.Output, scalar.Output);
        Assert.Equal(reference.Gradients, scalar.Gradients);
    }
}
