using System;
using System.Runtime.CompilerServices;

namespace CodeGenLstm;

/// <summary>
/// Dropout masks drawn from a counter-based hash rather than a sequential generator: element e of
/// the mask at dropout site s in training call c of a model seeded with k is a pure function of
/// (k, c, s, e). So masks do not depend on how work is split across threads, and a test can
/// reproduce exactly the mask a model used.
/// </summary>
public static class DropoutMask
{
    /// <summary>
    /// Fills <paramref name="mask"/> with 0 (dropped, probability <paramref name="probability"/>) or
    /// 1 / (1 - probability) (kept), PyTorch's inverted dropout.
    /// </summary>
    /// <param name="mask">The mask to fill, one entry per element of the activations it scales.</param>
    /// <param name="seed">The model's seed.</param>
    /// <param name="call">Which training call of the model this is (0 for the first).</param>
    /// <param name="site">Which dropout site of the model (stacked layers are numbered from 0 in declaration order).</param>
    /// <param name="probability">The drop probability, in [0, 1).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fill(Span<float> mask, long seed, long call, int site, float probability)
    {
        if (!(probability >= 0f && probability < 1f))
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "A dropout probability is in [0, 1).");
        float keepScale = 1f / (1f - probability);
        ulong stream = Mix(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)call * 0xC2B2AE3D27D4EB4FUL ^ (ulong)(uint)site * 0x165667B19E3779F9UL));
        for (int e = 0; e < mask.Length; e++)
        {
            // 24 uniform bits, as Rng.NextFloat: u in [0, 1); the element is kept when u >= p.
            float u = (Mix(stream + (ulong)e) >> 40) * (1f / (1 << 24));
            mask[e] = u >= probability ? keepScale : 0f;
        }
    }

    // SplitMix64's finaliser: a bijection on 64 bits whose output bits each depend on every input bit.
    private static ulong Mix(ulong z)
    {
        z = unchecked(z + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
