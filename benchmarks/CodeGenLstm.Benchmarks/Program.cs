using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// Runs the ceiling and the grid in one BenchmarkDotNet run and writes the table of docs/benchmarks.md.
/// Options: --threads N (default: every core), --only TEXT[,TEXT] (cases whose name contains one),
/// --ours-only (no peers), --quick (fewer iterations, for development), --out FILE (the markdown table).
/// --dev [--peers] [--seconds S]: a quick Stopwatch loop instead of BenchmarkDotNet (see <see cref="DevTimer"/>).
/// --check [--strict-peers]: no timing; on every selected case, checks ours and each timed peer path against libtorch in
/// float64 on the same weights (what each benchmark's setup checks before timing; CI runs it). Ours disagreeing fails;
/// a peer path wrong on this machine is named (and not timed by the grid), and fails only with --strict-peers.
/// --first-calls: the first call, the first ten calls and the steady state of ours and libtorch, each in a fresh process
/// (see <see cref="FirstCalls"/>).
/// --torch-lstm-scan [--threads N]: where libtorch's float32 LSTM disagrees with its float64 on this machine (see <see cref="TorchLstmScan"/>).
/// --lent: take each model's Parameters span once before timing, so that every call compares the weights with the
/// packed copies (a model in training); without it no call compares (weights from the constructor, as after ImportParameters).
/// --streaming [--repetitions N] [--only H=256] [--precisions fp32,bf16,int8]: batch 1, one step per call, against ONNX Runtime
/// and libtorch per step, in float32 and (unless --precisions leaves them out) in bfloat16 and int8 beside ONNX Runtime's int8
/// LSTM (see <see cref="Streaming"/> and <see cref="StreamingReduced"/>), then the first steps of each path in fresh processes (see <see cref="StreamingFirstCalls"/>).
/// --streaming --paired [--repetitions ROUNDS]: those paths in every precision timed in turn, 20 ms each per round, for a
/// machine other programs share (see <see cref="StreamingPaired"/>).
/// --watch [--quick]: Trainer.Step with Trainer.Watch off and on (see <see cref="WatchBenchmarks"/>).
/// --precision [--seconds S]: LSTM inference with the recurrent weights in float32, bfloat16 and int8 beside ONNX Runtime's
/// float32 LSTM, its int8 DynamicQuantizeLSTM on our int8 weights and libtorch's float32 LSTM, with each precision's largest
/// output error (see <see cref="PrecisionTimer"/>), then the first calls of each path in fresh processes (see
/// <see cref="PrecisionFirstCalls"/>).
/// --against DIR [--other-first] [--mode inference|training]: this build against the benchmark built in DIR, on the
/// selected cases, both in this process, called in alternating chunks (see <see cref="BuildComparison"/>).
/// --streaming and --precision take --no-first-calls: their tables without the first calls (no child processes).
/// The options are parsed by <see cref="BenchmarkOptions"/>.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (BenchmarkOptions.TryParse(args, out string? error) is not { } options)
        {
            Console.Error.WriteLine(error);
            return 2;
        }
        if (options.Generator)
        {
            GeneratorTiming.Run();
            return 0;
        }
        int threads = options.Threads;
        string[]? only = options.Only;
        DevTimer.ThreadCpuTime = options.Cpu;
        DevTimer.Mode = options.Mode;
        DevTimer.Allocations = options.Allocations;
        Ours.LendParameters = options.Lent;
        string self = typeof(Program).Assembly.Location;

        GridBenchmarks.Threads = threads;
        // "--only TEXT" keeps the cases whose name contains TEXT; "=TEXT" the case named exactly TEXT.
        GridBenchmarks.Selected = Case.All.Where(c => only is null || only.Any(o => o.StartsWith('=')
            ? c.ToString().Equals(o[1..], StringComparison.OrdinalIgnoreCase)
            : c.ToString().Contains(o, StringComparison.OrdinalIgnoreCase))).ToList();

        if (options.StreamingChild is { } streamingPath) return StreamingFirstCalls.RunChild(streamingPath, Streaming.Model(only), threads);
        if (options.Streaming && options.Paired) return StreamingPaired.Run(threads, options.Repetitions, only);
        if (options.Streaming) return Streaming.Run(threads, options.Repetitions, only, options.Precisions.ToArray(), options.TableFirstCalls ? self : null);
        if (options.TorchScan) return TorchLstmScan.Run(threads);
        if (options.Check) return PeerCheck.Run(GridBenchmarks.Selected, options.StrictPeers);
        if (options.FirstCallsChild is var (childSide, childMode)) return FirstCalls.RunChild(GridBenchmarks.Selected.Single(), childSide, childMode, threads);
        if (options.PrecisionChild is { } precisionPath) return PrecisionFirstCalls.RunChild(GridBenchmarks.Selected.Single(), precisionPath, threads);
        if (options.FirstCalls) return FirstCalls.Run(GridBenchmarks.Selected, threads, self);

        if (options.Against is { } other) return BuildComparison.Run(other, GridBenchmarks.Selected, options.Mode, options.OtherFirst);
        if (options.Precision) return PrecisionTimer.Run(GridBenchmarks.Selected, threads, options.Seconds, options.TableFirstCalls ? self : null);

        if (options.Dev)
        {
            DevTimer.Run(GridBenchmarks.Selected, threads, options.Peers, options.Seconds, measureCeiling: !options.NoCeiling);
            return 0;
        }

        // In-process: no generated project to build, and the ELF-patched natives of this output directory are the ones loaded.
        Job job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(options.Quick ? 1 : 3)
            .WithIterationCount(options.Quick ? 3 : 10)
            .WithIterationTime(TimeInterval.FromMilliseconds(options.Quick ? 100 : 250));
        IConfig config = ManualConfig.CreateMinimumViable()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.DisableLogFile);

        if (options.Watch)
        {
            BenchmarkRunner.Run<WatchBenchmarks>(config);
            return 0;
        }

        Summary? ceiling = options.NoCeiling ? null : BenchmarkRunner.Run<CeilingBenchmarks>(config);
        IConfig gridConfig = options.OursOnly
            ? config.AddFilter(new BenchmarkDotNet.Filters.NameFilter(name => name.StartsWith("Ours", StringComparison.Ordinal)))
            : config;
        Summary grid = BenchmarkRunner.Run<GridBenchmarks>(gridConfig);

        string table = Report.Markdown(ceiling, grid, threads);
        string output = options.Output;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, table);
        Console.WriteLine();
        Console.WriteLine(table);
        Console.WriteLine($"(written to {Path.GetFullPath(output)})");
        // A peer path found wrong on this machine fails its setup on purpose (nothing is timed for it): not a failure of the run.
        return grid.Reports.All(r => r.Success || PeerHealth.Checked.Any(h =>
            ReferenceEquals(h.Case, r.BenchmarkCase.Parameters["Case"]) && h.Wrong(r.BenchmarkCase.Descriptor.WorkloadMethod.Name) is not null)) ? 0 : 1;
    }
}
