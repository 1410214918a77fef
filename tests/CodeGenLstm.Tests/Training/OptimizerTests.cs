using System;
using System.Collections.Generic;
using System.Linq;
using static CodeGenLstm.Tests.Training.TrainingTestData;

namespace CodeGenLstm.Tests.Training;

/// <summary>
/// The optimizers against double-precision implementations of PyTorch's published update rules,
/// hand-computed first steps, exact resume through ExportState / ImportState, and argument checks.
/// </summary>
[Trait("Category", "Numerical")]
public sealed class OptimizerTests
{
    private const int Steps = 20;

    public static TheoryData<string> Configurations() =>
    [
        "sgd", "sgd-wd", "sgd-momentum", "sgd-nesterov-wd",
        "adam", "adam-wd", "adam-beta", "adamw", "adamw-lr-change",
        "rmsprop", "rmsprop-momentum", "rmsprop-centered-wd", "rmsprop-centered-momentum",
    ];

    /// <summary>The library optimizer and the double reference for one named configuration.</summary>
    private static (IOptimizer Optimizer, IReferenceOptimizer Reference) Create(string name, int n) => name switch
    {
        "sgd" => (new Sgd(n, 0.1f), new ReferenceSgd(n, 0.1f, 0, false, 0)),
        "sgd-wd" => (new Sgd(n, 0.05f, weightDecay: 0.1f), new ReferenceSgd(n, 0.05f, 0, false, 0.1f)),
        "sgd-momentum" => (new Sgd(n, 0.05f, momentum: 0.9f), new ReferenceSgd(n, 0.05f, 0.9f, false, 0)),
        "sgd-nesterov-wd" => (new Sgd(n, 0.02f, 0.9f, nesterov: true, weightDecay: 1e-2f),
                              new ReferenceSgd(n, 0.02f, 0.9f, true, 1e-2f)),
        "adam" => (new Adam(n, 1e-2f), new ReferenceAdam(n, 1e-2f, 0.9f, 0.999f, 1e-8f, 0, false)),
        "adam-wd" => (new Adam(n, 1e-2f, weightDecay: 0.1f), new ReferenceAdam(n, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.1f, false)),
        "adam-beta" => (new Adam(n, 3e-3f, 0.5f, 0.9f, 1e-6f), new ReferenceAdam(n, 3e-3f, 0.5f, 0.9f, 1e-6f, 0, false)),
        "adamw" or "adamw-lr-change" => (new AdamW(n, 1e-2f), new ReferenceAdam(n, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.01f, true)),
        "rmsprop" => (new RmsProp(n, 1e-3f), new ReferenceRmsProp(n, 1e-3f, 0.99f, 1e-8f, 0, 0, false)),
        "rmsprop-momentum" => (new RmsProp(n, 1e-3f, momentum: 0.9f), new ReferenceRmsProp(n, 1e-3f, 0.99f, 1e-8f, 0, 0.9f, false)),
        "rmsprop-centered-wd" => (new RmsProp(n, 1e-3f, alpha: 0.9f, weightDecay: 0.1f, centered: true),
                                  new ReferenceRmsProp(n, 1e-3f, 0.9f, 1e-8f, 0.1f, 0, true)),
        "rmsprop-centered-momentum" => (new RmsProp(n, 1e-3f, momentum: 0.5f, centered: true),
                                        new ReferenceRmsProp(n, 1e-3f, 0.99f, 1e-8f, 0, 0.5f, true)),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>
    /// 20 steps over a few hundred parameters (and a few odd sizes, so that every vector width's tail
    /// runs) with fresh random gradients each step, against the double reference fed the same float
    /// gradients.
    /// Tolerance: the parameters are O(1), so each float step rounds p by about 6e-8, and the update
    /// itself (a handful of float operations on O(lr) quantities) by a few ulps of lr; over 20 steps
    /// that is below 2e-6. 1e-5 absolute plus 1e-5 relative leaves margin yet catches any wrong
    /// coefficient (a mistaken bias correction, momentum or decay changes the result by at least
    /// 1e-4 here, since every update is at least lr * 1e-2 in size).
    /// </summary>
    [Theory]
    [MemberData(nameof(Configurations))]
    public void MatchesDoubleReference(string name)
    {
        foreach (int n in new[] { 1, 7, 33, 301 })
        {
            (IOptimizer optimizer, IReferenceOptimizer reference) = Create(name, n);
            float[] p = Uniform(n, 1f, seed: n);
            double[] expected = ToDouble(p);
            for (int step = 0; step < Steps; step++)
            {
                if (name == "adamw-lr-change" && step == 10)
                {
                    // A schedule halves the rate half-way; the reference gets a fresh twin carrying the same moments.
                    optimizer.LearningRate = 5e-3f;
                    reference = new LrChangedAdamW(reference, 5e-3f, 1e-2f);
                }
                float[] g = Uniform(n, 1f, seed: 1000 * n + step);
                optimizer.Step(p, g);
                reference.Step(expected, g);
            }
            Assert.Equal(Steps, optimizer.StepCount);
            Close(expected, p, 1e-5, 1e-5, $"{name} n={n}");
        }
    }

    /// <summary>
    /// AdamW with a learning rate changed between steps: the decay is p *= 1 - lr wd with the current
    /// rate, so the reference scales the update ratio and the decay by the new rate.
    /// </summary>
    private sealed class LrChangedAdamW(IReferenceOptimizer inner, double newLr, double oldLr) : IReferenceOptimizer
    {
        public void Step(double[] theta, float[] gradient)
        {
            // The reference was built with oldLr. Both its decay and its update are linear in lr, so run it
            // on a copy, and rescale the change it makes by newLr / oldLr.
            double[] before = (double[])theta.Clone();
            inner.Step(theta, gradient);
            for (int i = 0; i < theta.Length; i++)
                theta[i] = before[i] + (theta[i] - before[i]) * (newLr / oldLr);
        }
    }

    // ---------------------------------------------------------------- hand-computed steps

    [Fact]
    public void Sgd_HandComputed()
    {
        // Plain: p = 1 - 0.1 * 0.5 = 0.95.
        float[] p = [1f];
        new Sgd(1, 0.1f).Step(p, [0.5f]);
        Assert.Equal(0.95f, p[0], 6);

        // Weight decay only: g' = 0 + 0.1 * 1 = 0.1, p = 1 - 0.5 * 0.1 = 0.95.
        p = [1f];
        new Sgd(1, 0.5f, weightDecay: 0.1f).Step(p, [0f]);
        Assert.Equal(0.95f, p[0], 6);

        // Momentum 0.9, g = 1 twice: buf = 1 (not 0.1: the first buffer is the gradient), p = 0.9;
        // buf = 0.9 + 1 = 1.9, p = 0.9 - 0.19 = 0.71.
        p = [1f];
        var sgd = new Sgd(1, 0.1f, momentum: 0.9f);
        sgd.Step(p, [1f]);
        Assert.Equal(0.9f, p[0], 6);
        sgd.Step(p, [1f]);
        Assert.Equal(0.71f, p[0], 6);

        // Nesterov: direction g + 0.9 buf = 1.9 then 1 + 0.9 * 1.9 = 2.71: p = 0.81, then 0.539.
        p = [1f];
        sgd = new Sgd(1, 0.1f, momentum: 0.9f, nesterov: true);
        sgd.Step(p, [1f]);
        Assert.Equal(0.81f, p[0], 6);
        sgd.Step(p, [1f]);
        Assert.Equal(0.539f, p[0], 6);
    }

    [Fact]
    public void Adam_FirstStepMovesByLearningRateTimesSign()
    {
        // m̂ = g and v̂ = g² after one step, so the update is lr * g / (|g| + 1e-8) ≈ lr * sign(g),
        // whatever |g|; a zero gradient does not move.
        float[] p = [1f, 1f, 1f, 1f, -2f, 0f, 3f];
        float[] g = [0.5f, -3f, 1e-3f, 1e4f, 0.25f, 0f, -7f];
        new Adam(p.Length, learningRate: 0.1f).Step(p, g);
        double[] expected = [0.9, 1.1, 1 - 0.1 * 1e-3 / (1e-3 + 1e-8), 0.9, -2.1, 0, 3.1];
        Close(expected, p, 1e-6, 0, "adam step 1");

        // Second step with the same gradient g = 0.5 on p = 1: m = 0.095, v = 0.0004995 (hand: b1 m + 0.1 g,
        // b2 v + 0.001 g²), m̂ = 0.095 / 0.19 = 0.5, v̂ = 0.0004995 / 0.001999 = 0.25 -> again lr.
        p = [1f];
        var adam = new Adam(1, 0.1f);
        adam.Step(p, [0.5f]);
        adam.Step(p, [0.5f]);
        Assert.Equal(0.8f, p[0], 5);
    }

    [Fact]
    public void Adam_WeightDecayIsL2_AdamW_Decoupled()
    {
        // Adam, L2: g' = 0 + 0.5 * 2 = 1 > 0, so p moves by -lr: 2 - 0.1 = 1.9.
        float[] p = [2f];
        new Adam(1, 0.1f, weightDecay: 0.5f).Step(p, [0f]);
        Assert.Equal(1.9f, p[0], 5);

        // AdamW: p = 2 * (1 - 0.1 * 0.5) = 1.9, then the Adam step of g = 0.5 moves it by -0.1: 1.8.
        p = [2f];
        new AdamW(1, 0.1f, weightDecay: 0.5f).Step(p, [0.5f]);
        Assert.Equal(1.8f, p[0], 5);

        // AdamW with a zero gradient only decays: 2 * 0.95 = 1.9 (m = v = 0, the Adam update is 0).
        p = [2f];
        new AdamW(1, 0.1f, weightDecay: 0.5f).Step(p, [0f]);
        Assert.Equal(1.9f, p[0], 6);

        Assert.Equal(0.01f, new AdamW(1).WeightDecay); // PyTorch's default
    }

    [Fact]
    public void RmsProp_HandComputed()
    {
        // v = 0.01 * 2² = 0.04, sqrt(v) = 0.2: p = 1 - 0.01 * 2 / 0.2 = 0.9 (ten times lr: no bias correction).
        float[] p = [1f];
        new RmsProp(1, 0.01f).Step(p, [2f]);
        Assert.Equal(0.9f, p[0], 5);

        // Centered, alpha 0.5, g = 2: v = 2, gAvg = 1, sqrt(v - gAvg²) = 1: p = 1 - 0.01 * 2 / 1 = 0.98.
        p = [1f];
        new RmsProp(1, 0.01f, alpha: 0.5f, centered: true).Step(p, [2f]);
        Assert.Equal(0.98f, p[0], 5);

        // Momentum 0.5, alpha 0.5, g = 1 twice: v = 0.5, buf = 1/sqrt(0.5) = 1.41421, p = 1 - 0.0141421;
        // v = 0.75, buf = 0.707107 + 1/sqrt(0.75) = 1.861807, p = 0.985858 - 0.0186181 = 0.967240.
        p = [1f];
        var rms = new RmsProp(1, 0.01f, alpha: 0.5f, momentum: 0.5f);
        rms.Step(p, [1f]);
        Assert.Equal(0.985858f, p[0], 5);
        rms.Step(p, [1f]);
        Assert.Equal(0.967240f, p[0], 5);
    }

    // ---------------------------------------------------------------- exact resume

    /// <summary>
    /// k steps, export, import into a fresh optimizer, k more steps: bit-identical parameters and
    /// state to 2k uninterrupted steps.
    /// </summary>
    [Theory]
    [MemberData(nameof(Configurations))]
    public void ResumeIsExact(string name)
    {
        const int n = 333, k = 7;
        (IOptimizer uninterrupted, _) = Create(name, n);
        float[] pA = Uniform(n, 1f, 5);
        for (int step = 0; step < 2 * k; step++)
            uninterrupted.Step(pA, Uniform(n, 1f, 100 + step));

        (IOptimizer first, _) = Create(name, n);
        float[] pB = Uniform(n, 1f, 5);
        for (int step = 0; step < k; step++)
            first.Step(pB, Uniform(n, 1f, 100 + step));
        // A checkpoint holds copies: later steps of 'first' must not change it.
        IReadOnlyList<NamedTensor> checkpoint = first.ExportState();
        first.Step(pB.ToArray(), Uniform(n, 1f, 999));
        float[] checkpointParameters = pB.ToArray();

        (IOptimizer resumed, _) = Create(name, n);
        resumed.ImportState(checkpoint);
        Assert.Equal(k, resumed.StepCount);
        float[] pC = checkpointParameters;
        for (int step = k; step < 2 * k; step++)
            resumed.Step(pC, Uniform(n, 1f, 100 + step));

        BitEqual(pA, pC, name);
        Assert.Equal(uninterrupted.StepCount, resumed.StepCount);
        IReadOnlyList<NamedTensor> stateA = uninterrupted.ExportState(), stateC = resumed.ExportState();
        Assert.Equal(stateA.Select(t => t.Name), stateC.Select(t => t.Name));
        for (int i = 0; i < stateA.Count; i++)
        {
            Assert.Equal(stateA[i].Shape, stateC[i].Shape);
            BitEqual(stateA[i].Data, stateC[i].Data, stateA[i].Name);
        }
    }

    [Fact]
    public void StateNamesAndShapes()
    {
        Assert.Equal(["adam.exp_avg", "adam.exp_avg_sq", "adam.step"], new Adam(5).ExportState().Select(t => t.Name));
        Assert.Equal(["adamw.exp_avg", "adamw.exp_avg_sq", "adamw.step"], new AdamW(5).ExportState().Select(t => t.Name));
        Assert.Equal(["sgd.step"], new Sgd(5).ExportState().Select(t => t.Name));
        Assert.Equal(["sgd.momentum_buffer", "sgd.step"], new Sgd(5, momentum: 0.9f).ExportState().Select(t => t.Name));
        Assert.Equal(["rmsprop.square_avg", "rmsprop.step"], new RmsProp(5).ExportState().Select(t => t.Name));
        Assert.Equal(["rmsprop.square_avg", "rmsprop.grad_avg", "rmsprop.momentum_buffer", "rmsprop.step"],
                     new RmsProp(5, momentum: 0.9f, centered: true).ExportState().Select(t => t.Name));
        foreach (NamedTensor t in new Adam(5).ExportState())
        {
            int expected = t.Name.EndsWith(".step", StringComparison.Ordinal) ? 2 : 5;
            Assert.Equal([expected], t.Shape);
            Assert.Equal(expected, t.Data.Length);
        }
    }

    [Fact]
    public void StepCountBeyondFloatPrecisionRoundTrips()
    {
        // 2^24 + 1 is the first integer a float cannot hold; the two-half encoding keeps it, and
        // Adam's bias correction after the import uses it.
        long big = (1L << 24) + 1;
        var adam = new Adam(3);
        adam.ImportState([
            new NamedTensor(Adam.ExpAvgName, [3], new float[3]),
            new NamedTensor(Adam.ExpAvgSqName, [3], new float[3]),
            new NamedTensor(Adam.StepName, [2], [1f, 1f]),
        ]);
        Assert.Equal(big, adam.StepCount);
        NamedTensor step = adam.ExportState().Single(t => t.Name == Adam.StepName);
        Assert.Equal([1f, 1f], step.Data);

        // 12345678901 steps = 735 * 2^24 + 14425141.
        var sgd = new Sgd(1);
        sgd.ImportState([new NamedTensor(Sgd.StepName, [2], [735f, 14425141f])]);
        Assert.Equal(12345678901L, sgd.StepCount);
        sgd.Step(new float[1], new float[1]);
        Assert.Equal([735f, 14425142f], sgd.ExportState()[0].Data);
    }

    // ---------------------------------------------------------------- strict import

    public static TheoryData<string, string> BadStates() => new()
    {
        { "missing", "adam.exp_avg_sq" },
        { "extra", "adam.max_exp_avg_sq" },
        { "duplicate", "adam.exp_avg" },
        { "short", "adam.exp_avg" },
        { "shape", "adam.exp_avg_sq" },
        { "step-fraction", "adam.step" },
        { "step-negative", "adam.step" },
        { "step-nan", "adam.step" },
        { "step-one-float", "adam.step" },
        { "step-half-too-big", "adam.step" },
        { "wrong-optimizer", "adamw.exp_avg" },
    };

    [Theory]
    [MemberData(nameof(BadStates))]
    public void ImportIsStrictAndChangesNothingOnError(string kind, string offending)
    {
        const int n = 9;
        var adam = new Adam(n);
        float[] p = Uniform(n, 1f, 1);
        adam.Step(p, Uniform(n, 1f, 2));
        adam.Step(p, Uniform(n, 1f, 3));
        IReadOnlyList<NamedTensor> before = adam.ExportState();

        List<NamedTensor> good =
        [
            new(Adam.ExpAvgName, [n], Uniform(n, 1f, 4)),
            new(Adam.ExpAvgSqName, [n], Uniform(n, 1f, 5)),
            new(Adam.StepName, [2], [0f, 40f]),
        ];
        List<NamedTensor> bad = kind switch
        {
            "missing" => [good[0], good[2]],
            "extra" => [.. good, new("adam.max_exp_avg_sq", [n], new float[n])],
            "duplicate" => [.. good, good[0]],
            "short" => [new(Adam.ExpAvgName, [n - 1], new float[n - 1]), good[1], good[2]],
            "shape" => [good[0], new(Adam.ExpAvgSqName, [3, 3], new float[n]), good[2]],
            "step-fraction" => [good[0], good[1], new(Adam.StepName, [2], [0f, 1.5f])],
            "step-negative" => [good[0], good[1], new(Adam.StepName, [2], [0f, -1f])],
            "step-nan" => [good[0], good[1], new(Adam.StepName, [2], [float.NaN, 1f])],
            "step-one-float" => [good[0], good[1], new(Adam.StepName, [1], [40f])],
            "step-half-too-big" => [good[0], good[1], new(Adam.StepName, [2], [0f, 16777216f])],
            "wrong-optimizer" => [.. new AdamW(n).ExportState()],
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        ArgumentException e = Assert.Throws<ArgumentException>(() => adam.ImportState(bad));
        Assert.Contains(offending, e.Message, StringComparison.Ordinal);

        IReadOnlyList<NamedTensor> after = adam.ExportState();
        Assert.Equal(2, adam.StepCount);
        for (int i = 0; i < before.Count; i++)
            BitEqual(before[i].Data, after[i].Data, before[i].Name);

        adam.ImportState(good); // and the good state imports
        Assert.Equal(40, adam.StepCount);
        BitEqual(good[0].Data, adam.ExportState()[0].Data, "exp_avg");
    }

    [Fact]
    public void ImportChecksTheShapeOfTheConfiguredState()
    {
        // A momentum-free SGD state lacks the buffer that a momentum SGD needs, and the other way round.
        var plain = new Sgd(4);
        var momentum = new Sgd(4, momentum: 0.9f);
        Assert.Contains("sgd.momentum_buffer",
                        Assert.Throws<ArgumentException>(() => momentum.ImportState(plain.ExportState())).Message,
                        StringComparison.Ordinal);
        Assert.Contains("sgd.momentum_buffer",
                        Assert.Throws<ArgumentException>(() => plain.ImportState(momentum.ExportState())).Message,
                        StringComparison.Ordinal);
        // A state sized for another parameter count.
        Assert.Contains("rmsprop.square_avg",
                        Assert.Throws<ArgumentException>(() => new RmsProp(5).ImportState(new RmsProp(4).ExportState())).Message,
                        StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => plain.ImportState(null!));
    }

    [Fact]
    public void ImportedStateIsCopied()
    {
        float[] m = [1f, 2f];
        var adam = new Adam(2);
        adam.ImportState([new(Adam.ExpAvgName, [2], m), new(Adam.ExpAvgSqName, [2], [1f, 1f]), new(Adam.StepName, [2], [0f, 3f])]);
        m[0] = 100f;
        Assert.Equal([1f, 2f], adam.ExportState()[0].Data);
    }

    // ---------------------------------------------------------------- argument checks

    [Fact]
    public void StepChecksLengths()
    {
        foreach (IOptimizer optimizer in new IOptimizer[] { new Sgd(5), new Adam(5), new AdamW(5), new RmsProp(5) })
        {
            ArgumentException e = Assert.Throws<ArgumentException>(() => optimizer.Step(new float[4], new float[5]));
            Assert.Equal("parameters", e.ParamName);
            Assert.Contains("5", e.Message, StringComparison.Ordinal);
            e = Assert.Throws<ArgumentException>(() => optimizer.Step(new float[5], new float[6]));
            Assert.Equal("gradients", e.ParamName);
            Assert.Contains("5", e.Message, StringComparison.Ordinal);
            Assert.Equal(0, optimizer.StepCount);
            Assert.Equal(5, optimizer.ParameterCount);
        }
    }

    [Fact]
    public void ConstructorAndLearningRateChecks()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(3, learningRate: -1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(3, learningRate: float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(3, beta1: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(3, beta2: -0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(3, epsilon: float.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(3, momentum: -0.5f));
        Assert.Throws<ArgumentException>(() => new Sgd(3, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(3, alpha: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(3, weightDecay: -1f));

        var adam = new Adam(3);
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.LearningRate = -1e-3f);
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.LearningRate = float.NaN);
        adam.LearningRate = 0f;
        float[] p = [1f, 2f, 3f];
        adam.Step(p, [1f, 1f, 1f]);
        Assert.Equal([1f, 2f, 3f], p); // a zero rate moves nothing but still counts the step
        Assert.Equal(1, adam.StepCount);
    }

    [Fact]
    public void EmptyParameterVectorIsANoOp()
    {
        foreach (IOptimizer optimizer in new IOptimizer[] { new Sgd(0, momentum: 0.9f), new Adam(0), new AdamW(0), new RmsProp(0, centered: true) })
        {
            optimizer.Step([], []);
            Assert.Equal(1, optimizer.StepCount);
        }
    }
}
