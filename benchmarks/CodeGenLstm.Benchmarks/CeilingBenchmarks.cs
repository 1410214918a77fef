using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// The machine's ceiling, measured in the same run as the grid: fused multiply-add throughput at 256
/// and 512 bits, and read bandwidth for working sets that live in L2, in L3 and in DRAM, on one thread
/// and on every core. The report divides the work below by the measured time.
/// </summary>
public unsafe class CeilingBenchmarks
{
    /// <summary>Fused multiply-adds per thread per invocation: 12 independent chains, each FMAs long.</summary>
    public const long FmaIterations = 4_000_000;
    public const int FmaChains = 12;

    /// <summary>Working set per thread, and bytes read per thread per invocation.</summary>
    public const long L2Bytes = 512 * 1024, L3Bytes = 8L * 1024 * 1024, DramBytes = 256L * 1024 * 1024;
    public const long BytesReadPerThread = 512L * 1024 * 1024;

    [Params(1, 2)]
    public int Threads { get; set; }

    private float*[] _buffers = new float*[0];
    private long _bufferBytes;

    public static double FmaFlops(int lanes, int threads) => 2.0 * lanes * FmaChains * FmaIterations * threads;

    [GlobalSetup(Targets = new[] { nameof(ReadL2) })] public void SetupL2() => Allocate(L2Bytes);
    [GlobalSetup(Targets = new[] { nameof(ReadL3) })] public void SetupL3() => Allocate(L3Bytes);
    [GlobalSetup(Targets = new[] { nameof(ReadDram) })] public void SetupDram() => Allocate(DramBytes);
    [GlobalSetup(Targets = new[] { nameof(Fma256), nameof(Fma512) })] public void SetupFma() => _bufferBytes = 0;

    private void Allocate(long bytes)
    {
        _bufferBytes = bytes;
        _buffers = new float*[Threads];
        // Each thread's set is allocated and first touched by that thread (the pages live near it).
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            float* p = (float*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
            for (long i = 0; i < bytes / 4; i++) p[i] = 1f / (1 + (i & 15));
            _buffers[t] = p;
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (float* p in _buffers) NativeMemory.AlignedFree(p);
        _buffers = new float*[0];
    }

    private float OnEveryThread(Func<int, float> work)
    {
        float[] results = new float[Threads];
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t => results[t] = work(t));
        float sum = 0;
        foreach (float r in results) sum += r;
        return sum;
    }

    [Benchmark] public float Fma256() => OnEveryThread(_ => Fma256Kernel(FmaIterations));
    [Benchmark] public float Fma512() => OnEveryThread(_ => Fma512Kernel(FmaIterations));
    [Benchmark] public float ReadL2() => OnEveryThread(t => Read(_buffers[t], _bufferBytes));
    [Benchmark] public float ReadL3() => OnEveryThread(t => Read(_buffers[t], _bufferBytes));
    [Benchmark] public float ReadDram() => OnEveryThread(t => Read(_buffers[t], _bufferBytes));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Fma256Kernel(long iterations)
    {
        Vector256<float> a = Vector256.Create(0.9999f), b = Vector256.Create(1e-4f);
        Vector256<float> c0 = Vector256.Create(0.1f), c1 = Vector256.Create(0.2f), c2 = Vector256.Create(0.3f), c3 = Vector256.Create(0.4f);
        Vector256<float> c4 = Vector256.Create(0.5f), c5 = Vector256.Create(0.6f), c6 = Vector256.Create(0.7f), c7 = Vector256.Create(0.8f);
        Vector256<float> c8 = Vector256.Create(0.9f), c9 = Vector256.Create(1.0f), c10 = Vector256.Create(1.1f), c11 = Vector256.Create(1.2f);
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, a, b); c1 = Vector256.FusedMultiplyAdd(c1, a, b);
            c2 = Vector256.FusedMultiplyAdd(c2, a, b); c3 = Vector256.FusedMultiplyAdd(c3, a, b);
            c4 = Vector256.FusedMultiplyAdd(c4, a, b); c5 = Vector256.FusedMultiplyAdd(c5, a, b);
            c6 = Vector256.FusedMultiplyAdd(c6, a, b); c7 = Vector256.FusedMultiplyAdd(c7, a, b);
            c8 = Vector256.FusedMultiplyAdd(c8, a, b); c9 = Vector256.FusedMultiplyAdd(c9, a, b);
            c10 = Vector256.FusedMultiplyAdd(c10, a, b); c11 = Vector256.FusedMultiplyAdd(c11, a, b);
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Fma512Kernel(long iterations)
    {
        Vector512<float> a = Vector512.Create(0.9999f), b = Vector512.Create(1e-4f);
        Vector512<float> c0 = Vector512.Create(0.1f), c1 = Vector512.Create(0.2f), c2 = Vector512.Create(0.3f), c3 = Vector512.Create(0.4f);
        Vector512<float> c4 = Vector512.Create(0.5f), c5 = Vector512.Create(0.6f), c6 = Vector512.Create(0.7f), c7 = Vector512.Create(0.8f);
        Vector512<float> c8 = Vector512.Create(0.9f), c9 = Vector512.Create(1.0f), c10 = Vector512.Create(1.1f), c11 = Vector512.Create(1.2f);
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, a, b); c1 = Vector512.FusedMultiplyAdd(c1, a, b);
            c2 = Vector512.FusedMultiplyAdd(c2, a, b); c3 = Vector512.FusedMultiplyAdd(c3, a, b);
            c4 = Vector512.FusedMultiplyAdd(c4, a, b); c5 = Vector512.FusedMultiplyAdd(c5, a, b);
            c6 = Vector512.FusedMultiplyAdd(c6, a, b); c7 = Vector512.FusedMultiplyAdd(c7, a, b);
            c8 = Vector512.FusedMultiplyAdd(c8, a, b); c9 = Vector512.FusedMultiplyAdd(c9, a, b);
            c10 = Vector512.FusedMultiplyAdd(c10, a, b); c11 = Vector512.FusedMultiplyAdd(c11, a, b);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    /// <summary>Reads the set again and again, 512-bit loads into 8 independent sums, BytesReadPerThread in all.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Read(float* p, long bytes)
    {
        long floats = bytes / 4;
        long passes = BytesReadPerThread / bytes;
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (long pass = 0; pass < passes; pass++)
        {
            for (long i = 0; i < floats; i += 128)
            {
                s0 += Vector512.Load(p + i); s1 += Vector512.Load(p + i + 16);
                s2 += Vector512.Load(p + i + 32); s3 += Vector512.Load(p + i + 48);
                s4 += Vector512.Load(p + i + 64); s5 += Vector512.Load(p + i + 80);
                s6 += Vector512.Load(p + i + 96); s7 += Vector512.Load(p + i + 112);
            }
        }
        return Vector512.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7);
    }
}
