using System;
using CodeGenLstm.Generators.Analyzers;
using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Tests.Analyzers;

/// <summary>
/// The analyzers' closed forms for sigma_max and rho, checked against matrices drawn by the runtime's
/// own initialisers (the ones generated constructors call), measured numerically: sigma_max by power
/// iteration on W^T W, rho by ||W^k v||^(1/k).
/// </summary>
public class RecurrentSpectrumTests
{
    private const int H = 192;

    private static LayerSpec Rnn(InitKind init, float gain, LayerKind kind = LayerKind.Rnn) =>
        new(kind, "rnn", 4, H, 1, false, ActivationKind.Tanh, init, gain, 1f, 0f, false, ReadoutKind.EachStep);

    private static double[] Draw(InitKind init, float gain, int gates, int seed)
    {
        var rng = new Rng(seed);
        var all = new float[gates * H * H];
        switch (init)
        {
            case InitKind.Uniform: Initializers.Uniform(all, gain / MathF.Sqrt(H), rng); break;
            case InitKind.XavierUniform: Initializers.XavierUniform(all, gates * H, H, gain, rng); break;
            case InitKind.Orthogonal: Initializers.Orthogonal(all.AsSpan(0, H * H), H, H, gain, rng); break;
            default: Initializers.Identity(all.AsSpan(0, H * H), H, gain); break;
        }
        var block = new double[H * H];  // the first gate's H x H block
        for (int i = 0; i < block.Length; i++) block[i] = all[i];
        return block;
    }

    private static double[] Multiply(double[] w, double[] v, bool transpose)
    {
        var result = new double[H];
        for (int r = 0; r < H; r++)
            for (int c = 0; c < H; c++)
                result[transpose ? c : r] += w[r * H + c] * v[transpose ? r : c];
        return result;
    }

    private static double Norm(double[] v)
    {
        double sum = 0;
        foreach (double x in v) sum += x * x;
        return Math.Sqrt(sum);
    }

    private static double SigmaMax(double[] w)
    {
        var v = new double[H];
        for (int i = 0; i < H; i++) v[i] = 1 + 0.01 * i;
        double sigma = 0;
        for (int iteration = 0; iteration < 300; iteration++)
        {
            double[] u = Multiply(w, Multiply(w, v, transpose: false), transpose: true);
            double norm = Norm(u);
            sigma = Math.Sqrt(norm / Norm(v));
            for (int i = 0; i < H; i++) v[i] = u[i] / norm;
        }
        return sigma;
    }

    private static double SpectralRadius(double[] w)
    {
        const int K = 400;
        var v = new double[H];
        for (int i = 0; i < H; i++) v[i] = Math.Sin(i + 1);
        double logGrowth = 0, start = Norm(v);
        for (int i = 0; i < H; i++) v[i] /= start;
        for (int k = 0; k < K; k++)
        {
            v = Multiply(w, v, transpose: false);
            double norm = Norm(v);
            logGrowth += Math.Log(norm);
            for (int i = 0; i < H; i++) v[i] /= norm;
        }
        return Math.Exp(logGrowth / K);
    }

    [Theory]
    [InlineData(0, 1f, 2)]    // Uniform, Rnn
    [InlineData(0, 0.5f, 2)]
    [InlineData(1, 1f, 2)]    // XavierUniform, Rnn
    [InlineData(1, 1f, 0)]    // XavierUniform, Lstm
    [InlineData(2, 1.5f, 2)]  // Orthogonal
    [InlineData(3, 1.2f, 2)]  // Identity
    public void ClosedFormsMatchTheRuntimeInitialisers(int initKind, float gain, int layerKind)
    {
        var init = (InitKind)initKind;
        var kind = (LayerKind)layerKind;
        LayerSpec layer = Rnn(init, gain, kind);
        var spectrum = RecurrentSpectrum.Of(layer);
        double[] w = Draw(init, gain, layer.Gates, seed: 5);
        double sigma = SigmaMax(w), rho = SpectralRadius(w);
        // Random matrices at H = 192: the asymptotic laws hold to a few percent; the estimate of rho
        // from 400 powers converges from below.
        Assert.InRange(sigma / spectrum.SigmaMax, 0.93, 1.05);
        Assert.InRange(rho / spectrum.Rho, 0.88, 1.05);
    }

    [Fact]
    public void PyTorchDefaultNumbersFromTheNotes()
    {
        var spectrum = RecurrentSpectrum.Of(Rnn(InitKind.Uniform, 1f));
        Assert.Equal(0.577, spectrum.Rho, 3);
        Assert.Equal(1.155, spectrum.SigmaMax, 3);
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(0.57735, "0.577")]
    [InlineData(1.1547, "1.15")]
    [InlineData(31.948, "31.9")]
    [InlineData(4849.45, "4849")]
    [InlineData(123456.0, "1.2e5")]
    [InlineData(2.41e-24, "2.4e-24")]
    [InlineData(-0.25, "-0.25")]
    [InlineData(9.96e-8, "1e-7")]
    public void NumbersPrintWithAboutThreeDigits(double value, string expected) => Assert.Equal(expected, Numbers.Format(value));

    [Fact]
    public void PowersBeyondDoubleRangeStillPrint()
    {
        // 0.25^1000 = 10^(1000 log10 0.25) = 10^-602.06 = 8.7e-603, below double's smallest value.
        Assert.Equal("8.7e-603", Numbers.Power(0.25, 1000));
        Assert.Equal("0.125", Numbers.Power(0.5, 3));
    }

    [Fact]
    public void MemoryHorizonIsTheEFoldingTimeOfTheForgetGate()
    {
        // sigma(1) = 0.7311, -1/ln 0.7311 = 3.192; sigma(0) = 0.5, -1/ln 0.5 = 1.4427.
        Assert.Equal(3.192, RecurrentSpectrum.MemoryHorizon(1), 3);
        Assert.Equal(1.4427, RecurrentSpectrum.MemoryHorizon(0), 4);
        Assert.True(double.IsPositiveInfinity(RecurrentSpectrum.MemoryHorizon(100)));
    }
}
