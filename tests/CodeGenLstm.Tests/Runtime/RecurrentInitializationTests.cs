using System;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Runtime;

/// <summary>
/// One direction of a recurrent layer initialised as PyTorch does, in state_dict order from one generator:
/// checked against the same draws spelled out tensor by tensor here, and the forget-gate slices against their values.
/// </summary>
public class RecurrentInitializationTests
{
    private const int Input = 3, Hidden = 4;

    [Theory]
    [InlineData(4, RecurrentInit.Uniform, 1f, 1, 1f)]
    [InlineData(4, RecurrentInit.Uniform, 0.25f, 1, 0f)]
    [InlineData(4, RecurrentInit.XavierUniform, 2f, 1, -0.5f)]
    [InlineData(3, RecurrentInit.Orthogonal, 1.2f, -1, 0f)]
    [InlineData(1, RecurrentInit.Identity, 0.5f, -1, 0f)]
    public void TheDrawsFollowStateDictOrder(int gates, RecurrentInit init, float gain, int forgetGate, float forgetBias)
    {
        int width = gates * Hidden, wih = 5, whh = wih + width * Input, bih = whh + width * Hidden, bhh = bih + width, end = bhh + width;
        float[] actual = new float[end + 5], expected = new float[end + 5];
        RecurrentInitialization.Direction(actual, wih, whh, bih, bhh, Input, Hidden, gates, init, gain, forgetGate, forgetBias, new Rng(7));

        // The expectation, written out: PyTorch's order weight_ih, weight_hh, bias_ih, bias_hh, bound 1/sqrt(H) = 0.5.
        var rng = new Rng(7);
        Initializers.Uniform(expected.AsSpan(wih, width * Input), 0.5f, rng);
        Span<float> recurrent = expected.AsSpan(whh, width * Hidden);
        if (init == RecurrentInit.XavierUniform) Initializers.XavierUniform(recurrent, width, Hidden, gain, rng);
        else if (init == RecurrentInit.Identity) Initializers.Identity(recurrent, Hidden, gain);
        else if (init == RecurrentInit.Orthogonal)
        {
            for (int g = 0; g < gates; g++) Initializers.Orthogonal(recurrent.Slice(g * 16, 16), Hidden, Hidden, gain, rng);
        }
        else Initializers.Uniform(recurrent, 0.5f * gain, rng);
        Initializers.Uniform(expected.AsSpan(bih, width), 0.5f, rng);
        Initializers.Uniform(expected.AsSpan(bhh, width), 0.5f, rng);
        if (forgetGate >= 0)
        {
            expected.AsSpan(bih + forgetGate * Hidden, Hidden).Fill(forgetBias);
            expected.AsSpan(bhh + forgetGate * Hidden, Hidden).Clear();
        }

        Assert.Equal(expected, actual);
        Assert.Equal(new float[5], actual.AsSpan(0, wih).ToArray());    // nothing before the first tensor
        Assert.Equal(new float[5], actual.AsSpan(end, 5).ToArray());    // nor after the last
    }

    [Fact]
    public void TheForgetGateSliceHoldsTheForgetBias()
    {
        int width = 4 * Hidden, whh = width * Input, bih = whh + width * Hidden, bhh = bih + width;
        float[] p = new float[bhh + width];
        RecurrentInitialization.Direction(p, 0, whh, bih, bhh, Input, Hidden, 4, RecurrentInit.Uniform, 1f, 1, 1f, new Rng(1));
        Assert.All(p.AsSpan(bih + Hidden, Hidden).ToArray(), v => Assert.Equal(1f, v));
        Assert.All(p.AsSpan(bhh + Hidden, Hidden).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(p.AsSpan(bih, Hidden).ToArray(), v => Assert.InRange(v, -0.5f, 0.5f));
    }
}
