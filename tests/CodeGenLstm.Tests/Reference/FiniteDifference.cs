using System;
using System.Collections.Generic;

namespace CodeGenLstm.Tests.Reference;

/// <summary>Central finite differences, the gradient oracle for the generated backward passes.</summary>
public static class FiniteDifference
{
    /// <summary>
    /// (f(x + h e_i) - f(x - h e_i)) / (2h) for every i. <paramref name="x"/> is perturbed in place, one entry at a time,
    /// and restored exactly afterwards (also when <paramref name="f"/> throws). The divisor is the step actually
    /// taken, (x_i + h) - (x_i - h), which removes the rounding of x_i +- h from the quotient.
    /// </summary>
    public static double[] Gradient(Func<double[], double> f, double[] x, double h = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(x);
        var all = new int[x.Length];
        for (int i = 0; i < all.Length; i++)
            all[i] = i;
        return Gradient(f, x, all, h);
    }

    /// <summary>The same for the entries <paramref name="indices"/> only; result[j] is the derivative along x[indices[j]].</summary>
    public static double[] Gradient(Func<double[], double> f, double[] x, IReadOnlyList<int> indices, double h = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(indices);
        if (!(h > 0) || double.IsInfinity(h))
            throw new ArgumentException("The step must be positive and finite.", nameof(h));
        var g = new double[indices.Count];
        for (int j = 0; j < indices.Count; j++)
        {
            int i = indices[j];
            double xi = x[i];
            try
            {
                double up = xi + h, down = xi - h;
                x[i] = up;
                double fUp = f(x);
                x[i] = down;
                double fDown = f(x);
                g[j] = (fUp - fDown) / (up - down);
            }
            finally
            {
                x[i] = xi;
            }
        }
        return g;
    }
}

/// <summary>Small helpers for tests that compare generated float models with the reference.</summary>
public static class ReferenceMath
{
    /// <summary>Uniform values in [-scale, scale), reproducible from <paramref name="seed"/> (System.Random).</summary>
    public static double[] RandomVector(int n, int seed, double scale)
    {
        var random = new Random(seed);
        var v = new double[n];
        for (int i = 0; i < n; i++)
            v[i] = (2 * random.NextDouble() - 1) * scale;
        return v;
    }

    /// <summary>Uniform token ids in 0..vocabulary-1, reproducible from <paramref name="seed"/>.</summary>
    public static int[] RandomTokens(int n, int seed, int vocabulary)
    {
        var random = new Random(seed);
        var v = new int[n];
        for (int i = 0; i < n; i++)
            v[i] = random.Next(vocabulary);
        return v;
    }

    /// <summary>float -> double, exactly.</summary>
    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var d = new double[values.Length];
        for (int i = 0; i < d.Length; i++)
            d[i] = values[i];
        return d;
    }

    /// <summary>double -> float (rounded to nearest), e.g. to feed the reference's random inputs to a generated model.</summary>
    public static float[] ToFloat(ReadOnlySpan<double> values)
    {
        var f = new float[values.Length];
        for (int i = 0; i < f.Length; i++)
            f[i] = (float)values[i];
        return f;
    }

    /// <summary>max_i |actual_i - expected_i|; the lengths must match.</summary>
    public static double MaxAbsDifference(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected)
    {
        if (actual.Length != expected.Length)
            throw new ArgumentException($"Lengths differ: {actual.Length} vs {expected.Length}.", nameof(actual));
        double m = 0;
        for (int i = 0; i < actual.Length; i++)
            m = Math.Max(m, Math.Abs(actual[i] - expected[i]));
        return m;
    }
}
