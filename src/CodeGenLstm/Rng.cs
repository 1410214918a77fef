using System;

namespace CodeGenLstm;

/// <summary>
/// A small, fast, seedable random generator (xoshiro256**, seeded through SplitMix64) whose stream is
/// the same on every platform and .NET version, unlike <see cref="Random"/>'s unseeded algorithm
/// choice. Generated models draw their initial weights and dropout masks from it, so a seed fully
/// determines a model.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator whose stream is determined by <paramref name="seed"/>.</summary>
    public Rng(long seed)
    {
        ulong x = unchecked((ulong)seed);
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    /// <summary>A float uniform in [0, 1), with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>A double uniform in [0, 1), with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A float uniform in [low, high).</summary>
    public float Uniform(float low, float high) => low + (high - low) * NextFloat();

    /// <summary>An integer uniform in [0, count).</summary>
    public int NextInt(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return (int)((NextUInt64() >> 33) % (ulong)count);
    }

    /// <summary>A standard normal sample (Box-Muller, computed in double).</summary>
    public double NextNormal()
    {
        double u1 = 1.0 - NextDouble();   // (0, 1]: the logarithm stays finite
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
