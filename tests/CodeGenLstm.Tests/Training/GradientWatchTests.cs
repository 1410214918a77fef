using System;
using System.Collections.Generic;
using Xunit.Abstractions;

namespace CodeGenLstm.Tests.Training;

// Models for GradientWatch, declared without [Training] and trained with a steps argument that is not a
// constant, so that the build states no T (CGL1016 is information; CGL1015 is silenced in tests/). A LastStep
// read-out puts the loss at the last step only, as gradient-validation.md's label rule assumes.
[Rnn(inputSize: 4, hiddenSize: 64, Activation = Activation.Relu)]
[Dense(outputSize: 1, Readout = Readout.LastStep)]
public partial class WatchReluUniform;

[Rnn(inputSize: 4, hiddenSize: 64, Init = RecurrentInit.Orthogonal)]
[Dense(outputSize: 1, Readout = Readout.LastStep)]
public partial class WatchTanhOrthogonal;

[Rnn(inputSize: 4, hiddenSize: 32, Activation = Activation.Relu, Init = RecurrentInit.Identity, InitGain = 1.5f)]
[Dense(outputSize: 1, Readout = Readout.LastStep)]
public partial class WatchReluIdentityExpanding;

[Lstm(inputSize: 4, hiddenSize: 16)]
[Dense(outputSize: 1, Readout = Readout.LastStep)]
public partial class WatchLstm;

/// <summary>
/// Trainer.Watch: one report, in the analyzers' terms, when the measured flow vanishes or explodes. The
/// expected rules are worked by hand from the rule pages (docs/diagnostics), not read from GradientRules.
/// </summary>
public class GradientWatchTests(ITestOutputHelper output)
{
    private const int Batch = 4;

    /// <summary>A trainer on <paramref name="model"/> (Adam, 1e-3) and a step that fits the last output to 0.5.</summary>
    private static (Trainer Trainer, Func<float> Step) Setup(IFloatSequenceModel model, int steps, float inputScale,
        Func<float, float>? lossOverride = null, Func<int, float>? outputGradientScale = null)
    {
        var random = new Random(7);
        var input = new float[Batch * steps * 4];
        for (int i = 0; i < input.Length; i++) input[i] = (float)(random.NextDouble() * 2 - 1) * inputScale;
        var target = new float[Batch];
        Array.Fill(target, 0.5f);
        var output = new float[Batch];
        var outputGradient = new float[Batch];
        var trainer = new Trainer(model, new Adam(model.ParameterCount, 1e-3f));
        int calls = 0;
        float Step()
        {
            calls++;
            model.Forward(input, Batch, steps, output, training: true);
            float loss = Loss.MeanSquaredError(output, target, outputGradient);
            if (outputGradientScale is not null)
            {
                float scale = outputGradientScale(calls);
                for (int i = 0; i < outputGradient.Length; i++) outputGradient[i] *= scale;
            }
            model.Backward(outputGradient);
            return lossOverride is null ? loss : lossOverride(loss);
        }
        return (trainer, Step);
    }

    [Fact]
    [Trait("Category", "Numerical")]
    public void AReluRnnWithUniformInitIsReportedVanishedOnceWithItsRules()
    {
        // The issue's model at T = 40: gamma * rho = 1/sqrt(3) = 0.577 per step, 0.577^39 ~ 5e-10, far under 1e-3.
        // Rules that fire at T = 40 (docs/diagnostics): CGL1006 (ReLU, Init = Uniform, T >= 20); CGL1015 (k =
        // floor(ln 0.01 / ln 0.577) + 1 = 9 < 20). Not CGL1003: gamma * sigma_max = 2/sqrt(3) = 1.15 > 1.
        var alerts = new List<GradientFlowAlert>();
        var (trainer, step) = Setup(new WatchReluUniform(0), Steps(40), 1f);
        trainer.Watch = new GradientWatch(alerts.Add);
        for (int i = 0; i < 19; i++) trainer.Step(step);
        Assert.Empty(alerts);  // the label needs r under 1e-3 at updates 1 and 20
        for (int i = 0; i < 15; i++) trainer.Step(step);

        GradientFlowAlert alert = Assert.Single(alerts);
        output.WriteLine(alert.Message);
        Assert.Same(alert, trainer.Watch.Alert);
        Assert.Equal(GradientFlowProblem.Vanished, alert.Problem);
        Assert.Equal(20, alert.Update);
        Assert.Equal(40, alert.Steps);
        Assert.InRange(alert.Ratio, 0, GradientWatch.VanishedRatio);
        Assert.Equal(["CGL1006", "CGL1015"], alert.PredictedBy);
        Assert.Equal(1 / Math.Sqrt(3), alert.PredictedFactor, 9);
        Assert.InRange(alert.MeasuredFactor, 0.2, 0.8);
        Assert.Contains("vanished", alert.Message, StringComparison.Ordinal);
        Assert.Contains("T = 40", alert.Message, StringComparison.Ordinal);
        Assert.Contains("at update 20", alert.Message, StringComparison.Ordinal);
        Assert.Matches(@"= \d\.?\d?e-\d+ over T = 40 steps", alert.Message);  // the ratio, printed as the analyzers print numbers
        Assert.Contains("Predicted by CGL1006, CGL1015", alert.Message, StringComparison.Ordinal);
        Assert.Equal(20, trainer.Watch.Updates);  // it stopped watching
    }

    [Fact]
    [Trait("Category", "Numerical")]
    public void AnOrthogonalTanhRnnOnSmallInputsIsNotReported()
    {
        // Orthogonal W_hh (rho = sigma_max = 1) with inputs in +-0.1: tanh stays near its linear range, so the
        // gradient keeps most of its size over 20 steps.
        var alerts = new List<GradientFlowAlert>();
        var (trainer, step) = Setup(new WatchTanhOrthogonal(0), Steps(20), 0.1f);
        trainer.Watch = new GradientWatch(alerts.Add);
        for (int i = 0; i < 40; i++) trainer.Step(step);
        Assert.Empty(alerts);
        Assert.Null(trainer.Watch.Alert);
        Assert.Equal(40, trainer.Watch.Updates);
    }

    [Fact]
    [Trait("Category", "Numerical")]
    public void AnExpandingReluRnnIsReportedExplodedAtTheFirstUpdate()
    {
        // IRNN with InitGain 1.5: the active units carry the gradient back x1.5 per step, 1.5^29 ~ 1.3e5 over
        // T = 30. Rules at T = 30: CGL1005 (ReLU, rho = 1.5 > 1, T >= 20); not CGL1006 (Identity init).
        var alerts = new List<GradientFlowAlert>();
        var (trainer, step) = Setup(new WatchReluIdentityExpanding(0), Steps(30), 1f);
        trainer.Watch = new GradientWatch(alerts.Add);
        for (int i = 0; i < 5; i++) trainer.Step(step);

        GradientFlowAlert alert = Assert.Single(alerts);
        output.WriteLine(alert.Message);
        Assert.Equal(GradientFlowProblem.Exploded, alert.Problem);
        Assert.Equal(1, alert.Update);
        Assert.Equal(30, alert.Steps);
        Assert.True(alert.Ratio > GradientWatch.ExplodedFactor, $"ratio {alert.Ratio}");
        Assert.Equal(["CGL1005"], alert.PredictedBy);
        Assert.Equal(1.5, alert.PredictedFactor, 6);
        Assert.Contains("exploded", alert.Message, StringComparison.Ordinal);
        Assert.Contains("T = 30", alert.Message, StringComparison.Ordinal);
        Assert.Contains("Predicted by CGL1005", alert.Message, StringComparison.Ordinal);
        Assert.Contains("(above 1000)", alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANonFiniteLossIsReportedExplodedAndNoRuleIsNamedWhereNoneSpeaks()
    {
        // No rule predicts an LSTM's explosion (CGL1011 and CGL1012 are about vanishing).
        int calls = 0;
        var alerts = new List<GradientFlowAlert>();
        var (trainer, step) = Setup(new WatchLstm(0), Steps(12), 1f, loss => ++calls == 3 ? float.NaN : loss);
        trainer.Watch = new GradientWatch(alerts.Add);
        for (int i = 0; i < 6; i++) trainer.Step(step);

        GradientFlowAlert alert = Assert.Single(alerts);
        output.WriteLine(alert.Message);
        Assert.Equal(GradientFlowProblem.Exploded, alert.Problem);
        Assert.Equal(3, alert.Update);
        Assert.Empty(alert.PredictedBy);
        Assert.Contains("not finite at update 3", alert.Message, StringComparison.Ordinal);
        Assert.Contains("No CGL rule predicted it for this model at T = 12", alert.Message, StringComparison.Ordinal);
        Assert.Equal(1, trainer.SkippedSteps);
    }

    [Fact]
    public void AGradientNormGrowingAThousandfoldIsReportedExploded()
    {
        // The loss's gradient scaled by 1e4 at the fifth call: every gradient grows 1e4 times (Backward is linear
        // in it), the ratio over the sequence does not change.
        var alerts = new List<GradientFlowAlert>();
        var (trainer, step) = Setup(new WatchLstm(1), Steps(12), 1f, outputGradientScale: call => call == 5 ? 1e4f : 1f);
        trainer.Watch = new GradientWatch(alerts.Add);
        for (int i = 0; i < 8; i++) trainer.Step(step);

        GradientFlowAlert alert = Assert.Single(alerts);
        output.WriteLine(alert.Message);
        Assert.Equal(GradientFlowProblem.Exploded, alert.Problem);
        Assert.Equal(5, alert.Update);
        Assert.InRange(alert.Ratio, GradientWatch.VanishedRatio, GradientWatch.ExplodedFactor);
        Assert.Contains("grew from", alert.Message, StringComparison.Ordinal);
        Assert.Contains("at update 5 (more than 1000 times)", alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheArchitectureCarriesTheInitialisationFactsTheRulesRead()
    {
        ISequenceModel irnn = new WatchReluIdentityExpanding(0), lstm = new WatchLstm(0);
        LayerArchitecture rnn = irnn.Architecture[0], cell = lstm.Architecture[0], dense = lstm.Architecture[1];
        Assert.Equal((RecurrentInit.Identity, 1.5f, 0f), (rnn.Init, rnn.InitGain, rnn.ForgetBias));
        Assert.Equal((RecurrentInit.Uniform, 1f, 1f), (cell.Init, cell.InitGain, cell.ForgetBias));  // the attributes' defaults
        Assert.Equal((RecurrentInit.Uniform, 1f, 0f), (dense.Init, dense.InitGain, dense.ForgetBias));  // not recurrent: the record's defaults
    }

    [Fact]
    public void WatchingAllocatesNothingPerStep()
    {
        var (trainer, step) = Setup(new WatchTanhOrthogonal(1), Steps(20), 0.1f);
        trainer.Watch = new GradientWatch();
        trainer.Step(step);
        trainer.Step(step);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) trainer.Step(step);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Null(trainer.Watch.Alert);
        Assert.Equal(12, trainer.Watch.Updates);
        Assert.Equal(0, allocated);
    }

    /// <summary>The sequence length, passed through a method so that the build cannot read T from a constant.</summary>
    private static int Steps(int steps) => steps;
}
