using System.IO;
using System.Runtime.CompilerServices;
using CodeGenLstm.Generators.Emitting;
using CodeGenLstm.Generators.Tests.Infrastructure;

namespace CodeGenLstm.Generators.Tests.Generator;

/// <summary>
/// The runtime's SharedKernels.g.cs (the kernels every model shares) is the emitter's text, checked in: the
/// emitter stays the one source of the kernels, and a change to it must be accepted into the runtime file
/// (CODEGENLSTM_ACCEPT_SNAPSHOTS=1) like a snapshot. A mismatch writes the received text beside this test,
/// never into src/: a received .cs file there would be compiled into the runtime (a duplicate class), and the
/// accept command could no longer build.
/// </summary>
public class SharedKernelsTests
{
    private static string RuntimeFile([CallerFilePath] string testFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(testFile)!, "..", "..", "..", "src", "CodeGenLstm", "Generated", "SharedKernels.g.cs"));

    private static string ReceivedFile([CallerFilePath] string testFile = "") =>
        Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots", "SharedKernels.g.received.cs");

    [Fact]
    public void TheRuntimeHoldsTheEmittersSharedKernels()
    {
        Snapshot.VerifyAt(KernelEmitter.EmitShared(), RuntimeFile(), ReceivedFile());
    }

    [Fact]
    public void AMismatchWritesNothingIntoTheRuntimeSources()
    {
        // The received file's place is decided here, not derived from the runtime file's: it lies under tests/.
        string repository = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(RuntimeFile())!, "..", "..", ".."));
        string received = Path.GetFullPath(ReceivedFile());
        Assert.StartsWith(Path.Combine(repository, "tests") + Path.DirectorySeparatorChar, received, System.StringComparison.Ordinal);
        Assert.False(received.StartsWith(Path.Combine(repository, "src") + Path.DirectorySeparatorChar, System.StringComparison.Ordinal));
    }
}
