using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// The command line of the benchmark (Program says what each option does), parsed without acting on it.
/// The child options (<c>--first-calls-child SIDE MODE</c>, <c>--precision-child PATH</c>,
/// <c>--streaming-child PATH</c>) are how the first-call modes start their fresh processes, not for users.
/// </summary>
public sealed class BenchmarkOptions
{
    public const string Usage = "options: --threads N, --only TEXT[,TEXT], --ours-only, --quick, --no-ceiling, --out FILE, --dev [--peers] [--seconds S], "
        + "--check [--strict-peers], --first-calls, --torch-lstm-scan, --lent, --watch, --streaming [--repetitions N] [--precisions fp32,bf16,int8] [--paired], "
        + "--precision [--seconds S], --against DIR [--other-first], "
        + "--no-first-calls, --generator, --cpu, --mode inference|training, --allocations";

    public int Threads { get; private set; } = Environment.ProcessorCount;
    public string[]? Only { get; private set; }
    public bool OursOnly { get; private set; }
    public bool Quick { get; private set; }
    public bool NoCeiling { get; private set; }
    public string Output { get; private set; } = Path.Combine("BenchmarkDotNet.Artifacts", "grid.md");
    public bool Dev { get; private set; }
    public bool Peers { get; private set; }
    public bool Check { get; private set; }
    public bool StrictPeers { get; private set; }
    public bool FirstCalls { get; private set; }
    public bool TorchScan { get; private set; }
    public bool Cpu { get; private set; }
    public string? Mode { get; private set; }
    public bool Allocations { get; private set; }
    public bool Lent { get; private set; }
    public bool Generator { get; private set; }
    public bool Watch { get; private set; }
    public bool Streaming { get; private set; }

    /// <summary>--paired (with --streaming): every streamed path and one sequence timed in turn, chunk by chunk (StreamingPaired).</summary>
    public bool Paired { get; private set; }
    public int Repetitions { get; private set; } = 9;

    /// <summary>--precisions LIST: the precisions --streaming times, of fp32, bf16 and int8 (all by default; "fp32" gives the float32 table alone).</summary>
    public IReadOnlyList<string> Precisions { get; private set; } = StreamingChecks.Precisions;
    public bool Precision { get; private set; }

    /// <summary>--against DIR: this build against the benchmark built in DIR, in one process (BuildComparison).</summary>
    public string? Against { get; private set; }

    /// <summary>--other-first (with --against): the other build is loaded, and called, first.</summary>
    public bool OtherFirst { get; private set; }
    public double Seconds { get; private set; } = 1;

    /// <summary>
    /// --precision and --streaming time the first calls of every path in fresh processes after their tables (true by
    /// default); --no-first-calls leaves them out.
    /// </summary>
    public bool TableFirstCalls { get; private set; } = true;

    /// <summary>--first-calls-child SIDE MODE: the child of --first-calls (SIDE ours or torch, MODE inference or training).</summary>
    public (string Side, string Mode)? FirstCallsChild { get; private set; }

    /// <summary>--precision-child PATH: a child of --precision's first calls (one of PrecisionFirstCalls.Paths, or a quantisation).</summary>
    public string? PrecisionChild { get; private set; }

    /// <summary>--streaming-child PATH: a child of --streaming's first calls (one of StreamingFirstCalls.Paths).</summary>
    public string? StreamingChild { get; private set; }

    /// <summary>
    /// The options of <paramref name="args"/>, or null and in <paramref name="error"/> what is wrong with them (an
    /// unknown option, or a missing or malformed value, by name), followed by the usage.
    /// </summary>
    public static BenchmarkOptions? TryParse(string[] args, out string? error)
    {
        try
        {
            error = null;
            return Parse(args);
        }
        catch (UsageError e)
        {
            error = e.Message + "; " + Usage;
            return null;
        }
    }

    private static BenchmarkOptions Parse(string[] args)
    {
        var o = new BenchmarkOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string option = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new UsageError($"{option} needs a value");
            int Count() => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
                ? n : throw new UsageError($"{option} takes a positive whole number, not {args[i]}");
            switch (option)
            {
                case "--threads": o.Threads = Count(); break;
                case "--only": o.Only = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--ours-only": o.OursOnly = true; break;
                case "--quick": o.Quick = true; break;
                case "--no-ceiling": o.NoCeiling = true; break;
                case "--out": o.Output = Next(); break;
                case "--dev": o.Dev = true; break;
                case "--peers": o.Peers = true; break;
                case "--check": o.Check = true; break;
                case "--strict-peers": o.StrictPeers = true; break;
                case "--first-calls": o.FirstCalls = true; break;
                case "--torch-lstm-scan": o.TorchScan = true; break;
                case "--first-calls-child": o.FirstCallsChild = (Next(), Next()); break;
                case "--precision-child": o.PrecisionChild = Next(); break;
                case "--streaming-child": o.StreamingChild = Next(); break;
                case "--cpu": o.Cpu = true; break;
                case "--mode": o.Mode = Next(); break;
                case "--allocations": o.Allocations = true; break;
                case "--lent": o.Lent = true; break;
                case "--generator": o.Generator = true; break;
                case "--watch": o.Watch = true; break;
                case "--streaming": o.Streaming = true; break;
                case "--paired": o.Paired = true; break;
                case "--repetitions": o.Repetitions = Count(); break;
                case "--precisions": o.Precisions = PrecisionList(option, Next()); break;
                case "--precision": o.Precision = true; break;
                case "--against": o.Against = Next(); break;
                case "--other-first": o.OtherFirst = true; break;
                case "--no-first-calls": o.TableFirstCalls = false; break;
                case "--seconds":
                    o.Seconds = double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s > 0 && double.IsFinite(s)
                        ? s : throw new UsageError($"--seconds takes a positive number, not {args[i]}");
                    break;
                default: throw new UsageError($"unknown option {option}");
            }
        }
        return o;
    }

    /// <summary>The precisions named in <paramref name="list"/> (comma-separated), in the table's order; each must be one of StreamingChecks.Precisions.</summary>
    private static string[] PrecisionList(string option, string list)
    {
        string[] names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string name in names)
            if (!StreamingChecks.Precisions.Contains(name, StringComparer.Ordinal))
                throw new UsageError($"{option} takes {string.Join(", ", StreamingChecks.Precisions)}, not {name}");
        if (names.Length == 0) throw new UsageError($"{option} needs at least one of {string.Join(", ", StreamingChecks.Precisions)}");
        return StreamingChecks.Precisions.Where(names.Contains).ToArray();
    }

    /// <summary>What is wrong with a command line (only within this class: callers get it from <see cref="TryParse"/>).</summary>
#pragma warning disable CA1032, CA1064  // a private exception, made with a message only
    private sealed class UsageError(string message) : Exception(message);
#pragma warning restore CA1032, CA1064
}
