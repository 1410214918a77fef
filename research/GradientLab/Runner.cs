using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodeGenLstm;

namespace GradientLab;

/// <summary>Compiles every configuration and trains it on every task with every seed, in parallel workers.</summary>
public static class Runner
{
    public static readonly TaskKind[] AllTasks = { TaskKind.Adding, TaskKind.Copy, TaskKind.TemporalOrder, TaskKind.Agreement };

    public static string ClassName(LabConfig config, TaskKind task) => $"{config.Name}_{task}";

    public static List<RunResult> RunAll(IReadOnlyList<LabConfig> configs, Budget budget, int workers, Action<string> log) =>
        RunAll(configs, AllTasks, budget, workers, log);

    public static List<RunResult> RunAll(IReadOnlyList<LabConfig> configs, IReadOnlyList<TaskKind> tasks, Budget budget, int workers, Action<string> log)
    {
        // Kernels single-threaded; the workers use the cores.
        Parallelism.MaxThreads = 1;
        var queue = new ConcurrentQueue<LabConfig>(configs.OrderByDescending(c => c.Cost));
        var results = new ConcurrentBag<RunResult>();
        var testSets = new ConcurrentDictionary<(TaskKind, int), TaskBatch>();
        int done = 0;
        var clock = Stopwatch.StartNew();
        var errors = new ConcurrentBag<Exception>();

        void Work()
        {
            while (queue.TryDequeue(out LabConfig? config))
            {
                try
                {
                    var compileClock = Stopwatch.StartNew();
                    var declarations = tasks.ToDictionary(t => ClassName(config, t), t => config.Declaration(t, ClassName(config, t)));
                    using CompiledModels models = ModelCompiler.Compile("Lab" + config.Name, declarations);
                    double compileSeconds = compileClock.Elapsed.TotalSeconds;
                    var line = new List<string>();
                    foreach (TaskKind task in tasks)
                    {
                        string className = ClassName(config, task);
                        string diagnostics = Analysis.Encode(models.Diagnostics[className]);
                        // Test sets are read-only after filling, except for the output the forward writes: one per worker use.
                        TaskBatch test = Experiment.TestSet(task, config.SequenceLength, budget.TestSequences);
                        var labels = new List<string>();
                        for (int seed = 0; seed < budget.Seeds; seed++)
                        {
                            IFloatSequenceModel model = models.Create(className, seed);
                            RunResult result = Experiment.Run(model, config, task, seed, budget, test, diagnostics);
                            results.Add(result);
                            labels.Add(result.Label[..1]);
                        }
                        line.Add($"{task}:{string.Join("", labels)}");
                    }
                    int n = Interlocked.Increment(ref done);
                    string warnings = string.Join(" ", models.Diagnostics.Values.SelectMany(d => d).Select(d => d.Id).Distinct().OrderBy(i => i, StringComparer.Ordinal));
                    log(string.Format(CultureInfo.InvariantCulture, "[{0,3}/{1}] {2,6:F0}s {3} {4,-10} T={5,3} H={6,2} D={7} {8}  compile {9:F1}s  {10}",
                        n, configs.Count, clock.Elapsed.TotalSeconds, config.Name, config.Cell, config.SequenceLength, config.Hidden, config.Depth,
                        string.Join(" ", line), compileSeconds, warnings.Length == 0 ? "(no CGL)" : warnings));
                }
                catch (Exception e)
                {
                    errors.Add(new InvalidOperationException($"{config.Name}: {e.Message}", e));
                    log($"{config.Name} FAILED: {e}");
                }
            }
        }

        var threads = Enumerable.Range(0, Math.Max(1, workers)).Select(_ => Task.Factory.StartNew(Work, TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(threads);
        GC.Collect();
        if (!errors.IsEmpty) throw new AggregateException(errors);
        return results.OrderBy(r => r.Config.Id).ThenBy(r => r.Task).ThenBy(r => r.Seed).ToList();
    }
}
