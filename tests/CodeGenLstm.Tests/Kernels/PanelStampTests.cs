using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Kernels;

/// <summary>
/// The stamp generated models keep beside each set of packed weight panels: the panels are stale until
/// recorded, and again as soon as either the weights version or the vector width differs from the record.
/// </summary>
public class PanelStampTests
{
    // 0 is the scalar kernels' width; the others are the vector widths in bits a model can pick.
    public static TheoryData<int> Widths => new() { 0, 128, 256, 512 };

    [Theory]
    [MemberData(nameof(Widths))]
    public void ANewStampIsStaleForEveryVersionAndWidth(int width)
    {
        PanelStamp stamp = default;
        Assert.True(stamp.IsStale(0, width));
        Assert.True(stamp.IsStale(1, width));
        Assert.True(stamp.IsStale(-1, width));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void ARecordedStampIsFreshForWhatItRecorded(int width)
    {
        PanelStamp stamp = default;
        stamp.Record(0, width);
        Assert.False(stamp.IsStale(0, width));
        stamp.Record(7, width);
        Assert.False(stamp.IsStale(7, width));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void AnotherWeightsVersionMakesItStale(int width)
    {
        PanelStamp stamp = default;
        stamp.Record(3, width);
        Assert.True(stamp.IsStale(4, width));
        Assert.True(stamp.IsStale(2, width));
    }

    [Theory]
    [InlineData(0, 128)]
    [InlineData(128, 0)]
    [InlineData(256, 512)]
    [InlineData(512, 128)]
    public void AnotherWidthMakesItStale(int packedFor, int width)
    {
        PanelStamp stamp = default;
        stamp.Record(3, packedFor);
        Assert.True(stamp.IsStale(3, width));
    }

    [Fact]
    public void EachStampKeepsItsOwnRecord()
    {
        // A model keeps several stamps for one stage (forward panels, backward panels): recording one leaves the others stale.
        PanelStamp forward = default, backward = default;
        forward.Record(1, 256);
        Assert.False(forward.IsStale(1, 256));
        Assert.True(backward.IsStale(1, 256));
    }
}
