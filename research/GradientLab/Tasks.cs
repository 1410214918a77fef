using System;
using CodeGenLstm;

namespace GradientLab;

/// <summary>
/// The long-time-lag tasks (definitions: docs/diagnostics/validation.md, "Tasks"). Agreement was added for the
/// second held-out round, after the first three had been run and scored.
/// </summary>
public enum TaskKind { Adding, Copy, TemporalOrder, Agreement }

/// <summary>A batch of one task: float input [batch, T, InputSize] and its targets.</summary>
public sealed class TaskBatch
{
    public TaskBatch(TaskKind task, int batch, int steps)
    {
        Task = task;
        Batch = batch;
        Steps = steps;
        Input = new float[batch * steps * Tasks.InputSize(task)];
        Output = new float[Tasks.LastStep(task) ? batch * Tasks.OutputSize(task) : batch * steps * Tasks.OutputSize(task)];
        OutputGradient = new float[Output.Length];
        if (task == TaskKind.Adding) Values = new float[batch];
        else Labels = new int[Tasks.LastStep(task) ? batch : batch * steps];
    }

    public TaskKind Task { get; }
    public int Batch { get; }
    public int Steps { get; }
    public float[] Input { get; }
    public float[] Output { get; }
    public float[] OutputGradient { get; }

    /// <summary>Adding: the target sums.</summary>
    public float[] Values { get; } = Array.Empty<float>();

    /// <summary>Copy: the class per step; temporal order and agreement: the class per sequence.</summary>
    public int[] Labels { get; } = Array.Empty<int>();
}

/// <summary>What a model scores on a test set.</summary>
/// <param name="Loss">The task's loss (MSE or mean cross-entropy).</param>
/// <param name="Success">Fraction of test items solved: |error| &lt; 0.04 (adding), recalled symbols right (copy), sequences right (temporal order, agreement).</param>
public readonly record struct Score(double Loss, double Success);

public static class Tasks
{
    /// <summary>
    /// Adding: value and marker. Copy: one-hot blank, 8 symbols, delimiter. Temporal order: one-hot a-d, X, Y, B, E.
    /// Agreement: one-hot over 8 words (<see cref="AgreementWords"/>).
    /// </summary>
    public static int InputSize(TaskKind task) => task switch { TaskKind.Adding => 2, TaskKind.Copy => 10, _ => 8 };

    /// <summary>Adding: the sum. Copy: blank or one of 8 symbols per step. Temporal order: XX, XY, YX, YY. Agreement: is, are.</summary>
    public static int OutputSize(TaskKind task) => task switch { TaskKind.Adding => 1, TaskKind.Copy => 9, TaskKind.Agreement => 2, _ => 4 };

    /// <summary>The agreement task's vocabulary, by one-hot index.</summary>
    public static readonly string[] AgreementWords = { "the", "of", "writer", "writers", "book", "books", "old", "<verb>" };

    public static bool LastStep(TaskKind task) => task != TaskKind.Copy;

    /// <summary>Symbols to copy at sequence length T: 10 (Arjovsky et al. 2016), fewer when T &lt; 40.</summary>
    public static int CopySymbols(int steps) => Math.Max(1, Math.Min(10, steps / 4));

    /// <summary>The success threshold of each task (validation.md).</summary>
    public static double SolvedFraction(TaskKind task) => task switch { TaskKind.Adding => 0.5, TaskKind.Copy => 0.9, _ => 0.95 };

    public static void Fill(TaskBatch b, Rng random)
    {
        Array.Clear(b.Input);
        switch (b.Task)
        {
            case TaskKind.Adding: FillAdding(b, random); break;
            case TaskKind.Copy: FillCopy(b, random); break;
            case TaskKind.Agreement: FillAgreement(b, random); break;
            default: FillTemporalOrder(b, random); break;
        }
    }

    // Adding problem (Hochreiter and Schmidhuber 1997; Le et al. 2015's layout): each step carries a number
    // uniform in [0, 1) and a marker; one marker in the first half, one in the second; the target is the sum
    // of the two marked numbers, read at the last step.
    private static void FillAdding(TaskBatch b, Rng random)
    {
        int steps = b.Steps;
        for (int s = 0; s < b.Batch; s++)
        {
            int first = random.NextInt(Math.Max(1, steps / 2)), second = steps / 2 + random.NextInt(steps - steps / 2);
            float sum = 0;
            for (int t = 0; t < steps; t++)
            {
                float value = random.NextFloat();
                float mark = t == first || t == second ? 1f : 0f;
                b.Input[(s * steps + t) * 2] = value;
                b.Input[(s * steps + t) * 2 + 1] = mark;
                sum += value * mark;
            }
            b.Values[s] = sum;
        }
    }

    // Copy task (Hochreiter and Schmidhuber 1997 sec. 5; Arjovsky et al. 2016's layout at total length T):
    // S symbols from 8 at steps 0..S-1, blanks, the delimiter at step T-S-1, blanks; the target is blank at
    // every step but the last S, where it is the S symbols in order.
    private static void FillCopy(TaskBatch b, Rng random)
    {
        int steps = b.Steps, symbols = CopySymbols(steps);
        Span<int> remembered = stackalloc int[10];
        for (int s = 0; s < b.Batch; s++)
        {
            for (int t = 0; t < steps; t++)
            {
                int token = 0, label = 0;
                if (t < symbols)
                {
                    token = 1 + random.NextInt(8);
                    remembered[t] = token;
                }
                else if (t == steps - symbols - 1)
                {
                    token = 9;
                }
                if (t >= steps - symbols) label = remembered[t - (steps - symbols)];
                b.Input[(s * steps + t) * 10 + token] = 1f;
                b.Labels[s * steps + t] = label;
            }
        }
    }

    // Temporal order (Hochreiter and Schmidhuber 1997, experiment 6a, scaled to length T): B at step 0, E at
    // step T-1, random distractors a-d elsewhere except two steps t1 in [0.1T, 0.2T) and t2 in [0.5T, 0.6T),
    // each X or Y; the class, read at the last step, is XX, XY, YX or YY.
    private static void FillTemporalOrder(TaskBatch b, Rng random)
    {
        int steps = b.Steps;
        int span = Math.Max(1, steps / 10);
        for (int s = 0; s < b.Batch; s++)
        {
            int t1 = Math.Max(1, steps / 10) + random.NextInt(span);
            int t2 = Math.Max(t1 + 1, steps / 2 + random.NextInt(span));
            int first = random.NextInt(2), second = random.NextInt(2);
            for (int t = 0; t < steps; t++)
            {
                int token = t == 0 ? 6 : t == steps - 1 ? 7 : t == t1 ? 4 + first : t == t2 ? 4 + second : random.NextInt(4);
                b.Input[(s * steps + t) * 8 + token] = 1f;
            }
            b.Labels[s] = 2 * first + second;
        }
    }

    // Agreement ("The writer of the books is/are": the verb agrees with a word far back). Step 0 is "the", step 1
    // the subject, "writer" or "writers" (uniformly); steps 2..T-2 are drawn uniformly from "the", "of", "book",
    // "books" and "old", so attractor nouns of either number come between the subject and the verb (a model that
    // agrees with the nearest noun is right half the time); step T-1 is the verb slot. The class, read there, is
    // the subject's number: 0 "is", 1 "are". Hochreiter and Schmidhuber's experiment 2 (remember the first
    // symbol across a long lag of distractors) in the words of the subject-verb agreement example.
    private static void FillAgreement(TaskBatch b, Rng random)
    {
        int steps = b.Steps;
        ReadOnlySpan<int> fillers = stackalloc int[] { 0, 1, 4, 5, 6 };
        for (int s = 0; s < b.Batch; s++)
        {
            int plural = random.NextInt(2);
            for (int t = 0; t < steps; t++)
            {
                int token = t == 0 ? 0 : t == 1 ? 2 + plural : t == steps - 1 ? 7 : fillers[random.NextInt(fillers.Length)];
                b.Input[(s * steps + t) * 8 + token] = 1f;
            }
            b.Labels[s] = plural;
        }
    }

    /// <summary>The loss and its output gradient for a batch the model has just run forward.</summary>
    public static float Loss(TaskBatch b, bool withGradient)
    {
        Span<float> gradient = withGradient ? b.OutputGradient : default;
        return b.Task == TaskKind.Adding
            ? CodeGenLstm.Loss.MeanSquaredError(b.Output, b.Values, gradient)
            : CodeGenLstm.Loss.SoftmaxCrossEntropy(b.Output, b.Labels, OutputSize(b.Task), gradient);
    }

    /// <summary>Loss and success fraction of the model's last forward on <paramref name="b"/>.</summary>
    public static Score Evaluate(TaskBatch b)
    {
        double loss = Loss(b, withGradient: false);
        double success;
        switch (b.Task)
        {
            case TaskKind.Adding:
            {
                int good = 0;
                for (int s = 0; s < b.Batch; s++)
                    if (Math.Abs(b.Output[s] - b.Values[s]) < 0.04f) good++;
                success = (double)good / b.Batch;
                break;
            }
            case TaskKind.Copy:
            {
                int symbols = CopySymbols(b.Steps), good = 0;
                for (int s = 0; s < b.Batch; s++)
                    for (int t = b.Steps - symbols; t < b.Steps; t++)
                        if (ArgMax(b.Output.AsSpan((s * b.Steps + t) * 9, 9)) == b.Labels[s * b.Steps + t]) good++;
                success = (double)good / (b.Batch * symbols);
                break;
            }
            default:
            {
                int classes = OutputSize(b.Task), good = 0;
                for (int s = 0; s < b.Batch; s++)
                    if (ArgMax(b.Output.AsSpan(s * classes, classes)) == b.Labels[s]) good++;
                success = (double)good / b.Batch;
                break;
            }
        }
        return new Score(loss, success);
    }

    /// <summary>
    /// The trivial baseline on a test batch: the loss of the best prediction that ignores the input's content.
    /// Adding: always the expected sum 1 (MSE 1/6 in expectation; Le et al. 2015 quote 0.1767). Copy: blank with
    /// certainty until the last S steps, then uniform over the 8 symbols (S ln 8 / T; Arjovsky et al. 2016).
    /// Temporal order: uniform over the 4 classes (ln 4). Agreement: uniform over is and are (ln 2).
    /// </summary>
    public static double Baseline(TaskBatch b)
    {
        switch (b.Task)
        {
            case TaskKind.Adding:
            {
                double sum = 0;
                for (int s = 0; s < b.Batch; s++) sum += (b.Values[s] - 1.0) * (b.Values[s] - 1.0);
                return sum / b.Batch;
            }
            case TaskKind.Copy:
                return CopySymbols(b.Steps) * Math.Log(8) / b.Steps;
            default:
                return Math.Log(OutputSize(b.Task));
        }
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int i = 1; i < row.Length; i++)
            if (row[i] > row[best]) best = i;
        return best;
    }
}
