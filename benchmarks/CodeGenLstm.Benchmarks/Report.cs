using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.Intrinsics;
using System.Text;
using BenchmarkDotNet.Reports;

namespace CodeGenLstm.Benchmarks;

/// <summary>Turns the two summaries into the markdown tables of docs/benchmarks.md.</summary>
public static class Report
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Mean nanoseconds of a benchmark, or NaN when it did not run.</summary>
    private static double Mean(Summary? summary, string method, Func<BenchmarkReport, bool>? where = null)
    {
        if (summary is null) return double.NaN;
        BenchmarkReport? report = summary.Reports.FirstOrDefault(r =>
            r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method && (where is null || where(r)) && r.ResultStatistics is not null);
        return report?.ResultStatistics?.Mean ?? double.NaN;
    }

    private static long Allocated(Summary summary, string method, Case c)
    {
        BenchmarkReport? report = summary.Reports.FirstOrDefault(r =>
            r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method && ReferenceEquals(r.BenchmarkCase.Parameters["Case"], c));
        return report?.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1;
    }

    public static string Markdown(Summary? ceiling, Summary grid, int threads)
    {
        var s = new StringBuilder();
        string cpu = CpuName();
        s.AppendLine(C, $"Machine: {cpu}, {Environment.ProcessorCount} cores; .NET {Environment.Version}; vector path {CodeGenLstm.Simd.ActivePath}; {threads} thread(s) for ours and each peer.");
        s.AppendLine();

        // ---- Ceiling ----
        bool Threads(BenchmarkReport r, int t) => (int)r.BenchmarkCase.Parameters["Threads"] == t;
        double Gflops(string method, int lanes, int t) => CeilingBenchmarks.FmaFlops(lanes, t) / Mean(ceiling, method, r => Threads(r, t));
        double GBps(string method, int t) => (double)CeilingBenchmarks.BytesReadPerThread * t / Mean(ceiling, method, r => Threads(r, t));
        var peak = new Dictionary<int, double>();
        var bandwidth = new Dictionary<(string, int), double>();
        s.AppendLine("Measured ceiling (same run):");
        s.AppendLine();
        s.AppendLine("| threads | FMA 256-bit GFLOP/s | FMA 512-bit GFLOP/s | read L2 set GB/s | read L3 set GB/s | read DRAM set GB/s |");
        s.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (int t in new[] { 1, 2 })
        {
            double f256 = Gflops(nameof(CeilingBenchmarks.Fma256), 8, t), f512 = Gflops(nameof(CeilingBenchmarks.Fma512), 16, t);
            peak[t] = Math.Max(f256, f512);
            foreach (string level in new[] { "L2", "L3", "Dram" }) bandwidth[(level, t)] = GBps("Read" + level, t);
            s.AppendLine(C, $"| {t} | {F(f256)} | {F(f512)} | {F(bandwidth[("L2", t)])} | {F(bandwidth[("L3", t)])} | {F(bandwidth[("Dram", t)])} |");
        }
        s.AppendLine();
        s.AppendLine(C, $"Working sets per thread: L2 {CeilingBenchmarks.L2Bytes / 1024} KiB, L3 {CeilingBenchmarks.L3Bytes >> 20} MiB, DRAM {CeilingBenchmarks.DramBytes >> 20} MiB. FMA: 12 independent chains per thread.");
        s.AppendLine();
        double fmaPeak = peak.TryGetValue(threads, out double p) ? p : double.NaN;

        // ---- Grid ----
        foreach (bool training in new[] { false, true })
        {
            string mode = training ? "Training (forward + backward)" : "Inference (forward)";
            s.AppendLine(C, $"{mode}, T = 64 unless stated; GFLOP/s counts {(training ? "3x" : "1x")} the forward FLOPs 2 * gates * B * H * (I + H) per step; % is of the measured FMA peak at {threads} thread(s):");
            s.AppendLine();
            s.AppendLine(training
                ? "| case | ours ms | GFLOP/s | % peak | alloc B/op | torch ms | ours vs torch | likely limit |"
                : "| case | ours ms | GFLOP/s | % peak | weights GB/s (B=1) | alloc B/op | torch ms | ours vs torch | ORT ms | ours vs ORT | likely limit |");
            s.AppendLine(training
                ? "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
                : "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
            foreach (Case c in GridBenchmarks.Selected)
            {
                bool Is(BenchmarkReport r) => ReferenceEquals(r.BenchmarkCase.Parameters["Case"], c);
                double ours = Mean(grid, training ? "OursTraining" : "OursInference", Is);
                double torch = Mean(grid, training ? "TorchTraining" : "TorchInference", Is);
                double onnx = training ? double.NaN : Mean(grid, "OnnxInference", Is);
                double flops = training ? c.TrainingFlops : c.ForwardFlops;
                double gflops = flops / ours;
                long allocated = Allocated(grid, training ? "OursTraining" : "OursInference", c);
                string limit = Limit(c, training, ours, fmaPeak, bandwidth, threads, out double weightRate);
                string name = c.Steps == 64 ? c.ToString() : $"{c} T={c.Steps}";
                string torchMs = Peer(c, training ? "TorchTraining" : "TorchInference", Ms(torch));
                string torchRatio = Peer(c, training ? "TorchTraining" : "TorchInference", X(torch / ours));
                if (training)
                    s.AppendLine(C, $"| {name} | {Ms(ours)} | {F(gflops)} | {Pct(gflops / fmaPeak)} | {allocated} | {torchMs} | {torchRatio} | {limit} |");
                else
                    s.AppendLine(C, $"| {name} | {Ms(ours)} | {F(gflops)} | {Pct(gflops / fmaPeak)} | {(c.Batch == 1 ? F(weightRate) : "")} | {allocated} | {torchMs} | {torchRatio} | {Peer(c, "OnnxInference", Ms(onnx))} | {Peer(c, "OnnxInference", X(onnx / ours))} | {limit} |");
            }
            s.AppendLine();
        }
        var wrong = PeerHealth.Checked.SelectMany(h => new[] { h.TorchInferenceWrong, h.TorchTrainingWrong, h.OnnxWrong }.Where(w => w is not null).Select(w => $"{h.Case}: {w}")).ToList();
        if (wrong.Count > 0)
        {
            s.AppendLine("\"wrong here\": the peer's path computes a wrong result on this machine, so it was not timed:");
            s.AppendLine();
            foreach (string w in wrong) s.AppendLine(C, $"- {w}");
            s.AppendLine();
        }
        s.AppendLine("\"ours vs peer\" is the peer's time divided by ours (above 1: we are faster). \"likely limit\" compares the time the");
        s.AppendLine("FLOPs need at the measured FMA peak with the time the recurrent weights need at the measured bandwidth of the");
        s.AppendLine("level they fit in per core (read once per step); when the measured time is far above both, what remains is");
        s.AppendLine("per-step latency (the serial chain of steps, synchronisation, pointwise work).");
        return s.ToString();
    }

    private static string Limit(Case c, bool training, double ns, double fmaPeak, Dictionary<(string, int), double> bandwidth, int threads, out double weightRate)
    {
        double seconds = ns * 1e-9;
        double flops = training ? c.TrainingFlops : c.ForwardFlops;
        double computeSeconds = flops / (fmaPeak * 1e9);
        // Recurrent weights read once per step (backward reads W_hh once more, and writes its gradient).
        double perCore = c.RecurrentWeightBytes / Math.Min(threads, c.Directions == 2 ? 2 : threads);
        string level = perCore <= 768 * 1024 ? "L2" : perCore <= 24 << 20 ? "L3" : "Dram";
        double streamed = c.RecurrentWeightBytes * c.Steps * (training ? 3 : 1);
        double bw = bandwidth.TryGetValue((level, threads), out double b) ? b : double.NaN;
        double memorySeconds = streamed / (bw * 1e9);
        weightRate = c.RecurrentWeightBytes * c.Steps / seconds / 1e9;
        double bound = Math.Max(computeSeconds, memorySeconds);
        string name = computeSeconds >= memorySeconds ? "compute" : level == "Dram" ? "DRAM" : level;
        if (double.IsNaN(bound)) return "";
        return seconds > 3 * bound ? $"latency ({name} bound at {Pct(bound / seconds)})" : $"{name} ({Pct(bound / seconds)} of bound)";
    }

    /// <summary>The cell's text, or "wrong here" when the peer's path was found wrong on this machine and not timed.</summary>
    private static string Peer(Case c, string path, string text) =>
        PeerHealth.Checked.FirstOrDefault(h => ReferenceEquals(h.Case, c))?.Wrong(path) is not null ? "wrong here" : text;

    private static string CpuName()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal)) return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER") ?? "unknown CPU";
    }

    private static string F(double v) => double.IsFinite(v) ? v.ToString(v >= 100 ? "F0" : v >= 10 ? "F1" : "F2", C) : "-";
    private static string Ms(double ns) => double.IsFinite(ns) ? (ns / 1e6).ToString(ns >= 1e8 ? "F0" : ns >= 1e7 ? "F1" : ns >= 1e6 ? "F2" : "F3", C) : "-";
    private static string Pct(double fraction) => double.IsFinite(fraction) ? (100 * fraction).ToString("F0", C) + "%" : "-";
    private static string X(double ratio) => double.IsFinite(ratio) ? ratio.ToString("F2", C) + "x" : "-";
}
