using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.Linq;
using System.Threading;
using Xunit;

namespace CodeGenLstm.Tests.Runtime;

// Models used by these tests only: their kernels and stage methods are JIT-compiled for the first time here.
[Lstm(inputSize: 5, hiddenSize: 37)] public partial class FirstCallLstm;
[Embedding(vocabularySize: 11, dimension: 6)][Gru(hiddenSize: 19, bidirectional: true)][Dense(outputSize: 3)] public partial class FirstCallGru;

/// <summary>
/// A model's first call runs optimised kernels: the JIT compiles them fully optimised the first time
/// (AggressiveOptimization), instead of unoptimised code that tiered compilation replaces only after many calls. The
/// stage methods that call them are left to tiered compilation, whose final tier uses the running model's profile.
/// Observed through the runtime's own JIT events, not timed.
/// </summary>
public class FirstCallTests
{
    /// <summary>The optimisation tier the runtime reports in MethodLoadVerbose's MethodFlags (bits 7 and up).</summary>
    private enum Tier { Unknown = 0, MinOptJitted = 1, Optimized = 2, QuickJitted = 3, OptimizedTier1 = 4 }

    [Fact]
    public void TheFirstForwardAndBackwardRunFullyOptimisedKernels()
    {
        using var listener = new JitListener();
        var lstm = new FirstCallLstm(seed: 1);
        float[] output = new float[2 * 4 * FirstCallLstm.OutputSize];
        lstm.Forward(new float[2 * 4 * FirstCallLstm.InputSize], 2, 4, output, training: true);
        lstm.Backward(new float[output.Length]);
        var gru = new FirstCallGru(seed: 1);
        float[] logits = new float[3 * 5 * FirstCallGru.OutputSize];
        gru.Forward(new int[3 * 5], 3, 5, logits, training: true);
        gru.Backward(new float[logits.Length]);
        listener.Stop();

        foreach (string model in new[] { nameof(FirstCallLstm), nameof(FirstCallGru) })
        {
            // Every method of its kernels class (FirstCallLstmKernels): the cell's forward and backward.
            var hot = listener.Loads.Where(l => l.Type.EndsWith(model + "Kernels", StringComparison.Ordinal)).ToList();
            Assert.True(hot.Count >= 1, $"{model}: expected its kernels among the methods compiled, found {hot.Count}: " + Describe(listener.Loads));
            Assert.All(hot, l => Assert.True(l.Tier == Tier.Optimized, $"{l.Type}.{l.Method} was compiled at {l.Tier}, not fully optimised, at its first call"));
            // The stage methods are left to tiered compilation (their first tier, when the runtime tiers at all).
            if (Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") != "0")
                Assert.Contains(listener.Loads, l => l.Type.EndsWith("." + model, StringComparison.Ordinal)
                    && l.Method.StartsWith("ForwardStage", StringComparison.Ordinal) && l.Tier == Tier.QuickJitted);
        }

        // The control: the same listener sees an ordinary method of the model, compiled at the first tier (when the
        // runtime tiers at all), so the tier is read right and the assertion above can fail.
        if (Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") != "0")
            Assert.Contains(listener.Loads, l => l.Type.EndsWith("." + nameof(FirstCallLstm), StringComparison.Ordinal) && l.Method == "Forward" && l.Tier == Tier.QuickJitted);
    }

    private static string Describe(IEnumerable<Load> loads) => string.Join("; ", loads.Select(l => $"{l.Type}.{l.Method} {l.Tier}").Take(60));

    private sealed record Load(string Type, string Method, Tier Tier);

    /// <summary>Records MethodLoadVerbose events of the runtime (JIT keyword) for methods of this test assembly's models.</summary>
    private sealed class JitListener : EventListener
    {
        private const EventKeywords JitKeyword = (EventKeywords)0x10;
        private readonly ConcurrentQueue<Load> _loads = new();
        private int _stopped;

        public IReadOnlyList<Load> Loads => _loads.ToList();

        public void Stop() => Volatile.Write(ref _stopped, 1);

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, JitKeyword);
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (Volatile.Read(ref _stopped) != 0 || e.EventName is null || !e.EventName.StartsWith("MethodLoadVerbose", StringComparison.Ordinal) || e.Payload is null)
                return;
            string type = Field(e, "MethodNamespace") as string ?? "";
            if (!type.Contains("FirstCall", StringComparison.Ordinal)) return;
            long flags = Convert.ToInt64(Field(e, "MethodFlags"), System.Globalization.CultureInfo.InvariantCulture);
            _loads.Enqueue(new Load(type, Field(e, "MethodName") as string ?? "", (Tier)((flags >> 7) & 0x7)));
        }

        private static object? Field(EventWrittenEventArgs e, string name)
        {
            int i = e.PayloadNames!.IndexOf(name);
            return i < 0 ? null : e.Payload![i];
        }
    }
}
