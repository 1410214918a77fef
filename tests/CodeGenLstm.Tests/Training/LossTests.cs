using System;
using System.Linq;
using static CodeGenLstm.Tests.Training.TrainingTestData;

namespace CodeGenLstm.Tests.Training;

/// <summary>
/// Cross-entropy, mean squared error and accuracy against double computations written here from the
/// formulas, gradients against central finite differences of those formulas, and the edge cases.
/// </summary>
[Trait("Category", "Numerical")]
public sealed class LossTests
{
    /// <summary>Mean over counted rows of logsumexp(row) - row[target], all in double.</summary>
    private static double CrossEntropy(double[] logits, int[] targets, int classes, int ignoreIndex = -100)
    {
        double total = 0;
        int count = 0;
        for (int r = 0; r < targets.Length; r++)
        {
            if (targets[r] == ignoreIndex)
                continue;
            double max = double.NegativeInfinity;
            for (int j = 0; j < classes; j++)
                max = Math.Max(max, logits[r * classes + j]);
            double sum = 0;
            for (int j = 0; j < classes; j++)
                sum += Math.Exp(logits[r * classes + j] - max);
            total += max + Math.Log(sum) - logits[r * classes + targets[r]];
            count++;
        }
        return count == 0 ? 0 : total / count;
    }

    /// <summary>(softmax - onehot) / count for counted rows, 0 for ignored rows, in double.</summary>
    private static double[] CrossEntropyGradient(double[] logits, int[] targets, int classes, int ignoreIndex = -100)
    {
        var g = new double[logits.Length];
        int count = targets.Count(t => t != ignoreIndex);
        for (int r = 0; r < targets.Length; r++)
        {
            if (targets[r] == ignoreIndex)
                continue;
            double max = logits.Skip(r * classes).Take(classes).Max();
            double sum = 0;
            for (int j = 0; j < classes; j++)
                sum += Math.Exp(logits[r * classes + j] - max);
            for (int j = 0; j < classes; j++)
                g[r * classes + j] = (Math.Exp(logits[r * classes + j] - max) / sum - (j == targets[r] ? 1 : 0)) / count;
        }
        return g;
    }

    private static int[] Targets(int rows, int classes, int seed, double ignoredFraction = 0)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows)
                         .Select(_ => random.NextDouble() < ignoredFraction ? -100 : random.Next(classes))
                         .ToArray();
    }

    public static TheoryData<int, int> Shapes() => new()
    {
        { 1, 1 }, { 1, 7 }, { 7, 3 }, { 33, 17 }, { 5, 33 }, { 3, 1000 }, { 40, 65 },
    };

    /// <summary>
    /// Loss tolerance: each row's loss is (max - x_t) + log(sum) with the sum of float exponentials
    /// (relative error a few 1e-7), so the loss is within ~1e-6 absolute of the double value.
    /// Gradient tolerance: every entry is p / count with p in [0, 1], computed to a few float ulps, so
    /// 2e-6 / count bounds the error with margin; a wrong scale or a missing subtraction is off by
    /// O(1 / count).
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void CrossEntropyMatchesDoubleAndFiniteDifferences(int rows, int classes)
    {
        float[] logits = Uniform(rows * classes, 4f, rows * 1000 + classes);
        int[] targets = Targets(rows, classes, classes, ignoredFraction: rows > 1 ? 0.2 : 0);
        int count = targets.Count(t => t != -100);
        double[] x = ToDouble(logits);
        var gradient = new float[logits.Length];

        float loss = Loss.SoftmaxCrossEntropy(logits, targets, classes, gradient);

        Close(CrossEntropy(x, targets, classes), loss, 1e-6, 1e-6, "loss");
        Close(CrossEntropyGradient(x, targets, classes), gradient, 2e-6 / count, 0, "analytic gradient");
        // Central differences of the double loss formula: with h = 1e-4 the truncation error is
        // O(h² f''') < 1e-8 / count and the cancellation error ~1e-16 / 1e-4, far below the tolerance.
        double[] numeric = CentralDifferences(v => CrossEntropy(v, targets, classes), x, 1e-4);
        Close(numeric, gradient, 2e-6 / count, 0, "finite-difference gradient");

        // The loss alone, without a gradient span, is the same number.
        Assert.Equal(loss, Loss.SoftmaxCrossEntropy(logits, targets, classes, []));
    }

    [Fact]
    public void CrossEntropyHandComputed()
    {
        // Two equal logits: softmax 1/2 each, loss ln 2, gradient (1/2 - 1, 1/2).
        float[] g = new float[2];
        Close(Math.Log(2), Loss.SoftmaxCrossEntropy([3f, 3f], [0], 2, g), 1e-7, 0, "ln 2");
        Assert.Equal([-0.5f, 0.5f], g);

        // Logits (0, ln 3): softmax (1/4, 3/4); target 1 -> -ln(3/4); the mean over two rows halves the gradient.
        g = new float[4];
        float loss = Loss.SoftmaxCrossEntropy([0f, (float)Math.Log(3), 0f, (float)Math.Log(3)], [1, 0], 2, g);
        Close((-Math.Log(0.75) - Math.Log(0.25)) / 2, loss, 1e-6, 0, "two rows");
        Close([0.125, -0.125, -0.375, 0.375], g, 1e-7, 0, "two-row gradient");
    }

    [Fact]
    public void CrossEntropyIgnoresRows()
    {
        const int classes = 33;
        float[] logits = Uniform(6 * classes, 3f, 42);
        int[] targets = [5, -100, 32, -100, 0, 7];
        var gradient = new float[logits.Length];
        Array.Fill(gradient, 9f); // ignored rows must be written to zero, not left alone
        float loss = Loss.SoftmaxCrossEntropy(logits, targets, classes, gradient);

        // The same as the loss over the counted rows only.
        int[] kept = [0, 2, 4, 5];
        float[] keptLogits = kept.SelectMany(r => logits.Skip(r * classes).Take(classes)).ToArray();
        int[] keptTargets = kept.Select(r => targets[r]).ToArray();
        Close(CrossEntropy(ToDouble(keptLogits), keptTargets, classes), loss, 1e-6, 1e-6, "loss over counted rows");
        Close(CrossEntropyGradient(ToDouble(logits), targets, classes), gradient, 2e-6 / 4, 0, "gradient");
        Assert.All(gradient.Skip(1 * classes).Take(classes), v => Assert.Equal(0f, v));
        Assert.All(gradient.Skip(3 * classes).Take(classes), v => Assert.Equal(0f, v));

        // A custom ignore index inside the class range ignores that class, as PyTorch.
        int[] zeroIgnored = [0, 1, 0];
        float[] small = Uniform(3 * 4, 1f, 7);
        Close(CrossEntropy(ToDouble(small), zeroIgnored, 4, ignoreIndex: 0),
              Loss.SoftmaxCrossEntropy(small, zeroIgnored, 4, [], ignoreIndex: 0), 1e-6, 1e-6, "ignore 0");
    }

    [Fact]
    public void CrossEntropyWithEveryRowIgnoredIsZero()
    {
        var gradient = new float[3 * 5];
        Array.Fill(gradient, 1f);
        Assert.Equal(0f, Loss.SoftmaxCrossEntropy(Uniform(15, 1f, 1), [-100, -100, -100], 5, gradient));
        Assert.All(gradient, v => Assert.Equal(0f, v));
        Assert.Equal(0f, Loss.SoftmaxCrossEntropy([], [], 5, []));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(33)]
    public void CrossEntropyStaysFiniteForLargeLogits(int classes)
    {
        // Row 0: 1000 at the target, -1000 elsewhere: loss 0. Row 1: target at -1000 against a 1000: loss 2000.
        var logits = new float[2 * classes];
        Array.Fill(logits, -1000f);
        logits[0] = 1000f;
        logits[classes] = 1000f;
        int[] targets = [0, classes - 1];
        var gradient = new float[logits.Length];
        float loss = Loss.SoftmaxCrossEntropy(logits, targets, classes, gradient);
        Assert.Equal(1000f, loss); // (0 + 2000) / 2
        Assert.All(gradient, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(0f, gradient[0]);          // softmax 1 minus onehot 1
        Assert.Equal(0.5f, gradient[classes]); // (1 - 0) / 2
        Assert.Equal(-0.5f, gradient[2 * classes - 1]);
        Close(CrossEntropyGradient(ToDouble(logits), targets, classes), gradient, 1e-7, 0, "large-logit gradient");
    }

    [Fact]
    public void CrossEntropyChecksArgumentsBeforeWriting()
    {
        float[] logits = new float[4 * 3];
        var gradient = new float[12];
        Array.Fill(gradient, 5f);

        ArgumentException e = Assert.Throws<ArgumentException>(() => Loss.SoftmaxCrossEntropy(logits, [0, 1, 2, 3], 3, gradient));
        Assert.Equal("targets", e.ParamName);
        Assert.Contains("targets[3]", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => Loss.SoftmaxCrossEntropy(logits, [0, -1, 2, 0], 3, gradient));
        Assert.Contains("targets[1]", e.Message, StringComparison.Ordinal);
        Assert.All(gradient, v => Assert.Equal(5f, v));

        e = Assert.Throws<ArgumentException>(() => Loss.SoftmaxCrossEntropy(logits.AsSpan(1), [0, 1, 2, 0], 3, gradient));
        Assert.Equal("logits", e.ParamName);
        Assert.Contains("12", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => Loss.SoftmaxCrossEntropy(logits, [0, 1, 2], 3, gradient));
        Assert.Equal("logits", e.ParamName);
        Assert.Contains("9", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => Loss.SoftmaxCrossEntropy(logits, [0, 1, 2, 0], 3, gradient.AsSpan(1)));
        Assert.Equal("logitsGradient", e.ParamName);
        Assert.Contains("12", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Loss.SoftmaxCrossEntropy(logits, [], 0, []));
        Assert.All(gradient, v => Assert.Equal(5f, v));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(65)]
    public void InPlaceGradientsMatch(int classes)
    {
        float[] logits = Uniform(9 * classes, 3f, classes);
        int[] targets = Targets(9, classes, 3, ignoredFraction: 0.3);
        var gradient = new float[logits.Length];
        float loss = Loss.SoftmaxCrossEntropy(logits, targets, classes, gradient);
        float[] inPlace = logits.ToArray();
        Assert.Equal(loss, Loss.SoftmaxCrossEntropy(inPlace, targets, classes, inPlace));
        BitEqual(gradient, inPlace, "cross-entropy in place");

        float[] p = Uniform(33, 1f, 1), t = Uniform(33, 1f, 2), g = new float[33];
        float mse = Loss.MeanSquaredError(p, t, g);
        float[] q = p.ToArray();
        Assert.Equal(mse, Loss.MeanSquaredError(q, t, q));
        BitEqual(g, q, "mse in place");
    }

    [Fact]
    public void CrossEntropyPropagatesNaN()
    {
        float[] logits = Uniform(2 * 33, 1f, 3);
        logits[40] = float.NaN;
        Assert.True(float.IsNaN(Loss.SoftmaxCrossEntropy(logits, [1, 2], 33, [])));
    }

    // ---------------------------------------------------------------- mean squared error

    [Fact]
    public void MeanSquaredErrorMatchesDoubleAndFiniteDifferences()
    {
        foreach (int n in OddSizes)
        {
            float[] p = Uniform(n, 3f, n), t = Uniform(n, 3f, n + 1);
            var gradient = new float[n];
            float loss = Loss.MeanSquaredError(p, t, gradient);

            double Mse(double[] q)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                    s += (q[i] - t[i]) * (q[i] - t[i]);
                return s / n;
            }
            double[] x = ToDouble(p);
            // Each p - t is rounded once in float (6e-8 relative), the sum is kept in double.
            Close(Mse(x), loss, 0, 3e-7, $"mse n={n}");
            double[] analytic = x.Select((v, i) => 2 * (v - t[i]) / n).ToArray();
            Close(analytic, gradient, 1e-12, 3e-7, $"mse gradient n={n}");
            // The loss is quadratic, so central differences are exact up to cancellation (~1e-16 * 10 / 1e-3).
            double[] numeric = CentralDifferences(Mse, x, 1e-3);
            Close(numeric, gradient, 1e-10, 3e-7, $"mse finite differences n={n}");
            Assert.Equal(loss, Loss.MeanSquaredError(p, t, []));
        }
    }

    [Fact]
    public void MeanSquaredErrorHandComputedAndEdgeCases()
    {
        float[] g = new float[2];
        Assert.Equal(12.5f, Loss.MeanSquaredError([1f, 2f], [4f, -2f], g)); // (9 + 16) / 2
        Assert.Equal([-3f, 4f], g); // 2 (p - t) / 2
        Assert.Equal(0f, Loss.MeanSquaredError([], [], []));

        ArgumentException e = Assert.Throws<ArgumentException>(() => Loss.MeanSquaredError(new float[3], new float[4], []));
        Assert.Equal("targets", e.ParamName);
        Assert.Contains("3", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => Loss.MeanSquaredError(new float[3], new float[3], new float[2]));
        Assert.Equal("gradient", e.ParamName);
        Assert.Contains("3", e.Message, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- accuracy

    [Fact]
    public void AccuracyCountsArgmaxHits()
    {
        float[] logits =
        [
            0f, 5f, 1f,   // argmax 1, target 1: hit
            2f, 2f, 0f,   // tie: the first (0) is the argmax, target 1: miss
            9f, 0f, 0f,   // ignored
            0f, 0f, 1f,   // argmax 2, target 2: hit
            float.NaN, 0f, 1f, // NaN: miss
        ];
        Assert.Equal(0.5f, Loss.Accuracy(logits, [1, 1, -100, 2, 2], 3));
        Assert.Equal(2f / 3, Loss.Accuracy(logits.AsSpan(0, 12), [1, 0, -100, 1], 3)); // hit, tie hit, ignored, miss
        Assert.Equal(0f, Loss.Accuracy(logits.AsSpan(0, 3), [-100], 3));
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => Loss.Accuracy(logits.AsSpan(0, 3), [3], 3)).ParamName);
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => Loss.Accuracy(logits, [1], 3)).ParamName);
    }
}
