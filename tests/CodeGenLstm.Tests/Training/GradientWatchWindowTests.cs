using System;
using System.Collections.Generic;

namespace CodeGenLstm.Tests.Training;

/// <summary>
/// GradientWatch's label rule on profiles written by hand: a stand-in model whose StepGradientNorms and
/// gradient are set per update, so that every update's r is known exactly.
/// </summary>
public class GradientWatchWindowTests
{
    /// <summary>A model of one weight whose step norms are [r, 1, ..., 1] (T steps) at each update: ||dL/dh_0|| / ||dL/dh_(T-1)|| = r.</summary>
    private sealed class Profile(int steps) : ISequenceModel
    {
        private readonly float[] _norms = new float[steps];
        private readonly float[] _parameters = new float[1], _gradients = new float[1];

        public void Set(float firstNorm, float lastNorm, float gradient)
        {
            Array.Fill(_norms, 1f);
            _norms[0] = firstNorm;
            _norms[^1] = lastNorm;
            _gradients[0] = gradient;
        }

        public int InputSize => 1;
        public int OutputSize => 1;
        public bool OutputPerSequence => true;
        public int ParameterCount => 1;
        public int StateSize => 1;
        public int CellStateSize => 0;
        public Span<float> Parameters => _parameters;
        public Span<float> Gradients => _gradients;
        public void ZeroGradients() => _gradients[0] = 0f;
        public void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient = default) { }
        public ReadOnlySpan<float> StepGradientNorms => _norms;
        public void SetInitialState(ReadOnlySpan<float> h0, ReadOnlySpan<float> c0 = default) { }
        public void GetFinalState(Span<float> hN, Span<float> cN = default) { }
        public bool Stateful { get; set; }
        public void ResetState() { }
        public IReadOnlyList<NamedTensor> ExportParameters() => [];
        public IReadOnlyList<NamedTensor> ExportGradients() => [];
        public void ImportParameters(IEnumerable<NamedTensor> tensors) { }
        public void ImportParameters(IEnumerable<NamedTensor> tensors, string prefix) { }
        public bool UseScalarKernels { get; set; }
        public string KernelPath => "None";

        // A plain tanh RNN with an orthogonal W_hh at gain 1: at T = 30 only CGL1002 fires (tanh, 20 <= T < 50);
        // not CGL1003 (gamma sigma_max = 1), not CGL1015 (gamma rho = 1), not CGL1007 (rho < 1.5).
        public IReadOnlyList<LayerArchitecture> Architecture { get; } =
        [
            new(LayerType.Rnn, "rnn", 1, 8, 8, 1, false, Activation.Tanh, false, Readout.EachStep, 0f) { Init = RecurrentInit.Orthogonal, InitGain = 1f },
            new(LayerType.Dense, "dense", 8, 1, 1, 1, false, Activation.Tanh, false, Readout.LastStep, 0f),
        ];
    }

    private static (Trainer Trainer, GradientWatch Watch, List<GradientFlowAlert> Alerts) Watched(Profile model)
    {
        var alerts = new List<GradientFlowAlert>();
        var watch = new GradientWatch(alerts.Add);
        var trainer = new Trainer(model, new Sgd(1, learningRate: 0f)) { Watch = watch };
        return (trainer, watch, alerts);
    }

    [Fact]
    public void VanishedNeedsTheRatioUnderTheThresholdAtBothEndsOfTwentyUpdates()
    {
        var model = new Profile(30);
        var (trainer, watch, alerts) = Watched(model);
        // r = 0.5 at update 1, then 1e-4 from update 2 on: the window 1..20 fails at update 1, the window 2..21 holds.
        for (int update = 1; update <= 25; update++)
            trainer.Step(() =>
            {
                model.Set(update == 1 ? 0.5f : 1e-4f, 1f, 1f);
                return 1f;
            });

        GradientFlowAlert alert = Assert.Single(alerts);
        Assert.Equal(GradientFlowProblem.Vanished, alert.Problem);
        Assert.Equal(21, alert.Update);
        Assert.Equal(30, alert.Steps);
        Assert.Equal(1e-4, alert.Ratio, 1e-9);
        Assert.Equal(Math.Pow(1e-4, 1.0 / 29), alert.MeasuredFactor, 6);
        Assert.Equal(1.0, alert.PredictedFactor);
        Assert.Equal(["CGL1002"], alert.PredictedBy);
        Assert.Contains("= 1e-4 over T = 30 steps at update 21, and under 0.001 at update 2 too", alert.Message, StringComparison.Ordinal);
        Assert.Equal(21, watch.Updates);
    }

    [Fact]
    public void ARatioThatCannotBeMeasuredNeverCountsAsVanished()
    {
        var model = new Profile(30);
        var (trainer, watch, alerts) = Watched(model);
        // ||dL/dh_(T-1)|| = 0 (say, every sequence padded at the last step): r is not defined.
        for (int update = 1; update <= 40; update++)
            trainer.Step(() =>
            {
                model.Set(1e-6f, 0f, 1f);
                return 1f;
            });
        Assert.Empty(alerts);
        Assert.Equal(40, watch.Updates);
    }

    [Fact]
    public void AnAbsentFlowAtTheFirstStepOnlyIsNotVanished()
    {
        var model = new Profile(30);
        var (trainer, _, alerts) = Watched(model);
        // r = 0 (an underflowed ||dL/dh_0||) counts as under 1e-3, but only at update 1 and 21, never at both ends of a window.
        for (int update = 1; update <= 30; update++)
            trainer.Step(() =>
            {
                model.Set(update is 1 or 21 ? 0f : 0.5f, 1f, 1f);
                return 1f;
            });
        Assert.Empty(alerts);
    }

    [Fact]
    public void ARatioJustAboveTheExplosionFactorIsReportedAndNoRuleNamedForIt()
    {
        var model = new Profile(30);
        var (trainer, _, alerts) = Watched(model);
        for (int update = 1; update <= 3; update++)
            trainer.Step(() =>
            {
                model.Set(update == 2 ? 1001f : 1000f, 1f, 1f);  // 1000 is not above the factor; 1001 is
                return 1f;
            });
        GradientFlowAlert alert = Assert.Single(alerts);
        Assert.Equal(GradientFlowProblem.Exploded, alert.Problem);
        Assert.Equal(2, alert.Update);
        Assert.Empty(alert.PredictedBy);  // a tanh RNN at rho = 1: CGL1007 needs rho >= 1.5
        Assert.Contains("No CGL rule predicted it for this model at T = 30", alert.Message, StringComparison.Ordinal);
    }
}
