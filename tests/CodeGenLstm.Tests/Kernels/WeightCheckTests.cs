using System;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Kernels;

/// <summary>
/// The weight check every stage of a generated model makes before using its packed panels: a change of any
/// weight, by bits, gives the next version and refreshes the copy; no change, or nothing that could have
/// changed the weights, gives the same version; every part of a call returns the same.
/// </summary>
public class WeightCheckTests
{
    // Runs the check in up to `parts` parts (fewer on a machine with fewer cores) and returns what each part returned.
    private sealed class CheckWork(float[] weights, float[] copy, int version, int epoch, bool lent, int[] results) : ParallelWork
    {
        public int CheckedEpoch = -1;
        private readonly bool[] _changed = new bool[Environment.ProcessorCount];

        public override void Execute(int part, int parts, WorkerTeam team)
            => results[part] = WeightCheck.Compare(weights, copy, ref CheckedEpoch, version, epoch, lent, _changed, part, parts, team);
    }

    private static (int[] Results, int Parts, int CheckedEpoch) Run(float[] weights, float[] copy, int version, bool lent, int checkedEpoch = -1, int epoch = 0, int parts = 1)
    {
        int[] results = new int[Environment.ProcessorCount];
        CheckWork work = new(weights, copy, version, epoch, lent, results) { CheckedEpoch = checkedEpoch };
        int ran = WorkerTeam.Run(work, parts);
        return (results, ran, work.CheckedEpoch);
    }

    private static float[] Ramp(int n)
    {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = i * 0.25f - 3f;
        return a;
    }

    [Fact]
    public void EqualWeightsKeepTheVersionAndRecordTheEpoch()
    {
        float[] weights = Ramp(100), copy = Ramp(100);
        (int[] results, _, int checkedEpoch) = Run(weights, copy, version: 7, lent: true, epoch: 3);
        Assert.Equal(7, results[0]);
        Assert.Equal(3, checkedEpoch);
    }

    [Fact]
    public void AChangedWeightGivesTheNextVersionAndRefreshesTheCopy()
    {
        float[] weights = Ramp(100), copy = Ramp(100);
        weights[57] = 1e-30f;
        (int[] results, _, _) = Run(weights, copy, version: 7, lent: true);
        Assert.Equal(8, results[0]);
        Assert.Equal(weights, copy);
    }

    [Fact]
    public void NegativeZeroAgainstZeroIsAChange()
    {
        // Compared as bits, not as floats: -0 == 0 as floats, yet the panels packed from 0 do not hold -0.
        float[] weights = new float[10], copy = new float[10];
        weights[4] = -0f;
        Assert.Equal(1, Run(weights, copy, version: 0, lent: true).Results[0]);
        Assert.True(float.IsNegative(copy[4]));
    }

    [Fact]
    public void NothingLentAndNoNewEpochSkipsTheComparison()
    {
        // Not lent, and the stage already compared in this epoch: nothing can have changed the weights, so the
        // check returns the version as it is and does not look (the copy keeps its stale value).
        float[] weights = Ramp(100), copy = Ramp(100);
        weights[0] = 42f;
        (int[] results, _, int checkedEpoch) = Run(weights, copy, version: 5, lent: false, checkedEpoch: 2, epoch: 2);
        Assert.Equal(5, results[0]);
        Assert.Equal(2, checkedEpoch);
        Assert.Equal(-3f, copy[0]);
    }

    [Fact]
    public void ANewEpochComparesEvenWhenNothingWasLent()
    {
        float[] weights = Ramp(100), copy = Ramp(100);
        weights[99] = 42f;
        (int[] results, _, int checkedEpoch) = Run(weights, copy, version: 5, lent: false, checkedEpoch: 2, epoch: 3);
        Assert.Equal(6, results[0]);
        Assert.Equal(3, checkedEpoch);
        Assert.Equal(42f, copy[99]);
    }

    [Fact]
    public void EveryPartReturnsTheVersionOfAChangeInAnyPartsShare()
    {
        // Three shares of 4096 floats at least; the change is in the last, so with more than one part only
        // the last part sees it, and every part must still return the next version.
        int n = 3 * WeightCheck.MinimumShare;
        float[] weights = Ramp(n), copy = Ramp(n);
        weights[n - 1] = 1234f;
        (int[] results, int parts, _) = Run(weights, copy, version: 9, lent: true, parts: 3);
        for (int p = 0; p < parts; p++) Assert.Equal(10, results[p]);
        Assert.Equal(weights, copy);
    }
}
