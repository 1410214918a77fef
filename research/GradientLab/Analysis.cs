using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CodeGenLstm;
using Microsoft.CodeAnalysis;

namespace GradientLab;

/// <summary>One configuration on one task: its majority label and what the rules said about its declaration.</summary>
public sealed record Unit(LabConfig Config, TaskKind Task, string Label, IReadOnlyList<string> Seeds, IReadOnlyList<LabDiagnostic> Now, IReadOnlyList<(string Id, bool Warning)> AtRunTime)
{
    public bool Positive => Labels.IsPositive(Label);
}

/// <summary>Precision, recall and F1 with 95% percentile-bootstrap intervals.</summary>
public sealed record Metric(int N, int Positives, int Predicted, int TruePositives, int FalsePositives, int FalseNegatives,
    double Precision, double Recall, double F1, (double Low, double High) PrecisionCi, (double Low, double High) RecallCi, (double Low, double High) F1Ci,
    double Specificity, (double Low, double High) SpecificityCi)
{
    /// <summary>The share of positives: the precision of flagging every configuration.</summary>
    public double Prevalence => N == 0 ? double.NaN : (double)Positives / N;
}

public sealed record AnalysisReport(string Markdown, string Summary, IReadOnlyList<Unit> Units, Metric HeldOut, Metric Tuning);

/// <summary>
/// Scores the analyzers against the outcomes. A configuration is "predicted to fail" on a task when any
/// CGL1 diagnostic of Warning severity (or above) is reported on its declaration for that task; a positive is a
/// configuration whose majority label is exploded or failed. Thresholds are tuned on the adding problem only;
/// every other task is held out.
/// </summary>
public static class Analysis
{
    public const TaskKind TuningTask = TaskKind.Adding;
    public const int BootstrapSamples = 2000;

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>"CGL1001:W CGL1002:I": the ids with W for warnings (and errors), I for information.</summary>
    public static string Encode(IEnumerable<LabDiagnostic> diagnostics) =>
        string.Join(" ", diagnostics.Where(d => d.Id.StartsWith("CGL1", StringComparison.Ordinal))
            .Select(d => d.Id + ":" + (d.Severity >= DiagnosticSeverity.Warning ? "W" : "I")));

    private static List<(string Id, bool Warning)> Decode(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => (t[..t.IndexOf(':', StringComparison.Ordinal)], t.EndsWith(":W", StringComparison.Ordinal))).ToList();

    public static bool PredictedNow(Unit u) => u.Now.Any(d => d.Id.StartsWith("CGL1", StringComparison.Ordinal) && d.Severity >= DiagnosticSeverity.Warning);

    public static bool PredictedAtRunTime(Unit u) => u.AtRunTime.Any(d => d.Warning);

    /// <summary>Majority labels per configuration and task, with the analyzers' current verdict on each declaration.</summary>
    public static List<Unit> Units(IReadOnlyList<RunResult> results)
    {
        var groups = results.GroupBy(r => (r.Config.Id, r.Task)).OrderBy(g => g.Key.Id).ThenBy(g => g.Key.Task).ToList();
        var declarations = groups.ToDictionary(g => Runner.ClassName(g.First().Config, g.Key.Task), g => g.First().Config.Declaration(g.Key.Task, Runner.ClassName(g.First().Config, g.Key.Task)));
        Dictionary<string, List<LabDiagnostic>> now = ModelCompiler.Analyze(declarations);
        return groups.Select(g =>
        {
            LabConfig config = g.First().Config;
            var seeds = g.OrderBy(r => r.Seed).Select(r => r.Label).ToList();
            return new Unit(config, g.Key.Task, Labels.Majority(seeds), seeds, now[Runner.ClassName(config, g.Key.Task)], Decode(g.First().Diagnostics));
        }).ToList();
    }

    public static Metric Measure(IReadOnlyList<Unit> units, Func<Unit, bool> predicted) =>
        Measure(units.Select(u => (u.Positive, predicted(u))).ToArray());

    /// <summary>The metrics of (positive, predicted) pairs, with bootstrap intervals over the pairs.</summary>
    public static Metric Measure((bool Positive, bool Predicted)[] flags)
    {
        (int tp, int fp, int fn) Count(IEnumerable<(bool Positive, bool Predicted)> sample)
        {
            int tp = 0, fp = 0, fn = 0;
            foreach (var (positive, p) in sample)
            {
                if (p && positive) tp++;
                else if (p) fp++;
                else if (positive) fn++;
            }
            return (tp, fp, fn);
        }
        (double P, double R, double F, double S) Scores((int tp, int fp, int fn) c)
        {
            double p = c.tp + c.fp == 0 ? double.NaN : (double)c.tp / (c.tp + c.fp);
            double r = c.tp + c.fn == 0 ? double.NaN : (double)c.tp / (c.tp + c.fn);
            double f = 2.0 * c.tp + c.fp + c.fn == 0 ? double.NaN : 2.0 * c.tp / (2.0 * c.tp + c.fp + c.fn);
            int negatives = flags.Length - c.tp - c.fn;
            double s = negatives == 0 ? double.NaN : (double)(negatives - c.fp) / negatives;
            return (p, r, f, s);
        }
        var counts = Count(flags);
        var point = Scores(counts);
        // Percentile bootstrap over the units (configuration x task), seeded so that the report is reproducible.
        var random = new Rng(20260611);
        var ps = new List<double>(); var rs = new List<double>(); var fs = new List<double>(); var ss = new List<double>();
        var sample = new (bool, bool)[flags.Length];
        for (int b = 0; b < BootstrapSamples && flags.Length > 0; b++)
        {
            for (int i = 0; i < flags.Length; i++) sample[i] = flags[random.NextInt(flags.Length)];
            var s = Scores(Count(sample));
            if (!double.IsNaN(s.P)) ps.Add(s.P);
            if (!double.IsNaN(s.R)) rs.Add(s.R);
            if (!double.IsNaN(s.F)) fs.Add(s.F);
            int n = sample.Length - sample.Count(x => x.Item1);
            int fp = sample.Count(x => x.Item2 && !x.Item1);
            if (n > 0) ss.Add((double)(n - fp) / n);
        }
        return new Metric(flags.Length, flags.Count(f => f.Positive), flags.Count(f => f.Predicted), counts.tp, counts.fp, counts.fn,
            point.P, point.R, point.F, Interval(ps), Interval(rs), Interval(fs), point.S, Interval(ss));
    }

    private static (double, double) Interval(List<double> values)
    {
        if (values.Count == 0) return (double.NaN, double.NaN);
        values.Sort();
        return (values[(int)Math.Floor(0.025 * (values.Count - 1))], values[(int)Math.Ceiling(0.975 * (values.Count - 1))]);
    }

    internal static string F(double v) => double.IsNaN(v) ? "—" : v.ToString("0.00", C);

    internal static string Cell(double v, (double Low, double High) ci) => double.IsNaN(v) ? "—" : $"{F(v)} [{F(ci.Low)}, {F(ci.High)}]";

    internal static string Row(string name, Metric m) =>
        $"| {name} | {m.N} | {m.Positives} ({F(m.Prevalence)}) | {m.Predicted} | {m.TruePositives} | {m.FalsePositives} | {m.FalseNegatives} | {Cell(m.Precision, m.PrecisionCi)} | {Cell(m.Recall, m.RecallCi)} | {Cell(m.F1, m.F1Ci)} | {Cell(m.Specificity, m.SpecificityCi)} |";

    internal const string MetricHeader = "| | units | positives (prevalence) | predicted | TP | FP | FN | precision [95% CI] | recall [95% CI] | F1 [95% CI] | specificity [95% CI] |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |";

    public static AnalysisReport Score(IReadOnlyList<RunResult> results, string title)
    {
        List<Unit> units = Units(results);
        var tuning = units.Where(u => u.Task == TuningTask).ToList();
        var heldOut = units.Where(u => u.Task != TuningTask).ToList();
        TaskKind[] present = Runner.AllTasks.Where(t => units.Any(u => u.Task == t)).ToArray();
        string heldOutName = "held out (" + string.Join(" + ", present.Where(t => t != TuningTask)) + ")";
        string allName = present.Length == 1 ? $"all ({present[0]})" : $"all {present.Length} tasks";
        var md = new StringBuilder();
        int configs = units.Select(u => u.Config.Id).Distinct().Count();
        int seeds = results.Select(r => r.Seed).Distinct().Count();
        md.Append(C, $"# GradientLab results ({title})\n\n");
        md.Append("Generated by `research/GradientLab` from the runs CSV; do not edit by hand. Definitions: [validation.md](../../../docs/diagnostics/validation.md).\n\n");
        md.Append(C, $"{configs} configurations x {units.Select(u => u.Task).Distinct().Count()} tasks x {seeds} seeds = {results.Count} training runs, {units.Count} labelled units (configuration x task, majority of seeds).\n\n");

        md.Append("## Labels\n\n| task | exploded | failed | learned | of which solved (majority) |\n| --- | --- | --- | --- | --- |\n");
        foreach (TaskKind task in Runner.AllTasks.Where(t => units.Any(u => u.Task == t)))
        {
            var ut = units.Where(u => u.Task == task).ToList();
            int solved = ut.Count(u => results.Count(r => r.Config.Id == u.Config.Id && r.Task == task && r.Solved) * 2 > u.Seeds.Count);
            md.Append(C, $"| {task} | {ut.Count(u => u.Label == Labels.Exploded)} | {ut.Count(u => u.Label == Labels.Failed)} | {ut.Count(u => u.Label == Labels.Learned)} | {solved} |\n");
        }

        md.Append("\n## Prediction = any CGL1 warning (rules as they are now)\n\n").Append(MetricHeader).Append('\n');
        Metric tuningNow = Measure(tuning, PredictedNow), heldNow = Measure(heldOut, PredictedNow);
        md.Append(Row($"tuning task ({TuningTask})", tuningNow)).Append('\n');
        md.Append(Row($"**{heldOutName}**", heldNow)).Append('\n');
        foreach (TaskKind task in Runner.AllTasks.Where(t => t != TuningTask && units.Any(u => u.Task == t)))
            md.Append(Row($"held out: {task}", Measure(units.Where(u => u.Task == task).ToList(), PredictedNow))).Append('\n');
        md.Append(Row(allName, Measure(units, PredictedNow))).Append('\n');
        md.Append(Row("random draws only, held out", Measure(heldOut.Where(u => u.Config.Origin == "random").ToList(), PredictedNow))).Append('\n');
        md.Append(Row("reference: flag every configuration, held out", Measure(heldOut, _ => true))).Append('\n');
        md.Append("\nPrecision must be read against the prevalence (the precision of flagging everything); specificity is the share of the configurations that learned which drew no warning.\n");

        md.Append("\n## Prediction = any CGL1 warning, rules as they were when the runs were made\n\n").Append(MetricHeader).Append('\n');
        md.Append(Row($"tuning task ({TuningTask})", Measure(tuning, PredictedAtRunTime))).Append('\n');
        md.Append(Row(heldOutName, Measure(heldOut, PredictedAtRunTime))).Append('\n');
        md.Append(Row(allName, Measure(units, PredictedAtRunTime))).Append('\n');

        md.Append("\n## Prediction = any CGL1 diagnostic, information included (rules now)\n\n").Append(MetricHeader).Append('\n');
        Func<Unit, bool> any = u => u.Now.Any(d => d.Id.StartsWith("CGL1", StringComparison.Ordinal));
        md.Append(Row($"tuning task ({TuningTask})", Measure(tuning, any))).Append('\n');
        md.Append(Row(heldOutName, Measure(heldOut, any))).Append('\n');

        md.Append("\n## Per rule (rules now): the rule fires = predicted to fail\n\n");
        md.Append("Recall per rule is the share of all positives that the rule alone catches.\n\n");
        md.Append("| rule | severity | split | fires | TP | FP | precision [95% CI] | recall [95% CI] | F1 [95% CI] |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        var rules = units.SelectMany(u => u.Now).Where(d => d.Id.StartsWith("CGL1", StringComparison.Ordinal))
            .GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (Id: g.Key, Severity: g.First().Severity)).ToList();
        foreach (var (id, severity) in rules)
        {
            foreach (var (split, set) in new[] { ($"tuning ({TuningTask})", tuning), ("held out", heldOut) })
            {
                Metric m = Measure(set, u => u.Now.Any(d => d.Id == id));
                md.Append(C, $"| {id} | {severity} | {split} | {m.Predicted} | {m.TruePositives} | {m.FalsePositives} | {Cell(m.Precision, m.PrecisionCi)} | {Cell(m.Recall, m.RecallCi)} | {Cell(m.F1, m.F1Ci)} |\n");
            }
        }

        md.Append($"\n## Negative controls (published recipes)\n\n| config | recipe | CGL1 diagnostics now | labels ({string.Join(", ", present)}) |\n| --- | --- | --- | --- |\n");
        foreach (var group in units.Where(u => u.Config.IsControl).GroupBy(u => u.Config.Id))
        {
            var ids = group.SelectMany(u => u.Now).Where(d => d.Id.StartsWith("CGL1", StringComparison.Ordinal)).Select(d => $"{d.Id} ({d.Severity})").Distinct().ToList();
            md.Append(C, $"| {group.First().Config.Name} | {group.First().Config.Origin["control:".Length..]} | {(ids.Count == 0 ? "none" : string.Join(", ", ids))} | {string.Join(", ", group.OrderBy(u => u.Task).Select(u => $"{u.Label} ({string.Join("", u.Seeds.Select(s => s[0]))})"))} |\n");
        }

        md.Append("\n## Outcomes by cell (all tasks)\n\n| cell | units | exploded | failed | learned | warned |\n| --- | --- | --- | --- | --- | --- |\n");
        foreach (var group in units.GroupBy(u => u.Config.Cell).OrderBy(g => g.Key))
            md.Append(C, $"| {group.Key} | {group.Count()} | {group.Count(u => u.Label == Labels.Exploded)} | {group.Count(u => u.Label == Labels.Failed)} | {group.Count(u => u.Label == Labels.Learned)} | {group.Count(PredictedNow)} |\n");

        md.Append("\n## Every unit\n\nLabels per seed: e exploded, f failed, l learned. Warnings: CGL1 ids of Warning severity (rules now); info ids in parentheses.\n\n");
        md.Append("| config | cell | T | H | depth | init, gain | forget bias | clipping | optimizer, lr | task | label | seeds | warnings | outcome |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (Unit u in units)
        {
            LabConfig c = u.Config;
            bool predicted = PredictedNow(u);
            string outcome = predicted && u.Positive ? "TP" : predicted ? "FP" : u.Positive ? "FN" : "TN";
            string warnings = string.Join(" ", u.Now.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.Id));
            string infos = string.Join(" ", u.Now.Where(d => d.Severity < DiagnosticSeverity.Warning).Select(d => d.Id));
            if (infos.Length > 0) warnings += (warnings.Length > 0 ? " " : "") + "(" + infos + ")";
            string clipping = c.Clipping == Clipping.None ? "none" : $"{c.Clipping.ToString().ToLowerInvariant()} {c.ClipThreshold.ToString("G3", C)}";
            md.Append(C, $"| {c.Name}{(c.Origin == "random" ? "" : " " + c.Origin)} | {c.Cell} | {c.SequenceLength} | {c.Hidden} | {c.Depth}{(c.Residual ? " res" : "")} | {c.Init} {c.InitGain.ToString("G3", C)} | {(c.Cell == GradientLab.Cell.Lstm ? c.ForgetBias.ToString("G3", C) : "")} | {clipping} | {c.Optimizer} {c.LearningRate.ToString("G3", C)} | {u.Task} | {u.Label} | {string.Join("", u.Seeds.Select(s => s[0]))} | {warnings} | {outcome} |\n");
        }

        string summary = string.Format(C,
            "Tuning task ({0}): precision {1}, recall {2}, F1 {3}.\n{10}: precision {4}, recall {5}, F1 {6} ({7} units, {8} positive, {9} predicted).",
            TuningTask, Cell(tuningNow.Precision, tuningNow.PrecisionCi), Cell(tuningNow.Recall, tuningNow.RecallCi), Cell(tuningNow.F1, tuningNow.F1Ci),
            Cell(heldNow.Precision, heldNow.PrecisionCi), Cell(heldNow.Recall, heldNow.RecallCi), Cell(heldNow.F1, heldNow.F1Ci), heldNow.N, heldNow.Positives, heldNow.Predicted, char.ToUpperInvariant(heldOutName[0]) + heldOutName[1..]);
        return new AnalysisReport(md.ToString(), summary, units, heldNow, tuningNow);
    }
}
