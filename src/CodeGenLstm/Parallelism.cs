using System;

namespace CodeGenLstm;

/// <summary>How many threads the generated kernels may use.</summary>
public static class Parallelism
{
    private static int s_maxThreads = Environment.ProcessorCount;

    /// <summary>The most threads one call may use; default <see cref="Environment.ProcessorCount"/>; 1 runs everything on the caller's thread.</summary>
    public static int MaxThreads
    {
        get => s_maxThreads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            s_maxThreads = value;
        }
    }
}
