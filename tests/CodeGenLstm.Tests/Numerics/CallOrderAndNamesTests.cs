using System;
using System.Linq;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Numerics;

/// <summary>
/// Messages that tell the user what went wrong and what to do: Backward called at the wrong time (three
/// different cases).
/// </summary>
public class CallOrderAndNamesTests
{
    private static float[] Input(int batch, int steps, int width) =>
        NumericalCheck.RandomFloats(new Random(7), batch * steps * width, 1);

    // ----------------------------------------------------------------------------------------------
    // Backward
    // ----------------------------------------------------------------------------------------------

    private const string NoForward = "this model has not run Forward yet";
    private const string AfterInference = "the last Forward was an inference call (training: false)";
    private const string AlreadyRan = "Backward already ran for the last Forward";

    private static string BackwardError(Action backward) => Assert.Throws<InvalidOperationException>(backward).Message;

    [Fact]
    public void BackwardSaysWhichOfTheThreeCasesItIsAndWhatToDo()
    {
        var model = new Gru1(1);
        float[] x = Input(1, 2, 3), y = new float[2 * 5];

        string none = BackwardError(() => model.Backward(y));
        Assert.Contains(NoForward, none);
        Assert.Contains("Call Forward(..., training: true), then Backward.", none);

        model.Forward(x, 1, 2, y);
        string inference = BackwardError(() => model.Backward(y));
        Assert.Contains(AfterInference, inference);
        Assert.Contains("Pass training: true to the Forward", inference);

        model.Forward(x, 1, 2, y, training: true);
        model.Backward(y);
        string twice = BackwardError(() => model.Backward(y));
        Assert.Contains(AlreadyRan, twice);
        Assert.Contains("Call Forward(..., training: true) again before the next Backward.", twice);

        Assert.Equal(3, new[] { none, inference, twice }.Distinct().Count());
        Assert.DoesNotContain(AfterInference, none);
        Assert.DoesNotContain(AlreadyRan, inference);
        Assert.DoesNotContain(NoForward, twice);
    }

    [Fact]
    public void TheStateFollowsTheLastForward()
    {
        var model = new TokenGruEachStep(2);
        int[] tokens = { 0, 1, 2, 3, 4, 5 };
        float[] y = new float[2 * 3 * TokenGruEachStep.OutputSize];

        model.Forward(tokens, 2, 3, y, training: true);
        model.Forward(tokens, 2, 3, y);  // inference after training: the training Forward's state is gone
        Assert.Contains(AfterInference, BackwardError(() => model.Backward(y)));

        model.Forward(tokens, 2, 3, y, training: true);
        Assert.Throws<ArgumentException>(() => model.Backward(new float[y.Length - 1]));  // a wrong call does not use it up
        model.Backward(y);
        Assert.Contains(AlreadyRan, BackwardError(() => model.Backward(y)));

        // A Forward rejected for its arguments changes nothing: still "already ran".
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Forward(tokens, 0, 3, y, training: true));
        Assert.Contains(AlreadyRan, BackwardError(() => model.Backward(y)));

        model.Forward(tokens, 2, 3, y, training: true);
        model.Backward(y);
    }

    [Fact]
    public void AModelWithoutRecurrentLayersSaysTheSame()
    {
        var model = new EmbeddingDense(1);
        int[] tokens = { 0, 1, 2, 3 };
        float[] y = new float[2 * 2 * EmbeddingDense.OutputSize];
        Assert.Contains(NoForward, BackwardError(() => model.Backward(y)));
        model.Forward(tokens, 2, 2, y);
        Assert.Contains(AfterInference, BackwardError(() => model.Backward(y)));
    }

    [Fact]
    public void EveryStateButReadyHasItsOwnMessage()
    {
        // Including a Forward that stopped with an exception after its checks (not reachable from a test without
        // a buffer of more than 2^31 floats): that state has its own message too.
        var messages = Enum.GetValues<BackwardReadiness>().Where(s => s != BackwardReadiness.Ready)
            .Select(s => ModelSupport.BackwardNotReady(s).Message).ToList();
        Assert.Equal(4, messages.Count);
        Assert.Equal(messages.Count, messages.Distinct().Count());
        Assert.Contains("the last Forward stopped with an exception", ModelSupport.BackwardNotReady(BackwardReadiness.ForwardInterrupted).Message);
        Assert.All(messages, m => Assert.Contains("training: true", m));  // each says what to do
    }
}
