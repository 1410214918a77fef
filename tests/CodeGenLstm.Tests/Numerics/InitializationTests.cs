using System;
using System.Linq;

namespace CodeGenLstm.Tests.Numerics;

[Rnn(inputSize: 3, hiddenSize: 6, Init = RecurrentInit.Identity, InitGain = 0.5f)] public partial class IdentityRnn;
[Gru(inputSize: 3, hiddenSize: 6, bidirectional: true, Init = RecurrentInit.Orthogonal, InitGain = 1.2f)] public partial class OrthogonalGru;
[Lstm(inputSize: 3, hiddenSize: 40, Init = RecurrentInit.XavierUniform, InitGain = 2f, ForgetBias = -0.5f)] public partial class XavierLstm;
[Lstm(inputSize: 3, hiddenSize: 40, InitGain = 0.25f, ForgetBias = 0f)] public partial class ScaledLstm;
[Embedding(vocabularySize: 50, dimension: 40)][Dense(outputSize: 30)] public partial class EmbeddingDense;

/// <summary>The initialisers of docs/api.md, checked by their defining properties.</summary>
public class InitializationTests
{
    private static float[] Tensor(ISequenceModel model, string name) => model.ExportParameters().Single(t => t.Name == name).Data;

    [Fact]
    public void IdentityIsGainTimesTheIdentity()
    {
        float[] w = Tensor(new IdentityRnn(1), "rnn.weight_hh_l0");
        for (int r = 0; r < 6; r++)
            for (int c = 0; c < 6; c++)
                Assert.Equal(r == c ? 0.5f : 0f, w[r * 6 + c]);
    }

    [Fact]
    public void OrthogonalGivesEveryGateBlockOrthonormalRowsTimesTheGain()
    {
        var model = new OrthogonalGru(4);
        foreach (string name in new[] { "gru.weight_hh_l0", "gru.weight_hh_l0_reverse" })
        {
            float[] w = Tensor(model, name);
            for (int gate = 0; gate < 3; gate++)
                for (int i = 0; i < 6; i++)
                    for (int j = 0; j < 6; j++)
                    {
                        double dot = 0;
                        for (int k = 0; k < 6; k++) dot += (double)w[(gate * 6 + i) * 6 + k] * w[(gate * 6 + j) * 6 + k];
                        Assert.Equal(i == j ? 1.44 : 0.0, dot, 5);   // W W^T = gain^2 I
                    }
        }
    }

    [Fact]
    public void XavierUsesTheGlorotBoundAndForgetBiasIsWritten()
    {
        var model = new XavierLstm(1);
        float[] w = Tensor(model, "lstm.weight_hh_l0");
        double bound = 2 * Math.Sqrt(6.0 / (160 + 40));
        Assert.All(w, v => Assert.InRange(v, -bound, bound));
        Assert.True(w.Max() > 0.9 * bound && w.Min() < -0.9 * bound, "the draws should fill the range");
        Assert.All(Tensor(model, "lstm.bias_ih_l0").Skip(40).Take(40), v => Assert.Equal(-0.5f, v));
        Assert.All(Tensor(model, "lstm.bias_hh_l0").Skip(40).Take(40), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void UniformGainScalesPyTorchsBoundForWeightHhOnly()
    {
        var model = new ScaledLstm(1);
        double bound = 1 / Math.Sqrt(40);
        float[] hh = Tensor(model, "lstm.weight_hh_l0"), ih = Tensor(model, "lstm.weight_ih_l0");
        Assert.All(hh, v => Assert.InRange(v, -0.25 * bound, 0.25 * bound));
        Assert.True(hh.Max() > 0.9 * 0.25 * bound);
        Assert.True(ih.Max() > 0.9 * bound, "weight_ih keeps PyTorch's bound");
        Assert.All(Tensor(model, "lstm.bias_ih_l0").Skip(40).Take(40), v => Assert.Equal(0f, v));  // ForgetBias = 0
    }

    [Fact]
    public void EmbeddingIsStandardNormalAndDenseUsesItsFanIn()
    {
        var model = new EmbeddingDense(3);
        float[] e = Tensor(model, "embedding.weight");
        double mean = e.Average(), variance = e.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, -0.1, 0.1);                 // 2000 draws: standard error 0.022
        Assert.InRange(Math.Sqrt(variance), 0.93, 1.07);
        double bound = 1 / Math.Sqrt(40);
        Assert.All(Tensor(model, "dense.weight"), v => Assert.InRange(v, -bound, bound));
        Assert.All(Tensor(model, "dense.bias"), v => Assert.InRange(v, -bound, bound));
    }

    [Fact]
    public void DropoutKeepsAboutOneMinusPAndScalesTheKeptUnits()
    {
        float[] mask = new float[100_000];
        DropoutMask.Fill(mask, seed: 3, call: 7, site: 1, probability: 0.3f);
        double kept = mask.Count(v => v != 0) / (double)mask.Length;
        Assert.InRange(kept, 0.695, 0.705);              // 100,000 draws: standard error 0.0014
        Assert.All(mask.Where(v => v != 0), v => Assert.Equal(1f / 0.7f, v));
        float[] other = new float[mask.Length];
        DropoutMask.Fill(other, seed: 3, call: 8, site: 1, probability: 0.3f);
        Assert.NotEqual(mask, other);                    // a new mask on every training call
    }

    [Fact]
    public void DropoutActsInTrainingOnly()
    {
        var model = new TokenGruEachStep(5);
        int[] tokens = Enumerable.Range(0, 2 * 6).Select(i => i % 9).ToArray();
        float[] a = new float[2 * 6 * 2], b = new float[a.Length], c = new float[a.Length];
        model.Forward(tokens, 2, 6, a);
        model.Forward(tokens, 2, 6, b);
        model.Forward(tokens, 2, 6, c, training: true);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }
}
