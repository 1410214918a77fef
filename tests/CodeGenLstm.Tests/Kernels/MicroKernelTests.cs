using System;
using System.Runtime.Intrinsics;
using CodeGenLstm.Generated;
// The matrix-product family of each width (SharedKernels.GemmFamily.cs).
using Gemm512 = CodeGenLstm.Generated.GemmFamily<CodeGenLstm.Generated.KernelOps512, System.Runtime.Intrinsics.Vector512<float>>;
using Gemm256 = CodeGenLstm.Generated.GemmFamily<CodeGenLstm.Generated.KernelOps256, System.Runtime.Intrinsics.Vector256<float>>;
using Gemm128 = CodeGenLstm.Generated.GemmFamily<CodeGenLstm.Generated.KernelOps128, System.Runtime.Intrinsics.Vector128<float>>;

namespace CodeGenLstm.Tests.Kernels;

/// <summary>
/// The runtime's packing and matrix-product micro-kernels on their own, at every vector width (a width the CPU
/// lacks runs in software, so every width is checked on every machine), against products computed here in
/// double, and bit for bit against the same multiply-adds done here in float in reduction order (fused where the
/// process has FMA), which pins their order. The generated models' tests check them again inside whole forward and
/// backward passes.
/// </summary>
[Trait("Category", "Numerical")]
public class MicroKernelTests
{
    private delegate void Gemm(ref float a, int lda, ref float b, int k, ref float c, int ldc, int init, ref float bias);
    private delegate void GemmTransposed(ref float a, int lda, ref float b, int ldb, ref float c, int ldc, int m);

    public static TheoryData<int, int> GemmCases() => new()
    {
        { 512, 6 }, { 512, 4 }, { 512, 2 }, { 512, 1 },
        { 256, 6 }, { 256, 4 }, { 256, 2 }, { 256, 1 },
        { 128, 6 }, { 128, 4 }, { 128, 2 }, { 128, 1 },
    };

    private static Gemm GemmKernel(int width, int rows) => (width, rows) switch
    {
        (512, 6) => Gemm512.Rows6, (512, 4) => Gemm512.Rows4, (512, 2) => Gemm512.Rows2, (512, 1) => Gemm512.Rows1,
        (256, 6) => Gemm256.Rows6, (256, 4) => Gemm256.Rows4, (256, 2) => Gemm256.Rows2, (256, 1) => Gemm256.Rows1,
        (128, 6) => Gemm128.Rows6, (128, 4) => Gemm128.Rows4, (128, 2) => Gemm128.Rows2, (128, 1) => Gemm128.Rows1,
        _ => throw new ArgumentOutOfRangeException(nameof(width)),
    };

    // The panel width of each micro-kernel: 4 vectors at 512 bits, 2 at 256 and 128 (docs/architecture.md).
    private static int Panel(int width) => width switch { 512 => 64, 256 => 16, _ => 8 };

    private static float[] Random(int n, int seed)
    {
        var random = new Random(seed);
        var values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    [Theory]
    [MemberData(nameof(GemmCases))]
    public void GemmMicroKernelsComputeStartPlusAB(int width, int rows)
    {
        const int k = 37, lda = k + 3;
        int nr = Panel(width), ldc = nr + 5;
        float[] a = Random(rows * lda, 1), b = Random(k * nr, 2), bias = Random(nr, 3), before = Random(rows * ldc, 4);
        for (int init = 0; init <= 2; init++)
        {
            float[] c = (float[])before.Clone();
            GemmKernel(width, rows)(ref a[0], lda, ref b[0], k, ref c[0], ldc, init, ref bias[0]);
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < ldc; j++)
                {
                    if (j >= nr)
                    {
                        Assert.True(c[r * ldc + j] == before[r * ldc + j], $"init {init}: C[{r}, {j}] outside the panel was written");
                        continue;
                    }
                    double expected = init switch { 1 => before[r * ldc + j], 2 => bias[j], _ => 0 }, scale = Math.Abs(expected);
                    float inOrder = (float)expected;
                    for (int kk = 0; kk < k; kk++)
                    {
                        expected += (double)a[r * lda + kk] * b[kk * nr + j];
                        scale += Math.Abs((double)a[r * lda + kk] * b[kk * nr + j]);
                        inOrder = InOrderProducts.MultiplyAdd(a[r * lda + kk], b[kk * nr + j], inOrder);
                    }
                    double error = Math.Abs(c[r * ldc + j] - expected);
                    Assert.True(error <= 1e-6 * scale, $"width {width}, rows {rows}, init {init}: C[{r}, {j}] = {c[r * ldc + j]}, expected {expected} (error {error:e2}, sum of |terms| {scale:g4})");
                    Assert.True(InOrderProducts.SameBits(c[r * ldc + j], inOrder), $"width {width}, rows {rows}, init {init}: C[{r}, {j}] = {c[r * ldc + j]:R}, in-order multiply-adds {inOrder:R}");
                }
        }
    }

    public static TheoryData<int, int, int> TransposedCases() => new()
    {
        { 512, 6, 4 }, { 512, 6, 1 }, { 512, 1, 4 }, { 512, 1, 1 },
        { 256, 6, 2 }, { 256, 6, 1 }, { 256, 1, 2 }, { 256, 1, 1 },
        { 128, 6, 2 }, { 128, 6, 1 }, { 128, 1, 2 }, { 128, 1, 1 },
    };

    private static GemmTransposed TransposedKernel(int width, int rows, int vectors) => (width, rows, vectors) switch
    {
        (512, 6, 4) => Gemm512.TransposedWide6, (512, 6, 1) => Gemm512.TransposedNarrow6,
        (512, 1, 4) => Gemm512.TransposedWide1, (512, 1, 1) => Gemm512.TransposedNarrow1,
        (256, 6, 2) => Gemm256.TransposedWide6, (256, 6, 1) => Gemm256.TransposedNarrow6,
        (256, 1, 2) => Gemm256.TransposedWide1, (256, 1, 1) => Gemm256.TransposedNarrow1,
        (128, 6, 2) => Gemm128.TransposedWide6, (128, 6, 1) => Gemm128.TransposedNarrow6,
        (128, 1, 2) => Gemm128.TransposedWide1, (128, 1, 1) => Gemm128.TransposedNarrow1,
        _ => throw new ArgumentOutOfRangeException(nameof(width)),
    };

    [Theory]
    [MemberData(nameof(TransposedCases))]
    public void TransposedMicroKernelsAddATransposedB(int width, int rows, int vectors)
    {
        const int m = 29;
        int columns = vectors * width / 32, lda = rows + 2, ldb = columns + 3, ldc = columns + 1;
        float[] a = Random(m * lda, 5), b = Random(m * ldb, 6), before = Random(rows * ldc, 7);
        float[] c = (float[])before.Clone();
        TransposedKernel(width, rows, vectors)(ref a[0], lda, ref b[0], ldb, ref c[0], ldc, m);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < ldc; j++)
            {
                if (j >= columns)
                {
                    Assert.True(c[r * ldc + j] == before[r * ldc + j], $"C[{r}, {j}] outside the block was written");
                    continue;
                }
                double expected = before[r * ldc + j], scale = Math.Abs(expected);
                float inOrder = before[r * ldc + j];
                for (int p = 0; p < m; p++)
                {
                    expected += (double)a[p * lda + r] * b[p * ldb + j];
                    scale += Math.Abs((double)a[p * lda + r] * b[p * ldb + j]);
                    inOrder = InOrderProducts.MultiplyAdd(a[p * lda + r], b[p * ldb + j], inOrder);
                }
                double error = Math.Abs(c[r * ldc + j] - expected);
                Assert.True(error <= 1e-6 * scale, $"width {width}, {rows} x {vectors}: C[{r}, {j}] = {c[r * ldc + j]}, expected {expected} (error {error:e2})");
                Assert.True(InOrderProducts.SameBits(c[r * ldc + j], inOrder), $"width {width}, {rows} x {vectors}: C[{r}, {j}] = {c[r * ldc + j]:R}, in-order multiply-adds {inOrder:R}");
            }
    }

    [Theory]
    [InlineData(512, true)]
    [InlineData(512, false)]
    [InlineData(256, true)]
    [InlineData(256, false)]
    [InlineData(128, true)]
    [InlineData(128, false)]
    [InlineData(0, true)]
    [InlineData(0, false)]
    public void PackPanelsLaysOutEveryPanelWithZeroPadding(int width, bool nMajor)
    {
        const int n = 70, k = 21, parts = 3;
        int nr = SharedKernels.PanelWidth(width), panels = (n + nr - 1) / nr;
        float[] source = Random(n * k, 8);
        float[] packed = new float[panels * nr * k];
        packed.AsSpan().Fill(float.NaN);   // padding must be written, not left
        for (int part = 0; part < parts; part++) SharedKernels.PackPanels(width, source, n, k, nMajor, packed, part, parts);
        for (int p = 0; p < panels; p++)
            for (int kk = 0; kk < k; kk++)
                for (int q = 0; q < nr; q++)
                {
                    int column = p * nr + q;
                    // B[kk, column]: the source is W [n, k] (B = W^T) when nMajor, else B [k, n].
                    float expected = column >= n ? 0f : nMajor ? source[column * k + kk] : source[kk * n + column];
                    Assert.True(packed[p * nr * k + kk * nr + q] == expected, $"panel {p}, k {kk}, column {q}: {packed[p * nr * k + kk * nr + q]}, expected {expected}");
                }
    }

    [Fact]
    public void PanelWidthIsTheMicroKernelsPanelOnAcceleratedWidthsAndOneOtherwise()
    {
        Assert.Equal(Vector512.IsHardwareAccelerated ? 64 : 1, SharedKernels.PanelWidth(512));
        Assert.Equal(Vector256.IsHardwareAccelerated ? 16 : 1, SharedKernels.PanelWidth(256));
        Assert.Equal(Vector128.IsHardwareAccelerated ? 8 : 1, SharedKernels.PanelWidth(128));
        Assert.Equal(1, SharedKernels.PanelWidth(0));
    }

    [Fact]
    public void PackBiasAddsBothBiasesAndPadsWithZeros()
    {
        float[] b1 = Random(19, 9), b2 = Random(19, 10);
        int nr = SharedKernels.PanelWidth(Simd.ActiveWidth), padded = (19 + nr - 1) / nr * nr;
        float[] packed = new float[padded];
        packed.AsSpan().Fill(float.NaN);
        SharedKernels.PackBias(Simd.ActiveWidth, b1, b2, packed);
        for (int j = 0; j < padded; j++)
            Assert.Equal(j < 19 ? b1[j] + b2[j] : 0f, packed[j]);
    }
}
