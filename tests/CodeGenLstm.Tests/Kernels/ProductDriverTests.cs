using System;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Kernels;

/// <summary>
/// The runtime's matrix-product drivers (<c>MatMul</c>, <c>MatMulTransposedA</c>, <c>AddColumnSums</c>) at every
/// vector width and the scalar one, on sizes that are not multiples of any panel or vector (partial panels, one
/// row, column tails, k and m long enough to be cut into cache blocks), with strides wider than the rows, sub-ranges
/// of rows and columns, and every start (zero, bias, accumulate). Each result is checked against sums computed
/// here: in double with a bound on float rounding for the vector widths, and bit for bit in float, term by term in
/// order, for every width (the vector widths' multiply-adds fused where the process has FMA), and the cells outside the range must keep
/// their values. A width the CPU does not accelerate runs the scalar body: the environment's vector paths (CI
/// reruns this class under each) cover the others.
/// </summary>
[Trait("Category", "Numerical")]
public class ProductDriverTests
{
    private static readonly int[] Widths = { 512, 256, 128, 0 };

    private static float[] Random(int n, int seed)
    {
        var random = new Random(seed);
        var values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    /// <summary>The largest error of a float sum of <paramref name="terms"/> terms in order (fused or not), relative to the sum of their magnitudes.</summary>
    private static double RoundingBound(int terms) => (terms + 2) * Math.Pow(2, -24);

    // m rows, k, n, rowStart, rowEnd, columnStart, columnEnd (columnStart a multiple of every panel width, 64).
    public static TheoryData<int, int, int, int, int, int, int> MatMulCases() => new()
    {
        { 1, 1, 1, 0, 1, 0, 1 },          // the smallest product
        { 1, 37, 70, 0, 1, 0, 70 },       // one row, a partial last panel at every width
        { 7, 5, 3, 2, 7, 0, 3 },          // fewer columns than any panel; rows from the middle
        { 13, 37, 130, 0, 13, 64, 130 },  // the second column chunk only, ending in a partial panel
        { 9, 64, 64, 1, 9, 0, 64 },       // 8 rows: the 4 + 4 split; whole panels
        { 17, 16, 16, 0, 17, 0, 16 },     // 6 + 6 + 4 + 1 rows
        { 11, 2, 128, 0, 11, 0, 64 },     // the first column chunk of two
        { 8, 1100, 20, 0, 8, 0, 20 },     // k cut into blocks of 512; a partial panel
        { 3, 1030, 72, 0, 3, 0, 72 },     // k cut into blocks; 64 + 8 columns
    };

    [Theory]
    [MemberData(nameof(MatMulCases))]
    public void MatMulComputesStartPlusABOnItsRangeAtEveryWidth(int m, int k, int n, int rowStart, int rowEnd, int columnStart, int columnEnd)
    {
        int lda = k + 3, ldc = n + 5;
        float[] a = Random(m * lda, 1), weights = Random(n * k, 2), biasValues = Random(n, 3), before = Random(m * ldc, 4);
        foreach (int width in Widths)
        {
            int nr = SharedKernels.PanelWidth(width), padded = (n + nr - 1) / nr * nr;
            var packed = new float[padded * k];
            SharedKernels.PackPanels(width, weights, n, k, nMajor: true, packed, 0, 1);
            var bias = new float[padded];
            SharedKernels.PackBias(width, biasValues, default, bias);
            for (int init = 0; init <= 2; init++)
            {
                float[] c = (float[])before.Clone();
                SharedKernels.MatMul(width, k, n, a, lda, packed, init == 2 ? bias : default, c, ldc, rowStart, rowEnd, columnStart, columnEnd, accumulate: init == 1);
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < ldc; j++)
                    {
                        float got = c[i * ldc + j];
                        if (i < rowStart || i >= rowEnd || j < columnStart || j >= columnEnd)
                        {
                            Assert.True(got == before[i * ldc + j], $"width {width}, init {init}: C[{i}, {j}] outside the range was written");
                            continue;
                        }
                        // W is [n, k] as PyTorch keeps it; B = W^T.
                        float start = init switch { 1 => before[i * ldc + j], 2 => biasValues[j], _ => 0f };
                        if (width == 0 || nr == 1)
                        {
                            float sum = start;
                            for (int kk = 0; kk < k; kk++) sum += a[i * lda + kk] * weights[j * k + kk];
                            Assert.True(BitConverter.SingleToInt32Bits(got) == BitConverter.SingleToInt32Bits(sum),
                                $"scalar, init {init}: C[{i}, {j}] = {got:R}, in-order float sum {sum:R}");
                            continue;
                        }
                        double expected = start, scale = Math.Abs(expected);
                        float inOrder = start;
                        for (int kk = 0; kk < k; kk++)
                        {
                            double term = (double)a[i * lda + kk] * weights[j * k + kk];
                            expected += term;
                            scale += Math.Abs(term);
                            inOrder = InOrderProducts.MultiplyAdd(a[i * lda + kk], weights[j * k + kk], inOrder);
                        }
                        double error = Math.Abs(got - expected);
                        Assert.True(error <= RoundingBound(k) * scale,
                            $"width {width}, init {init}: C[{i}, {j}] = {got}, expected {expected} (error {error:e2}, sum of |terms| {scale:g4})");
                        Assert.True(InOrderProducts.SameBits(got, inOrder),
                            $"width {width}, init {init}: C[{i}, {j}] = {got:R}, in-order multiply-adds {inOrder:R}");
                    }
            }
        }
    }

    [Theory]
    [InlineData(512, 200)]
    [InlineData(256, 200)]
    [InlineData(128, 200)]
    [InlineData(0, 200)]
    [InlineData(512, 100)]
    [InlineData(256, 100)]
    [InlineData(128, 100)]
    [InlineData(0, 100)]
    public void MatMulInPartsGivesTheSameBitsAsInOneCall(int width, int n)
    {
        // The model's threads each take a share (SplitProduct: columns in chunks of 64 when there are enough for
        // the parts, as with n = 200, else rows, as with n = 100); a number must not depend on whose share it is in.
        const int m = 23, k = 45, parts = 3;
        int nr = SharedKernels.PanelWidth(width), padded = (n + nr - 1) / nr * nr;
        float[] a = Random(m * k, 5), weights = Random(n * k, 6), biasValues = Random(n, 7);
        var packed = new float[padded * k];
        SharedKernels.PackPanels(width, weights, n, k, nMajor: true, packed, 0, 1);
        var bias = new float[padded];
        SharedKernels.PackBias(width, biasValues, default, bias);
        var whole = new float[m * n];
        SharedKernels.MatMul(width, k, n, a, k, packed, bias, whole, n, 0, m, 0, n, accumulate: false);
        var split = new float[m * n];
        for (int part = 0; part < parts; part++)
        {
            SharedKernels.SplitProduct(m, n, part, parts, out int r0, out int r1, out int c0, out int c1);
            SharedKernels.MatMul(width, k, n, a, k, packed, bias, split, n, r0, r1, c0, c1, accumulate: false);
        }
        for (int i = 0; i < whole.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(whole[i]) == BitConverter.SingleToInt32Bits(split[i]), $"width {width}: element {i} differs when split");
    }

    // m, n1, n2, rowStart, rowEnd.
    public static TheoryData<int, int, int, int, int> TransposedCases() => new()
    {
        { 1, 1, 1, 0, 1 },
        { 29, 7, 3, 0, 7 },      // fewer columns than a vector: all through the tile
        { 5, 6, 64, 0, 6 },      // one whole 512-bit panel, 4 of 256 and 128
        { 300, 13, 83, 2, 13 },  // m in blocks of 256; panels, single vectors and a 3-column tail; rows from the middle
        { 3, 2, 130, 1, 2 },     // one row of C
        { 40, 12, 24, 6, 12 },   // 16 + 8 columns: a panel and a single vector at 512 bits
    };

    [Theory]
    [MemberData(nameof(TransposedCases))]
    public void MatMulTransposedAAddsATransposedBOnItsRowsAtEveryWidth(int m, int n1, int n2, int rowStart, int rowEnd)
    {
        int lda = n1 + 2, ldb = n2 + 3;
        float[] a = Random(m * lda, 8), b = Random(m * ldb, 9), before = Random(n1 * n2, 10);
        foreach (int width in Widths)
        {
            float[] c = (float[])before.Clone();
            SharedKernels.MatMulTransposedA(width, n1, n2, a, lda, b, ldb, c, m, rowStart, rowEnd);
            bool scalar = width == 0 || SharedKernels.PanelWidth(width) == 1;
            for (int r = 0; r < n1; r++)
                for (int j = 0; j < n2; j++)
                {
                    float got = c[r * n2 + j];
                    if (r < rowStart || r >= rowEnd)
                    {
                        Assert.True(got == before[r * n2 + j], $"width {width}: C[{r}, {j}] outside the rows was written");
                        continue;
                    }
                    if (scalar)
                    {
                        float sum = before[r * n2 + j];
                        for (int p = 0; p < m; p++) sum += a[p * lda + r] * b[p * ldb + j];
                        Assert.True(BitConverter.SingleToInt32Bits(got) == BitConverter.SingleToInt32Bits(sum),
                            $"scalar: C[{r}, {j}] = {got:R}, in-order float sum {sum:R}");
                        continue;
                    }
                    double expected = before[r * n2 + j], scale = Math.Abs(expected);
                    float inOrder = before[r * n2 + j];
                    for (int p = 0; p < m; p++)
                    {
                        double term = (double)a[p * lda + r] * b[p * ldb + j];
                        expected += term;
                        scale += Math.Abs(term);
                        inOrder = InOrderProducts.MultiplyAdd(a[p * lda + r], b[p * ldb + j], inOrder);
                    }
                    double error = Math.Abs(got - expected);
                    Assert.True(error <= RoundingBound(m) * scale, $"width {width}: C[{r}, {j}] = {got}, expected {expected} (error {error:e2})");
                    Assert.True(InOrderProducts.SameBits(got, inOrder), $"width {width}: C[{r}, {j}] = {got:R}, in-order multiply-adds {inOrder:R}");
                }
        }
    }

    // m, n, columnStart, columnEnd.
    [Theory]
    [InlineData(1, 1, 0, 1)]
    [InlineData(5, 3, 0, 3)]      // narrower than every vector
    [InlineData(4, 8, 0, 8)]
    [InlineData(7, 17, 0, 17)]    // 16 + 1, 8 + 8 + 1, 4 x 4 + 1
    [InlineData(3, 70, 64, 70)]   // a second chunk narrower than a 512-bit vector
    [InlineData(6, 130, 0, 64)]
    [InlineData(2, 130, 64, 130)]
    public void AddColumnSumsAddsEveryRowInOrderAtEveryWidth(int m, int n, int columnStart, int columnEnd)
    {
        int lda = n + 4;
        float[] a = Random(m * lda, 11), before = Random(n + 2, 12);
        foreach (int width in Widths)
        {
            float[] sums = (float[])before.Clone();
            SharedKernels.AddColumnSums(width, n, a, lda, m, sums, columnStart, columnEnd);
            for (int j = 0; j < sums.Length; j++)
            {
                float expected = before[j];
                if (j >= columnStart && j < columnEnd)
                    for (int p = 0; p < m; p++) expected += a[p * lda + j];
                // Additions only: every width adds the same terms in the same order, so the bits agree.
                Assert.True(BitConverter.SingleToInt32Bits(sums[j]) == BitConverter.SingleToInt32Bits(expected), $"width {width}: sums[{j}] = {sums[j]:R}, expected {expected:R}");
            }
        }
    }

    [Fact]
    public void ProductsAllocateNothingPerCall()
    {
        // A partial panel and a column tail, so that both tiles are taken (on the stack).
        const int m = 9, k = 21, n = 70;
        int width = Simd.ActiveWidth, nr = SharedKernels.PanelWidth(width), padded = (n + nr - 1) / nr * nr;
        float[] a = Random(m * k, 13), weights = Random(n * k, 14), c = new float[m * n], grad = new float[n * k], sums = new float[n];
        var packed = new float[padded * k];
        SharedKernels.PackPanels(width, weights, n, k, nMajor: true, packed, 0, 1);
        void Calls()
        {
            SharedKernels.MatMul(width, k, n, a, k, packed, default, c, n, 0, m, 0, n, accumulate: true);
            SharedKernels.MatMulTransposedA(width, n, k, c, n, a, k, grad, m, 0, n);
            SharedKernels.AddColumnSums(width, n, c, n, m, sums, 0, n);
        }
        Calls();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Calls();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>A call whose spans or sizes do not fit: the internal-error exception, and nothing written.</summary>
    [Theory]
    [InlineData("a short")]
    [InlineData("packed short")]
    [InlineData("c short")]
    [InlineData("bias short")]
    [InlineData("lda below k")]
    [InlineData("ldc below n")]
    [InlineData("negative row")]
    [InlineData("columns past n")]
    [InlineData("column inside a panel")]
    [InlineData("k zero")]
    public void MatMulRejectsSpansAndSizesThatDoNotFit(string fault)
    {
        const int m = 7, k = 10, n = 20;
        int width = Simd.ActiveWidth, nr = SharedKernels.PanelWidth(width), padded = (n + nr - 1) / nr * nr;
        if (fault == "column inside a panel" && nr == 1) return;   // every column starts a panel of the scalar body
        int lda = fault == "lda below k" ? k - 1 : k, ldc = fault == "ldc below n" ? n - 1 : n;
        var a = new float[fault == "a short" ? m * k - 1 : m * k];
        var packed = new float[fault == "packed short" ? padded * k - 1 : padded * k];
        var bias = new float[fault == "bias short" ? padded - 1 : padded];
        var c = new float[fault == "c short" ? m * n - 1 : m * n];
        c.AsSpan().Fill(7f);
        int rowStart = fault == "negative row" ? -1 : 0, columnStart = fault == "column inside a panel" ? 1 : 0, columnEnd = fault == "columns past n" ? n + 1 : n;
        int kk = fault == "k zero" ? 0 : k;
        var error = Assert.Throws<InvalidOperationException>(() =>
            SharedKernels.MatMul(width, kk, n, a, lda, packed, bias, c, ldc, rowStart, m, columnStart, columnEnd, accumulate: false));
        Assert.Contains(nameof(SharedKernels.MatMul), error.Message);
        Assert.All(c, value => Assert.Equal(7f, value));
    }

    [Theory]
    [InlineData("a short")]
    [InlineData("b short")]
    [InlineData("c short")]
    [InlineData("ldb below n2")]
    [InlineData("rows past n1")]
    public void MatMulTransposedARejectsSpansAndSizesThatDoNotFit(string fault)
    {
        const int m = 5, n1 = 6, n2 = 9;
        var a = new float[fault == "a short" ? m * n1 - 1 : m * n1];
        var b = new float[fault == "b short" ? m * n2 - 1 : m * n2];
        var c = new float[fault == "c short" ? n1 * n2 - 1 : n1 * n2];
        int ldb = fault == "ldb below n2" ? n2 - 1 : n2, rowEnd = fault == "rows past n1" ? n1 + 1 : n1;
        var error = Assert.Throws<InvalidOperationException>(() =>
            SharedKernels.MatMulTransposedA(Simd.ActiveWidth, n1, n2, a, n1, b, ldb, c, m, 0, rowEnd));
        Assert.Contains(nameof(SharedKernels.MatMulTransposedA), error.Message);
        Assert.All(c, value => Assert.Equal(0f, value));
    }

    [Theory]
    [InlineData("a short")]
    [InlineData("sums short")]
    [InlineData("columns past n")]
    [InlineData("n zero")]
    public void AddColumnSumsRejectsSpansAndSizesThatDoNotFit(string fault)
    {
        const int m = 4, n = 11;
        var a = new float[fault == "a short" ? m * n - 1 : m * n];
        var sums = new float[fault == "sums short" ? n - 1 : n];
        int nn = fault == "n zero" ? 0 : n, columnEnd = fault == "columns past n" ? n + 1 : n;
        var error = Assert.Throws<InvalidOperationException>(() =>
            SharedKernels.AddColumnSums(Simd.ActiveWidth, nn, a, n, m, sums, 0, columnEnd));
        Assert.Contains(nameof(SharedKernels.AddColumnSums), error.Message);
        Assert.All(sums, value => Assert.Equal(0f, value));
    }
}
