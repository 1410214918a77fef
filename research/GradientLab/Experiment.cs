using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using CodeGenLstm;

namespace GradientLab;

/// <summary>The budget and sizes of a run; the labels' definitions depend on them (validation.md).</summary>
public sealed record Budget(int Updates, int Batch, int TestSequences, int EvaluateEvery, int Seeds);

/// <summary>Outcome labels, fixed before any run (validation.md, "Labels").</summary>
public static class Labels
{
    public const string Exploded = "exploded";
    public const string Failed = "failed";
    public const string Learned = "learned";

    /// <summary>Positive: the configuration did not train (exploded or failed).</summary>
    public static bool IsPositive(string label) => label is Exploded or Failed;

    /// <summary>
    /// The label of a configuration on a task from its seeds' labels: positive when more than half of the seeds
    /// are positive; then the more frequent of exploded and failed (failed on a tie), else learned.
    /// </summary>
    public static string Majority(IReadOnlyCollection<string> labels)
    {
        int exploded = labels.Count(l => l == Exploded), failed = labels.Count(l => l == Failed);
        if (2 * (exploded + failed) <= labels.Count) return Learned;
        return exploded > failed ? Exploded : Failed;
    }
}

/// <summary>One training run: a configuration on a task with one seed.</summary>
public sealed record RunResult(
    LabConfig Config,
    TaskKind Task,
    int Seed,
    string Label,
    bool Solved,
    int Updates,
    double StartLoss,
    double FinalTrainLoss,
    double TestLoss,
    double Baseline,
    double Success,
    double InitialDecay,
    double FinalDecay,
    double InitialGradientNorm,
    double Seconds,
    string Diagnostics)
{
    public static readonly string[] CsvHeader = LabConfig.CsvHeader.Concat(new[]
    {
        "task", "seed", "label", "solved", "updates", "start_loss", "final_train_loss", "test_loss", "baseline", "success",
        "initial_decay", "final_decay", "initial_gradient_norm", "seconds", "diagnostics",
    }).ToArray();

    public string[] CsvFields()
    {
        var c = CultureInfo.InvariantCulture;
        string F(double v) => v.ToString("G6", c);
        return Config.CsvFields().Concat(new[]
        {
            Task.ToString(), Seed.ToString(c), Label, Solved ? "1" : "0", Updates.ToString(c), F(StartLoss), F(FinalTrainLoss), F(TestLoss),
            F(Baseline), F(Success), F(InitialDecay), F(FinalDecay), F(InitialGradientNorm), Seconds.ToString("F2", c), Diagnostics,
        }).ToArray();
    }

    public static RunResult FromCsv(IReadOnlyDictionary<string, string> row)
    {
        var c = CultureInfo.InvariantCulture;
        double D(string key) => double.Parse(row[key], c);
        return new RunResult(LabConfig.FromCsv(row), Enum.Parse<TaskKind>(row["task"]), int.Parse(row["seed"], c), row["label"], row["solved"] == "1",
            int.Parse(row["updates"], c), D("start_loss"), D("final_train_loss"), D("test_loss"), D("baseline"), D("success"),
            D("initial_decay"), D("final_decay"), D("initial_gradient_norm"), D("seconds"), row["diagnostics"]);
    }
}

/// <summary>Trains one compiled model on one task and labels the outcome.</summary>
public static class Experiment
{
    /// <summary>Steps averaged for the loss at the start and for the running loss (the 10x explosion test).</summary>
    public const int LossWindow = 10;

    public static IOptimizer CreateOptimizer(LabConfig config, int parameterCount) => config.Optimizer switch
    {
        Optimizer.Sgd => new Sgd(parameterCount, config.LearningRate),
        Optimizer.SgdMomentum => new Sgd(parameterCount, config.LearningRate, momentum: 0.9f),
        Optimizer.Adam => new Adam(parameterCount, config.LearningRate),
        Optimizer.AdamW => new AdamW(parameterCount, config.LearningRate),
        Optimizer.RmsProp => new RmsProp(parameterCount, config.LearningRate),
        _ => throw new ArgumentOutOfRangeException(nameof(config), config.Optimizer, "No optimizer stated."),
    };

    /// <summary>The test set of a task at a length: the same sequences for every configuration.</summary>
    public static TaskBatch TestSet(TaskKind task, int steps, int count)
    {
        var test = new TaskBatch(task, count, steps);
        Tasks.Fill(test, new Rng(900_001 + 31 * steps + (int)task));
        return test;
    }

    public static RunResult Run(IFloatSequenceModel model, LabConfig config, TaskKind task, int seed, Budget budget, TaskBatch test, string diagnostics)
    {
        var clock = Stopwatch.StartNew();
        int steps = config.SequenceLength;
        var trainer = new Trainer(model, CreateOptimizer(config, model.ParameterCount),
            clipNorm: config.Clipping == Clipping.Norm ? config.ClipThreshold : 0f,
            clipValue: config.Clipping == Clipping.Value ? config.ClipThreshold : 0f);
        var batch = new TaskBatch(task, budget.Batch, steps);
        var random = new Rng(1000L * seed + 17L * (int)task + 1);
        double baseline = Tasks.Baseline(test);

        var losses = new Queue<double>();
        double windowSum = 0, startLoss = double.NaN, lastLoss = double.NaN;
        double initialDecay = double.NaN, finalDecay = double.NaN, initialNorm = double.NaN;
        string? label = null;
        bool solved = false;
        int update = 0;
        while (update < budget.Updates && label is null)
        {
            update++;
            Tasks.Fill(batch, random);
            bool first = update == 1;
            TrainingStep step = trainer.Step(() =>
            {
                model.Forward(batch.Input, batch.Batch, steps, batch.Output, training: true);
                float loss = Tasks.Loss(batch, withGradient: true);
                model.Backward(batch.OutputGradient);
                // The measured gradient flow, from the raw gradients (before clipping).
                if (first)
                {
                    GradientFlowReport report = GradientFlow.Analyze(model);
                    initialDecay = report.DecayRatio;
                    initialNorm = report.GlobalNorm ?? double.NaN;
                }
                else
                {
                    finalDecay = GradientFlow.DecayRatio(model.StepGradientNorms);
                }
                return loss;
            });
            if (step.Skipped || !float.IsFinite(step.Loss) || !float.IsFinite(step.GradientNorm))
            {
                label = Labels.Exploded;   // non-finite loss or gradient
                break;
            }
            lastLoss = step.Loss;
            losses.Enqueue(step.Loss);
            windowSum += step.Loss;
            if (losses.Count > LossWindow) windowSum -= losses.Dequeue();
            if (update == LossWindow) startLoss = windowSum / LossWindow;
            if (update > LossWindow && windowSum / LossWindow > 10 * startLoss)
            {
                label = Labels.Exploded;   // loss above 10x its start
                break;
            }
            if (update % budget.EvaluateEvery == 0 && update < budget.Updates)
            {
                Score score = Evaluate(model, test);
                Trace?.Invoke($"{config.Name} {task} seed {seed} update {update}: test loss {score.Loss:G4} (baseline {baseline:G4}), success {score.Success:F2}");
                if (score.Success >= Tasks.SolvedFraction(task) && double.IsFinite(score.Loss) && score.Loss < 0.9 * baseline)
                {
                    solved = true;
                    label = Labels.Learned;   // solved before the end of the budget: stop early
                }
            }
        }

        Score final = Evaluate(model, test);
        if (label is null)
        {
            if (!double.IsFinite(final.Loss)) label = Labels.Exploded;
            else if (final.Loss >= 0.9 * baseline) label = Labels.Failed;
            else label = Labels.Learned;
            solved = label == Labels.Learned && final.Success >= Tasks.SolvedFraction(task);
        }
        if (double.IsNaN(startLoss) && losses.Count > 0) startLoss = losses.Average();
        return new RunResult(config, task, seed, label, solved, update, startLoss, lastLoss, final.Loss, baseline, final.Success,
            initialDecay, finalDecay, initialNorm, clock.Elapsed.TotalSeconds, diagnostics);
    }

    /// <summary>Progress of each evaluation (--trace).</summary>
    public static Action<string>? Trace { get; set; }

    public static Score Evaluate(IFloatSequenceModel model, TaskBatch test)
    {
        model.Forward(test.Input, test.Batch, test.Steps, test.Output);
        return Tasks.Evaluate(test);
    }
}
