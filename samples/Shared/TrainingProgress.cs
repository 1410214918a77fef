using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console;

namespace CodeGenLstm.Samples;

/// <summary>A training run to show: <c>Step(i)</c> does update i (0-based) and returns its loss.</summary>
public sealed record TrainingJob(string Name, int Steps, Func<int, float> Step);

/// <summary>
/// Progress bars with the loss and the steps per second. On a terminal, Spectre.Console's live
/// progress display; elsewhere a plain line at every quarter of the way, so that a CI log stays short
/// and free of control codes. With <c>timing: false</c> nothing that depends on the clock is printed:
/// the output of a seeded run is then the same text on every run and machine (with the same vector path).
/// </summary>
public static class TrainingProgress
{
    /// <summary>
    /// Runs <paramref name="jobs"/>, up to <paramref name="threads"/> at a time (independent models
    /// share nothing, so two cores train two models at once). Without timing the jobs run one after
    /// the other, so that the plain lines come in a fixed order.
    /// </summary>
    public static void Run(IReadOnlyList<TrainingJob> jobs, bool timing, int threads)
    {
        if (!timing) threads = 1;
        Show(timing, board =>
        {
            var bars = new ProgressBar[jobs.Count];
            for (int j = 0; j < jobs.Count; j++) bars[j] = board.Add(jobs[j].Name, jobs[j].Steps);
            void RunJob(int j)
            {
                TrainingJob job = jobs[j];
                bars[j].Start();
                for (int i = 0; i < job.Steps; i++)
                {
                    float loss = job.Step(i);
                    bars[j].Update(i + 1, loss);
                }
                bars[j].Finish();
            }
            if (threads <= 1)
            {
                for (int j = 0; j < jobs.Count; j++) RunJob(j);
                return;
            }
            // Each worker takes the next job in list order, so the longest jobs, listed first, start first.
            int next = -1;
            var workers = new Task[Math.Min(threads, jobs.Count)];
            for (int w = 0; w < workers.Length; w++)
                workers[w] = Task.Factory.StartNew(() =>
                {
                    for (int j; (j = Interlocked.Increment(ref next)) < jobs.Count;) RunJob(j);
                }, TaskCreationOptions.LongRunning);
            Task.WaitAll(workers);
        });
    }

    /// <summary>Shows a board of progress bars while <paramref name="body"/> runs.</summary>
    public static void Show(bool timing, Action<ProgressBoard> body)
    {
        if (!SampleConsole.Interactive)
        {
            body(new ProgressBoard(null, timing));
            return;
        }
        SampleConsole.Out.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                     new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context => body(new ProgressBoard(context, timing)));
    }
}

/// <summary>The bars of one progress display.</summary>
public sealed class ProgressBoard
{
    private readonly ProgressContext? _context;
    private readonly bool _timing;
    private readonly object _gate = new();

    internal ProgressBoard(ProgressContext? context, bool timing)
    {
        _context = context;
        _timing = timing;
    }

    /// <summary>Adds a bar that reaches 100% at <paramref name="total"/> steps.</summary>
    public ProgressBar Add(string name, double total)
    {
        lock (_gate)
        {
            ProgressTask? task = _context?.AddTask(Markup.Escape(name), autoStart: false, maxValue: total);
            return new ProgressBar(name, total, task, _timing);
        }
    }
}

/// <summary>One bar: a name, the loss and the rate.</summary>
public sealed class ProgressBar
{
    private readonly string _name;
    private readonly double _total;
    private readonly ProgressTask? _task;
    private readonly bool _timing;
    private long _start;
    private int _nextQuarter = 1;
    private float _averageLoss = float.NaN;
    private long _steps;

    internal ProgressBar(string name, double total, ProgressTask? task, bool timing)
    {
        _name = name;
        _total = total;
        _task = task;
        _timing = timing;
    }

    /// <summary>Starts the clock (and the bar's elapsed time); the first <see cref="Update"/> does it if this was not called.</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _start, Stopwatch.GetTimestamp(), 0) == 0)
            _task?.StartTask();
    }

    /// <summary>Steps per second since the bar started.</summary>
    public double StepsPerSecond
    {
        get
        {
            double seconds = Seconds;
            return seconds > 0 ? Interlocked.Read(ref _steps) / seconds : 0;
        }
    }

    /// <summary>Seconds since the bar started.</summary>
    public double Seconds => _start == 0 ? 0 : Stopwatch.GetElapsedTime(_start).TotalSeconds;

    /// <summary>
    /// Reports <paramref name="steps"/> done with this loss (shown as a running average over about the last
    /// 50 steps); <paramref name="progress"/> overrides steps as the bar's position (a time budget, say);
    /// <paramref name="extra"/> is appended to the line.
    /// </summary>
    public void Update(long steps, float loss, double? progress = null, string? extra = null)
    {
        Start();
        Interlocked.Exchange(ref _steps, steps);
        if (float.IsFinite(loss))
            _averageLoss = float.IsNaN(_averageLoss) ? loss : 0.98f * _averageLoss + 0.02f * loss;
        double value = Math.Min(progress ?? steps, _total);
        if (_task is not null)
        {
            // Redrawing the description costs a string; ten times a second is what the eye sees.
            if (steps % 8 == 0 || value >= _total)
            {
                _task.Description = Markup.Escape(Describe(extra));
                _task.Value = value;
            }
            return;
        }
        if (value >= _nextQuarter * _total / 4)
        {
            while (value >= _nextQuarter * _total / 4) _nextQuarter++;
            int percent = (int)Math.Round(100 * value / _total);
            SampleConsole.Line(string.Create(CultureInfo.InvariantCulture, $"  [{percent,3}%] {Describe(extra)}"));
        }
    }

    /// <summary>Marks the bar complete.</summary>
    public void Finish()
    {
        if (_task is not null)
        {
            _task.Description = Markup.Escape(Describe(null));
            _task.Value = _total;
            _task.StopTask();
        }
    }

    private string Describe(string? extra)
    {
        string text = string.Create(CultureInfo.InvariantCulture, $"{_name,-22} step {Interlocked.Read(ref _steps),6}  loss {_averageLoss,7:F4}");
        if (_timing)
            text += string.Create(CultureInfo.InvariantCulture, $"  {StepsPerSecond,6:F0} steps/s");
        if (extra is not null)
            text += "  " + extra;
        return text;
    }
}
