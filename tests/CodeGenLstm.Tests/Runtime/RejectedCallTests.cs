using System;
using CodeGenLstm.Tests.Fuzzing;

namespace CodeGenLstm.Tests.Runtime;

/// <summary>A rejected call changes nothing: every argument, the workspace's size included, is checked before any state changes.</summary>
public class RejectedCallTests
{
    private const int Batch = 2, Steps = 5;

    private static float[] Input(int length)
    {
        float[] input = new float[length];
        for (int i = 0; i < input.Length; i++) input[i] = MathF.Cos(i * 0.61f);
        return input;
    }

    [Fact]
    public void AWorkspaceLargerThanAnArrayIsRejectedNamingStepsAndBackwardStillGivesTheTwinsGradients()
    {
        var model = new FuzzWideLastStep(3);
        var twin = new FuzzWideLastStep(3);
        float[] input = Input(Batch * Steps), output = new float[Batch], twinOutput = new float[Batch];
        float[] outputGradient = { 0.5f, -1.25f };
        model.Forward(input, Batch, Steps, output, training: true);
        twin.Forward(input, Batch, Steps, twinOutput, training: true);

        // 2,100,000 steps x 1,024 gate floats per step: more than Array.MaxLength floats in one buffer.
        const int hugeSteps = 2_100_000;
        float[] single = new float[1];
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.Forward(new float[hugeSteps], 1, hugeSteps, single, training: true));
        Assert.Equal("steps", error.ParamName);
        Assert.Contains("batch 1 x steps 2100000", error.Message, StringComparison.Ordinal);
        Assert.Contains("2,147,483,591", error.Message, StringComparison.Ordinal);
        Assert.Equal(0f, single[0]);

        model.Backward(outputGradient);
        twin.Backward(outputGradient);
        Assert.True(RuntimeFuzzer.SameBits(twin.Gradients, model.Gradients));
        Assert.True(RuntimeFuzzer.SameBits(twin.StepGradientNorms, model.StepGradientNorms));

        // The next call too: same output as the twin's.
        model.Forward(input, Batch, Steps, output);
        twin.Forward(input, Batch, Steps, twinOutput);
        Assert.Equal(twinOutput, output);
    }

    [Fact]
    public void AStatefulModelRejectedForItsWorkspaceKeepsItsCarriedState()
    {
        var model = new FuzzWideLastStep(4) { Stateful = true };
        var twin = new FuzzWideLastStep(4) { Stateful = true };
        float[] input = Input(Steps), output = new float[1], twinOutput = new float[1];
        model.Forward(input, 1, Steps, output);
        twin.Forward(input, 1, Steps, twinOutput);

        Assert.Throws<ArgumentOutOfRangeException>(() => model.Forward(new float[2_100_000], 1, 2_100_000, new float[1]));

        model.Forward(input, 1, Steps, output);  // continues from the state carried by the first call, as the twin does
        twin.Forward(input, 1, Steps, twinOutput);
        Assert.Equal(twinOutput, output);
        float[] h = new float[FuzzWideLastStep.StateSize], twinH = new float[FuzzWideLastStep.StateSize];
        model.GetFinalState(h);
        twin.GetFinalState(twinH);
        Assert.Equal(twinH, h);
    }
}
