using System;
using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Numerics;

/// <summary>
/// Messages that tell the user what went wrong and what to do: Backward called at the wrong time (three
/// different cases), and ImportParameters given names with a prefix or a near-miss; the prefix overload.
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

    // ----------------------------------------------------------------------------------------------
    // ImportParameters: hints and the prefix overload
    // ----------------------------------------------------------------------------------------------

    private static List<NamedTensor> Renamed(IEnumerable<NamedTensor> tensors, Func<string, string> rename) =>
        tensors.Select(t => t with { Name = rename(t.Name) }).ToList();

    private static string Rejected(ISequenceModel target, Action import)
    {
        float[] before = target.Parameters.ToArray();
        string message = Assert.Throws<ArgumentException>(import).Message;
        Assert.Equal(before, target.Parameters.ToArray());  // nothing was written
        return message;
    }

    [Fact]
    public void NamesWithAPrefixGetTheFixInTheMessage()
    {
        var source = new Lstm2(1);
        var target = new Lstm2(2);
        var prefixed = Renamed(source.ExportParameters(), n => "model." + n);  // a state_dict saved from a wrapping module

        string message = Rejected(target, () => target.ImportParameters(prefixed));
        Assert.Equal("Tensor 'model.lstm.weight_ih_l0' is not a parameter of this model, but 'lstm.weight_ih_l0' is; the names carry the prefix 'model.': " +
                     "strip it, or call ImportParameters(tensors, prefix: \"model.\"). (Parameter 'tensors')", message);

        // The overload the message names loads them.
        target.ImportParameters(prefixed, prefix: "model.");
        Assert.Equal(source.Parameters.ToArray(), target.Parameters.ToArray());
    }

    [Fact]
    public void APrefixOnSomeNamesOnlyIsNamedButTheOverloadIsNotOffered()
    {
        var target = new Lstm2(2);
        var tensors = Renamed(new Lstm2(1).ExportParameters(), n => n == "lstm.bias_ih_l1" ? "rnn_module.lstm.bias_ih_l1" : n);
        string message = Rejected(target, () => target.ImportParameters(tensors));
        Assert.Contains("Tensor 'rnn_module.lstm.bias_ih_l1' is not a parameter of this model: it is 'lstm.bias_ih_l1' with the prefix 'rnn_module.' in front; strip it.", message);
        Assert.DoesNotContain("prefix: ", message);
    }

    [Theory]
    [InlineData("lstm.weight_ih_l0", "lstm.weight_ih_10", "lstm.weight_ih_l0")]                       // digit one for letter l
    [InlineData("lstm.weight_hh_l0_reverse", "lstm.weight_hh_l0_rev", "lstm.weight_hh_l0_reverse")]   // "_rev": nearer "_reverse" than no suffix, on a tie
    [InlineData("lstm.bias_hh_l1", "LSTM.bias_hh_l1", "lstm.bias_hh_l1")]
    [InlineData("lstm.bias_ih_l1_reverse", "lstm.bias_ih_l1_reversed", "lstm.bias_ih_l1_reverse")]
    public void ANearMissGetsDidYouMean(string expected, string given, string suggested)
    {
        var target = new Lstm2Bi(2);
        var tensors = Renamed(new Lstm2Bi(1).ExportParameters(), n => n == expected ? given : n);
        string message = Rejected(target, () => target.ImportParameters(tensors));
        Assert.StartsWith($"Tensor '{given}' is not a parameter of this model; did you mean '{suggested}'?", message);
    }

    [Theory]
    [InlineData("encoder.weight_ih_l0")]   // another layer name: 7 edits from "lstm.weight_ih_l0", too far to guess
    [InlineData("weight")]
    [InlineData("lstm.extra")]
    public void AFarNameGetsNoGuess(string given)
    {
        var target = new Lstm2(2);
        var tensors = new Lstm2(1).ExportParameters().Append(new NamedTensor(given, new[] { 1 }, new float[1]));
        string message = Rejected(target, () => target.ImportParameters(tensors));
        Assert.Equal($"Tensor '{given}' is not a parameter of this model; expected one of lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0, lstm.bias_hh_l0, lstm.weight_ih_l1, lstm.weight_hh_l1, lstm.bias_ih_l1, lstm.bias_hh_l1. (Parameter 'tensors')", message);
    }

    [Fact]
    public void ThePrefixOverloadIsAsStrictAndAllOrNothing()
    {
        var source = new Lstm2(1);
        var target = new Lstm2(2);
        var prefixed = Renamed(source.ExportParameters(), n => "model." + n);

        // A name without the prefix is named, whatever comes before or after it.
        var mixed = prefixed.Select((t, i) => i == 5 ? t with { Name = "lstm.weight_hh_l1" } : t).ToList();
        Assert.Contains("Tensor 'lstm.weight_hh_l1' does not start with the prefix 'model.'", Rejected(target, () => target.ImportParameters(mixed, "model.")));

        // The other errors name the tensor as it was given, prefix included; the last tensor wrong keeps every earlier one out.
        Assert.Contains("Tensor 'model.lstm.bias_hh_l1' [20] is missing.", Rejected(target, () => target.ImportParameters(prefixed.Take(7), "model.")));
        Assert.Contains("Tensor 'model.lstm.bias_hh_l1' has shape [4, 5]; expected [20].",
            Rejected(target, () => target.ImportParameters(prefixed.Select((t, i) => i == 7 ? t with { Shape = new[] { 4, 5 } } : t), "model.")));
        Assert.Contains("Tensor 'model.lstm.bias_ih_l0' appears twice.", Rejected(target, () => target.ImportParameters(prefixed.Append(prefixed[2]), "model.")));
        Assert.Contains("did you mean 'model.lstm.weight_ih_l0'?",
            Rejected(target, () => target.ImportParameters(Renamed(prefixed, n => n.Replace("ih_l0", "ih_10", StringComparison.Ordinal)), "model.")));

        // Names under two prefixes, one given: the hint names both together.
        var nested = Renamed(prefixed, n => "outer." + n);
        Assert.Contains("the names carry the prefix 'outer.model.': strip it, or call ImportParameters(tensors, prefix: \"outer.model.\")",
            Rejected(target, () => target.ImportParameters(nested, "outer.")));

        Assert.Throws<ArgumentNullException>(() => target.ImportParameters(prefixed, null!));
        target.ImportParameters(source.ExportParameters(), "");  // no prefix: the strict import
        Assert.Equal(source.Parameters.ToArray(), target.Parameters.ToArray());
    }

    [Fact]
    public void ThePrefixOverloadIsOnTheInterfaceAndReachesTheNextForward()
    {
        var source = new WideRnnDense(1);
        var target = new WideRnnDense(2);
        float[] x = Input(2, 3, WideRnnDense.InputSize), expected = new float[2 * 3 * 19], actual = new float[2 * 3 * 19];
        target.Forward(x, 2, 3, actual);  // packs the target's own weights first
        source.Forward(x, 2, 3, expected);
        Import((ISequenceModel)target, Renamed(source.ExportParameters(), n => "net." + n), "net.");
        target.Forward(x, 2, 3, actual);
        Assert.Equal(expected, actual);
    }

#pragma warning disable CA1859 // the point is the call through the interface
    private static void Import(ISequenceModel model, IEnumerable<NamedTensor> tensors, string prefix) => model.ImportParameters(tensors, prefix);
#pragma warning restore CA1859

    [Fact]
    public void EditDistanceCountsInsertionsDeletionsAndSubstitutions()
    {
        Assert.Equal(3, ModelSupport.EditDistance("kitten", "sitting"));  // k->s, e->i, +g
        Assert.Equal(0, ModelSupport.EditDistance("", ""));
        Assert.Equal(4, ModelSupport.EditDistance("", "abcd"));
        Assert.Equal(4, ModelSupport.EditDistance("lstm.weight_hh_l0_rev", "lstm.weight_hh_l0"));
        Assert.Equal(4, ModelSupport.EditDistance("lstm.weight_hh_l0_rev", "lstm.weight_hh_l0_reverse"));
    }
}
