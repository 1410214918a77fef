using System.Globalization;
using CodeGenLstm.Benchmarks;

namespace CodeGenLstm.Benchmarks.Tests;

/// <summary>The line a first-call child prints and its parent reads.</summary>
public class ChildResultTests
{
    [Fact]
    public void What_a_child_prints_its_parent_reads_back_exactly()
    {
        var written = new ChildResult
        {
            Construct = 12.345678901234567,
            Quantise = 0.1 + 0.2,  // not a short decimal: the round trip must keep every bit
            Calls = new[] { 50.5, 1.25, 0.75, 0.5, 0.625, 0.5, 0.4375, 0.5, 0.5625, 0.5 },
            Steady = 1e-5,
            Check = "right",
        };
        // Among other lines of output, as a child prints diagnostics to its standard output too.
        ChildResult? read = ChildResult.Parse("Machine: x\r\n" + written.Format() + "\r\nafter\n");
        Assert.NotNull(read);
        Assert.Equal(written.Construct, read.Construct);
        Assert.Equal(written.Quantise, read.Quantise);
        Assert.Equal(written.Calls, read.Calls);
        Assert.Equal(written.Steady, read.Steady);
        Assert.Equal("right", read.Check);
        Assert.False(read.Wrong);
    }

    [Fact]
    public void The_line_is_the_same_in_every_culture()
    {
        CultureInfo before = CultureInfo.CurrentCulture;
        try
        {
            // A culture with a decimal comma (built by hand: the repository runs in invariant-globalization mode), which
            // would split the calls if the line followed the current culture.
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            CultureInfo.CurrentCulture = comma;
            Assert.Equal("2,5", 2.5.ToString(CultureInfo.CurrentCulture));  // the culture does what this test needs
            string line = new ChildResult { Construct = 1.5, Calls = new[] { 2.5, 3.5 } }.Format();
            Assert.Equal("RESULT construct=1.5 calls=2.5,3.5 check=unchecked", line);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Derived_figures_come_from_the_calls_in_order()
    {
        // Hand-worked: calls 3-9 are 7, 1, 6, 2, 5, 3, 4, whose median is 4; calls 1-10 sum to 100 + 9 + 28 + 8 = 145.
        var r = new ChildResult { Calls = new double[] { 100, 9, 7, 1, 6, 2, 5, 3, 4, 8 } };
        Assert.Equal(100, r.First);
        Assert.Equal(145, r.FirstTen);
        Assert.Equal(4, r.MedianOfThreeToNine);
        Assert.True(double.IsNaN(new ChildResult { Calls = new double[] { 1, 2, 3 } }.FirstTen));
    }

    [Theory]
    [InlineData("no result here")]
    [InlineData("RESULT construct=abc check=right")]
    [InlineData("RESULT construct=1 check=maybe")]
    [InlineData("RESULT calls=1,,2")]
    [InlineData("RESULT calls=1,NaN")]
    [InlineData("RESULT speed=1")]
    [InlineData("RESULT construct")]
    [InlineData("RESULT 1.5 2.5 3.5 right")]  // the positional line of an older child
    public void A_malformed_or_missing_line_is_no_result(string output) => Assert.Null(ChildResult.Parse(output));

    [Fact]
    public void Wrong_is_read_from_the_check()
    {
        Assert.True(ChildResult.Parse("RESULT calls=1 check=wrong")!.Wrong);
        Assert.Equal("unchecked", ChildResult.Parse("RESULT quantise=2")!.Check);
    }
}
