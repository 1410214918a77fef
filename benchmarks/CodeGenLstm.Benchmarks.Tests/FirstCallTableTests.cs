using CodeGenLstm.Benchmarks;

namespace CodeGenLstm.Benchmarks.Tests;

/// <summary>The first-call table of --precision and --streaming: its columns and what each row puts in them.</summary>
public class FirstCallTableTests
{
    private static string[] Cells(string line) => line.Trim().Trim('|').Split('|') is var cells
        ? System.Array.ConvertAll(cells, c => c.Trim()) : System.Array.Empty<string>();

    [Fact]
    public void Precision_has_a_quantise_column_and_streaming_none()
    {
        Assert.Equal(new[] { "case", "path", "construct ms", "quantise ms", "call 1 ms", "calls 1-10 ms", "steady ms", "call 1 / steady" },
            new FirstCallTable("case", quantise: true).Columns);
        Assert.Equal(new[] { "model", "path", "construct ms", "call 1 ms", "calls 1-10 ms", "steady ms", "call 1 / steady" },
            new FirstCallTable("model", quantise: false).Columns);
    }

    [Fact]
    public void The_header_aligns_text_left_and_numbers_right()
    {
        string[] lines = new FirstCallTable("case", quantise: true).Header().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal(new[] { "---", "---", "---:", "---:", "---:", "---:", "---:", "---:" }, Cells(lines[1]));
    }

    [Fact]
    public void A_row_puts_each_figure_under_its_column()
    {
        var table = new FirstCallTable("case", quantise: true);
        var result = new ChildResult { Construct = 20, Quantise = 3, Calls = new double[] { 50, 5, 5, 5, 5, 5, 5, 5, 5, 5 }, Check = "right" };
        string[] cells = Cells(table.Row("LSTM H=256 B=1", "ours int8", result, steady: 2.5));
        Assert.Equal(table.Columns.Count, cells.Length);
        // By hand: calls 1-10 sum to 50 + 9 * 5 = 95; call 1 / steady = 50 / 2.5 = 20.
        Assert.Equal(new[] { "LSTM H=256 B=1", "ours int8", "20.0", "3.00", "50.0", "95.0", "2.50", "20.0x" }, cells);
    }

    [Fact]
    public void Streaming_rows_have_no_quantise_cell_and_keep_small_figures()
    {
        var table = new FirstCallTable("model", quantise: false);
        var result = new ChildResult { Construct = 845, Calls = new double[] { 0.537, 0.04, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03 }, Check = "right" };
        string[] cells = Cells(table.Row("LSTM H=256", "ONNX Runtime, (h, c) bound", result, steady: 0.0525));
        Assert.Equal(new[] { "LSTM H=256", "ONNX Runtime, (h, c) bound", "845", "0.537", "0.817", "0.0525", "10.2x" }, cells);
    }

    [Fact]
    public void Failed_wrong_and_untimed_paths_are_named_in_their_rows()
    {
        var table = new FirstCallTable("case", quantise: true);
        Assert.Equal(new[] { "c", "p", "failed", "", "", "", "", "" }, Cells(table.Row("c", "p", null, 1)));
        Assert.Equal(new[] { "c", "p", "wrong here", "", "", "", "", "" }, Cells(table.Row("c", "p", null, double.NaN, "wrong here")));
        var wrong = new ChildResult { Construct = 1, Calls = new double[] { 2 }, Check = "wrong" };
        string[] cells = Cells(table.Row("c", "p", wrong, 1));
        Assert.Equal("p (WRONG result)", cells[1]);
        Assert.Equal("", cells[3]);  // no quantisation measured: an empty cell, not a zero
        Assert.Equal("", cells[5]);  // fewer than ten calls: no sum of ten
    }

    [Theory]
    [InlineData(0.0266, "0.0266")]
    [InlineData(1.234, "1.23")]
    [InlineData(12.34, "12.3")]
    [InlineData(412.3, "412")]
    [InlineData(7000.4, "7000")]
    [InlineData(0, "0")]
    public void Figures_have_three_significant_digits(double value, string expected) => Assert.Equal(expected, FirstCallTable.Figure(value));
}
