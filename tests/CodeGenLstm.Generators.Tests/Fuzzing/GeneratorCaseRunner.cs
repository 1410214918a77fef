using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using CodeGenLstm.Generators.Analyzers;
using CodeGenLstm.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CodeGenLstm.Generators.Tests.Fuzzing;

/// <summary>What the generator and the analyzers made of one input.</summary>
internal enum CaseClass
{
    /// <summary>Generated code compiles (or nothing was generated) and no new error appeared.</summary>
    Clean,

    /// <summary>The generator threw (CS8784/CS8785 or an exception in its run result).</summary>
    GeneratorException,

    /// <summary>The user's source compiles, the output does not, and no CGL0 error says why.</summary>
    SilentBadEmission,

    /// <summary>Generated code adds errors beside a CGL0 error (it should emit nothing, or nothing that fails).</summary>
    BadEmissionBesideCgl0,

    /// <summary>Generated code adds errors to an input that has its own compiler error.</summary>
    BadEmissionBesideUserError,

    /// <summary>A diagnostic message prints a non-finite number as garbage ("NeN", "infinityx").</summary>
    GarbageMessage,

    /// <summary>The generator or the analyzers did not finish within the case's time budget (long pass only).</summary>
    Hang,
}

/// <summary>The outcome of one case, with the time of each phase (all zero for a hang, which is not waited for).</summary>
internal sealed record CaseOutcome(CaseClass Class, int OutputChars, TimeSpan Elapsed, string Detail, CasePhases Phases);

/// <summary>
/// Where one case's time went: the generator driver's run (the generator, and parsing what it wrote), the
/// two analyzers over the compilation that includes the generated code (binding it, as in a build), of
/// which <see cref="AnalyzerCallbacks"/> was spent in the analyzers' own code (Roslyn's execution-time
/// telemetry, summed over both), and compiling the output for its errors. Printed by the replay
/// (DEVELOPERS.md, "Fuzzing"), never asserted.
/// </summary>
internal readonly record struct CasePhases(TimeSpan Generator, TimeSpan Analyzers, TimeSpan AnalyzerCallbacks, TimeSpan Compile);

/// <summary>
/// Runs the real generator and analyzers on a set of source files in a Roslyn compilation (the
/// harness's strict options: warnings are errors) and classifies the result. An error is "new" when
/// the compilation with the generated sources has it and the user's sources alone do not (same id,
/// file and span): errors that generation causes in the user's own files (CS0260, CS0102) count too.
/// </summary>
internal static class GeneratorCaseRunner
{
    private static readonly DiagnosticAnalyzer[] s_analyzers = { new ModelConfigurationAnalyzer(), new GradientStabilityAnalyzer() };

    public static CaseOutcome Run(IReadOnlyList<string> sources, TimeSpan? budget = null)
    {
        var clock = Stopwatch.StartNew();
        CSharpCompilation input = GeneratorHarness.Compilation(sources.ToArray());

        // The generator and the analyzers on a worker, so that a case that never returns is seen
        // as a hang instead of stopping the run (the long pass passes a budget; the short one none).
        Task<(GeneratorDriverRunResult, Compilation, ImmutableArray<Diagnostic>, ImmutableArray<Diagnostic>, TimeSpan, TimeSpan, TimeSpan)> work = Task.Run(() =>
        {
            var phase = Stopwatch.StartNew();
            GeneratorDriver driver = GeneratorHarness.Driver(trackSteps: false)
                .RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
            TimeSpan generator = phase.Elapsed;
            phase.Restart();
            // As in a build: the analyzers see the compilation with the generated sources in it.
            var (analyzerDiagnostics, callbacks) = Analyze(output);
            return (driver.GetRunResult(), output, generatorDiagnostics, analyzerDiagnostics, generator, phase.Elapsed, callbacks);
        });
        if (budget is { } limit && !work.Wait(limit))
        {
            // Let the abandoned run finish (a minute at most) before the next case starts: left running, it
            // would take the cores from the cases after it, which would then overrun the budget too.
            string ending = work.Wait(TimeSpan.FromMinutes(1)) ? $"finished after {clock.Elapsed.TotalSeconds:0.0} s" : "still running after 60 s";
            return new CaseOutcome(CaseClass.Hang, 0, clock.Elapsed, $"no result after {limit.TotalSeconds:0.#} s ({ending})", default);
        }
        var (result, output, generatorDiagnostics, analyzerDiagnostics, generatorTime, analyzerTime, callbackTime) = work.GetAwaiter().GetResult();
        TimeSpan elapsed = clock.Elapsed;
        int chars = result.Results.SelectMany(r => r.GeneratedSources).Sum(s => s.SourceText.Length);

        Exception? thrown = result.Results.Select(r => r.Exception).FirstOrDefault(e => e is not null);
        Diagnostic? failed = generatorDiagnostics.FirstOrDefault(d => d.Id is "CS8784" or "CS8785");
        if (thrown is not null || failed is not null)
            return new CaseOutcome(CaseClass.GeneratorException, chars, elapsed, thrown?.ToString() ?? failed!.ToString(), new CasePhases(generatorTime, analyzerTime, callbackTime, TimeSpan.Zero));

        Diagnostic? garbage = analyzerDiagnostics.FirstOrDefault(d => IsGarbage(d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
        if (garbage is not null)
            return new CaseOutcome(CaseClass.GarbageMessage, chars, elapsed, garbage.ToString(), new CasePhases(generatorTime, analyzerTime, callbackTime, TimeSpan.Zero));

        bool cgl0 = analyzerDiagnostics.Any(d => d.Id.StartsWith("CGL0", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error);
        var before = input.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        bool userError = before.Any(d => d.DefaultSeverity == DiagnosticSeverity.Error);
        var known = new HashSet<(string, string?, int, int)>(before.Select(Key));
        var compile = Stopwatch.StartNew();
        ImmutableArray<Diagnostic> after = output.GetDiagnostics();
        var phases = new CasePhases(generatorTime, analyzerTime, callbackTime, compile.Elapsed);
        List<Diagnostic> added = after.Where(d => d.Severity == DiagnosticSeverity.Error && !known.Contains(Key(d))).ToList();
        if (added.Count == 0) return new CaseOutcome(CaseClass.Clean, chars, elapsed, "", phases);

        string detail = string.Join("\n", added.Take(4));
        CaseClass kind = cgl0 ? CaseClass.BadEmissionBesideCgl0 : userError ? CaseClass.BadEmissionBesideUserError : CaseClass.SilentBadEmission;
        return new CaseOutcome(kind, chars, elapsed, detail, phases);
    }

    /// <summary>The analyzers' diagnostics, and the time spent in their own callbacks (not in binding the code they look at).</summary>
    private static (ImmutableArray<Diagnostic>, TimeSpan) Analyze(Compilation output)
    {
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null,
            concurrentAnalysis: true, logAnalyzerExecutionTime: true);
        CompilationWithAnalyzers analysis = output.WithAnalyzers(s_analyzers.ToImmutableArray(), options);
        ImmutableArray<Diagnostic> diagnostics = analysis.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        TimeSpan callbacks = TimeSpan.Zero;
        foreach (DiagnosticAnalyzer analyzer in s_analyzers)
            callbacks += analysis.GetAnalyzerTelemetryInfoAsync(analyzer, default).GetAwaiter().GetResult().ExecutionTime;
        return (diagnostics, callbacks);
    }

    private static (string, string?, int, int) Key(Diagnostic d) =>
        (d.Id, d.Location.SourceTree?.FilePath, d.Location.SourceSpan.Start, d.Location.SourceSpan.Length);

    /// <summary>A number printed from a non-finite value by arithmetic on it: the "infinity > NeN", "infinityx".</summary>
    private static bool IsGarbage(string message) =>
        message.Contains("NeN", StringComparison.Ordinal) || message.Contains("infinityx", StringComparison.Ordinal) ||
        message.Contains("infinity >", StringComparison.Ordinal) || message.Contains("NaN >", StringComparison.Ordinal) ||
        message.Contains('\u221E');
}
