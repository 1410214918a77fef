using System.Runtime.Intrinsics.X86;

namespace CodeGenLstm.Tests.Kernels;

/// <summary>
/// A theory that runs only where AVX-VNNI runs: elsewhere (a CPU without it, or DOTNET_EnableAVXVNNI=0) each case is
/// reported as skipped with the reason, instead of passing without having run the kernel it is about.
/// </summary>
public sealed class AvxVnniTheoryAttribute : TheoryAttribute
{
    public AvxVnniTheoryAttribute()
    {
        if (!AvxVnni.IsSupported)
            Skip = "AVX-VNNI is not supported here (CPU without it, or DOTNET_EnableAVXVNNI=0): the int8 VNNI panels do not run on this machine.";
    }
}
