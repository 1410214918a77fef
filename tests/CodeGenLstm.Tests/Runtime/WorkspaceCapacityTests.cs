using System;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Runtime;

/// <summary>
/// What a generated model's workspace holds, and its growth: a call that fits grows nothing; one that does not
/// grows every buffer to the larger of the capacity and the call in three passes (measure, allocate, commit),
/// and the capacity is kept only when the growth is recorded, after its last pass.
/// </summary>
public class WorkspaceCapacityTests
{
    [Fact]
    public void ANewCapacityHoldsNothing()
    {
        WorkspaceCapacity capacity = default;
        Assert.False(capacity.Holds(1, 1));
    }

    [Fact]
    public void AGrowthTakesTheLargerOfCapacityAndCallInEachSize()
    {
        WorkspaceCapacity capacity = default;
        capacity.Record(capacity.Grow(8, 10));  // 80 rows
        Assert.True(capacity.Holds(8, 10));
        Assert.True(capacity.Holds(2, 3));
        Assert.False(capacity.Holds(9, 1));   // more sequences
        Assert.False(capacity.Holds(1, 11));  // more steps

        WorkspaceGrowth growth = capacity.Grow(2, 30);
        Assert.Equal(80, growth.Rows);  // 2 * 30 = 60 fits in the 80 held
        Assert.Equal(8, growth.Batch);
        Assert.Equal(30, growth.Steps);
        capacity.Record(growth);
        Assert.True(capacity.Holds(8, 10));
        Assert.True(capacity.Holds(2, 30));
        Assert.False(capacity.Holds(8, 30));  // 240 rows: more than 80
    }

    [Fact]
    public void TheGrowthRunsThreePassesAndStoresOnlyInTheLast()
    {
        WorkspaceCapacity capacity = default;
        WorkspaceGrowth growth = capacity.Grow(3, 4);
        float[] activation = Array.Empty<float>(), gradient = Array.Empty<float>(), kept = new float[100];
        float[] keptBefore = kept;
        int passes = 0;
        do
        {
            passes++;
            growth.Ensure(ref activation, ref gradient, growth.Rows * 5);
            growth.Ensure(ref kept, growth.Batch);
            // The arrays are stored by the commit pass only (the third), all together.
            Assert.Equal(passes == 3 ? 60 : 0, activation.Length);
            Assert.Equal(passes == 3 ? 60 : 0, gradient.Length);
        }
        while (growth.NextPass());
        Assert.Equal(3, passes);
        Assert.Same(keptBefore, kept);  // large enough: not replaced
        Assert.NotSame(activation, gradient);
    }

    [Fact]
    public void ATooLargeCallIsRejectedInTheFirstPassBeforeAnythingIsStored()
    {
        WorkspaceCapacity capacity = default;
        capacity.Record(capacity.Grow(2, 2));
        WorkspaceGrowth growth = capacity.Grow(1 << 16, 1 << 16);
        float[] activation = Array.Empty<float>(), gradient = Array.Empty<float>();
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => growth.Ensure(ref activation, ref gradient, growth.Rows));
        Assert.Equal("steps", e.ParamName);
        Assert.Empty(activation);
        Assert.True(capacity.Holds(2, 2));
        Assert.False(capacity.Holds(3, 2));  // the rejected growth was never recorded
    }
}
