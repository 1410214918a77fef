using System;
using System.Linq;
using CodeGenLstm.Tests.Numerics;

namespace CodeGenLstm.Tests.Training;

public class TrainerTests
{
    private static (Gru1 Model, float[] X, float[] Target, float[] Y, float[] Dy) Setup()
    {
        var model = new Gru1(3);
        float[] x = NumericalCheck.RandomFloats(new Random(1), 2 * 4 * 3, 1);
        float[] target = NumericalCheck.RandomFloats(new Random(2), 2 * 4 * 5, 0.5);
        return (model, x, target, new float[target.Length], new float[target.Length]);
    }

    [Fact]
    public void AStepLowersTheLossAndReportsTheNormBeforeClipping()
    {
        var (model, x, target, y, dy) = Setup();
        var trainer = new Trainer(model, new Sgd(Gru1.ParameterCount, learningRate: 0.1f), clipNorm: 1e-3f);
        float Loss()
        {
            model.Forward(x, 2, 4, y, training: true);
            float loss = CodeGenLstm.Loss.MeanSquaredError(y, target, dy);
            model.Backward(dy);
            return loss;
        }
        float[] before = model.Parameters.ToArray();
        TrainingStep first = trainer.Step(Loss);
        Assert.False(first.Skipped);
        Assert.True(first.GradientNorm > 1e-3f, "the test needs a norm above the clip threshold");
        // Clipped to norm 1e-3 and scaled by the learning rate: the weights moved by at most 0.1 * 1e-3.
        double moved = Math.Sqrt(before.Zip(model.Parameters.ToArray(), (a, b) => (double)(a - b) * (a - b)).Sum());
        Assert.InRange(moved, 0.9e-4, 1.01e-4);
        for (int i = 0; i < 20; i++) trainer.Step(Loss);
        Assert.True(trainer.Last.Loss < first.Loss);
        Assert.Equal(21, trainer.Steps);
        Assert.Equal(0, trainer.SkippedSteps);
        Assert.True(trainer.StepsPerSecond > 0);
    }

    [Theory]
    [InlineData("loss")]
    [InlineData("gradient")]
    public void ANonFiniteStepIsSkippedAndTheWeightsAreUntouched(string where)
    {
        var (model, x, target, y, dy) = Setup();
        var adam = new Adam(Gru1.ParameterCount, learningRate: 0.01f);
        var trainer = new Trainer(model, adam, clipNorm: 5f);
        float[] before = model.Parameters.ToArray();
        TrainingStep step = trainer.Step(() =>
        {
            model.Forward(x, 2, 4, y, training: true);
            float loss = CodeGenLstm.Loss.MeanSquaredError(y, target, dy);
            if (where == "gradient") dy[3] = float.PositiveInfinity;
            model.Backward(dy);
            return where == "loss" ? float.NaN : loss;
        });
        Assert.True(step.Skipped);
        Assert.Equal(1, trainer.SkippedSteps);
        Assert.Equal(0, trainer.Steps);
        Assert.Equal(0, adam.StepCount);
        Assert.Equal(before, model.Parameters.ToArray());
        Assert.All(model.Gradients.ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void MismatchedOptimizerIsRefused()
    {
        var model = new Gru1(1);
        Assert.Throws<ArgumentException>(() => new Trainer(model, new Adam(Gru1.ParameterCount + 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(model, new Adam(Gru1.ParameterCount), clipNorm: -1f));
    }
}
