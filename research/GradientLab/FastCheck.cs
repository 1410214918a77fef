using System;
using System.Collections.Generic;
using System.Linq;
using CodeGenLstm;
using Microsoft.CodeAnalysis;

namespace GradientLab;

/// <summary>
/// What the fast mode (CI) checks: that the pipeline works end to end, not how well the rules predict (the
/// full run measures that). Every configuration compiled, loaded and trained on every task with every seed;
/// the diagnostics are the real analyzers' (a designed bad configuration raises its rule, the published recipe
/// none); labels are among the three; the measured gradient flow is finite; the report was scored; the agreement
/// task's sequences are laid out as validation.md says.
/// </summary>
public static class FastCheck
{
    public static List<string> Problems(IReadOnlyList<LabConfig> configs, IReadOnlyList<RunResult> results, AnalysisReport report)
    {
        var problems = new List<string>();
        int seeds = results.Select(r => r.Seed).Distinct().Count();
        int expected = configs.Count * Runner.AllTasks.Length * seeds;
        if (results.Count != expected) problems.Add($"{results.Count} runs, expected {expected}");
        foreach (RunResult r in results.Where(r => r.Label is not (Labels.Exploded or Labels.Failed or Labels.Learned)))
            problems.Add($"{r.Config.Name} {r.Task} seed {r.Seed}: label '{r.Label}'");

        void Expect(int id, string rule)
        {
            foreach (Unit u in report.Units.Where(u => u.Config.Id == id))
                if (!u.Now.Any(d => d.Id == rule) || !u.AtRunTime.Any(d => d.Id == rule))
                    problems.Add($"C{id:D3} {u.Task}: expected {rule}, got {string.Join(" ", u.Now.Select(d => d.Id))}");
        }
        Expect(2, "CGL1004");   // sigmoid RNN over 30 steps
        Expect(3, "CGL1005");   // ReLU RNN with identity gain 2
        Expect(3, "CGL1008");   // SGD without clipping
        foreach (Unit u in report.Units.Where(u => u.Config.IsControl))
            if (u.Now.Any(d => d.Id.StartsWith("CGL1", StringComparison.Ordinal) && d.Severity >= DiagnosticSeverity.Warning))
                problems.Add($"negative control {u.Config.Origin} {u.Task} raises {string.Join(" ", u.Now.Select(d => d.Id))}");
        foreach (RunResult r in results.Where(r => r.Config.Id == 1))
            if (!double.IsFinite(r.InitialDecay) || !(r.InitialDecay > 0))
                problems.Add($"C001 {r.Task} seed {r.Seed}: measured decay {r.InitialDecay}");
        if (report.Units.Count != configs.Count * Runner.AllTasks.Length) problems.Add($"{report.Units.Count} scored units");
        if (report.HeldOut.N == 0) problems.Add("nothing scored on the held-out tasks");
        problems.AddRange(AgreementProblems());
        return problems;
    }

    /// <summary>
    /// The agreement task as validation.md defines it: 8 words in, 2 classes out, read at the last step, solved at
    /// 95%; "the", the subject, fillers that are never a subject and include attractors of both numbers, the verb
    /// slot last; the class is the subject's number, both numbers drawn; the baseline is ln 2.
    /// </summary>
    private static IEnumerable<string> AgreementProblems()
    {
        const int steps = 12, batch = 64;
        const TaskKind task = TaskKind.Agreement;
        int words = Tasks.InputSize(task);
        if (words != 8 || Tasks.OutputSize(task) != 2 || !Tasks.LastStep(task) || Tasks.SolvedFraction(task) != 0.95)
        {
            yield return "agreement: not 8 words in, 2 classes out at the last step, solved at 95%";
            yield break;
        }
        var b = new TaskBatch(task, batch, steps);
        Tasks.Fill(b, new Rng(7));
        int Token(int s, int t) => Array.IndexOf(b.Input, 1f, (s * steps + t) * words, words) - (s * steps + t) * words;
        var fillers = new HashSet<int>();
        for (int s = 0; s < batch; s++)
        {
            if (Token(s, 0) != 0 || Token(s, steps - 1) != 7) yield return $"agreement sequence {s}: not 'the' first and the verb slot last";
            if (Token(s, 1) is not (2 or 3) || Token(s, 1) - 2 != b.Labels[s]) yield return $"agreement sequence {s}: class {b.Labels[s]} for word {Token(s, 1)} at step 1";
            for (int t = 2; t < steps - 1; t++)
            {
                int token = Token(s, t);
                if (token is 2 or 3 or 7 or < 0) yield return $"agreement sequence {s}: word {token} at step {t}";
                fillers.Add(token);
            }
        }
        if (!fillers.SetEquals(new[] { 0, 1, 4, 5, 6 })) yield return $"agreement: fillers {string.Join(",", fillers.Order())}, expected the, of, book, books, old";
        if (b.Labels.Distinct().Count() != 2) yield return "agreement: one number only in 64 sequences";
        if (Math.Abs(Tasks.Baseline(b) - Math.Log(2)) > 1e-12) yield return "agreement: baseline is not ln 2";
    }
}
