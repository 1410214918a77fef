using TorchSharp;

namespace CodeGenLstm.TorchParity.Tests.Torch;

/// <summary>How libtorch runs in these tests.</summary>
public static class TorchSetup
{
    /// <summary>
    /// One intra-op thread, like our kernels (which run on the calling thread): both sides then sum in
    /// a fixed order, every case gives the same numbers on every run and on any core count, and the
    /// two cores of the CI machine go to xunit's two parallel test collections instead of being
    /// oversubscribed. Called at the start of every test: libtorch's setting is process-wide, but
    /// OpenMP keeps a thread count per calling thread, so each xunit worker thread sets it again.
    /// </summary>
    public static void Ensure()
    {
        if (torch.get_num_threads() != 1) torch.set_num_threads(1);
    }

    /// <summary>libtorch's version, as torch.__version__ reports it.</summary>
    public static string Version => torch.__version__;
}
