using System;
using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.Tests.Reference;

namespace CodeGenLstm.Tests.Numerics;

/// <summary>docs/api.md's promises other than the numbers: argument checks, state, tensors, allocation.</summary>
public class ContractTests
{
    private static float[] Input(int batch, int steps, int width, int seed = 1) =>
        NumericalCheck.RandomFloats(new Random(seed), batch * steps * width, 1);

    public static IEnumerable<object[]> WrongForwardArguments()
    {
        // (batch, steps, input length, output length, lengths, argument named)
        int I = Lstm2Bi.InputSize, O = Lstm2Bi.OutputSize;
        yield return new object[] { 0, 4, 0, 0, Array.Empty<int>(), "batch" };
        yield return new object[] { 2, 0, 0, 0, Array.Empty<int>(), "steps" };
        yield return new object[] { 2, 4, 2 * 4 * I - 1, 2 * 4 * O, Array.Empty<int>(), "input" };
        yield return new object[] { 2, 4, 2 * 4 * I + 1, 2 * 4 * O, Array.Empty<int>(), "input" };
        yield return new object[] { 2, 4, 2 * 4 * I, 2 * 4 * O - 1, Array.Empty<int>(), "output" };
        yield return new object[] { 2, 4, 2 * 4 * I, 2 * 4 * O, new[] { 4 }, "lengths" };
        yield return new object[] { 2, 4, 2 * 4 * I, 2 * 4 * O, new[] { 4, 0 }, "lengths" };
        yield return new object[] { 2, 4, 2 * 4 * I, 2 * 4 * O, new[] { 5, 1 }, "lengths" };
        yield return new object[] { 2, 4, 2 * 4 * I, 2 * 4 * O, new[] { 1, -3 }, "lengths" };
        yield return new object[] { 2, 4, 2 * 4 * I, 2 * 4 * O, new[] { 1, 2, 3 }, "lengths" };
    }

    [Theory]
    [MemberData(nameof(WrongForwardArguments))]
    public void ForwardRejectsEveryWrongArgumentBeforeAnyWork(int batch, int steps, int inputLength, int outputLength, int[] lengths, string argument)
    {
        var model = new Lstm2Bi(1);
        float[] before = model.Parameters.ToArray();
        float[] output = Enumerable.Repeat(7f, Math.Max(outputLength, 0)).ToArray();
        var error = Assert.ThrowsAny<ArgumentException>(() => model.Forward(new float[inputLength], batch, steps, output, lengths, training: true));
        Assert.Equal(argument, error.ParamName);
        Assert.All(output, v => Assert.Equal(7f, v));
        Assert.Equal(before, model.Parameters.ToArray());
        Assert.Throws<InvalidOperationException>(() => model.Backward(new float[Math.Max(outputLength, 0)]));
    }

    [Fact]
    public void TheMessageNamesTheExpectedSize()
    {
        var model = new Lstm1(1);
        var error = Assert.Throws<ArgumentException>(() => model.Forward(new float[10], 2, 3, new float[2 * 3 * 5]));
        Assert.Contains("expected batch * steps * InputSize = 18", error.Message);
    }

    [Fact]
    public void TokenModelsCheckTokensAndRefuseAnInputGradient()
    {
        var model = new TokenGruEachStep(1);
        float[] output = new float[2 * 3 * TokenGruEachStep.OutputSize];
        var error = Assert.Throws<ArgumentException>(() => model.Forward(new[] { 0, 1, 9, 2, 3, 4 }, 2, 3, output));
        Assert.Equal("tokens", error.ParamName);
        Assert.Contains("0..8", error.Message);
        Assert.Throws<ArgumentException>(() => model.Forward(new[] { 0, 1, 2, 2, -1, 4 }, 2, 3, output));
        // Padded positions are not read: an id outside the vocabulary there is fine.
        model.Forward(new[] { 0, 1, 2, 3, -1, 99 }, 2, 3, output, new[] { 3, 1 }, training: true);
        Assert.Throws<ArgumentException>(() => model.Backward(new float[output.Length], new float[6]));
        model.Backward(new float[output.Length]);
    }

    [Fact]
    public void BackwardNeedsOneTrainingForward()
    {
        var model = new Gru1(1);
        float[] x = Input(1, 2, 3), y = new float[2 * 5];
        Assert.Throws<InvalidOperationException>(() => model.Backward(y));
        model.Forward(x, 1, 2, y);
        Assert.Throws<InvalidOperationException>(() => model.Backward(y));
        model.Forward(x, 1, 2, y, training: true);
        Assert.Throws<ArgumentException>(() => model.Backward(new float[y.Length + 1]));
        Assert.Throws<ArgumentException>(() => model.Backward(y, new float[x.Length - 1]));
        model.Backward(y);  // the wrong calls above did not use it up
        Assert.Throws<InvalidOperationException>(() => model.Backward(y));
    }

    [Fact]
    public void PaddedOutputsAreZero()
    {
        var model = new Lstm2Bi(3);
        float[] x = Input(2, 5, 3);
        for (int i = 0; i < x.Length; i++) if (i % 7 == 0) x[i] = float.NaN;  // garbage in padding must not leak
        for (int t = 0; t < 2; t++) for (int j = 0; j < 3; j++) x[(0 * 5 + t) * 3 + j] = 0.5f;
        for (int t = 0; t < 5; t++) for (int j = 0; j < 3; j++) x[(1 * 5 + t) * 3 + j] = t < 1 ? 0.25f : float.NaN;
        float[] y = Enumerable.Repeat(9f, 2 * 5 * Lstm2Bi.OutputSize).ToArray();
        model.Forward(x, 2, 5, y, new[] { 2, 1 });
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < 5; t++)
                for (int j = 0; j < Lstm2Bi.OutputSize; j++)
                {
                    float v = y[(b * 5 + t) * Lstm2Bi.OutputSize + j];
                    if (t >= (b == 0 ? 2 : 1)) Assert.Equal(0f, v);
                    else Assert.True(float.IsFinite(v) && v != 9f);
                }
    }

    [Fact]
    public void InitialStateIsUsedAndFinalStateIsReturned()
    {
        var model = new Lstm2Bi(5);
        var reference = Catalogue.Recurrent(RefCell.Lstm, 2, true);
        int batch = 3, steps = 4;
        float[] x = Input(batch, steps, 3), y = new float[batch * steps * Lstm2Bi.OutputSize];
        float[] h0 = NumericalCheck.RandomFloats(new Random(3), batch * Lstm2Bi.StateSize, 0.5);
        float[] c0 = NumericalCheck.RandomFloats(new Random(4), batch * Lstm2Bi.CellStateSize, 0.5);
        model.SetInitialState(h0, c0);
        model.Forward(x, batch, steps, y, new[] { 4, 2, 3 });
        var expected = reference.Forward(reference.ParametersFrom(model.Parameters), ReferenceMath.ToDouble(x), null, batch, steps,
            new[] { 4, 2, 3 }, ReferenceMath.ToDouble(h0), ReferenceMath.ToDouble(c0));
        NumericalCheck.AssertClose("output", y, expected.Output, NumericalCheck.ForwardTolerance);
        float[] hN = new float[batch * Lstm2Bi.StateSize], cN = new float[batch * Lstm2Bi.CellStateSize];
        model.GetFinalState(hN, cN);
        NumericalCheck.AssertClose("h_n", hN, expected.FinalH, NumericalCheck.ForwardTolerance);
        NumericalCheck.AssertClose("c_n", cN, expected.FinalC, NumericalCheck.ForwardTolerance);
        model.GetFinalState(hN);  // c is optional

        // A state set for batch 3 does not fit batch 2.
        Assert.Throws<InvalidOperationException>(() => model.Forward(Input(2, steps, 3), 2, steps, new float[2 * steps * Lstm2Bi.OutputSize]));
        model.ResetState();
        model.Forward(Input(2, steps, 3), 2, steps, new float[2 * steps * Lstm2Bi.OutputSize]);
        Assert.Throws<ArgumentException>(() => model.GetFinalState(hN));
        Assert.Throws<ArgumentException>(() => model.SetInitialState(new float[Lstm2Bi.StateSize + 1]));
        Assert.Throws<ArgumentException>(() => model.SetInitialState(new float[2 * Lstm2Bi.StateSize], new float[3 * Lstm2Bi.CellStateSize]));
        Assert.Throws<ArgumentException>(() => new Gru1(1).SetInitialState(default, new float[5]));
    }

    [Fact]
    public void StatefulChunksEqualOneLongSequence()
    {
        // Truncated BPTT's forward half: four chunks of 3 steps carry the state exactly as 12 steps do.
        var whole = new Gru2(9);
        var chunked = new Gru2(9) { Stateful = true };
        int batch = 2, steps = 12;
        float[] x = Input(batch, steps, 3), y = new float[batch * steps * 5];
        whole.Forward(x, batch, steps, y);
        for (int chunk = 0; chunk < 4; chunk++)
        {
            float[] part = new float[batch * 3 * 3], partOut = new float[batch * 3 * 5];
            for (int b = 0; b < batch; b++)
                Array.Copy(x, (b * steps + chunk * 3) * 3, part, b * 3 * 3, 9);
            chunked.Forward(part, batch, 3, partOut, training: chunk % 2 == 0);
            for (int b = 0; b < batch; b++)
                for (int i = 0; i < 15; i++)
                    Assert.Equal(y[(b * steps + chunk * 3) * 5 + i], partOut[b * 15 + i], 5);
        }
        Assert.Throws<InvalidOperationException>(() => chunked.Forward(Input(3, 3, 3), 3, 3, new float[3 * 3 * 5]));
        chunked.ResetState();
        chunked.Forward(Input(3, 3, 3), 3, 3, new float[3 * 3 * 5]);
    }

    [Fact]
    public void ExportedTensorsHavePyTorchNamesShapesAndOrder()
    {
        var model = new TokenLstmLastStep(2);
        var tensors = model.ExportParameters();
        Assert.Equal(new[]
        {
            "embedding.weight",
            "lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0",
            "lstm.weight_ih_l0_reverse", "lstm.weight_hh_l0_reverse", "lstm.bias_ih_l0_reverse", "lstm.bias_hh_l0_reverse",
            "lstm.weight_ih_l1", "lstm.weight_hh_l1", "lstm.bias_ih_l1", "lstm.bias_hh_l1",
            "lstm.weight_ih_l1_reverse", "lstm.weight_hh_l1_reverse", "lstm.bias_ih_l1_reverse", "lstm.bias_hh_l1_reverse",
            "dense.weight", "dense.bias",
        }, tensors.Select(t => t.Name));
        Assert.Equal(new[] { 7, 4 }, tensors[0].Shape);
        Assert.Equal(new[] { 20, 4 }, tensors[1].Shape);
        Assert.Equal(new[] { 20, 10 }, tensors[9].Shape);
        Assert.Equal(new[] { 3, 10 }, tensors[17].Shape);
        Assert.Equal(model.Parameters.ToArray(), tensors.SelectMany(t => t.Data));
        Assert.Equal(TokenLstmLastStep.ParameterCount, model.Parameters.Length);
        int referenceCount = new ReferenceModel(new RefEmbedding(7, 4), new RefRecurrent(RefCell.Lstm, 0, 5, 2, true), new RefDense(0, 3, Readout.LastStep)).ParameterCount;
        Assert.Equal(referenceCount, tensors.Sum(t => t.Data.Length));
    }

    [Fact]
    public void ImportIsStrictAndAllOrNothing()
    {
        var source = new Lstm2(1);
        var target = new Lstm2(2);
        float[] original = target.Parameters.ToArray();
        var tensors = source.ExportParameters().ToList();

        void Rejected(IEnumerable<NamedTensor> bad, string mentions)
        {
            var error = Assert.Throws<ArgumentException>(() => target.ImportParameters(bad));
            Assert.Contains(mentions, error.Message);
            Assert.Equal(original, target.Parameters.ToArray());
        }
        Rejected(tensors.Skip(1), "'lstm.weight_ih_l0' [20, 3] is missing");
        Rejected(tensors.Append(new NamedTensor("lstm.extra", new[] { 1 }, new float[1])), "'lstm.extra' is not a parameter");
        Rejected(tensors.Append(tensors[2]), "appears twice");
        Rejected(tensors.Select((t, i) => i == 3 ? t with { Shape = new[] { 4, 5 } } : t), "has shape [4, 5]; expected [20]");
        Rejected(tensors.Select((t, i) => i == 3 ? t with { Data = new float[19] } : t), "has 19 values");
        Rejected(tensors.Select((t, i) => i == 0 ? null! : t), "null");
        // The shapes in the messages are the same in every culture: a culture whose minus sign is U+2212, as sv-SE's
        // (this test project runs in globalization-invariant mode, so the culture is made rather than looked up).
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            var minus = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
            minus.NumberFormat.NegativeSign = "\u2212";
            System.Globalization.CultureInfo.CurrentCulture = minus;
            Rejected(tensors.Select((t, i) => i == 3 ? t with { Shape = new[] { -1, -20 } } : t), "has shape [-1, -20]; expected [20]");
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }

        target.ImportParameters(Enumerable.Reverse(tensors));  // by name, any order
        Assert.Equal(source.Parameters.ToArray(), target.Parameters.ToArray());
    }

    [Fact]
    public void ParametersIsTheSourceOfTruth()
    {
        // Kernels keep packed copies of the weights; a change to Parameters must reach the next Forward.
        var model = new WideRnnDense(1);
        float[] x = Input(2, 3, WideRnnDense.InputSize), first = new float[2 * 3 * 19], second = new float[2 * 3 * 19];
        model.Forward(x, 2, 3, first);
        model.Parameters[^1] += 1f;             // dense.bias[18]: shifts output 18 of every step by exactly 1
        model.Forward(x, 2, 3, second);
        Assert.Equal(first[18] + 1f, second[18], 5);
        Assert.Equal(first[17], second[17]);
        model.Parameters[5] += 0.5f;            // rnn.weight_ih_l0 [0, 5]
        model.Forward(x, 2, 3, first);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void InitialisationFollowsTheAttributes()
    {
        var a = new Lstm2Bi(4);
        var b = new Lstm2Bi(4);
        var c = new Lstm2Bi(5);
        Assert.Equal(a.Parameters.ToArray(), b.Parameters.ToArray());
        Assert.NotEqual(a.Parameters.ToArray(), c.Parameters.ToArray());
        Assert.Equal(new Lstm2Bi(0).Parameters.ToArray(), new Lstm2Bi().Parameters.ToArray());
        float bound = 1f / MathF.Sqrt(5);
        foreach (NamedTensor t in a.ExportParameters())
        {
            if (t.Name.StartsWith("lstm.bias_ih", StringComparison.Ordinal))
                Assert.All(t.Data.Skip(5).Take(5), v => Assert.Equal(1f, v));      // ForgetBias = 1 by default
            else if (t.Name.StartsWith("lstm.bias_hh", StringComparison.Ordinal))
                Assert.All(t.Data.Skip(5).Take(5), v => Assert.Equal(0f, v));
            var rest = t.Name.Contains("bias", StringComparison.Ordinal) ? t.Data.Take(5).Concat(t.Data.Skip(10)) : t.Data;
            Assert.All(rest, v => Assert.InRange(v, -bound, bound));
        }
    }

    [Fact]
    public void CallsAfterTheFirstAllocateNothing()
    {
        var model = new TokenLstmLastStep(1);
        int[] tokens = Enumerable.Range(0, 4 * 6).Select(i => i % 7).ToArray();
        float[] y = new float[4 * 3], dy = new float[4 * 3];
        int[] lengths = { 6, 3, 5, 1 }, shorter = { 5, 2 };
        model.Forward(tokens, 4, 6, y, lengths, training: true);
        model.Backward(dy);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            model.Forward(tokens, 4, 6, y, lengths, training: true);
            model.Backward(dy);
            model.Forward(tokens.AsSpan(0, 2 * 5), 2, 5, y.AsSpan(0, 2 * 3), shorter);  // smaller shapes reuse the workspace
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
