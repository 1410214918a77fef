using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using CodeGenLstm;
using GradientLab;

// GradientLab: do the CGL1 warnings predict training failure? (docs/diagnostics/validation.md)
//
//   dotnet run -c Release --project samples/GradientLab -- run            the full run (writes docs/diagnostics/validation-runs.csv)
//   dotnet run -c Release --project samples/GradientLab -- run --fast     a handful of configurations, a minute or two (CI)
//   dotnet run -c Release --project samples/GradientLab -- analyze        scores the analyzers as they are now against the runs
//   dotnet run -c Release --project samples/GradientLab -- list           the configurations and their diagnostics, no training
//
// Options: --configs N (random configurations), --seeds S, --updates U, --batch B, --max-t T, --workers W, --seed X,
//          --tasks Adding,Copy,TemporalOrder,Agreement (a subset), --name PREFIX (output files PREFIX-runs.csv, PREFIX-results.md),
//          --out DIR (CSV and report), --images DIR (plot), --runs FILE[,FILE] (analyze: the runs to score), --trace (evaluations).
var options = Options.Parse(args);
string mode = options.Mode;
var clock = Stopwatch.StartNew();
string repository = Options.FindRepositoryRoot();

if (mode == "run")
{
    bool fast = options.Has("fast");
    string outDirectory = options.Get("out", fast ? Path.Combine(repository, "artifacts", "gradientlab") : Path.Combine(repository, "docs", "diagnostics"));
    string imageDirectory = options.Get("images", fast ? outDirectory : Path.Combine(repository, "docs", "images"));
    var budget = fast
        ? new Budget(Updates: options.Int("updates", 150), Batch: options.Int("batch", 16), TestSequences: 128, EvaluateEvery: 50, Seeds: options.Int("seeds", 3))
        : new Budget(Updates: options.Int("updates", 1000), Batch: options.Int("batch", 16), TestSequences: 256, EvaluateEvery: 100, Seeds: options.Int("seeds", 3));
    List<LabConfig> configs;
    if (options.Has("trace")) Experiment.Trace = Console.WriteLine;
    if (fast)
    {
        configs = ConfigurationSampler.Fast();
    }
    else if (options.Has("pilot"))
    {
        configs = ConfigurationSampler.Pilot(options.Int("max-t", 300));
    }
    else
    {
        int count = options.Int("configs", 64);
        configs = ConfigurationSampler.Random(count, options.Int("seed", 2026), firstId: 1, maxT: options.Int("max-t", 400));
        configs.AddRange(ConfigurationSampler.NegativeControls(firstId: 901));
        configs.AddRange(ConfigurationSampler.Designed(firstId: 951));
    }
    int workers = options.Int("workers", Environment.ProcessorCount);
    // --tasks Adding,TemporalOrder: a subset (the supplementary budget run, the agreement round); --name: the output files' prefix.
    TaskKind[] tasks = options.Get("tasks", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<TaskKind>).ToArray();
    if (tasks.Length == 0) tasks = Runner.AllTasks;
    string name = options.Get("name", fast ? "fast" : "validation");
    Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
        "GradientLab {0}: {1} configurations x {2} tasks x {3} seeds, {4} updates of batch {5}, {6} workers; kernels {7}.",
        fast ? "fast mode" : "full run", configs.Count, tasks.Length, budget.Seeds, budget.Updates, budget.Batch, workers, Simd.ActivePath));
    List<RunResult> results = Runner.RunAll(configs, tasks, budget, workers, Console.WriteLine);
    Directory.CreateDirectory(outDirectory);
    string runsPath = Path.Combine(outDirectory, name + "-runs.csv");
    Csv.Write(runsPath, RunResult.CsvHeader, results.Select(r => r.CsvFields()));
    Console.WriteLine($"Runs: {runsPath} ({results.Count} rows), training took {clock.Elapsed.TotalSeconds:F0} s.");
    AnalysisReport report = Analysis.Score(results, fast ? "fast mode" : name == "validation" ? "full run" : name);
    File.WriteAllText(Path.Combine(outDirectory, name + "-results.md"), report.Markdown);
    if (results.Any(r => r.Task == TaskKind.Adding))
        Plots.DecayPlot(results, Path.Combine(imageDirectory, fast ? "fast-decay.png" : "gradient-flow-decay.png"));
    Console.WriteLine(report.Summary);
    Console.WriteLine($"GradientLab took {clock.Elapsed.TotalSeconds:F0} s.");
    if (fast)
    {
        List<string> problems = FastCheck.Problems(configs, results, report);
        foreach (string problem in problems) Console.WriteLine("CHECK FAILED: " + problem);
        if (problems.Count > 0) return 1;
        Console.WriteLine("Fast mode: the pipeline works (compile, analyzers, load, train, label, score, plot).");
    }
    return 0;
}
if (mode == "analyze")
{
    string name = options.Get("name", "validation");
    // --runs a.csv,b.csv scores several runs together (the held-out tasks of both rounds).
    string runsPaths = options.Get("runs", Path.Combine(repository, "docs", "diagnostics", name + "-runs.csv"));
    string outDirectory = options.Get("out", Path.Combine(repository, "docs", "diagnostics"));
    string imageDirectory = options.Get("images", Path.Combine(repository, "docs", "images"));
    List<RunResult> results = runsPaths.Split(',', StringSplitOptions.RemoveEmptyEntries)
        .SelectMany(path => Csv.Read(path).Select(RunResult.FromCsv)).ToList();
    Directory.CreateDirectory(outDirectory);
    AnalysisReport report = Analysis.Score(results, name == "validation" ? "full run" : name);
    File.WriteAllText(Path.Combine(outDirectory, name + "-results.md"), report.Markdown);
    if (results.Any(r => r.Task == TaskKind.Adding))
        Plots.DecayPlot(results, Path.Combine(imageDirectory, "gradient-flow-decay.png"));
    Console.WriteLine(report.Summary);
    Console.WriteLine($"Analysis took {clock.Elapsed.TotalSeconds:F0} s.");
    return 0;
}
if (mode == "list")
{
    // The full run's configurations and what the analyzers say about each declaration, without training.
    var configs = ConfigurationSampler.Random(options.Int("configs", 64), options.Int("seed", 2026), firstId: 1, maxT: options.Int("max-t", 400));
    configs.AddRange(ConfigurationSampler.NegativeControls(firstId: 901));
    configs.AddRange(ConfigurationSampler.Designed(firstId: 951));
    var declarations = configs.SelectMany(c => Runner.AllTasks.Select(t => (Name: Runner.ClassName(c, t), Source: c.Declaration(t, Runner.ClassName(c, t)))))
        .ToDictionary(p => p.Name, p => p.Source);
    var diagnostics = ModelCompiler.Analyze(declarations);
    foreach (LabConfig c in configs)
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0} {1,-24} {2,-10} T={3,3} H={4,2} D={5}{6} {7} g={8} fb={9} {10} {11} {12} lr={13}  {14}",
            c.Name, c.Origin, c.Cell, c.SequenceLength, c.Hidden, c.Depth, c.Residual ? "r" : " ", c.Init, c.InitGain, c.ForgetBias, c.Clipping, c.ClipThreshold,
            c.Optimizer, c.LearningRate, Analysis.Encode(diagnostics[Runner.ClassName(c, TaskKind.Adding)])));
    return 0;
}
Console.Error.WriteLine($"Unknown mode '{mode}': use run [--fast] or analyze.");
return 2;

internal sealed class Options
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public string Mode { get; private set; } = "run";

    public static Options Parse(string[] args)
    {
        var options = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal)) { options.Mode = a; continue; }
            string key = a[2..];
            string? value = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) && key is not "fast" ? args[++i] : null;
            options._values[key] = value;
        }
        return options;
    }

    public bool Has(string key) => _values.ContainsKey(key);

    public string Get(string key, string fallback) => _values.TryGetValue(key, out string? v) && v is not null ? v : fallback;

    public int Int(string key, int fallback) => _values.TryGetValue(key, out string? v) && v is not null ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The repository root: the nearest folder above the working directory (or the program) with CodeGenLstm.sln.</summary>
    public static string FindRepositoryRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "CodeGenLstm.sln"))) return d.FullName;
        }
        return Directory.GetCurrentDirectory();
    }
}
