using System;
using System.Collections.Generic;
using System.Linq;

namespace CodeGenLstm.Tests.Reference;

/// <summary>
/// Tests of the double-precision reference itself: hand-derived values for tiny cells, the padding and
/// reverse-direction rules, the LastStep rule, PyTorch's tensor names and counts, the state layout, residual,
/// dropout sites, the h_t perturbation hook, and the finite-difference helper.
/// </summary>
public class ReferenceSelfTests
{
    private const double Tight = 1e-12;

    private static void Close(double expected, double actual, double tolerance = Tight) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected:R}, got {actual:R} (tolerance {tolerance})");

    private static void Close(double[] expected, double[] actual, double tolerance = Tight)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"[{i}]: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tolerance})");
    }

    // ---------------------------------------------------------------------------------------------
    // Hand-derived cells
    // ---------------------------------------------------------------------------------------------

    [Fact]
    public void Lstm_OneUnit_TwoSteps_MatchesHandDerivation()
    {
        // nn.LSTM(1, 1). Rows i, f, g, o:
        //   weight_ih = [0.5, -0.5, 1.0, 0.25], weight_hh = [0.1, 0.2, -0.3, 0.4]
        //   bias_ih   = [0,    1,   0,   0   ], bias_hh   = [0.1, 0,   -0.1, 0  ]
        // h0 = 0.5, c0 = -0.2, x = [1, 2].
        // Step 0 (x = 1, h = 0.5, c = -0.2):
        //   pre_i = 0.5*1 + 0 + 0.1*0.5 + 0.1   = 0.65   i = s(0.65) = 0.657010462673
        //   pre_f = -0.5*1 + 1 + 0.2*0.5 + 0     = 0.6    f = s(0.6)  = 0.645656306226
        //   pre_g = 1*1 + 0 - 0.3*0.5 - 0.1      = 0.75   g = tanh(0.75) = 0.635148952387
        //   pre_o = 0.25*1 + 0 + 0.4*0.5 + 0     = 0.45   o = s(0.45) = 0.610639233949
        //   c1 = f*(-0.2) + i*g = -0.129131261245 + 0.417299507075 = 0.288168245829
        //   h1 = o*tanh(c1) = 0.610639233949 * 0.280447996364 = 0.171252549663
        // Step 1 (x = 2, h = h1, c = c1):
        //   pre_i = 1.0 + 0.1*h1 + 0.1  = 1.117125254966   i = 0.753455091503
        //   pre_f = -1 + 1 + 0.2*h1      = 0.034250509933   f = 0.508561790515
        //   pre_g = 2 - 0.3*h1 - 0.1     = 1.848624235101   g = 0.951616218336
        //   pre_o = 0.5 + 0.4*h1         = 0.568501019865   o = 0.638417221411
        //   c2 = f*c1 + i*g = 0.863551443931, h2 = o*tanh(c2) = 0.445668174204
        var model = new ReferenceModel(new RefRecurrent(RefCell.Lstm, 1, 1));
        double[] p = [0.5, -0.5, 1.0, 0.25, 0.1, 0.2, -0.3, 0.4, 0, 1, 0, 0, 0.1, 0, -0.1, 0];
        var r = model.Forward(p, [1.0, 2.0], null, batch: 1, steps: 2, h0: [0.5], c0: [-0.2]);

        Close([0.17125254966256603, 0.44566817420368704], r.Output);
        Close([0.44566817420368704], r.FinalH);
        Close([0.8635514439306756], r.FinalC);
        Close([0.17125254966256603, 0.44566817420368704], r.TopHiddenPerStep);
    }

    [Fact]
    public void Gru_OneUnit_TwoSteps_MatchesHandDerivation()
    {
        // nn.GRU(1, 1). Rows r, z, n:
        //   weight_ih = [1, -1, 0.5], weight_hh = [0.5, 0.25, -1], bias_ih = [0, 0.5, 0.1], bias_hh = [-0.5, 0, 0.2]
        // h0 = 0, x = [1, -2].
        // Step 0: W_i x + b_i = [1, -0.5, 0.6], W_h h + b_h = [-0.5, 0, 0.2]
        //   r = s(1 - 0.5) = s(0.5) = 0.622459331202, z = s(-0.5) = 0.377540668798
        //   n = tanh(0.6 + r*0.2) = tanh(0.724491866240) = 0.619683960302
        //   h1 = (1 - z)*n + z*0 = 0.385728063486
        // Step 1: W_i x + b_i = [-2, 2.5, -0.9], W_h h1 + b_h = [0.5*h1 - 0.5, 0.25*h1, -h1 + 0.2] = [-0.307135968257, 0.096432015871, -0.185728063486]
        //   r = s(-2.307135968257) = 0.090533685065, z = s(2.596432015871) = 0.930631596957
        //   n = tanh(-0.9 + r*(-0.185728063486)) = tanh(-0.916814646007) = -0.724387022780
        //   h2 = (1 - z)*n + z*h1 = 0.308721152757
        var model = new ReferenceModel(new RefRecurrent(RefCell.Gru, 1, 1, Name: "gru"));
        double[] p = [1, -1, 0.5, 0.5, 0.25, -1, 0, 0.5, 0.1, -0.5, 0, 0.2];
        var r = model.Forward(p, [1.0, -2.0], null, batch: 1, steps: 2);

        Close([0.3857280634858401, 0.3087211527571494], r.Output);
        Close([0.3087211527571494], r.FinalH);
        Assert.Empty(r.FinalC);
        Assert.Equal(0, model.CellStateSize);
    }

    [Theory]
    [InlineData(Activation.Tanh, 0.09966799462495582, -0.02499479296842071, 0.8176990774217034, -5.207031579254742e-06)]
    [InlineData(Activation.Relu, 0.1, 0.0, 1.15, 0.0)]
    [InlineData(Activation.Sigmoid, 0.52497918747894, 0.49375032550048964, 0.7961640240059588, 0.3731444957812651)]
    public void Rnn_TwoUnits_TwoSteps_MatchesHandDerivation(Activation activation, double h00, double h01, double h10, double h11)
    {
        // nn.RNN(2, 2): weight_ih = [[1, 2], [-0.5, 0.25]] (row-major [H, in]: row = unit), weight_hh = [[0.5, 0], [0, -1]],
        // bias_ih = [0.1, -0.2], bias_hh = [0, 0.3]; h0 = 0; x0 = [0.2, -0.1], x1 = [0.4, 0.3].
        // Step 0: a = [1*0.2 + 2*(-0.1) + 0.1 + 0, -0.5*0.2 + 0.25*(-0.1) - 0.2 + 0.3] = [0.1, -0.025]
        // Step 1: a = [0.4 + 0.6 + 0.1 + 0.5*h_0, -0.2 + 0.075 - 0.2 + 0.3 - h_1] = [1.1 + 0.5*h_0, -0.025 - h_1]
        //   tanh:    h = [0.099667994625, -0.024994792968] -> a = [1.149833997312, -5.207031579e-6] -> h = [0.817699077422, -5.207031579e-6]
        //   relu:    h = [0.1, 0]                         -> a = [1.15, -0.025]                   -> h = [1.15, 0]
        //   sigmoid: h = [0.524979187479, 0.493750325500] -> a = [1.362489593739, -0.518750325500] -> h = [0.796164024006, 0.373144495781]
        var model = new ReferenceModel(new RefRecurrent(RefCell.Rnn, 2, 2, Activation: activation, Name: "rnn"));
        double[] p = [1, 2, -0.5, 0.25, 0.5, 0, 0, -1, 0.1, -0.2, 0, 0.3];
        var r = model.Forward(p, [0.2, -0.1, 0.4, 0.3], null, batch: 1, steps: 2);

        Close([h00, h01, h10, h11], r.Output);
        Close([h10, h11], r.FinalH);
    }

    [Fact]
    public void Embedding_Then_Dense_MatchesHandDerivation()
    {
        // embedding.weight = [[1, 2], [3, 4], [5, 6]]; dense.weight = [[1, 0], [0, 1], [1, -1]], dense.bias = [0.5, 0, -0.5].
        // tokens [2, 0, 1] -> rows (5, 6), (1, 2), (3, 4) -> y = (5.5, 6, -1.5), (1.5, 2, -1.5), (3.5, 4, -1.5).
        // Second sequence has length 1: tokens [1, 99, -7] (the padded ids are never read) -> (3.5, 4, -1.5), then zeros.
        var model = new ReferenceModel(new RefEmbedding(3, 2), new RefDense(0, 3));
        Assert.True(model.TakesTokens);
        Assert.Equal(1, model.InputSize);
        Assert.Equal(3, model.OutputSize);
        double[] p = [1, 2, 3, 4, 5, 6, 1, 0, 0, 1, 1, -1, 0.5, 0, -0.5];
        var r = model.Forward(p, null, [2, 0, 1, 1, 99, -7], batch: 2, steps: 3, lengths: [3, 1]);
        Close([5.5, 6, -1.5, 1.5, 2, -1.5, 3.5, 4, -1.5, 3.5, 4, -1.5, 0, 0, 0, 0, 0, 0], r.Output);
        Assert.Empty(r.FinalH);
        Assert.Empty(r.TopHiddenPerStep);

        Assert.Throws<ArgumentException>(() => model.Forward(p, null, [3, 0, 1, 1, 1, 1], 2, 3));
    }

    // ---------------------------------------------------------------------------------------------
    // Padding, reverse direction, LastStep
    // ---------------------------------------------------------------------------------------------

    [Fact]
    public void PaddedPositions_AreExactlyZero_AndPaddedValuesAreNeverRead()
    {
        var model = new ReferenceModel(
            new RefEmbedding(7, 3),
            new RefRecurrent(RefCell.Lstm, 0, 4, Layers: 2, Bidirectional: true, Residual: true),
            new RefDense(0, 5));
        var p = ReferenceMath.RandomVector(model.ParameterCount, 1, 0.5);
        int[] lengths = [4, 2, 1];
        int[] tokens = [1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5];
        var r = model.Forward(p, null, tokens, 3, 4, lengths);
        Assert.Equal(3 * 4 * 5, r.Output.Length);
        for (int b = 0; b < 3; b++)
            for (int t = 0; t < 4; t++)
                for (int o = 0; o < 5; o++)
                {
                    double v = r.Output[(b * 4 + t) * 5 + o];
                    if (t < lengths[b])
                        Assert.NotEqual(0.0, v);
                    else
                        Assert.Equal(0.0, v);
                }

        // Other (even invalid) ids at padded positions change nothing.
        int[] otherPadding = [1, 2, 3, 4, 5, 6, -1, 100, 2, -5, 6, 7];
        Assert.Equal(r.Output, model.Forward(p, null, otherPadding, 3, 4, lengths).Output);

        // Float input: NaN at padded positions never reaches anything.
        var floatModel = new ReferenceModel(new RefRecurrent(RefCell.Gru, 2, 3, Layers: 2, Bidirectional: true, Name: "gru"), new RefDense(0, 2));
        var fp = ReferenceMath.RandomVector(floatModel.ParameterCount, 2, 0.5);
        var x = ReferenceMath.RandomVector(3 * 4 * 2, 3, 1.0);
        var clean = floatModel.Forward(fp, x, null, 3, 4, lengths);
        for (int b = 0; b < 3; b++)
            for (int t = lengths[b]; t < 4; t++)
                for (int i = 0; i < 2; i++)
                    x[(b * 4 + t) * 2 + i] = double.NaN;
        var dirty = floatModel.Forward(fp, x, null, 3, 4, lengths);
        Assert.Equal(clean.Output, dirty.Output);
        Assert.Equal(clean.FinalH, dirty.FinalH);
        Assert.Equal(clean.TopHiddenPerStep, dirty.TopHiddenPerStep);
    }

    [Fact]
    public void ReverseDirection_OnLength2Of4Steps_IgnoresThePadding()
    {
        var model = new ReferenceModel(new RefRecurrent(RefCell.Gru, 2, 3, Bidirectional: true, Name: "gru"));
        var p = ReferenceMath.RandomVector(model.ParameterCount, 4, 0.6);
        var x = ReferenceMath.RandomVector(4 * 2, 5, 1.0);      // one sequence, 4 steps, 2 features
        var padded = model.Forward(p, x, null, batch: 1, steps: 4, lengths: [2]);
        var alone = model.Forward(p, x[..4], null, batch: 1, steps: 2);   // the same 2 valid steps, no padding

        Close(alone.Output, padded.Output[..(2 * 6)], 0);
        Assert.All(padded.Output[(2 * 6)..], v => Assert.Equal(0.0, v));
        Close(alone.FinalH, padded.FinalH, 0);

        // The reverse direction starts at t = len-1 = 1 from h0 = 0, so its output there is one GRU step on x1 alone:
        // a unidirectional GRU holding the reverse tensors, run on [x1] only.
        var single = new ReferenceModel(new RefRecurrent(RefCell.Gru, 2, 3, Name: "gru"));
        int half = model.ParameterCount / 2;   // forward tensors then reverse tensors
        Assert.Equal("gru.weight_ih_l0_reverse", model.Tensors[4].Name);
        Assert.Equal(half, model.Tensors[4].Offset);
        var step = single.Forward(p[half..], x[2..4], null, 1, 1);
        Close(step.Output, padded.Output[(1 * 6 + 3)..(1 * 6 + 6)], 0);
        // Its final state (h_n[1]) is its state after t = 0.
        Close(padded.Output[3..6], padded.FinalH[3..6], 0);
        // The forward final state (h_n[0]) is its state at t = len-1 = 1.
        Close(padded.Output[6..9], padded.FinalH[0..3], 0);
    }

    [Fact]
    public void LastStep_BelowBidirectional_TakesForwardAtLastValidStepAndReverseAtStepZero()
    {
        const int h = 3, steps = 4, batch = 3;
        int[] lengths = [3, 1, 4];
        var recurrent = new RefRecurrent(RefCell.Lstm, 2, h, Layers: 2, Bidirectional: true);
        var encoder = new ReferenceModel(recurrent);
        var classifier = new ReferenceModel(recurrent, new RefDense(0, 2 * h, Readout.LastStep));
        Assert.True(classifier.LastStep);
        Assert.Equal(2 * h, classifier.OutputSize);

        // Dense = identity, so the classifier's output is z itself.
        var p = ReferenceMath.RandomVector(classifier.ParameterCount, 6, 0.5);
        var dense = classifier.Tensor("dense.weight");
        Array.Clear(p, dense.Offset, dense.Length + 2 * h);
        for (int i = 0; i < 2 * h; i++)
            p[dense.Offset + i * 2 * h + i] = 1;
        var x = ReferenceMath.RandomVector(batch * steps * 2, 7, 1.0);

        var seq = encoder.Forward(p[..encoder.ParameterCount], x, null, batch, steps, lengths);
        var z = classifier.Forward(p, x, null, batch, steps, lengths);
        Assert.Equal(batch * 2 * h, z.Output.Length);
        for (int b = 0; b < batch; b++)
        {
            for (int j = 0; j < h; j++)
            {
                Assert.Equal(seq.Output[(b * steps + lengths[b] - 1) * 2 * h + j], z.Output[b * 2 * h + j]);
                Assert.Equal(seq.Output[(b * steps + 0) * 2 * h + h + j], z.Output[b * 2 * h + h + j]);
                // ... which is PyTorch's h_n of the top stacked layer: index k*dirs + d = 2 (forward), 3 (reverse).
                Assert.Equal(z.FinalH[(2 * batch + b) * h + j], z.Output[b * 2 * h + j]);
                Assert.Equal(z.FinalH[(3 * batch + b) * h + j], z.Output[b * 2 * h + h + j]);
            }
        }

        // Unidirectional recurrent layer below: z = x[b, len-1, :].
        var uni = new ReferenceModel(new RefRecurrent(RefCell.Rnn, 2, h, Name: "rnn"), new RefDense(0, 2, Readout.LastStep));
        var up = ReferenceMath.RandomVector(uni.ParameterCount, 8, 0.5);
        var full = uni.Forward(up, x, null, batch, steps, lengths);
        var rnnOnly = new ReferenceModel(new RefRecurrent(RefCell.Rnn, 2, h, Name: "rnn"));
        var hs = rnnOnly.Forward(up[..rnnOnly.ParameterCount], x, null, batch, steps, lengths).Output;
        var w = uni.Tensor("dense.weight");
        var bias = uni.Tensor("dense.bias");
        for (int b = 0; b < batch; b++)
            for (int o = 0; o < 2; o++)
            {
                double expected = up[bias.Offset + o];
                for (int j = 0; j < h; j++)
                    expected += up[w.Offset + o * h + j] * hs[(b * steps + lengths[b] - 1) * h + j];
                Close(expected, full.Output[b * 2 + o]);
            }
    }

    // ---------------------------------------------------------------------------------------------
    // Names, shapes, counts (PyTorch state_dict)
    // ---------------------------------------------------------------------------------------------

    [Fact]
    public void LstmStackedBidirectional_HasPyTorchNamesShapesAndCount()
    {
        // nn.LSTM(3, 5, num_layers=2, bidirectional=True): per layer-direction weight_ih [20, in_k], weight_hh [20, 5],
        // bias_ih [20], bias_hh [20]; in_0 = 3, in_1 = 10.
        // Count: 2*(20*3 + 20*5 + 40) + 2*(20*10 + 20*5 + 40) = 2*200 + 2*340 = 1080.
        // (The brief said 760; its own formula gives 1080, and so does sum(p.numel() for p in nn.LSTM(3,5,2,bidirectional=True).parameters()).)
        var model = new ReferenceModel(new RefRecurrent(RefCell.Lstm, 3, 5, Layers: 2, Bidirectional: true));
        Assert.Equal(1080, model.ParameterCount);
        string[] names =
        [
            "lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0",
            "lstm.weight_ih_l0_reverse", "lstm.weight_hh_l0_reverse", "lstm.bias_ih_l0_reverse", "lstm.bias_hh_l0_reverse",
            "lstm.weight_ih_l1", "lstm.weight_hh_l1", "lstm.bias_ih_l1", "lstm.bias_hh_l1",
            "lstm.weight_ih_l1_reverse", "lstm.weight_hh_l1_reverse", "lstm.bias_ih_l1_reverse", "lstm.bias_hh_l1_reverse",
        ];
        Assert.Equal(names, model.Tensors.Select(t => t.Name));
        string[] shapes =
        [
            "[20, 3]", "[20, 5]", "[20]", "[20]", "[20, 3]", "[20, 5]", "[20]", "[20]",
            "[20, 10]", "[20, 5]", "[20]", "[20]", "[20, 10]", "[20, 5]", "[20]", "[20]",
        ];
        Assert.Equal(shapes, model.Tensors.Select(t => t.ShapeText));
        int offset = 0;
        foreach (var t in model.Tensors)
        {
            Assert.Equal(offset, t.Offset);
            offset += t.Length;
        }
        Assert.Equal(1080, offset);
        Assert.Equal(2 * 2 * 5, model.StateSize);
        Assert.Equal(2 * 2 * 5, model.CellStateSize);
        Assert.Equal(10, model.OutputSize);
    }

    [Fact]
    public void OtherLayers_HavePyTorchNamesAndCounts()
    {
        // nn.GRU(3, 5): 15*3 + 15*5 + 15 + 15 = 150. nn.RNN(3, 5): 5*3 + 5*5 + 5 + 5 = 50.
        Assert.Equal(150, new ReferenceModel(new RefRecurrent(RefCell.Gru, 3, 5, Name: "gru")).ParameterCount);
        Assert.Equal(50, new ReferenceModel(new RefRecurrent(RefCell.Rnn, 3, 5, Name: "rnn")).ParameterCount);

        // Embedding(10, 4): 40; Lstm(4 -> 6): 24*4 + 24*6 + 48 = 288; a second Lstm (6 -> 6) named lstm_1: 24*6*2 + 48 = 336;
        // Dense(6 -> 2): 12 + 2 = 14. Total 678.
        var model = new ReferenceModel(
            new RefEmbedding(10, 4), new RefRecurrent(RefCell.Lstm, 0, 6), new RefRecurrent(RefCell.Lstm, 0, 6, Name: "lstm_1"), new RefDense(0, 2));
        Assert.Equal(678, model.ParameterCount);
        Assert.Equal(
            ["embedding.weight", "lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0",
             "lstm_1.weight_ih_l0", "lstm_1.weight_hh_l0", "lstm_1.bias_ih_l0", "lstm_1.bias_hh_l0", "dense.weight", "dense.bias"],
            model.Tensors.Select(t => t.Name));
        Assert.Equal("[10, 4]", model.Tensor("embedding.weight").ShapeText);
        Assert.Equal("[2, 6]", model.Tensor("dense.weight").ShapeText);
        Assert.Equal(12, model.StateSize);
    }

    [Fact]
    public void InvalidStacks_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => new ReferenceModel());
        Assert.Throws<ArgumentException>(() => new ReferenceModel(new RefRecurrent(RefCell.Lstm, 0, 4)));              // first without input size
        Assert.Throws<ArgumentException>(() => new ReferenceModel(new RefRecurrent(RefCell.Lstm, 3, 4), new RefDense(5, 2))); // 4 != 5
        Assert.Throws<ArgumentException>(() => new ReferenceModel(new RefDense(3, 2), new RefEmbedding(4, 2)));       // Embedding not first
        Assert.Throws<ArgumentException>(() => new ReferenceModel(new RefDense(3, 2, Readout.LastStep), new RefDense(0, 2)));
        Assert.Throws<ArgumentException>(() => new ReferenceModel(new RefRecurrent(RefCell.Lstm, 3, 4), new RefRecurrent(RefCell.Lstm, 0, 4)));
        Assert.Throws<ArgumentException>(() => new ReferenceModel(new RefRecurrent(RefCell.Gru, 3, 4, Activation: Activation.Relu, Name: "gru")));

        var model = new ReferenceModel(new RefRecurrent(RefCell.Lstm, 1, 1));
        var p = new double[model.ParameterCount];
        Assert.Throws<ArgumentException>(() => model.Forward(p, [1.0, 2.0], null, 1, 2, lengths: [3]));
        Assert.Throws<ArgumentException>(() => model.Forward(p, [1.0, 2.0], null, 1, 2, lengths: [0]));
        Assert.Throws<ArgumentException>(() => model.Forward(p, [1.0], null, 1, 2));
        Assert.Throws<ArgumentException>(() => model.Forward(p[1..], [1.0, 2.0], null, 1, 2));
        Assert.Throws<ArgumentException>(() => model.Forward(p, [1.0, 2.0], null, 1, 2, h0: [0.0, 0.0]));
    }

    // ---------------------------------------------------------------------------------------------
    // State layout
    // ---------------------------------------------------------------------------------------------

    [Fact]
    public void StateLayout_IsPyTorchsPerAttribute_Concatenated()
    {
        // With every parameter 0: a GRU has r = z = s(0) = 1/2 and n = tanh(0 + r*0) = 0, so h' = h/2;
        // an LSTM has i = f = o = 1/2 and g = 0, so c' = c/2 and h' = tanh(c')/2. Hence, per direction:
        //   GRU final h = h0 * 2^-len, forward h at t = h0 * 2^-(t+1), reverse h at t = h0 * 2^-(len-t);
        //   LSTM final c = c0 * 2^-len, h at t (forward) = tanh(c0 * 2^-(t+1)) / 2.
        const int batch = 3, steps = 4;
        int[] lengths = [4, 2, 1];
        var model = new ReferenceModel(
            new RefRecurrent(RefCell.Gru, 2, 2, Layers: 2, Bidirectional: true, Name: "gru"),
            new RefRecurrent(RefCell.Lstm, 0, 3));
        Assert.Equal(2 * 2 * 2 + 3, model.StateSize);
        Assert.Equal(3, model.CellStateSize);
        var h0 = Enumerable.Range(1, batch * model.StateSize).Select(v => (double)v).ToArray();
        var c0 = Enumerable.Range(1, batch * model.CellStateSize).Select(v => -0.25 * v).ToArray();
        var r = model.Forward(new double[model.ParameterCount], new double[batch * steps * 2], null, batch, steps, lengths, h0, c0);

        for (int b = 0; b < batch; b++)
        {
            double shrink = Math.Pow(0.5, lengths[b]);
            for (int kd = 0; kd < 4; kd++)         // GRU: [layers * dirs = 4, batch, 2]
                for (int j = 0; j < 2; j++)
                {
                    int at = (kd * batch + b) * 2 + j;
                    Assert.Equal(h0[at] * shrink, r.FinalH[at]);
                }
            for (int j = 0; j < 3; j++)             // LSTM after batch * 8 GRU values: [1, batch, 3]
            {
                int at = b * 3 + j;
                Assert.Equal(c0[at] * shrink, r.FinalC[at]);
                Close(Math.Tanh(c0[at] * shrink) / 2, r.FinalH[batch * 8 + at]);
                for (int t = 0; t < steps; t++)
                {
                    double expected = t < lengths[b] ? Math.Tanh(c0[at] * Math.Pow(0.5, t + 1)) / 2 : 0;
                    Close(expected, r.Output[(b * steps + t) * 3 + j]);
                }
            }
        }

        // The GRU alone: its top stacked layer (k = 1) outputs [forward, reverse] per step.
        var gru = new ReferenceModel(new RefRecurrent(RefCell.Gru, 2, 2, Layers: 2, Bidirectional: true, Name: "gru"));
        var g = gru.Forward(new double[gru.ParameterCount], new double[batch * steps * 2], null, batch, steps, lengths, h0[..(batch * 8)]);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
                for (int j = 0; j < 2; j++)
                {
                    bool valid = t < lengths[b];
                    double fwd = valid ? h0[(2 * batch + b) * 2 + j] * Math.Pow(0.5, t + 1) : 0;
                    double rev = valid ? h0[(3 * batch + b) * 2 + j] * Math.Pow(0.5, lengths[b] - t) : 0;
                    Assert.Equal(fwd, g.Output[(b * steps + t) * 4 + j]);
                    Assert.Equal(rev, g.Output[(b * steps + t) * 4 + 2 + j]);
                    Assert.Equal(fwd, g.TopHiddenPerStep[((0 * batch + b) * steps + t) * 2 + j]);
                    Assert.Equal(rev, g.TopHiddenPerStep[((1 * batch + b) * steps + t) * 2 + j]);
                }
    }

    [Fact]
    public void StackedAttribute_Equals_ChainOfSingleLayerAttributes()
    {
        // A 2-layer bidirectional LSTM is layer 0 (in = 3) then layer 1 (in = 2H = 8); PyTorch's tensor order and state
        // layout make it the same flat vector and the same h0/c0 as two chained 1-layer attributes.
        const int batch = 3, steps = 5;
        int[] lengths = [5, 3, 1];
        var stacked = new ReferenceModel(new RefRecurrent(RefCell.Lstm, 3, 4, Layers: 2, Bidirectional: true));
        var chain = new ReferenceModel(new RefRecurrent(RefCell.Lstm, 3, 4, Bidirectional: true), new RefRecurrent(RefCell.Lstm, 0, 4, Bidirectional: true, Name: "lstm_1"));
        Assert.Equal(stacked.ParameterCount, chain.ParameterCount);
        Assert.Equal(stacked.Tensors.Select(t => t.ShapeText), chain.Tensors.Select(t => t.ShapeText));
        var p = ReferenceMath.RandomVector(stacked.ParameterCount, 9, 0.5);
        var x = ReferenceMath.RandomVector(batch * steps * 3, 10, 1.0);
        var h0 = ReferenceMath.RandomVector(batch * stacked.StateSize, 11, 0.5);
        var c0 = ReferenceMath.RandomVector(batch * stacked.CellStateSize, 12, 0.5);
        var a = stacked.Forward(p, x, null, batch, steps, lengths, h0, c0);
        var b = chain.Forward(p, x, null, batch, steps, lengths, h0, c0);
        Assert.Equal(a.Output, b.Output);
        Assert.Equal(a.FinalH, b.FinalH);
        Assert.Equal(a.FinalC, b.FinalC);
        Assert.Equal(a.TopHiddenPerStep, b.TopHiddenPerStep);
    }

    // ---------------------------------------------------------------------------------------------
    // Residual and dropout
    // ---------------------------------------------------------------------------------------------

    [Fact]
    public void Residual_AddsTheInputWhereSizesMatch_AtValidPositionsOnly()
    {
        // RNN with zero weights and bias_ih = beta_k: each stacked layer's own output is tanh(beta_k) at every valid step.
        // Bidirectional, in_0 = 3 != 2H = 2: no residual at k = 0; at k = 1 (in = out = 2) the input is added:
        //   output = tanh(beta_1) + tanh(beta_0) at valid positions, 0 at padded ones.
        var model = new ReferenceModel(new RefRecurrent(RefCell.Rnn, 3, 1, Layers: 2, Bidirectional: true, Residual: true, Name: "rnn"));
        var p = new double[model.ParameterCount];
        foreach (var t in model.Tensors.Where(t => t.Name.StartsWith("rnn.bias_ih_l", StringComparison.Ordinal)))
            p[t.Offset] = t.Name.Contains("_l0") ? 0.3 : -0.7;
        var r = model.Forward(p, ReferenceMath.RandomVector(2 * 3 * 3, 13, 1.0), null, batch: 2, steps: 3, lengths: [3, 2]);
        double expected = Math.Tanh(-0.7) + Math.Tanh(0.3);
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < 3; t++)
                for (int j = 0; j < 2; j++)
                    Close(t < (b == 0 ? 3 : 2) ? expected : 0, r.Output[(b * 3 + t) * 2 + j]);

        // Unidirectional 2 -> 2 with zero parameters: each layer outputs tanh(0) = 0 plus its input, so output = input (valid only).
        var identity = new ReferenceModel(new RefRecurrent(RefCell.Gru, 2, 2, Layers: 3, Residual: true, Name: "gru"));
        var x = ReferenceMath.RandomVector(2 * 3 * 2, 14, 1.0);
        var y = identity.Forward(new double[identity.ParameterCount], x, null, 2, 3, [1, 3]).Output;
        // GRU with zero parameters: h' = h/2 starting from 0 stays 0, so each layer adds only its input.
        for (int i = 0; i < y.Length; i++)
            Assert.Equal(i < 2 || i >= 6 ? x[i] : 0, y[i]);
    }

    [Fact]
    public void Dropout_SitesAreNumberedOverTheModel_AndMasksScaleLayerOutputs()
    {
        // First attribute: no dropout (no sites). Second: 3 stacked RNN layers, dropout after k = 0 and k = 1 (sites 0, 1).
        // Third: 2 stacked layers, dropout after k = 0 (site 2). None after the last stacked layer of any attribute.
        var model = new ReferenceModel(
            new RefRecurrent(RefCell.Lstm, 1, 1, Layers: 2),
            new RefRecurrent(RefCell.Rnn, 0, 1, Layers: 3, Dropout: 0.5f, Name: "rnn"),
            new RefRecurrent(RefCell.Gru, 0, 2, Layers: 2, Bidirectional: true, Dropout: 0.25f, Name: "gru"));
        Assert.Equal(
            [new RefDropoutSite(0, 1, "rnn", 0, 1, 0.5f), new RefDropoutSite(1, 1, "rnn", 1, 1, 0.5f), new RefDropoutSite(2, 2, "gru", 0, 4, 0.25f)],
            model.DropoutSites);
        var p = ReferenceMath.RandomVector(model.ParameterCount, 15, 0.5);
        var x = ReferenceMath.RandomVector(2 * 3, 16, 1.0);
        var calls = new List<(int Site, int Length)>();
        var ones = model.Forward(p, x, null, 2, 3, dropoutMask: (site, length) => { calls.Add((site, length)); return Enumerable.Repeat(1.0, length).ToArray(); });
        Assert.Equal([(0, 6), (1, 6), (2, 24)], calls);
        Assert.Equal(model.Forward(p, x, null, 2, 3).Output, ones.Output);   // mask 1 everywhere = no dropout

        // Hand formula for a 3-layer 1-unit RNN with only bias_ih_l0 = beta and weight_ih_l1, weight_ih_l2 = w1, w2 nonzero,
        // masks m0 at site 0 and m1 at site 1 (constant): y = tanh(w2 * m1 * tanh(w1 * m0 * tanh(beta))).
        var rnn = new ReferenceModel(new RefRecurrent(RefCell.Rnn, 1, 1, Layers: 3, Dropout: 0.5f, Name: "rnn"));
        var rp = new double[rnn.ParameterCount];
        rp[rnn.Tensor("rnn.bias_ih_l0").Offset] = 0.4;
        rp[rnn.Tensor("rnn.weight_ih_l1").Offset] = 1.5;
        rp[rnn.Tensor("rnn.weight_ih_l2").Offset] = -0.8;
        double[] maskValue = [2.0, 0.0];
        var dropped = rnn.Forward(rp, [0.0, 0.0], null, 1, 2, dropoutMask: (site, length) => Enumerable.Repeat(maskValue[site], length).ToArray());
        Assert.All(dropped.Output, v => Assert.Equal(0.0, v));              // site 1 drops everything: tanh(0) = 0
        maskValue[1] = 2.0;
        var kept = rnn.Forward(rp, [0.0, 0.0], null, 1, 2, dropoutMask: (site, length) => Enumerable.Repeat(maskValue[site], length).ToArray());
        double expected = Math.Tanh(-0.8 * 2.0 * Math.Tanh(1.5 * 2.0 * Math.Tanh(0.4)));
        Close([expected, expected], kept.Output);

        // The runtime's masks: 0 or 1 / (1 - p), one per element.
        var masks = model.RuntimeDropoutMasks(seed: 3, call: 0);
        Assert.All(masks(2, 1000), v => Assert.True(v == 0.0 || v == (double)(1f / 0.75f)));
        Assert.Contains(0.0, masks(2, 1000));
    }

    // ---------------------------------------------------------------------------------------------
    // The h_t perturbation hook
    // ---------------------------------------------------------------------------------------------

    [Fact]
    public void TopHiddenDelta_GivesDLossDh_ByFiniteDifferences()
    {
        // LSTM(2 -> 3) then Dense(3 -> 2) EachStep; L = sum of every output. h at the last valid step reaches L only through
        // the Dense at that step, so dL/dh_{len-1}[j] = sum_o W[o, j]. Padded positions: 0. Earlier steps: not 0.
        const int batch = 2, steps = 4, h = 3;
        int[] lengths = [4, 2];
        var model = new ReferenceModel(new RefRecurrent(RefCell.Lstm, 2, h), new RefDense(0, 2));
        Assert.Equal(1, model.TopDirections);
        Assert.Equal(h, model.TopHiddenSize);
        var p = ReferenceMath.RandomVector(model.ParameterCount, 17, 0.5);
        var x = ReferenceMath.RandomVector(batch * steps * 2, 18, 1.0);
        var delta = new double[batch * steps * h];
        var g = FiniteDifference.Gradient(d => model.Forward(p, x, null, batch, steps, lengths, topHiddenDelta: d).Output.Sum(), delta);
        Assert.All(delta, v => Assert.Equal(0.0, v));

        var w = model.Tensor("dense.weight");
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
                for (int j = 0; j < h; j++)
                {
                    double gj = g[(b * steps + t) * h + j];
                    if (t >= lengths[b])
                        Assert.Equal(0.0, gj);
                    else if (t == lengths[b] - 1)
                        Close(p[w.Offset + j] + p[w.Offset + h + j], gj, 1e-8);
                    else
                        Assert.True(Math.Abs(gj - (p[w.Offset + j] + p[w.Offset + h + j])) > 1e-6);
                }

        // TopHiddenPerStep is the LSTM's own output, and the delta shows up in it one for one.
        var lstmOnly = new ReferenceModel(new RefRecurrent(RefCell.Lstm, 2, h));
        var plain = model.Forward(p, x, null, batch, steps, lengths);
        Assert.Equal(lstmOnly.Forward(p[..lstmOnly.ParameterCount], x, null, batch, steps, lengths).Output, plain.TopHiddenPerStep);
        delta[(1 * steps + 1) * h + 2] = 0.25;   // b = 1, t = 1 = last valid step
        var moved = model.Forward(p, x, null, batch, steps, lengths, topHiddenDelta: delta);
        Close(plain.TopHiddenPerStep[(1 * steps + 1) * h + 2] + 0.25, moved.TopHiddenPerStep[(1 * steps + 1) * h + 2]);
        Close(moved.TopHiddenPerStep[(1 * steps + 1) * h + 2], moved.FinalH[1 * h + 2]);
    }

    // ---------------------------------------------------------------------------------------------
    // Parameters from the runtime's formats
    // ---------------------------------------------------------------------------------------------

    [Fact]
    public void ParametersFrom_NamedTensors_MatchesByName_Strictly()
    {
        var model = new ReferenceModel(new RefEmbedding(4, 2), new RefRecurrent(RefCell.Gru, 0, 2, Name: "gru"), new RefDense(0, 1));
        var p = ReferenceMath.ToFloat(ReferenceMath.RandomVector(model.ParameterCount, 19, 1.0));
        var named = model.Tensors.Select(t => new NamedTensor(t.Name, t.Shape.ToArray(), p.AsSpan(t.Offset, t.Length).ToArray())).ToList();
        var expected = model.ParametersFrom(p);
        Assert.Equal(expected, model.ParametersFrom(Enumerable.Reverse(named)));
        Assert.Equal(ReferenceMath.ToDouble(p), expected);

        Assert.Throws<ArgumentException>(() => model.ParametersFrom(named.Skip(1)));
        Assert.Throws<ArgumentException>(() => model.ParametersFrom(named.Append(new NamedTensor("extra", [1], [0f]))));
        Assert.Throws<ArgumentException>(() => model.ParametersFrom(named.Skip(1).Prepend(new NamedTensor("embedding.weight", [2, 4], new float[8]))));
        Assert.Throws<ArgumentException>(() => model.ParametersFrom(p.AsSpan(1)));
    }

    // ---------------------------------------------------------------------------------------------
    // Finite differences
    // ---------------------------------------------------------------------------------------------

    [Fact]
    public void FiniteDifference_OnAKnownFunction_MatchesTheAnalyticGradient()
    {
        // f(x) = sum_i sum_j sin(x_i) x_j = (sum_i sin x_i)(sum_j x_j); df/dx_k = cos(x_k) * sum_j x_j + sum_i sin x_i.
        static double F(double[] x) => x.Sum(Math.Sin) * x.Sum();
        var x = ReferenceMath.RandomVector(7, 20, 2.0);
        var before = x.ToArray();
        var g = FiniteDifference.Gradient(F, x);
        Assert.Equal(before, x);    // restored bit for bit
        double sumX = x.Sum(), sumSin = x.Sum(Math.Sin);
        for (int k = 0; k < x.Length; k++)
            Close(Math.Cos(x[k]) * sumX + sumSin, g[k], 1e-7);

        var subset = FiniteDifference.Gradient(F, x, [5, 1]);
        Close([g[5], g[1]], subset, 0);

        // A throwing f still leaves x restored.
        Assert.Throws<InvalidOperationException>(() => FiniteDifference.Gradient(_ => throw new InvalidOperationException(), x));
        Assert.Equal(before, x);
    }

    [Fact]
    public void FiniteDifference_OfALinearModel_CountsValidPositions()
    {
        // Dense(3 -> 2) EachStep, L = sum of outputs: dL/dW[o, i] = sum over valid (b, t) of x[b, t, i]; dL/db[o] = number of valid positions.
        var model = new ReferenceModel(new RefDense(3, 2));
        int[] lengths = [3, 1];
        var x = ReferenceMath.RandomVector(2 * 3 * 3, 21, 1.0);
        var p = ReferenceMath.RandomVector(model.ParameterCount, 22, 1.0);
        var g = FiniteDifference.Gradient(q => model.Forward(q, x, null, 2, 3, lengths).Output.Sum(), p);
        for (int o = 0; o < 2; o++)
        {
            for (int i = 0; i < 3; i++)
            {
                double s = 0;
                for (int b = 0; b < 2; b++)
                    for (int t = 0; t < lengths[b]; t++)
                        s += x[(b * 3 + t) * 3 + i];
                Close(s, g[o * 3 + i], 1e-8);
            }
            Close(4, g[6 + o], 1e-8);
        }
    }
}
