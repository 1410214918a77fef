using System;
using CodeGenLstm.Benchmarks;

namespace CodeGenLstm.Benchmarks.Tests;

/// <summary>The benchmark's command line: the options users give, and the child options the first-call modes give.</summary>
public class OptionsTests
{
    [Fact]
    public void Precision_and_streaming_time_their_first_calls_unless_told_not_to()
    {
        Assert.True(Options(new[] { "--precision" }).TableFirstCalls);
        Assert.True(Options(new[] { "--streaming" }).TableFirstCalls);
        BenchmarkOptions without = Options(new[] { "--precision", "--no-first-calls", "--seconds", "2.5" });
        Assert.True(without.Precision);
        Assert.False(without.TableFirstCalls);
        Assert.Equal(2.5, without.Seconds);
    }

    [Fact]
    public void Against_takes_the_other_builds_directory()
    {
        BenchmarkOptions o = Options(new[] { "--against", "/tmp/old-build", "--other-first", "--mode", "training", "--only", "=LSTM H=64 B=1" });
        Assert.Equal("/tmp/old-build", o.Against);
        Assert.True(o.OtherFirst);
        Assert.Equal("training", o.Mode);
        Assert.False(Options(new[] { "--against", "/tmp/old-build" }).OtherFirst);
        Assert.Null(Options(new[] { "--dev" }).Against);
        Assert.Null(BenchmarkOptions.TryParse(new[] { "--against" }, out string? error));
        Assert.Contains("--against needs a value", error);
    }

    [Fact]
    public void Values_are_read_as_given()
    {
        BenchmarkOptions o = Options(new[] { "--streaming", "--repetitions", "3", "--threads", "1", "--only", "H=256, H=1024", "--lent" });
        Assert.True(o.Streaming);
        Assert.Equal(3, o.Repetitions);
        Assert.Equal(1, o.Threads);
        Assert.Equal(new[] { "H=256", "H=1024" }, o.Only);
        Assert.True(o.Lent);
        Assert.False(o.Check);
        Assert.Null(o.PrecisionChild);
        Assert.Null(o.StreamingChild);
        Assert.Null(o.FirstCallsChild);
    }

    [Fact]
    public void Check_stays_without_child_processes()
    {
        // --check is what CI runs: none of the first-call options may ride along with it.
        BenchmarkOptions o = Options(new[] { "--check" });
        Assert.True(o.Check);
        Assert.False(o.FirstCalls || o.Precision || o.Streaming);
        Assert.Null(o.PrecisionChild);
        Assert.Null(o.StreamingChild);
        Assert.Null(o.FirstCallsChild);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--threads")]
    [InlineData("--threads", "0")]
    [InlineData("--threads", "two")]
    [InlineData("--repetitions", "-1")]
    [InlineData("--seconds", "0")]
    [InlineData("--seconds", "NaN")]
    [InlineData("--precision-child")]
    [InlineData("--first-calls-child", "ours")]
    public void Unknown_options_and_bad_values_are_refused_by_name(params string[] args)
    {
        Assert.Null(BenchmarkOptions.TryParse(args, out string? error));
        Assert.NotNull(error);
        Assert.EndsWith("; " + BenchmarkOptions.Usage, error, StringComparison.Ordinal);
        // The reason, before the usage (which names every option), names the option at fault.
        string reason = error[..^("; " + BenchmarkOptions.Usage).Length];
        Assert.Contains(args[0], reason, StringComparison.Ordinal);
    }

    private static BenchmarkOptions Options(string[] args)
    {
        BenchmarkOptions? options = BenchmarkOptions.TryParse(args, out string? error);
        Assert.True(options is not null, error);
        return options;
    }

    [Fact]
    public void The_children_read_the_command_lines_their_parents_write()
    {
        BenchmarkOptions grid = Options(ChildArguments.Grid("torch", "training", 2, "LSTM H=256 B=16"));
        Assert.Equal(("torch", "training"), grid.FirstCallsChild);
        Assert.Equal(2, grid.Threads);
        Assert.Equal(new[] { "=LSTM H=256 B=16" }, grid.Only);

        BenchmarkOptions precision = Options(ChildArguments.Precision("quantise-int8", 3, "LSTM H=1024 B=1", lent: true));
        Assert.Equal("quantise-int8", precision.PrecisionChild);
        Assert.Equal(3, precision.Threads);
        Assert.Equal(new[] { "=LSTM H=1024 B=1" }, precision.Only);
        Assert.True(precision.Lent);
        Assert.False(precision.Precision);  // a child times its path only, never the whole table again

        BenchmarkOptions streaming = Options(ChildArguments.Streaming("torch-cell", 2, "LSTM H=256", lent: false));
        Assert.Equal("torch-cell", streaming.StreamingChild);
        Assert.Equal(new[] { "LSTM H=256" }, streaming.Only);
        Assert.False(streaming.Lent);
        Assert.False(streaming.Streaming);
    }
}
