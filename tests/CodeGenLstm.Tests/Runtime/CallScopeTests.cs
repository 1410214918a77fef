using System;
using System.Threading;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Runtime;

/// <summary>
/// The scope every public member of a generated model opens first (CallGuard.Scope): it marks the model's field
/// with the calling thread, a second call while it is open throws, and leaving it (normally or by an exception)
/// clears the mark.
/// </summary>
public class CallScopeTests
{
    private int _owner;

    [Fact]
    public void AScopeMarksTheOwnerWithTheThreadAndClearsItWhenLeft()
    {
        using (CallScope call = CallGuard.Scope(ref _owner, "Model"))
            Assert.Equal(Environment.CurrentManagedThreadId, Volatile.Read(ref _owner));
        Assert.Equal(0, _owner);
    }

    [Fact]
    public void AnExceptionInsideTheScopeStillLeavesIt()
    {
        Assert.Throws<FormatException>(() => ThrowInside());
        Assert.Equal(0, _owner);
        // The next call runs.
        using CallScope next = CallGuard.Scope(ref _owner, "Model");
    }

    [Fact]
    public void ACallInsideAnotherOnTheSameThreadThrowsAndLeavesTheFirstEntered()
    {
        using (CallScope outer = CallGuard.Scope(ref _owner, "Model"))
        {
            InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => EnterAgain());
            Assert.Contains("Model instance is already running a call on this thread", e.Message, StringComparison.Ordinal);
            // The rejected scope was never entered, so it left nothing: the outer call still holds the model.
            Assert.Equal(Environment.CurrentManagedThreadId, Volatile.Read(ref _owner));
        }
        Assert.Equal(0, _owner);
    }

    [Fact]
    public void ACallFromAnotherThreadWhileOneRunsThrows()
    {
        using CallScope call = CallGuard.Scope(ref _owner, "Model");
        Exception? seen = null;
        var other = new Thread(() => seen = Record(EnterAgain));
        other.Start();
        other.Join();
        InvalidOperationException e = Assert.IsType<InvalidOperationException>(seen);
        Assert.Contains("on another thread", e.Message, StringComparison.Ordinal);
        Assert.Equal(Environment.CurrentManagedThreadId, Volatile.Read(ref _owner));
    }

    [Fact]
    public void ADefaultScopeLeavesNothing()
    {
        _owner = 42;
        using (CallScope nothing = default) { }
        Assert.Equal(42, _owner);
    }

    private void ThrowInside()
    {
        using CallScope call = CallGuard.Scope(ref _owner, "Model");
        throw new FormatException();
    }

    private void EnterAgain()
    {
        using CallScope call = CallGuard.Scope(ref _owner, "Model");
    }

    private static Exception? Record(Action action)
    {
        try { action(); return null; }
        catch (Exception e) { return e; }
    }
}
