using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using CodeGenLstm;
using CodeGenLstm.Samples;
using GradientLab;

// GradientLab: do the CGL1 warnings predict training failure? (docs/diagnostics/validation.md)
const string Usage = """
    GradientLab: does the analyzers' verdict predict training failure? (docs/diagnostics/validation.md)
      dotnet run -c Release --project research/GradientLab -- COMMAND [options]
    commands:
      run --fast       five configurations on the four tasks, three seeds: checks the pipeline end to end (CI),
                       a few minutes with the build; writes to artifacts/gradientlab
      run              the full run: 75 configurations, about 40 min on 2 cores. It rewrites the committed
                       results: research/GradientLab/results/validation-runs.csv, validation-results.md and
                       docs/images/gradient-flow-decay.png (--out and --images to write elsewhere)
      analyze          re-scores the analyzers as they are now against the committed runs (seconds); rewrites
                       research/GradientLab/results/NAME-results.md and docs/images/gradient-flow-decay.png
      list             the full run's configurations and their diagnostics, no training
      flow ...         the gradient warnings against measured gradient flow (flow --help; gradient-validation.md)
    options:
      --fast           (run) the fast mode above
      --tasks LIST     (run) a subset of Adding,Copy,TemporalOrder,Agreement
      --configs N      (run, list) random configurations (default 64), drawn with --seed X (default 2026)
      --max-t T        (run, list) longest sequence drawn (default 400)
      --pilot          (run) the pilot configurations instead
      --seeds S        (run) seeds per configuration and task (default 3)
      --updates U      (run) updates per training run (default 1000; with --fast 150)
      --batch B        (run) batch size (default 16)
      --workers W      (run) training runs at once (default: the number of cores)
      --trace          (run) print every evaluation
      --name PREFIX    output files PREFIX-runs.csv and PREFIX-results.md (default validation; with --fast, fast)
      --runs FILE,...  (analyze) the runs to score (default research/GradientLab/results/PREFIX-runs.csv)
      --out DIR        where the CSV and the report go
      --images DIR     where the plot goes
      -h, --help       this text
    """;
// `-- flow ...`: the gradient warnings against measured gradient flow (FlowProgram, gradient-validation.md).
if (args.Length > 0 && args[0] == "flow") return FlowProgram.Run(args[1..], Repository.FindRoot());
var options = SampleArgs.Parse(args, Usage, ["--fast", "--pilot", "--trace"],
    ["--configs", "--seeds", "--updates", "--batch", "--max-t", "--workers", "--seed", "--tasks", "--name", "--out", "--images", "--runs"],
    commands: ["run", "analyze", "list"]);
string mode = options.Command!;
var clock = Stopwatch.StartNew();
string repository = Repository.FindRoot();

if (mode == "run")
{
    bool fast = options.Has("--fast");
    string outDirectory = options.Get("--out", fast ? Path.Combine(repository, "artifacts", "gradientlab") : Repository.Results(repository));
    string imageDirectory = options.Get("--images", fast ? outDirectory : Path.Combine(repository, "docs", "images"));
    var budget = fast
        ? new Budget(Updates: options.GetInt("--updates", 150, min: 1), Batch: options.GetInt("--batch", 16, min: 1), TestSequences: 128, EvaluateEvery: 50, Seeds: options.GetInt("--seeds", 3, min: 1))
        : new Budget(Updates: options.GetInt("--updates", 1000, min: 1), Batch: options.GetInt("--batch", 16, min: 1), TestSequences: 256, EvaluateEvery: 100, Seeds: options.GetInt("--seeds", 3, min: 1));
    List<LabConfig> configs;
    if (options.Has("--trace")) Experiment.Trace = Console.WriteLine;
    if (fast)
    {
        configs = ConfigurationSampler.Fast();
    }
    else if (options.Has("--pilot"))
    {
        configs = ConfigurationSampler.Pilot(options.GetInt("--max-t", 300, min: 1));
    }
    else
    {
        int count = options.GetInt("--configs", 64, min: 1);
        configs = ConfigurationSampler.Random(count, options.GetInt("--seed", 2026), firstId: 1, maxT: options.GetInt("--max-t", 400, min: 1));
        configs.AddRange(ConfigurationSampler.NegativeControls(firstId: 901));
        configs.AddRange(ConfigurationSampler.Designed(firstId: 951));
    }
    int workers = options.GetInt("--workers", Environment.ProcessorCount, min: 1);
    // --tasks Adding,TemporalOrder: a subset (the supplementary budget run, the agreement round); --name: the output files' prefix.
    var taskList = new List<TaskKind>();
    foreach (string t in options.Get("--tasks", "").Split(',', StringSplitOptions.RemoveEmptyEntries))
    {
        if (!Enum.TryParse(t, out TaskKind task) || !Enum.IsDefined(task) || char.IsDigit(t[0]))
            options.Fail($"--tasks: unknown task '{t}': use {string.Join(", ", Runner.AllTasks)}.");
        taskList.Add(task);
    }
    TaskKind[] tasks = taskList.ToArray();
    if (tasks.Length == 0) tasks = Runner.AllTasks;
    string name = options.Get("--name", fast ? "fast" : "validation");
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
    string name = options.Get("--name", "validation");
    // --runs a.csv,b.csv scores several runs together (the held-out tasks of both rounds).
    string runsPaths = options.Get("--runs", Path.Combine(Repository.Results(repository), name + "-runs.csv"));
    string outDirectory = options.Get("--out", Repository.Results(repository));
    string imageDirectory = options.Get("--images", Path.Combine(repository, "docs", "images"));
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
    var configs = ConfigurationSampler.Random(options.GetInt("--configs", 64, min: 1), options.GetInt("--seed", 2026), firstId: 1, maxT: options.GetInt("--max-t", 400, min: 1));
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

internal static class Repository
{
    /// <summary>The repository root: the nearest folder above the working directory (or the program) with CodeGenLstm.sln.</summary>
    public static string FindRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "CodeGenLstm.sln"))) return d.FullName;
        }
        return Directory.GetCurrentDirectory();
    }

    /// <summary>
    /// Where the committed runs and the generated result pages live: beside the harness that writes them, apart from
    /// the user documentation (docs/diagnostics), which links to them.
    /// </summary>
    public static string Results(string repository) => Path.Combine(repository, "research", "GradientLab", "results");
}
