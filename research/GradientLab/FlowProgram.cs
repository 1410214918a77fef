using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CodeGenLstm.Samples;

namespace GradientLab;

/// <summary>`-- flow run|analyze`: the gradient warnings against measured gradient flow (gradient-validation.md).</summary>
public static class FlowProgram
{
    private const string Usage = """
        GradientLab flow: do the gradient warnings match what the gradients do? (docs/diagnostics/gradient-validation.md)
          dotnet run -c Release --project research/GradientLab -- flow COMMAND [options]
        commands:
          run --sampler tuning|heldout|heldout2   measure the sampler's units; appends to research/GradientLab/results/flow-SAMPLER.csv as it goes
          run --fast                     five configurations, seven units, and the label check (CI); artifacts/gradientlab
          analyze                        rewrites research/GradientLab/results/flow-results.md from the CSVs, scoring the rules as they are now
        options:
          --configs N      (run) configurations to draw (default 700 tuning, 350 held out; 3 T each)
          --skip N         (run) leave out the first N configurations (resume an interrupted run)
          --per-compile N  (run) configurations per Roslyn compilation (default 50)
          --workers W      (run) compilations at once (default: the number of cores)
          --only IDS       (run) only these configurations of the sampler, by id (C021,C109)
          --model-seed N   (run) another model seed than the sampler's: writes flow-SAMPLER-seedN.csv (the seed-to-seed spread)
          --out DIR        where the CSVs and the report go
        """;

    public static int Run(string[] args, string repository)
    {
        var options = SampleArgs.Parse(args, Usage, ["--fast"], ["--sampler", "--configs", "--skip", "--per-compile", "--workers", "--out", "--only", "--model-seed"], commands: ["run", "analyze"]);
        bool fast = options.Has("--fast");
        string outDirectory = options.Get("--out", fast ? Path.Combine(repository, "artifacts", "gradientlab") : Repository.Results(repository));
        Directory.CreateDirectory(outDirectory);
        if (options.Command == "run")
        {
            string sampler = fast ? "fast" : options.Get("--sampler", "tuning");
            FlowRanges ranges = sampler switch
            {
                "tuning" or "fast" => FlowRanges.Tuning,
                "heldout" => FlowRanges.HeldOut,
                "heldout2" => FlowRanges.HeldOut2,
                _ => throw new ArgumentException($"--sampler: unknown sampler '{sampler}': use tuning, heldout or heldout2."),
            };
            List<FlowConfig> configs = fast ? FlowSampler.Fast()
                : FlowSampler.Draw(ranges, options.GetInt("--configs", sampler.StartsWith("heldout", StringComparison.Ordinal) ? 350 : 700, min: 1)).Skip(options.GetInt("--skip", 0, min: 0)).ToList();
            if (options.Has("--only"))
            {
                var ids = new HashSet<string>(options.Get("--only", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
                configs = configs.Where(c => ids.Contains(c.Lab.Name)).ToList();
            }
            if (options.Has("--model-seed"))
            {
                int seed = options.GetInt("--model-seed", 0, min: 0);
                configs = configs.Select(c => c with { ModelSeed = seed }).ToList();
                sampler = $"{sampler}-seed{seed}";
            }
            string csv = Path.Combine(outDirectory, $"flow-{sampler}.csv");
            if (fast && File.Exists(csv)) File.Delete(csv);
            int workers = options.GetInt("--workers", Environment.ProcessorCount, min: 1);
            Console.WriteLine($"GradientLab flow {sampler}: {configs.Count} configurations, {configs.Sum(c => c.Lengths.Length)} units, {workers} workers; {csv}");
            List<FlowUnit> units = FlowExperiment.Run(sampler, configs, options.GetInt("--per-compile", 50, min: 1), workers, csv, Console.WriteLine);
            Console.WriteLine($"{units.Count} units: {units.Count(u => u.Label == FlowLabels.Vanished)} vanished, {units.Count(u => u.Label == FlowLabels.Exploded)} exploded, {units.Count(u => u.Label == FlowLabels.Healthy)} healthy.");
            if (fast)
            {
                File.WriteAllText(Path.Combine(outDirectory, "flow-fast-results.md"), FlowAnalysis.Report(units));
                List<string> problems = FlowFastCheck.Problems(configs, units);
                foreach (string problem in problems) Console.WriteLine("CHECK FAILED: " + problem);
                if (problems.Count > 0) return 1;
                Console.WriteLine("Flow fast mode: the known-vanishing unit is labelled vanished, the known-healthy one healthy.");
            }
            return 0;
        }
        var all = new List<FlowUnit>();
        foreach (string sampler in new[] { "tuning", "heldout", "heldout2" })
        {
            string csv = Path.Combine(outDirectory, $"flow-{sampler}.csv");
            if (File.Exists(csv)) all.AddRange(Csv.Read(csv).Select(FlowUnit.FromCsv));
        }
        string report = FlowAnalysis.Report(FlowRescore.WithCurrentRules(all));
        File.WriteAllText(Path.Combine(outDirectory, "flow-results.md"), report);
        Console.WriteLine(report);
        return 0;
    }
}
