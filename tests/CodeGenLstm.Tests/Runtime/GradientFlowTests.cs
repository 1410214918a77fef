using System;

namespace CodeGenLstm.Tests.Runtime;

/// <summary>A ReLU RNN started at 0.5 I: where every unit is active, dL/dh_(t-1) = 0.5 dL/dh_t exactly.</summary>
[Rnn(inputSize: 2, hiddenSize: 8, Activation = Activation.Relu, Init = RecurrentInit.Identity, InitGain = 0.5f)]
[Dense(outputSize: 1, Readout = Readout.LastStep)]
public partial class HalvingRnn;

/// <summary>
/// <see cref="GradientFlow"/> against profiles whose decay ratio and horizon are worked by hand (in the
/// comments), and end to end on a generated model whose profile is known exactly.
/// </summary>
public sealed class GradientFlowTests
{
    [Fact]
    public void GeometricProfile()
    {
        // ||dL/dh_t|| = 0.5^(4 - t): the gradient halves per step back. Horizon: by e, 1/ln 2 = 1.4427 steps;
        // by 10, ln 10 / ln 2 = 3.3219 steps.
        GradientFlowReport report = GradientFlow.Analyze([0.0625f, 0.125f, 0.25f, 0.5f, 1f]);
        Assert.Equal(5, report.Steps);
        Assert.Equal(5, report.UsableSteps);
        Assert.Equal(0.5, report.DecayRatio, 12);
        Assert.Equal(1.4426950408889634, report.MemoryHorizon, 10);
        Assert.Equal(3.3219280948873622, report.HorizonFor(10), 10);
        Assert.True(report.IsFinite);
        Assert.Null(report.GlobalNorm);
    }

    [Fact]
    public void LeastSquaresOnLogNorms()
    {
        // Norms 1, 4, 2, 8 are 2^(0, 2, 1, 3). The slope of log2 on t = 0..3: Sxy = (-1.5)(-1.5) + (-0.5)(0.5)
        // + (0.5)(-0.5) + (1.5)(1.5) = 4, Sxx = 5, slope 0.8: the ratio is 2^-0.8 = 0.574349, not the
        // end-to-end (1/8)^(1/3) = 0.5.
        GradientFlowReport report = GradientFlow.Analyze([1f, 4f, 2f, 8f]);
        Assert.Equal(Math.Pow(2, -0.8), report.DecayRatio, 12);
        Assert.Equal(1 / (0.8 * Math.Log(2)), report.MemoryHorizon, 10);
        Assert.Equal(Math.Pow(2, -0.8), GradientFlow.DecayRatio([1f, 4f, 2f, 8f]), 12);
    }

    [Fact]
    public void FlatAndExplodingProfilesHaveNoHorizon()
    {
        Assert.Equal(1.0, GradientFlow.Analyze([2f, 2f, 2f]).DecayRatio, 12);
        Assert.True(double.IsPositiveInfinity(GradientFlow.Analyze([2f, 2f, 2f]).MemoryHorizon));
        // Growing going back in time: x2 per step.
        GradientFlowReport exploding = GradientFlow.Analyze([8f, 4f, 2f, 1f]);
        Assert.Equal(2.0, exploding.DecayRatio, 12);
        Assert.True(double.IsPositiveInfinity(exploding.MemoryHorizon));
    }

    [Fact]
    public void NonFiniteStepsAreFlaggedAndLeftOutOfTheFit()
    {
        // Usable: t = 0 (1) and t = 2 (4): slope ln 4 / 2 = ln 2 per step, ratio 0.5.
        GradientFlowReport report = GradientFlow.Analyze([1f, float.NaN, 4f, float.PositiveInfinity], globalNorm: 3f);
        Assert.Equal(2, report.NonFiniteSteps);
        Assert.Equal(1, report.FirstNonFiniteStep);
        Assert.Equal(2, report.UsableSteps);
        Assert.Equal(0.5, report.DecayRatio, 12);
        Assert.False(report.IsFinite);
        Assert.Equal("4 steps: gradient x0.5 per step back, horizon 1.44 steps; 2 non-finite from step 1; global norm 3", report.ToString());
    }

    [Fact]
    public void ANonFiniteGlobalNormIsFlagged()
    {
        GradientFlowReport report = GradientFlow.Analyze([1f, 2f], globalNorm: float.NaN);
        Assert.Equal(0, report.NonFiniteSteps);
        Assert.Equal(-1, report.FirstNonFiniteStep);
        Assert.False(report.IsFinite);
    }

    [Fact]
    public void ZerosAreCountedNotLogged()
    {
        // A gradient that underflowed to 0 at t = 0: the fit uses 0.5 and 1, ratio 0.5.
        GradientFlowReport report = GradientFlow.Analyze([0f, 0.5f, 1f]);
        Assert.Equal(1, report.ZeroSteps);
        Assert.Equal(0.5, report.DecayRatio, 12);
        Assert.Equal("3 steps: gradient x0.5 per step back, horizon 1.44 steps; 1 zero", report.ToString());
    }

    [Fact]
    public void TooFewStepsGiveNoRatio()
    {
        Assert.True(double.IsNaN(GradientFlow.Analyze([]).DecayRatio));
        Assert.True(double.IsNaN(GradientFlow.Analyze([3f]).DecayRatio));
        Assert.True(double.IsNaN(GradientFlow.Analyze([3f, float.NaN, 0f]).MemoryHorizon));
        Assert.Equal("1 steps: too few usable steps for a decay ratio", GradientFlow.Analyze([3f]).ToString());
    }

    [Fact]
    public void HorizonArguments()
    {
        // 0.9 per step: ln 2 / -ln 0.9 = 6.5788 steps to halve.
        Assert.Equal(6.578813478960585, GradientFlow.MemoryHorizon(0.9, 2), 10);
        Assert.True(double.IsPositiveInfinity(GradientFlow.MemoryHorizon(1)));
        Assert.True(double.IsNaN(GradientFlow.MemoryHorizon(double.NaN)));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientFlow.MemoryHorizon(0.5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientFlow.MemoryHorizon(0.5, double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientFlow.MemoryHorizon(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientFlow.MemoryHorizon(-1));
    }

    [Fact]
    public void GlobalNormIsTheL2NormOfAllGradients() => Assert.Equal(13f, GradientFlow.GlobalNorm([3f, -4f, 12f]));

    [Fact]
    [Trait("Category", "Numerical")]
    public void AGeneratedModelHalvesItsGradientPerStep()
    {
        // Make every weight and bias non-negative (weight_hh = 0.5 I stays as it is) and feed positive
        // input: every pre-activation is positive, every ReLU passes, and BPTT multiplies dL/dh by
        // W_hh^T = 0.5 I per step back. With the loss at the last step, ||dL/dh_t|| = 0.5^(T-1-t) ||dL/dh_(T-1)||.
        var model = new HalvingRnn(seed: 3);
        Span<float> parameters = model.Parameters;
        for (int i = 0; i < parameters.Length; i++) parameters[i] = MathF.Abs(parameters[i]);
        const int Batch = 2, Steps = 12;
        var input = new float[Batch * Steps * 2];
        for (int i = 0; i < input.Length; i++) input[i] = 0.1f + 0.01f * (i % 7);
        var output = new float[Batch];
        model.ZeroGradients();
        model.Forward(input, Batch, Steps, output, training: true);
        model.Backward([1f, -0.5f]);

        GradientFlowReport report = GradientFlow.Analyze(model);
        Assert.Equal(Steps, report.Steps);
        Assert.Equal(Steps, report.UsableSteps);
        Assert.Equal(0.5, report.DecayRatio, 5);
        Assert.Equal(1 / Math.Log(2), report.MemoryHorizon, 3);
        Assert.Equal(Clip.Norm(model.Gradients), report.GlobalNorm);
        Assert.True(report.IsFinite);
    }
}
