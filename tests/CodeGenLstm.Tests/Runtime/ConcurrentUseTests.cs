using System;
using System.Collections.Generic;
using System.Threading;
using CodeGenLstm.Tests.Numerics;

namespace CodeGenLstm.Tests.Runtime;

/// <summary>
/// A model instance is not thread-safe; a second call on it while one runs throws InvalidOperationException
/// instead of hanging (the two calls' parts used to wait for each other at the worker threads' barrier for ever).
/// </summary>
public class ConcurrentUseTests
{
    private static readonly TimeSpan HangLimit = TimeSpan.FromMinutes(2);  // a hang detector, not a timing: the test takes well under a second

    /// <summary>Tensors that, while ImportParameters reads them, hold the call open until released: a call that is certainly running.</summary>
    private sealed class HeldTensors(IReadOnlyList<NamedTensor> tensors, ManualResetEventSlim entered, ManualResetEventSlim release) : IEnumerable<NamedTensor>
    {
        public IEnumerator<NamedTensor> GetEnumerator()
        {
            entered.Set();
            release.Wait();
            return tensors.GetEnumerator();
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    public static TheoryData<string> Calls => new() { "Forward", "Backward", "ZeroGradients", "SetInitialState", "GetFinalState", "ResetState", "ExportParameters", "ExportGradients", "ImportParameters" };

    [Theory]
    [MemberData(nameof(Calls))]
    public void EveryCallMadeWhileAnotherRunsOnAnotherThreadThrows(string call)
    {
        var model = new ParallelLstm(2);
        IReadOnlyList<NamedTensor> weights = model.ExportParameters();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Thread holder = Background(() => model.ImportParameters(new HeldTensors(weights, entered, release)));
        Assert.True(entered.Wait(HangLimit));

        var error = Assert.Throws<InvalidOperationException>(() => Call(model, call));
        Assert.Contains("already running a call on another thread", error.Message, StringComparison.Ordinal);
        Assert.Contains("use one instance per thread", error.Message, StringComparison.Ordinal);
        release.Set();
        Assert.True(holder.Join(HangLimit));

        Call(new ParallelLstm(2), "Forward");
        Call(model, "Forward");  // the guard was released: the instance works again
    }

    [Fact]
    public void ACallMadeFromInsideAnotherOnTheSameThreadThrows()
    {
        var model = new ParallelLstm(2);
        var tensors = new List<NamedTensor>(model.ExportParameters());
        IEnumerable<NamedTensor> Reentrant()
        {
            Call(model, "Forward");
            foreach (NamedTensor tensor in tensors) yield return tensor;
        }

        var error = Assert.Throws<InvalidOperationException>(() => model.ImportParameters(Reentrant()));
        Assert.Contains("on this thread", error.Message, StringComparison.Ordinal);
        Call(model, "Forward");
    }

    [Fact]
    public void TwoThreadsHammeringOneInstanceGetExceptionsNotAHangAndTheInstanceStillWorks()
    {
        var model = new ParallelLstm(5);
        int rejected = 0, completed = 0;
        var unexpected = new List<Exception>();
        using var start = new Barrier(2);
        void Hammer()
        {
            start.SignalAndWait();
            for (int i = 0; i < 150; i++)
            {
                try
                {
                    Call(model, "Forward");
                    Interlocked.Increment(ref completed);
                }
                catch (InvalidOperationException e) when (e.Message.Contains("already running a call on another thread", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref rejected);
                }
                catch (Exception e)
                {
                    lock (unexpected) unexpected.Add(e);
                }
            }
        }
        Thread first = Background(Hammer), second = Background(Hammer);
        Assert.True(first.Join(HangLimit) && second.Join(HangLimit), "a call hung");
        Assert.Empty(unexpected);
        Assert.Equal(300, rejected + completed);

        // Afterwards the instance gives what a fresh twin gives (the weights are the same, no state is carried).
        float[] mine = Call(model, "Forward"), fresh = Call(new ParallelLstm(5), "Forward");
        Assert.Equal(fresh, mine);
    }

    /// <summary>Starts a background thread: one that hangs cannot keep the test process alive.</summary>
    private static Thread Background(Action action)
    {
        var thread = new Thread(() => action()) { IsBackground = true };
        thread.Start();
        return thread;
    }

    /// <summary>Makes one call of the given name on a ParallelLstm (large enough for worker threads); returns the output of a Forward.</summary>
    private static float[] Call(ParallelLstm model, string call)
    {
        const int batch = 4, steps = 12;
        float[] input = new float[batch * steps * ParallelLstm.InputSize], output = new float[batch * steps * ParallelLstm.OutputSize];
        for (int i = 0; i < input.Length; i++) input[i] = MathF.Sin(i * 0.37f);
        switch (call)
        {
            case "Forward": model.Forward(input, batch, steps, output, training: true); break;
            case "Backward": model.Backward(output); break;
            case "ZeroGradients": model.ZeroGradients(); break;
            case "SetInitialState": model.SetInitialState(new float[ParallelLstm.StateSize], new float[ParallelLstm.CellStateSize]); break;
            case "GetFinalState": model.GetFinalState(new float[ParallelLstm.StateSize]); break;
            case "ResetState": model.ResetState(); break;
            case "ExportParameters": model.ExportParameters(); break;
            case "ExportGradients": model.ExportGradients(); break;
            default: model.ImportParameters(model.ExportParameters()); break;
        }
        return output;
    }
}
