using System;
using CodeGenLstm.Benchmarks;

namespace CodeGenLstm.Benchmarks.Tests;

/// <summary>
/// What --streaming checks before it times a reduced precision, and how --precisions is read. The outputs here are made
/// by hand, each on one side of a bound, so that each check is seen both to pass and to refuse.
/// </summary>
public class StreamingChecksTests
{
    [Fact]
    public void Precisions_are_all_three_by_default_and_read_in_the_tables_order()
    {
        Assert.Equal(new[] { "fp32", "bf16", "int8" }, Parse().Precisions);
        Assert.Equal(new[] { "fp32" }, Parse("--streaming", "--precisions", "fp32").Precisions);
        BenchmarkOptions o = Parse("--streaming", "--precisions", "int8, fp32", "--only", "H=1024", "--repetitions", "3", "--no-first-calls");
        Assert.Equal(new[] { "fp32", "int8" }, o.Precisions);
        Assert.Equal(new[] { "H=1024" }, o.Only);
        Assert.Equal(3, o.Repetitions);
        Assert.False(o.TableFirstCalls);
        Assert.False(o.Paired);
        Assert.True(Parse("--streaming", "--paired", "--repetitions", "60").Paired);
    }

    [Theory]
    [InlineData("--precisions")]
    [InlineData("--precisions", "fp16")]
    [InlineData("--precisions", "FP32")]
    [InlineData("--precisions", ",")]
    public void Precisions_outside_the_three_are_refused_by_name(params string[] args)
    {
        Assert.Null(BenchmarkOptions.TryParse(args, out string? error));
        Assert.StartsWith("--precisions ", error, StringComparison.Ordinal);
        Assert.Contains("--precisions fp32,bf16,int8", BenchmarkOptions.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public void Streamed_must_stay_within_one_millionth_of_the_whole_sequence()
    {
        float[] whole = { 0f, 1f, -3f };
        Assert.True(StreamingChecks.WithinStreamingBound(whole, new[] { 9e-7f, 1.0000019f, -3f }));  // bounds 1e-6, 2e-6, 4e-6
        Assert.False(StreamingChecks.WithinStreamingBound(whole, new[] { 1.1e-6f, 1f, -3f }));
        Assert.False(StreamingChecks.WithinStreamingBound(whole, new[] { 0f, 1f, float.NaN }));
        Assert.False(StreamingChecks.WithinStreamingBound(whole, new[] { 0f, 1f }));
        Assert.Equal("bitwise equal", StreamingChecks.Difference(whole, (float[])whole.Clone()));
        Assert.Equal("largest difference 5.00E-001", StreamingChecks.Difference(whole, new[] { 0f, 1.5f, -3f }));
    }

    [Fact]
    public void Ours_reduced_is_refused_when_streamed_leaves_the_whole_sequence_or_float32()
    {
        float[] float32 = { 0.5f, -0.25f };
        float[] whole = { 0.51f, -0.25f };  // 0.01 from float32
        Assert.Null(StreamingChecks.OursReducedWrong("int8", float32, whole, (float[])whole.Clone(), limit: 0.02));
        // Streamed 1e-4 from whole: within the limit of float32, but not ours on the whole sequence.
        string? apart = StreamingChecks.OursReducedWrong("int8", float32, whole, new[] { 0.5101f, -0.25f }, limit: 0.02);
        Assert.NotNull(apart);
        Assert.Contains("whole sequence", apart, StringComparison.Ordinal);
        // Streamed equal to whole, both 0.01 from float32, over a limit of 0.005: a fault the two paths share.
        string? far = StreamingChecks.OursReducedWrong("bf16", float32, whole, (float[])whole.Clone(), limit: 0.005);
        Assert.NotNull(far);
        Assert.Contains("over its limit", far, StringComparison.Ordinal);
        Assert.NotNull(StreamingChecks.OursReducedWrong("int8", float32, new[] { float.NaN, 0f }, new[] { float.NaN, 0f }, limit: 1));
    }

    [Fact]
    public void The_limits_come_from_the_other_int8_errors()
    {
        Assert.Equal(4 * 0.003, StreamingChecks.Limit("int8", oursInt8Error: 0.001, peerInt8Error: 0.003), 15);
        Assert.Equal(0.001, StreamingChecks.Limit("bf16", oursInt8Error: 0.001, peerInt8Error: 0.003), 15);
        Assert.Throws<ArgumentException>(() => StreamingChecks.Limit("fp32", 0.001, 0.003));
    }

    [Fact]
    public void ONNX_Runtime_int8_is_timed_only_within_four_times_our_int8_error()
    {
        float[] float32 = { 0f, 0.5f };
        float[] oursInt8 = { 0.001f, 0.5f };  // 1e-3 from float32: the peer may be up to 4e-3 away
        Assert.Null(StreamingChecks.PeerInt8Wrong(float32, oursInt8, new[] { -0.0039f, 0.5f }));
        Assert.NotNull(StreamingChecks.PeerInt8Wrong(float32, oursInt8, new[] { 0f, 0.5041f }));
        Assert.NotNull(StreamingChecks.PeerInt8Wrong(float32, oursInt8, new[] { 0f, float.NaN }));
    }

    private static BenchmarkOptions Parse(params string[] args)
    {
        BenchmarkOptions? options = BenchmarkOptions.TryParse(args, out string? error);
        Assert.True(options is not null, error);
        return options;
    }
}
