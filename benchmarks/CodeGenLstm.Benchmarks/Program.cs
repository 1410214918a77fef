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
/// --streaming [--repetitions N] [--only H=256]: batch 1, one step per call, against ONNX Runtime and libtorch per step (see <see cref="Streaming"/>).
/// --watch [--quick]: Trainer.Step with Trainer.Watch off and on (see <see cref="WatchBenchmarks"/>).
/// --precision [--seconds S]: LSTM inference with the recurrent weights in float32, bfloat16 and int8 beside ONNX Runtime's
/// float32 LSTM, its int8 DynamicQuantizeLSTM on our int8 weights and libtorch's float32 LSTM, with each precision's largest
/// output error (see <see cref="PrecisionTimer"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        int threads = Environment.ProcessorCount;
        string[]? only = null;
        bool oursOnly = false, quick = false, noCeiling = false, dev = false, peers = false, check = false, strictPeers = false, firstCalls = false, torchScan = false, watch = false, streaming = false, precision = false;
        int repetitions = 9;
        string? childSide = null, childMode = null;
        double seconds = 1;
        string output = Path.Combine("BenchmarkDotNet.Artifacts", "grid.md");
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads": threads = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--only": only = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--ours-only": oursOnly = true; break;
                case "--quick": quick = true; break;
                case "--no-ceiling": noCeiling = true; break;
                case "--out": output = args[++i]; break;
                case "--dev": dev = true; break;
                case "--peers": peers = true; break;
                case "--check": check = true; break;
                case "--strict-peers": strictPeers = true; break;
                case "--first-calls": firstCalls = true; break;
                case "--torch-lstm-scan": torchScan = true; break;
                case "--first-calls-child": childSide = args[++i]; childMode = args[++i]; break;
                case "--cpu": DevTimer.ThreadCpuTime = true; break;
                case "--mode": DevTimer.Mode = args[++i]; break;
                case "--allocations": DevTimer.Allocations = true; break;
                case "--lent": Ours.LendParameters = true; break;
                case "--generator": GeneratorTiming.Run(); return 0;
                case "--watch": watch = true; break;
                case "--streaming": streaming = true; break;
                case "--repetitions": repetitions = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--precision": precision = true; break;
                case "--seconds": seconds = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; options: --threads N, --only TEXT[,TEXT], --ours-only, --quick, --no-ceiling, --out FILE, --dev [--peers] [--seconds S], --check [--strict-peers], --first-calls, --torch-lstm-scan, --lent, --watch, --streaming [--repetitions N], --precision");
                    return 2;
            }
        }

        GridBenchmarks.Threads = threads;
        // "--only TEXT" keeps the cases whose name contains TEXT; "=TEXT" the case named exactly TEXT.
        GridBenchmarks.Selected = Case.All.Where(c => only is null || only.Any(o => o.StartsWith('=')
            ? c.ToString().Equals(o[1..], StringComparison.OrdinalIgnoreCase)
            : c.ToString().Contains(o, StringComparison.OrdinalIgnoreCase))).ToList();

        if (streaming) return Streaming.Run(threads, repetitions, only);
        if (torchScan) return TorchLstmScan.Run(threads);
        if (check) return PeerCheck.Run(GridBenchmarks.Selected, strictPeers);
        if (childSide is not null) return FirstCalls.RunChild(GridBenchmarks.Selected.Single(), childSide, childMode!, threads);
        if (firstCalls) return FirstCalls.Run(GridBenchmarks.Selected, threads, typeof(Program).Assembly.Location);

        if (precision)
        {
            PrecisionTimer.Run(GridBenchmarks.Selected, threads, seconds);
            return 0;
        }

        if (dev)
        {
            DevTimer.Run(GridBenchmarks.Selected, threads, peers, seconds);
            return 0;
        }

        // In-process: no generated project to build, and the ELF-patched natives of this output directory are the ones loaded.
        Job job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(quick ? 1 : 3)
            .WithIterationCount(quick ? 3 : 10)
            .WithIterationTime(TimeInterval.FromMilliseconds(quick ? 100 : 250));
        IConfig config = ManualConfig.CreateMinimumViable()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.DisableLogFile);

        if (watch)
        {
            BenchmarkRunner.Run<WatchBenchmarks>(config);
            return 0;
        }

        Summary? ceiling = noCeiling ? null : BenchmarkRunner.Run<CeilingBenchmarks>(config);
        IConfig gridConfig = oursOnly
            ? config.AddFilter(new BenchmarkDotNet.Filters.NameFilter(name => name.StartsWith("Ours", StringComparison.Ordinal)))
            : config;
        Summary grid = BenchmarkRunner.Run<GridBenchmarks>(gridConfig);

        string table = Report.Markdown(ceiling, grid, threads);
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
