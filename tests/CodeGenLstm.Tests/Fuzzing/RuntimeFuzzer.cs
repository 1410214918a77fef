using System;
using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.Tests.Numerics;

namespace CodeGenLstm.Tests.Fuzzing;

/// <summary>
/// Random sequences of calls on a generated model and on its twin (same kind, same seed). Each call is made on
/// the subject first. Rejected, it must throw a documented exception (ArgumentException and its subclasses, or
/// InvalidOperationException), write none of its output spans, and leave the subject equal to the twin, which
/// never sees the call. Accepted, the twin makes it too and every result and every piece of state must be the
/// same bits. Calls built to be invalid (a wrong length, a bad id, an impossible workspace) must be rejected.
/// </summary>
internal sealed partial class RuntimeFuzzer
{
    /// <summary>The kinds of model a case picks from: LSTM, GRU and RNN, bidirectional, Embedding, Dense, residual and dropout, and sizes that use the worker threads.</summary>
    public static readonly string[] Kinds =
    {
        "ParallelLstm", "ParallelBiGru", "ParallelRnnDense", "TokenLstmLastStep", "TokenGruEachStep", "MixedStack", "Lstm2Bi", "Gru1", "FuzzWideLastStep",
    };

    private static ISequenceModel Create(string kind, int seed) => kind switch
    {
        "ParallelLstm" => new ParallelLstm(seed),
        "ParallelBiGru" => new ParallelBiGru(seed),
        "ParallelRnnDense" => new ParallelRnnDense(seed),
        "TokenLstmLastStep" => new TokenLstmLastStep(seed),
        "TokenGruEachStep" => new TokenGruEachStep(seed),
        "MixedStack" => new MixedStack(seed),
        "Lstm2Bi" => new Lstm2Bi(seed),
        "Gru1" => new Gru1(seed),
        "FuzzWideLastStep" => new FuzzWideLastStep(seed),
        _ => throw new ArgumentException(kind, nameof(kind)),
    };

    private static IOptimizer CreateOptimizer(int kind, int parameterCount) => kind switch
    {
        0 => new Sgd(parameterCount, learningRate: 0.1f, momentum: 0.9f),
        1 => new Adam(parameterCount, learningRate: 1e-2f),
        2 => new AdamW(parameterCount, learningRate: 1e-2f),
        _ => new RmsProp(parameterCount, learningRate: 1e-2f, momentum: 0.5f, centered: true),
    };

    /// <summary>One side of a case: the model and its optimizer.</summary>
    private sealed record Side(ISequenceModel Model, IOptimizer Optimizer);

    /// <summary>
    /// A call: <see cref="Run"/> makes it on one side, putting the buffers it writes into the list before the call
    /// (filled with <see cref="Sentinel"/>) and any returned values after; <see cref="MustFail"/> when it was built
    /// to be invalid; <see cref="Accepted"/> updates what the fuzzer knows of the model when the call succeeded.
    /// </summary>
    private sealed record Call(string Name, bool MustFail, Action<Side, List<float[]>> Run, Action<Knowledge>? Accepted = null)
    {
        /// <summary>What the user does before the call on both sides, whatever becomes of the call (taking the Parameters span for an optimizer).</summary>
        public Action<Side>? Prepare { get; init; }
    }

    /// <summary>What the fuzzer knows of the model's state from the calls it accepted, to shape the next calls.</summary>
    private sealed class Knowledge
    {
        public int Batch = 1, Steps = 1, FinalBatch;
        public bool BackwardReady;
    }

    private const float Sentinel = 7.25f;

    private readonly FuzzTally _tally;

    public RuntimeFuzzer(FuzzTally tally) => _tally = tally;

    /// <summary>Runs one case: a model kind, a seed and a sequence of 4 to 15 calls, all drawn from <paramref name="caseSeed"/>.</summary>
    public void RunCase(int caseSeed)
    {
        var random = new Random(caseSeed);
        string kind = Kinds[random.Next(Kinds.Length)];
        int modelSeed = random.Next(), optimizer = random.Next(4);
        ISequenceModel first = Create(kind, modelSeed), second = Create(kind, modelSeed);
        var subject = new Side(first, CreateOptimizer(optimizer, first.ParameterCount));
        var twin = new Side(second, CreateOptimizer(optimizer, second.ParameterCount));
        var knowledge = new Knowledge();
        int calls = random.Next(4, 16);
        for (int i = 0; i < calls; i++)
        {
            Call call = NextCall(random, subject.Model, knowledge);
            string where = $"case {caseSeed} ({kind}), call {i} {call.Name}";
            if (!Step(call, subject, twin, knowledge, where)) return;  // one finding per case: the rest would follow from it
        }
    }

    /// <summary>Makes one call on the subject (and on the twin when accepted) and checks it; false after a finding.</summary>
    private bool Step(Call call, Side subject, Side twin, Knowledge knowledge, string where)
    {
        call.Prepare?.Invoke(subject);
        call.Prepare?.Invoke(twin);
        var written = new List<float[]>();
        Exception? rejected = null;
        try
        {
            call.Run(subject, written);
        }
        catch (Exception e)
        {
            rejected = e;
        }
        if (rejected is not null)
        {
            if (rejected is not (ArgumentException or InvalidOperationException))
                return Found($"{where}: undocumented {rejected.GetType().Name}: {rejected.Message}");
            if (rejected is ArgumentException argument && string.IsNullOrEmpty(argument.ParamName))
                return Found($"{where}: {rejected.GetType().Name} names no argument: {rejected.Message}");
            _tally.Count($"rejected {call.Name}: {rejected.GetType().Name}");
            foreach (float[] buffer in written)
            {
                if (Array.Exists(buffer, v => BitConverter.SingleToInt32Bits(v) != BitConverter.SingleToInt32Bits(Sentinel)))
                    return Found($"{where}: rejected ({rejected.Message}) but wrote its output");
            }
            string? difference = Difference(subject, twin);
            return difference is null || Found($"{where}: rejected ({rejected.Message}) and changed the model: {difference}");
        }

        if (call.MustFail)
            return Found($"{where}: an invalid call was accepted");
        var twinWritten = new List<float[]>();
        try
        {
            call.Run(twin, twinWritten);
        }
        catch (Exception e)
        {
            return Found($"{where}: accepted by the subject, rejected by its twin: {e.GetType().Name}: {e.Message}");
        }
        if (written.Count != twinWritten.Count || written.Zip(twinWritten).Any(p => !SameBits(p.First, p.Second)))
            return Found($"{where}: the twin's results differ");
        string? changed = Difference(subject, twin);
        if (changed is not null)
            return Found($"{where}: accepted, then subject and twin differ: {changed}");
        _tally.Count($"accepted {call.Name}");
        call.Accepted?.Invoke(knowledge);
        return true;
    }

    private bool Found(string text)
    {
        _tally.Finding(text);
        return false;
    }

    internal static bool SameBits(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(a).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(b));

    /// <summary>A buffer for a call to write, filled with <see cref="Sentinel"/> so that a rejected call's writes show.</summary>
    private static float[] Output(List<float[]> written, int length)
    {
        float[] buffer = new float[Math.Max(length, 0)];
        buffer.AsSpan().Fill(Sentinel);
        written.Add(buffer);
        return buffer;
    }
}
