using System;
using System.Linq;
using System.Runtime.Intrinsics;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Kernels;

/// <summary>
/// The int8 kernels on a weight matrix whose rows are not as long as a gate is tall ([gates * units, columns], as W_ih
/// with its input size, or H / 2H of a stacked or bidirectional layer): the scalar reference against a double-precision
/// dot product of the dequantized values, computed here from the documented quantization; and every vector path
/// (the VNNI panels, the 16-unit panels under DOTNET_EnableAVXVNNI=0, the row-by-row dot products) against the scalar
/// reference, bit for bit, through the copy a model builds.
/// </summary>
[Trait("Category", "Numerical")]
public class Int8RectangularTests
{
    // (units, columns): fewer columns than units, more, twice as many (a bidirectional layer's input), one column,
    // columns past a group of 4 and a pair, units ending inside panels of 8 and 16.
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int gates in new[] { 1, 3, 4 })
            foreach ((int units, int columns) in new[] { (5, 3), (20, 70), (33, 66), (16, 1), (9, 130), (40, 17) })
                data.Add(gates, units, columns);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ScalarReferenceIsTheDotProductOfTheDequantizedValues(int gates, int units, int columns)
    {
        int rows = gates * units, stride = ReducedKernels.Int8Stride(columns), batch = 5, ldc = rows + 2;
        var random = new Random(1000 * gates + 10 * units + columns);
        float[] weights = Values(random, rows * columns, 1f / MathF.Sqrt(columns));
        float[] x = Values(random, batch * columns, 2f);  // inputs are not bounded by 1 as h is
        x.AsSpan(3 * columns, columns).Clear();           // a row of zeros: scale 1, every level 0
        float[] bias = Values(random, rows, 0.5f);
        sbyte[] q = new sbyte[rows * stride];
        float[] scales = new float[rows];
        int[] sums = new int[rows];
        for (int r = 0; r < rows; r++) ReducedKernels.QuantizeRow(weights.AsSpan(r * columns, columns), q.AsSpan(r * stride, stride), out scales[r], out sums[r]);
        float[] c = Enumerable.Repeat(7f, batch * ldc).ToArray();
        ReducedKernels.Int8Rows(0, q, scales, sums, units, columns, gates, x, bias, c, ldc, 0, units, 0, batch);
        for (int b = 0; b < batch; b++)
        {
            (float xScale, int[] levels) = QuantizedRow(x.AsSpan(b * columns, columns));
            for (int row = 0; row < rows; row++)
            {
                // The weights as the row's levels say (the scale is documented as max|w| / 127), the input likewise.
                float wMax = weights.AsSpan(row * columns, columns).ToArray().Max(MathF.Abs);
                double wScale = wMax / 127f, dot = 0, magnitude = Math.Abs(bias[row]);
                for (int k = 0; k < columns; k++)
                {
                    int wLevel = (int)Math.Clamp(MathF.Round(weights[row * columns + k] * (wMax > 0f ? 127f / wMax : 0f)), -127f, 127f);
                    double term = wScale * wLevel * ((double)xScale * levels[k]);
                    dot += term;
                    magnitude += Math.Abs(term);
                }
                double expected = bias[row] + dot;
                // The reference's float arithmetic: an exact integer sum, then two roundings of a product and one of a sum.
                Assert.True(Math.Abs(c[b * ldc + row] - expected) <= 4e-7 * magnitude + 1e-30,
                    $"gates {gates}, units {units}, columns {columns}: c[{b}, {row}] = {c[b * ldc + row]:R}, expected {expected:R}");
            }
            for (int i = rows; i < ldc; i++) Assert.Equal(7f, c[b * ldc + i]);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryVectorPathGivesTheScalarReferencesBits(int gates, int units, int columns)
    {
        int rows = gates * units;
        var random = new Random(7 * gates + 31 * units + columns);
        float[] weights = Values(random, rows * columns, 1f / MathF.Sqrt(columns));
        var reduced = new ReducedRecurrentWeights();
        reduced.Prepare(InferencePrecision.Int8, rows, units, columns);
        for (int part = 0; part < 3; part++) reduced.Build(InferencePrecision.Int8, weights, part, 3);
        reduced.Record(1, InferencePrecision.Int8);
        float[] bias = Values(random, rows, 0.5f);
        // Every batch up to 13 (each register block of 6, 4, 2 and 1 rows), shares of rows and of units.
        for (int batch = 1; batch <= 13; batch++)
        {
            float[] x = Values(random, batch * columns, 2f);
            int ldc = rows + batch % 3;
            float[] c = Values(random, batch * ldc, 1f);
            foreach ((int b0, int j0, int j1, bool withBias) in new[] { (0, 0, units, true), (batch / 2, units / 3, units - units / 5, false), (0, units - 1, units, true) })
            {
                if (j1 <= j0) continue;
                float[] expected = (float[])c.Clone();
                reduced.AddRecurrentTerm(InferencePrecision.Int8, 0, x, withBias ? bias : default, expected, ldc, b0, batch, j0, j1);
                foreach (int width in Widths())
                {
                    float[] actual = (float[])c.Clone();
                    reduced.AddRecurrentTerm(InferencePrecision.Int8, width, x, withBias ? bias : default, actual, ldc, b0, batch, j0, j1);
                    for (int i = 0; i < c.Length; i++)
                        Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                            $"gates {gates}, units {units}, columns {columns}, batch {batch}, rows from {b0}, units [{j0}, {j1}), width {width} ({ReducedKernels.Int8Path(width)}): c[{i}] = {actual[i]:R}, scalar {expected[i]:R}");
                }
            }
        }
    }

    [Fact]
    public void ARowLongerThanTheKernelsTakeIsRefused()
    {
        var reduced = new ReducedRecurrentWeights();
        Assert.Throws<ArgumentOutOfRangeException>(() => reduced.Prepare(InferencePrecision.Int8, 8, 4, ReducedRecurrentWeights.MaxInt8Columns + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => reduced.Prepare(InferencePrecision.BFloat16, 8, 4, 6));
    }

    // The documented quantization of an activation row: scale max|x| / 127 (1 for zeros), levels round(x * 127 / max).
    private static (float Scale, int[] Levels) QuantizedRow(ReadOnlySpan<float> x)
    {
        float max = 0f;
        foreach (float v in x) max = MathF.Max(max, MathF.Abs(v));
        if (max == 0f) return (1f, new int[x.Length]);
        float inverse = 127f / max;
        int[] levels = new int[x.Length];
        for (int k = 0; k < x.Length; k++) levels[k] = (int)Math.Clamp(MathF.Round(x[k] * inverse), -127f, 127f);
        return (max / 127f, levels);
    }

    private static float[] Values(Random random, int count, float range) =>
        Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1) * range).ToArray();

    private static int[] Widths() =>
        new[] { (512, Vector512.IsHardwareAccelerated), (256, Vector256.IsHardwareAccelerated), (128, Vector128.IsHardwareAccelerated) }
            .Where(w => w.Item2).Select(w => w.Item1).ToArray();
}
