using System.IO;
using System.Runtime.CompilerServices;
using CodeGenLstm.Generators.Emitting;
using CodeGenLstm.Generators.Tests.Infrastructure;

namespace CodeGenLstm.Generators.Tests.Generator;

/// <summary>
/// The runtime's SharedKernels.g.cs (the kernels every model shares) is the emitter's text, checked in: the
/// emitter stays the one source of the kernels, and a change to it must be accepted into the runtime file
/// (CODEGENLSTM_ACCEPT_SNAPSHOTS=1) like a snapshot.
/// </summary>
public class SharedKernelsTests
{
    private static string RuntimeFile([CallerFilePath] string testFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(testFile)!, "..", "..", "..", "src", "CodeGenLstm", "Generated", "SharedKernels.g.cs"));

    [Fact]
    public void TheRuntimeHoldsTheEmittersSharedKernels()
    {
        string file = RuntimeFile();
        Snapshot.VerifyAt(KernelEmitter.EmitShared(), file, Path.ChangeExtension(file, ".received.cs"));
    }
}
