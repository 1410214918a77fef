using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodeGenLstm;

namespace GradientLab;

/// <summary>One measured unit: a configuration at one T, its label and what the rules said about its declaration.</summary>
public sealed record FlowUnit(string Sampler, FlowConfig Config, int Steps, FlowMeasurement Measurement, string Label, string Diagnostics)
{
    public static readonly string[] CsvHeader = new[] { "sampler" }.Concat(LabConfig.CsvHeader)
        .Concat(new[] { "embedding", "bidirectional", "model_seed", "ratio_start", "ratio_after", "norm_start", "norm_after", "non_finite", "label", "diagnostics" }).ToArray();

    public string[] CsvFields()
    {
        var c = CultureInfo.InvariantCulture;
        string F(double v) => v.ToString("G6", c);
        return new[] { Sampler }.Concat((Config.Lab with { SequenceLength = Steps }).CsvFields()).Concat(new[]
        {
            Config.Embedding ? "1" : "0", Config.Bidirectional ? "1" : "0", Config.ModelSeed.ToString(c), F(Measurement.RatioAtStart), F(Measurement.RatioAfter),
            F(Measurement.NormAtStart), F(Measurement.NormAfter), Measurement.NonFinite ? "1" : "0", Label, Diagnostics,
        }).ToArray();
    }

    public static FlowUnit FromCsv(IReadOnlyDictionary<string, string> row)
    {
        var c = CultureInfo.InvariantCulture;
        double D(string key) => double.Parse(row[key], c);
        LabConfig lab = LabConfig.FromCsv(row);
        var config = new FlowConfig(lab, row["embedding"] == "1", row["bidirectional"] == "1", new[] { lab.SequenceLength }, int.Parse(row["model_seed"], c));
        var m = new FlowMeasurement(D("ratio_start"), D("ratio_after"), D("norm_start"), D("norm_after"), row["non_finite"] == "1");
        return new FlowUnit(row["sampler"], config, lab.SequenceLength, m, row["label"], row["diagnostics"]);
    }

    public bool Positive => FlowLabels.IsPositive(Label);

    public IEnumerable<(string Id, bool Warning)> Rules => Diagnostics.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Select(t => (t[..t.IndexOf(':', StringComparison.Ordinal)], t.EndsWith(":W", StringComparison.Ordinal)));

    /// <summary>Round 1's prediction: any CGL1 warning.</summary>
    public bool Predicted => Rules.Any(r => r.Warning);

    /// <summary>What the rules said when the unit was measured (the CSV's column); <see cref="Diagnostics"/> after a rescore is the rules now.</summary>
    public string? DiagnosticsAtRunTime { get; init; }
}

/// <summary>
/// Compiles configurations in batches (one compilation, one emit, one load context per batch), takes the
/// diagnostics per T from the declarations alone, measures every unit and appends it to a CSV as it finishes.
/// </summary>
public static class FlowExperiment
{
    public const int Batch = 8;

    public static List<FlowUnit> Run(string sampler, IReadOnlyList<FlowConfig> configs, int configsPerCompilation, int workers, string? csvPath, Action<string> log)
    {
        Parallelism.MaxThreads = 1;
        var chunks = new ConcurrentQueue<FlowConfig[]>(configs.Chunk(configsPerCompilation));
        var results = new ConcurrentBag<FlowUnit>();
        var writeLock = new object();
        int total = configs.Sum(c => c.Lengths.Length), done = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (csvPath is not null && !File.Exists(csvPath))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(csvPath))!);
            File.WriteAllText(csvPath, string.Join(",", FlowUnit.CsvHeader) + "\n");
        }
        var errors = new ConcurrentBag<Exception>();

        void Work()
        {
            while (chunks.TryDequeue(out FlowConfig[]? chunk))
            {
                try
                {
                    var models = chunk.ToDictionary(c => c.ClassName, c => c.Declaration(c.ClassName, c.Lengths[0]));
                    var perLength = chunk.SelectMany(c => c.Lengths.Select(t => (c, t)))
                        .ToDictionary(p => FlowConfig.UnitClassName(p.c, p.t), p => p.c.Declaration(FlowConfig.UnitClassName(p.c, p.t), p.t));
                    Dictionary<string, List<LabDiagnostic>> diagnostics = ModelCompiler.Analyze(perLength);
                    using CompiledModels compiled = ModelCompiler.Compile($"Flow{sampler}{chunk[0].Lab.Id}", models);
                    foreach (FlowConfig config in chunk)
                    {
                        foreach (int steps in config.Lengths)
                        {
                            FlowMeasurement m = Measure(compiled.CreateAny(config.ClassName, config.ModelSeed), config, steps);
                            var unit = new FlowUnit(sampler, config, steps, m, FlowLabels.Label(m), Analysis.Encode(diagnostics[FlowConfig.UnitClassName(config, steps)]));
                            results.Add(unit);
                            if (csvPath is not null)
                                lock (writeLock) File.AppendAllText(csvPath, string.Join(",", unit.CsvFields().Select(f => f.Contains(',', StringComparison.Ordinal) ? "\"" + f + "\"" : f)) + "\n");
                            int n = Interlocked.Increment(ref done);
                            if (n % 25 == 0 || total <= 50)
                                log(string.Format(CultureInfo.InvariantCulture, "[{0}/{1}] {2:F0}s {3} {4} T={5} H={6} D={7}: r {8:G3} -> {9:G3}, {10}  {11}",
                                    n, total, clock.Elapsed.TotalSeconds, config.ClassName, config.Lab.Cell, steps, config.Lab.Hidden, config.Lab.Depth,
                                    m.RatioAtStart, m.RatioAfter, unit.Label, unit.Diagnostics));
                        }
                    }
                }
                catch (Exception e)
                {
                    errors.Add(e);
                    log($"chunk at {chunk[0].ClassName} FAILED: {e.Message}");
                }
            }
        }

        Task.WaitAll(Enumerable.Range(0, Math.Max(1, workers)).Select(_ => Task.Factory.StartNew(Work, TaskCreationOptions.LongRunning)).ToArray());
        if (!errors.IsEmpty) throw new AggregateException(errors);
        return results.OrderBy(u => u.Config.Lab.Id).ThenBy(u => u.Steps).ToList();
    }

    /// <summary>
    /// Update 1 measures r and the global norm at initialisation; 20 updates of the configuration's optimizer and
    /// clipping later, update 21 measures them again (the gradient of the parameters after 20 updates).
    /// </summary>
    public static FlowMeasurement Measure(ISequenceModel model, FlowConfig config, int steps)
    {
        LabConfig l = config.Lab;
        var trainer = new Trainer(model, Experiment.CreateOptimizer(l, model.ParameterCount),
            clipNorm: l.Clipping == Clipping.Norm ? l.ClipThreshold : 0f, clipValue: l.Clipping == Clipping.Value ? l.ClipThreshold : 0f);
        var batch = new TaskBatch(config.Task, Batch, steps);
        var tokens = new int[Batch * steps];
        var random = new Rng(7919L * steps + l.Id);
        double ratioStart = double.NaN, ratioAfter = double.NaN, normStart = double.NaN, normAfter = double.NaN;
        bool nonFinite = false;
        for (int update = 1; update <= FlowLabels.Updates + 1; update++)
        {
            Array.Clear(batch.Input);
            Tasks.Fill(batch, random);
            if (config.Embedding) OneHotToTokens(batch, tokens);
            int current = update;
            TrainingStep step = trainer.Step(() =>
            {
                if (model is ITokenSequenceModel tokenModel) tokenModel.Forward(tokens, batch.Batch, steps, batch.Output, training: true);
                else ((IFloatSequenceModel)model).Forward(batch.Input, batch.Batch, steps, batch.Output, training: true);
                float loss = Tasks.Loss(batch, withGradient: true);
                model.Backward(batch.OutputGradient);
                ReadOnlySpan<float> norms = model.StepGradientNorms;
                foreach (float n in norms) if (!float.IsFinite(n)) nonFinite = true;
                double ratio = FlowLabels.Ratio(norms);
                double global = GradientFlow.Analyze(model).GlobalNorm ?? double.NaN;
                if (current == 1) { ratioStart = ratio; normStart = global; }
                if (current == FlowLabels.Updates + 1) { ratioAfter = ratio; normAfter = global; }
                return loss;
            });
            if (step.Skipped || !float.IsFinite(step.Loss) || !float.IsFinite(step.GradientNorm)) nonFinite = true;
            if (nonFinite) break;
        }
        return new FlowMeasurement(ratioStart, ratioAfter, normStart, normAfter, nonFinite);
    }

    private static void OneHotToTokens(TaskBatch batch, int[] tokens)
    {
        int words = Tasks.InputSize(batch.Task);
        for (int i = 0; i < tokens.Length; i++)
            tokens[i] = Math.Max(0, Array.IndexOf(batch.Input, 1f, i * words, words) - i * words);
    }
}
