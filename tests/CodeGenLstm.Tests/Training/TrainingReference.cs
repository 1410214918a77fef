using System;

namespace CodeGenLstm.Tests.Training;

/// <summary>
/// Double-precision implementations of the torch.optim update rules, written from the equations in the
/// PyTorch documentation (the "Algorithm" boxes of SGD, Adam, AdamW and RMSprop), independently of the
/// library's kernels: no vectors, no shared code, every scalar in double.
/// </summary>
internal interface IReferenceOptimizer
{
    void Step(double[] theta, float[] gradient);
}

/// <summary>torch.optim.SGD, dampening 0: b_1 = g_1, b_t = mu b_{t-1} + g_t; nesterov: g_t + mu b_t.</summary>
internal sealed class ReferenceSgd(int n, double lr, double momentum, bool nesterov, double weightDecay) : IReferenceOptimizer
{
    private readonly double[] b = new double[n];
    private int t;

    public void Step(double[] theta, float[] gradient)
    {
        t++;
        for (int i = 0; i < theta.Length; i++)
        {
            double g = gradient[i];
            if (weightDecay != 0)
                g += weightDecay * theta[i];
            if (momentum != 0)
            {
                b[i] = t > 1 ? momentum * b[i] + g : g;
                g = nesterov ? g + momentum * b[i] : b[i];
            }
            theta[i] -= lr * g;
        }
    }
}

/// <summary>
/// torch.optim.Adam / AdamW: m = b1 m + (1-b1) g, v = b2 v + (1-b2) g², m̂ = m / (1-b1^t),
/// v̂ = v / (1-b2^t), theta -= lr m̂ / (sqrt(v̂) + eps); L2 adds wd theta to g, AdamW first multiplies
/// theta by 1 - lr wd.
/// </summary>
internal sealed class ReferenceAdam(int n, double lr, double beta1, double beta2, double eps, double weightDecay, bool decoupled)
    : IReferenceOptimizer
{
    private readonly double[] m = new double[n];
    private readonly double[] v = new double[n];
    private int t;

    public void Step(double[] theta, float[] gradient)
    {
        t++;
        for (int i = 0; i < theta.Length; i++)
        {
            double g = gradient[i];
            if (decoupled)
                theta[i] -= lr * weightDecay * theta[i];
            else if (weightDecay != 0)
                g += weightDecay * theta[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            double mHat = m[i] / (1 - Math.Pow(beta1, t));
            double vHat = v[i] / (1 - Math.Pow(beta2, t));
            theta[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
        }
    }
}

/// <summary>
/// torch.optim.RMSprop: v = a v + (1-a) g²; centered: gAve = a gAve + (1-a) g, ṽ = v - gAve²;
/// momentum: b = mu b + g / (sqrt(ṽ) + eps), theta -= lr b; else theta -= lr g / (sqrt(ṽ) + eps).
/// </summary>
internal sealed class ReferenceRmsProp(int n, double lr, double alpha, double eps, double weightDecay, double momentum, bool centered)
    : IReferenceOptimizer
{
    private readonly double[] v = new double[n];
    private readonly double[] gAve = new double[n];
    private readonly double[] b = new double[n];

    public void Step(double[] theta, float[] gradient)
    {
        for (int i = 0; i < theta.Length; i++)
        {
            double g = gradient[i];
            if (weightDecay != 0)
                g += weightDecay * theta[i];
            v[i] = alpha * v[i] + (1 - alpha) * g * g;
            double vTilde = v[i];
            if (centered)
            {
                gAve[i] = alpha * gAve[i] + (1 - alpha) * g;
                vTilde -= gAve[i] * gAve[i];
            }
            double denom = Math.Sqrt(vTilde) + eps;
            if (momentum > 0)
            {
                b[i] = momentum * b[i] + g / denom;
                theta[i] -= lr * b[i];
            }
            else
            {
                theta[i] -= lr * g / denom;
            }
        }
    }
}

/// <summary>Random data and comparisons shared by the training tests.</summary>
internal static class TrainingTestData
{
    /// <summary>Sizes that are not multiples of 16: pure scalar tails, and each vector width's main loop plus a tail.</summary>
    public static readonly int[] OddSizes = [1, 7, 15, 17, 33, 1000];

    public static float[] Uniform(int n, float scale, int seed)
    {
        var random = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++)
            x[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        return x;
    }

    public static double[] ToDouble(float[] x) => Array.ConvertAll(x, v => (double)v);

    /// <summary>Asserts |actual - expected| &lt;= abs + rel |expected| elementwise, naming the first failure.</summary>
    public static void Close(double[] expected, ReadOnlySpan<float> actual, double abs, double rel, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tol = abs + rel * Math.Abs(expected[i]);
            if (!(Math.Abs(actual[i] - expected[i]) <= tol))
                Assert.Fail($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tol:G3}).");
        }
    }

    public static void Close(double expected, double actual, double abs, double rel, string what)
    {
        double tol = abs + rel * Math.Abs(expected);
        if (!(Math.Abs(actual - expected) <= tol))
            Assert.Fail($"{what}: expected {expected:R}, got {actual:R} (tolerance {tol:G3}).");
    }

    /// <summary>Bitwise equality of two float sequences (NaN-safe, distinguishes -0 from +0).</summary>
    public static void BitEqual(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (bitwise).");
        }
    }

    /// <summary>Central differences (f(x+h) - f(x-h)) / (x+h - (x-h)) in double, one coordinate at a time.</summary>
    public static double[] CentralDifferences(Func<double[], double> f, double[] x, double h)
    {
        var g = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double xi = x[i];
            double up = xi + h, down = xi - h;
            x[i] = up;
            double fUp = f(x);
            x[i] = down;
            double fDown = f(x);
            x[i] = xi;
            g[i] = (fUp - fDown) / (up - down);
        }
        return g;
    }
}
