using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CodeGenLstm.Generated;

/// <summary>
/// The check every stage of a generated model makes before it uses its packed weight panels: have its weights
/// changed since the panels were packed from them? Parameters is the only source of truth; the stage keeps a
/// copy of its weights as they were at the last packing and compares them as bytes (exact: -0 against 0 and
/// one NaN payload against another count as changes), the parts of a call each comparing a share. Written once
/// here: the generated model keeps, per stage, the copy, the version and the epoch of its last comparison.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class WeightCheck
{
    /// <summary>Floats in the least share a part compares (4096: 16 KiB, a few hundred nanoseconds).</summary>
    public const int MinimumShare = 4096;

    /// <summary>
    /// Compares <paramref name="weights"/> (the stage's slice of Parameters) with <paramref name="copy"/>, part
    /// <paramref name="part"/> of <paramref name="parts"/> its share; a part that finds a difference refreshes its
    /// share of the copy. Returns the weights' version: <paramref name="version"/> plus one when any part found a
    /// difference, so that every packed panel of the stage is rebuilt. Every part returns the same; part 0 stores
    /// <paramref name="epoch"/> in <paramref name="checkedEpoch"/> once every part has read it (after the barrier),
    /// and the caller records the new version in the same way. Skipped, <paramref name="version"/> returned, when
    /// nothing can have changed the weights since the last comparison: no span of Parameters lent
    /// (<paramref name="lent"/> false) and no import since (<paramref name="checkedEpoch"/> equals
    /// <paramref name="epoch"/>); every part takes the same branch, since both are read once per call.
    /// <paramref name="changed"/> holds one flag per part, shared by the stages of the model: each part writes its own.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]  // as the stages: optimised from the first call
    public static int Compare(ReadOnlySpan<float> weights, float[] copy, ref int checkedEpoch, int version, int epoch, bool lent,
        bool[] changed, int part, int parts, WorkerTeam team)
    {
        if (!lent && checkedEpoch == epoch) return version;
        SharedKernels.Split(weights.Length, MinimumShare, part, parts, out int from, out int to);
        ReadOnlySpan<float> share = weights.Slice(from, to - from);
        Span<float> copyShare = copy.AsSpan(from, to - from);
        bool differs = !MemoryMarshal.AsBytes(share).SequenceEqual(MemoryMarshal.AsBytes((ReadOnlySpan<float>)copyShare));
        if (differs) share.CopyTo(copyShare);
        changed[part] = differs;
        team.Barrier();
        if (part == 0) checkedEpoch = epoch;  // every part has read the old value by now
        bool any = false;
        for (int q = 0; q < parts; q++) any |= changed[q];
        return version + (any ? 1 : 0);
    }
}
