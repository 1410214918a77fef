using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Threading;

namespace CodeGenLstm.Generated;

/// <summary>
/// Lets one call at a time into a generated model. A model instance is not thread-safe: two calls on one
/// instance at once would share its workspace and its parallel work, and the worker threads of the two
/// could wait for each other for ever. Each public call of a generated model enters the guard first (one
/// interlocked exchange, no allocation) and leaves it in a finally block, so a second call made while
/// another is running throws instead of corrupting the model or hanging.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CallGuard
{
    /// <summary>
    /// Marks <paramref name="owner"/> (a field of the model: 0 when no call runs) with the calling thread's id,
    /// or throws <see cref="InvalidOperationException"/> when a call is already running on the instance.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Enter(ref int owner, string model)
    {
        int thread = Environment.CurrentManagedThreadId;
        int running = Interlocked.CompareExchange(ref owner, thread, 0);
        if (running != 0) throw Busy(model, running == thread);
    }

    /// <summary>Clears the mark of <see cref="Enter"/>: the next call may run, on any thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Exit(ref int owner) => Volatile.Write(ref owner, 0);

    /// <summary>
    /// <see cref="Enter"/>, returning a scope whose <see cref="CallScope.Dispose"/> calls <see cref="Exit"/>: a public
    /// member of a generated model starts with <c>using CallScope call = CallGuard.Scope(ref _callThread, "Model");</c>,
    /// the same as a try/finally around its body (one line instead of a wrapper and a second method). When
    /// <see cref="Enter"/> throws, nothing was entered and nothing is exited.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CallScope Scope(ref int owner, string model)
    {
        Enter(ref owner, model);
        return new CallScope(ref owner);
    }

    private static InvalidOperationException Busy(string model, bool sameThread) => new(sameThread
        ? $"This {model} instance is already running a call on this thread (a call made from inside another of its calls, such as from the tensors ImportParameters enumerates); a model instance runs one call at a time."
        : $"This {model} instance is already running a call on another thread; a model instance is not thread-safe: use one instance per thread.");
}

/// <summary>
/// A call entered through <see cref="CallGuard.Scope"/>; disposing it (the end of the <c>using</c>) leaves the guard.
/// A ref struct holding a reference to the model's field: no allocation, and it cannot outlive the call.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly ref struct CallScope
{
    private readonly ref int _owner;

    internal CallScope(ref int owner) => _owner = ref owner;

    /// <summary>Leaves the guard (<see cref="CallGuard.Exit"/>); a default scope entered nothing and leaves nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dispose()
    {
        if (!Unsafe.IsNullRef(ref _owner)) CallGuard.Exit(ref _owner);
    }
}
